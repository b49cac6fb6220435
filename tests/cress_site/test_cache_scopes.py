"""Each change moves the generation of its own scope (cress_site.cache), and each cached page or
entry follows only the scopes it shows: a registration does not empty the observatory, a
publication does not empty the agenda, a setting still reaches everything."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from cress_site import cache as content_cache
from cress_site.models import OrganisationSettings, Territory
from directory.models import DIRECTORY
from events.models import (
    EventIndexPage,
    EventOccurrence,
    EventPage,
    EventRelatedPage,
    Registration,
)
from home.models import ContentPage, PitchPage
from projects_showcase.models import ProjectIndexPage, ProjectPage
from publications.models import PublicationIndexPage, PublicationPage
from search.vocabulary import vocabulary
from territories.models import TERRITORIES, TerritoryPortrait

pytestmark = pytest.mark.django_db

PUBLICATIONS, EVENTS, PROJECTS, PLACES = "publications", "events", "projects", "places"


@pytest.fixture(autouse=True)
def cache_on(settings):
    settings.SHARED_CACHE_SECONDS = 300
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300


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


def publish(model, **changes):
    page = model.objects.live().order_by("path").first()
    for field, value in changes.items():
        setattr(page, field, value)
    page.save_revision().publish()
    return page


def moved(action):
    """The scopes whose generation `action` moved."""
    before = content_cache.generations()
    action()
    after = content_cache.generations()
    return {scope for scope in after if after[scope] != before[scope]}


def test_the_apps_declare_their_scopes():
    assert set(content_cache.resolve(content_cache.ALL)) == {
        content_cache.CONTENT,
        PUBLICATIONS,
        EVENTS,
        PLACES,
        PROJECTS,
        DIRECTORY,
        TERRITORIES,
    }
    assert PLACES not in content_cache.resolve(content_cache.PAGES)
    with pytest.raises(ValueError):
        content_cache.resolve("nothing")


def test_each_change_moves_its_own_scope(occurrence):
    assert moved(lambda: register(occurrence)) == {PLACES}
    assert moved(lambda: publish(PublicationPage)) == {PUBLICATIONS}
    assert moved(lambda: publish(ProjectPage)) == {PROJECTS}
    # An event's dates are written again when it is published.
    assert moved(lambda: publish(EventPage)) == {EVENTS}
    assert moved(lambda: publish(ContentPage)) == {content_cache.CONTENT}
    assert moved(lambda: OrganisationSettings.load().save()) == {content_cache.CONTENT}


def test_a_new_address_reaches_every_page(django_capture_on_commit_callbacks):
    """Any page may link to a publication: a new slug moves the content."""
    before = content_cache.generations()
    with django_capture_on_commit_callbacks(execute=True):  # the signal is sent on commit
        publish(PublicationPage, slug="une-nouvelle-adresse")
    after = content_cache.generations()
    assert after[content_cache.CONTENT] != before[content_cache.CONTENT]


def test_unpublishing_moves_the_family():
    page = PublicationPage.objects.live().first()
    assert moved(page.unpublish) == {PUBLICATIONS}


def url_of(model):
    return model.objects.live().order_by("path").first().url


def served_from_cache(client, url):
    """Whether `url` is served again without a query (so from the page cache)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries) == 0


PAGE_TYPES = {
    "library": PublicationIndexPage,
    "publication": PublicationPage,
    "agenda": EventIndexPage,
    "showcase": ProjectIndexPage,
    "project": ProjectPage,
    "content": ContentPage,
    "pitch": PitchPage,
}


def cache_pages(client):
    urls = {name: url_of(model) for name, model in PAGE_TYPES.items()}
    urls["home"] = "/"
    for url in urls.values():
        client.get(url)
    return urls


def still_cached(client, urls):
    return {name for name, url in urls.items() if served_from_cache(client, url)}


def test_a_registration_renders_again_only_what_shows_places(client, occurrence):
    urls = cache_pages(client)
    register(occurrence)
    assert still_cached(client, urls) == {
        "library",
        "publication",
        "showcase",
        "project",
        "content",
        "pitch",
    }


def test_a_registration_renders_again_its_event_not_the_others(client, occurrence):
    event = EventPage.objects.get(pk=occurrence.page_id)
    other = EventPage.objects.live().exclude(pk=event.pk).first()
    agenda = EventIndexPage.objects.live().first()
    month = agenda.month_url(occurrence.start.date())
    for url in (event.url, other.url, month, agenda.url + "archives/", agenda.url):
        client.get(url)
    register(occurrence)
    assert not served_from_cache(client, event.url)
    assert not served_from_cache(client, agenda.url)  # the places left in the list
    # The other events, the month grid and the archive show none of these places.
    assert served_from_cache(client, other.url)
    assert served_from_cache(client, month)
    assert served_from_cache(client, agenda.url + "archives/")


