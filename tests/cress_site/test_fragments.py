"""Shared fragments (cress_site.fragments): rendered once per content generation for the public,
never shared with editors, visitors with a message, or previews."""

import json
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings as django_settings
from django.test import RequestFactory

import pytest

from cress_site import cache as content_cache
from cress_site.fragments import may_share, shared_for, shared_many
from home.models import ContentPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def content_page():
    return ContentPage.objects.live().get(slug="a-propos")


def set_body_text(page, text):
    """Change the stored body as a migration or a script would: no signal, no new generation."""
    body = json.dumps([{"type": "paragraph", "value": f"<p>{text}</p>", "id": "fragment-test"}])
    ContentPage.objects.filter(pk=page.pk).update(body=body)


def body_of(client, page, **extra):
    response = client.get(page.url, **extra)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def page_cache_off(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0


def test_a_body_is_rendered_once_per_generation(client, content_page, page_cache_off):
    set_body_text(content_page, "Première version")
    assert "Première version" in body_of(client, content_page)

    set_body_text(content_page, "Seconde version")
    # Same generation: the body comes from the shared cache, as rendered the first time.
    assert "Première version" in body_of(client, content_page)

    content_cache.bump()  # what publishing the page does
    html = body_of(client, content_page)
    assert "Seconde version" in html
    assert "Première version" not in html


@pytest.fixture
def fragments_asked(monkeypatch):
    """The names of the shared fragments looked up in the shared cache."""
    names = []
    shared_key = content_cache.shared_key

    def recording(name, *args, **kwargs):
        if name.startswith("fragment:"):
            names.append(name)
        return shared_key(name, *args, **kwargs)

    monkeypatch.setattr(content_cache, "shared_key", recording)
    return names


def test_the_public_shares_fragments(client, content_page, page_cache_off, fragments_asked):
    body_of(client, content_page)
    assert f"fragment:body:{content_page.pk}:testserver" in fragments_asked


@pytest.mark.parametrize("cookie", [django_settings.SESSION_COOKIE_NAME, "messages"])
def test_editors_and_visitors_with_a_message_get_a_fresh_render(
    client, content_page, page_cache_off, fragments_asked, cookie
):
    client.cookies[cookie] = "x"
    assert "<footer" in body_of(client, content_page)
    assert fragments_asked == []


def test_previews_are_never_shared():
    request = RequestFactory().get("/")
    assert may_share(request)
    request.is_preview = True
    assert not may_share(request)
    assert not may_share(None)


def test_fragments_never_outlive_the_day(monkeypatch, rf, settings):
    """As the pages (cress_site.middleware): the coming events a fragment lists change then."""
    settings.SHARED_CACHE_SECONDS = 300
    paris = datetime(2026, 11, 27, 23, 58, tzinfo=ZoneInfo("Europe/Paris"))
    monkeypatch.setattr("cress_site.cache.timezone.localtime", lambda: paris)
    stored = {}
    monkeypatch.setattr(
        "cress_site.fragments.cache.set", lambda key, value, timeout: stored.update(t=timeout)
    )
    assert shared_for(rf.get("/"), "card", lambda: "<li>", content_cache.CONTENT) == "<li>"
    assert stored == {"t": 120}


def test_a_fragment_follows_what_its_page_shows(client, page_cache_off):
    """A library card is kept across a registration (the library shows no places) and an
    event, and rendered again after a publication."""
    from events.models import EventOccurrence, EventPage, Registration
    from publications.models import PublicationIndexPage, PublicationPage

    library = PublicationIndexPage.objects.live().first().url
    publication = PublicationPage.objects.live().order_by("-publication_date", "-pk").first()

    def shows_new_title():
        return "Titre réécrit sans signal" in client.get(library).content.decode()

    assert not shows_new_title()
    PublicationPage.objects.filter(pk=publication.pk).update(
        title="Titre réécrit sans signal", listing_title=""
    )
    occurrence = EventOccurrence.objects.filter(page__registration_enabled=True).last()
    Registration.objects.create(
        occurrence=occurrence, name="Camille Martin", email="c@example.org", profile="porteur"
    )
    EventPage.objects.live().first().save_revision().publish()
    assert not shows_new_title()  # the cards, as rendered before
    content_cache.bump("publications")  # what publishing a publication does
    assert shows_new_title()


def test_cards_are_read_together_and_only_the_missing_ones_built(rf, settings):
    settings.SHARED_CACHE_SECONDS = 300
    built = []

    def build(missing):
        built.append(list(missing))
        # A row gone since the index was built (key 4) gives no card, and none is stored.
        return {key: f"<article>{key}</article>" for key in missing if key != 4}

    def cards(keys):
        return shared_many(rf.get("/"), "fragment:test-card", keys, build, content_cache.CONTENT)

    assert cards([3, 1, 4]) == {3: "<article>3</article>", 1: "<article>1</article>"}
    assert cards([1, 2, 3, 4]) == {
        1: "<article>1</article>",
        2: "<article>2</article>",
        3: "<article>3</article>",
    }
    assert built == [[3, 1, 4], [2, 4]]  # the second time, only what the cache lacked
    content_cache.bump()
    cards([1])
    assert built[-1] == [1]  # a new generation: rendered again


def test_cards_are_not_shared_with_editors(rf, settings):
    settings.SHARED_CACHE_SECONDS = 300
    request = rf.get("/")
    request.COOKIES[django_settings.SESSION_COOKIE_NAME] = "x"
    built = []

    def build(missing):
        built.append(list(missing))
        return dict.fromkeys(missing, "<article>")

    for _ in range(2):
        shared_many(request, "fragment:test-card", [1, 2], build, content_cache.CONTENT)
    assert built == [[1, 2], [1, 2]]


def test_a_library_page_renders_the_same_with_its_cards_cached(client, page_cache_off):
    from publications.models import PublicationIndexPage

    library = PublicationIndexPage.objects.live().first().url
    first = client.get(library)
    again = client.get(library)
    assert again.content == first.content
    assert again.content.decode().count('<article class="publication-card">') == 9
    # The listing's items are still there for what needs them, read when first asked for.
    assert [item.pk for item in again.context["listing"].items] == again.context[
        "listing"
    ].items.ids
