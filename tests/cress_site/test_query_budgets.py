"""SQL queries per public page type when the page itself is rendered, and what the public sees.

A visitor's second look at a page comes from the public page cache without a query
(tests/cress_site/test_page_cache.py). Here the page cache is off, as for the first visit after a
publication: the page is rendered, with the site, the menu, the settings and the view
restrictions from the shared cache (filled once per content generation by the first page seen).
Each figure is a ceiling measured on the demo content: a change that adds a query to a page
type fails here and must say why. Issue #8's budget is 12 for every page type: all are within it.
"""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import Page, PageViewRestriction

import pytest

from cress_site.visibility import public
from events.models import EventPage
from home.models import ContentPage, FormPage, PitchPage
from projects_showcase.models import ProjectPage
from publications.models import PublicationPage

pytestmark = pytest.mark.django_db

CEILINGS = {
    "home": 3,
    "pitch": 11,
    "content": 4,
    "form": 3,
    "publication index": 12,
    "publication": 10,
    "event index": 9,
    "event": 6,
    "month grid": 9,
    "archive": 9,
    "ical feed": 10,
    "project index": 12,
    "project": 12,  # its related publications as cards: a fixed number of queries (see below)
    "publication index, filtered": 12,
    "event index, filtered": 9,
    "project index, filtered": 12,
}


def first_url(model):
    return model.objects.live().order_by("path").first().url


def urls():
    event_index = EventPage.objects.live().first().get_parent().url
    publication = PublicationPage.objects.live().filter(themes__isnull=False).first()
    event = EventPage.objects.live().first()
    project = ProjectPage.objects.live().filter(territory__isnull=False).first()
    return {
        "home": "/",
        "pitch": first_url(PitchPage),
        "content": first_url(ContentPage),
        "form": first_url(FormPage),
        "publication index": PublicationPage.objects.live().first().get_parent().url,
        "publication": first_url(PublicationPage),
        "event index": event_index,
        "event": first_url(EventPage),
        "month grid": event_index + "2026/12/",
        "archive": event_index + "archives/",
        "ical feed": event_index + "agenda.ics",
        "project index": ProjectPage.objects.live().first().get_parent().url,
        "project": first_url(ProjectPage),
        # Filters that keep items: a publication's own territory and theme and type, an event's
        # format, a project's département.
        "publication index, filtered": publication.get_parent().url
        + f"?territoire={publication.territories[0].slug}&theme={publication.theme_list[0].slug}"
        + f"&type={publication.kind}",
        "event index, filtered": event_index + f"?format={event.attendance_mode}",
        "project index, filtered": project.get_parent().url
        + f"?territoire={(project.territory.departement or project.territory).slug}",
    }


@pytest.mark.parametrize("page_type", CEILINGS)
def test_rendered_page_stays_within_its_ceiling(client, settings, page_type):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    url = urls()[page_type]
    # Renditions made, templates compiled and the shared fragments cached first.
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    if "filtered" in page_type:  # the filters keep items, listed with their relations
        assert re.search(r'<article class="[^"]*\b(publication|event|project)-card', response.text)
    assert len(queries) <= CEILINGS[page_type], "\n".join(q["sql"][:200] for q in queries)


def test_public_matches_wagtails_public(rf, home_page):
    """The view restrictions read once per request exclude the same pages as Wagtail's."""
    private = home_page.get_children().live().first()
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    request = rf.get("/")
    everything = Page.objects.live()
    assert set(public(everything, request)) == set(everything.public())
    assert private not in public(everything, request)
    assert private.get_descendants().first() not in public(everything, request)


def test_restrictions_are_read_once_per_request(rf, django_assert_num_queries, home_page):
    PageViewRestriction.objects.create(
        page=home_page.get_children().live().first(), restriction_type="login"
    )
    request = rf.get("/")
    with django_assert_num_queries(1):
        public(Page.objects.all(), request)
        public(Page.objects.all(), request)


def main_menu(client):
    content = client.get("/").content.decode()
    return re.search(r'<nav class="main-nav".*?</nav>', content, re.S).group(0)


def test_a_restricted_section_leaves_the_menu(client, home_page):
    section = home_page.get_children().live().in_menu().first()
    assert f'href="{section.url}"' in main_menu(client)
    PageViewRestriction.objects.create(page=section, restriction_type="login")
    assert f'href="{section.url}"' not in main_menu(client)


def rendered_queries(client, url):
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.text


@pytest.mark.parametrize("model", [PublicationPage, ProjectPage], ids=["publication", "project"])
def test_related_publications_do_not_add_queries(client, settings, model):
    """A detail page lists its related publications as cards (cover, territories) with the
    same number of queries whether it links one or all of them."""
    from projects_showcase.models import ProjectPublication
    from publications.models import RelatedPublication

    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    page = model.objects.live().order_by("path").first()
    others = list(PublicationPage.objects.live().exclude(pk=page.pk).order_by("path"))
    assert len(others) >= 6

    def link(publications):
        if model is PublicationPage:
            RelatedPublication.objects.filter(page=page).delete()
            for order, publication in enumerate(publications):
                RelatedPublication.objects.create(page=page, related=publication, sort_order=order)
        else:
            ProjectPublication.objects.filter(page=page).delete()
            for order, publication in enumerate(publications):
                ProjectPublication.objects.create(
                    page=page, publication=publication, sort_order=order
                )

    link(others[:1])
    one, _html = rendered_queries(client, page.url)
    link(others[:6])
    six, html = rendered_queries(client, page.url)
    # Listed in the editor's order, with their territories.
    positions = [html.index(f'href="{publication.url}"') for publication in others[:6]]
    assert positions == sorted(positions)
    assert "publication-card__territories" in html
    assert six == one
