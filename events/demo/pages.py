"""Building blocks of the demo events: Paris times, months, places, body blocks, pages."""

import calendar
from datetime import date, datetime, timedelta

from cress_site.models import Territory
from events.models import Audience, EventPage
from events.recurrence import PARIS, Repeat, Rule, series_dates

# Communes (INSEE code) and their département, for the places of the demo events. Tests load
# territories without communes: the département stands in for a missing commune.
PLACES = {
    "Caen": ("14118", "14"),
    "Saint-Lô": ("50502", "50"),
    "Cherbourg-en-Cotentin": ("50129", "50"),
    "Alençon": ("61001", "61"),
    "Flers": ("61169", "61"),
    "Évreux": ("27229", "27"),
    "Rouen": ("76540", "76"),
    "Fécamp": ("76259", "76"),
}


# -- dates -------------------------------------------------------------------------------------


def at(day, hour, minute=0):
    """An aware Paris datetime on `day` at `hour`:`minute`."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS)


def add_months(day, months):
    """The first day of the month `months` after (or before) the month of `day`."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def first_weekday(month_start, weekday):
    """The first `weekday` (0 = Monday) of the month starting on `month_start`."""
    return month_start + timedelta(days=(weekday - month_start.weekday()) % 7)


def meeting_dates(today):
    """The meeting's first and last dates, the date cancelled for the regional forum and the
    August dates taken out of the calendar (no meeting in August: the series, first Tuesdays
    over sixteen months from four months ago, crosses two Augusts)."""
    first = first_weekday(add_months(today, -4), calendar.TUESDAY)
    dates = sorted(series_dates(at(first, 14), Rule(repeat=Repeat.MONTHLY_WEEKDAY, count=16)))
    excluded = [day for day in dates if day.month == 8]
    cancelled = next(day for day in dates if day >= today + timedelta(days=45) and day.month != 8)
    return first, dates[-1], cancelled, excluded


# -- helpers for the pages ---------------------------------------------------------------------


def territory_of(city):
    """The commune of `city`, or its département when communes are not loaded."""
    commune, departement = PLACES[city]
    return (
        Territory.objects.filter(kind=Territory.Kind.COMMUNE, code=commune).first()
        or Territory.objects.filter(kind=Territory.Kind.DEPARTEMENT, code=departement).first()
    )


def audiences_named(*slugs):
    return list(Audience.objects.filter(slug__in=slugs))


def heading(text):
    return ("heading", {"text": text, "level": "h2", "anchor": ""})


def paragraph(html):
    return ("paragraph", html)


def bullets(items):
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def event_page(*, city="", audiences=(), date_changes=(), **fields):
    """An unsaved EventPage at `city` (venue city and territory) for these audiences."""
    if city:
        fields.setdefault("venue_city", city)
        fields.setdefault("territory", territory_of(city))
    page = EventPage(**fields)
    page.audiences = audiences_named(*audiences)
    page.date_changes = list(date_changes)
    return page
