"""SQL queries per public page type when the page itself is rendered, and what the public sees.

A visitor's second look at a page comes from the public page cache without a query
(tests/cress_site/test_page_cache.py). Here the page cache is off, as for the first visit after a
publication: the page is rendered, with the site and its home page, the sections below it, the
menu, the settings and the view restrictions from the shared cache (filled once per content
generation by the first page seen). Each page type's queries are listed below, in the order
they run, each with the table it reads and what it is for: a change that adds, removes or
reorders a query fails here and updates the list, saying why. Every page type stays within 12
queries whatever the number of items it lists.
"""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import Page, PageViewRestriction

import pytest

from cress_site import cache as content_cache
from cress_site.visibility import public
from events.models import EventPage
from home.models import ContentPage, FormPage, PitchPage
from projects_showcase.models import ProjectPage
from publications.models import PublicationPage

pytestmark = pytest.mark.django_db

BUDGET = 12

# Routing (cress_site.routing): a page below a section is read once, as its own class.
DETAIL = ("wagtailcore_page", "routing: the page itself, below its section, as its own class")


# The listings: their facet counts, totals and years offered come from a facet index kept per
# content generation (cress_site.facets.FacetIndex), built by the first page seen: a rendered
# listing reads the ids of its page from it, and never counts the catalogue. Its cards are
# shared fragments read together (`{% shared_cards %}`): the rows of the items are read only
# for the cards the cache does not hold, so the second render reads none.
PUBLICATION_CARDS = [
    ("publications_publicationpage", "the cards, with their document and cover"),
    ("cress_site_theme", "the cards' themes (prefetch)"),
    ("publications_publicationterritory", "the cards' territories (prefetch)"),
    ("cress_site_rendition", "the covers' renditions"),
]
PUBLICATION_INDEX = []


# The cards come from the shared cache (`{% shared_cards %}`): a list reads the starts of its
# dates only, for the months' headings.
STARTS = "the starts of the page's dates, by id, for the months' headings"


def event_index(window, dates=STARTS):
    """A view of the agenda: its window of dates (ids only, by the index on `start` or `end`),
    then what it shows of the dates of the page."""
    return [("events_eventoccurrence", window), ("events_eventoccurrence", dates)]


# The dates not over yet, and the next date of each event among them, are read once per
# generation until the first of them ends (`EventIndexPage.upcoming_window`): the list and the
# archive read only what they show of their page's dates.
EVENT_INDEX = [("events_eventoccurrence", STARTS)]
PROJECT_CARDS = [
    ("projects_showcase_projectpage", "the cards, with picture, territory and its département"),
    ("cress_site_theme", "the cards' themes, for the pictogram (prefetch)"),
    ("cress_site_rendition", "the pictures' renditions"),
]
PROJECT_INDEX = []  # the cards, as the library's

QUERIES = {
    # Each section in one query, plus the prefetches of its cards (home/sections.py), its
    # buttons' pages in one: all read once per generation, the buttons kept by `shared_for`
    # and the sections rendered by `{% shared_fragment %}` (cress_site.fragments). The
    # library, agenda and showcase URLs come from the shared cache too.
    "home": [],
    # The body (the example projects, the linked pages) is a shared fragment; its table of
    # contents is read from its stored data.
    "pitch": [("cress_site_customimage", "the hero image")],
    "content": [],  # the body (its images) is a shared fragment
    "form": [("home_formfield", "the form's fields")],
    "publication index": PUBLICATION_INDEX,
    "publication": [
        # Its PDF and cover joined (`route_select_related`).
        DETAIL,
        ("cress_site_rendition", "its cover's renditions, all at once"),
        # Its annexes, with their documents, when it has any (`may_have`): none here.
        ("cress_site_theme", "its themes"),
        ("publications_publicationterritory", "its territories"),
        # The projects citing it and its related publications: a shared fragment.
    ],
    "event index": EVENT_INDEX,
    "event": [
        # Its territory joined (`route_select_related`).
        DETAIL,
        ("events_eventoccurrence", "its dates, with places taken"),
        # Its related pages, with the pages, when it has any (`may_have`): none here.
        ("events_eventdatechange", "the dates left out of its series, named by its frequency"),
        ("events_audience", "its audiences"),
    ],
    "month grid": event_index(
        "the dates that touch the grid, by the index on their start",
        "the dates, with their event and territory, for the grid",
    ),
    "archive": EVENT_INDEX,
    # Stored once per content generation (events.ical.stored_feed_response).
    "ical feed": [],
    "project index": PROJECT_INDEX,
    "project": [
        # Its territory with its département (the map in the aside) and its listing image
        # joined (`route_select_related`).
        DETAIL,
        # Its gallery with its images when it has one (`may_have`), and the renditions of
        # the images it shows (one query): none here.
        ("projects_showcase_supporttype", "its kinds of support"),
        ("cress_site_theme", "its themes"),
        # The publications it cites, in order, as cards: a shared fragment.
    ],
    "publication index, filtered": PUBLICATION_INDEX,
    "event index, filtered": EVENT_INDEX,
    "project index, filtered": PROJECT_INDEX,
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


@pytest.mark.parametrize("page_type", QUERIES)
def test_rendered_page_makes_the_queries_listed(client, settings, page_type):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    url = urls()[page_type]
    # Renditions made, templates compiled and the shared fragments cached first.
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    if "filtered" in page_type:  # the filters keep items, listed with their relations
        assert re.search(r'<article class="[^"]*\b(publication|event|project)-card', response.text)
    expected = QUERIES[page_type]
    made = [query["sql"] for query in queries]
    report = "\n".join(sql[:200] for sql in made)
    assert len(made) == len(expected), report
    for sql, (table, what) in zip(made, expected, strict=True):
        assert f'"{table}"' in sql, f"expected {what} ({table}), got: {sql[:300]}"


@pytest.mark.parametrize(
    "page_type, cards",
    [("publication index", PUBLICATION_CARDS), ("project index", PROJECT_CARDS)],
)
def test_a_listing_reads_the_rows_of_the_cards_not_cached(client, settings, page_type, cards):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    url = urls()[page_type]
    assert client.get(url).status_code == 200
    content_cache.bump()  # a change to what every page shows: the cards are rendered again
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    made = [query["sql"] for query in queries]
    # With the shared entries of the new generation (menu, facet index…), the cards' rows.
    for table, what in cards:
        assert any(f'"{table}"' in sql for sql in made), f"expected {what} ({table})"
    by_id = re.compile(rf'"{cards[0][0]}"\."page_ptr_id" IN \(\d+(, \d+)*\)')
    assert len([sql for sql in made if by_id.search(sql)]) == 1  # the page's ids only


def test_every_page_type_is_within_the_budget():
    assert max(len(queries) for queries in QUERIES.values()) <= BUDGET


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
        content_cache.bump()  # as publishing the page does
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
