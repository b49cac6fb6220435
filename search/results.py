"""The site search: matches from the search backend, narrowed by facets, sorted and paged.

The backend gives the live, public pages of the site that match, best first (at most
MAX_MATCHES). For those, one query per page type reads what the facets need — each page's
kind, territories (as départements), themes and date — so that the facet counts, the filtering
and the sort by date are done without one query per result. What each page type contributes is
declared by its model (cress_site.searchable): a new page type needs no change here.

The facets are a `FacetFilterSet` (cress_site.facets), the mechanism of the index pages; here
its filters narrow and count the hits in memory rather than querysets.

Those matches are kept in the "search" cache for the content generation (cress_site.cache):
the next pages, sorts and facets of a search, and the same words searched again by someone
else, cost no full-text query until the content changes or SEARCH_CACHE_SECONDS pass.
"""

import hashlib
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator

from wagtail.models import Page

from cress_site import cache as content_cache
from cress_site.facets import FacetFilter, FacetFilterSet
from cress_site.listing import facet_listing
from cress_site.models import Territory, Theme
from cress_site.searchable import PAGE_KIND, search_contributors, search_kinds
from cress_site.user_input import parse_int
from cress_site.visibility import public
from search import dates
from search.french import fold
from search.vocabulary import searched_query, vocabulary

MAX_MATCHES = 500
RESULTS_PER_PAGE = 10

SORTS = [("pertinence", "Pertinence"), ("date", "Date (plus récent d'abord)")]


@dataclass
class Hit:
    """What the facets and the sort know about one matching page."""

    page_id: int
    rank: int
    kind: str = PAGE_KIND.value
    year: int | None = None
    date: object = None  # what the result shows (search.dates)
    state: str = ""  # what the date is: cress_site.searchable.DateState
    end: object = None  # the end of a period
    series: bool = False  # an event with several dates
    sort_date: object = None  # for the sort by date; None: last
    departements: set = field(default_factory=set)
    themes: set = field(default_factory=set)


def describe_hits(pages, departements):
    """Hits for `pages` (ordered by relevance), with their facet data; `departements` maps
    the départements' ids to their slugs."""
    contributors = search_contributors()
    kind_by_content_type = {
        content_type.pk: model.search_kind.value
        for model, content_type in ContentType.objects.get_for_models(*contributors).items()
    }
    hits = {
        page.pk: Hit(
            page_id=page.pk,
            rank=rank,
            kind=kind_by_content_type.get(page.content_type_id, PAGE_KIND.value),
        )
        for rank, page in enumerate(pages)
    }
    for model in contributors:
        ids = [pk for pk, hit in hits.items() if hit.kind == model.search_kind.value]
        if ids:
            _describe(model, ids, hits, departements)
    return list(hits.values())


def _describe(model, ids, hits, departements):
    """Adds the date (search.dates), départements and themes `model` declares to its `hits`
    (one query: one row per territory and theme of each page; one more for events' dates)."""
    date_fields = dates.date_columns(model)
    territory_field = getattr(model, "search_territory_field", None)
    theme_field = getattr(model, "search_theme_field", None)
    columns = ["pk", *date_fields]
    if territory_field:
        columns += [territory_field, f"{territory_field}__departement"]
    if theme_field:
        columns.append(f"{theme_field}__slug")
    for row in model.objects.filter(pk__in=ids).values_list(*columns):
        hit, values = hits[row[0]], list(row[1:])
        if date_fields:
            dates.set_date(model, hit, [values.pop(0) for _field in date_fields])
        if territory_field:
            territory, departement = values.pop(0), values.pop(0)
            slug = departements.get(territory) or departements.get(departement)
            if slug:
                hit.departements.add(slug)
        if theme_field:
            theme = values.pop(0)
            if theme:
                hit.themes.add(theme)
    dates.add_dates(model, {pk: hits[pk] for pk in ids})


class HitFacet(FacetFilter):
    """A facet of the hits: `values_of(hit)` gives the values a hit has, `choices()` the
    (value, label) pairs offered; only the options some hits have are shown."""

    hide_empty = True

    def __init__(self, *, values_of, choices=None, **kwargs):
        super().__init__(**kwargs)
        self.values_of = values_of
        self.choices = choices

    def clean_value(self, value):
        return value if value in dict(self.choices()) else None

    def options(self, counts):
        return self.choices()

    def filter(self, hits, value):
        return [hit for hit in hits if value in self.values_of(hit)]

    def counts(self, hits):
        return Counter(value for hit in hits for value in self.values_of(hit))


