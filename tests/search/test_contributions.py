"""What each page type contributes to the search: declared by its model, found by the search."""

import datetime
import html
import re

import pytest

from cress_site.searchable import (
    PAGE_KIND,
    DateField,
    SearchKind,
    result_dates,
    search_contributors,
    search_kinds,
)
from events.models import EventPage
from home.models import ContentPage
from projects_showcase.models import ProjectPage
from publications.models import PublicationPage

pytestmark = pytest.mark.django_db


def test_the_page_types_that_declare_a_kind_are_found_in_the_order_of_their_kinds():
    assert search_contributors() == [PublicationPage, EventPage, ProjectPage]
    assert [kind.value for kind in search_kinds()] == ["publication", "evenement", "projet", "page"]
    assert search_kinds()[-1] == PAGE_KIND


@pytest.mark.parametrize("model", [PublicationPage, EventPage, ProjectPage])
def test_declared_fields_exist(model):
    declared = [
        getattr(model, name)
        for name in ("search_territory_field", "search_theme_field")
        if getattr(model, name, None)
    ]
    declared += result_dates(model).columns
    # Django checks the paths when the query is built, without running it.
    model.objects.none().values_list("pk", *declared)


def test_a_page_type_that_declares_a_kind_gets_its_facet_option_and_label(client, monkeypatch):
    """A new page type needs no change to the search: its declaration is enough."""
    kind = SearchKind("contenu", "Pages de contenu", "Page de contenu", "Contenu", order=40)
    monkeypatch.setattr(ContentPage, "search_kind", kind, raising=False)
    page = ContentPage.objects.live().get(slug="mentions-legales")
    word = page.title.split()[0]

    content = html.unescape(client.get("/recherche/", {"q": word}).content.decode())
    assert re.search(r'<option value="contenu">Pages de contenu \(\d+\)</option>', content)
    assert '<span class="tag">Page de contenu</span>' in content

    narrowed = html.unescape(
        client.get("/recherche/", {"q": word, "type": "contenu"}).content.decode()
    )
    assert page.url in narrowed
    assert "Type de contenu\u00a0: Pages de contenu" in narrowed

    suggestions = client.get("/recherche/suggestions/", {"q": word}).json()["suggestions"]
    assert {"title": page.title, "url": page.url, "type": "Contenu"} in suggestions


def test_a_page_type_says_how_its_results_get_their_date(client, monkeypatch):
    """The search reads the date a page type declares, without knowing the page type."""
    kind = SearchKind("contenu", "Pages de contenu", "Page de contenu", "Contenu", order=40)
    monkeypatch.setattr(ContentPage, "search_kind", kind, raising=False)
    page = ContentPage.objects.live().get(slug="mentions-legales")
    ContentPage.objects.filter(pk=page.pk).update(
        first_published_at=datetime.datetime(2019, 3, 14, 12, tzinfo=datetime.UTC)
    )
    word = page.title.split()[0]
    monkeypatch.setattr(ContentPage, "search_dates", DateField("first_published_at"), raising=False)
    content = html.unescape(
        client.get("/recherche/", {"q": word, "annee": "2019"}).content.decode()
    )
    assert re.search(r'<option value="2019"[^>]*>2019 \(1\)</option>', content)
    assert re.search(r'<time datetime="2019-03-14">14\s?mars 2019</time>', content)
    assert page.url in content
