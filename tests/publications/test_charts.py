"""Bar charts: the geometry computed in Python, and the block rendering it as SVG and table."""

import itertools
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import translation

import pytest

from publications import charts
from publications.blocks import ChartBlock
from publications.charts import (
    ELLIPSIS,
    HORIZONTAL,
    MINUS,
    NARROW_NBSP,
    NBSP,
    VERTICAL,
    bar_chart,
    format_number,
    nice_scale,
    number_width,
    text_width,
)

SVG = "{http://www.w3.org/2000/svg}"
DEPARTMENTS = [
    ("Calvados", Decimal("18420")),
    ("Eure", Decimal("12150")),
    ("Manche", Decimal("13780")),
    ("Orne", Decimal("8930")),
    ("Seine-Maritime", Decimal("36240")),
]
LONG_LABEL = "Associations d'action sociale sans hébergement et d'aide à domicile"


# ---------- Numbers ----------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("12345.5"), f"12{NARROW_NBSP}345,5"),
        (1234567, f"1{NARROW_NBSP}234{NARROW_NBSP}567"),
        (Decimal("1234"), f"1{NARROW_NBSP}234"),
        (999, "999"),
        (0, "0"),
        (Decimal("10.50"), "10,5"),
        (Decimal("1E+3"), f"1{NARROW_NBSP}000"),
        (0.1, "0,1"),
        ("-3.25", f"{MINUS}3,25"),
        (Decimal("-0.00"), "0"),
        (Decimal("-1234.5"), f"{MINUS}1{NARROW_NBSP}234,5"),
    ],
)
def test_format_number_writes_french_numbers(value, expected):
    assert format_number(value) == expected


def test_format_number_rounds_to_the_decimals_asked():
    assert format_number(Decimal("2.345"), 2) == "2,35"
    assert format_number(12, 1) == "12,0"
    assert format_number(Decimal("-0.004"), 2) == "0,00"  # no minus sign on a zero
    assert format_number(Decimal("123456789012345.5"), 0) == (
        f"123{NARROW_NBSP}456{NARROW_NBSP}789{NARROW_NBSP}012{NARROW_NBSP}346"
    )


def test_format_number_refuses_what_is_not_a_finite_number():
    with pytest.raises(ValueError):
        format_number(float("nan"))


# ---------- Axis ----------


def is_nice(step):
    mantissa = step.scaleb(-step.adjusted())
    return mantissa in (1, 2, 5)


@pytest.mark.parametrize(
    ("values", "start", "stop", "step"),
    [
        ([12345], 0, 15000, 5000),
        ([100], 0, 100, 20),
        ([99], 0, 100, 20),
        ([10], 0, 10, 2),
        ([11], 0, 15, 5),
        ([Decimal("0.003")], 0, Decimal("0.003"), Decimal("0.001")),
        ([-3, -7], -8, 0, 2),
        ([-5, 5], -5, 10, 5),
        ([0, 0], 0, 5, 1),
        ([], 0, 5, 1),
    ],
)
def test_nice_scale(values, start, stop, step):
    scale = nice_scale(values)
    assert (scale.start, scale.stop, scale.step) == (start, stop, step)


@pytest.mark.parametrize(
    "values",
    [
        [1],
        [7],
        [0.5],
        [Decimal("0.07")],
        [36240],
        [1_000_001],
        [250, 251],
        [-1],
        [-12, 3],
        [-2.5, 2.5],
        [-100, 1],
        [-1, 100],
        [Decimal("-0.3"), Decimal("0.9")],
        [4999, -4999],
    ],
)
def test_nice_scale_has_4_to_6_ticks_of_a_nice_step_around_zero_and_the_values(values):
    scale = nice_scale(values)
    ticks = scale.ticks
    assert 4 <= len(ticks) <= 6
    assert is_nice(scale.step)
    assert Decimal(0) in ticks
    assert scale.start <= min([0, *map(charts.to_decimal, values)])
    assert scale.stop >= max([0, *map(charts.to_decimal, values)])


# ---------- Geometry ----------


