"""A series shows once in the agenda list (its next date, how many more, a link to all its
dates), and an editor's exclusion takes a date out of everything that shows one."""

import re
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest
from icalendar import Calendar

from events import formatting
from events.models import EventDateChange, EventOccurrence, EventPage, upcoming_listing
from events.recurrence import ExceptionAction, Repeat
from tests.events.conftest import soon
from tests.events.test_ical import exdates, expand

pytestmark = pytest.mark.django_db


def weekly(make_event, title, *, weeks=8, start=None, **fields):
    return make_event(
        title, start=start or soon(days=3), repeat=Repeat.WEEKLY, repeat_count=weeks, **fields
    )


def cards(html, title):
    return len(re.findall(rf'class="event-card__link"[^>]*>{re.escape(title)}<', html))


def test_a_series_is_listed_once_at_its_next_date_with_its_other_dates(client, agenda, make_event):
    series = weekly(make_event, "Permanence hebdomadaire", weeks=8)
    single = make_event("Conférence unique", start=soon(days=5))
    response = client.get(agenda.url)
    html = response.content.decode()
    assert cards(html, series.title) == 1
    assert cards(html, single.title) == 1
    (listed,) = [o for o in response.context["listing"].items if o.page_id == series.pk]
    assert listed.start == series.occurrences.order_by("start").first().start
    assert "Et 7 autres dates à venir" in html
    assert f'href="{series.url}#dates"' in html
    assert "Et 0" not in html  # a single date says nothing of other dates
    # The event page has the anchor, with every upcoming date and its own registration state.
    page = client.get(series.url).content.decode()
    assert 'id="dates"' in page
    assert page.count('class="event-dates__item') == 8


def test_the_count_says_how_many_events_are_listed(client, agenda, make_event):
    weekly(make_event, "Permanence hebdomadaire", weeks=8)
    response = client.get(agenda.url)
    listing = response.context["listing"]
    events = EventPage.objects.live().descendant_of(agenda)
    upcoming = {
        o.page_id
        for o in EventOccurrence.objects.filter(
            page__in=events, in_series=True, end__gte=timezone.now()
        )
    }
    assert listing.total == len(upcoming)
    assert f"{len(upcoming)} événements à venir" in response.content.decode()


def test_the_next_date_skips_a_cancelled_one(client, agenda, make_event):
    first = soon(days=3)
    series = weekly(
        make_event,
        "Permanence avec une date annulée",
        weeks=4,
        start=first,
        changes=[(first.date(), ExceptionAction.CANCEL, {"note": "Fermé"})],
    )
    (listed,) = [
        o for o in client.get(agenda.url).context["listing"].items if o.page_id == series.pk
    ]
    assert listed.start == first + timedelta(weeks=1) and not listed.cancelled
    assert listed.later_dates == 2


def test_filters_and_pagination_count_events(client, agenda, make_event, settings):
    for index in range(3):
        weekly(make_event, f"Série filtrée {index}", kind="webinaire", weeks=6)
    response = client.get(agenda.url, {"type": "webinaire"})
    listing = response.context["listing"]
    titles = [o.page.title for o in listing.items]
    assert len(titles) == len(set(titles))  # each event once
    assert {f"Série filtrée {index}" for index in range(3)} <= set(titles)
    kind_counts = {option.value: option.count for option in listing.options["type"]}
    assert kind_counts["webinaire"] == listing.total
    # A page of the list holds events, not dates of one event.
    for index in range(16):
        weekly(make_event, f"Série nombreuse {index}", weeks=3)
    first, second = (client.get(agenda.url, {"page": n}).context["listing"] for n in (1, 2))
    pks = [o.page_id for o in first.items] + [o.page_id for o in second.items]
    assert len(pks) == len(set(pks)) and first.total == second.total > 15


