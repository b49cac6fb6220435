"""The admin's French wording: counts agree with their number, buttons say what they add or
choose with the right article."""

import re

from django.contrib.admin.utils import model_ngettext
from django.template.loader import render_to_string
from django.urls import reverse

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Site
from wagtail.snippets.models import get_snippet_models

import pytest

from events.models import EventPage
from home.models import FormPage
from projects_showcase.models import ProjectPage
from publications.downloads import DownloadCount
from publications.models import PublicationPage
from tests.cress_site.test_dashboard import dashboard, superuser, text  # noqa: F401

# ruff: noqa: F811

pytestmark = pytest.mark.django_db


def test_the_site_summary_counts_pages_in_lower_case_with_the_right_agreement(client, superuser):
    content = text(dashboard(client, superuser))
    site = Site.objects.get(is_default_site=True)
    total = Page.objects.descendant_of(site.root_page, inclusive=True).count()
    assert total > 1
    assert f"{total} pages créées dans {site.site_name}" in content
    assert "Pages crées" not in content
    images, documents = get_image_model().objects.count(), get_document_model().objects.count()
    assert images > 1 and documents > 1
    assert f"{images} images créées dans {site.site_name}" in content
    assert f"{documents} documents créés dans {site.site_name}" in content


def test_one_page_is_counted_in_the_singular():
    html = render_to_string(
        "wagtailadmin/home/site_summary_pages.html",
        {"total_pages": 1, "site_name": "CRESS Normandie", "root_page": Page.objects.first()},
    )
    assert "1 page créée dans CRESS Normandie" in text(html)


@pytest.mark.parametrize(
    ("template", "context", "expected"),
    [
        ("wagtailimages/homepage/site_summary_images.html", {"total_images": 1}, "1 image créée"),
        ("wagtaildocs/homepage/site_summary_documents.html", {"total_docs": 1}, "1 document créé"),
    ],
)
def test_one_image_or_document_is_counted_in_the_singular(template, context, expected):
    html = render_to_string(template, {**context, "site_name": "CRESS Normandie"})
    assert f"{expected} dans CRESS Normandie" in text(html)


# Buttons that say what they add or choose, with the right article


def edit_page(admin_client, page):
    response = admin_client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200
    return response.content.decode()


def button_texts(html):
    """The text of each button and link, tags removed and spaces collapsed."""
    return {
        " ".join(re.sub(r"<[^>]+>", " ", inner).split())
        for inner in re.findall(r"<(?:button|a)\b[^>]*>(.*?)</(?:button|a)>", html, re.S)
    }


def test_the_publication_editor_adds_and_chooses_in_good_french(admin_client):
    html = edit_page(admin_client, PublicationPage.objects.first())
    buttons = button_texts(html)
    assert {"Ajouter une annexe", "Ajouter une publication liée", "Ajouter des territoires"} <= (
        buttons
    )
    assert "un(e)" not in html
    assert "Choisir territoire" not in html


def test_the_territory_chooser_says_choose_a_territory(admin_client):
    html = edit_page(admin_client, EventPage.objects.first())
    assert "Choisir un territoire" in html
    assert "Choisir un autre territoire" in html
    assert "Choisir territoire" not in html


def test_the_event_editor_adds_an_exception_and_a_related_page(admin_client):
    html = edit_page(admin_client, EventPage.objects.first())
    assert {"Ajouter une exception", "Ajouter une page liée"} <= button_texts(html)
    assert "un(e)" not in html


def test_the_project_editor_adds_an_image_and_a_related_publication(admin_client):
    html = edit_page(admin_client, ProjectPage.objects.first())
    assert {"Ajouter une image", "Ajouter une publication liée"} <= button_texts(html)
    assert "un(e)" not in html


def test_the_form_editor_adds_a_field(admin_client):
    html = edit_page(admin_client, FormPage.objects.first())
    assert "Ajouter un champ" in button_texts(html)
    assert "un(e)" not in html


def test_the_publications_list_adds_a_publication(admin_client):
    html = admin_client.get("/admin/publications/").content.decode()
    assert "Ajouter une publication" in button_texts(html)
    assert "un(e)" not in html


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (1, "1 relevé mensuel de téléchargements"),
        (3, "3 relevés mensuels de téléchargements"),
    ],
)
def test_download_counts_are_named_in_the_singular_and_the_plural(count, expected):
    """As the admin counts objects of a model ("1 <verbose name>", "3 <plural>")."""
    assert f"{count} {model_ngettext(DownloadCount._meta, count)}" == expected


@pytest.mark.parametrize(
    ("model_name", "label"),
    [
        ("Territory", "Ajouter un territoire"),
        ("Theme", "Ajouter un thème"),
        ("Audience", "Ajouter un public"),
        ("SupportType", "Ajouter un type d'accompagnement"),
    ],
)
def test_each_snippet_list_adds_with_the_right_article(admin_client, model_name, label):
    (model,) = [model for model in get_snippet_models() if model.__name__ == model_name]
    html = admin_client.get(reverse(model.snippet_viewset.get_url_name("list"))).content.decode()
    assert label in {text.replace("&#x27;", "'") for text in button_texts(html)}
    assert "un(e)" not in html
