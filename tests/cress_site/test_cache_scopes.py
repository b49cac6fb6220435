"""A registration moves the generation of places only: the pages that show places are rendered
again, the entries kept for the content alone (the menu, the search vocabulary, the matches of
searches…) stay, so that a busy registration day does not run the whole site cold."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from cress_site import cache as content_cache
from events.models import EventOccurrence, EventPage, Registration
from home.models import ContentPage
from search.vocabulary import vocabulary

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def cache_on(settings):
    settings.SHARED_CACHE_SECONDS = 300


@pytest.fixture
def occurrence():
    """A date of the demo agenda that takes registrations, with places left."""
    return (
        EventOccurrence.objects.filter(page__registration_enabled=True, cancelled=False)
        .select_related("page")
        .order_by("start")
        .last()
    )


def register(occurrence, name="Camille Martin"):
    return Registration.objects.create(
        occurrence=occurrence,
        name=name,
        email=f"{name.split()[0].lower()}@example.org",
        profile="porteur",
    )


def test_a_registration_moves_the_places_not_the_content(occurrence):
    content, everything = content_cache.content_generation(), content_cache.generation()
    register(occurrence)
    assert content_cache.content_generation() == content
    assert content_cache.generation() > everything


def test_a_publication_moves_both(occurrence):
    content, everything = content_cache.content_generation(), content_cache.generation()
    page = ContentPage.objects.live().first()
    page.save_revision().publish()
    assert content_cache.content_generation() > content
    assert content_cache.generation() > everything


def test_the_search_vocabulary_survives_a_registration_not_a_publication(site, occurrence):
    built = vocabulary(site)
    register(occurrence)
    assert vocabulary(site) is built  # not built again (about 2 s on a large site)
    ContentPage.objects.live().first().save_revision().publish()
    assert vocabulary(site) is not built


def test_a_shared_entry_follows_its_scope(occurrence):
    calls = []

    def build():
        calls.append(1)
        return len(calls)

    assert content_cache.shared("menu-like", build, scope=content_cache.CONTENT) == 1
    assert content_cache.shared("places-like", build) == 2
    register(occurrence)
    assert content_cache.shared("menu-like", build, scope=content_cache.CONTENT) == 1  # kept
    assert content_cache.shared("places-like", build) == 3  # built again


def test_a_cached_event_page_shows_the_place_taken_and_a_search_keeps_its_matches(
    client, settings, occurrence
):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300
    page = EventPage.objects.get(pk=occurrence.page_id)
    before = client.get(page.url).content.decode()
    client.get("/recherche/", {"q": "entreprise"})
    register(occurrence)
    after = client.get(page.url).content.decode()
    assert after != before  # the places left, rendered again
    with CaptureQueriesContext(connection) as after_registration:
        response = client.get("/recherche/", {"q": "entreprise"})
    assert "résultats pour" in response.content.decode()
    ContentPage.objects.live().first().save_revision().publish()
    with CaptureQueriesContext(connection) as after_publication:
        client.get("/recherche/", {"q": "entreprise"})
    # After a registration the results page is rendered again, but the search is not run
    # again: its matches, the vocabulary and the facets' choices come from the cache; after a
    # publication they are all built again.
    assert len(after_registration) < len(after_publication) / 2
