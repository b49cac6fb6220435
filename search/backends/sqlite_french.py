"""Wagtail's SQLite FTS5 search backend, made aware of French.

FTS5 folds accents but does no stemming: "collectivite" would not find "collectivités". Here the
text written to the index and the words of each query both go through `search.french.analyse`
(accents, elisions, stop words, Snowball stems), so that they meet on the same stems. The
autocomplete column keeps whole folded words, for prefix matching of what a person types.

Select it with WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backends.sqlite_french"}}
on a SQLite database (the settings do it).
"""

from django.db.models import Case, FloatField, Func, IntegerField, TextField, Value, When
from django.db.models.functions import Cast
from django.utils.functional import cached_property

from modelsearch.backends.database.sqlite import sqlite as base
from modelsearch.backends.database.sqlite.query import MatchExpression, normalize
from modelsearch.query import MatchAll, Not, Phrase, PlainText
from modelsearch.utils import get_descendants_content_types_pks

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


class RankedSearchMixin:
    def _matching_entries(self, config):
        """The FTS rows matching the query, for the searched model and the searched queryset."""
        search_query = self.build_search_query(normalize(self.query), config=config)
        candidates = (
            self.queryset.order_by()
            .annotate(search_object_id=Cast("pk", TextField()))
            .values("search_object_id")
        )
        return base.SQLiteFTSIndexEntry.objects.filter(
            MatchExpression(self.fields or self.FTS_TABLE_FIELDS, search_query),
            index_entry__content_type__in=get_descendants_content_types_pks(self.queryset.model),
            index_entry__object_id__in=candidates,
        )

    def search(self, config, start, stop, score_field=None):
        """Ranked results in two plain queries.

        The stock backend ranks by annotating each matching object with a correlated subquery
        that runs the full-text match again: the time grows with the square of the number of
        matches (minutes for a common word at 10,000 pages). Here the FTS table is queried
        once, sorted by rank and sliced; then the objects of that slice are read and put in
        that order.
        """
        query = normalize(self.query)
        if not self.order_by_relevance or isinstance(query, MatchAll | Not):
            return super().search(config, start, stop, score_field=score_field)
        rank = self._build_rank_expression(self.get_search_vectors(), config)
        rows = list(
            self._matching_entries(config)
            .annotate(score=rank)
            .order_by("score", "index_entry__object_id")
            .values_list("index_entry__object_id", "score")[start:stop]
        )
        to_python = self.queryset.model._meta.pk.to_python
        ranked = [(to_python(object_id), score) for object_id, score in rows]
        if not ranked:
            return self.queryset.none()
        position = Case(
            *[When(pk=pk, then=Value(index)) for index, (pk, _score) in enumerate(ranked)],
            output_field=IntegerField(),
        )
        results = self.queryset.filter(pk__in=[pk for pk, _score in ranked])
        if score_field is not None:
            results = results.annotate(
                **{
                    score_field: Case(
                        *[When(pk=pk, then=Value(score)) for pk, score in ranked],
                        output_field=FloatField(),
                    )
                }
            )
        return results.order_by(position)

    def count(self, config):
        query = normalize(self.query)
        if isinstance(query, MatchAll | Not):
            return None
        return self._matching_entries(config).count()


class FrenchSQLiteSearchQueryCompiler(
    RankedSearchMixin, FrenchQueryMixin, base.SQLiteSearchQueryCompiler
):
    # How much more a match in the title counts than one in the body. The stock backend
    # multiplies one whole-row bm25 by each page's title length norm, which favours pages
    # with short titles whether or not the title matches ("Accueil" first for most queries).
    TITLE_WEIGHT = 4.0

    def _build_rank_expression(self, vectors, config):
        # bm25 is lower for better matches: results are sorted in ascending order.
        return ColumnBM25("body") + ColumnBM25("title") * self.TITLE_WEIGHT


class FrenchSQLiteAutocompleteQueryCompiler(
    RankedSearchMixin, FrenchQueryMixin, base.SQLiteAutocompleteQueryCompiler
):
    def _build_rank_expression(self, vectors, config):
        return ColumnBM25("autocomplete")

    def analyse_terms(self, text):
        return words(text)

    def analyse_phrase(self, text):
        return words(text)


class FrenchSQLiteSearchResults(base.SQLiteSearchResults):
    def _do_count(self):
        count = self.query_compiler.count(self.query_compiler.get_config(self.backend))
        return super()._do_count() if count is None else count


class FrenchSQLiteSearchBackend(base.SQLiteSearchBackend):
    query_compiler_class = FrenchSQLiteSearchQueryCompiler
    autocomplete_query_compiler_class = FrenchSQLiteAutocompleteQueryCompiler
    index_class = FrenchSQLiteIndex
    results_class = FrenchSQLiteSearchResults


SearchBackend = FrenchSQLiteSearchBackend
