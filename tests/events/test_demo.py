"""The demo calendar, as built by `load_demo_content` for the whole test session."""

import html
import io
from datetime import date, timedelta

from django.core.management import call_command
from django.utils import timezone
from django.utils.text import capfirst

from wagtail.models import Page

import pytest
from icalendar import Calendar

from cress_site.typography import date_label
from events.models import EventIndexPage, EventOccurrence, EventPage, Registration
from events.models.related import EventDateChange
from events.recurrence import PARIS
from tests.events.test_ical import exdates, expand

pytestmark = pytest.mark.django_db

MEETING_SLUG = "reunion-information-creer-entreprise-ess"


@pytest.fixture
def demo_agenda(home_page):
    return EventIndexPage.objects.child_of(home_page).get(slug="agenda")


def test_the_calendar_is_live_under_home_in_the_menu(home_page, demo_agenda):
    assert demo_agenda.live
    assert demo_agenda.show_in_menus
    assert demo_agenda.title == "Agenda"
    # After the observatory and before the projects showcase.
    menu = list(home_page.get_children().in_menu().values_list("slug", flat=True))
    assert menu.index("observatoire") < menu.index("agenda") < menu.index("projets-accompagnes")


def test_the_home_page_leads_to_the_calendar(client, demo_agenda):
    assert f'href="{demo_agenda.url}">Tout l\'agenda</a>' in client.get("/").content.decode()


def test_the_monthly_meeting_repeats_with_a_cancelled_date_and_no_august(demo_agenda):
    meeting = EventPage.objects.child_of(demo_agenda).get(slug=MEETING_SLUG)
    assert meeting.live
    assert meeting.repeat == "monthly_weekday"
    assert meeting.repeat_until is not None and meeting.repeat_count is None
    assert meeting.registration_enabled and meeting.capacity == 25
    assert list(meeting.audiences.values_list("slug", flat=True)) == ["porteurs-de-projet"]
    assert meeting.venue_postcode == "14000"
    assert meeting.territory.code in ("14", "14118")  # Calvados, or Caen with the communes
    assert meeting.recurrence_description().startswith("le premier mardi de chaque mois, jusqu")

    occurrences = list(meeting.occurrences.order_by("start"))
    excluded = list(meeting.date_changes.filter(action="exclude"))
    cancelled = meeting.date_changes.get(action="cancel")
    # Sixteen months from four months ago cross two Augusts: neither has a meeting.
    assert len(excluded) == 2
    assert {change.original_date.month for change in excluded} == {8}
    assert len(occurrences) == 14  # 16 first Tuesdays, less the two in August
    assert {o.start.astimezone(PARIS).month for o in occurrences}.isdisjoint({8})
    assert [o.original_date for o in occurrences if o.cancelled] == [cancelled.original_date]
    assert "rencontre régionale" in cancelled.note
    for occurrence in occurrences:
        local_start = occurrence.start.astimezone(PARIS)
        local_end = occurrence.end.astimezone(PARIS)
        assert local_start.weekday() == 1 and local_start.day <= 7  # the first Tuesday
        assert (local_start.hour, local_start.minute) == (14, 0)
        assert (local_end.hour, local_end.minute) == (16, 30)
    now = timezone.now()
    assert any(o.end < now for o in occurrences) and any(o.start > now for o in occurrences)
    assert cancelled.original_date > timezone.localdate()
    # The frequency does not promise the Augusts it leaves out.
    first, second = sorted(change.original_date for change in excluded)
    assert meeting.recurrence_description().endswith(
        f", sauf les {date_label(first)} et {date_label(second)}"
    )


@pytest.mark.parametrize(
    ("left_out", "ending"),
    [
        ([date(2027, 8, 3)], ", sauf le 3 août 2027"),
        (
            [date(2027, 8, 3), date(2027, 9, 7), date(2027, 10, 5), date(2027, 11, 2)],
            ", sauf 4 dates",
        ),
    ],
)
def test_the_frequency_names_the_dates_left_out(demo_agenda, left_out, ending):
    meeting = EventPage.objects.child_of(demo_agenda).get(slug=MEETING_SLUG)
    meeting.date_changes = [
        EventDateChange(original_date=day, action="exclude") for day in left_out
    ]
    assert meeting.recurrence_description().endswith(ending)


