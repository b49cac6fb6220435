"""What the agenda's views read as the calendar grows: the archive counted from the facet index
kept per content generation, the month grid its window only, the feed its window (the last
months and the whole future), stored once per content generation and served with ETag."""

import gzip
import re
from datetime import UTC, timedelta
from unittest import mock

from django.core.cache import cache
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from events.ical import FEED_PAST_MONTHS
from tests.events.conftest import paris, soon
from tests.listings import summary

pytestmark = pytest.mark.django_db


@pytest.fixture
def past_events(make_event, calvados):
    """Past dates of several kinds (a series among them), and one to come."""
    return [
        make_event("Atelier passé", start=soon(-40), kind="atelier"),
        make_event("Réunion passée", start=soon(-70)),
        make_event("Permanence passée", start=soon(-60), repeat="weekly", repeat_count=6),
        make_event(
            "Webinaire passé",
            start=soon(-20),
            kind="webinaire",
            attendance_mode="en-ligne",
            online_url="https://visio.example/salle",
            territory=None,
        ),
        make_event("À venir", start=soon(12)),
    ]


@pytest.mark.parametrize(
    "query", ["", "type=atelier", "territoire=calvados", "format=en-ligne", "page=2", "q=passé"]
)
def test_the_archive_counts_what_sql_counts(client, rf, agenda, past_events, settings, query):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    url = agenda.url + "archives/"
    response = client.get(f"{url}?{query}")
    if response.status_code == 404:  # fewer than two pages of past dates
        assert query == "page=2"
        return
    listing = response.context["listing"]
    past = agenda.occurrences().filter(end__lt=timezone.now()).order_by("-start", "-pk")
    counted = agenda.get_listing(rf.get(url, QueryDict(query)), base=past)
    assert summary(listing) == summary(counted)
    assert all(item.end < timezone.now() for item in listing.items)


def test_an_archive_render_does_not_count_the_calendar(
    client, agenda, past_events, make_event, settings
):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    url = agenda.url + "archives/?type=atelier"
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    made = [q["sql"] for q in queries]
    # The dates to come, the future only, by the index on `end` (kept for the generation
    # until the first of them ends, `EventIndexPage.upcoming_window`).
    upcoming = [q for q in made if re.match(r'SELECT \S+"id" AS "pk", \S+"end" AS "end" ', q)]
    assert len(upcoming) == 1 and re.search(r'WHERE \S+"end" >= ', upcoming[0]), made
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    made = [q["sql"] for q in queries]
    # Then the page's dates by their ids (their months' headings; the cards are cached):
    # nothing counts the past, nothing reads the future again.
    assert len(made) == 1, made
    assert '"events_eventoccurrence"."id" IN (' in made[0]
    listing = response.context["listing"]
    assert "Atelier passé" in [item.page.title for item in listing.items]
    total, ateliers = listing.total, {o.value: o.count for o in listing.options["type"]}["atelier"]
    # Published after: a new content generation, counted again.
    make_event("Autre atelier passé", start=soon(-50), kind="atelier")
    listing = client.get(url).context["listing"]
    assert listing.total == total + 1
    assert {o.value: o.count for o in listing.options["type"]}["atelier"] == ateliers + 1


def test_the_month_grid_reads_its_window_only(client, agenda, make_event, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    # Starts in January and lasts into February: the February grid shows it.
    exhibition = make_event("Exposition", start=paris(2027, 1, 20, 10), end=paris(2027, 2, 9, 18))
    url = agenda.url + "2027/02/"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert exhibition.pk in {o.page_id for o in response.context["month"].occurrences}
    made = [q["sql"] for q in queries]
    assert len(made) == 2, made
    window, dates = made
    # The window's dates, bounded on both sides on the indexed start (not every date before
    # the month), without the page tree; then those dates by id, counted from the index.
    assert re.search(r'"events_eventoccurrence"\."start" >= ', window), window
    assert re.search(r'"events_eventoccurrence"\."start" < ', window), window
    assert "wagtailcore_page" not in window
    assert '"events_eventoccurrence"."id" IN (' in dates
    # The grid reads what it shows of each date, not the whole event: its cards are cached.
    assert '"events_eventpage"."venue_name"' not in dates and '"body"' not in dates
    assert '"wagtailcore_page"."title"' in dates


def test_the_month_reads_the_full_rows_of_its_cards_not_cached(
    client, agenda, make_event, settings
):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    make_event("Exposition", start=paris(2027, 2, 3, 10), venue_name="Salle des fêtes")
    url = agenda.url + "2027/02/"
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url).content.decode()
    assert "Salle des fêtes" in html  # on the card
    full = [q["sql"] for q in queries if '"events_eventpage"."venue_name"' in q["sql"]]
    assert len(full) == 1 and '"events_eventoccurrence"."id" IN (' in full[0]


# -- the feed --------------------------------------------------------------------------------


