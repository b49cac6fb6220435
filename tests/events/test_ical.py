"""The iCalendar output: event files, the subscribable feed and the e-mail attachments.

Everything is parsed back with icalendar and, for series, expanded with dateutil, so that the
assertions are about what a calendar application would show.
"""

from datetime import UTC, date, datetime, timedelta
from unittest import mock

from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar

from cress_site.models import Territory
from events.ical import FEED_PAST_MONTHS, event_calendar, occurrence_calendar
from events.models import EventOccurrence, Registration
from events.recurrence import PARIS
from tests.events.conftest import paris, soon

pytestmark = pytest.mark.django_db


# -- helpers ---------------------------------------------------------------------------------


def parse(data):
    assert isinstance(data, bytes)
    return Calendar.from_ical(data)


def vevents(calendar):
    return calendar.walk("VEVENT")


def master_of(calendar, page):
    """The VEVENT of the page that is not an override of one date."""
    masters = [
        event
        for event in vevents(calendar)
        if str(event["uid"]).startswith(f"event-{page.pk}@") and "recurrence-id" not in event
    ]
    assert len(masters) == 1
    return masters[0]


def overrides_of(calendar, page):
    """The page's one-date VEVENTs, by their original start."""
    return {
        event.decoded("recurrence-id"): event
        for event in vevents(calendar)
        if str(event["uid"]).startswith(f"event-{page.pk}@") and "recurrence-id" in event
    }


def exdates(event):
    value = event.get("exdate")
    if value is None:
        return []
    lists = value if isinstance(value, list) else [value]
    return [item.dt for exdate in lists for item in exdate.dts]


def exdate_params(event):
    value = event["exdate"]
    lists = value if isinstance(value, list) else [value]
    return [exdate.params for exdate in lists]


def expand(event):
    """The instances of a master VEVENT as a client computes them: DTSTART and the RRULE's
    instances, less the EXDATEs."""
    start = event.decoded("dtstart")
    rule = rrulestr(event["rrule"].to_ical().decode(), dtstart=start)
    instances = sorted({start, *rule})
    excluded = set(exdates(event))
    return [instance for instance in instances if instance not in excluded]


def rrule_parts(event):
    return set(event["rrule"].to_ical().decode().split(";"))


def uids(calendar):
    return {str(event["uid"]) for event in vevents(calendar)}


def transitions(component):
    """The starts of a STANDARD or DAYLIGHT component: its DTSTART and RDATEs."""
    moments = [component.decoded("dtstart")]
    value = component.get("rdate")
    if value is not None:
        lists = value if isinstance(value, list) else [value]
        moments += [item.dt for rdate in lists for item in rdate.dts]
    return moments


def assert_paris_timezone(calendar, *years):
    timezones = calendar.walk("VTIMEZONE")
    assert len(timezones) == 1
    assert str(timezones[0]["tzid"]) == "Europe/Paris"
    standard = timezones[0].walk("STANDARD")
    daylight = timezones[0].walk("DAYLIGHT")
    assert standard and daylight
    daylight_years = {moment.year for component in daylight for moment in transitions(component)}
    for year in years:
        assert year in daylight_years


def series_kwargs():
    """A monthly "first Tuesday at 14:00" series of 12, with one date cancelled, one removed
    from the calendar and one moved."""
    return {
        "start": paris(2027, 1, 5, 14),
        "end": paris(2027, 1, 5, 16),
        "repeat": "monthly_weekday",
        "repeat_count": 12,
        "changes": [
            (date(2027, 2, 2), "cancel", {"note": "Remplacée par le forum régional"}),
            (date(2027, 3, 2), "exclude", {}),
            (date(2027, 4, 6), "move", {"new_start": paris(2027, 4, 8, 10)}),
        ],
    }


@pytest.fixture
def manche():
    return Territory.objects.get(kind="departement", code="50")


# -- one event -------------------------------------------------------------------------------