def text_box(text, width):
    """The estimated extent (left, right) of a level ChartText."""
    left = {"start": text.x, "middle": text.x - width / 2, "end": text.x - width}[text.anchor]
    return left, left + width


def assert_inside(chart):
    """Every bar and (estimated) text lies inside the viewBox."""
    for bar in chart.bars:
        assert bar.x >= 0 and bar.x + bar.width <= chart.width + 0.01
        assert bar.y >= 0 and bar.y + bar.height <= chart.height + 0.01
    assert 4 <= len(chart.ticks) <= 6
    ticks = [tick.label for tick in chart.ticks if tick.label]
    assert next(tick for tick in chart.ticks if tick.value == 0).label.text.startswith("0")
    for before, after in itertools.pairwise(ticks):  # tick labels do not touch
        if chart.orientation == HORIZONTAL:
            assert after.x - before.x >= max(charts.tick_width(label.text) for label in ticks)
        else:
            assert before.y - after.y >= charts.FONT_SIZE
    texts = [(bar.label_text, text_width(bar.label_text.text)) for bar in chart.bars]
    texts += [(bar.value_text, number_width(bar.value_text.text)) for bar in chart.bars]
    texts += [(label, charts.tick_width(label.text)) for label in ticks]
    for text, width in texts:
        assert 0 <= text.y <= chart.height
        if text.angle == 0:
            left, right = text_box(text, width)
            assert left >= -0.01 and right <= chart.width + 0.01, text
        elif text.angle == -90 and text.anchor == "start":  # reads upwards from (x, y)
            assert text.y - width >= -0.01, text
        elif text.angle == -90:  # reads upwards, ending at (x, y)
            assert text.y + width <= chart.height + 0.01, text
        else:  # -45, ending at (x, y)
            assert text.x - width * 0.7072 >= -0.01, text
            assert text.y + width * 0.7072 <= chart.height + 0.01, text


def test_horizontal_bars_are_proportional_and_in_order():
    chart = bar_chart(DEPARTMENTS, orientation=HORIZONTAL, unit="emplois")
    assert chart.view_box == f"0 0 640 {chart.height}"
    assert [bar.label for bar in chart.bars] == [label for label, _ in DEPARTMENTS]
    zero = chart.baseline.x1
    for bar, (_, value) in zip(chart.bars, DEPARTMENTS, strict=True):
        assert bar.x == zero
        assert bar.width / chart.bars[-1].width == pytest.approx(
            float(value / DEPARTMENTS[-1][1]), abs=0.01
        )
    ys = [bar.y for bar in chart.bars]
    assert ys == sorted(ys)
    assert [tick.label.text for tick in chart.ticks] == [
        "0",
        f"10{NARROW_NBSP}000",
        f"20{NARROW_NBSP}000",
        f"30{NARROW_NBSP}000",
        f"40{NARROW_NBSP}000",
    ]
    assert_inside(chart)


def test_values_are_formatted_and_a_long_unit_becomes_the_axis_title():
    chart = bar_chart(DEPARTMENTS, unit="emplois")
    calvados = chart.bars[0]
    assert calvados.formatted_value == f"18{NARROW_NBSP}420"
    assert calvados.value_text.text == f"18{NARROW_NBSP}420"
    assert calvados.title == f"Calvados{NBSP}: 18{NARROW_NBSP}420{NBSP}emplois"
    assert chart.axis_title.text == "emplois"
    assert chart.description.startswith(
        f"Graphique en barres horizontales{NBSP}: Calvados 18{NARROW_NBSP}420{NBSP}emplois"
    )
    assert f"Seine-Maritime 36{NARROW_NBSP}240{NBSP}emplois." in chart.description


def test_a_short_unit_follows_every_number_drawn():
    chart = bar_chart([("Hommes", Decimal("32.5")), ("Femmes", 67.5)], unit="%")
    assert [bar.value_text.text for bar in chart.bars] == [f"32,5{NBSP}%", f"67,5{NBSP}%"]
    assert chart.ticks[-1].label.text == f"80{NBSP}%"
    assert chart.axis_title is None


