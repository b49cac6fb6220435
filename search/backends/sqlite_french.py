"""Wagtail's SQLite FTS5 search backend, made aware of French.

FTS5 folds accents but does no stemming: "collectivite" would not find "collectivités". Here the
text written to the index and the words of each query both go through `search.french.analyse`
(accents, elisions, stop words, Snowball stems), so that they meet on the same stems. The
autocomplete column keeps whole folded words, for prefix matching of what a person types.

Select it with WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backends.sqlite_french"}}
on a SQLite database (the settings do it).
"""

from django.db.models import FloatField, Func
from django.utils.functional import cached_property

from modelsearch.backends.database.sqlite import sqlite as base
from modelsearch.query import Phrase, PlainText

from search.french import analyse, analyse_query, words


class FrenchObjectIndexer(base.ObjectIndexer):
    @cached_property
    def title(self):
        return " ".join(analyse(super().title))

    @cached_property
    def body(self):
        return " ".join(analyse(super().body))

    @cached_property
    def autocomplete(self):
        return " ".join(words(super().autocomplete))


class FrenchSQLiteIndex(base.SQLiteIndex):
    def add_items(self, model, objs):
        """As the parent's, with the French indexer (the parent names its indexer class)."""
        if not model.get_search_fields():
            return
        data = {}
        for obj in objs:
            indexer = FrenchObjectIndexer(obj, self.backend)
            data[indexer.id] = {
                "title": indexer.title,
                "autocomplete": indexer.autocomplete,
                "body": indexer.body,
            }
        if not data:
            return
        content_type_pk = base.get_content_type_pk(model)
        entries = self.entries.filter(content_type_id=content_type_pk)
        indexed = set(entries.filter(object_id__in=data).values_list("object_id", flat=True))
        for object_id in indexed:
            entries.filter(object_id=object_id).update(**data[object_id])
        self.entries.bulk_create(
            [
                base.IndexEntry(content_type_id=content_type_pk, object_id=object_id, **values)
                for object_id, values in data.items()
                if object_id not in indexed
            ]
        )
        self._refresh_title_norms()


class FrenchQueryMixin:
    def analyse_terms(self, text):
        return analyse_query(text)

    def analyse_phrase(self, text):
        return analyse(text) or words(text)

    def build_search_query_content(self, query, config=None):
        if isinstance(query, PlainText):
            terms = self.analyse_terms(query.query_string) or ["-"]
            query = PlainText(" ".join(terms), operator=query.operator)
        elif isinstance(query, Phrase):
            query = Phrase(" ".join(self.analyse_phrase(query.query_string)) or "-")
        return super().build_search_query_content(query, config=config)


class ColumnBM25(Func):
    """FTS5's bm25 for one column of the index (the columns are autocomplete, body, title)."""

    output_field = FloatField()
    COLUMNS = ("autocomplete", "body", "title")

    def __init__(self, column):
        super().__init__()
        self.column = column

    def as_sql(self, compiler, connection, **extra):
        table = base.SQLiteFTSIndexEntry._meta.db_table
        weights = ", ".join("1.0" if name == self.column else "0.0" for name in self.COLUMNS)
        return f"bm25({table}, {weights})", []


class FrenchSQLiteSearchQueryCompiler(FrenchQueryMixin, base.SQLiteSearchQueryCompiler):
    # How much more a match in the title counts than one in the body. The stock backend
    # multiplies one whole-row bm25 by each page's title length norm, which favours pages
    # with short titles whether or not the title matches ("Accueil" first for most queries).
    TITLE_WEIGHT = 4.0

    def _build_rank_expression(self, vectors, config):
        # bm25 is lower for better matches: results are sorted in ascending order.
        return ColumnBM25("body") + ColumnBM25("title") * self.TITLE_WEIGHT


class FrenchSQLiteAutocompleteQueryCompiler(FrenchQueryMixin, base.SQLiteAutocompleteQueryCompiler):
    def analyse_terms(self, text):
        return words(text)

    def analyse_phrase(self, text):
        return words(text)


class FrenchSQLiteSearchBackend(base.SQLiteSearchBackend):
    query_compiler_class = FrenchSQLiteSearchQueryCompiler
    autocomplete_query_compiler_class = FrenchSQLiteAutocompleteQueryCompiler
    index_class = FrenchSQLiteIndex


SearchBackend = FrenchSQLiteSearchBackend
