"""The listing mechanism shared by the index pages (publications, events, projects).

An index page mixes in `FilterableListingMixin` and declares its filters: each is a
`ListingFilter` bound to one query-string parameter. The mixin reads the query string, ignores
values it does not know, narrows the queryset, counts what each filter value would give (facets),
sorts, searches and paginates — with a fixed number of SQL queries whatever the number of items.
"""

import hashlib
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Case, Count, F, Q, When
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.utils.functional import cached_property

from wagtail.search.utils import parse_query_string

from cress_site import cache as content_cache
from cress_site.user_input import parse_int
from cress_site.visibility import public

MAX_QUERY_LENGTH = 200


@dataclass
class FilterOption:
    value: str
    label: str
    count: int = 0
    selected: bool = False


class ListingFilter:
    """One filter: a query-string parameter, its options, and how it narrows a queryset.

    Subclasses implement `get_options()` (the values a person can choose, as (value, label)),
    `apply(queryset, value)` and `count(queryset)` (items per value, as a dict).
    """

    def __init__(self, param, label, *, all_label="Tous"):
        self.param = param
        self.label = label
        self.all_label = all_label

    def get_options(self):
        raise NotImplementedError

    @cached_property
    def options(self):
        return self.get_options()

    def is_valid(self, value):
        return value in {option_value for option_value, _label in self.options}

    def value_label(self, value):
        """How a valid value that is not among the options is named."""
        return value

    def apply(self, queryset, value):
        raise NotImplementedError

    def count(self, queryset):
        raise NotImplementedError


class ChoiceFilter(ListingFilter):
    """A filter on a model field with fixed choices (a TextChoices field)."""

    def __init__(self, param, label, *, field_name, choices, **kwargs):
        super().__init__(param, label, **kwargs)
        self.field_name = field_name
        self.choices = list(choices)

    def get_options(self):
        return self.choices

    def apply(self, queryset, value):
        return queryset.filter(**{self.field_name: value})

    def count(self, queryset):
        rows = queryset.order_by().values(self.field_name).annotate(n=Count("pk"))
        return {row[self.field_name]: row["n"] for row in rows}


class RelatedFilter(ListingFilter):
    """A filter on a many-to-many relation, chosen by the related object's slug."""

    def __init__(self, param, label, *, field_name, related_queryset, **kwargs):
        super().__init__(param, label, **kwargs)
        self.field_name = field_name
        self.related_queryset = related_queryset

    def get_options(self):
        # Taxonomy terms change rarely, and a change starts a new content generation.
        key = hashlib.sha256(str(self.related_queryset.query).encode()).hexdigest()[:16]
        return content_cache.shared(
            f"filter-options:{key}",
            lambda: [(item.slug, str(item)) for item in self.related_queryset.all()],
        )

    def apply(self, queryset, value):
        return queryset.filter(**{f"{self.field_name}__slug": value})

    def count(self, queryset):
        key = f"{self.field_name}__slug"
        rows = (
            queryset.order_by()
            .filter(**{f"{key}__isnull": False})
            .values(key)
            .annotate(n=Count("pk", distinct=True))
        )
        return {row[key]: row["n"] for row in rows}