class HitYearFacet(HitFacet):
    """The year of the hits' dates; the options are the years some hits have."""

    def clean_value(self, value):
        year = parse_int(value, minimum=1000, maximum=9999)
        return None if year is None else str(year)

    def options(self, counts):
        return [(year, year) for year in sorted(counts, key=int, reverse=True)]


def _facet_choices():
    """The départements (id, slug, name) and the themes (slug, name) the facets offer."""
    departements = list(
        Territory.objects.filter(kind=Territory.Kind.DEPARTEMENT)
        .order_by("name")
        .values_list("pk", "slug", "name")
    )
    themes = list(Theme.objects.order_by("name").values_list("slug", "name"))
    return departements, themes


def _search_key(site, query):
    """The same words, whatever their accents, case and spacing, share their matches."""
    words = " ".join(fold(query).split())
    return f"search:{site.pk}:{hashlib.sha256(words.encode()).hexdigest()}"


def find_hits(site, query):
    """The live, public pages of `site` matching `query` (best first, at most MAX_MATCHES) as
    hits with their facet data, and whether the cap was reached; kept for the content
    generation in the "search" cache."""

    def build():
        parsed = searched_query(query, vocabulary(site))
        pages = public(Page.objects.in_site(site), None)
        # What describe_hits reads, no more: up to MAX_MATCHES pages are built.
        pages = pages.only("pk", "content_type_id", "last_published_at")
        matches = list(pages.search(parsed)[:MAX_MATCHES])
        departements = content_cache.shared(
            "search-facet-choices", _facet_choices, scope=content_cache.CONTENT
        )[0]
        hits = describe_hits(matches, {pk: slug for pk, slug, _name in departements})
        return hits, len(matches) >= MAX_MATCHES

    return content_cache.shared(
        _search_key(site, query),
        build,
        timeout=settings.SEARCH_CACHE_SECONDS,
        cache_alias="search",
        # Every page, but never the places left: registrations do not empty it.
        scope=content_cache.PAGES,
    )


def _facet_choices_cached():
    return content_cache.shared("search-facet-choices", _facet_choices, scope=content_cache.CONTENT)


def _kind_choices():
    return [(kind.value, kind.label) for kind in search_kinds()]


def _departement_choices():
    departements = content_cache.shared(
        "search-facet-choices", _facet_choices, scope=content_cache.CONTENT
    )[0]
    return [(slug, name) for _pk, slug, name in departements]


def _theme_choices():
    return content_cache.shared(
        "search-facet-choices", _facet_choices, scope=content_cache.CONTENT
    )[1]


class SearchFilters(FacetFilterSet):
    """The facets of the search's results, named after their query-string parameters."""

    type = HitFacet(
        label="Type de contenu",
        all_label="Tous les types",
        values_of=lambda hit: (hit.kind,),
        choices=_kind_choices,
    )
    territoire = HitFacet(
        label="Territoire",
        all_label="Toute la Normandie",
        values_of=lambda hit: hit.departements,
        choices=_departement_choices,
    )
    theme = HitFacet(
        label="Thème",
        all_label="Tous les thèmes",
        values_of=lambda hit: hit.themes,
        choices=_theme_choices,
    )
    annee = HitYearFacet(
        label="Année",
        all_label="Toutes les années",
        values_of=lambda hit: (str(hit.year),) if hit.year else (),
    )


def run_search(request, site, query):
    """Search `query` on `site`, with the facets, sort and page asked in `request.GET`, as a
    `Listing` (cress_site.listing) of hits."""
    hits, capped = find_hits(site, query)
    # The hits are narrowed in memory; the queryset only names the model they stand for.
    filterset = SearchFilters(request.GET, queryset=Page.objects.none())
    chosen = filterset.chosen()
    results = list(filterset.narrow(hits, chosen))
    sort = request.GET.get("tri", "")
    if sort not in dict(SORTS):
        sort = SORTS[0][0]
    if sort == "date":
        results.sort(key=dates.sort_key, reverse=True)

    # An odd page number shows the nearest page of results rather than an error.
    page_obj = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))

    params = {"q": query, **filterset.params(chosen)}
    if sort != SORTS[0][0]:
        params["tri"] = sort
    return facet_listing(
        filterset,
        hits,
        chosen,
        page_obj,
        params=params,
        sort=sort,
        sort_options=SORTS,
        search_query=query,
        capped=capped,
    )


def kind_labels():
    """How a result of each kind is named, by the kind's value."""
    return {kind.value: kind.result_label for kind in search_kinds()}