def uids_in(content):
    return set(re.findall(rb"UID:(event-\d+)@", content))


def uid(page):
    return f"event-{page.pk}".encode()


def test_the_feed_covers_its_window(client, agenda, make_event):
    old = make_event("Trop ancien", start=soon(-31 * (FEED_PAST_MONTHS + 1)))
    recent = make_event("Récent", start=soon(-31 * FEED_PAST_MONTHS + 7))
    later = make_event("Dans un an", start=soon(400))
    # A series begun long ago with dates to come is in the feed, whole.
    series = make_event(
        "Permanence", start=soon(-7 * 30), repeat="weekly", repeat_count=40, kind="atelier"
    )
    found = uids_in(client.get(agenda.url + "agenda.ics").content)
    assert uid(old) not in found
    assert {uid(recent), uid(later), uid(series)} <= found


def test_the_feed_is_stored_and_served_with_an_etag(client, agenda, make_event, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    make_event("Atelier", start=soon(5), kind="atelier")
    url = agenda.url + "agenda.ics"
    first = client.get(url)
    assert first.status_code == 200
    etag = first["ETag"]
    assert etag.startswith('"') and first["Last-Modified"]

    with CaptureQueriesContext(connection) as queries:
        second = client.get(url)
    assert len(queries) == 0, [q["sql"] for q in queries]
    assert second.content == first.content and second["ETag"] == etag

    not_modified = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert not_modified["ETag"] == etag

    filtered = client.get(url + "?type=atelier")
    assert filtered.status_code == 200 and filtered["ETag"] != etag


def test_every_worker_serves_the_same_feed(client, agenda, make_event):
    """Built again elsewhere (another worker, the cache emptied) in the same generation: the
    same bytes, so the same ETag."""
    make_event("Atelier", start=soon(5))
    url = agenda.url + "agenda.ics"
    first = client.get(url)
    cache.clear()
    # An hour later: the feed is stamped with the last change, not with the time it was built.
    later = timezone.now().astimezone(UTC).replace(microsecond=0) + timedelta(hours=1)
    with mock.patch("events.ical._now", return_value=later):
        again = client.get(url)
    assert again.content == first.content and again["ETag"] == first["ETag"]


def test_the_feed_follows_a_publication(client, agenda, make_event):
    make_event("Atelier", start=soon(5))
    url = agenda.url + "agenda.ics"
    before = client.get(url)
    new = make_event("Nouvelle réunion", start=soon(9))
    after = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert uid(new) in uids_in(after.content)
    assert after["ETag"] != before["ETag"]


def test_the_feed_is_stored_compressed_for_clients_that_accept_gzip(
    client, agenda, make_event, settings
):
    """Compressed once, when stored: every request gets the same bytes (GZipMiddleware would
    compress again, with random padding), with a weak ETag, as GZipMiddleware gives."""
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    make_event("Atelier", start=soon(5), kind="atelier")
    url = agenda.url + "agenda.ics"
    plain = client.get(url)
    first = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    second = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert first["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in plain
    assert gzip.decompress(first.content) == plain.content
    assert second.content == first.content
    assert first["ETag"] == "W/" + plain["ETag"]
    assert "Accept-Encoding" in first["Vary"] and "Accept-Encoding" in plain["Vary"]
    again = client.get(url, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    # A client that asked without gzip and sends its strong ETag back gets a 304 too.
    assert (
        client.get(url, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=plain["ETag"]).status_code
        == 304
    )


def test_the_dates_to_come_move_when_the_first_of_them_ends(client, agenda, make_event, settings):
    # Kept for the content generation until the first of them ends
    # (`EventIndexPage.upcoming_window`): then the list and the archive read them again.
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    now = timezone.now()
    ending = make_event(
        "Atelier presque terminé", start=now - timedelta(hours=1), end=now + timedelta(minutes=5)
    )
    later = make_event("Rencontre de la semaine prochaine", start=soon(7))
    html = client.get(agenda.url).content.decode()
    assert ending.title in html and later.title in html
    assert ending.title not in client.get(agenda.url + "archives/").content.decode()
    with mock.patch("django.utils.timezone.now", return_value=now + timedelta(minutes=6)):
        html = client.get(agenda.url).content.decode()
        archive = client.get(agenda.url + "archives/").content.decode()
    assert ending.title not in html and later.title in html
    assert ending.title in archive and later.title not in archive


def test_a_listing_counted_by_sql_searches_once(rf, agenda, past_events):
    # Without the index, the items and the facet counts read the same search.
    past = agenda.occurrences().filter(end__lt=timezone.now())
    search = type(agenda).search_listing
    with mock.patch.object(
        type(agenda), "search_listing", autospec=True, side_effect=search
    ) as searched:
        listing = agenda.get_listing(rf.get("/", {"q": "passé"}), base=past)
    assert searched.call_count == 1
    assert listing.total == len(listing.items)