class TerritoryFilter(ListingFilter):
    """A filter on the territory taxonomy: a département also finds what its communes and
    intercommunalités have, the region finds everything located in Normandy.

    The options offered are the region and its départements; any other territory can still be
    reached by its slug (from a link on a detail page).
    """

    def __init__(self, param, label, *, field_name, **kwargs):
        super().__init__(param, label, **kwargs)
        self.field_name = field_name

    def _territories(self):
        from cress_site.models import Territory

        region_first = Case(When(kind=Territory.Kind.REGION, then=0), default=1)
        return Territory.objects.filter(
            kind__in=[Territory.Kind.REGION, Territory.Kind.DEPARTEMENT]
        ).order_by(region_first, "name")

    def get_options(self):
        return content_cache.shared("filter-options:territories", self._build_options)

    def _build_options(self):
        from cress_site.models import Territory

        options = []
        for territory in self._territories():
            label = territory.name
            if territory.kind == Territory.Kind.REGION:
                label = f"{territory.name} (toute la région)"
            options.append((territory.slug, label))
        return options

    def resolve(self, value):
        from cress_site.models import Territory

        resolved = getattr(self, "_resolved", None)
        if resolved is not None and resolved.slug == value:
            return resolved
        # A territory is found once per content generation (saving one starts a new one); an
        # unknown slug is looked up each time, and not kept.
        key = hashlib.sha256(value.encode()).hexdigest()[:24]
        return content_cache.shared(
            f"territory:{key}", lambda: Territory.objects.filter(slug=value).first()
        )

    def apply(self, queryset, value):
        from cress_site.models import Territory

        territory = self.resolve(value)
        if territory is None:
            return queryset
        prefix = self.field_name
        if territory.kind == Territory.Kind.REGION:
            condition = Q(**{f"{prefix}__isnull": False})
        elif territory.kind == Territory.Kind.DEPARTEMENT:
            condition = Q(**{prefix: territory}) | Q(**{f"{prefix}__departement": territory})
        elif territory.kind == Territory.Kind.EPCI:
            condition = Q(**{prefix: territory}) | Q(**{f"{prefix}__parent": territory})
        else:
            condition = Q(**{prefix: territory})
        return queryset.filter(pk__in=queryset.filter(condition).values("pk"))

    def is_valid(self, value):
        self._resolved = self.resolve(value)
        return self._resolved is not None

    def value_label(self, value):
        territory = self.resolve(value)
        return territory.name if territory is not None else value

    def count(self, queryset):
        """Items per département (through their own territories), and the region's total."""
        from cress_site.models import Territory

        prefix = self.field_name
        located = queryset.order_by().filter(**{f"{prefix}__isnull": False})
        departement_slug = Case(
            When(**{f"{prefix}__kind": Territory.Kind.DEPARTEMENT}, then=F(f"{prefix}__slug")),
            default=F(f"{prefix}__departement__slug"),
        )
        rows = (
            located.annotate(listing_departement=departement_slug)
            .values("listing_departement")
            .annotate(n=Count("pk", distinct=True))
        )
        counts = {row["listing_departement"]: row["n"] for row in rows}
        region_total = located.aggregate(n=Count("pk", distinct=True))["n"]
        for slug, label in self.options:
            if label.endswith("(toute la région)"):
                counts[slug] = region_total
        return counts


class YearFilter(ListingFilter):
    """A filter on the year of a date field; the options are the years that have items."""

    def __init__(self, param, label, *, field_name, **kwargs):
        super().__init__(param, label, **kwargs)
        self.field_name = field_name
        self._years = []

    def get_options(self):
        return [(str(year), str(year)) for year in self._years]

    @property
    def options(self):  # known only once `count` has run
        return self.get_options()

    def apply(self, queryset, value):
        return queryset.filter(**{f"{self.field_name}__year": parse_int(value)})

    def count(self, queryset):
        rows = (
            queryset.order_by()
            .annotate(listing_year=ExtractYear(self.field_name))
            .values("listing_year")
            .annotate(n=Count("pk"))
        )
        counts = {str(row["listing_year"]): row["n"] for row in rows if row["listing_year"]}
        self._years = sorted((int(year) for year in counts), reverse=True)
        return counts

    def is_valid(self, value):
        return parse_int(value, minimum=1900, maximum=2200) is not None


@dataclass
class ActiveFilter:
    param: str
    label: str
    value_label: str
    remove_url: str


@dataclass
class Listing:
    """What an index page's template needs to show a filtered, paginated list."""

    filters: list
    options: dict
    active: list
    page_obj: object
    sort: str
    sort_options: list
    search_query: str
    params: dict = field(default_factory=dict)

    @property
    def groups(self):
        """(filter, options) pairs, in the order the filters were declared."""
        return [(f, self.options[f.param]) for f in self.filters]

    @property
    def items(self):
        return self.page_obj.object_list

    @property
    def total(self):
        return self.page_obj.paginator.count

    @property
    def is_filtered(self):
        return bool(self.active) or bool(self.search_query)

    @property
    def clear_url(self):
        return "?"

    def querystring(self, **overrides):
        """The current parameters with `overrides` applied (None removes one), URL-encoded."""
        params = {**self.params, **overrides}
        return urlencode({k: v for k, v in params.items() if v not in (None, "")})

    @property
    def page_querystring(self):
        """The current parameters without the page number, for pagination links."""
        return self.querystring(page=None)


