"""Wagtail's Elasticsearch 9 search backend, made aware of French.

Elasticsearch does the analysis itself; this backend only tells it how, when the index is created:

- full text (every `SearchField`, the `_all_text` catch-all and its `_all_text_boost_*`
  copies) goes through `french_text`: standard tokenizer, elisions (l', d', qu'…, either
  apostrophe, any case), lower case, French stop words, accents folded, then the `light_french`
  stemmer, so that "cooperative d'activite" finds "Coopératives d'activité et d'emploi". The
  mapping names no separate search analyzer, so queries go through the same chain;
- suggestions (`autocomplete()`: the `_edgengrams` field and each `AutocompleteField`) are
  indexed by `french_autocomplete` (elisions, lower case, accents folded, then modelsearch's
  edge n-grams: the first 1 to 15 letters of each word, unstemmed) and searched with
  `french_autocomplete_search` (the same without n-grams), so that "cooperat" finds
  "Coopérative" and "economie" finds "Économie".

Everything else is modelsearch's: the fields, their boosts and the queries (`match` and
`multi_match` on those analysed fields, never a `query_string` with the user's syntax). The
analysis can be adjusted through the backend's INDEX_SETTINGS, which is merged into the settings
below. Changing the analysis needs the indexes rebuilt: `manage.py update_index`.

Select it with WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND":
"search.backends.elasticsearch_french", "URLS": [...]}} (the settings do it when ELASTICSEARCH_URL
is set).
"""

from copy import deepcopy

from modelsearch.backends.elasticsearch9 import (
    Elasticsearch9AutocompleteQueryCompiler,
    Elasticsearch9Mapping,
    Elasticsearch9SearchBackend,
    Elasticsearch9SearchQueryCompiler,
)
from modelsearch.utils import deep_update

TEXT_ANALYZER = "french_text"
AUTOCOMPLETE_ANALYZER = "french_autocomplete"
AUTOCOMPLETE_SEARCH_ANALYZER = "french_autocomplete_search"

# The articles and conjunctions that are elided before a vowel: l'économie, qu'il, jusqu'à.
ELIDED_ARTICLES = [
    "l",
    "m",
    "t",
    "qu",
    "n",
    "s",
    "j",
    "d",
    "c",
    "jusqu",
    "quoiqu",
    "lorsqu",
    "puisqu",
]

FRENCH_ANALYSIS = {
    "filter": {
        "french_elision": {
            "type": "elision",
            "articles_case": True,
            "articles": ELIDED_ARTICLES,
        },
        "french_stop": {"type": "stop", "stopwords": "_french_"},
        "french_stemmer": {"type": "stemmer", "language": "light_french"},
    },
    "analyzer": {
        TEXT_ANALYZER: {
            "type": "custom",
            "tokenizer": "standard",
            # Stop words before folding: the `_french_` list is accented ("été", "à").
            "filter": [
                "french_elision",
                "lowercase",
                "french_stop",
                "asciifolding",
                "french_stemmer",
            ],
        },
        AUTOCOMPLETE_ANALYZER: {
            "type": "custom",
            "tokenizer": "standard",
            # `edgengram` is modelsearch's own filter (min_gram 1, max_gram 15).
            "filter": ["french_elision", "lowercase", "asciifolding", "edgengram"],
        },
        AUTOCOMPLETE_SEARCH_ANALYZER: {
            "type": "custom",
            "tokenizer": "standard",
            "filter": ["french_elision", "lowercase", "asciifolding"],
        },
    },
}


def _analyse_text_in_french(properties):
    """Give the French analyzer to each text field of a mapping that names no analyzer."""
    for field_mapping in properties.values():
        if field_mapping.get("type") == "text":
            field_mapping.setdefault("analyzer", TEXT_ANALYZER)
        elif field_mapping.get("type") == "nested":
            _analyse_text_in_french(field_mapping["properties"])


class FrenchElasticsearchMapping(Elasticsearch9Mapping):
    # Used by modelsearch for `_edgengrams` and for every AutocompleteField column.
    edgengram_analyzer_config = {
        "analyzer": AUTOCOMPLETE_ANALYZER,
        "search_analyzer": AUTOCOMPLETE_SEARCH_ANALYZER,
    }

    def get_mapping(self):
        # The parent builds `_all_text` and the `_all_text_boost_*` fields inside this method,
        # with no hook for their analyzer: the mapping is completed here rather than rewritten.
        mapping = super().get_mapping()
        _analyse_text_in_french(mapping["properties"])
        return mapping


class FrenchElasticsearchSearchQueryCompiler(Elasticsearch9SearchQueryCompiler):
    mapping_class = FrenchElasticsearchMapping


class FrenchElasticsearchAutocompleteQueryCompiler(Elasticsearch9AutocompleteQueryCompiler):
    mapping_class = FrenchElasticsearchMapping


class FrenchElasticsearchSearchBackend(Elasticsearch9SearchBackend):
    mapping_class = FrenchElasticsearchMapping
    query_compiler_class = FrenchElasticsearchSearchQueryCompiler
    autocomplete_query_compiler_class = FrenchElasticsearchAutocompleteQueryCompiler

    # The body of the create-index request: modelsearch's analysis plus the French one. The
    # backend copies it for each instance and merges the INDEX_SETTINGS parameter into the copy.
    settings = deep_update(
        deepcopy(Elasticsearch9SearchBackend.settings),
        {"settings": {"analysis": FRENCH_ANALYSIS}},
    )


SearchBackend = FrenchElasticsearchSearchBackend