def test_the_values_of_a_series_share_their_decimals():
    chart = bar_chart([("A", Decimal("10.5")), ("B", 12), ("C", Decimal("3.25"))])
    assert [bar.formatted_value for bar in chart.bars] == ["10,50", "12,00", "3,25"]


def test_all_zero_values_draw_empty_bars_on_a_0_to_5_axis():
    chart = bar_chart([("A", 0), ("B", Decimal("0.0"))])
    assert [bar.width for bar in chart.bars] == [0, 0]
    assert [bar.value_text.text for bar in chart.bars] == ["0", "0"]
    assert [tick.value for tick in chart.ticks] == [0, 1, 2, 3, 4, 5]
    assert_inside(chart)


@pytest.mark.parametrize("orientation", [HORIZONTAL, VERTICAL])
def test_negative_values_go_the_other_way_from_the_zero_baseline(orientation):
    chart = bar_chart(
        [("Créations", 120), ("Défaillances", -45), ("Solde", 75)], orientation=orientation
    )
    up, down, _ = chart.bars
    assert down.negative and not up.negative
    if orientation == HORIZONTAL:
        zero = chart.baseline.x1
        assert up.x == zero
        assert down.x + down.width == pytest.approx(zero, abs=0.02)
        assert down.value_text.anchor == "end" and down.value_text.x < down.x
    else:
        zero = chart.baseline.y1
        assert up.y + up.height == pytest.approx(zero, abs=0.02)
        assert down.y == zero
        assert down.value_text.y > down.y + down.height
    assert down.value_text.text == f"{MINUS}45"
    assert chart.ticks[0].value < 0
    assert_inside(chart)


@pytest.mark.parametrize("orientation", [HORIZONTAL, VERTICAL])
def test_a_single_row(orientation):
    chart = bar_chart([("Normandie", Decimal("69520"))], orientation=orientation, unit="emplois")
    (bar,) = chart.bars
    assert bar.width > 0 and bar.height > 0
    if orientation == VERTICAL:
        assert bar.width == charts.MAX_COLUMN_WIDTH
    assert chart.description == (
        f"Graphique en {'barres horizontales' if orientation == HORIZONTAL else 'colonnes'}"
        f"{NBSP}: Normandie 69{NARROW_NBSP}520{NBSP}emplois."
    )
    assert_inside(chart)


def test_long_labels_are_shortened_on_the_chart_only():
    chart = bar_chart([(LONG_LABEL, 1200), ("Sport", 300)], unit="emplois")
    long, short = chart.bars
    assert long.label == LONG_LABEL
    assert long.label_text.truncated and long.label_text.full_text == LONG_LABEL
    assert long.label_text.text.endswith(ELLIPSIS)
    assert LONG_LABEL.startswith(long.label_text.text[:-1])
    assert text_width(long.label_text.text) <= chart.width * charts.LABEL_SHARE
    assert LONG_LABEL in long.title and LONG_LABEL in chart.description
    assert not short.label_text.truncated and short.label_text.text == "Sport"
    assert_inside(chart)


def test_columns_with_short_labels_stay_level():
    years = [(str(year), 1000 + 37 * index) for index, year in enumerate(range(2015, 2023))]
    chart = bar_chart(years, orientation=VERTICAL)
    assert all(bar.label_text.angle == 0 and not bar.label_text.truncated for bar in chart.bars)
    assert all(bar.value_text.angle == 0 for bar in chart.bars)
    xs = [bar.x for bar in chart.bars]
    assert xs == sorted(xs)
    assert_inside(chart)


def test_thirty_columns_with_long_labels_turn_their_texts():
    rows = [(f"{LONG_LABEL} {index}", 100_000 + index) for index in range(30)]
    chart = bar_chart(rows, orientation=VERTICAL, unit="emplois")
    assert len(chart.bars) == 30
    assert all(bar.label_text.angle in (-45, -90) for bar in chart.bars)
    assert all(bar.label_text.truncated for bar in chart.bars)
    assert all(bar.value_text.angle == -90 for bar in chart.bars)
    assert chart.bars[0].label_text.transform.startswith("rotate(")
    assert_inside(chart)


