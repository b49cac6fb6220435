"""The site search: matches from the search backend, narrowed by facets, sorted and paged.

The backend gives the live, public pages of the site that match, best first (at most
MAX_MATCHES). For those, a fixed number of queries reads what the facets need — each page's
kind, territories (as départements), themes and year — so that the facet counts, the filtering
and the sort by date are done without one query per result.

Those matches are kept in the "search" cache for the content generation (cress_site.cache):
the next pages, sorts and facets of a search, and the same words searched again by someone
else, cost no full-text query until the content changes or SEARCH_CACHE_SECONDS pass.
"""

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator

from wagtail.models import Page
from wagtail.search.utils import parse_query_string

from cress_site import cache as content_cache
from cress_site.models import Territory, Theme
from cress_site.user_input import parse_int
from cress_site.visibility import public
from search.french import fold

MAX_MATCHES = 500
RESULTS_PER_PAGE = 10

KINDS = [
    ("publication", "Publications"),
    ("evenement", "Événements"),
    ("projet", "Projets accompagnés"),
    ("page", "Pages"),
]
SORTS = [("pertinence", "Pertinence"), ("date", "Date (plus récent d'abord)")]


@dataclass
class Hit:
    """What the facets and the sort know about one matching page."""

    page_id: int
    rank: int
    kind: str = "page"
    year: int | None = None
    date: object = None
    departements: set = field(default_factory=set)
    themes: set = field(default_factory=set)


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    param: str
    label: str
    all_label: str
    options: list


def _kind_models():
    from events.models import EventPage
    from projects_showcase.models import ProjectPage
    from publications.models import PublicationPage

    return {"publication": PublicationPage, "evenement": EventPage, "projet": ProjectPage}


def describe_hits(pages, departements):
    """Hits for `pages` (ordered by relevance), with their facet data; `departements` maps
    the départements' ids to their slugs."""
    from django.contrib.contenttypes.models import ContentType

    models = _kind_models()
    kind_by_content_type = {
        ContentType.objects.get_for_model(model).pk: kind for kind, model in models.items()
    }
    hits = {
        page.pk: Hit(
            page_id=page.pk,
            rank=rank,
            kind=kind_by_content_type.get(page.content_type_id, "page"),
            date=page.last_published_at,
            year=page.last_published_at.year if page.last_published_at else None,
        )
        for rank, page in enumerate(pages)
    }
    ids = {kind: [pk for pk, hit in hits.items() if hit.kind == kind] for kind in models}

    def departement_of(territory_id, territory_departement_id):
        return departements.get(territory_id) or departements.get(territory_departement_id)

    if ids["publication"]:
        from publications.models import PublicationPage, PublicationTerritory

        for pk, day in PublicationPage.objects.filter(pk__in=ids["publication"]).values_list(
            "pk", "publication_date"
        ):
            hits[pk].date, hits[pk].year = day, day.year
        for pk, slug in PublicationPage.themes.through.objects.filter(
            publicationpage_id__in=ids["publication"]
        ).values_list("publicationpage_id", "theme__slug"):
            hits[pk].themes.add(slug)
        for pk, territory, departement in PublicationTerritory.objects.filter(
            page_id__in=ids["publication"]
        ).values_list("page_id", "territory_id", "territory__departement_id"):
            slug = departement_of(territory, departement)
            if slug:
                hits[pk].departements.add(slug)
    if ids["evenement"]:
        from events.models import EventPage

        for pk, start, territory, departement in EventPage.objects.filter(
            pk__in=ids["evenement"]
        ).values_list("pk", "start", "territory_id", "territory__departement_id"):
            hits[pk].date, hits[pk].year = start.date(), start.year
            slug = departement_of(territory, departement)
            if slug:
                hits[pk].departements.add(slug)
    if ids["projet"]:
        from projects_showcase.models import ProjectPage

        for pk, start, territory, departement in ProjectPage.objects.filter(
            pk__in=ids["projet"]
        ).values_list("pk", "start_date", "territory_id", "territory__departement_id"):
            if start:
                hits[pk].date, hits[pk].year = start, start.year
            slug = departement_of(territory, departement)
            if slug:
                hits[pk].departements.add(slug)
        for pk, slug in ProjectPage.themes.through.objects.filter(
            projectpage_id__in=ids["projet"]
        ).values_list("projectpage_id", "theme__slug"):
            hits[pk].themes.add(slug)
    return list(hits.values())


