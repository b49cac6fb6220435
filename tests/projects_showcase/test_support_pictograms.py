"""Pictograms beyond the themes: the kinds of support, the pitch's offers, the publication cards."""

import re

import pytest

from cress_site.pictograms import Pictogram
from home.models import PitchPage
from projects_showcase.models import SupportType

pytestmark = pytest.mark.django_db

SPRITE = "/static/icons/pictograms.svg"
PITCH_URL = "/collectivites-soutenir-lentrepreneuriat-dess/"


def decorative(name):
    """The pictogram `name`, decorative (hidden from assistive technologies)."""
    return (
        '<svg class="pictogram" aria-hidden="true" focusable="false">'
        f'<use href="{SPRITE}#{name}"></use></svg>'
    )


def test_the_support_type_form_offers_the_pictograms_and_saves_the_chosen_one(admin_client):
    add_url = "/admin/snippets/projects_showcase/supporttype/add/"
    html = admin_client.get(add_url).content.decode()
    assert 'class="pictogram-select"' in html and "Aucun pictogramme" in html
    assert f'<use href="{SPRITE}#drafting-compass"/>' in html
    assert "Ingénierie de projet (compas)" in html
    response = admin_client.post(add_url, {"name": "Prêt de salle", "icon": "package", "slug": ""})
    assert response.status_code == 302
    support = SupportType.objects.get(name="Prêt de salle")
    assert support.icon == "package"
    edit = admin_client.get(f"/admin/snippets/projects_showcase/supporttype/edit/{support.pk}/")
    assert re.search(r'value="package"[^>]*checked', edit.content.decode())


def test_every_demo_support_type_has_a_pictogram():
    icons = dict(SupportType.objects.values_list("name", "icon"))
    assert icons["DLA"] == "hand-helping"
    assert icons["Ingénierie de projet"] == "drafting-compass"
    assert "" not in icons.values() and set(icons.values()) <= set(Pictogram.values)


def test_the_project_page_shows_each_support_with_its_pictogram(client):
    html = client.get("/projets-accompagnes/restaurant-insertion-argentan/").content.decode()
    supports = html.split("a fait la CRESS</dt>")[1].split("</dd>")[0]
    assert (
        f'?accompagnement=etude-de-faisabilite">{decorative("clipboard-check")}'
        "Étude de faisabilité</a>"
    ) in supports
    assert f"{decorative('messages-square')}Animation de comités de pilotage</a>" in supports


def test_a_support_without_pictogram_shows_its_name_alone(client):
    SupportType.objects.filter(name="Étude de faisabilité").update(icon="")
    html = client.get("/projets-accompagnes/restaurant-insertion-argentan/").content.decode()
    assert '?accompagnement=etude-de-faisabilite">Étude de faisabilité</a>' in html


def test_the_pitch_offers_have_their_pictograms(client):
    html = client.get(PITCH_URL).content.decode()
    emergence = re.search(
        r'<h3 class="block-heading heading-pictogram" id="emergence">(.*?)</h3>', html
    )
    assert emergence.group(1) == f"{decorative('sprout')}L&#x27;émergence de nouveaux projets"
    assert f"{decorative('drafting-compass')}La création de projets innovants" in html
    assert f"{decorative('hand-helping')}L&#x27;appui aux structures de l&#x27;ESS" in html
    # A heading without one stays as it was.
    assert '<h3 class="block-heading" id="aide-a-la-decision">Des outils' in html


def test_the_pitch_editor_offers_the_pictograms_for_a_heading(admin_client):
    pitch = PitchPage.objects.get()
    html = admin_client.get(f"/admin/pages/{pitch.pk}/edit/").content.decode()
    assert "pictogram-select" in html and "Appui aux structures, DLA (main tendue)" in html


def test_a_publication_card_shows_its_themes_with_their_pictograms(client):
    html = client.get("/observatoire/", {"theme": "mobilite"}).content.decode()
    card = html.split('class="publication-card"')[1].split("</article>")[0]
    themes = card.split('class="publication-card__themes"')[1].split("</p>")[0]
    assert f'<span class="publication-card__theme">{decorative("bus")}Mobilité</span>' in themes
    assert '<span class="visually-hidden">Thèmes\u00a0: </span>' in themes
