"""The listings of the index pages (publications, events, projects) and of the site search.

Their filters are facets (cress_site.facets): `facet_listing()` turns the values chosen in a
`FacetFilterSet` and a page of the narrowed items into a `Listing`, what a template shows: the
facets with their counts, a chip for each active filter and the query strings that keep or
remove a filter.

`FilterableListingMixin` gives an index page its listing: its declared set of facets, plus
text search (`q`), sort (`tri`) and pagination (`page`), with a fixed number of SQL queries
whatever the number of items.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404

from wagtail.search.utils import parse_query_string

from cress_site.facets import FacetFilterSet
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


def facet_listing(filterset, base, chosen, page_obj, *, params, **listing):
    """The `Listing` of `page_obj` (a page of `base` narrowed by `chosen`), whose query string
    is `params`: the facets of `filterset` counted on `base`, and a chip for each chosen value,
    which removes it."""
    facets = filterset.facets(base, chosen, page_obj.paginator.count)
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

    def get_listing(self, request, per_page=None, base=None):
        """The listing of `base` (else `get_listing_base_queryset()`) as `request` asks."""
        if base is None:
            base = self.get_listing_base_queryset()
        search_query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]
        if search_query:
            _filters, parsed = parse_query_string(search_query)
            base = self.search_listing(base, parsed)

        filterset = self.listing_filterset(request.GET, queryset=base)
        chosen = filterset.chosen()
        filtered = filterset.narrow(base, chosen)

        sort_keys = list(self.listing_sort_options)
        default_sort = sort_keys[0] if sort_keys else ""
        sort = request.GET.get("tri", "")
        if sort not in self.listing_sort_options:
            sort = default_sort
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
            base,
            chosen,
            page_obj,
            params=params,
            sort=sort,
            sort_options=[
                (key, label) for key, (label, _ordering) in self.listing_sort_options.items()
            ],
            search_query=search_query,
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
