"""Suggestions for the header search box: French-aware titles of live public pages, as JSON."""

import json

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import Page, PageViewRestriction

import pytest

from cress_site import searchable
from home.models import ContentPage
from search.suggest import MAX_QUERY_LENGTH, MAX_SUGGESTIONS

pytestmark = pytest.mark.django_db

URL = "/recherche/suggestions/"

GUIDE = "Guide : créer une coopérative d'activité et d'emploi"
GUIDE_URL = "/observatoire/guide-creer-cooperative-activite-emploi/"
CREACOOP = "Créacoop 14, la coopérative d'activité et d'emploi du Calvados"
CREACOOP_URL = "/projets-accompagnes/creacoop-14/"
RESTAURANT = "Un restaurant d'insertion à Argentan"
SCIC_TRAINING = "Formation : créer une SCIC avec sa collectivité"


def suggest(client, query, **extra):
    response = client.get(URL, {"q": query}, **extra)
    assert response.status_code == 200
    return response.json()


def titles(client, query):
    return [item["title"] for item in suggest(client, query)["suggestions"]]


@pytest.mark.parametrize("query", ["cooperat", "coopérat", "COOPERAT", "Coopérat", "  coop  "])
def test_accents_and_case_do_not_matter(client, query):
    assert {GUIDE, CREACOOP} <= set(titles(client, query))


@pytest.mark.parametrize("query", ["l'insert", "l’insert", "L'INSERT", "d'insertion", "insert"])
def test_elisions_are_ignored(client, query):
    assert RESTAURANT in titles(client, query)


def test_several_words_all_match(client):
    assert titles(client, "cooperative calvad") == [CREACOOP]
    assert titles(client, "scic collectiv") == [SCIC_TRAINING]


def test_words_match_from_their_start_only(client):
    # "operat" is inside "coopérative", not at the start of a word.
    assert GUIDE not in titles(client, "operat")


def test_each_suggestion_has_title_url_and_type(client):
    data = suggest(client, "coopérat")
    assert data["query"] == "coopérat"
    by_title = {item["title"]: item for item in data["suggestions"]}
    assert by_title[GUIDE] == {"title": GUIDE, "url": GUIDE_URL, "type": "Publication"}
    assert by_title[CREACOOP] == {"title": CREACOOP, "url": CREACOOP_URL, "type": "Projet"}


@pytest.mark.parametrize(
    "query, title, label",
    [
        ("scic", SCIC_TRAINING, "Événement"),
        ("restaurant", RESTAURANT, "Projet"),
        ("guide", GUIDE, "Publication"),
        ("contact", "Contact", "Page"),
        ("mentions lég", "Mentions légales", "Page"),
        ("observatoire", "Observatoire : publications", "Page"),
    ],
)
def test_type_labels(client, query, title, label):
    types = {item["title"]: item["type"] for item in suggest(client, query)["suggestions"]}
    assert types[title] == label


def test_at_most_eight_suggestions(client, site):
    # Far more than eight titles have the word "ESS".
    assert Page.objects.live().public().in_site(site).autocomplete("ess").count() > 10
    suggestions = suggest(client, "ess")["suggestions"]
    assert len(suggestions) == MAX_SUGGESTIONS == 8
    assert len({item["url"] for item in suggestions}) == 8


def test_unpublished_pages_are_not_suggested(client):
    assert CREACOOP in titles(client, "creacoop")
    Page.objects.get(url_path__endswith="/creacoop-14/").unpublish()
    assert titles(client, "creacoop") == []


def test_private_pages_and_their_children_are_not_suggested(client):
    assert GUIDE in titles(client, "guide")
    guide = Page.objects.get(url_path__endswith="/guide-creer-cooperative-activite-emploi/")
    PageViewRestriction.objects.create(page=guide, restriction_type="password", password="x")
    assert GUIDE not in titles(client, "guide")

    # A restriction on a section hides every page under it.
    assert RESTAURANT in titles(client, "restaurant")
    projects = Page.objects.get(url_path__endswith="/projets-accompagnes/")
    PageViewRestriction.objects.create(page=projects, restriction_type="login")
    assert titles(client, "restaurant") == []
    assert titles(client, "creacoop") == []


