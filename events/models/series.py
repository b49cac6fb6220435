"""A series shown once: each event's next date, and how many more it has.

The agenda list and the home page's "prochaines réunions" list events, not dates: a monthly
meeting appears once, at its next date, with the number of its other upcoming dates and a link
to them on its page. Each is one SQL query whatever the number of events or dates (correlated
subqueries, no loop); the month grid and the feeds still list every date. A search result
for an event shows its next date too (`EventResultDates`).
"""

from django.db.models import Count, IntegerField, Max, Min, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from cress_site.searchable import DateState, ResultDates, give_date
from events.models.occurrence import EventOccurrence
from events.models.registration import confirmed_count


def next_occurrences_by_series(occurrences):
    """Of `occurrences` (a queryset of dates), each event's next one: its first date not
    cancelled, or its first date when all are cancelled (a cancelled one-off event still shows,
    as cancelled). Annotated with `later_dates`, the number of its other dates in `occurrences`
    after that one and not cancelled. Not ordered."""
    first = (
        occurrences.filter(page=OuterRef("page"))
        .order_by("cancelled", "start", "pk")
        .values("pk")[:1]
    )
    later = (
        occurrences.filter(page=OuterRef("page"), cancelled=False, start__gt=OuterRef("start"))
        .order_by()
        .values("page")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return occurrences.filter(pk=Subquery(first)).annotate(
        later_dates=Coalesce(Subquery(later, output_field=IntegerField()), Value(0))
    )


def upcoming_listing(event_pages, *, limit=None, include_cancelled=False):
    """The next date of each event among `event_pages` (a queryset of live, public event
    pages), soonest first, one line per event: what the home page's "prochaines réunions"
    shows. Each item is an `EventOccurrence` with its `page` (and territory), `confirmed_count`
    (places taken) and `later_dates` (its other upcoming dates). One query.

    Cancelled dates are left out unless `include_cancelled`.
    """
    dates = EventOccurrence.objects.filter(
        page__in=event_pages.values("pk"), in_series=True, end__gte=timezone.now()
    )
    if not include_cancelled:
        dates = dates.filter(cancelled=False)
    listing = (
        next_occurrences_by_series(dates)
        .select_related("page", "page__territory")
        .annotate(confirmed_count=confirmed_count())
        .order_by("start", "pk")
    )
    return listing[:limit] if limit else listing


class EventResultDates(ResultDates):
    """A search result's date for an event: its next date, or, once it is over, its last date,
    marked as past; for a series, the next occurrence, never its first (past) one. The dates
    are those the agenda publishes (cancelled dates and dates removed from the series left
    out), read in one query for all the events found."""

    def add_dates(self, model, hits_by_id):
        now = timezone.now()
        rows = (
            EventOccurrence.objects.filter(page_id__in=hits_by_id, in_series=True)
            .values("page_id")
            .annotate(
                next=Min("start", filter=Q(end__gte=now, cancelled=False)),
                last=Max("start", filter=Q(cancelled=False)),
                dates=Count("pk"),
            )
            .order_by()
        )
        for row in rows:
            when = row["next"] or row["last"]
            if when is None:  # every date cancelled
                continue
            hit = hits_by_id[row["page_id"]]
            give_date(hit, when, DateState.NEXT if row["next"] else DateState.PAST)
            hit.series = row["dates"] > 1