def test_the_month_grid_and_the_feed_still_have_every_date(client, agenda, make_event):
    series = weekly(make_event, "Permanence hebdomadaire", weeks=8)
    feed = Calendar.from_ical(client.get(agenda.url + "agenda.ics").content)
    (master,) = [event for event in feed.walk("VEVENT") if str(event["summary"]) == series.title]
    assert len(expand(master)) == 8  # the series, with its RRULE
    first = series.occurrences.order_by("start").first().start
    day = timezone.localtime(first).date()
    grid = client.get(f"{agenda.url}{day.year:04d}/{day.month:02d}/").context["month"]
    in_grid = [o for o in grid.occurrences if o.page_id == series.pk]
    assert len(in_grid) >= 2


def agenda_queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_takes_as_many_queries_for_one_series_as_for_many(
    client, agenda, make_event, settings
):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    weekly(make_event, "Série 0", weeks=3)
    one = agenda_queries(client, agenda.url)
    for index in range(1, 8):
        weekly(make_event, f"Série {index}", weeks=20)
    many = agenda_queries(client, agenda.url)
    assert many == one


def test_upcoming_listing_gives_each_event_once_for_the_home_page(agenda, make_event):
    series = weekly(make_event, "Permanence hebdomadaire", weeks=8)
    cancelled = make_event("Rencontre annulée", start=soon(days=1), status="annule")
    events = EventPage.objects.live().descendant_of(agenda)
    listed = list(upcoming_listing(events))
    assert [o.page_id for o in listed].count(series.pk) == 1
    assert cancelled.pk not in [o.page_id for o in listed]
    assert [o.start for o in listed] == sorted(o.start for o in listed)
    mine = next(o for o in listed if o.page_id == series.pk)
    assert mine.later_dates == 7 and mine.confirmed_count == 0
    assert len(upcoming_listing(events, limit=2)) == 2
    with CaptureQueriesContext(connection) as queries:
        for occurrence in upcoming_listing(events, limit=3):
            occurrence.page.territory, occurrence.places_left  # noqa: B018
    assert len(queries) == 1


# -- an editor's exclusion ----------------------------------------------------------------------


def test_an_excluded_date_disappears_everywhere(client, agenda, make_event):
    start = soon(days=3)
    excluded = start + timedelta(weeks=2)
    series = weekly(
        make_event,
        "Permanence avec une date retirée",
        weeks=5,
        start=start,
        registration_enabled=True,
        changes=[(excluded.date(), ExceptionAction.EXCLUDE, {"note": "Pas de permanence"})],
    )
    dates = [o.start for o in series.occurrences.all()]
    assert len(dates) == 4 and excluded not in dates
    # The page, its registration form and the list.
    label = excluded.astimezone(timezone.get_current_timezone()).strftime("%Y-%m-%dT%H:%M")
    page = client.get(series.url).content.decode()
    assert page.count('class="event-dates__item') == 4
    assert f'datetime="{label}' not in page
    form = client.get(series.url + "inscription/").content.decode()
    assert formatting.date_label(start, False) in form
    assert formatting.date_label(excluded, False) not in form
    assert page.count("event-dates__register") == 4
    assert "Et 3 autres dates à venir" in client.get(agenda.url).content.decode()
    # The month grid.
    day = timezone.localtime(excluded).date()
    grid = client.get(f"{agenda.url}{day.year:04d}/{day.month:02d}/").context["month"]
    assert excluded not in [o.start for o in grid.occurrences if o.page_id == series.pk]
    # The calendar files: an EXDATE, and no instance on that date.
    calendar = Calendar.from_ical(client.get(series.url + "calendrier.ics").content)
    (master,) = [event for event in calendar.walk("VEVENT") if "recurrence-id" not in event]
    assert exdates(master) == [excluded]
    assert excluded not in expand(master) and len(expand(master)) == 4


def test_an_exclusion_added_later_takes_the_date_out(client, agenda, make_event):
    start = soon(days=3)
    series = weekly(make_event, "Permanence", weeks=4, start=start, registration_enabled=True)
    target = series.occurrences.order_by("start")[1]
    page = EventPage.objects.get(pk=series.pk)
    page.date_changes.add(
        EventDateChange(original_date=target.original_date, action=ExceptionAction.EXCLUDE)
    )
    page.save_revision().publish()
    assert not EventOccurrence.objects.filter(pk=target.pk).exists()
    assert series.occurrences.count() == 3
    form = client.get(series.url + "inscription/").content.decode()
    assert f'value="{target.pk}"' not in form
    assert formatting.date_label(target.start, False) not in form
    assert formatting.date_label(target.start, False) not in client.get(series.url).content.decode()