def test_slanted_labels_do_not_run_off_the_left_edge():
    rows = [("Entreprises commerciales de l'ESS", 10), ("Associations", 20), ("SCOP", 5)]
    rows += [(f"Mutuelle {index}", index) for index in range(6)]
    chart = bar_chart(rows, orientation=VERTICAL)
    first = chart.bars[0].label_text
    assert first.angle == -45
    assert first.x - text_width(first.text) * 0.7072 >= 0


@pytest.mark.parametrize("width", [charts.COMPACT_WIDTH, 640])
@pytest.mark.parametrize("orientation", [HORIZONTAL, VERTICAL])
@pytest.mark.parametrize(
    ("rows", "unit"),
    [
        (DEPARTMENTS, "emplois"),
        ([(LONG_LABEL, Decimal("61.2")), ("Sport", Decimal("-4.5"))], "%"),
        ([(f"{LONG_LABEL} {i}", 12_345 * (i - 5)) for i in range(12)], "€"),
        ([(f"Projet {i}", 1_234_567 * (i + 1)) for i in range(12)], "€"),
        ([(f"Territoire {i}", i) for i in range(30)], ""),
    ],
)
def test_everything_drawn_stays_inside_the_view_box(rows, unit, orientation, width):
    assert_inside(bar_chart(rows, orientation=orientation, width=width, unit=unit))


def test_tick_labels_are_abridged_only_when_they_would_touch():
    scale = nice_scale([12_000_000])
    assert charts.tick_label(Decimal(5_000_000), scale) == f"5{NARROW_NBSP}000{NARROW_NBSP}000"
    assert charts.tick_label(Decimal(5_000_000), scale, "€", abridged=True) == f"5{NBSP}M€"
    assert charts.tick_label(Decimal(-2_500), nice_scale([-1000, 1500]), abridged=True) == (
        f"{MINUS}2,5{NBSP}k"
    )
    assert charts.tick_label(Decimal(0), scale, "%", abridged=True) == f"0{NBSP}%"

    roomy = bar_chart([("Budget", 120_000), ("Dépenses", -45_000)], unit="€")
    assert [t.label.text for t in roomy.ticks][-1] == f"150{NARROW_NBSP}000{NBSP}€"
    cramped = bar_chart(
        [(f"{LONG_LABEL} {i}", 1_234_567 * (i - 5)) for i in range(12)], width=640, unit="€"
    )
    assert [t.label.text for t in cramped.ticks] == [
        f"{MINUS}10{NBSP}M€",
        f"{MINUS}5{NBSP}M€",
        f"0{NBSP}€",
        f"5{NBSP}M€",
        f"10{NBSP}M€",
    ]
    assert cramped.bars[0].value_text.text == f"{MINUS}6{NARROW_NBSP}172{NARROW_NBSP}835{NBSP}€"
    assert_inside(cramped)


def test_tick_labels_that_would_still_touch_are_left_out_but_zero():
    rows = [(f"{LONG_LABEL} {i}", 12_345 * (i - 5)) for i in range(12)]
    chart = bar_chart(rows, width=charts.COMPACT_WIDTH, unit="€")
    labels = {tick.value: tick.label and tick.label.text for tick in chart.ticks}
    assert labels[0] == f"0{NBSP}€"
    assert None in labels.values()
    assert all(tick.gridline for tick in chart.ticks)
    assert_inside(chart)


def test_rows_without_a_value_are_left_out():
    chart = bar_chart([("A", 3), ("B", None), ("C", Decimal("4"))])
    assert [bar.label for bar in chart.bars] == ["A", "C"]


def test_an_unknown_orientation_is_refused():
    with pytest.raises(ValueError):
        bar_chart(DEPARTMENTS, orientation="pie")


# ---------- The block ----------


def raw_chart(**overrides):
    raw = {
        "title": "Emplois de l'ESS par département",
        "chart_type": "bar_horizontal",
        "unit": "emplois",
        "rows": [{"label": label, "value": str(value)} for label, value in DEPARTMENTS],
        "source": "Observatoire régional de l'ESS, d'après INSEE Flores 2022",
        "note": "Champ : établissements employeurs.\nEffectifs au 31 décembre.",
    }
    raw.update(overrides)
    return raw


