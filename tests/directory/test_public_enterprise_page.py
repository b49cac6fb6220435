"""A unit's page: identity, establishments with their territories, projects with the chamber,
the official record, JSON-LD; 404 for anything else; the directory page in the tree."""

import datetime
import json
import re
from html import unescape as html_unescape

from wagtail.models import Page
from wagtail.test.utils import WagtailTestUtils

import pytest

from cress_site import cache as content_cache
from cress_site.models import Territory
from directory.links import directory_url, enterprise_url
from directory.models import DirectoryPage, Enterprise
from projects_showcase.models import ProjectIndexPage, ProjectPage
from tests.directory.conftest import URL, text


def make_project(title, enterprise, live=True):
    showcase = ProjectIndexPage.objects.get()
    page = ProjectPage(
        title=title,
        summary="Un projet.",
        territory=Territory.objects.get(kind="departement", code="14"),
        enterprise=enterprise,
    )
    showcase.add_child(instance=page)
    if live:
        page.save_revision().publish()
    else:
        page.live = False
        page.save_revision()
        page.save()
    return page


def test_the_first_of_a_month_is_written_1er(client, units):
    Enterprise.objects.filter(pk=units["ruche"].pk).update(created_on=datetime.date(1956, 1, 1))
    page = text(client.get(URL + "811111111/"))
    assert '<time datetime="1956-01-01">1er janvier 1956</time>' in page


def test_identity_and_establishments(client, units, places):
    response = client.get(URL + "811111111/")
    assert response.status_code == 200
    page = text(response)
    assert "<h1>La Ruche solidaire" in page
    assert "811 111 111" in page
    assert "Association" in page and "Santé humaine et action sociale" in page
    assert "88.99B" in page and "10 à 19 salariés" in page
    assert '<time datetime="2015-03-02">2 mars 2015</time>' in page
    assert page.count('class="establishment"') == 2
    assert "Bayeux-sur-Test" in page and "1 rue de la Paix" in page
    # Each establishment's territories lead to the filtered directory.
    for slug in (places["bayeux"].slug, places["epci"].slug, "calvados"):
        assert f'href="{URL}?territoire={slug}"' in page
    assert 'href="https://annuaire-entreprises.data.gouv.fr/entreprise/811111111"' in page
    assert f'<link rel="canonical" href="http://testserver{URL}811111111/">' in page
    assert "<title>La Ruche solidaire (LRS) – Annuaire des entreprises de l'ESS" in page


def test_json_ld_organization(client, units):
    page = client.get(URL + "811111111/").content.decode()
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    data = json.loads(found.group(1))
    assert data["@type"] == "Organization"
    assert data["name"] == "La Ruche solidaire"
    assert data["identifier"]["value"] == "811111111"
    assert data["address"]["addressLocality"] == "Bayeux-sur-Test"
    assert data["foundingDate"] == "2015-03-02"


def test_live_public_projects_only(client, units):
    make_project("Une épicerie solidaire", units["ruche"])
    make_project("Un brouillon de projet", units["ruche"], live=False)
    make_project("Le projet d'une autre", units["scop"])
    page = text(client.get(URL + "811111111/"))
    assert "Projets accompagnés par la CRESS" in page
    assert "Une épicerie solidaire" in page
    assert "Un brouillon de projet" not in page
    assert "Le projet d'une autre" not in page
    assert "Projets accompagnés par la CRESS" not in text(client.get(URL + "833333333/"))


def test_a_project_published_renders_the_page_again(client, units):
    assert client.get(URL + "811111111/")["X-Cache"] == "MISS"
    make_project("Une épicerie solidaire", units["ruche"])
    response = client.get(URL + "811111111/")
    assert response["X-Cache"] == "MISS"
    assert "Une épicerie solidaire" in text(response)


@pytest.mark.parametrize(
    "path",
    ["899999999/", "12345678/", "1234567890/", "abcdefghi/", "811111111/autre/", "811 111 111/"],
)
def test_anything_else_is_a_404(client, units, path):
    assert client.get(URL + path).status_code == 404


def test_links(units, directory_page):
    assert directory_url() == URL
    assert directory_url(territoire="calvados", famille="") == URL + "?territoire=calvados"
    assert enterprise_url(units["ruche"]) == URL + "811111111/"
    assert units["ruche"].get_absolute_url() == URL + "811111111/"
    directory_page.unpublish()
    content_cache.bump(content_cache.CONTENT)
    assert directory_url() is None
    assert enterprise_url(units["ruche"]) is None


def test_a_query_count_that_does_not_grow(
    client, units, places, settings, django_assert_num_queries
):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    client.get(URL + "811111111/")
    # The unit, its establishments with their territories, its projects.
    with django_assert_num_queries(3):
        client.get(URL + "811111111/")


class TestTree(WagtailTestUtils):
    def test_one_directory_under_the_home_page(self, directory_page, home_page):
        from home.models import HomePage

        assert directory_page.get_parent().specific_class is HomePage
        assert DirectoryPage.can_create_at(home_page) is False  # max one, the demo's
        assert not DirectoryPage.allowed_subpage_models()
        assert directory_page.title == "Annuaire des entreprises de l'ESS"
        assert "loi n° 2014-856" in directory_page.intro
        assert directory_page.show_in_menus

    def test_in_the_menu(self, client, db):
        html = client.get("/").content.decode()
        assert f'href="{URL}"' in html and ">Annuaire<" in html


def test_the_project_editor_offers_the_enterprise_chooser(admin_client, units):
    project = make_project("Une épicerie solidaire", units["ruche"])
    html = admin_client.get(f"/admin/pages/{project.pk}/edit/").content.decode()
    assert 'name="enterprise"' in html
    assert "Choisir une entreprise de l'ESS" in html or "Choisir une autre entreprise" in html
    chooser = admin_client.get("/admin/snippets/choose/directory/enterprise/", {"q": "ruche"})
    assert chooser.status_code == 200
    assert units["ruche"].name in html_unescape(chooser.json()["html"])


def test_deleting_a_unit_keeps_its_projects(units):
    project = make_project("Une épicerie solidaire", units["ruche"])
    units["ruche"].delete()
    project = Page.objects.get(pk=project.pk).specific
    assert project.enterprise is None