def shown_events(client, url):
    """The events whose dates the agenda list at `url` shows (rendered now, cache cleared)."""
    from django.core.cache import cache

    cache.clear()
    response = client.get(url)
    ids = response.context["listing"].items.ids
    return set(EventOccurrence.objects.filter(pk__in=ids).values_list("page_id", flat=True))


def test_a_registration_renders_again_the_lists_that_show_its_event_only(client, occurrence):
    """The agenda's list shows the places left of the events on its page: a registration
    renders again the pages of the list that show its event, and leaves the others (another
    filter, or an empty result) in the page cache."""
    agenda = EventIndexPage.objects.live().first()
    event = EventPage.objects.get(pk=occurrence.page_id)
    with_it = f"{agenda.url}?type={event.kind}"
    kinds = [value for value, _label in EventPage._meta.get_field("kind").choices]
    others = [f"{agenda.url}?type={kind}" for kind in kinds if kind != event.kind]
    assert event.pk in shown_events(client, with_it)
    without = [url for url in others if shown_events(client, url)]
    assert without, "the demo agenda lists events of other kinds"
    empty = f"{agenda.url}?q=aucunevenementnecorrespond"
    for url in (with_it, *without, empty, agenda.url):
        client.get(url)
    register(occurrence)
    assert not served_from_cache(client, with_it)
    assert not served_from_cache(client, agenda.url)  # it shows every event
    assert all(served_from_cache(client, url) for url in without)
    assert served_from_cache(client, empty)


def register_after(monkeypatch, page_class, method, occurrence):
    """Makes `page_class.method` register someone for `occurrence` once it has returned, the
    first time it is called: a registration made while the page renders. The list it returns
    holds True once that happened."""
    original = getattr(page_class, method)
    done = []

    def then_register(page, *args, **kwargs):
        result = original(page, *args, **kwargs)
        if not done:
            done.append(True)
            register(occurrence, "Pendant Lerendu")
        return result

    monkeypatch.setattr(page_class, method, then_register)
    return done


def test_a_registration_made_while_the_list_renders_is_not_missed(client, occurrence, monkeypatch):
    """The list reads its events' generations before it reads their places: a registration
    made after that leaves the page out of date, not cached as current."""
    agenda = EventIndexPage.objects.live().first()
    event = EventPage.objects.get(pk=occurrence.page_id)
    url = f"{agenda.url}?type={event.kind}"
    registered = register_after(monkeypatch, EventIndexPage, "places_shown", occurrence)
    client.get(url)
    assert registered
    assert not served_from_cache(client, url)


def test_a_registration_made_while_its_event_page_renders_is_not_missed(
    client, occurrence, monkeypatch
):
    """The event's own generation is read before the page reads its places: a registration
    made during the rendering leaves the page out of date, not cached as current."""
    event = EventPage.objects.get(pk=occurrence.page_id)
    registered = register_after(monkeypatch, EventPage, "get_context", occurrence)
    client.get(event.url)
    assert registered
    assert not served_from_cache(client, event.url)


def test_a_publication_leaves_the_agenda_and_the_showcase_list(client):
    urls = cache_pages(client)
    publish(PublicationPage)
    # A project page shows the publications it cites, a publication page the others.
    assert still_cached(client, urls) == {"agenda", "showcase"}


def test_an_event_leaves_the_observatory_and_the_showcase(client):
    urls = cache_pages(client)
    publish(EventPage)
    assert still_cached(client, urls) == {"library", "publication", "showcase", "project"}


def test_a_setting_reaches_every_page(client):
    urls = cache_pages(client)
    OrganisationSettings.load().save()
    assert still_cached(client, urls) == set()


def test_an_event_page_with_related_pages_follows_them(client):
    event, plain = EventPage.objects.live().filter(related_pages__isnull=True)[:2]
    event.related_pages.add(EventRelatedPage(related_page=PublicationPage.objects.live().first()))
    event.save_revision().publish()
    client.get(event.url)
    client.get(plain.url)
    publish(PublicationPage)
    assert not served_from_cache(client, event.url)
    assert served_from_cache(client, plain.url)


def test_a_page_shows_the_change_it_follows(client, occurrence):
    """What must change changes: the places left on the event page, a publication's new
    title in the library."""
    event = EventPage.objects.get(pk=occurrence.page_id)
    before = client.get(event.url).content
    register(occurrence)
    assert client.get(event.url).content != before
    library = url_of(PublicationIndexPage)
    client.get(library)
    publish(PublicationPage, title="Un titre tout neuf pour cette étude")
    assert "Un titre tout neuf pour cette étude" in client.get(library).content.decode()


def test_a_generation_that_goes_back_still_invalidates(client, settings):
    """Two machines' clocks may differ: a change recorded with an earlier time than the last
    one still makes the pages that follow it out of date (generations are compared for
    equality, not order)."""
    url = url_of(ContentPage)
    client.get(url)
    assert served_from_cache(client, url)
    earlier = content_cache.generations()[content_cache.CONTENT] - 10**12
    content_cache._generation_file().write_text(str(earlier))
    assert not served_from_cache(client, url)


