from datetime import datetime, timedelta

from django.utils import timezone

import pytest

from cress_site.models import Territory
from events.models import Audience, EventDateChange, EventIndexPage, EventPage
from events.recurrence import PARIS


@pytest.fixture
def agenda(home_page):
    """The demo's calendar, or a new one when the demo has none."""
    existing = EventIndexPage.objects.first()
    if existing is not None:
        return existing
    page = EventIndexPage(title="Agenda", slug="agenda", intro="Les rendez-vous de la CRESS.")
    home_page.add_child(instance=page)
    page.save_revision().publish()
    return page


def paris(*args):
    """An aware Europe/Paris datetime: paris(2027, 1, 5, 14) is 5 January 2027 at 14:00."""
    return datetime(*args, tzinfo=PARIS)


def soon(days=10, hour=14):
    """A date `days` from now at `hour`:00 in Paris."""
    day = timezone.localdate() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, tzinfo=PARIS)


@pytest.fixture
def calvados():
    return Territory.objects.get(kind="departement", code="14")


@pytest.fixture
def make_event(agenda, calvados):
    """A published event below the calendar; `changes` are (date, action, fields) tuples."""

    def make(title="Réunion de test", *, start=None, end=None, audiences=(), changes=(), **fields):
        start = start or soon()
        end = end or start + timedelta(hours=2)
        fields.setdefault("territory", calvados)
        fields.setdefault("venue_name", "Maison des associations")
        fields.setdefault("venue_city", "Caen")
        page = EventPage(
            title=title,
            summary=fields.pop("summary", "Un événement de test."),
            start=start,
            end=end,
            **fields,
        )
        page.audiences = list(Audience.objects.filter(slug__in=audiences))
        page.date_changes = [
            EventDateChange(original_date=day, action=action, **extra)
            for day, action, extra in changes
        ]
        agenda.add_child(instance=page)
        page.save_revision().publish()
        return page

    return make