def test_the_month_list_elides_before_a_vowel(client, agenda):
    august = client.get(f"{agenda.url}2027/08/").content.decode()
    june = client.get(f"{agenda.url}2027/06/").content.decode()
    assert "Les événements d'août 2027" in august.replace("&#x27;", "'")
    assert "Les événements de juin 2027" in june


def test_the_month_list_shows_no_places_left_since_it_does_not_follow_registrations(
    client, agenda, make_event, settings
):
    """The month grid's page is kept until the events change, not at each registration
    (`EventIndexPage.routes_without_places`): it shows no number of places, which would go
    stale. The agenda's list, which follows them, does."""
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    event = make_event(
        "Atelier avec inscription", start=soon(days=3), registration_enabled=True, capacity=12
    )
    assert "12 places restantes" in client.get(agenda.url).content.decode()
    day = timezone.localtime(event.start).date()
    month = client.get(f"{agenda.url}{day.year:04d}/{day.month:02d}/").content.decode()
    assert cards(month, event.title) == 1
    assert "places restantes" not in month
    assert "Inscription ouverte" not in month


def test_the_month_list_shows_full_only_when_the_editor_says_so(client, agenda, make_event):
    """A date whose places are all taken is « Complet » in the list, which follows the
    registrations; the month grid's page, kept until the events change, would keep saying
    so after a cancellation frees a place. It shows the status the editor set, and reads no
    count of registrations for it."""
    from events.registration import cancel, register

    taken = make_event(
        "Atelier aux places prises", start=soon(days=3), registration_enabled=True, capacity=1
    )
    marked = make_event(
        "Atelier marqué complet", start=soon(days=4), registration_enabled=True, status="complet"
    )
    registration = register(
        taken.occurrences.get().pk, name="Ada Moreau", email="ada@example.org", profile="porteur"
    )
    full_badge = '<span class="status status--full">Complet</span>'

    def card(html, title):
        start = html.index(f">{title}<")
        return html[html.rindex("<article", 0, start) : html.index("</article>", start)]

    listed = client.get(agenda.url).content.decode()
    assert full_badge in card(listed, taken.title)
    day = timezone.localtime(taken.occurrences.get().start).date()
    month_url = f"{agenda.url}{day.year:04d}/{day.month:02d}/"
    month = client.get(month_url).content.decode()
    assert full_badge not in card(month, taken.title)
    assert full_badge in card(month, marked.title)
    # The place freed: the list says so at once, the month page had nothing to take back.
    cancel(registration)
    assert full_badge not in card(client.get(agenda.url).content.decode(), taken.title)
    assert full_badge not in card(client.get(month_url).content.decode(), taken.title)


def test_the_list_groups_its_cached_cards_by_month_in_order(client, agenda, make_event, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    now = timezone.localtime()
    next_month = (now.replace(day=1) + timedelta(days=32)).replace(day=10, hour=10)
    make_event("Réunion du mois prochain", start=next_month)
    make_event("Réunion de la semaine", start=soon(days=2))

    def months_and_titles():
        html = client.get(agenda.url).content.decode()
        return re.findall(
            r'class="agenda-month">([^<]+)<|class="event-card__link"[^>]*>([^<]+)<', html
        )

    first = months_and_titles()
    assert months_and_titles() == first  # the second time, every card from the cache
    headings = [month for month, _title in first if month]
    assert len(headings) == len(set(headings))  # each month once
    titles = [title for _month, title in first if title]
    assert titles.index("Réunion de la semaine") < titles.index("Réunion du mois prochain")
    # The card sits below its month's heading.
    label = formatting.month_label(next_month.year, next_month.month).capitalize()
    position = first.index(("", "Réunion du mois prochain"))
    assert [month for month, _title in first[:position] if month][-1] == label