def test_the_meeting_says_no_august_and_offers_no_august_date(client, demo_agenda):
    """Its text says "Pas de réunion en août": its page, the agenda, the month grids, the
    calendar files and the registration form agree."""
    meeting = EventPage.objects.child_of(demo_agenda).get(slug=MEETING_SLUG)
    page = html.unescape(client.get(meeting.url).content.decode())
    assert "Pas de réunion en août" in page
    # The only other Augusts: those the frequency says it leaves out.
    frequency = capfirst(meeting.recurrence_description())
    assert f"<dd>{frequency}</dd>" in page
    assert " août " not in page.replace("Pas de réunion en août", "").replace(frequency, "")
    registration = client.get(meeting.url + "inscription/").content.decode()
    assert "août" not in registration
    for change in meeting.date_changes.filter(action="exclude"):
        day = change.original_date
        grid = client.get(f"{demo_agenda.url}{day.year}/{day.month:02d}/").context["month"]
        assert meeting.pk not in {o.page_id for o in grid.month_occurrences}
    # Its calendar file: both August dates are EXDATEs, and no instance is left in August.
    feed = Calendar.from_ical(client.get(meeting.url + "calendrier.ics").content)
    (master,) = [event for event in feed.walk("VEVENT") if "recurrence-id" not in event]
    assert sorted(day.month for day in exdates(master)) == [8, 8]
    assert all(instance.month != 8 for instance in expand(master))


def test_events_cover_the_departements_the_past_and_the_future(demo_agenda):
    events = list(EventPage.objects.child_of(demo_agenda).live().select_related("territory"))
    departements = {
        event.territory.code if event.territory.kind == "departement" else event.territory.code[:2]
        for event in events
        if event.territory is not None
    }
    assert len(departements) >= 4
    kinds = {event.kind for event in events}
    assert {"information", "atelier", "groupe", "formation", "webinaire", "rencontre"} <= kinds
    assert any(event.title.startswith("Atelier élus") for event in events)

    now = timezone.now()
    single_dates = [event for event in events if not event.repeat]
    assert len([event for event in single_dates if event.end < now]) >= 3
    assert len([event for event in single_dates if event.start > now]) >= 3
    assert {"reporte", "annule"} <= {event.status for event in events}

    forum = next(event for event in events if event.kind == "rencontre")
    assert forum.all_day
    assert len(forum.occurrences.get().local_days()) == 2


def test_the_webinar_is_online_with_registrations_and_no_limit(demo_agenda):
    webinar = EventPage.objects.child_of(demo_agenda).get(kind="webinaire")
    assert webinar.attendance_mode == "en-ligne"
    assert webinar.online_url.startswith("https://")
    assert webinar.registration_enabled and webinar.capacity is None
    occurrence = webinar.occurrences.get()
    assert occurrence.start > timezone.now()
    assert occurrence.accepts_registrations


def test_the_full_workshop_has_a_waiting_list(demo_agenda):
    occurrence = EventOccurrence.objects.get(
        page__in=EventPage.objects.child_of(demo_agenda).filter(capacity=3)
    )
    statuses = list(occurrence.registrations.values_list("status", flat=True))
    assert statuses.count(Registration.Status.CONFIRMED) == 3
    assert statuses.count(Registration.Status.WAITING) == 2
    assert statuses.count(Registration.Status.PENDING) == 1
    assert occurrence.is_full and occurrence.accepts_registrations  # the waiting list is open
    emails = occurrence.registrations.values_list("email", flat=True)
    assert all(email.endswith("@example.org") for email in emails)
    # The first three to register and confirm got the places; the last one has not confirmed.
    by_date = list(occurrence.registrations.order_by("created_at"))
    assert [r.status for r in by_date] == ["confirmee"] * 3 + ["attente"] * 2 + ["aconfirmer"]
    assert all(r.confirmed_at for r in by_date[:5]) and by_date[5].confirm_before
    assert by_date[0].created_at < timezone.now() - timedelta(days=1)


def test_a_second_run_creates_no_event_and_no_registration(demo_agenda):
    pages_before = Page.objects.count()
    occurrences_before = EventOccurrence.objects.count()
    registrations_before = Registration.objects.count()

    out = io.StringIO()
    call_command("load_demo_content", without_communes=True, stdout=out)

    assert Page.objects.count() == pages_before
    assert EventOccurrence.objects.count() == occurrences_before
    assert Registration.objects.count() == registrations_before
    assert "rien à créer" in out.getvalue()
