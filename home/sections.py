"""What the home page shows by itself: the latest studies, the map and a few supported projects,
the next meetings, and where its buttons lead.

Each section is read in a fixed number of queries, whatever the number of publications, events
or projects (tests/cress_site/test_query_budgets.py names them). Only what the public may see
is shown (cress_site.visibility), a study's cover included: a cover is never more public than
its document.
"""

from dataclasses import dataclass
from functools import cache

from django.db.models import prefetch_related_objects

from wagtail.models import Page

from cress_site import cache as content_cache
from cress_site.visibility import public, public_pages
from events.models import EventIndexPage, EventPage, upcoming_listing
from projects_showcase.counts import projects_per_departement
from projects_showcase.map import build_map
from projects_showcase.models import ProjectIndexPage, ProjectPage
from publications.models import CARD_SELECT_RELATED, PublicationIndexPage, PublicationPage

STUDIES = 3
PROJECTS = 3
MEETINGS = 3

SECTION_TYPES = {
    "library": PublicationIndexPage,
    "agenda": EventIndexPage,
    "showcase": ProjectIndexPage,
}


@dataclass(frozen=True)
class Action:
    """A button: where it leads and what it says."""

    url: str
    label: str


def once(build):
    """A context value built the first time a template reads it, then kept: a template calls
    a callable it finds in its context, and a section rendered from the shared cache never
    reads it."""
    return cache(build)


def section_urls(home, request):
    """The URL of the library, the agenda and the showcase below `home` (the first public one
    of each), from the shared cache for the content generation, as the sections are routed."""

    def build():
        children = public(home.get_children().live(), request).order_by("path")
        urls = {}
        for child in children.type(*SECTION_TYPES.values()):
            for name, model in SECTION_TYPES.items():
                if issubclass(child.specific_class, model):
                    urls.setdefault(name, child.get_url(request))
        return urls

    return content_cache.shared(f"home-sections:{home.pk}", build, scope=content_cache.CONTENT)


def actions(pairs, request):
    """The buttons for `pairs` of (page id, label), in one query for every page: a page the
    public may not see, or none chosen, gives None (its button is left out)."""
    ids = [pk for pk, _label in pairs if pk]
    pages = {}
    if ids:
        pages = {
            page.pk: page for page in public_pages(Page.objects.live().filter(pk__in=ids), request)
        }
    found = []
    for pk, label in pairs:
        page = pages.get(pk)
        found.append(Action(page.get_url(request), label or page.title) if page else None)
    return found


def latest_studies(home, request, limit=STUDIES):
    """The newest public publications, each with `home_cover`, the cover the public may see
    (None if none), whose renditions are read in one query for all of them."""
    studies = list(
        public(PublicationPage.objects.live().descendant_of(home), request)
        .select_related(*CARD_SELECT_RELATED)
        .order_by("-publication_date", "-pk")[:limit]
    )
    for study in studies:
        # Not the editor's view: the home page is cached for the public.
        study.home_cover = study.get_cover(None)
    prefetch_related_objects(
        [study.home_cover for study in studies if study.home_cover], "renditions"
    )
    return studies


def next_meetings(home, request, limit=MEETINGS):
    """The next dates of the agenda, a series once, as the agenda lists them (at its next date,
    with `later_dates`, how many more, and `confirmed_count`)."""
    events = public(EventPage.objects.live().descendant_of(home), request)
    return list(upcoming_listing(events, limit=limit))


def projects_map(home, request, showcase_url):
    """The map of Normandy with the public projects per département, each département a link
    to the showcase filtered on it, and the number of projects located in Normandy (the
    region's own too), from one query."""
    projects = public(ProjectPage.objects.live().descendant_of(home), request)
    found = projects_per_departement(projects)
    slugs = ProjectIndexPage.departement_slugs()

    def url_for(code):
        return f"{showcase_url}?territoire={slugs[code]}" if code in slugs else showcase_url

    return build_map(found.by_code, url_for=url_for), found.total


def supported_projects(home, request, limit=PROJECTS):
    """The latest public projects, read as the showcase reads its cards."""
    return list(
        public(ProjectPage.objects.live().descendant_of(home), request)
        .select_related(*ProjectIndexPage.listing_select_related)
        .prefetch_related(*ProjectIndexPage.listing_prefetch_related)
        .order_by("-first_published_at", "-pk")[:limit]
    )
