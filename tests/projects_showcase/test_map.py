"""The map of Normandy: the départements read from the SVG file, the map's numbers, and the
include drawing it as inline SVG with links, followed by the same links as a list."""

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

import pytest

from projects_showcase import map as normandy
from projects_showcase.map import (
    CREDIT,
    build_map,
    centroid,
    contains,
    count_label,
    level,
    load_departements,
    parse_path,
    signed_area,
)

SVG = "{http://www.w3.org/2000/svg}"
TEMPLATE = "projects_showcase/includes/normandy_map.html"
NAMES = ["Calvados", "Eure", "Manche", "Orne", "Seine-Maritime"]
CODES = ["14", "27", "50", "61", "76"]
COUNTS = {"14": 3, "27": 1, "50": 0, "61": 5, "76": 12}
NBSP = "\u00a0"


def url_for(code):
    return f"/projets/?departement={code}&tri=recent"


def render_html(counts=COUNTS, selected=None, **context):
    with translation.override("fr"):
        return render_to_string(
            TEMPLATE,
            {"map": build_map(counts, url_for=url_for, selected=selected), **context},
        )


def render(counts=COUNTS, selected=None, **context):
    """The include's block (figure and list) parsed as XML (which also proves it well-formed)."""
    root = ET.fromstring(render_html(counts, selected, **context))
    assert root.get("class") == "normandy-map-block"
    return root


def text(element):
    return re.sub(r"[ \t\r\n]+", " ", "".join(element.itertext())).strip()  # keeps NBSPs


# ---------- Geometry ----------


def test_relative_path_with_implicit_line_tos():
    # After "m", pairs are relative line-tos; "z" closes; the repeated "0,0" points go.
    assert parse_path("m 10,20 5,0 0,0 0,5 -5,0 z") == [[(10, 20), (15, 20), (15, 25), (10, 25)]]


def test_absolute_and_axis_commands_and_several_subpaths():
    subpaths = parse_path("M0 0 H4 V3 L0 3 Z m 10,0 1,0 0,1 z")
    assert subpaths == [[(0, 0), (4, 0), (4, 3), (0, 3)], [(10, 0), (11, 0), (11, 1)]]


def test_curves_are_refused():
    with pytest.raises(ValueError):
        parse_path("m 0,0 c 1,1 2,2 3,3 z")


def test_centroid_is_area_weighted():
    # An L: most vertices are on the thin arm, the centroid stays near the heavy part.
    shape = [(0, 0), (10, 0), (10, 10), (9, 10), (9, 1), (8, 1), (7, 1), (6, 1), (0, 1)]
    x, y = centroid(shape)
    assert signed_area(shape) == pytest.approx(19)
    assert (x, y) == pytest.approx((135.5 / 19, 54.5 / 19))  # the two rectangles' centroids
    assert x - sum(px for px, _ in shape) / len(shape) > 0.5  # the vertex mean: 6.56


def test_point_in_polygon():
    square = [(0, 0), (4, 0), (4, 4), (0, 4)]
    assert contains(square, (2, 2))
    assert not contains(square, (5, 2))
    notch = [(0, 0), (4, 0), (4, 4), (3, 4), (3, 1), (1, 1), (1, 4), (0, 4)]
    assert not contains(notch, (2, 3))
    assert contains(notch, (0.5, 3))


# ---------- The file ----------


def test_five_departements_by_name():
    departements = load_departements()
    assert [d.name for d in departements] == NAMES
    assert [d.code for d in departements] == CODES
    assert all(d.path_d.startswith("m ") for d in departements)


def test_parsed_once():
    assert load_departements() == load_departements()
    hits = normandy._load.cache_info().hits
    load_departements()
    assert normandy._load.cache_info().hits == hits + 1


def test_outlines_are_in_the_view_box():
    x, y, width, height = map(float, normandy.view_box().split())
    for departement in load_departements():
        assert len(departement.points) > 50
        for px, py in departement.points:
            assert x <= px <= x + width and y <= py <= y + height, departement.name


def test_the_file_is_the_one_the_site_serves():
    served = Path(settings.BASE_DIR) / "static/img/normandie-departements.svg"
    assert served == normandy.SVG_FILE


@pytest.mark.parametrize("departement", load_departements(), ids=lambda d: d.name)
def test_label_point_inside_its_departement(departement):
    assert contains(departement.points, (departement.label_x, departement.label_y))
    for other in load_departements():
        if other.code != departement.code:
            assert not contains(other.points, (departement.label_x, departement.label_y))


