"""What people search for on the site, counted per day (see search/analytics.py)."""

from django.db import models
from django.db.models import Max, OuterRef, Subquery, Sum

QUERY_MAX_LENGTH = 200


class SearchQueryDayQuerySet(models.QuerySet):
    def summary(self, start, end, without_results_only=False):
        """One row per normalised query searched between `start` and `end` (dates, included):

        `key`, `label` (the query as typed on the latest day it was searched in the period),
        `total_hits`, `total_without_results` and `last_day`. Unordered; one SQL query whatever
        the number of rows.
        """
        in_period = self.filter(day__gte=start, day__lte=end)
        latest_label = in_period.filter(key=OuterRef("key")).order_by("-day").values("text")[:1]
        rows = (
            in_period.values("key")
            .annotate(
                total_hits=Sum("hits"),
                total_without_results=Sum("hits_without_results"),
                last_day=Max("day"),
            )
            .annotate(label=Subquery(latest_label))
            .order_by()
        )
        if without_results_only:
            rows = rows.filter(total_without_results__gt=0)
        return rows


class SearchQueryDay(models.Model):
    """How many times a query was searched on a day (Europe/Paris), and how many of those
    searches found nothing.

    Written in bulk by search.analytics.flush(), never row by row during a search.
    """

    day = models.DateField("jour")
    key = models.CharField(
        "forme normalisée",
        max_length=QUERY_MAX_LENGTH,
        help_text="La recherche en minuscules, sans accents ni espaces superflus.",
    )
    text = models.CharField(
        "recherche",
        max_length=QUERY_MAX_LENGTH,
        help_text="La recherche telle que saisie (la première forme vue ce jour-là).",
    )
    hits = models.PositiveIntegerField("recherches", default=0)
    hits_without_results = models.PositiveIntegerField("recherches sans résultat", default=0)

    objects = SearchQueryDayQuerySet.as_manager()

    class Meta:
        verbose_name = "statistique de recherche"
        verbose_name_plural = "statistiques de recherche"
        # Rows are only written by the search itself: viewing the report is the only permission.
        default_permissions = ("view",)
        constraints = [
            models.UniqueConstraint(fields=["day", "key"], name="unique_search_query_per_day")
        ]
        indexes = [models.Index(fields=["key", "day"], name="search_query_key_day")]

    def __str__(self):
        return f"{self.text} ({self.day:%d/%m/%Y}) : {self.hits}"
