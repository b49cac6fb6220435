"""Search sections: what is not a page (the directory's enterprises, the portraits of
territories) found by the site search and its suggestions through the extension point of
cress_site.searchable, without the search importing the apps that register them.

The sections here are the test's own: a list of départements standing for any feature app."""

import html
import logging
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from cress_site import cache as content_cache
from cress_site import searchable
from cress_site.searchable import (
    SectionResult,
    register_search_section,
    search_sections,
    unregister_search_section,
)
from publications.models import PublicationPage
from search.french import fold
from search.sections import PAGE_LIMIT, SUGGESTION_LIMIT

pytestmark = pytest.mark.django_db

SCOPE = "test-annuaire"  # a scope of its own, as the directory's
MARKER = "test-section-find"
DEPARTEMENTS = ["Calvados", "Eure", "Manche", "Orne", "Seine-Maritime", "Zyxie", "Essonne"]
SECTION_BLOCK = re.compile(
    r'<section class="search-section" aria-labelledby="search-section-(?P<key>[\w-]+)-title">'
    r"(?P<body>.*?)</section>",
    re.S,
)


class FakeSection:
    """A section finding départements by the start of their name's words; it records its
    calls and runs one marked SQL query per call, as a real `find` reads the database."""

    def __init__(self):
        self.calls = []

    def find(self, query, limit):
        self.calls.append((query, limit))
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT 1 /* {MARKER} */")
        words = fold(query).split()
        found = [
            name
            for name in DEPARTEMENTS
            if words
            and all(
                any(part.startswith(word) for part in fold(name).replace("-", " ").split())
                for word in words
            )
        ]
        return [
            SectionResult(
                title=name,
                url=f"/territoires/{fold(name)}/",
                label="Département",
                description=f"Portrait du département : {name}",
            )
            for name in found[:limit]
        ]

    def more_url(self, query):
        return f"/territoires/?q={query}"


@pytest.fixture
def declared_scope(monkeypatch):
    monkeypatch.setitem(content_cache._scopes, SCOPE, True)
    return SCOPE


@pytest.fixture
def section(monkeypatch, declared_scope):
    """A registered section, unregistered after the test (and the sections of the apps, if
    any, set aside meanwhile)."""
    monkeypatch.setattr(searchable, "_sections", {})
    made = FakeSection()
    register_search_section(
        "territoires-test",
        label="Territoires",
        find=made.find,
        scope=declared_scope,
        more_url=made.more_url,
    )
    yield made
    unregister_search_section("territoires-test")


def page(client, query, **params):
    response = client.get("/recherche/", {"q": query, **params})
    assert response.status_code == 200
    # French typography (no-break spaces before ":" and inside « ») aside.
    return re.sub("[\xa0\u202f]", " ", html.unescape(response.content.decode()))


def suggest(client, query):
    response = client.get("/recherche/suggestions/", {"q": query})
    assert response.status_code == 200
    return response.json()


def blocks(content):
    return {match["key"]: match["body"] for match in SECTION_BLOCK.finditer(content)}


def marked(queries):
    return [query for query in queries if MARKER in query["sql"]]


# The search page -------------------------------------------------------------------------------


def test_a_section_shows_its_results_in_its_own_titled_block_above_the_pages(client, section):
    content = page(client, "calvados")
    body = blocks(content)["territoires-test"]
    assert '<h3 class="search-section__title" id="search-section-territoires-test-title">' in body
    assert ">Territoires</h3>" in body
    assert '<li class="search-result search-result--section">' in body
    assert '<a href="/territoires/calvados/">Calvados</a>' in body
    assert '<span class="tag">Département</span>' in body
    assert "Portrait du département : Calvados" in body
    assert 'href="/territoires/?q=calvados">Voir tout' in body
    # Above the pages' results, which are still there.
    assert content.index("search-section") < content.index('<ol class="search-results__list"')
    assert re.search(r"\d+ résultats? pour «\s*calvados\s*»", content)
    assert section.calls == [("calvados", PAGE_LIMIT)]


def test_sections_come_in_their_order_and_only_with_results(client, section, declared_scope):
    register_search_section(
        "entreprises-test",
        label="Entreprises de l'ESS",
        find=lambda query, limit: [SectionResult("Scop du Bocage", "/annuaire/1/", "Entreprise")],
        scope=declared_scope,
        order=10,
    )
    content = page(client, "calvados")
    assert list(blocks(content)) == ["entreprises-test", "territoires-test"]
    entreprises = blocks(content)["entreprises-test"]
    assert "Entreprises de l'ESS</h3>" in entreprises
    assert "Voir tout" not in entreprises  # it gives no address for all its results
    # A section without results for the query is not shown.
    assert list(blocks(page(client, "coopérative"))) == ["entreprises-test"]


def test_no_block_without_results_on_later_pages_or_under_filters(client, section):
    assert blocks(page(client, "coopérative")) == {}
    assert "territoires-test" in blocks(page(client, "ess"))
    assert re.search(r"page 1 sur [2-9]", page(client, "ess"))
    assert blocks(page(client, "ess", page=2)) == {}
    assert blocks(page(client, "calvados", type="publication")) == {}


def test_without_pages_the_heading_says_no_page_rather_than_no_result(client, section):
    content = page(client, "zyxie")  # no page has this word; the section has
    assert "Zyxie</a>" in blocks(content)["territoires-test"]
    assert re.search(r"Aucune page pour «\s*zyxie\s*»", content)
    assert "Aucun résultat" not in content
    assert "Aucun résultat pour" in page(client, "zyxiezz")


