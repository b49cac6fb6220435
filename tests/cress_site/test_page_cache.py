"""The public page cache: served without a query, forgotten the moment the content changes."""

import gzip
import time
from datetime import datetime
from html import unescape
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.http import http_date

from wagtail.models import Page, PageViewRestriction

import pytest

from cress_site import cache as content_cache
from cress_site.models import OrganisationSettings
from home.models import ContentPage, FormPage
from publications.models import PublicationPage

pytestmark = pytest.mark.django_db


def queries_for(client, url, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    return response, len(queries)


@pytest.fixture
def content_page():
    return ContentPage.objects.live().get(slug="a-propos")


def test_second_visit_is_served_from_the_cache_without_a_query(client, content_page):
    first, rendered = queries_for(client, content_page.url)
    second, cached = queries_for(client, content_page.url)
    assert rendered > 0
    assert cached == 0
    assert second.content == first.content


def test_cached_pages_say_whether_they_came_from_the_cache(client, content_page):
    assert client.get(content_page.url)["X-Cache"] == "MISS"
    assert client.get(content_page.url)["X-Cache"] == "HIT"
    assert "X-Cache" not in client.get("/recherche/", {"q": "coopérative"})


def test_cached_pages_carry_headers_a_cdn_can_use(client, content_page):
    response = client.get(content_page.url)
    assert response["Cache-Control"] == "public, max-age=0, s-maxage=30"
    assert response["ETag"]
    assert response["Last-Modified"] == http_date(content_cache.last_modified())


def test_a_known_etag_gets_not_modified(client, content_page):
    etag = client.get(content_page.url)["ETag"]
    response, count = queries_for(client, content_page.url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert count == 0


def test_last_modified_gets_not_modified_until_the_content_changes(client, content_page):
    last_modified = client.get(content_page.url)["Last-Modified"]
    assert client.get(content_page.url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    content_page.save_revision().publish()
    response = client.get(content_page.url, HTTP_IF_MODIFIED_SINCE=last_modified)
    assert response.status_code == 200


def test_publishing_shows_the_new_version_at_once(client, content_page):
    client.get(content_page.url)
    content_page.title = "Qui sommes-nous vraiment"
    content_page.menu_label = "Nous connaître"
    content_page.save_revision().publish()
    assert "Qui sommes-nous vraiment" in client.get(content_page.url).content.decode()
    # The menu of every other page was cached with the old label too.
    assert "Nous connaître" in client.get("/").content.decode()


def test_a_draft_does_not_reach_the_public(client, content_page):
    before = client.get(content_page.url).content
    content_page.title = "Brouillon en cours"
    content_page.save_revision()
    assert client.get(content_page.url).content == before


def test_unpublishing_removes_the_page_at_once(client, content_page):
    assert client.get(content_page.url).status_code == 200
    content_page.unpublish()
    assert client.get(content_page.url).status_code == 404


def test_moving_a_page_moves_it_at_once(client, home_page, content_page):
    old_url = content_page.url
    new_parent = Page.objects.get(slug="observatoire")
    client.get(old_url)
    content_page.move(new_parent, pos="last-child")
    new_url = Page.objects.get(pk=content_page.pk).url
    # Not the cached page: Wagtail's automatic redirect to where it went.
    response = client.get(old_url)
    assert (response.status_code, response["Location"]) == (301, new_url)
    assert client.get(new_url).status_code == 200


def test_deleting_a_page_removes_it_at_once(client, content_page):
    url = content_page.url
    client.get(url)
    content_page.delete()
    assert client.get(url).status_code == 404


def test_a_new_view_restriction_applies_at_once(client, content_page):
    client.get(content_page.url)
    PageViewRestriction.objects.create(page=content_page, restriction_type="login")
    response = client.get(content_page.url)
    assert response.status_code == 302
    assert "/login" in response["Location"] or "connexion" in response["Location"]


def test_changing_the_settings_changes_every_page(client, content_page):
    client.get(content_page.url)
    organisation = OrganisationSettings.load()
    organisation.name = "Chambre régionale renommée"
    organisation.save()
    assert "Chambre régionale renommée" in client.get(content_page.url).content.decode()


def test_another_worker_s_change_is_seen(client, content_page):
    """Without Redis, each worker has its own memory cache, and a publication made by another
    worker reaches this one through the generation file."""
    client.get(content_page.url)
    ContentPage.objects.filter(pk=content_page.pk).update(title="Changé par un autre processus")
    assert "Changé par un autre processus" not in client.get(content_page.url).content.decode()
    content_cache._generation_file().write_text(str(time.time_ns()))
    assert "Changé par un autre processus" in client.get(content_page.url).content.decode()


@pytest.fixture
def detail_page():
    """A page below a section: routing reads it at each rendering (the sections themselves come
    from the shared cache for the content generation, like the menu)."""
    return PublicationPage.objects.live().order_by("path").first()


def rename(page, title):
    """Changes the title without starting a new content generation: only a fresh rendering
    shows it."""
    type(page).objects.filter(pk=page.pk).update(title=title)


def test_editors_always_get_a_fresh_page(client, detail_page):
    client.get(detail_page.url)
    rename(detail_page, "Vu par la relecture")
    assert "Vu par la relecture" not in client.get(detail_page.url).content.decode()
    editor = get_user_model().objects.create_user("relecture", password="x", is_staff=True)
    client.force_login(editor)
    response = client.get(detail_page.url)
    assert "Vu par la relecture" in response.content.decode()
    assert "private" in response["Cache-Control"]


def test_a_renamed_session_cookie_still_bypasses_the_cache(client, settings, detail_page):
    """The session cookie's name is read from the settings in force, not at import time."""
    settings.SESSION_COOKIE_NAME = "cress_session"
    client.get(detail_page.url)
    rename(detail_page, "Vu avec une session")
    client.cookies["cress_session"] = "x"
    assert "Vu avec une session" in client.get(detail_page.url).content.decode()


def test_a_visitor_with_a_message_to_read_gets_a_fresh_page(client, detail_page):
    client.get(detail_page.url)
    rename(detail_page, "Avec un message")
    client.cookies["messages"] = "x"
    assert "Avec un message" in client.get(detail_page.url).content.decode()
    assert CookieStorage.cookie_name == "messages"


def test_a_page_with_a_form_is_rendered_for_each_visitor(client):
    form_page = FormPage.objects.live().first()
    first = client.get(form_page.url)
    assert "csrftoken" in first.cookies
    assert set(first["Cache-Control"].split(", ")) == {"private", "no-cache"}
    _, count = queries_for(client, form_page.url)
    assert count > 0


def test_search_is_not_cached(client):
    """Each search must reach the search log."""
    client.get("/recherche/", {"q": "coopérative"})
    _, count = queries_for(client, "/recherche/", data={"q": "coopérative"})
    assert count > 0


def test_query_strings_are_cached_apart(client):
    index = Page.objects.get(slug="observatoire").url
    everything = client.get(index).content
    assert client.get(index, {"page": "abc"}).status_code in (200, 404)
    assert client.get(index).content == everything


def test_not_found_is_not_cached(client):
    client.get("/nulle-part/")
    _, count = queries_for(client, "/nulle-part/")
    assert count > 0


def test_the_cache_can_be_turned_off(client, settings, content_page, monkeypatch):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    # The page rendered: its body's images read (the body not kept as a shared fragment).
    monkeypatch.setattr("cress_site.fragments.may_share", lambda request: False)
    client.get(content_page.url)
    _, count = queries_for(client, content_page.url)
    assert count > 0


def test_with_a_shared_cache_the_generation_lives_in_it(settings, tmp_path):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path),
        }
    }
    first = content_cache.generations()[content_cache.CONTENT]
    assert cache.get(content_cache.generation_key(content_cache.CONTENT)) == first
    assert content_cache.bump() != first
    assert content_cache.generations()[content_cache.CONTENT] == cache.get(
        content_cache.generation_key(content_cache.CONTENT)
    )


