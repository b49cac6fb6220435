"""Every block an editor can add to a page has a description and a preview in the block chooser.

The previews are drawn by Wagtail's block preview view, with the site's stylesheet
(cress_site/templates/wagtailcore/shared/block_preview.html).
"""

import re
from html import unescape

from django.conf import settings
from django.urls import reverse

from wagtail.fields import StreamField
from wagtail.models import get_page_models

import pytest

from projects_showcase.models import ProjectPage

pytestmark = pytest.mark.django_db

SITE_APPS = {"home", "publications", "events", "projects_showcase"}
INVALID = "TEMPLATE-VARIABLE-MISSING"


def offered_blocks():
    """(page model, field name, block name, block) for every block of every page StreamField."""
    for model in get_page_models():
        if model._meta.app_label not in SITE_APPS:
            continue
        for field in model._meta.get_fields():
            if isinstance(field, StreamField):
                for name, block in field.stream_block.child_blocks.items():
                    yield model, field.name, name, block


def distinct_blocks():
    """Each block definition once (the StreamFields built from BaseStreamBlock share theirs)."""
    seen = {}
    for model, field, name, block in offered_blocks():
        seen.setdefault(block.definition_prefix, (model, field, name, block))
    return list(seen.values())


BLOCKS = distinct_blocks()
IDS = [f"{model.__name__}.{field}.{name}" for model, field, name, _ in BLOCKS]


@pytest.fixture
def strict_templates(settings):
    """Templates print a marker instead of nothing when a variable does not resolve."""
    templates = [dict(engine, OPTIONS=dict(engine["OPTIONS"])) for engine in settings.TEMPLATES]
    templates[0]["OPTIONS"]["string_if_invalid"] = f"{INVALID}[%s]"
    settings.TEMPLATES = templates


def preview(client, block):
    return client.get(reverse("wagtailadmin_block_preview"), {"id": block.definition_prefix})


def main_text(response):
    """The text the preview shows (between <main> and </main>), without tags."""
    main = re.search(r"<main>(.*)</main>", response.content.decode(), re.S).group(1)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", main)).split())


def test_every_stream_field_is_covered():
    fields = {(model.__name__, field) for model, field, *_ in offered_blocks()}
    assert {
        ("HomePage", "entry_points"),
        ("HomePage", "body"),
        ("PitchPage", "body"),
        ("ContentPage", "body"),
        ("PublicationPage", "body"),
        ("EventPage", "body"),
        ("ProjectPage", "results"),
        ("ProjectPage", "body"),
    } <= fields


@pytest.mark.parametrize(("model", "field", "name", "block"), BLOCKS, ids=IDS)
def test_block_has_a_french_description_and_a_preview(model, field, name, block):
    description = block.get_description()
    assert description and description[0].isupper() and description.endswith("."), description
    assert block.is_previewable, "Wagtail shows a preview in the chooser"
    assert block.get_preview_value() is not None


@pytest.mark.parametrize(("model", "field", "name", "block"), BLOCKS, ids=IDS)
def test_block_preview_renders_with_the_site_stylesheet(
    admin_client, strict_templates, model, field, name, block
):
    response = preview(admin_client, block)
    assert response.status_code == 200
    html = response.content.decode()
    assert INVALID not in html, re.findall(rf"{INVALID}\[[^\]]*\]", html)
    assert f'href="{settings.STATIC_URL}css/site.css"' in html
    assert '<html lang="fr"' in html
    assert len(main_text(response)) > 10, main_text(response)


def test_previews_show_the_preview_values(admin_client):
    by_name = {name: block for _, _, name, block in BLOCKS}
    expected = {
        "heading": "Quels intérêts pour la collectivité ?",
        "image": "Atelier « Créer son entreprise d'ESS »",
        "document": "Panorama de l'ESS en Normandie 2024 (PDF, 2,4 Mo)",
        "table": "Calvados 1480 18420",
        "chart": "Emplois de l'ESS par département",
        "entry_point": "Observatoire de l'ESS",
        "figure": "12 emplois créés",
        "project_examples": "Des exemples de projets accompagnés par la CRESS",
    }
    for name, text in expected.items():
        assert text in main_text(preview(admin_client, by_name[name])), name


def test_project_examples_preview_shows_the_latest_projects(admin_client):
    block = next(block for _, _, name, block in BLOCKS if name == "project_examples")
    latest = ProjectPage.objects.live().public().order_by("-first_published_at").first()
    assert latest is not None, "the demo site has projects"
    text = main_text(preview(admin_client, block))
    assert latest.title in text
    assert "Aucun projet n'est encore publié" not in text


def test_project_examples_preview_says_why_it_is_empty_without_projects(admin_client):
    ProjectPage.objects.all().unpublish()
    block = next(block for _, _, name, block in BLOCKS if name == "project_examples")
    text = main_text(preview(admin_client, block))
    assert "Aucun projet n'est encore publié" in text