class FilterableListingMixin:
    """Filtering, facets, sorting, text search and pagination for an index page.

    Class attributes:
    - `listing_model`: the page model listed; its live, public pages below this page.
    - `listing_per_page`: items per page.
    - `listing_sort_options`: {key: (label, ordering)}; the first key is the default sort.
    - `listing_select_related` / `listing_prefetch_related`: what each item's card needs.

    Subclasses implement `get_listing_filters()` returning `ListingFilter` instances.
    Query parameters: each filter's `param`, `q` (text search), `tri` (sort), `page`.
    """

    listing_model = None
    listing_per_page = 12
    listing_sort_options = {}
    listing_select_related = ()
    listing_prefetch_related = ()

    def get_listing_filters(self):
        return []

    def get_listing_base_queryset(self):
        # The view restrictions from the shared cache (cress_site.visibility), not read again.
        return public(self.listing_model.objects.live().descendant_of(self), None)

    def search_listing(self, base, parsed_query):
        """`base` narrowed to the items matching a parsed text query."""
        matching = base.search(parsed_query, order_by_relevance=False).get_queryset()
        return base.filter(pk__in=matching.values("pk"))

    def get_listing_annotations(self):
        """Annotations each listed item needs (applied after filtering and counting)."""
        return {}

    def get_listing(self, request, per_page=None):
        filters = self.get_listing_filters()
        base = self.get_listing_base_queryset()

        search_query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]
        if search_query:
            _filters, parsed = parse_query_string(search_query)
            base = self.search_listing(base, parsed)

        # Keep only values this listing knows; anything else is ignored.
        known = {}
        for listing_filter in filters:
            value = request.GET.get(listing_filter.param, "").strip()
            if value and listing_filter.is_valid(value):
                known[listing_filter.param] = value

        filtered = base
        for listing_filter in filters:
            if listing_filter.param in known:
                filtered = listing_filter.apply(filtered, known[listing_filter.param])

        # Facets: what each value would give, with every *other* filter applied.
        options = {}
        unoffered = []
        for listing_filter in filters:
            others = base
            for other in filters:
                if other is not listing_filter and other.param in known:
                    others = other.apply(others, known[other.param])
            counts = listing_filter.count(others)
            choices = list(listing_filter.options)
            chosen = known.get(listing_filter.param)
            if chosen is not None and chosen not in {value for value, _label in choices}:
                # A valid value the form does not offer (a commune reached by a link): offer it
                # too, so that the form keeps it and the chip names it.
                choices.append((chosen, listing_filter.value_label(chosen)))
                # Its count, every filter applied, is the listing's total: set once paginated.
                unoffered.append(listing_filter.param)
            options[listing_filter.param] = [
                FilterOption(
                    value=value,
                    label=label,
                    count=counts.get(value, 0),
                    selected=chosen == value,
                )
                for value, label in choices
            ]

        sort_keys = list(self.listing_sort_options)
        sort = request.GET.get("tri", "")
        if sort not in self.listing_sort_options:
            sort = sort_keys[0] if sort_keys else ""
        if sort:
            filtered = filtered.order_by(*self.listing_sort_options[sort][1])
        if self.listing_select_related:
            filtered = filtered.select_related(*self.listing_select_related)
        if self.listing_prefetch_related:
            filtered = filtered.prefetch_related(*self.listing_prefetch_related)
        annotations = self.get_listing_annotations()
        if annotations:
            filtered = filtered.annotate(**annotations)

        paginator = Paginator(filtered, per_page or self.listing_per_page)
        page_number = request.GET.get("page", "1")
        try:
            page_obj = paginator.page(page_number)
        except (PageNotAnInteger, EmptyPage) as error:
            raise Http404("Cette page de la liste n'existe pas.") from error
        for param in unoffered:
            for option in options[param]:
                if option.selected:
                    option.count = paginator.count

        params = {**known}
        if search_query:
            params["q"] = search_query
        if sort and sort != (sort_keys[0] if sort_keys else ""):
            params["tri"] = sort

        listing = Listing(
            filters=filters,
            options=options,
            active=[],
            page_obj=page_obj,
            sort=sort,
            sort_options=[
                (key, label) for key, (label, _ordering) in self.listing_sort_options.items()
            ],
            search_query=search_query,
            params=params,
        )
        for listing_filter in filters:
            if listing_filter.param in known:
                value = known[listing_filter.param]
                value_label = next(
                    (o.label for o in options[listing_filter.param] if o.value == value), value
                )
                listing.active.append(
                    ActiveFilter(
                        param=listing_filter.param,
                        label=listing_filter.label,
                        value_label=value_label,
                        remove_url="?" + listing.querystring(**{listing_filter.param: None}),
                    )
                )
        if search_query:
            listing.active.append(
                ActiveFilter(
                    param="q",
                    label="Recherche",
                    value_label=f"« {search_query} »",
                    remove_url="?" + listing.querystring(q=None),
                )
            )
        return listing

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["listing"] = self.get_listing(request)
        return context