def test_pages_of_another_site_are_not_suggested(client, site):
    # A page outside the site's tree (directly under the tree's root): another site's.
    root = Page.get_first_root_node()
    root.add_child(instance=ContentPage(title="Zythologie coopérative", slug="zythologie"))
    assert site.root_page.title not in titles(client, "zytho")
    assert titles(client, "zytho") == []
    # The same title inside the site is suggested: the index does have such pages.
    site.root_page.add_child(instance=ContentPage(title="Zythologie solidaire", slug="zytho"))
    assert titles(client, "zytho") == ["Zythologie solidaire"]


@pytest.mark.parametrize("query", ["", " ", "c", " c ", "é", "l'", "d'a", "\t\n", "''"])
def test_short_queries_give_no_suggestion(client, query):
    data = suggest(client, query)
    assert data["suggestions"] == []


def test_missing_query_gives_no_suggestion(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert response.json() == {"query": "", "completions": [], "suggestions": [], "sections": []}


def test_long_query_is_capped(client):
    data = suggest(client, "coopérative " * 1000)
    assert len(data["query"]) <= MAX_QUERY_LENGTH == 100
    assert data["query"] == ("coopérative " * 1000)[:MAX_QUERY_LENGTH].strip()


def test_control_characters_are_removed(client):
    data = suggest(client, "coop\x00\x1b[31m\u200férat")
    assert data["query"] == "coop[31mérat"


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '" * - : ( ) NEAR AND OR',
        "coop*",
        '"coopérative',
        "coopérative AND",
        "NEAR(coop insert)",
        "-coop",
        "coop OR",
        "title:coop",
        "((",
        "^coop",
        "%_",
        "';--",
        "🌱 ESS",
        "🌱🌱",
        "اقتصاد اجتماعي",
        "\u202ecoop",
        "\x00",
        "\x00coop",
        "x" * 5000,
    ],
)
def test_odd_queries_never_fail(client, query):
    data = suggest(client, query)
    assert isinstance(data["suggestions"], list)
    assert len(data["suggestions"]) <= MAX_SUGGESTIONS


@pytest.mark.parametrize("raw", ["coop%ED%A0%80", "coop%FF%FE", "%C3", "q%00%00"])
def test_invalid_utf8_never_fails(client, raw):
    response = client.get(f"{URL}?q={raw}")
    assert response.status_code == 200
    assert isinstance(response.json()["suggestions"], list)


def test_syntax_characters_are_ignored_around_words(client):
    assert CREACOOP in titles(client, '"creacoop*')
    assert CREACOOP in titles(client, "(créacoop)")
    assert RESTAURANT in titles(client, "🌱 restaurant")


def test_headers(client):
    response = client.get(URL, {"q": "coop"})
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "public, max-age=60"
    assert response["X-Robots-Tag"] == "noindex"
    assert "Set-Cookie" not in response
    assert "Cookie" not in response.get("Vary", "")
    json.loads(response.content)


def test_only_get_and_head(client):
    assert client.head(URL, {"q": "coop"}).status_code == 200
    assert client.post(URL, {"q": "coop"}).status_code == 405


def test_fixed_number_of_queries(client, monkeypatch):
    # The pages' suggestions only: each search section costs its own query once per query and
    # generation (tests/search/test_sections.py).
    monkeypatch.setattr(searchable, "_sections", {})
    suggest(client, "creacoop")  # warms the caches of sites and content types
    counts = {}
    for query in ["creacoop", "ess", "zzzyyyxxx"]:
        with CaptureQueriesContext(connection) as queries:
            data = suggest(client, query)
        counts[query] = (len(queries), len(data["suggestions"]))
    assert counts["creacoop"][1] == 1 and counts["ess"][1] == 8
    # One suggestion or eight: the same queries (site, view restrictions, the best index rows,
    # which of them are public pages (SQLite), the pages); none: the pages are not read.
    assert counts["creacoop"][0] == counts["ess"][0] <= 5, counts
    assert counts["zzzyyyxxx"][0] <= counts["ess"][0], counts


def test_short_query_makes_no_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        client.get(URL, {"q": "c"})
