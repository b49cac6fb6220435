"""The Elasticsearch backend, without a server: what the site sends to Elasticsearch.

The client is given a recording node in place of its HTTP connection (the backend's OPTIONS
pass `node_class` to the Elasticsearch client), so everything above the network runs for real:
modelsearch's backend, index, mappings and query compilers, the Elasticsearch client and its
serialisation. The node answers with the smallest valid responses. What Elasticsearch then makes
of the French analysis is checked against a real server by test_elasticsearch_live.py.
"""

import json
import runpy
from copy import deepcopy
from urllib.parse import urlsplit

from django.conf import settings as django_settings

from modelsearch.backends import get_search_backend
from modelsearch.backends.elasticsearch9 import Elasticsearch9Mapping, Elasticsearch9SearchBackend
from wagtail.models import Page
from wagtail.search.utils import parse_query_string

import pytest
from elastic_transport import ApiResponseMeta, BaseNode, HttpHeaders
from elastic_transport._node import NodeApiResponse

from publications.models import PublicationPage
from search.backends import elasticsearch_french
from search.backends.elasticsearch_french import SearchBackend

BACKEND_PATH = "search.backends.elasticsearch_french"
ES_URL = "http://127.0.0.1:9200"

FRENCH_TEXT = {
    "type": "custom",
    "tokenizer": "standard",
    "filter": ["french_elision", "lowercase", "french_stop", "asciifolding", "french_stemmer"],
}
FRENCH_AUTOCOMPLETE = {
    "type": "custom",
    "tokenizer": "standard",
    "filter": ["french_elision", "lowercase", "asciifolding", "edgengram"],
}
FRENCH_AUTOCOMPLETE_SEARCH = {
    "type": "custom",
    "tokenizer": "standard",
    "filter": ["french_elision", "lowercase", "asciifolding"],
}
FRENCH_FILTERS = {
    "french_elision": {
        "type": "elision",
        "articles_case": True,
        "articles": ["l", "m", "t", "qu", "n", "s", "j", "d", "c"]
        + ["jusqu", "quoiqu", "lorsqu", "puisqu"],
    },
    "french_stop": {"type": "stop", "stopwords": "_french_"},
    "french_stemmer": {"type": "stemmer", "language": "light_french"},
}
TEXT_MAPPING = {"analyzer": "french_text"}
AUTOCOMPLETE_MAPPING = {
    "analyzer": "french_autocomplete",
    "search_analyzer": "french_autocomplete_search",
}


class Request:
    def __init__(self, method, target, body):
        url = urlsplit(target)
        self.method = method
        self.path = url.path
        self.raw_body = body or b""

    @property
    def body(self):
        return json.loads(self.raw_body)

    @property
    def lines(self):
        """The body of an NDJSON request (_bulk), one object a line."""
        return [json.loads(line) for line in self.raw_body.splitlines() if line.strip()]

    def __repr__(self):
        return f"<{self.method} {self.path}>"