def test_calendar_headers_and_event_properties(make_event, rf):
    page = make_event(
        "Réunion d'information; ESS, collectivités",
        start=paris(2027, 1, 12, 14),
        summary="Pour les élus, et les agents : tout savoir.",
        venue_street="12 rue des Lilas",
        venue_postcode="14000",
        kind="atelier",
        organisers="CRESS Normandie, France Active",
    )
    data = event_calendar(page, rf.get("/"))
    calendar = parse(data)

    assert str(calendar["prodid"]) == "-//CRESS Normandie//Agenda//FR"
    assert str(calendar["version"]) == "2.0"
    assert str(calendar["calscale"]) == "GREGORIAN"
    assert str(calendar["method"]) == "PUBLISH"
    assert str(calendar["x-wr-calname"]) == page.title
    assert str(calendar["x-wr-timezone"]) == "Europe/Paris"

    (event,) = vevents(calendar)
    assert str(event["uid"]) == f"event-{page.pk}@testserver"
    assert str(event["summary"]) == page.title  # escaped on the way out, intact on the way back
    assert b"SUMMARY:R\xc3\xa9union d'information\\; ESS\\, coll" in data
    url = page.get_full_url()
    assert url.startswith("http")
    assert str(event["url"]) == url
    assert page.summary in str(event["description"])
    assert url in str(event["description"])
    assert str(event["location"]) == "Maison des associations, 12 rue des Lilas, 14000 Caen"
    assert [str(c) for c in event["categories"].cats] == ["Atelier"]
    assert str(event["organizer"]).startswith("mailto:")
    assert event["organizer"].params["CN"] == "CRESS Normandie, France Active"
    assert str(event["status"]) == "CONFIRMED"
    assert event.decoded("dtstamp").tzinfo is not None
    assert event.decoded("dtstamp").utcoffset() == timedelta(0)
    assert event.decoded("last-modified").utcoffset() == timedelta(0)
    assert isinstance(event.decoded("sequence"), int)
    assert "rrule" not in event
    # Long lines are folded at 75 octets.
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))


@pytest.mark.parametrize(
    ("month", "utc_hour"),
    [(1, 13), (7, 12)],
    ids=["winter", "summer"],
)
def test_local_time_with_tzid_and_vtimezone(make_event, rf, month, utc_hour):
    page = make_event(start=paris(2027, month, 13, 14), end=paris(2027, month, 13, 16))
    data = event_calendar(page, rf.get("/"))
    calendar = parse(data)

    (event,) = vevents(calendar)
    assert event["dtstart"].params["TZID"] == "Europe/Paris"
    assert event["dtend"].params["TZID"] == "Europe/Paris"
    start = event.decoded("dtstart")
    assert start == paris(2027, month, 13, 14)
    assert (start.hour, start.minute) == (14, 0)
    assert start.astimezone(UTC) == datetime(2027, month, 13, utc_hour, tzinfo=UTC)
    assert event.decoded("dtend").astimezone(UTC).hour == utc_hour + 2
    assert f"DTSTART;TZID=Europe/Paris:2027{month:02d}13T140000".encode() in data
    assert_paris_timezone(calendar, 2027)


def test_all_day_multi_day_event_uses_dates_with_exclusive_end(make_event, rf):
    page = make_event(
        "Forum de l'ESS",
        start=paris(2027, 5, 20, 0, 0),
        end=paris(2027, 5, 21, 23, 59),
        all_day=True,
    )
    data = event_calendar(page, rf.get("/"))
    (event,) = vevents(parse(data))
    assert b"DTSTART;VALUE=DATE:20270520" in data
    assert b"DTEND;VALUE=DATE:20270522" in data
    assert event.decoded("dtstart") == date(2027, 5, 20)
    assert event.decoded("dtend") == date(2027, 5, 22)


def test_cancelled_event(make_event, rf):
    page = make_event(status="annule")
    (event,) = vevents(parse(event_calendar(page, rf.get("/"))))
    assert str(event["status"]) == "CANCELLED"


def test_postponed_event_is_tentative(make_event, rf):
    page = make_event(status="reporte")
    (event,) = vevents(parse(event_calendar(page, rf.get("/"))))
    assert str(event["status"]) == "TENTATIVE"


def test_online_link_is_public_only_without_registrations(make_event, rf):
    public = make_event(
        kind="webinaire", attendance_mode="en-ligne", online_url="https://visio.example/salle"
    )
    private = make_event(
        kind="webinaire",
        attendance_mode="en-ligne",
        online_url="https://visio.example/secret",
        registration_enabled=True,
    )
    (event,) = vevents(parse(event_calendar(public, rf.get("/"))))
    assert "https://visio.example/salle" in str(event["description"])
    assert str(event["location"]) == "En ligne"
    (event,) = vevents(parse(event_calendar(private, rf.get("/"))))
    assert "secret" not in str(event["description"])


