"""The SQLite backend ranks the full-text index first, then keeps the searched objects.

`RankedSearchMixin` reads the best rows of the FTS5 index (ranked inside FTS5, without a
join per match), then narrows them to the searched queryset; when too few are left for the
asked slice, it runs the whole ranked join instead. Both paths must give the same order.
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import Page

import pytest

from home.factories import ContentPageFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "sqlite", reason="the SQLite full-text backend only runs on SQLite"
    ),
]

WORD = "zorglubienne"


@pytest.fixture
def pages(home_page):
    """Sixty pages with the word in their title (the best matches), and one with the word once
    in its listing summary (the weakest)."""
    strong = [
        ContentPageFactory(parent=home_page, title=f"{WORD} numéro {number}", slug=f"z-{number}")
        for number in range(60)
    ]
    weak = ContentPageFactory(
        parent=home_page, title="Une page ordinaire", slug="ordinaire", listing_summary=WORD
    )
    return strong, weak


def ids(results):
    return [page.pk for page in results]


def test_a_slice_is_the_same_slice_of_the_whole_ranking(pages):
    everything = ids(Page.objects.live().search(WORD)[:100])
    assert len(everything) == 61
    assert everything[-1] == pages[1].pk
    assert ids(Page.objects.live().search(WORD)[:10]) == everything[:10]
    assert ids(Page.objects.live().search(WORD)[20:30]) == everything[20:30]
    assert ids(Page.objects.live().search(WORD)[55:70]) == everything[55:]


def test_the_best_rows_are_narrowed_to_the_searched_queryset(pages):
    strong, _weak = pages
    for page in strong[:5]:
        page.unpublish()
    results = ids(Page.objects.live().search(WORD)[:10])
    assert len(results) == 10
    assert not set(results) & {page.pk for page in strong[:5]}


def test_a_weak_match_outside_the_best_rows_is_still_found(pages):
    """Only the weakest match is in the queryset: the best index rows hold none of it, so
    the whole ranked join runs — one query more, same answer."""
    from search.backends.sqlite_french import RankedSearchMixin  # importable on SQLite only

    strong, weak = pages
    limit = max(10 * RankedSearchMixin.OVERFETCH_FACTOR, 10 + RankedSearchMixin.OVERFETCH_MARGIN)
    assert len(strong) >= limit  # the weak page is not among the best rows read first
    with CaptureQueriesContext(connection) as common:
        assert len(Page.objects.live().search(WORD)[:10]) == 10
    with CaptureQueriesContext(connection) as fallback:
        assert ids(Page.objects.filter(pk=weak.pk).search(WORD)[:10]) == [weak.pk]
    assert len(fallback) == len(common) + 1


def test_no_match_reads_no_page(pages):
    with CaptureQueriesContext(connection) as queries:
        assert list(Page.objects.live().search("wxqzyv")[:10]) == []
    assert not any('FROM "wagtailcore_page"' in query["sql"] for query in queries)