class RecordingNode(BaseNode):
    """An Elasticsearch 9 node that records each request and answers it minimally.

    `requests` and `hits` (the pks that a search finds) are class attributes, set per test by
    a subclass (see the `node` fixture), because the client creates its nodes itself.
    """

    requests: list
    hits: list

    def perform_request(self, method, target, body=None, headers=None, request_timeout=None):
        request = Request(method, target, body)
        self.requests.append(request)
        status, response = self.answer(request)
        meta = ApiResponseMeta(
            status=status,
            http_version="1.1",
            headers=HttpHeaders(
                {
                    "content-type": "application/vnd.elasticsearch+json;compatible-with=9",
                    "x-elastic-product": "Elasticsearch",
                }
            ),
            duration=0.0,
            node=self.config,
        )
        return NodeApiResponse(meta, json.dumps(response).encode())

    def answer(self, request):
        parts = request.path.strip("/").split("/")
        index = parts[0]
        shards = {"total": 1, "successful": 1, "failed": 0}
        if parts[-1] == "_search":
            hits = [
                {"_index": index, "_id": str(pk), "_score": 1.0, "fields": {"pk": [str(pk)]}}
                for pk in self.hits
            ]
            return 200, {
                "took": 1,
                "timed_out": False,
                "_shards": shards,
                "hits": {"total": {"value": len(hits), "relation": "eq"}, "hits": hits},
            }
        if parts[-1] == "_count":
            return 200, {"count": len(self.hits), "_shards": shards}
        if parts[-1] == "_bulk":
            actions = request.lines[::2]
            items = [
                {"index": {"_index": index, "_id": action["index"].get("_id"), "status": 201}}
                for action in actions
            ]
            return 200, {"took": 1, "errors": False, "items": items}
        if len(parts) == 3 and parts[1] == "_doc":
            return 201, {"_index": index, "_id": parts[2], "result": "created", "_shards": shards}
        if parts[-1] in {"_mapping", "_refresh"} or request.method == "DELETE":
            return 200, {"acknowledged": True, "_shards": shards}
        if len(parts) == 1 and request.method == "PUT":
            return 200, {"acknowledged": True, "shards_acknowledged": True, "index": index}
        return 404, {
            "error": {"type": "unexpected_request", "reason": repr(request)},
            "status": 404,
        }


@pytest.fixture
def node():
    return type("Node", (RecordingNode,), {"requests": [], "hits": []})


@pytest.fixture
def backend(node):
    return SearchBackend(
        {
            "URLS": [ES_URL],
            "INDEX_PREFIX": "test_",
            "TIMEOUT": 5,
            "OPTIONS": {"node_class": node},
        }
    )