@pytest.mark.parametrize(
    ("now", "expected"),
    [((2026, 11, 27, 12, 0), 300), ((2026, 11, 27, 23, 58), 120), ((2026, 11, 27, 23, 59, 59), 1)],
)
def test_entries_never_outlive_the_day(monkeypatch, now, expected):
    paris = datetime(*now, tzinfo=ZoneInfo("Europe/Paris"))
    monkeypatch.setattr("cress_site.cache.timezone.localtime", lambda: paris)
    assert content_cache.until_midnight(300) == expected


def test_the_shell_is_read_once_per_generation(client, settings, content_page):
    """With the page cache off, a page is rendered each time, but the site, its menu and the
    view restrictions come from the shared cache until the content changes."""
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    client.get(content_page.url)
    with CaptureQueriesContext(connection) as queries:
        client.get(content_page.url)
    sql = [query["sql"] for query in queries]
    assert not [query for query in sql if 'FROM "wagtailcore_site"' in query]
    assert not [query for query in sql if '"show_in_menus"' in query.partition(" WHERE ")[2]]
    content_page.save_revision().publish()
    with CaptureQueriesContext(connection) as after_publishing:
        client.get(content_page.url)
    assert len(after_publishing) > len(queries)


def test_a_new_site_root_is_seen_at_once(client, site, home_page, content_page):
    assert 'class="hero__title"' in client.get("/").content.decode()
    site.root_page = content_page
    site.save()
    html = unescape(client.get("/").content.decode())
    assert 'class="hero__title"' not in html
    assert f"<title>{content_page.title}" in html