def render(raw, context=None):
    block = ChartBlock()
    return block.render(block.to_python(raw), context=context)


def parse_svgs(html):
    """The block's SVGs, wide then compact, each parsed as (well-formed) XML."""
    svgs = [ET.fromstring(svg) for svg in re.findall(r"<svg\b.*?</svg>", html, flags=re.DOTALL)]
    assert [svg.get("class").split()[-1] for svg in svgs] == [
        "chart-block__svg--wide",
        "chart-block__svg--compact",
    ]
    return svgs


def parse_svg(html):
    """The wide SVG."""
    return parse_svgs(html)[0]


def parse_table(html):
    (table,) = re.findall(r"<table\b.*?</table>", html, flags=re.DOTALL)
    return ET.fromstring(table)


def test_the_block_draws_one_bar_per_row_with_an_accessible_name():
    html = render(raw_chart())
    svg = parse_svg(html)
    assert svg.get("role") == "img"
    assert svg.get("width") == "100%"
    assert svg.get("viewBox").startswith("0 0 640 ")
    title_id, desc_id = svg.get("aria-labelledby").split()
    title = svg.find(f"{SVG}title")
    desc = svg.find(f"{SVG}desc")
    assert title.get("id") == title_id and desc.get("id") == desc_id
    assert title.text == "Emplois de l'ESS par département"
    assert desc.text.startswith("Graphique en barres horizontales")
    for label, value in DEPARTMENTS:
        assert f"{label} {format_number(value)}{NBSP}emplois" in desc.text

    rects = svg.findall(f".//{SVG}rect")
    assert len(rects) == len(DEPARTMENTS)
    assert rects[0].find(f"{SVG}title").text == f"Calvados{NBSP}: 18{NARROW_NBSP}420{NBSP}emplois"
    assert all("chart-block__bar" in rect.get("class") for rect in rects)
    labels = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "chart-block__label"]
    assert labels == [label for label, _ in DEPARTMENTS]
    ticks = svg.find(f"{SVG}g[@class='chart-block__ticks']")
    assert len(ticks) == len(svg.find(f"{SVG}g[@class='chart-block__grid']")) >= 4

    compact = parse_svgs(html)[1]
    assert compact.get("viewBox").startswith("0 0 400 ")
    assert len(compact.findall(f".//{SVG}rect")) == len(DEPARTMENTS)
    assert compact.find(f"{SVG}desc").text == desc.text


def test_the_block_offers_the_data_as_a_table_in_a_details_element():
    html = render(raw_chart())
    assert '<figure class="chart-block chart-block--horizontal">' in html
    assert '<figcaption class="chart-block__title">' in html
    assert '<summary class="chart-block__summary">Voir les données du graphique</summary>' in html
    assert html.index("<details") < html.index("<table") < html.index("</details>")
    table = parse_table(html)
    assert table.find("caption").text == "Emplois de l'ESS par département"
    headers = table.findall("thead/tr/th")
    assert [th.text for th in headers] == ["Libellé", "Valeur (emplois)"]
    assert all(th.get("scope") == "col" for th in headers)
    rows = table.findall("tbody/tr")
    assert len(rows) == len(DEPARTMENTS)
    assert rows[0].find("th").get("scope") == "row"
    assert [(r.find("th").text, r.find("td").text) for r in rows][-1] == (
        "Seine-Maritime",
        f"36{NARROW_NBSP}240",
    )
    assert "Source&nbsp;: Observatoire régional de l&#x27;ESS" in html
    assert "Note&nbsp;: Champ : établissements employeurs.<br>Effectifs au 31 décembre." in html