@pytest.mark.parametrize("area", build_map(COUNTS, url_for=url_for).areas, ids=lambda a: a.name)
def test_whole_label_inside_its_departement(area):
    """The badge and the name (its width estimated) keep inside the outline."""
    points = next(d.points for d in load_departements() if d.code == area.code)
    half_name = len(area.name) * 0.6 * normandy.NAME_FONT_SIZE / 2
    name_top = area.name_y - normandy.NAME_FONT_SIZE * 0.75
    corners = [
        (area.badge_x, area.badge_y),
        (area.badge_x + area.badge_width, area.badge_y),
        (area.badge_x, area.badge_y + area.badge_height),
        (area.badge_x + area.badge_width, area.badge_y + area.badge_height),
        (area.label_x - half_name, name_top),
        (area.label_x + half_name, name_top),
        (area.label_x - half_name, area.name_y + 1),
        (area.label_x + half_name, area.name_y + 1),
    ]
    assert all(contains(points, corner) for corner in corners)


# ---------- The map ----------


def test_levels_relative_to_the_most():
    assert [level(n, 12) for n in (0, 1, 3, 4, 6, 7, 9, 10, 12)] == [0, 1, 1, 2, 2, 3, 3, 4, 4]
    assert level(0, 0) == 0
    assert level(5, 5) == 4


def test_count_labels():
    assert count_label(0) == "aucun projet"
    assert count_label(1) == "1 projet"
    assert count_label(2) == "2 projets"


def test_build_map():
    result = build_map(COUNTS, url_for=url_for, selected="61")
    areas = {area.code: area for area in result.areas}
    assert [area.name for area in result.areas] == NAMES
    assert result.view_box == "132.4 64.8 159.8 123.5"
    assert result.total == 21
    assert {code: area.count for code, area in areas.items()} == COUNTS
    assert {code: area.level for code, area in areas.items()} == {
        "14": 1,
        "27": 1,
        "50": 0,
        "61": 2,
        "76": 4,
    }
    assert areas["14"].label == f"Calvados{NBSP}: 3 projets"
    assert areas["27"].label == f"Eure{NBSP}: 1 projet"
    assert areas["50"].label == f"Manche{NBSP}: aucun projet"
    assert areas["50"].count_label == "aucun projet"
    assert areas["14"].href == "/projets/?departement=14&tri=recent"
    assert [area.code for area in result.areas if area.is_selected] == ["61"]
    assert result.selected is areas["61"]
    dep = next(d for d in load_departements() if d.code == "14")
    assert (areas["14"].path_d, areas["14"].label_x) == (dep.path_d, dep.label_x)


def test_missing_codes_count_zero_and_nothing_selected():
    result = build_map({"76": 2}, url_for=url_for)
    assert [area.count for area in result.areas] == [0, 0, 0, 0, 2]
    assert [area.level for area in result.areas] == [0, 0, 0, 0, 4]
    assert result.total == 2
    assert result.selected is None
    assert build_map({}, url_for=url_for, selected="75").selected is None
    assert {area.level for area in build_map({}, url_for=url_for).areas} == {0}


def test_codes_may_be_integers():
    result = build_map({14: 2, 76: None}, url_for=url_for, selected=14)
    assert [area.count for area in result.areas] == [2, 0, 0, 0, 0]
    assert result.selected.code == "14"


def test_badge_widens_with_the_digits():
    areas = build_map({"14": 7, "27": 1234}, url_for=url_for).areas
    assert areas[1].badge_width > areas[0].badge_width
    assert areas[1].badge_x + areas[1].badge_width / 2 == pytest.approx(areas[1].label_x, abs=0.01)


# ---------- The include ----------


def test_renders_well_formed_svg_with_one_link_per_departement():
    root = render(selected="14")
    svg = root.find(f"figure/{SVG}svg")
    assert svg is not None
    assert svg.get("viewBox") == "132.4 64.8 159.8 123.5"
    assert svg.get("role") == "group" and svg.get("aria-label")
    links = svg.findall(f".//{SVG}a")
    assert [link.get("href") for link in links] == [url_for(code) for code in CODES]
    assert [link.get("aria-label") for link in links] == [
        f"Calvados{NBSP}: 3 projets",
        f"Eure{NBSP}: 1 projet",
        f"Manche{NBSP}: aucun projet",
        f"Orne{NBSP}: 5 projets",
        f"Seine-Maritime{NBSP}: 12 projets",
    ]
    assert [link.get("aria-current") for link in links] == ["true", None, None, None, None]
    classes = [link.get("class").split() for link in links]
    assert "normandy-map__area--selected" in classes[0]
    assert [c for c in classes[4] if "level" in c] == ["normandy-map__area--level-4"]
    assert [c for c in classes[2] if "level" in c] == ["normandy-map__area--level-0"]


