"""The illustration system: theme pictograms, the small map of a territory, the demo pictures."""

import hashlib
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from django.conf import settings
from django.template import Context, Template

from wagtail.images import get_image_model

import pytest

from cress_site.demo_pictures import MOTIF_DESCRIPTIONS, draw_picture
from cress_site.models import Territory, Theme
from cress_site.pictograms import Pictogram
from home.models import ContentPage, HomePage, PitchPage
from projects_showcase.models import ProjectPage

ICONS = Path(settings.BASE_DIR) / "static" / "icons"
SVG = "{http://www.w3.org/2000/svg}"


def render(source, **context):
    return Template("{% load illustration_tags %}" + source).render(Context(context))


def test_a_pictogram_is_a_decorative_svg_using_the_sprite():
    html = render('{% pictogram "wheat" "extra" %}')
    assert html == (
        '<svg class="pictogram extra" aria-hidden="true" focusable="false">'
        '<use href="/static/icons/pictograms.svg#wheat"></use></svg>'
    )
    assert render('{% pictogram "" %}') == ""
    assert render('{% pictogram "not-an-icon" %}') == ""


def test_the_sprite_has_every_choice_and_its_licence_and_script_beside_it():
    root = ET.parse(ICONS / "pictograms.svg").getroot()
    ids = {symbol.get("id") for symbol in root.iter(f"{SVG}symbol")}
    assert ids == set(Pictogram.values)
    for symbol in root.iter(f"{SVG}symbol"):
        assert symbol.get("viewBox") == "0 0 24 24" and list(symbol), symbol.get("id")
    assert "ISC License" in (ICONS / "LICENSE").read_text()
    script = (ICONS / "build_sprite.py").read_text()
    version = re.search(r'^VERSION = "([\d.]+)"$', script, re.M).group(1)
    assert f"lucide-static {version}" in (ICONS / "pictograms.svg").read_text()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "code", "highlighted"),
    [
        ("departement", "61", ["61"]),
        ("epci", "200068450", ["61"]),  # CC Terres d'Argentan Interco
        ("region", "28", ["14", "27", "50", "61", "76"]),
    ],
)
def test_the_small_map_highlights_the_territorys_departement(kind, code, highlighted):
    territory = Territory.objects.select_related("departement").get(kind=kind, code=code)
    root = ET.fromstring(render("{% territory_map territory %}", territory=territory))
    assert root.get("aria-hidden") == "true"
    shapes = root.findall("use")
    assert len(shapes) == 5
    lit = [
        use.get("data-code")
        for use in shapes
        if "territory-map__departement--highlighted" in use.get("class")
    ]
    assert sorted(lit) == highlighted
    assert all(
        use.get("href") == f"/static/img/normandie-departements.svg#dep-{use.get('data-code')}"
        for use in shapes
    )


def test_the_small_maps_file_has_the_five_departements_it_uses():
    root = ET.parse(Path(settings.BASE_DIR) / "static/img/normandie-departements.svg").getroot()
    assert {path.get("id") for path in root.iter(f"{SVG}path")} == {
        f"dep-{code}" for code in ("14", "27", "50", "61", "76")
    }


@pytest.mark.django_db
def test_the_theme_form_offers_the_pictograms_with_a_preview(admin_client):
    html = admin_client.get("/admin/snippets/cress_site/theme/add/").content.decode()
    assert 'class="pictogram-select"' in html
    assert "Aucun pictogramme" in html and "---------" not in html
    assert 'value="wheat"' in html and "Alimentation, agriculture (épi)" in html
    assert '<use href="/static/icons/pictograms.svg#wheat"/>' in html
    assert "cress_site/admin/pictogram-select.css" in html


@pytest.mark.django_db
def test_every_demo_theme_has_a_pictogram():
    assert not Theme.objects.filter(icon="").exists()
    assert set(Theme.objects.values_list("icon", flat=True)) <= set(Pictogram.values)


@pytest.mark.django_db
def test_demo_pictures_are_distinct_and_described():
    home = HomePage.objects.get()
    pitch = PitchPage.objects.get()
    about = ContentPage.objects.get(slug="a-propos")
    about_image_ids = [
        block.value["image"].pk for block in about.body if block.block_type == "image"
    ]
    projects = ProjectPage.objects.exclude(listing_image=None)
    # The home page's hero shows its promise box rather than a picture in the demo.
    home_image_ids = [home.hero_image_id] if home.hero_image_id else []
    ids = [
        *home_image_ids,
        pitch.hero_image_id,
        *about_image_ids,
        *projects.values_list("listing_image_id", flat=True),
    ]
    assert len(ids) >= 5 and len(set(ids)) == len(ids)
    images = get_image_model().objects.filter(pk__in=ids)
    digests = set()
    for image in images:
        with image.file.open("rb") as file:
            digests.add(hashlib.sha256(file.read()).hexdigest())
        assert image.description.startswith("Illustration : ")
    assert len(digests) == len(ids)


def test_every_scene_is_drawn_the_same_for_a_seed_and_differently_for_another():
    for motif in MOTIF_DESCRIPTIONS:
        once = draw_picture(motif, 120, 72, 1)
        assert once == draw_picture(motif, 120, 72, 1)
        assert once != draw_picture(motif, 120, 72, 2)
    with pytest.raises(ValueError):
        draw_picture("photo", 10, 10, 1)
