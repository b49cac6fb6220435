"""Dates, times and places of an event in French words, for pages, e-mails and the admin.

Pure functions of the values they are given (aware datetimes are shown in the current time
zone, Europe/Paris): the models expose them as properties the templates read. Month and day
names come from Django's French locale, never from a list of our own.
"""

from datetime import date, timedelta

from django.utils import timezone
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.formats import date_format

from cress_site import typography
from cress_site.typography import date_label as french_date

MAX_DAYS = 32  # an event lasts at most a month (EventPage.clean); this bounds a bad row too


def time_label(value):
    """A time the French way: "14 h", "9 h 30" (non-breaking spaces)."""
    return typography.time_label(value)


def month_label(year, month):
    """ "janvier 2027"."""
    return date_format(date(year, month, 1), "F Y")


def weekday_names():
    """The days of the week from Monday, as (abbreviation, name): ("lun.", "lundi")…"""
    return [(f"{WEEKDAYS_ABBR[day]}.", str(WEEKDAYS[day])) for day in range(7)]


def local_days(start, end):
    """The local dates from `start` to `end` (several for an event over several days)."""
    first = timezone.localtime(start).date()
    last = max(timezone.localtime(end).date(), first)
    count = min((last - first).days + 1, MAX_DAYS)
    return [first + timedelta(days=offset) for offset in range(count)]


def date_label(start, all_day):
    """ "mardi 5 janvier 2027 à 14 h" ("mardi 5 janvier 2027" for an all-day event)."""
    local = timezone.localtime(start)
    if all_day:
        return french_date(local, "l j F Y")
    return f"{french_date(local, 'l j F Y')} à {time_label(local)}"


def start_time_label(start, all_day):
    """ "14 h", or nothing for an all-day event."""
    return "" if all_day else time_label(timezone.localtime(start))


def when_label(start, end, all_day):
    """The whole date and time: "mardi 5 janvier 2027, de 14 h à 16 h 30", "du 5 au 6 juin
    2027"…"""
    start, end = timezone.localtime(start), timezone.localtime(end)
    same_day = start.date() == end.date()
    if all_day:
        if same_day:
            return french_date(start, "l j F Y")
        if start.year != end.year:
            return f"du {french_date(start, 'j F Y')} au {french_date(end, 'j F Y')}"
        if start.month != end.month:
            return f"du {french_date(start, 'j F')} au {french_date(end, 'j F Y')}"
        return f"du {french_date(start, 'j')} au {french_date(end, 'j F Y')}"
    if same_day:
        return f"{french_date(start, 'l j F Y')}, de {time_label(start)} à {time_label(end)}"
    return (
        f"du {french_date(start, 'l j F Y')} à {time_label(start)} "
        f"au {french_date(end, 'l j F Y')} à {time_label(end)}"
    )


def time_range_label(start, end, all_day):
    """The hours alone, for a list grouped by day: "14 h – 16 h 30", "Toute la journée" (the
    whole date and time for an event over several days)."""
    if len(local_days(start, end)) > 1:
        return when_label(start, end, all_day)
    if all_day:
        return "Toute la journée"
    start, end = timezone.localtime(start), timezone.localtime(end)
    return f"{time_label(start)} – {time_label(end)}"


def deadline_label(moment):
    """ "5 janvier 2027 à 14 h", "1er juin 2027 à 9 h 30", for when registrations close."""
    return typography.datetime_label(moment)


def places_left_label(left):
    """ "3 places restantes", or nothing when the number is unlimited (None) or zero."""
    if not left:
        return ""
    return f"{left} place{'s' if left > 1 else ''} restante{'s' if left > 1 else ''}"
