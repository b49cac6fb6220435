"""The calendar ("Agenda"): upcoming dates, the archive, a month grid and the feed, each
filtered by the same facets and search.

The calendar lists a different queryset of dates in each view: each request builds a
`CalendarView` (the view's name, dates and page size), which the listing mechanism
(`cress_site.listing.FilterableListingMixin.get_listing(base=…)`) lists with the calendar's
filters, search and annotations; nothing about the request is stored on the page object.
"""

import calendar
from datetime import date, datetime, time, timedelta

from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.functional import cached_property

from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path

from cress_site import cache as content_cache
from cress_site.facets import ChoiceFacet, FacetFilterSet, TermFacet, TerritoryFacet
from cress_site.models import BaseIndexPage, BasePage, Territory
from cress_site.visibility import public
from events.choices import AttendanceMode, EventKind
from events.formatting import month_label, weekday_names
from events.ical import feed_response
from events.models.event import EventPage
from events.models.occurrence import EVENTS, EventOccurrence
from events.models.registration import PLACES, confirmed_count
from events.models.related import Audience
from events.models.series import next_occurrences_by_series
from events.recurrence import PARIS

MAX_MONTH_ITEMS = 1000  # a month grid is not paginated; this bounds it all the same
MAX_FEED_ITEMS = 1000
# The years the month grid shows; its links to the months before and after never go beyond.
GRID_YEARS = range(2000, 2101)


class EventFilters(FacetFilterSet):
    """The calendar's filters on its dates, named after their query-string parameters."""

    type = ChoiceFacet(
        "page__kind",
        label="Type d'événement",
        choices=EventKind.choices,
        all_label="Tous les types",
    )
    territoire = TerritoryFacet(
        "page__territory",
        label="Territoire",
        queryset=Territory.objects.all(),
        all_label="Tous les territoires",
    )
    public = TermFacet(
        "page__audiences",
        label="Public",
        queryset=Audience.objects.all(),
        all_label="Tous les publics",
    )
    format = ChoiceFacet(
        "page__attendance_mode",
        label="Format",
        choices=AttendanceMode.choices,
        all_label="Sur place et en ligne",
    )


