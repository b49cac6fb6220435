"""Wagtail's SQLite FTS5 search backend, made aware of French.

FTS5 folds accents but does no stemming: "collectivite" would not find "collectivités". Here the
text written to the index and the words of each query both go through `search.french.analyse`
(accents, elisions, stop words, Snowball stems), so that they meet on the same stems. The
autocomplete column keeps whole folded words, for prefix matching of what a person types.

Select it with WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backends.sqlite_french"}}
on a SQLite database (the settings do it).
"""

from django.db.models import (
    Case,
    Exists,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.utils.functional import cached_property

from modelsearch.backends.database.sqlite import sqlite as base
from modelsearch.backends.database.sqlite.query import MatchExpression, normalize
from modelsearch.query import MatchAll, Not, Phrase, PlainText
from modelsearch.utils import get_descendants_content_types_pks

from search.backends.annotations import AnnotationFiltersMixin
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


class BM25(Func):
    """FTS5's bm25 with a weight per column of the index (autocomplete, body, title)."""

    output_field = FloatField()
    COLUMNS = ("autocomplete", "body", "title")

    def __init__(self, **weights):
        super().__init__()
        self.weights = [float(weights.get(name, 0)) for name in self.COLUMNS]

    def as_sql(self, compiler, connection, **extra):
        table = base.SQLiteFTSIndexEntry._meta.db_table
        return f"bm25({table}, {', '.join(map(str, self.weights))})", []


class RankedSearchMixin:
    # The best-ranked rows of the full-text index read first, before checking which of them
    # are objects of the searched queryset: enough for the asked slice when the index holds
    # mostly such objects (the site's pages), with a margin for the others.
    OVERFETCH_FACTOR = 2
    OVERFETCH_MARGIN = 50

    def _fts_matches(self, config):
        """The rows of the full-text index matching the query, whatever object they index."""
        search_query = self.build_search_query(normalize(self.query), config=config)
        return base.SQLiteFTSIndexEntry.objects.filter(
            MatchExpression(self.fields or self.FTS_TABLE_FIELDS, search_query)
        )

    def _searched_entries(self, entries):
        """Narrow index `entries` to the objects of the searched queryset.

        A correlated EXISTS reads each candidate object by its primary key; an IN (subquery)
        would first list every object of the queryset (all the site's live pages), whatever
        the number of matches.
        """
        model = self.queryset.model
        object_pk = Cast(OuterRef("index_entry__object_id"), output_field=model._meta.pk)
        return entries.filter(
            Exists(self.queryset.order_by().filter(pk=object_pk)),
            index_entry__content_type__in=get_descendants_content_types_pks(model),
        )

    def _matching_entries(self, config):
        """The index rows matching the query, for the searched queryset's objects."""
        return self._searched_entries(self._fts_matches(config))

    def _ranked_rows(self, config, rank, start, stop):
        """(object id, score) of the best matches from `start` to `stop`, in two steps.

        First the full-text index alone is ranked and its best rows read (ranking is done
        inside FTS5, without a join per match); then those rows are narrowed to the searched
        queryset. When too few of them are left for the asked slice and the index had more
        matches, the whole ranked join is run instead.
        """
        order = ("score", "index_entry_id")
        if stop is not None:
            limit = max(stop * self.OVERFETCH_FACTOR, stop + self.OVERFETCH_MARGIN)
            best = list(
                self._fts_matches(config)
                .annotate(score=rank)
                .order_by(*order)
                .values_list("index_entry_id", "score")[:limit]
            )
            if not best:
                return []
            scores = dict(best)
            kept = dict(
                self._searched_entries(
                    base.SQLiteFTSIndexEntry.objects.filter(index_entry_id__in=scores)
                ).values_list("index_entry_id", "index_entry__object_id")
            )
            rows = [(kept[entry], score) for entry, score in best if entry in kept]
            if len(rows) >= stop or len(best) < limit:
                return rows[start:stop]
        return list(
            self._matching_entries(config)
            .annotate(score=rank)
            .order_by(*order)
            .values_list("index_entry__object_id", "score")[start:stop]
        )

    def ranked(self, config, start, stop):
        """(primary key, score) of the asked slice of results, best first; None when the
        results are not ordered by relevance (the stock backend's search then applies)."""
        query = normalize(self.query)
        if not self.order_by_relevance or isinstance(query, MatchAll | Not):
            return None
        rank = self._build_rank_expression(self.get_search_vectors(), config)
        to_python = self.queryset.model._meta.pk.to_python
        return [
            (to_python(object_id), score)
            for object_id, score in self._ranked_rows(config, rank, start, stop)
        ]

    def search(self, config, start, stop, score_field=None):
        """Ranked results: the best index rows, then the objects of the asked slice.

        The stock backend ranks by annotating each matching object with a correlated subquery
        that runs the full-text match again: the time grows with the square of the number of
        matches (minutes for a common word at 10,000 pages). Here the FTS table is ranked and
        sliced first (see _ranked_rows); then the objects of that slice are read and put in
        that order. FrenchSQLiteSearchResults reads them without this queryset's ordering
        expression (one branch per result: slow to build for hundreds of results).
        """
        ranked = self.ranked(config, start, stop)
        if ranked is None:
            return super().search(config, start, stop, score_field=score_field)
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
    AnnotationFiltersMixin, RankedSearchMixin, FrenchQueryMixin, base.SQLiteSearchQueryCompiler
):
    # How much more a match in the title counts than one in the body. The stock backend
    # multiplies one whole-row bm25 by each page's title length norm, which favours pages
    # with short titles whether or not the title matches ("Accueil" first for most queries).
    TITLE_WEIGHT = 4.0

    def _build_rank_expression(self, vectors, config):
        # bm25 is lower for better matches: results are sorted in ascending order.
        # Two per-column scores rather than one bm25 with column weights: a title match then
        # earns its own saturating bonus, which ranks the pitch page first for "collectivite".
        return BM25(body=1) + BM25(title=1) * self.TITLE_WEIGHT


class FrenchSQLiteAutocompleteQueryCompiler(
    AnnotationFiltersMixin,
    RankedSearchMixin,
    FrenchQueryMixin,
    base.SQLiteAutocompleteQueryCompiler,
):
    def _build_rank_expression(self, vectors, config):
        return BM25(autocomplete=1)

    def analyse_terms(self, text):
        return words(text)

    def analyse_phrase(self, text):
        return words(text)


class FrenchSQLiteSearchResults(base.SQLiteSearchResults):
    def _do_search(self):
        """The ranked slice read with one plain query and put in order here."""
        compiler = self.query_compiler
        ranked = compiler.ranked(compiler.get_config(self.backend), self.start, self.stop)
        if ranked is None:
            return super()._do_search()
        objects = {obj.pk: obj for obj in compiler.queryset.filter(pk__in=[pk for pk, _ in ranked])}
        results = []
        for pk, score in ranked:
            obj = objects.get(pk)
            if obj is None:  # gone since the index was read
                continue
            if self._score_field is not None:
                setattr(obj, self._score_field, score)
            results.append(obj)
        return results

    def _do_count(self):
        count = self.query_compiler.count(self.query_compiler.get_config(self.backend))
        return super()._do_count() if count is None else count


class FrenchSQLiteSearchBackend(base.SQLiteSearchBackend):
    query_compiler_class = FrenchSQLiteSearchQueryCompiler
    autocomplete_query_compiler_class = FrenchSQLiteAutocompleteQueryCompiler
    index_class = FrenchSQLiteIndex
    results_class = FrenchSQLiteSearchResults


SearchBackend = FrenchSQLiteSearchBackend