def keys_of(value):
    """Every key of a JSON document, at any depth."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from keys_of(item)
    elif isinstance(value, list):
        for item in value:
            yield from keys_of(item)


def text_fields(properties, prefix=""):
    """(dotted name, mapping) of every text field of a mapping, nested ones included."""
    for name, mapping in properties.items():
        if mapping["type"] == "text":
            yield prefix + name, mapping
        elif mapping["type"] == "nested":
            yield from text_fields(mapping["properties"], f"{prefix}{name}.")


def without_analyzers(properties):
    """A mapping's properties without the analyzer settings, to compare with modelsearch's."""
    properties = deepcopy(properties)
    for mapping in properties.values():
        mapping.pop("analyzer", None)
        mapping.pop("search_analyzer", None)
        if mapping["type"] == "nested":
            mapping["properties"] = without_analyzers(mapping["properties"])
    return properties


# Settings and configuration


def test_settings_choose_the_french_backend_when_elasticsearch_url_is_set(monkeypatch):
    settings_file = django_settings.BASE_DIR / "cress_site" / "settings" / "base.py"
    monkeypatch.setenv("ELASTICSEARCH_URL", "http://es1:9200, https://es2:9243")
    monkeypatch.setenv("ELASTICSEARCH_INDEX_PREFIX", "cress_test_")
    configured = runpy.run_path(str(settings_file))["WAGTAILSEARCH_BACKENDS"]
    assert configured == {
        "default": {
            "BACKEND": BACKEND_PATH,
            "URLS": ["http://es1:9200", "https://es2:9243"],
            "INDEX_PREFIX": "cress_test_",
            "TIMEOUT": 5,
        }
    }

    monkeypatch.delenv("ELASTICSEARCH_URL")
    configured = runpy.run_path(str(settings_file))["WAGTAILSEARCH_BACKENDS"]
    assert "elasticsearch" not in configured["default"]["BACKEND"]


def test_backend_loads_from_its_dotted_path_with_the_settings_parameters():
    backend = get_search_backend(BACKEND_PATH, URLS=[ES_URL], INDEX_PREFIX="cress_", TIMEOUT=5)
    assert isinstance(backend, SearchBackend)
    assert isinstance(backend, Elasticsearch9SearchBackend)
    assert backend.index_prefix == "cress_"
    assert backend.timeout == 5
    assert backend.hosts == [
        {"host": "127.0.0.1", "port": 9200, "path_prefix": "", "scheme": "http"}
    ]


def test_index_settings_add_the_french_analysis_to_modelsearchs():
    analysis = SearchBackend({"URLS": [ES_URL]}).settings["settings"]["analysis"]
    assert analysis["analyzer"]["french_text"] == FRENCH_TEXT
    assert analysis["analyzer"]["french_autocomplete"] == FRENCH_AUTOCOMPLETE
    assert analysis["analyzer"]["french_autocomplete_search"] == FRENCH_AUTOCOMPLETE_SEARCH
    for name, definition in FRENCH_FILTERS.items():
        assert analysis["filter"][name] == definition
    # modelsearch's own analysis is all still there, its n-gram sizes included.
    stock = Elasticsearch9SearchBackend.settings["settings"]
    assert analysis["filter"]["edgengram"] == {"type": "edge_ngram", "min_gram": 1, "max_gram": 15}
    for kind in ("analyzer", "tokenizer", "filter"):
        for name, definition in stock["analysis"][kind].items():
            assert analysis[kind][name] == definition
    assert SearchBackend({"URLS": [ES_URL]}).settings["settings"]["index"] == stock["index"]


def test_index_settings_parameter_is_merged_without_losing_the_french_analysis():
    before = deepcopy(SearchBackend.settings)
    backend = SearchBackend(
        {
            "URLS": [ES_URL],
            "INDEX_SETTINGS": {
                "settings": {
                    "index": {"number_of_replicas": 0},
                    "analysis": {"filter": {"french_stop": {"stopwords": ["le", "la"]}}},
                }
            },
        }
    )
    index = backend.settings["settings"]["index"]
    analysis = backend.settings["settings"]["analysis"]
    assert index == {"max_ngram_diff": 12, "number_of_replicas": 0}
    assert analysis["filter"]["french_stop"] == {"type": "stop", "stopwords": ["le", "la"]}
    assert analysis["analyzer"]["french_text"] == FRENCH_TEXT
    # Each instance works on its own copy: the class's settings are untouched.
    assert before == SearchBackend.settings
    assert SearchBackend({"URLS": [ES_URL]}).settings["settings"]["analysis"]["filter"][
        "french_stop"
    ] == {"type": "stop", "stopwords": "_french_"}


# Mappings


@pytest.mark.parametrize("model", [PublicationPage, Page])
def test_mapping_gives_french_analysis_to_every_text_field(model):
    properties = elasticsearch_french.FrenchElasticsearchMapping(model).get_mapping()["properties"]
    fields = dict(text_fields(properties))
    autocomplete = {name for name in fields if name.endswith("_edgengrams")}
    assert autocomplete == {"_edgengrams", "title_edgengrams"}
    for name, mapping in fields.items():
        expected = AUTOCOMPLETE_MAPPING if name in autocomplete else TEXT_MAPPING
        assert {key: mapping.get(key) for key in expected} == expected, name
        if name not in autocomplete:
            assert "search_analyzer" not in mapping, name  # queries: the same analyzer
    assert {"_all_text", "_all_text_boost_2_0", "title"} <= set(fields)
    # Keyword fields are left alone.
    assert properties["pk"] == {"type": "keyword", "store": True}
    assert properties["title_filter"] == {"type": "keyword"}


def test_publication_mapping_is_modelsearchs_with_french_analyzers():
    properties = elasticsearch_french.FrenchElasticsearchMapping(PublicationPage).get_mapping()[
        "properties"
    ]
    fields = dict(text_fields(properties))
    for name in (
        "publications_publicationpage__summary",
        "publications_publicationpage__body",
        "publications_publicationpage__document_text",
        "publications_publicationpage__themes.name",
        "publications_publicationpage__territory_links.territory.name",
    ):
        assert fields[name]["analyzer"] == "french_text"
    # The title is boosted through a copy to `_all_text_boost_2_0`, as modelsearch does it.
    assert properties["title"]["copy_to"] == ["_all_text", "_all_text_boost_2_0"]
    stock = Elasticsearch9Mapping(PublicationPage).get_mapping()["properties"]
    assert without_analyzers(properties) == without_analyzers(stock)
    assert list(properties) == list(stock)


# Requests sent to Elasticsearch


@pytest.mark.django_db
def test_requests_to_create_the_index_add_a_page_and_search(backend, node):
    page = PublicationPage.objects.live().first()
    index = backend.get_index_for_model(PublicationPage)
    index.put()
    index.add_model(PublicationPage)
    backend.add(page)
    node.hits = [page.pk]
    results = list(backend.search("cooperative d'activite", PublicationPage)[:10])

    assert results == [page]
    create, put_mapping, add, search = node.requests
    assert (create.method, create.path) == ("PUT", "/test_wagtailcore_page")
    assert create.body == backend.settings
    analysis = create.body["settings"]["analysis"]
    assert analysis["analyzer"]["french_text"] == FRENCH_TEXT
    assert analysis["analyzer"]["french_autocomplete"] == FRENCH_AUTOCOMPLETE
    assert analysis["analyzer"]["french_autocomplete_search"] == FRENCH_AUTOCOMPLETE_SEARCH
    assert {name: analysis["filter"][name] for name in FRENCH_FILTERS} == FRENCH_FILTERS

    assert (put_mapping.method, put_mapping.path) == ("PUT", "/test_wagtailcore_page/_mapping")
    mapped = put_mapping.body["properties"]
    assert mapped["_all_text"] == {"type": "text", "analyzer": "french_text"}
    assert mapped["_edgengrams"] == {"type": "text", **AUTOCOMPLETE_MAPPING}

    assert (add.method, add.path) == ("PUT", f"/test_wagtailcore_page/_doc/{page.pk}")
    assert add.body["title"] == page.title
    content_types = add.body["_django_content_type"]
    assert content_types[0] == "publications.PublicationPage"
    assert "wagtailcore.Page" in content_types
    assert page.title in add.body["_edgengrams"]

    assert (search.method, search.path) == ("POST", "/test_wagtailcore_page/_search")
    query = search.body["query"]["bool"]
    # The words as typed, for Elasticsearch to analyse with each field's analyzer: a match on
    # the French-analysed catch-all fields, the title's boost kept; no query syntax involved.
    assert query["must"] == {
        "multi_match": {
            "query": "cooperative d'activite",
            "fields": ["_all_text", "_all_text_boost_2_0^2.0"],
        }
    }
    for field in query["must"]["multi_match"]["fields"]:
        assert mapped[field.split("^")[0]]["analyzer"] == "french_text"
    assert query["filter"] == {"match": {"_django_content_type": "publications.PublicationPage"}}
    assert not {"query_string", "simple_query_string"} & set(keys_of(search.body))


@pytest.mark.django_db
def test_bulk_indexing_sends_the_documents(backend, node):
    pages = list(PublicationPage.objects.live()[:3])
    backend.add_bulk(PublicationPage, pages)
    (bulk,) = node.requests
    assert (bulk.method, bulk.path) == ("PUT", "/test_wagtailcore_page/_bulk")
    actions, documents = bulk.lines[::2], bulk.lines[1::2]
    assert [action["index"]["_id"] for action in actions] == [str(page.pk) for page in pages]
    assert [document["title"] for document in documents] == [page.title for page in pages]


@pytest.mark.parametrize(
    ("fields", "column"), [(None, "_edgengrams"), (["title"], "title_edgengrams")]
)
def test_autocomplete_matches_the_edge_ngram_fields(backend, node, fields, column):
    assert list(backend.autocomplete("Coopérat", Page, fields=fields)[:8]) == []
    (search,) = node.requests
    assert search.body["query"]["bool"]["must"] == {"match": {column: {"query": "Coopérat"}}}
    mapping = elasticsearch_french.FrenchElasticsearchMapping(Page).get_mapping()
    assert mapping["properties"][column] == {"type": "text", **AUTOCOMPLETE_MAPPING}


@pytest.mark.parametrize(
    "query", ["coop* AND (emploi OR insertion) -caen", '" * - : ( ) NEAR AND OR', "l'"]
)
def test_query_syntax_is_sent_as_plain_words(backend, node, query):
    list(backend.search(query, Page)[:10])
    (search,) = node.requests
    assert search.body["query"]["bool"]["must"]["multi_match"]["query"] == query
    assert not {"query_string", "simple_query_string"} & set(keys_of(search.body))


@pytest.mark.django_db
def test_search_page_queries_elasticsearch_with_the_analysed_fields(client, settings, node):
    settings.WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": BACKEND_PATH,
            "URLS": [ES_URL],
            "INDEX_PREFIX": "test_",
            "TIMEOUT": 5,
            "AUTO_UPDATE": False,
            "OPTIONS": {"node_class": node},
        }
    }
    # Each search goes to the node: what it finds changes below without the content changing.
    settings.SEARCH_CACHE_SECONDS = 0
    page = PublicationPage.objects.live().first()
    _filters, expected_query = parse_query_string("cooperative d'activite")

    # Whatever Elasticsearch finds is what the page lists: nothing, then the publication.
    response = client.get("/recherche/", {"q": "cooperative d'activite"})
    assert response.status_code == 200
    assert page.url not in response.content.decode()
    node.hits = [page.pk]
    response = client.get("/recherche/", {"q": "cooperative d'activite"})
    assert response.status_code == 200
    assert page.url in response.content.decode()

    searches = [request for request in node.requests if request.path.endswith("/_search")]
    assert searches
    for search in searches:
        assert search.path == "/test_wagtailcore_page/_search"
        # The site's query (its words, all required): a match on the French-analysed fields.
        assert search.body["query"]["bool"]["must"] == {
            "multi_match": {
                "query": expected_query.query_string,
                "operator": expected_query.operator,
                "fields": ["_all_text", "_all_text_boost_2_0^2.0"],
            }
        }
        assert not {"query_string", "simple_query_string"} & set(keys_of(search.body))


@pytest.mark.django_db
def test_search_page_sends_the_last_word_as_a_prefix(client, settings, node):
    """An unfinished last word ("cooperativ") is sent with the words of the site that start
    with it (one per stem), any of which may match; the words before it are all required.
    Each is plain text, analysed by Elasticsearch with the French analyzer of each field."""
    settings.WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": BACKEND_PATH,
            "URLS": [ES_URL],
            "INDEX_PREFIX": "test_",
            "TIMEOUT": 5,
            "AUTO_UPDATE": False,
            "OPTIONS": {"node_class": node},
        }
    }
    response = client.get("/recherche/", {"q": "calvados cooperativ"})
    assert response.status_code == 200
    search = next(r for r in node.requests if r.path.endswith("/_search"))
    branches = search.body["query"]["bool"]["must"]["dis_max"]["queries"]
    fields = []
    for branch in branches:
        required, prefix = branch["bool"]["must"]
        ((field, calvados),) = required["match"].items()
        fields.append(field)
        assert calvados["query"] == "calvados"
        words = [next(iter(match["match"].values()))["query"] for match in prefix["bool"]["should"]]
        assert words[0] == "cooperativ" and "coopératives" in words
    assert fields == ["_all_text", "_all_text_boost_2_0"]
    assert not {"query_string", "simple_query_string"} & set(keys_of(search.body))