class EventIndexPage(RoutablePageMixin, BaseIndexPage):
    """The calendar ("Agenda"): upcoming dates, a month grid, the archive and the feeds."""

    subpage_types = ["events.EventPage"]
    is_creatable = True

    listing_per_page = 15
    listing_sort_options = {}
    listing_select_related = ("page", "page__territory")
    listing_filterset = EventFilters
    # The events, and the places left that the list shows (cress_site.cache); the month grid,
    # the archive and the feed show no places.
    cache_dependencies = (content_cache.CONTENT, EVENTS, PLACES)
    routes_without_places = ("month", "archive", "feed")

    class Meta:
        verbose_name = "agenda"
        verbose_name_plural = "agendas"

    # -- the listing: what it lists, its filters, search and annotations --------------------

    @property
    def listing_model(self):
        return EventOccurrence

    def event_pages(self):
        return public(EventPage.objects.live().descendant_of(self), None)

    def occurrences(self):
        """Every listed date of the live events below this page (dates a series no longer has,
        kept for their registrations, are left out)."""
        return EventOccurrence.objects.filter(
            page__in=self.event_pages().values("pk"), in_series=True
        )

    def get_cache_dependencies(self, request):
        match = getattr(request, "routable_resolver_match", None)
        if match is not None and match.url_name in self.routes_without_places:
            return (content_cache.CONTENT, EVENTS)
        return self.cache_dependencies

    def get_listing_base_queryset(self):
        """The upcoming events (each view of the calendar lists its own, see `CalendarView`)."""
        return self.upcoming_series_queryset()

    def search_listing(self, base, parsed_query):
        matching = self.event_pages().search(parsed_query, order_by_relevance=False)
        return base.filter(page__in=matching.get_queryset().values("pk"))

    def get_listing_annotations(self):
        return {"confirmed_count": confirmed_count()}

    def upcoming_queryset(self):
        """Every upcoming date (the feed lists them all)."""
        return self.occurrences().filter(end__gte=timezone.now()).order_by("start", "pk")

    def upcoming_series_queryset(self):
        """The upcoming events, a series once at its next date with `later_dates` (the list)."""
        return next_occurrences_by_series(
            self.occurrences().filter(end__gte=timezone.now())
        ).order_by("start", "pk")

    # -- the views ---------------------------------------------------------------------------

    def get_context(self, request, *args, view=None, **kwargs):
        """The context of one view of the calendar (the upcoming dates when none is given, as
        in a preview)."""
        context = BasePage.get_context(self, request, *args, **kwargs)
        view = view or CalendarView(self, "upcoming", self.upcoming_series_queryset())
        listing = view.get_listing(request)
        context.update(
            listing=listing,
            view=view.name,
            month_url=self.month_url(timezone.localdate()),
            feed_url=self.url + "agenda.ics",
        )
        if view.month is not None:
            context.update(self.month_context(listing, *view.month))
        return context

    @path("")
    def upcoming(self, request):
        view = CalendarView(self, "upcoming", self.upcoming_series_queryset())
        return self.render(request, view=view)

    @path("archives/")
    def archive(self, request):
        past = self.occurrences().filter(end__lt=timezone.now()).order_by("-start", "-pk")
        view = CalendarView(self, "archive", past)
        return self.render(request, template="events/event_index_archive.html", view=view)

    @path("mois/")
    def this_month(self, request):
        query = request.META.get("QUERY_STRING", "")
        url = self.month_url(timezone.localdate())
        return redirect(f"{url}?{query}" if query else url)

    # ASCII digits only (`\d` also matches "٢٠٢٥").
    @re_path(r"^(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/$")
    def month(self, request, year, month):
        year, month = int(year), int(month)
        if not (1 <= month <= 12 and year in GRID_YEARS):
            raise Http404("Ce mois n'existe pas.")
        weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
        grid_start = datetime.combine(weeks[0][0], time.min, tzinfo=PARIS)
        grid_end = datetime.combine(weeks[-1][-1] + timedelta(days=1), time.min, tzinfo=PARIS)
        base = (
            self.occurrences()
            .filter(start__lt=grid_end, end__gte=grid_start)
            .order_by("start", "pk")
        )
        view = CalendarView(
            self, "month", base, per_page=MAX_MONTH_ITEMS, month=(year, month, weeks)
        )
        return self.render(request, template="events/event_index_month.html", view=view)

    def month_context(self, listing, year, month, weeks):
        """The grid, and links to the months before and after it (none beyond the months the
        grid shows)."""
        first = date(year, month, 1)
        context = {
            "month": MonthGrid(year, month, weeks, list(listing.items), timezone.localdate())
        }
        previous_month = (first - timedelta(days=1)).replace(day=1)
        if previous_month.year in GRID_YEARS:
            context["previous_month_url"] = self.month_url(previous_month)
            context["previous_month_label"] = month_label(previous_month.year, previous_month.month)
        next_month = (first + timedelta(days=32)).replace(day=1)
        if next_month.year in GRID_YEARS:
            context["next_month_url"] = self.month_url(next_month)
            context["next_month_label"] = month_label(next_month.year, next_month.month)
        return context

    @re_path(r"^agenda\.ics/?$")
    def feed(self, request):
        """The upcoming events, narrowed by the same filters as the list, as iCalendar."""
        view = CalendarView(self, "feed", self.upcoming_queryset(), per_page=MAX_FEED_ITEMS)
        return feed_response(self, request, view.get_listing(request))

    def month_url(self, day):
        return f"{self.url}{day.year:04d}/{day.month:02d}/"


class CalendarView:
    """One view of the calendar for one request: its name, the dates it lists (`dates`, a
    queryset of occurrences), how many per page and, for the month grid, (year, month, weeks).

    `get_listing()` lists its dates with the calendar's filters, search and annotations.
    """

    def __init__(self, calendar_page, name, dates, *, per_page=None, month=None):
        self.calendar_page = calendar_page
        self.name = name
        self.dates = dates
        self.per_page = per_page
        self.month = month

    def get_listing(self, request):
        return self.calendar_page.get_listing(request, per_page=self.per_page, base=self.dates)


class MonthGrid:
    """A month as weeks of days, each day with the occurrences that take place on it."""

    def __init__(self, year, month, weeks, occurrences, today):
        self.year = year
        self.month = month
        self.name = month_label(year, month)
        self.occurrences = occurrences
        by_day = {}
        for occurrence in occurrences:
            for day in occurrence.local_days():
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
        """The occurrences that touch this month (the grid also shows its neighbours' days)."""
        return [
            occurrence
            for occurrence in self.occurrences
            if any(day.month == self.month for day in occurrence.local_days())
        ]

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
