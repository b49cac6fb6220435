"""Wagtail's PostgreSQL search backend with accent-insensitive French configurations.

The configurations are created by the migration search/0001 (PostgreSQL only): full-text search
uses `french_unaccent` (French stems, accents ignored), suggestions `simple_unaccent` (whole
words, accents ignored) instead of the stock `simple`, which keeps accents.
"""

from modelsearch.backends.database.postgres.postgres import (
    PostgresAutocompleteQueryCompiler,
    PostgresSearchBackend,
    PostgresSearchQueryCompiler,
)

from search.backends.annotations import AnnotationFiltersMixin

SEARCH_CONFIG = "french_unaccent"
AUTOCOMPLETE_CONFIG = "simple_unaccent"


class FrenchPostgresSearchQueryCompiler(AnnotationFiltersMixin, PostgresSearchQueryCompiler):
    pass


class FrenchPostgresAutocompleteQueryCompiler(
    AnnotationFiltersMixin, PostgresAutocompleteQueryCompiler
):
    pass


class FrenchPostgresSearchBackend(PostgresSearchBackend):
    query_compiler_class = FrenchPostgresSearchQueryCompiler
    autocomplete_query_compiler_class = FrenchPostgresAutocompleteQueryCompiler

    def __init__(self, params):
        super().__init__({"SEARCH_CONFIG": SEARCH_CONFIG, **params})
        self.autocomplete_config = params.get("AUTOCOMPLETE_CONFIG", AUTOCOMPLETE_CONFIG)


SearchBackend = FrenchPostgresSearchBackend
