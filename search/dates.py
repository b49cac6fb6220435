"""The date a search result shows, and whose year is the "annee" facet: one that means
something to the reader.

- a publication (or any page type that declares `search_date_field`, cress_site.searchable):
  that date, its publication date;
- an event: its next date, or, once it is over, its last date, marked as past. For a series,
  the next occurrence, never its first (past) one. The dates are those the agenda publishes
  (the event's occurrences: cancelled dates and dates removed from the series left out);
- a supported project: the period of the chamber's support, "Accompagné depuis septembre
  2008" (or "de … à …"), which is what its `start_date` means. It gives no year to the facet
  nor a date to the sort: a project supported since 2008 and still followed is not "of 2008",
  and the date of its page's last edit would tell the reader nothing about the project;
- any other page: no date (the date of its last publication is an editor's, not the reader's).

The events and projects apps are siblings of this one (none imports another): their models are
named here by their label, and their fields read through the ORM.
"""

from datetime import date, datetime

from django.db.models import Count, Max, Min, Q
from django.utils import timezone

EVENT_MODEL = "events.eventpage"
EVENT_OCCURRENCES = "occurrences"
PROJECT_MODEL = "projects_showcase.projectpage"


class DateState:
    DATE = ""  # a date of the item (a publication's)
    NEXT = "next"  # an event's next date
    PAST = "past"  # an event that is over: its last date
    SINCE = "since"  # a project supported since then
    PERIOD = "period"  # a project supported from `date` to `end`


def _day(value):
    if isinstance(value, datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def date_columns(model):
    """The columns `describe` needs from the model's own table."""
    label = model._meta.label_lower
    if label == EVENT_MODEL:
        return []
    if label == PROJECT_MODEL:
        return ["start_date", "end_date"]
    date_field = getattr(model, "search_date_field", None)
    return [date_field] if date_field else []


def set_date(model, hit, values):
    """Give `hit` its date from the `values` of `date_columns(model)`."""
    if not values:
        return
    if model._meta.label_lower == PROJECT_MODEL:
        start, end = values
        if start is not None:
            hit.date, hit.end = start, end
            hit.state = DateState.PERIOD if end else DateState.SINCE
        return
    day = values[0]
    if day is not None:
        hit.date = _day(day)
        hit.year = day.year
        hit.sort_date = hit.date


def add_event_dates(model, hits_by_id):
    """The next (else the last) published date of each event, in one query."""
    if model._meta.label_lower != EVENT_MODEL or not hits_by_id:
        return
    occurrence_model = model._meta.get_field(EVENT_OCCURRENCES).related_model
    now = timezone.now()
    rows = (
        occurrence_model.objects.filter(page_id__in=hits_by_id, in_series=True)
        .values("page_id")
        .annotate(
            next=Min("start", filter=Q(end__gte=now, cancelled=False)),
            last=Max("start", filter=Q(cancelled=False)),
            dates=Count("pk"),
        )
        .order_by()
    )
    for row in rows:
        hit = hits_by_id[row["page_id"]]
        when = row["next"] or row["last"]
        if when is None:  # every date cancelled
            continue
        hit.date = _day(when)
        hit.year = hit.date.year
        hit.sort_date = hit.date
        hit.state = DateState.NEXT if row["next"] else DateState.PAST
        hit.series = row["dates"] > 1


def sort_key(hit):
    """Most recent first once reversed; results without a date last."""
    value = hit.sort_date
    return (value is not None, value or date.min)
