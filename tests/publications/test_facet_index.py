"""The library counted from its facet index (cress_site.facets.FacetIndex), kept per content
generation: the same counts, totals and pages as SQL counts them, no query that counts the
catalogue when a page is rendered, and up to date as soon as a publication is published."""

import datetime

from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

import pytest

from cress_site.models import Territory
from tests.listings import summary

pytestmark = pytest.mark.django_db

URL = "/observatoire/"


@pytest.mark.parametrize(
    "query",
    [
        "",
        "type=etude",
        "territoire=orne",
        "territoire=normandie&type=etude",
        "annee=2022",
        "theme=mobilite&annee=2023",
        "annee=1999",  # a year without publications
        "territoire=caen-la-mer",  # an intercommunalité: not in the index, read by its filter
        "q=économie",
        "q=économie&type=etude&tri=titre",
        "tri=anciennes",
        "page=2",
    ],
)
def test_the_index_counts_what_sql_counts(library, rf, query):
    epci = Territory.objects.get(kind="epci", code="200065597")  # Caen la Mer
    query = query.replace("caen-la-mer", epci.slug)
    # Four per page: the demo's nine publications make three pages.
    indexed = library.get_listing(rf.get(URL, QueryDict(query)), per_page=4)
    # With its base given and no index, the listing counts with SQL (as the agenda's views do).
    counted = library.get_listing(
        rf.get(URL, QueryDict(query)), per_page=4, base=library.get_listing_base_queryset()
    )
    assert summary(indexed) == summary(counted)


def test_a_render_does_not_count_the_catalogue(client, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    for query in ({}, {"type": "etude", "territoire": "orne"}, {"q": "économie", "type": "etude"}):
        client.get(URL, query)  # the index built (and the search made) once per generation
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL, query)
        assert response.status_code == 200
        # No count, no grouping, no text search again, and no card read again: the counts
        # come from the index, the cards from the shared cache (the rows of the cards it
        # lacks are read by id: tests/cress_site/test_query_budgets.py).
        assert [q["sql"] for q in queries] == []
        assert response.context["listing"].total > 0


def test_counts_follow_a_publication(client, settings, make_publication, orne):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0

    def counts():
        listing = client.get(URL).context["listing"]
        options = listing.options
        return (
            listing.total,
            {o.value: o.count for o in options["territoire"]}["orne"],
            {o.value: o.count for o in options["annee"]}.get("2019", 0),
            [item.title for item in listing.items][:1],
        )

    total, in_orne, in_2019, _first = counts()
    assert counts() == (total, in_orne, in_2019, _first)  # from the index, as before
    make_publication(
        "Panorama de l'ESS dans l'Orne 2019",
        territories=[orne],
        publication_date=datetime.date(2019, 6, 1),
    )
    # The publication started a new content generation: the index is built again.
    assert counts()[:3] == (total + 1, in_orne + 1, in_2019 + 1)
    make_publication("La plus récente", publication_date=datetime.date.today())
    assert counts()[3] == ["La plus récente"]