# The values of each facet a hit has: one query-string value per option it belongs to.
FACET_VALUES = {
    "type": lambda hit: (hit.kind,),
    "territoire": lambda hit: hit.departements,
    "theme": lambda hit: hit.themes,
    "annee": lambda hit: (str(hit.year),) if hit.year else (),
}


@dataclass
class SearchOutcome:
    query: str
    hits_total: int
    facets: list
    page_obj: object
    sort: str
    params: dict
    capped: bool = False

    def querystring(self, **overrides):
        params = {**self.params, **overrides}
        return urlencode({k: v for k, v in params.items() if v not in (None, "")})

    @property
    def page_querystring(self):
        return self.querystring(page=None)

    @property
    def active_facets(self):
        active = []
        for facet in self.facets:
            for option in facet.options:
                if option.selected:
                    active.append(
                        {
                            "label": facet.label,
                            "value_label": option.label,
                            "remove_url": "?" + self.querystring(**{facet.param: None}, page=None),
                        }
                    )
        return active


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
        _filters, parsed = parse_query_string(query)
        pages = public(Page.objects.in_site(site), None)
        # What describe_hits reads, no more: up to MAX_MATCHES pages are built.
        pages = pages.only("pk", "content_type_id", "last_published_at")
        matches = list(pages.search(parsed)[:MAX_MATCHES])
        departements = content_cache.shared("search-facet-choices", _facet_choices)[0]
        hits = describe_hits(matches, {pk: slug for pk, slug, _name in departements})
        return hits, len(matches) >= MAX_MATCHES

    return content_cache.shared(
        _search_key(site, query),
        build,
        timeout=settings.SEARCH_CACHE_SECONDS,
        cache_alias="search",
    )


def run_search(request, site, query):
    """Search `query` on `site`, with the facets, sort and page asked in `request.GET`."""
    hits, capped = find_hits(site, query)
    departement_rows, themes = content_cache.shared("search-facet-choices", _facet_choices)
    departements = [(slug, name) for _pk, slug, name in departement_rows]
    years = sorted({hit.year for hit in hits if hit.year}, reverse=True)
    choices = {
        "type": KINDS,
        "territoire": departements,
        "theme": themes,
        "annee": [(str(year), str(year)) for year in years],
    }
    labels = {
        "type": ("Type de contenu", "Tous les types"),
        "territoire": ("Territoire", "Toute la Normandie"),
        "theme": ("Thème", "Tous les thèmes"),
        "annee": ("Année", "Toutes les années"),
    }
    selected = {}
    for param in FACET_VALUES:
        value = request.GET.get(param, "").strip()
        known = {option for option, _label in choices[param]}
        if value in known or (
            param == "annee" and parse_int(value, minimum=1000, maximum=9999) is not None
        ):
            selected[param] = value

    def narrowed(exclude=None):
        if not selected or set(selected) == {exclude}:
            return hits
        return [
            hit
            for hit in hits
            if all(
                value in FACET_VALUES[param](hit)
                for param, value in selected.items()
                if param != exclude
            )
        ]

    facets = []
    for param, options in choices.items():
        values_of = FACET_VALUES[param]
        counts = Counter(value for hit in narrowed(exclude=param) for value in values_of(hit))
        label, all_label = labels[param]
        facets.append(
            Facet(
                param=param,
                label=label,
                all_label=all_label,
                options=[
                    FacetOption(
                        value, option_label, counts.get(value, 0), selected.get(param) == value
                    )
                    for value, option_label in options
                    if counts.get(value) or selected.get(param) == value
                ],
            )
        )

    results = list(narrowed())
    sort = request.GET.get("tri", "")
    if sort not in dict(SORTS):
        sort = SORTS[0][0]
    if sort == "date":
        results.sort(key=lambda hit: (hit.date is not None, str(hit.date or "")), reverse=True)

    # An odd page number shows the nearest page of results rather than an error.
    page_obj = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))

    params = {"q": query, **selected}
    if sort != SORTS[0][0]:
        params["tri"] = sort
    return SearchOutcome(
        query=query,
        hits_total=len(results),
        facets=facets,
        page_obj=page_obj,
        sort=sort,
        params=params,
        capped=capped,
    )