def test_every_drawn_outline_is_a_departement_of_the_file():
    root = render(selected="27")
    svg = root.find(f"figure/{SVG}svg")
    defined = {path.get("id"): path.get("d") for path in svg.iter(f"{SVG}path")}
    assert list(defined.values()) == [d.path_d for d in load_departements()]
    uses = [use.get("href") for use in svg.iter(f"{SVG}use")]
    assert uses and all(href.lstrip("#") in defined for href in uses)
    # The links hold the shapes; the selected outline is drawn once, over the others.
    for link in svg.iter(f"{SVG}a"):
        assert link.find(f"{SVG}use").get("class") == "normandy-map__shape"
    selection = svg.find(f"{SVG}g[@class='normandy-map__selection']")
    assert {use.get("href") for use in selection} == {"#normandy-map-27"}


def test_counts_and_names_drawn_but_hidden_from_screen_readers():
    root = render()
    labels = root.find(f".//{SVG}g[@class='normandy-map__labels']")
    assert labels.get("aria-hidden") == "true"
    assert [t.text for t in labels.iter(f"{SVG}text")] == [
        "3",
        "Calvados",
        "1",
        "Eure",
        "0",
        "Manche",
        "5",
        "Orne",
        "12",
        "Seine-Maritime",
    ]


def test_coordinates_are_not_localized():
    root = render()
    for element in root.iter():
        for name in ("x", "y", "width", "height", "rx", "font-size", "viewBox"):
            value = element.get(name)
            if value is not None and value != "100%":
                assert "," not in value and re.fullmatch(r"[\d. -]+", value), (name, value)


def test_text_alternative_has_the_same_links():
    root = render(selected="76")
    items = root.findall("ul/li")
    assert root.find("ul").get("class") == "normandy-map__list"
    assert [text(item) for item in items] == [
        "Calvados (3 projets)",
        "Eure (1 projet)",
        "Manche (aucun projet)",
        "Orne (5 projets)",
        "Seine-Maritime (12 projets)",
    ]
    links = [item.find("a") for item in items]
    assert [link.get("href") for link in links] == [url_for(code) for code in CODES]
    assert [link.get("aria-current") for link in links] == [None, None, None, None, "true"]


def test_caption_title_and_credit():
    root = render()
    figure = root.find("figure")
    caption = figure.find("figcaption")
    assert list(figure)[-1] is caption
    title = caption.find("span[@class='normandy-map__title']")
    assert text(title) == "Projets accompagnés par département"
    assert figure.get("aria-labelledby") == title.get("id")
    assert root.find("ul").get("aria-labelledby") == title.get("id")
    assert text(caption.find("span[@class='normandy-map__credit']")) == CREDIT
    # What the map is, who drew it and under which licence, in words a reader understands,
    # not a package's name.
    expected = (
        "Carte : départements de Normandie, contours d'après Victor Cazanave (projet svg-maps), "
        "licence CC BY 4.0"
    )
    assert CREDIT.replace(NBSP, " ") == expected
    assert "@svg-maps" not in render_html()


def test_no_style_attribute_and_unique_ids():
    html = render_html(selected="50")
    root = ET.fromstring(f"<div>{html}</div>")
    assert "style=" not in html
    assert all("style" not in element.attrib for element in root.iter())
    ids = [element.get("id") for element in root.iter() if element.get("id")]
    assert len(ids) == len(set(ids))


def test_id_prefix_for_two_maps_on_a_page():
    root = render(map_id="carte-accueil")
    assert root.find("figure").get("aria-labelledby") == "carte-accueil-title"
    assert all(use.get("href").startswith("#carte-accueil-") for use in root.iter(f"{SVG}use"))


def test_css_defines_the_classes_the_include_uses():
    css = (Path(settings.BASE_DIR) / "static/css/site.css").read_text()
    section = css[css.index("/* ---------- Map ---------- */") :]
    root = render(selected="14")
    used = {c for element in root.iter() for c in (element.get("class") or "").split()}
    used |= {f"normandy-map__area--level-{n}" for n in range(5)}
    used |= {f"normandy-map__link--level-{n}" for n in range(5)}
    used -= {"normandy-map__areas", "normandy-map__label", "normandy-map__area--selected"}  # hooks
    missing = {c for c in used if not re.search(rf"\.{c}(?![\w-])", section)}
    assert missing == set()
    assert "@media (forced-colors: active)" in section
    assert ":focus-visible" in section
