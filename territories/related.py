"""What the chamber did on a territory: the supported projects, the publications and the next
events of the territory and of the territories it contains, as their listings filter them
(cress_site.facets.TerritoryFacet: a département holds its EPCIs and communes, an EPCI its
communes, the region everything located). One query per family, whatever the number found.
"""

from dataclasses import dataclass

from django.db.models import Q

from cress_site import cache as content_cache
from cress_site.typography import date_label
from cress_site.visibility import public
from events.models import EventIndexPage, EventPage, upcoming_listing
from projects_showcase.models import ProjectIndexPage, ProjectPage
from publications.models import PublicationIndexPage, PublicationPage

LIMIT = 4


def within(field, place):
    """The condition on the territory `field` of a model for `place` and what it contains, as
    the listings' territory filter reads it."""
    if place.is_region:
        return Q(**{f"{field}__isnull": False})
    if place.is_departement:
        return Q(**{f"{field}_id": place.pk}) | Q(**{f"{field}__departement_id": place.pk})
    return Q(**{f"{field}_id": place.pk}) | Q(**{f"{field}__parent_id": place.pk})


@dataclass(frozen=True)
class Item:
    title: str
    url: str
    detail: str  # a date, a territory


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    items: tuple
    more: bool  # more than shown
    listing_url: str | None  # the listing filtered on the territory
    listing_label: str
    empty_text: str


def _listing_urls():
    urls = {}
    for key, model in (
        ("projects", ProjectIndexPage),
        ("publications", PublicationIndexPage),
        ("events", EventIndexPage),
    ):
        page = model.objects.live().public().order_by("path").first()
        urls[key] = page.get_url(None) if page else None
    return urls


def listing_urls():
    """The URL of each listing (None without one), once per content generation."""
    return content_cache.shared("territories:listings", _listing_urls, scope=content_cache.CONTENT)


def _filtered(url, place):
    return f"{url}?territoire={place.slug}" if url else None


def related_sections(place, request, limit=LIMIT):
    """The projects, publications and events of `place` (three queries)."""
    urls = listing_urls()
    projects = list(
        public(ProjectPage.objects.all(), request)
        .filter(within("territory", place))
        .select_related("territory")
        .order_by("-start_date", "-pk")[: limit + 1]
    )
    publication_ids = (
        public(PublicationPage.objects.all(), request)
        .filter(within("territory_links__territory", place))
        .values("pk")
    )
    publications = list(
        PublicationPage.objects.filter(pk__in=publication_ids).order_by("-publication_date", "-pk")[
            : limit + 1
        ]
    )
    events = public(EventPage.objects.all(), request).filter(within("territory", place))
    occurrences = list(upcoming_listing(events, limit=limit + 1))
    return (
        Section(
            "projets",
            "Projets accompagnés",
            tuple(
                Item(
                    project.title,
                    project.get_url(request),
                    project.territory.name if project.territory else "",
                )
                for project in projects[:limit]
            ),
            len(projects) > limit,
            _filtered(urls["projects"], place),
            "Tous les projets accompagnés de ce territoire",
            "Pas encore de projet accompagné présenté sur ce territoire.",
        ),
        Section(
            "publications",
            "Publications de l'observatoire",
            tuple(
                Item(
                    publication.title,
                    publication.get_url(request),
                    date_label(publication.publication_date, "F Y")
                    if publication.publication_date
                    else "",
                )
                for publication in publications[:limit]
            ),
            len(publications) > limit,
            _filtered(urls["publications"], place),
            "Toutes les publications sur ce territoire",
            "Pas encore de publication consacrée à ce territoire.",
        ),
        Section(
            "evenements",
            "Prochains événements",
            tuple(
                Item(
                    occurrence.page.title,
                    occurrence.page.get_url(request),
                    date_label(occurrence.start),
                )
                for occurrence in occurrences[:limit]
            ),
            len(occurrences) > limit,
            _filtered(urls["events"], place),
            "Tous les événements de ce territoire",
            "Pas d'événement prévu sur ce territoire pour le moment.",
        ),
    )
