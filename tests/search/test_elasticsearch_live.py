"""The Elasticsearch backend against a real server: French analysis, searches and suggestions.

These tests run only when ELASTICSEARCH_URL is set (for instance
`ELASTICSEARCH_URL=http://127.0.0.1:9200 .venv/bin/pytest tests/search/test_elasticsearch_live.py`),
otherwise they are reported as skipped. Each test works in its own index, named with a unique
prefix, and deletes it afterwards; the site's own indexes are not touched.
"""

import os
import uuid

from wagtail.models import Page

import pytest

from home.factories import ContentPageFactory
from home.models import ContentPage
from search.backends.elasticsearch_french import SearchBackend

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("ELASTICSEARCH_URL"),
        reason="needs an Elasticsearch 9 server: set ELASTICSEARCH_URL (e.g. http://127.0.0.1:9200)",
    ),
    pytest.mark.django_db,
]

BACKEND_PATH = "search.backends.elasticsearch_french"
TITLES = {
    "cooperatives": "Coopératives d'activité et d'emploi",
    "collectivites": "Les collectivités territoriales",
    "insertion": "L'insertion par l'activité économique",
}


def server_urls():
    return [url.strip() for url in os.environ["ELASTICSEARCH_URL"].split(",") if url.strip()]


@pytest.fixture
def params(settings):
    # When ELASTICSEARCH_URL is set, the settings' default backend is Elasticsearch too: the
    # pages the tests save are not sent to the site's indexes.
    settings.WAGTAILSEARCH_BACKENDS = {
        name: {**config, "AUTO_UPDATE": False}
        for name, config in settings.WAGTAILSEARCH_BACKENDS.items()
    }
    return {
        "URLS": server_urls(),
        "INDEX_PREFIX": f"test_cress_{uuid.uuid4().hex[:12]}_",
        "TIMEOUT": 30,
    }


@pytest.fixture
def backend(params):
    backend = SearchBackend(dict(params))
    index = backend.get_index_for_model(Page)
    index.put()
    index.add_model(Page)
    index.add_model(ContentPage)
    try:
        yield backend
    finally:
        index.delete()


@pytest.fixture
def pages(backend, home_page):
    pages = {
        key: ContentPageFactory(parent=home_page, title=title) for key, title in TITLES.items()
    }
    index = backend.get_index_for_model(Page)
    index.add_items(ContentPage, list(pages.values()))
    index.refresh()
    return pages


def tokens(backend, text, **how):
    index = backend.get_index_for_model(Page).name
    response = backend.es.indices.analyze(index=index, text=text, **how)
    return [token["token"] for token in response["tokens"]]


def test_index_is_created_with_the_french_analysis(backend):
    index = backend.get_index_for_model(Page).name
    analysis = backend.es.indices.get_settings(index=index)[index]["settings"]["index"]["analysis"]
    assert analysis["analyzer"]["french_text"]["filter"] == [
        "french_elision",
        "lowercase",
        "french_stop",
        "asciifolding",
        "french_stemmer",
    ]
    properties = backend.es.indices.get_mapping(index=index)[index]["mappings"]["properties"]
    assert properties["_all_text"]["analyzer"] == "french_text"
    assert properties["title"]["analyzer"] == "french_text"
    assert properties["_edgengrams"]["analyzer"] == "french_autocomplete"
    assert properties["_edgengrams"]["search_analyzer"] == "french_autocomplete_search"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Elision, stop word, accents, plural and the light French stemmer.
        ("L'économie des coopératives", ["econom", "coperatif"]),
        ("L’ÉCONOMIE DES COOPÉRATIVES", ["econom", "coperatif"]),
        ("économique", ["econom"]),
        ("Les collectivités territoriales", ["colectivit", "teritorial"]),
        ("une collectivité territoriale", ["colectivit", "teritorial"]),
        # Accented stop words go before the accents do.
        ("Jusqu'à l'été", []),
    ],
)
def test_french_analyzer_tokens(backend, text, expected):
    assert tokens(backend, text, analyzer="french_text") == expected
    # The catch-all field that searches go through uses it.
    assert tokens(backend, text, field="_all_text") == expected


def test_autocomplete_analyzers_tokens(backend):
    assert tokens(backend, "L'Économie sociale", analyzer="french_autocomplete_search") == [
        "economie",
        "sociale",
    ]
    assert tokens(backend, "d'ESS", analyzer="french_autocomplete") == ["e", "es", "ess"]
    assert tokens(backend, "Coopé", field="_edgengrams") == ["c", "co", "coo", "coop", "coope"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("cooperative d'activite", "cooperatives"),
        ("Coopératives d’activités", "cooperatives"),
        ("collectivite", "collectivites"),
        ("insertion", "insertion"),
        ("economique", "insertion"),
        ("l'économie", "insertion"),
    ],
)
def test_full_text_search_is_french(backend, pages, query, expected):
    # All the words required, as the site's search page asks.
    found = list(backend.search(query, Page, operator="and"))
    assert [page.pk for page in found] == [pages[expected].pk]


def test_full_text_search_ranks_the_best_match_first(backend, pages):
    found = list(backend.search("cooperative d'activite", Page))
    assert found[0].pk == pages["cooperatives"].pk
    assert pages["insertion"].pk in [page.pk for page in found]  # "activité" alone


@pytest.mark.parametrize(
    ("prefix", "expected", "fields"),
    [
        ("cooperat", "cooperatives", None),
        ("Coopérat", "cooperatives", None),
        ("collectiv", "collectivites", None),
        ("l'insert", "insertion", None),
        ("econom", "insertion", None),
        ("cooperat", "cooperatives", ["title"]),
    ],
)
def test_autocomplete_finds_pages_as_you_type(backend, pages, prefix, expected, fields):
    found = list(backend.autocomplete(prefix, Page, fields=fields))
    assert [page.pk for page in found] == [pages[expected].pk]


def test_search_page_uses_elasticsearch(client, settings, params, backend, pages):
    settings.WAGTAILSEARCH_BACKENDS = {
        "default": {"BACKEND": BACKEND_PATH, **params, "AUTO_UPDATE": False}
    }
    response = client.get("/recherche/", {"q": "cooperative d'activite"})
    assert response.status_code == 200
    content = response.content.decode()
    assert pages["cooperatives"].url in content
    assert pages["collectivites"].url not in content
