"""The listings of the index pages (publications, events, projects) and of the site search.

Their filters are facets (cress_site.facets): `facet_listing()` turns the values chosen in a
`FacetFilterSet` and a page of the narrowed items into a `Listing`, what a template shows: the
facets with their counts, a chip for each active filter and the query strings that keep or
remove a filter.

`FilterableListingMixin` gives an index page its listing: its declared set of facets, plus
text search (`q`), sort (`tri`) and pagination (`page`), with a fixed number of SQL queries
whatever the number of items. The facet counts, the paginator's total and the years offered
come from a `FacetIndex` (cress_site.facets) kept per content generation: a render reads the
page of items it shows, by id, and does not count the catalogue again.
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from urllib.parse import urlencode

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404
from django.utils.functional import cached_property

from wagtail.search.utils import parse_query_string

from cress_site import cache as content_cache
from cress_site.facets import FacetFilterSet, FacetIndex
from cress_site.visibility import public

MAX_QUERY_LENGTH = 200


@dataclass
class ActiveFilter:
    param: str
    label: str
    value_label: str
    remove_url: str


@dataclass
class Listing:
    """What a template needs to show a filtered, paginated list and its facets."""

    facets: list
    page_obj: object
    params: dict = field(default_factory=dict)
    active: list = field(default_factory=list)
    sort: str = ""
    sort_options: list = field(default_factory=list)
    search_query: str = ""
    capped: bool = False  # the search found more matches than it keeps

    @property
    def options(self):
        """Each filter's options, by parameter."""
        return {facet.param: facet.options for facet in self.facets}

    @property
    def groups(self):
        """(facet, options) pairs, in the order the filters were declared."""
        return [(facet, facet.options) for facet in self.facets]

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


class IndexedItems:
    """The items of a listing counted by a `FacetIndex`, for Django's paginator: its length is
    the count, and a slice is read by `read(offset, limit)` (the items of one page)."""

    def __init__(self, total, read):
        self.total = total
        self.read = read

    def __len__(self):
        return self.total

    def __getitem__(self, key):
        if not isinstance(key, slice):
            raise TypeError("A page of the listing is read by slice.")
        start = key.start or 0
        stop = self.total if key.stop is None else min(key.stop, self.total)
        return self.read(start, max(0, stop - start))


class PageItems(Sequence):
    """One page of a listing read by id: its ids are known at once, its rows are read when
    first needed, with what the cards need (`load(ids)` gives `{pk: item}`). The cards kept in
    the shared cache need no row (`{% shared_cards %}` asks `load` for the missing ones only):
    a page whose cards are all cached reads no item."""

    def __init__(self, ids, load, read_values=None):
        self.ids = list(ids)
        self.load = load
        self.read_values = read_values

    @cached_property
    def rows(self):
        found = self.load(self.ids)
        return [found[pk] for pk in self.ids if pk in found]

    def values_of(self, name):
        """`{pk: value of the field name}` for the items of the page: from their rows when
        they were read, else in one query of that column alone (`read_values(ids, name)`), for
        what a template needs around cached cards (the month of a date, say)."""
        if "rows" in self.__dict__ or self.read_values is None:
            return {item.pk: getattr(item, name) for item in self.rows}
        return self.read_values(self.ids, name)

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, key):
        return self.rows[key]

    def __iter__(self):
        return iter(self.rows)


def facet_listing(filterset, base, chosen, page_obj, *, params, counts=None, **listing):
    """The `Listing` of `page_obj` (a page of `base` narrowed by `chosen`), whose query string
    is `params`: the facets of `filterset` counted on `base` (or `counts`, known already), and
    a chip for each chosen value, which removes it."""
    facets = filterset.facets(base, chosen, page_obj.paginator.count, counts)
    result = Listing(facets=facets, page_obj=page_obj, params=params, **listing)
    for facet in facets:
        for option in facet.options:
            if option.selected:
                result.active.append(
                    ActiveFilter(
                        param=facet.param,
                        label=facet.label,
                        value_label=option.label,
                        remove_url="?" + result.querystring(**{facet.param: None}),
                    )
                )
    return result


