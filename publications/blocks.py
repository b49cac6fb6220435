"""The blocks specific to the observatory's publications.

Each block has its own template in `publications/templates/publications/blocks/`, a French
label, an icon, a description and a preview value for the block chooser.
"""

import hashlib
import re

from django.utils.functional import cached_property

from wagtail import blocks

from publications.charts import (
    COMPACT_WIDTH,
    HORIZONTAL,
    MAX_COMPACT_COLUMNS,
    VERTICAL,
    bar_chart,
)

CHART_TYPES = [("bar_horizontal", "Barres horizontales"), ("bar_vertical", "Colonnes")]
ORIENTATIONS = {"bar_horizontal": HORIZONTAL, "bar_vertical": VERTICAL}


class ChartStructValue(blocks.StructValue):
    """A chart's value, with its geometry computed once for the template."""

    @cached_property
    def data(self):
        """The (label, value) pairs of the rows that have a value."""
        return [
            (row["label"], row["value"])
            for row in self.get("rows") or []
            if row.get("value") is not None
        ]

    @cached_property
    def chart(self):
        """The geometry of the SVG: a `publications.charts.BarChart`."""
        return bar_chart(
            self.data,
            orientation=ORIENTATIONS.get(self.get("chart_type"), HORIZONTAL),
            unit=self.get("unit") or "",
        )

    @cached_property
    def compact_chart(self):
        """The chart drawn narrower, for phones: columns turn into bars if too many."""
        orientation = ORIENTATIONS.get(self.get("chart_type"), HORIZONTAL)
        if len(self.data) > MAX_COMPACT_COLUMNS:
            orientation = HORIZONTAL
        return bar_chart(
            self.data, orientation=orientation, width=COMPACT_WIDTH, unit=self.get("unit") or ""
        )

    @property
    def charts(self):
        """(variant, chart) pairs: the template draws both, CSS shows one for the width."""
        return [("wide", self.chart), ("compact", self.compact_chart)]

    @cached_property
    def fingerprint(self):
        """A short hash of the title and the data: tells two charts of a page apart."""
        content = repr(
            (self.get("title"), self.get("chart_type"), [(str(k), str(v)) for k, v in self.data])
        )
        return hashlib.sha1(content.encode(), usedforsecurity=False).hexdigest()[:8]


def chart_dom_id(value, block_id=None):
    """The prefix of a chart's element ids, unique within a page.

    From the id of the stream child when there is one (`id` in the template context), plus the
    hash of the chart's content (a nested stream's children inherit their parent's `id`).
    """
    prefix = re.sub(r"[^A-Za-z0-9]", "", str(block_id or ""))[:8]
    return f"chart-{prefix}-{value.fingerprint}" if prefix else f"chart-{value.fingerprint}"


class ChartBlock(blocks.StructBlock):
    """A bar chart drawn on the server as SVG, with its data as a table for everyone."""

    title = blocks.CharBlock(
        label="Titre",
        max_length=200,
        help_text="Ce que montre le graphique. Ex. : Emplois de l'ESS par département, 2022.",
    )
    chart_type = blocks.ChoiceBlock(
        label="Type de graphique",
        choices=CHART_TYPES,
        default="bar_horizontal",
        help_text="Les barres horizontales conviennent aux libellés longs ; les colonnes, "
        "aux séries courtes (années, tranches d'effectif).",
    )
    unit = blocks.CharBlock(
        label="Unité",
        required=False,
        max_length=30,
        help_text="Facultatif. Ex. : emplois, %, €. Une unité courte (3 caractères au plus) "
        "suit chaque valeur, une unité plus longue s'affiche une fois sous l'axe.",
    )
    rows = blocks.ListBlock(
        blocks.StructBlock(
            [
                ("label", blocks.CharBlock(label="Libellé", max_length=120)),
                (
                    "value",
                    blocks.DecimalBlock(
                        label="Valeur",
                        max_digits=15,
                        decimal_places=4,
                        help_text="Un nombre, sans unité ni espace entre les milliers. Ex. : 12345",
                    ),
                ),
            ],
            label="Ligne",
            icon="order",
        ),
        label="Données",
        min_num=1,
        max_num=30,
        help_text="Une ligne par barre, dans l'ordre d'affichage.",
    )
    source = blocks.CharBlock(
        label="Source",
        required=False,
        max_length=255,
        help_text="Ex. : Observatoire régional de l'ESS, d'après INSEE Flores 2022.",
    )
    note = blocks.TextBlock(
        label="Note",
        required=False,
        max_length=600,
        help_text="Facultatif : champ, méthode, précision de lecture.",
    )

    class Meta:
        icon = "order"
        label = "Graphique"
        template = "publications/blocks/chart_block.html"
        description = (
            "Un graphique en barres ou en colonnes, dessiné à partir d'un petit tableau, "
            "avec ses données consultables sous forme de tableau."
        )
        value_class = ChartStructValue
        preview_value = {
            "title": "Emplois de l'ESS par département",
            "chart_type": "bar_horizontal",
            "unit": "emplois",
            "rows": [
                {"label": "Calvados", "value": "18420"},
                {"label": "Eure", "value": "12150"},
                {"label": "Manche", "value": "13780"},
                {"label": "Orne", "value": "8930"},
                {"label": "Seine-Maritime", "value": "36240"},
            ],
            "source": "Observatoire régional de l'ESS, d'après INSEE Flores 2022",
        }

    def get_context(self, value, parent_context=None):
        block_id = (parent_context or {}).get("id")
        context = super().get_context(value, parent_context=parent_context)
        context["chart_id"] = chart_dom_id(value, block_id)
        return context
