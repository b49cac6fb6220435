"""The calendar ("Agenda"): upcoming dates, the archive, a month grid and the feed, each
filtered by the same facets and search.

The calendar lists a different queryset of dates in each view: each request builds a
`CalendarView` (the view's name, dates and page size), which the listing mechanism
(`cress_site.listing.FilterableListingMixin.get_listing(base=…)`) lists with the calendar's
filters, search and annotations; nothing about the request is stored on the page object.
"""

import calendar
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import DurationField, ExpressionWrapper, F, Max
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone

from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path

from cress_site import cache as content_cache
from cress_site.facets import ChoiceFacet, FacetFilterSet, TermFacet, TerritoryFacet
from cress_site.models import BaseIndexPage, BasePage, Territory
from cress_site.visibility import public
from events.choices import AttendanceMode, EventKind
from events.formatting import month_label
from events.ical import feed_window_start, stored_feed_response
from events.models.event import EventPage
from events.models.occurrence import EVENTS, EventOccurrence
from events.models.registration import PLACES, confirmed_count, places_of
from events.models.related import Audience
from events.models.series import next_occurrences_by_series
from events.month_grid import GRID_FIELDS, MonthGrid, grid_dates
from events.recurrence import PARIS

MAX_MONTH_ITEMS = 1000  # a month grid is not paginated; this bounds it all the same
# The feed lists every date of its window (see events.ical.FEED_PAST_MONTHS); this bounds it
# all the same, far above what a calendar publishes (3,000 events over eight years: ~400).
MAX_FEED_ITEMS = 5000
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

    def get_facet_index_queryset(self):
        """Every listed date, latest first (the archive's order): the archive is counted and
        paged from the `FacetIndex`, the other views read only their window."""
        return self.occurrences(), ("-start", "-pk")

    # The views read their dates through the indexes on `start` and `end`, without the
    # subquery of the calendar's public pages (a scan of the page tree): the `FacetIndex` holds
    # the calendar's listed dates only, so its bitsets leave out whatever else they read.

    def upcoming_bits(self, index):
        """The bitset of the dates not over yet (`upcoming_window`)."""
        return index.bits_of(self.upcoming_window()[0])

    @staticmethod
    def upcoming_window():
        """(`dates`, `next_dates`, `event_of`): the ids of the dates not over yet, of each
        event's next date among them (what the list shows, `next_occurrences_by_series`), and
        the event of each of those next dates (`{date id: event id}`, whose places the list
        shows, `places_shown`).

        Read by the index on `end`, then kept in the shared cache for the content generation
        until the first of those dates ends: apart from a change of content, which starts a new
        generation, that is the only moment either list changes. The list, its filters and the
        archive read them at every request; the query with its subqueries costs about as much
        to build as to run."""
        scope = (content_cache.CONTENT, EVENTS)
        key = content_cache.shared_key("events-upcoming-window", scopes=scope)
        now = timezone.now()
        stored = cache.get(key) if settings.SHARED_CACHE_SECONDS else None
        if stored is not None and (stored[3] is None or now <= stored[3]):
            return stored[:3]
        upcoming = EventOccurrence.objects.filter(end__gte=now).order_by()
        rows = list(upcoming.values_list("pk", "end"))
        dates = [pk for pk, _end in rows]
        event_of = dict(
            next_occurrences_by_series(upcoming.filter(in_series=True))
            .order_by()
            .values_list("pk", "page_id")
        )
        next_dates = list(event_of)
        until = min((end for _pk, end in rows), default=None)
        if settings.SHARED_CACHE_SECONDS:
            timeout = settings.SHARED_CACHE_SECONDS
            if until is not None:
                timeout = min(timeout, int((until - now).total_seconds()) + 1)
            cache.set(key, (dates, next_dates, event_of, until), max(1, timeout))
        return dates, next_dates, event_of

    def places_shown(self, listing):
        """The scopes of the places the upcoming list's page `listing` shows: those of its
        events (`places_of`), read now, before the list reads its counts of registrations, so
        that a registration made meanwhile leaves the page out of date rather than cached as
        current (cress_site.cache). A registration for another event leaves the page in the
        page cache. None when the page's dates are not known by id (the whole of `PLACES`)."""
        ids = getattr(listing.items, "ids", None)
        if ids is None:
            return None
        event_of = self.upcoming_window()[2]
        if any(pk not in event_of for pk in ids):
            return None
        scopes = tuple(places_of(page_id) for page_id in sorted({event_of[pk] for pk in ids}))
        content_cache.generations(extra=scopes)
        return scopes

    def upcoming_view(self):
        """The upcoming events, a series once at its next date (with `later_dates`), soonest
        first: counted from the index, the next dates read among the dates to come."""

        def next_dates():
            return next_occurrences_by_series(
                EventOccurrence.objects.filter(in_series=True, end__gte=timezone.now())
            )

        return CalendarView(
            self,
            "upcoming",
            self.upcoming_series_queryset,
            within=lambda index: index.bits_of(self.upcoming_window()[1]),
            read_from=next_dates,
            reverse=True,
        )

    @staticmethod
    def longest_span():
        """The longest date of the calendar (an event lasts a month at most, a moved date may
        last longer), read once per content generation: a month grid reads the dates that start
        at most this long before it, through the index on `start`."""

        def read():
            span = ExpressionWrapper(F("end") - F("start"), output_field=DurationField())
            return EventOccurrence.objects.aggregate(span=Max(span))["span"] or timedelta(0)

        return content_cache.shared(
            "events-longest-span", read, scope=(content_cache.CONTENT, EVENTS)
        )

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
        view = view or self.upcoming_view()
        listing = view.get_listing(request)
        context.update(
            listing=listing,
            view=view.name,
            month_url=self.month_url(timezone.localdate()),
            feed_url=self.url + "agenda.ics",
        )
        if view.month is not None:
            context.update(self.month_context(request, listing, *view.month))
        if view.name == "upcoming":
            context["places_shown"] = self.places_shown(listing)
        return context

    @path("")
    def upcoming(self, request):
        response = self.render(request, view=self.upcoming_view())
        places = response.context_data.get("places_shown")
        if places is not None:
            # What the page shows of the registrations: its events' places, not every event's.
            response.cache_dependencies = (content_cache.CONTENT, EVENTS, *places)
        return response

    @path("archives/")
    def archive(self, request):
        def past():
            return self.occurrences().filter(end__lt=timezone.now()).order_by("-start", "-pk")

        # Counted and paged from the index: every date, less those not over yet.
        view = CalendarView(
            self, "archive", past, within=lambda index: index.all & ~self.upcoming_bits(index)
        )
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
        # The dates that touch the grid, by the index on `start`: those that start at most the
        # longest date's span before it.
        window = EventOccurrence.objects.filter(
            start__gte=grid_start - self.longest_span(), start__lt=grid_end, end__gte=grid_start
        ).order_by()

        def dates():
            return self.occurrences().filter(pk__in=window.values("pk")).order_by("start", "pk")

        view = CalendarView(
            self,
            "month",
            dates,
            per_page=MAX_MONTH_ITEMS,
            month=(year, month, weeks),
            within=lambda index: index.bits_of(window.values_list("pk", flat=True)),
            reverse=True,  # soonest first
        )
        return self.render(request, template="events/event_index_month.html", view=view)

    def month_context(self, request, listing, year, month, weeks):
        """The grid (`events.month_grid`), and links to the months before and after it (none
        beyond the months the grid shows)."""
        first = date(year, month, 1)
        # A page of the index (`PageItems`): the calendar has no other order than its own.
        items = listing.items
        # The grid's columns alone, as values; the month's cards come from the shared cache,
        # their rows read in full only for those it lacks.
        rows = EventOccurrence.objects.filter(pk__in=items.ids).values(*GRID_FIELDS)
        by_id = {row["pk"]: row for row in rows}

        def read_url(url_path):
            return EventPage.objects.get(url_path=url_path).get_url(request)

        def load(ids):
            # The cards' rows without the count of places the list annotates: the month's
            # cards show none (`set_status_label`).
            rows = EventOccurrence.objects.filter(pk__in=ids).order_by()
            return {row.pk: row for row in rows.select_related(*self.listing_select_related)}

        ordered = [by_id[pk] for pk in items.ids if pk in by_id]
        dates = grid_dates(ordered, self, request, read_url)
        context = {"month": MonthGrid(year, month, weeks, dates, timezone.localdate(), load=load)}
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
        """The events of the feed's window (the last months and every upcoming date), narrowed
        by the same filters as the list, as iCalendar: stored once per content generation and
        day, served with ETag and Last-Modified (events.ical.stored_feed_response)."""

        def listing():
            dates = self.occurrences().filter(end__gte=feed_window_start()).order_by("start", "pk")
            return CalendarView(self, "feed", dates, per_page=MAX_FEED_ITEMS).get_listing(request)

        # Stored by the values the filters clean (unknown ones left out), the search and the
        # page asked for (a page that does not exist is a 404, not stored).
        filters = self.listing_filterset(request.GET, queryset=EventOccurrence.objects.none())
        variant = (
            sorted(filters.params(filters.chosen()).items()),
            " ".join(request.GET.get("q", "").split()),
            request.GET.get("page", ""),
        )
        return stored_feed_response(self, request, listing, variant=variant)

    def month_url(self, day):
        return f"{self.url}{day.year:04d}/{day.month:02d}/"


class CalendarView:
    """One view of the calendar for one request: its name, the dates it lists (`dates`, a
    queryset of occurrences or a function that makes it when SQL reads it, see
    `FilterableListingMixin.get_listing`), how many per page and, for the month grid, (year, month,
    weeks).

    `get_listing()` lists its dates with the calendar's filters, search and annotations.
    """

    def __init__(
        self,
        calendar_page,
        name,
        dates,
        *,
        per_page=None,
        month=None,
        within=None,
        read_from=None,
        reverse=False,
    ):
        self.calendar_page = calendar_page
        self.name = name
        self.dates = dates
        self.per_page = per_page
        self.month = month
        self.within = within
        self.read_from = read_from
        self.reverse = reverse

    def get_listing(self, request):
        return self.calendar_page.get_listing(
            request,
            per_page=self.per_page,
            base=self.dates,
            within=self.within,
            read_from=self.read_from,
            reverse=self.reverse,
        )
