"""The month grid of the agenda: a month as weeks of days, each day with the dates on it.

A full month shows about 55 dates over its 42 cells. The grid reads what it shows of them as
values (`GRID_FIELDS`), not as model instances: an `EventPage` instance costs more to make
than its row costs to read, and its URL is worked out by Wagtail's routing at each call. Each
date's URL is its event's path below the agenda, which holds every event it lists
(`EventIndexPage.event_pages`), added to the agenda's own URL, as Wagtail writes it (the
agenda's `get_url`, then the path quoted as Django's `reverse` quotes it). The month's cards
are the shared fragments of the lists (`{% shared_cards %}`), their full rows read only for the
cards the cache lacks.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from urllib.parse import quote

from cress_site.listing import PageItems
from events.choices import EventStatus
from events.formatting import local_days, month_label, start_time_label, weekday_names

# What the grid reads of each date (events/templatetags/agenda_tags.month_grid_weeks).
GRID_FIELDS = (
    "pk",
    "page_id",
    "start",
    "end",
    "cancelled",
    "page__title",
    "page__listing_title",
    "page__status",
    "page__all_day",
    "page__url_path",
)
# What Django's `reverse` leaves unquoted in a path (django.urls.resolvers).
_PATH_SAFE = "/~:@!$&'()*+,;="


@dataclass(frozen=True, slots=True)
class GridDate:
    """A date as the grid shows it: its times, the local days it takes place on, its event's
    title and URL, cancelled or not. The days and the time label are worked out once, when the
    date is read: the grid asks for them in each of its steps (days, cells, the month's list),
    and each asks Django to turn the times into local ones."""

    pk: int
    page_id: int  # its event's
    start: datetime
    end: datetime
    days: tuple  # local dates, from the first to the last
    start_time_label: str  # "14 h", "" for an all-day event
    title: str
    url: str
    all_day: bool
    is_cancelled: bool

    @classmethod
    def from_values(cls, row, url):
        start, all_day = row["start"], row["page__all_day"]
        return cls(
            pk=row["pk"],
            page_id=row["page_id"],
            start=start,
            end=row["end"],
            days=tuple(local_days(start, row["end"])),
            start_time_label=start_time_label(start, all_day),
            title=row["page__listing_title"] or row["page__title"],
            url=url,
            all_day=all_day,
            is_cancelled=row["cancelled"] or row["page__status"] == EventStatus.CANCELLED,
        )


def grid_dates(rows, agenda, request, read_url):
    """The `GridDate` of each of `rows` (`GRID_FIELDS` values), in their order. An event's URL
    is its path below `agenda` added to the agenda's URL; `read_url(url_path)` gives it for an
    event elsewhere, which the agenda does not list."""
    agenda_url = agenda.get_url(request)
    prefix = agenda.url_path
    dates = []
    for row in rows:
        path = row["page__url_path"]
        if agenda_url is not None and path.startswith(prefix):
            url = agenda_url + quote(path[len(prefix) :], safe=_PATH_SAFE)
        else:
            url = read_url(path)
        dates.append(GridDate.from_values(row, url))
    return dates


class MonthGrid:
    """A month as weeks of days, each day with the dates that take place on it (`dates`, with
    `pk`, `days`, and what `month_grid_weeks` shows); `load(ids)` reads the full rows of
    the month's cards the shared cache lacks."""

    def __init__(self, year, month, weeks, dates, today, load):
        self.year = year
        self.month = month
        self.load = load
        self.name = month_label(year, month)
        self.occurrences = dates
        by_day = {}
        for occurrence in dates:
            for day in occurrence.days:
                by_day.setdefault(day, []).append(occurrence)
        self.weeks = [
            [
                {
                    "date": day,
                    "in_month": day.month == month,
                    "is_today": day == today,
                    "occurrences": by_day.get(day, []),
                }
                for day in week
            ]
            for week in weeks
        ]
        self.weekdays = weekday_names()

    @cached_property
    def month_occurrences(self):
        """The dates that touch this month (the grid also shows its neighbours' days)."""
        return [
            occurrence
            for occurrence in self.occurrences
            if any(day.month == self.month for day in occurrence.days)
        ]

    @property
    def month_cards(self):
        """The month's dates for `{% shared_cards %}`: by id, their full rows read only for the
        cards not cached."""
        return PageItems([occurrence.pk for occurrence in self.month_occurrences], self.load)

    @property
    def of_name(self):
        """ "de juin 2027", "d'août 2027" (the French elision before a vowel)."""
        return f"d'{self.name}" if self.name[0] in "aeiouyéAEIOUYÉ" else f"de {self.name}"

    @property
    def count_text(self):
        count = len(self.month_occurrences)
        if not count:
            return f"Aucune date en {self.name}"
        return f"{count} date{'s' if count > 1 else ''} en {self.name}"
