"""The events calendar: information meetings, workshops, webinars… with registrations.

The models, from the ground up (each module imports only those listed before it), over
`events.choices` (the enumerations of kinds, statuses, formats and profiles, and the "is it full"
rule, which the iCalendar files, the structured data and the forms use without the models):
- `occurrence`: `EventOccurrence`, one date of an event as published;
- `registration`: `Registration`, a person registered for a date;
- `related`: `Audience`, and what an event page holds beside its fields (exceptions to the
  series, related pages);
- `series`: a series shown once, at its next date (the agenda list, the home page, a search
  result);
- `venue`: what the venue fields show ("Maison des associations, Caen");
- `event`: `EventPage`, with its routes (its calendar file, its registration pages);
- `index`: `EventIndexPage`, the calendar, and its month grid.

The modules `EventPage` needs for its routes and panels (views, forms, the registration
service, the iCalendar files, the structured data, the panels) import the submodules they use,
never this package, so that no import loop passes through it.
"""

from events.choices import (
    ACTIVE_STATUSES,
    ORGANISER,
    AttendanceMode,
    EventKind,
    EventStatus,
    RegistrationProfile,
    RegistrationStatus,
    is_full,
)
from events.models.event import EventPage
from events.models.index import GRID_YEARS, CalendarView, EventIndexPage
from events.models.occurrence import EventOccurrence
from events.models.registration import Registration, confirmed_count
from events.models.related import Audience, EventDateChange, EventRelatedPage
from events.models.series import next_occurrences_by_series, upcoming_listing
from events.month_grid import MonthGrid

__all__ = [
    "ACTIVE_STATUSES",
    "GRID_YEARS",
    "ORGANISER",
    "AttendanceMode",
    "Audience",
    "CalendarView",
    "EventDateChange",
    "EventIndexPage",
    "EventKind",
    "EventOccurrence",
    "EventPage",
    "EventRelatedPage",
    "EventStatus",
    "MonthGrid",
    "Registration",
    "RegistrationProfile",
    "RegistrationStatus",
    "confirmed_count",
    "is_full",
    "next_occurrences_by_series",
    "upcoming_listing",
]