def test_an_unwritable_generation_file_is_reported_and_does_not_break_publishing(
    client, settings, tmp_path, content_page
):
    # A file where its folder should be: no one, root included, can create it.
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    settings.CACHE_GENERATION_FILE = blocker / "cache-generation"
    warnings = content_cache.check_generation_file(None)
    assert [warning.id for warning in warnings] == ["cress_site.W001"]
    content_page.title = "Publiée malgré tout"
    content_page.save_revision().publish()
    assert "Publiée malgré tout" in client.get(content_page.url).content.decode()


def test_a_writable_generation_file_is_not_reported(settings, tmp_path):
    settings.CACHE_GENERATION_FILE = tmp_path / "var" / "cache-generation"
    assert content_cache.check_generation_file(None) == []


def test_pages_are_kept_compressed_for_clients_that_accept_gzip(client, content_page):
    plain = client.get(content_page.url).content
    client.get(content_page.url, HTTP_ACCEPT_ENCODING="gzip, deflate")
    response, count = queries_for(client, content_page.url, HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert count == 0
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.content) == plain
    # A client without gzip still gets the page as it is.
    response, count = queries_for(client, content_page.url)
    assert count == 0
    assert not response.has_header("Content-Encoding")
    assert response.content == plain


def test_a_change_starts_a_new_generation_again_once_committed(
    content_page, django_capture_on_commit_callbacks
):
    """A request served between the change and its commit reads the old content, and may
    cache it under the generation the change started: the commit starts another one."""
    with django_capture_on_commit_callbacks(execute=True):
        content_page.save_revision().publish()
        during = content_cache.generation()
    assert content_cache.generation() != during


def test_a_document_read_again_empties_the_cache_of_the_pages_showing_it(
    client, monkeypatch, django_capture_on_commit_callbacks
):
    from cress_site import tasks
    from publications.models import PublicationPage

    publication = PublicationPage.objects.live().exclude(document=None).first()
    document = publication.document
    # A page count read wrong, shown and cached; reading the file again corrects it (without
    # a new cover, so without an image saved).
    type(document).objects.filter(pk=document.pk).update(page_count=99, analysed_hash="")
    assert "99 pages" in unescape(client.get(publication.url).content.decode())
    monkeypatch.setattr(tasks, "render_cover", lambda data: None)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.analyse_document.call(document.pk)
    document.refresh_from_db()
    assert document.page_count != 99
    pages = f"{document.page_count} pages"
    assert pages in unescape(client.get(publication.url).content.decode())