def test_the_block_has_no_style_attribute_and_dotted_coordinates_in_french():
    with translation.override("fr"):
        html = render(
            raw_chart(rows=[{"label": "A", "value": "1.5"}, {"label": "B", "value": "7"}])
        )
    assert "style=" not in html
    for svg in parse_svgs(html):
        for element in svg.iter():
            for name in ("x", "y", "width", "height", "x1", "y1", "x2", "y2"):
                if element.get(name) is not None and element.get(name) != "100%":
                    float(element.get(name))  # "12,5" would fail
        assert all(float(n) >= 0 for n in svg.get("viewBox").split())


def test_a_long_label_is_shortened_in_the_svg_but_whole_in_its_title_and_the_table():
    html = render(
        raw_chart(rows=[{"label": LONG_LABEL, "value": "3"}, {"label": "B", "value": "2"}])
    )
    svg = parse_svg(html)
    label = next(t for t in svg.iter(f"{SVG}text") if t.get("class") == "chart-block__label")
    assert label.find(f"{SVG}title").text == LONG_LABEL
    assert "".join(label.itertext()).endswith(ELLIPSIS)
    assert svg.find(f".//{SVG}rect/{SVG}title").text.startswith(LONG_LABEL)
    assert parse_table(html).find("tbody/tr/th").text == LONG_LABEL


def test_columns_render_as_well_formed_svg():
    raw = raw_chart(
        chart_type="bar_vertical",
        unit="%",
        rows=[{"label": str(year), "value": str(10 + year % 7)} for year in range(2010, 2024)],
    )
    html = render(raw)
    assert "chart-block--vertical" in html
    wide, compact = parse_svgs(html)
    assert len(wide.findall(f".//{SVG}rect")) == 14
    assert wide.find(f"{SVG}desc").text.startswith("Graphique en colonnes")
    assert "Valeur (%)" in html
    # more columns than a phone can show side by side: the compact chart has bars instead
    assert len(compact.findall(f".//{SVG}rect")) == 14
    assert compact.find(f"{SVG}desc").text.startswith("Graphique en barres horizontales")


def test_a_few_columns_stay_columns_when_compact():
    raw = raw_chart(chart_type="bar_vertical")
    compact = parse_svgs(render(raw))[1]
    assert compact.find(f"{SVG}desc").text.startswith("Graphique en colonnes")


def test_element_ids_are_unique_when_several_charts_share_a_page():
    first = render(raw_chart())
    other = render(raw_chart(title="Établissements de l'ESS par département"))
    same_in_another_stream_child = render(raw_chart(), context={"id": "9b1e2c4d-aaaa-bbbb"})
    same_again_elsewhere = render(raw_chart(), context={"id": "0c7d4e11-cccc-dddd"})
    ids = [
        svg.find(f"{SVG}{tag}").get("id")
        for html in (first, other, same_in_another_stream_child, same_again_elsewhere)
        for svg in parse_svgs(html)
        for tag in ("title", "desc")
    ]
    assert len(set(ids)) == len(ids) == 16
    assert ids[8].startswith("chart-9b1e2c4d-")
    assert all(re.fullmatch(r"chart-[a-z0-9-]+-(title|desc)", id_) for id_ in ids)
    assert render(raw_chart()) == first  # stable from one rendering to the next


def test_the_block_validates_its_rows():
    block = ChartBlock()
    assert block.clean(block.to_python(raw_chart()))
    with pytest.raises(ValidationError):
        block.clean(block.to_python(raw_chart(rows=[])))
    too_many = [{"label": f"L{i}", "value": str(i)} for i in range(31)]
    with pytest.raises(ValidationError):
        block.clean(block.to_python(raw_chart(rows=too_many)))
    with pytest.raises(ValidationError):
        block.clean(block.to_python(raw_chart(title="")))


def test_the_block_meta_and_preview():
    block = ChartBlock()
    assert block.meta.label == "Graphique"
    assert block.meta.template == "publications/blocks/chart_block.html"
    assert block.meta.description
    assert block.child_blocks["chart_type"].get_default() == "bar_horizontal"
    preview = block.get_preview_value()
    assert [label for label, _ in preview.data] == [
        "Calvados",
        "Eure",
        "Manche",
        "Orne",
        "Seine-Maritime",
    ]
    assert len(parse_svg(block.render(preview)).findall(f".//{SVG}rect")) == 5