def test_a_shared_entry_follows_its_scope(occurrence):
    calls = []

    def build():
        calls.append(1)
        return len(calls)

    def menu_like():
        return content_cache.shared("menu-like", build, scope=content_cache.CONTENT)

    def search_like():
        return content_cache.shared("search-like", build, scope=content_cache.PAGES)

    def places_like():
        return content_cache.shared("places-like", build)

    assert (menu_like(), search_like(), places_like()) == (1, 2, 3)
    register(occurrence)
    assert (menu_like(), search_like(), places_like()) == (1, 2, 4)
    publish(PublicationPage)
    assert (menu_like(), search_like(), places_like()) == (1, 5, 6)
    publish(ContentPage)
    assert (menu_like(), search_like(), places_like()) == (7, 8, 9)


def test_a_held_entry_is_one_object_per_process_until_its_scope_moves_or_it_expires(
    occurrence, monkeypatch
):
    """`held()` hands over the same object, without reading the cache, for as long as its
    generation lasts and no longer than the shared cache keeps it."""
    from django.core.cache import cache

    built = []

    def held():
        return content_cache.held("held-like", lambda: built.append(1) or [len(built)])

    first = held()
    reads = []
    monkeypatch.setattr(cache, "get", lambda *args, **kwargs: reads.append(args) or None)
    assert held() is first and not reads
    monkeypatch.undo()
    register(occurrence)  # a new generation of the places, which it shows
    assert held() == [2]
    # Past SHARED_CACHE_SECONDS, it is read from the shared cache again.
    later = content_cache.time.monotonic() + 301
    monkeypatch.setattr(content_cache.time, "monotonic", lambda: later)
    again = held()
    assert again == [2] and again is not first and len(built) == 2


def test_a_listing_holds_its_facet_index_until_its_pages_change(client, occurrence):
    library = PublicationIndexPage.objects.live().first()
    index = library.get_facet_index()
    register(occurrence)
    assert library.get_facet_index() is index
    publish(PublicationPage, title="Une publication renommée pour l'index")
    assert library.get_facet_index() is not index


def test_a_request_reads_the_generations_once(client, settings, tmp_path, monkeypatch):
    """With Redis the generations are one round trip per request, whatever the number of
    shared entries the page reads."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path),
        }
    }
    reads = []
    real = content_cache._read_all
    monkeypatch.setattr(content_cache, "_read_all", lambda: reads.append(1) or real())
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    assert client.get(url_of(PublicationIndexPage)).status_code == 200
    assert len(reads) == 1


def test_the_search_vocabulary_survives_a_registration_not_a_publication(site, occurrence):
    built = vocabulary(site)
    register(occurrence)
    assert vocabulary(site) is built  # not built again (about 2 s on a large site)
    publish(PublicationPage)
    assert vocabulary(site) is not built


def test_a_search_keeps_its_matches_across_registrations(client, occurrence):
    client.get("/recherche/", {"q": "entreprise"})
    register(occurrence)
    with CaptureQueriesContext(connection) as after_registration:
        response = client.get("/recherche/", {"q": "entreprise"})
    assert "résultats pour" in response.content.decode()
    publish(ContentPage)
    with CaptureQueriesContext(connection) as after_publication:
        client.get("/recherche/", {"q": "entreprise"})
    # After a registration the results page is rendered again, but the search is not run
    # again: its matches, the vocabulary and the facets' choices come from the cache; after a
    # publication they are all built again.
    assert len(after_registration) < len(after_publication) / 2


def test_a_registration_leaves_the_listings_counts_and_the_feed(client, occurrence):
    """The facet indexes hold pages, the feed shows events: registrations build neither
    again; an event does."""
    library = PublicationIndexPage.objects.live().first()
    agenda = EventIndexPage.objects.live().first()
    library.get_facet_index()
    agenda.get_facet_index()
    feed = agenda.url + "agenda.ics"
    etag = client.get(feed)["ETag"]
    register(occurrence)
    with CaptureQueriesContext(connection) as queries:
        library.get_facet_index()
        agenda.get_facet_index()
    assert len(queries) == 0
    assert client.get(feed)["ETag"] == etag
    publish(EventPage, title="Un événement renommé pour le flux")
    assert client.get(feed)["ETag"] != etag


@pytest.mark.django_db
def test_a_staff_text_on_a_territory_moves_the_portraits_scope_only():
    calvados = Territory.objects.get(kind="departement", code="14")
    text = TerritoryPortrait(territory=calvados, intro="<p>Le Calvados.</p>")
    assert moved(text.save) == {TERRITORIES}
    assert moved(text.delete) == {TERRITORIES}