class FilterableListingMixin:
    """Filtering, facets, sorting, text search and pagination for an index page.

    Class attributes:
    - `listing_filterset`: a `FacetFilterSet` subclass (cress_site.facets), the filters offered.
    - `listing_model`: the page model listed; its live, public pages below this page.
    - `listing_per_page`: items per page.
    - `listing_sort_options`: {key: (label, ordering)}; the first key is the default sort.
    - `listing_select_related` / `listing_prefetch_related`: what each item's card needs.

    Query parameters: each filter's name, `q` (text search), `tri` (sort), `page`.
    """

    listing_filterset = FacetFilterSet
    listing_model = None
    listing_per_page = 12
    listing_sort_options = {}
    listing_select_related = ()
    listing_prefetch_related = ()

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

    def get_facet_index_queryset(self):
        """(queryset, ordering) of the `FacetIndex`: every item listed, in the default order."""
        sort_options = list(self.listing_sort_options.values())
        ordering = sort_options[0][1] if sort_options else ("pk",)
        return self.get_listing_base_queryset(), ordering

    def get_facet_index(self):
        """The `FacetIndex` of this listing, built once per content generation, and held in
        each process's memory for that generation (`cress_site.cache.held`): its ids and
        bitsets, and the map from id to bit it makes on first use, are read at every render of
        the listing."""

        def build():
            queryset, ordering = self.get_facet_index_queryset()
            return FacetIndex(self.listing_filterset(queryset=queryset), queryset, ordering)

        return content_cache.held(self._facet_index_key(), build, scope=self._index_scopes())

    def _facet_index_key(self):
        return f"facet-index:{type(self).__name__}:{self.pk}"

    def _index_scopes(self):
        """What the index holds (cress_site.cache): the pages the listing shows, not the
        places left, so that a registration does not build it again."""
        return content_cache.page_scopes(getattr(self, "cache_dependencies", content_cache.ALL))

    def _chosen_bits(self, index, filterset, chosen):
        """The bitset of each chosen value: from the index, or, for a value it does not hold (a
        commune reached by a link), read with the filter once per content generation."""
        bits = {}
        for name, value in chosen.items():
            facet_filter = filterset.filters[name]
            key = facet_filter.value_key(value)
            if facet_filter.indexed(value):
                bits[name] = index.value_bits(name, key)
                continue

            def read(facet_filter=facet_filter, value=value):
                queryset, _ordering = self.get_facet_index_queryset()
                return index.bits_of(
                    facet_filter.filter(queryset, value).values_list("pk", flat=True)
                )

            digest = hashlib.sha256(key.encode()).hexdigest()[:24]
            bits[name] = content_cache.shared(
                f"{self._facet_index_key()}:{name}:{digest}", read, scope=self._index_scopes()
            )
        return bits

    def _search_bits(self, index, search_query, parsed_query):
        """The bitset of the items matching a text search, searched once per content
        generation (kept in the search's own cache, so that random queries cannot push the
        pages out): the next page, a filter or a sort do not search again."""

        def search():
            queryset, _ordering = self.get_facet_index_queryset()
            matching = self.search_listing(queryset, parsed_query)
            return index.bits_of(matching.order_by().values_list("pk", flat=True))

        digest = hashlib.sha256(search_query.encode()).hexdigest()[:24]
        return content_cache.shared(
            f"{self._facet_index_key()}:search:{digest}",
            search,
            cache_alias="search",
            scope=self._index_scopes(),
        )

    def _with_card_data(self, queryset):
        """`queryset` with what each item's card needs."""
        if self.listing_select_related:
            queryset = queryset.select_related(*self.listing_select_related)
        if self.listing_prefetch_related:
            queryset = queryset.prefetch_related(*self.listing_prefetch_related)
        annotations = self.get_listing_annotations()
        if annotations:
            queryset = queryset.annotate(**annotations)
        return queryset

    def get_listing(
        self, request, per_page=None, base=None, within=None, read_from=None, reverse=False
    ):
        """The listing of `base` (else `get_listing_base_queryset()`) as `request` asks.

        Without `base`, or with `within` (a function of the `FacetIndex` that gives the bitset
        of `base`'s items), the counts come from the index and the page's items are read by id
        from `read_from` (by default the listed model's rows), in the index's order (`reverse`:
        the reverse order); otherwise SQL counts `base`.

        `base` and `read_from` may be querysets or functions that make them: a function is
        called only when SQL reads it (building a queryset with subqueries costs about as much
        as running it, and a page read from the index reads neither).
        """
        if base is None:
            base = self.get_listing_base_queryset
            within = within or (lambda index: index.all)
        search_query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]
        parsed = parse_query_string(search_query)[1] if search_query else None

        # The filters read the query string alone: they are applied to `base` below, when SQL
        # lists the items.
        filterset = self.listing_filterset(request.GET, queryset=self.listing_model.objects.none())
        chosen = filterset.chosen()
        sort_keys = list(self.listing_sort_options)
        default_sort = sort_keys[0] if sort_keys else ""
        sort = request.GET.get("tri", "")
        if sort not in self.listing_sort_options:
            sort = default_sort

        @cache  # the items and the SQL counts read the same search
        def searched():
            queryset = base() if callable(base) else base
            return self.search_listing(queryset, parsed) if search_query else queryset

        def filtered():
            queryset = filterset.narrow(searched(), chosen)
            if sort:
                queryset = queryset.order_by(*self.listing_sort_options[sort][1])
            return self._with_card_data(queryset)

        counts = None
        if within is None:
            items = filtered()
        else:
            index = self.get_facet_index()
            scope = within(index)
            if search_query:
                scope &= self._search_bits(index, search_query, parsed)
            counts, total, found = index.count(self._chosen_bits(index, filterset, chosen), scope)
            if sort == default_sort:
                # The page's items in the index's order, read by id (the index holds only
                # items the listing may show: no filter to apply again).
                def source():
                    if read_from is None:
                        return self.listing_model.objects
                    return read_from() if callable(read_from) else read_from

                def load(ids):
                    rows = self._with_card_data(source().filter(pk__in=ids).order_by())
                    return {item.pk: item for item in rows}

                def read_values(ids, name):
                    # A column of the listed model: read from its table alone.
                    rows = self.listing_model.objects.filter(pk__in=ids).order_by()
                    return dict(rows.values_list("pk", name))

                def read(offset, limit, found=found, index=index):
                    ids = index.page_ids(found, offset, limit, reverse=reverse)
                    return PageItems(ids, load, read_values)
            else:
                # Another order: the rows of the database, in that order.
                rows = filtered()

                def read(offset, limit, rows=rows):
                    return list(rows[offset : offset + limit])

            items = IndexedItems(total, read)

        paginator = Paginator(items, per_page or self.listing_per_page)
        try:
            page_obj = paginator.page(request.GET.get("page", "1"))
        except (PageNotAnInteger, EmptyPage) as error:
            raise Http404("Cette page de la liste n'existe pas.") from error

        params = filterset.params(chosen)
        if search_query:
            params["q"] = search_query
        if sort and sort != default_sort:
            params["tri"] = sort
        listing = facet_listing(
            filterset,
            searched() if counts is None else None,  # counted by SQL only without the index
            chosen,
            page_obj,
            params=params,
            sort=sort,
            sort_options=[
                (key, label) for key, (label, _ordering) in self.listing_sort_options.items()
            ],
            search_query=search_query,
            counts=counts,
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