def test_results_are_escaped(client, monkeypatch, declared_scope):
    monkeypatch.setattr(searchable, "_sections", {})
    register_search_section(
        "piege",
        label="<b>Section</b>",
        find=lambda query, limit: [
            SectionResult("<script>alert(1)</script>", '/x/"onmouseover="y', "<i>", "<img>")
        ],
        scope=declared_scope,
        more_url=lambda query: f"/tout/?q={query}",
    )
    response = client.get("/recherche/", {"q": '"><script>'})
    raw = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert" not in raw and "<b>Section" not in raw and "<img>" not in raw
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw
    assert 'href="/x/&quot;onmouseover=&quot;y"' in raw


# The header's suggestions -----------------------------------------------------------------


def test_suggestions_list_a_few_labelled_results_of_each_section(client, section):
    data = suggest(client, "calva")
    assert data["sections"] == [
        {
            "key": "territoires-test",
            "label": "Territoires",
            "results": [
                {"title": "Calvados", "url": "/territoires/calvados/", "type": "Département"}
            ],
        }
    ]
    assert data["suggestions"]  # the pages are still there
    # At most SUGGESTION_LIMIT results per section; find gets the plain words typed.
    data = suggest(client, "« ma »!")
    assert section.calls[-1] == ("ma", SUGGESTION_LIMIT)
    assert len(data["sections"][0]["results"]) == SUGGESTION_LIMIT


def test_no_section_for_a_short_query_or_without_results(client, section):
    assert suggest(client, "c")["sections"] == []
    assert suggest(client, "coopérat")["sections"] == []
    assert section.calls == [("coopérat", SUGGESTION_LIMIT)]


# Bad input, failing sections ----------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["!!!", "« » ? ;", "'" * 300, "\x00\x01\x1f", "a" * 5000, "coop\u202e", "-*", "' OR 1=1"],
)
def test_bad_input_never_fails(client, section, query):
    page(client, query)
    assert isinstance(suggest(client, query)["sections"], list)
    for typed, _limit in section.calls:
        assert "\x00" not in typed and len(typed) <= 200


def test_a_failing_section_is_left_out_and_logged(client, monkeypatch, declared_scope, caplog):
    monkeypatch.setattr(searchable, "_sections", {})

    def broken(query, limit):
        raise RuntimeError("directory gone")

    register_search_section("cassee", label="Cassée", find=broken, scope=declared_scope)
    register_search_section(
        "bizarre",
        label="Bizarre",
        find=lambda query, limit: [None, "texte", SectionResult("", "/", "x")],
        scope=declared_scope,
    )
    with caplog.at_level(logging.ERROR, logger="search.sections"):
        content = page(client, "calvados")
        assert suggest(client, "calvados")["sections"] == []
    assert blocks(content) == {}
    assert "Aucun résultat" not in content  # the pages are found as before
    assert "directory gone" in caplog.text


def test_registration_checks_its_arguments(monkeypatch, declared_scope):
    monkeypatch.setattr(searchable, "_sections", {})

    def find(query, limit):
        return []

    with pytest.raises(ValueError):
        register_search_section("Pas une clé", label="x", find=find, scope=declared_scope)
    with pytest.raises(ValueError):
        register_search_section("inconnue", label="x", find=find, scope="pas-declaree")
    with pytest.raises(TypeError):
        register_search_section("x", label="x", find="find", scope=declared_scope)
    first = register_search_section("x", label="Un", find=find, scope=declared_scope)
    second = register_search_section("x", label="Deux", find=find, scope=declared_scope)
    assert search_sections() == [second] != [first]
    unregister_search_section("x")
    unregister_search_section("x")  # nothing left: no error
    assert search_sections() == []


# Queries and cache ------------------------------------------------------------------------


def test_a_section_costs_its_own_query_once_per_query_and_generation(client, section):
    with CaptureQueriesContext(connection) as first:
        page(client, "calvados")
    with CaptureQueriesContext(connection) as again:
        page(client, "calvados")
    assert len(marked(first)) == 1
    assert marked(again) == []
    assert len(section.calls) == 1


def test_the_suggestions_cost_no_more_queries_with_a_section(client, monkeypatch, declared_scope):
    monkeypatch.setattr(searchable, "_sections", {})
    suggest(client, "calva")
    with CaptureQueriesContext(connection) as without_section:
        suggest(client, "calva")
    made = FakeSection()
    register_search_section("t", label="Territoires", find=made.find, scope=declared_scope)
    with CaptureQueriesContext(connection) as first:
        suggest(client, "calva")
    with CaptureQueriesContext(connection) as again:
        assert suggest(client, "calva")["sections"]
    assert len(first) == len(without_section) + 1  # its own query, once
    assert len(again) == len(without_section)


def test_the_cache_follows_the_sections_scope(client, section, declared_scope):
    page(client, "calvados")
    suggest(client, "calva")
    assert len(section.calls) == 2
    # What the section does not show: a registration's places, a new publication.
    content_cache.bump("places")
    publication = PublicationPage.objects.live().order_by("path").first()
    publication.save_revision().publish()
    page(client, "calvados")
    suggest(client, "calva")
    assert len(section.calls) == 2
    # What it shows changes: found again, by the page and the suggestions.
    content_cache.bump(declared_scope)
    page(client, "calvados")
    suggest(client, "calva")
    assert len(section.calls) == 4
    # The addresses of the pages (any structural change) too.
    content_cache.bump(content_cache.CONTENT)
    page(client, "calvados")
    assert len(section.calls) == 5


def test_without_search_cache_the_section_is_asked_each_time(client, section, settings):
    settings.SEARCH_CACHE_SECONDS = 0
    page(client, "calvados")
    page(client, "calvados")
    assert len(section.calls) == 2