def test_uid_stable_and_sequence_grows_when_republished(make_event, rf):
    page = make_event(start=paris(2027, 2, 9, 14))
    page.refresh_from_db()
    first = parse(event_calendar(page, rf.get("/")))
    again = parse(event_calendar(page, rf.get("/")))
    assert uids(first) == uids(again) == {f"event-{page.pk}@testserver"}
    (before,) = vevents(first)

    page.title = "Réunion de test (nouvel horaire)"
    page.start = paris(2027, 2, 9, 15)
    page.end = paris(2027, 2, 9, 17)
    later = page.last_published_at + timedelta(hours=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        page.save_revision().publish()
    page.refresh_from_db()

    (after,) = vevents(parse(event_calendar(page, rf.get("/"))))
    assert str(after["uid"]) == str(before["uid"])
    assert after.decoded("sequence") > before.decoded("sequence")
    assert after.decoded("last-modified") > before.decoded("last-modified")
    assert after.decoded("dtstart") == paris(2027, 2, 9, 15)


# -- series ----------------------------------------------------------------------------------


def test_monthly_series_with_exceptions(make_event, rf):
    page = make_event("Permanence", **series_kwargs())
    data = event_calendar(page, rf.get("/"))
    calendar = parse(data)
    master = master_of(calendar, page)

    assert rrule_parts(master) == {"FREQ=MONTHLY", "BYDAY=1TU", "COUNT=12"}
    assert master.decoded("dtstart") == paris(2027, 1, 5, 14)
    assert master["dtstart"].params["TZID"] == "Europe/Paris"
    assert exdates(master) == [paris(2027, 3, 2, 14)]
    assert all(params["TZID"] == "Europe/Paris" for params in exdate_params(master))

    overrides = overrides_of(calendar, page)
    assert set(overrides) == {paris(2027, 2, 2, 14), paris(2027, 4, 6, 14)}
    for override in overrides.values():
        assert str(override["uid"]) == str(master["uid"])
        assert override["recurrence-id"].params["TZID"] == "Europe/Paris"
        assert override.decoded("sequence") == master.decoded("sequence")
    cancelled = overrides[paris(2027, 2, 2, 14)]
    assert str(cancelled["status"]) == "CANCELLED"
    assert "Remplacée par le forum régional" in str(cancelled["description"])
    moved = overrides[paris(2027, 4, 6, 14)]
    assert str(moved["status"]) == "CONFIRMED"
    assert moved.decoded("dtstart") == paris(2027, 4, 8, 10)
    assert moved.decoded("dtend") == paris(2027, 4, 8, 12)
    assert str(master["status"]) == "CONFIRMED"
    for event in vevents(calendar):
        assert "dtstamp" in event

    # Expanded as a client does: 14:00 in Paris on both sides of both DST changes.
    instances = expand(master)
    assert len(instances) == 11
    assert all(instance.astimezone(PARIS).hour == 14 for instance in instances)
    utc_hours = {instance.month: instance.astimezone(UTC).hour for instance in instances}
    assert utc_hours[2] == 13 and utc_hours[5] == 12  # around the last Sunday of March
    assert utc_hours[10] == 12 and utc_hours[11] == 13  # around the last Sunday of October
    assert_paris_timezone(calendar, 2027)

    # … and it agrees with the stored dates.
    stored = list(page.occurrences.filter(in_series=True).order_by("original_date"))
    assert [occurrence.original_date for occurrence in stored] == [
        instance.astimezone(PARIS).date() for instance in instances
    ]
    for occurrence, instance in zip(stored, instances, strict=True):
        if occurrence.moved:
            assert occurrence.start == overrides[instance].decoded("dtstart")
        else:
            assert occurrence.start == instance
        assert occurrence.cancelled == (
            instance in overrides and str(overrides[instance]["status"]) == "CANCELLED"
        )


def test_series_until_is_utc(make_event, rf):
    page = make_event(
        start=paris(2027, 1, 7, 9, 30),
        end=paris(2027, 1, 7, 11),
        repeat="weekly",
        repeat_interval=2,
        repeat_until=date(2027, 6, 30),
    )
    data = event_calendar(page, rf.get("/"))
    master = master_of(parse(data), page)
    assert rrule_parts(master) == {
        "FREQ=WEEKLY",
        "INTERVAL=2",
        "BYDAY=TH",
        "UNTIL=20270630T215959Z",
    }
    until = master["rrule"]["UNTIL"][0]
    assert until.utcoffset() == timedelta(0)
    instances = expand(master)
    stored = [o.start for o in page.occurrences.filter(in_series=True).order_by("start")]
    assert instances == stored
    assert instances[-1] == paris(2027, 6, 24, 9, 30)
    assert all(instance.astimezone(PARIS).hour == 9 for instance in instances)


def test_series_whose_first_date_is_not_on_the_rule(make_event, rf):
    """A "last Thursday" series starting on a first Thursday: the first date is kept, as by
    the site, and the RRULE ends on the last stored date."""
    page = make_event(start=paris(2027, 1, 7, 14), repeat="monthly_last", repeat_count=3, end=None)
    master = master_of(parse(event_calendar(page, rf.get("/"))), page)
    assert "BYDAY=-1TH" in rrule_parts(master)
    stored = [o.start for o in page.occurrences.filter(in_series=True).order_by("start")]
    assert expand(master) == stored


def test_all_day_series_uses_dates(make_event, rf):
    page = make_event(
        start=paris(2027, 9, 1, 0, 0),
        end=paris(2027, 9, 1, 23, 59),
        all_day=True,
        repeat="weekly",
        repeat_until=date(2027, 9, 29),
        changes=[(date(2027, 9, 15), "exclude", {}), (date(2027, 9, 22), "cancel", {})],
    )
    data = event_calendar(page, rf.get("/"))
    calendar = parse(data)
    master = master_of(calendar, page)
    assert b"DTSTART;VALUE=DATE:20270901" in data
    assert b"DTEND;VALUE=DATE:20270902" in data
    assert "UNTIL=20270929" in rrule_parts(master)
    assert exdates(master) == [date(2027, 9, 15)]
    overrides = overrides_of(calendar, page)
    assert set(overrides) == {date(2027, 9, 22)}
    assert str(overrides[date(2027, 9, 22)]["status"]) == "CANCELLED"


def test_cancelled_series_cancels_every_component(make_event, rf):
    page = make_event(status="annule", **series_kwargs())
    calendar = parse(event_calendar(page, rf.get("/")))
    assert {str(event["status"]) for event in vevents(calendar)} == {"CANCELLED"}


def test_dates_kept_out_of_the_series_are_ignored(make_event, rf):
    page = make_event(**series_kwargs())
    EventOccurrence.objects.create(
        page=page,
        original_date=date(2027, 12, 25),
        start=paris(2027, 12, 25, 14),
        end=paris(2027, 12, 25, 16),
        cancelled=True,
        in_series=False,
    )
    calendar = parse(event_calendar(page, rf.get("/")))
    instances = expand(master_of(calendar, page))
    assert paris(2027, 12, 25, 14) not in instances
    assert paris(2027, 12, 25, 14) not in overrides_of(calendar, page)


# -- views -----------------------------------------------------------------------------------
#
# The views are called as Wagtail calls them once it has routed a request to the page; the
# requests through the URL configuration are tested further down.


def feed(agenda, rf, query=""):
    return agenda.feed(rf.get(agenda.url + "agenda.ics" + query))


def uid(page):
    return f"event-{page.pk}@testserver"


@pytest.fixture
def feed_events(make_event, manche):
    """A webinar and a series in the Calvados, a workshop in the Manche, a past event (within
    the feed's window) and an older one (before it)."""
    return {
        "webinar": make_event(
            "Webinaire",
            start=soon(5),
            kind="webinaire",
            attendance_mode="en-ligne",
            online_url="https://visio.example/salle",
        ),
        "workshop": make_event("Atelier", start=soon(6), kind="atelier", territory=manche),
        "series": make_event(
            "Permanence",
            start=soon(7),
            repeat="weekly",
            repeat_count=4,
            changes=[(soon(14).date(), "cancel", {})],
        ),
        "past": make_event("Passé", start=soon(-30)),
        "old": make_event("Ancien", start=soon(-31 * (FEED_PAST_MONTHS + 1))),
    }


def test_event_view_is_a_download(make_event, rf):
    page = make_event("Atelier", start=soon(20))
    response = page.ical(rf.get(page.url + "calendrier.ics"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="atelier.ics"'
    assert uids(parse(response.content)) == {uid(page)}


def test_event_download_name_from_a_title_with_accents(make_event, rf):
    page = make_event("Réunion à Caen", start=soon(20))
    assert page.slug == "reunion-a-caen"  # WAGTAIL_ALLOW_UNICODE_SLUGS = False
    response = page.ical(rf.get("/"))
    assert response["Content-Disposition"] == 'attachment; filename="reunion-a-caen.ics"'


def test_event_download_name_with_accents(make_event, rf):
    """A slug with accents (typed by an editor, or from before slugs were ASCII) is sent in
    both forms."""
    page = make_event("Réunion à Caen", start=soon(20), slug="réunion-à-caen")
    response = page.ical(rf.get("/"))
    assert response["Content-Disposition"] == (
        "attachment; filename=\"reunion-a-caen.ics\"; filename*=utf-8''r%C3%A9union-%C3%A0-caen.ics"
    )


def test_feed_has_the_recent_and_upcoming_events_with_their_series(agenda, rf, feed_events):
    response = feed(agenda, rf)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" not in response.get("Content-Disposition", "")
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT6H" in response.content
    assert b"X-PUBLISHED-TTL:PT6H" in response.content
    calendar = parse(response.content)
    assert str(calendar["x-wr-calname"]) == "Agenda de la CRESS Normandie"
    assert str(calendar["x-wr-timezone"]) == "Europe/Paris"
    assert str(calendar["method"]) == "PUBLISH"
    assert len(calendar.walk("VTIMEZONE")) == 1
    found = uids(calendar)
    for name in ("webinar", "workshop", "series", "past"):
        assert uid(feed_events[name]) in found
    # Older than the window: in the archive, not in the feed.
    assert uid(feed_events["old"]) not in found
    # Each event once, a series whole: its master and its cancelled date.
    series = feed_events["series"]
    assert len([e for e in vevents(calendar) if str(e["uid"]) == uid(series)]) == 2
    assert len(overrides_of(calendar, series)) == 1
    weekday = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][soon(7).weekday()]
    assert rrule_parts(master_of(calendar, series)) == {
        "FREQ=WEEKLY",
        f"BYDAY={weekday}",
        "COUNT=4",
    }


def test_feed_filters(agenda, rf, feed_events, calvados):
    """Only the matching events (the demo's own events may match too)."""
    webinar, workshop, series = (feed_events[n] for n in ("webinar", "workshop", "series"))

    calendar = parse(feed(agenda, rf, "?type=webinaire").content)
    found = uids(calendar)
    assert uid(webinar) in found
    assert uid(workshop) not in found and uid(series) not in found
    assert {str(e["categories"].cats[0]) for e in vevents(calendar)} == {"Webinaire"}
    assert str(calendar["x-wr-calname"]) == "Agenda de la CRESS Normandie – Webinaire"

    found = uids(parse(feed(agenda, rf, f"?territoire={calvados.slug}").content))
    assert {uid(webinar), uid(series)} <= found
    assert uid(workshop) not in found

    found = uids(parse(feed(agenda, rf, "?format=presentiel").content))
    assert {uid(workshop), uid(series)} <= found
    assert uid(webinar) not in found

    found = uids(parse(feed(agenda, rf, "?type=atelier&territoire=calvados").content))
    assert not found & {uid(webinar), uid(workshop), uid(series)}


def test_feed_ignores_unknown_filter_values(agenda, rf, feed_events):
    response = feed(agenda, rf, "?type=inconnu&territoire=atlantide&public=x&format=")
    assert response.status_code == 200
    calendar = parse(response.content)
    assert str(calendar["x-wr-calname"]) == "Agenda de la CRESS Normandie"
    found = uids(calendar)
    assert {uid(feed_events[n]) for n in ("webinar", "workshop", "series")} <= found


def test_feed_bad_page_number_is_not_found(agenda, rf, feed_events):
    for query in ("?page=abc", "?page=99"):
        with pytest.raises(Http404):
            feed(agenda, rf, query)


def test_empty_feed_is_still_a_valid_calendar(agenda, rf):
    calendar = parse(feed(agenda, rf, "?type=formation&format=mixte").content)
    assert all(str(e["categories"].cats[0]) == "Formation" for e in vevents(calendar))
    assert len(calendar.walk("VTIMEZONE")) == 1  # a calendar needs at least one component


def _feed_queries(agenda, rf):
    with CaptureQueriesContext(connection) as queries:
        response = feed(agenda, rf)
    return len(queries), len(vevents(parse(response.content)))


def test_feed_query_count_does_not_grow_with_events(
    agenda, rf, make_event, manche, django_assert_num_queries, settings
):
    # Built at each request (not kept in the shared cache): what building it costs.
    settings.SHARED_CACHE_SECONDS = 0
    make_event("Un", start=soon(3), venue_city="")
    feed(agenda, rf)  # warm the caches (site root paths)
    count_one, events_one = _feed_queries(agenda, rf)

    make_event("Deux", start=soon(4), territory=manche, venue_city="")
    make_event(
        "Trois",
        start=soon(5),
        kind="webinaire",
        attendance_mode="mixte",
        online_url="https://visio.example/salle",
    )
    make_event(
        "Quatre",
        start=soon(6),
        repeat="weekly",
        repeat_count=5,
        changes=[(soon(13).date(), "cancel", {}), (soon(20).date(), "exclude", {})],
    )
    make_event(
        "Cinq",
        start=soon(8),
        repeat="monthly_day",
        repeat_count=3,
        changes=[(soon(8).date(), "move", {"new_start": soon(9)})],
    )
    feed(agenda, rf)
    with django_assert_num_queries(count_one):
        response = feed(agenda, rf)
    # 5 masters (or more, with the demo's events) and the two overrides.
    assert len(vevents(parse(response.content))) >= events_one + 4 + 2


# -- through the URL configuration -----------------------------------------------------------


def test_event_route(client, make_event):
    page = make_event(start=soon(20))
    response = client.get(page.url + "calendrier.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert uids(parse(response.content)) == {uid(page)}


def test_feed_route(client, agenda, feed_events):
    response = client.get(agenda.url + "agenda.ics?type=webinaire")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = parse(response.content)
    assert uid(feed_events["webinar"]) in uids(calendar)
    assert uid(feed_events["workshop"]) not in uids(calendar)
    assert {str(e["categories"].cats[0]) for e in vevents(calendar)} == {"Webinaire"}
    assert client.get(agenda.url + "agenda.ics?type=inconnu").status_code == 200


def test_feed_route_never_fails(client, agenda, feed_events):
    for query in ("", "?type=inconnu", "?territoire=calvados", "?public=%00", "?q=%22(*"):
        assert client.get(agenda.url + "agenda.ics" + query).status_code == 200
    assert client.get(agenda.url + "agenda.ics?page=abc").status_code == 404


# -- e-mail attachments ----------------------------------------------------------------------


def test_occurrence_calendar_for_one_date_of_a_series(make_event):
    page = make_event(
        attendance_mode="mixte",
        online_url="https://visio.example/salle",
        registration_enabled=True,
        **series_kwargs(),
    )
    occurrence = page.occurrences.get(original_date=date(2027, 5, 4))
    registration = Registration(
        occurrence=occurrence, name="Camille Martin", email="camille@example.org"
    )
    data = occurrence_calendar(occurrence, registration=registration)
    calendar = parse(data)
    assert str(calendar["method"]) == "PUBLISH"
    (event,) = vevents(calendar)
    assert str(event["uid"]) == f"event-{page.pk}-20270504@testserver"
    assert str(event["uid"]) != f"event-{page.pk}@testserver"
    assert "rrule" not in event and "recurrence-id" not in event
    assert event["dtstart"].params["TZID"] == "Europe/Paris"
    assert event.decoded("dtstart") == paris(2027, 5, 4, 14)
    assert event.decoded("dtend") == paris(2027, 5, 4, 16)
    assert str(event["status"]) == "CONFIRMED"
    description = str(event["description"])
    assert page.get_full_url() in description
    assert "https://visio.example/salle" in description
    assert "dtstamp" in event
    assert_paris_timezone(calendar, 2027)

    cancelled_data = occurrence_calendar(occurrence, registration=registration, cancelled=True)
    (cancelled,) = vevents(parse(cancelled_data))
    assert str(cancelled["uid"]) == str(event["uid"])
    assert str(cancelled["status"]) == "CANCELLED"
    assert cancelled.decoded("sequence") > event.decoded("sequence")


def test_occurrence_calendar_for_a_moved_and_a_cancelled_date(make_event):
    page = make_event(**series_kwargs())
    moved = page.occurrences.get(original_date=date(2027, 4, 6))
    (event,) = vevents(parse(occurrence_calendar(moved)))
    assert event.decoded("dtstart") == paris(2027, 4, 8, 10)
    assert str(event["uid"]) == f"event-{page.pk}-20270406@testserver"
    cancelled = page.occurrences.get(original_date=date(2027, 2, 2))
    (event,) = vevents(parse(occurrence_calendar(cancelled)))
    assert str(event["status"]) == "CANCELLED"


def test_occurrence_calendar_all_day(make_event):
    page = make_event(start=paris(2027, 5, 20, 0, 0), end=paris(2027, 5, 21, 23, 59), all_day=True)
    data = occurrence_calendar(page.occurrences.get())
    assert b"DTSTART;VALUE=DATE:20270520" in data
    assert b"DTEND;VALUE=DATE:20270522" in data
