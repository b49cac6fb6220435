"""The home page's own blocks: the observatory's key figures, each with its source and year."""

from wagtail import blocks

from cress_site.blocks import FigureBlock


class SourcedFigureBlock(FigureBlock):
    """A key figure with where it comes from and the year it describes, as a study cites it."""

    source = blocks.CharBlock(
        label="Source",
        max_length=160,
        help_text="D'où vient le chiffre. Ex. : Panorama de l'ESS en Normandie, Observatoire "
        "régional de l'ESS.",
    )
    year = blocks.IntegerBlock(
        label="Année",
        required=False,
        min_value=1990,
        max_value=2100,
        help_text="L'année que décrit le chiffre (pas celle de la publication). Ex. : 2022.",
    )

    class Meta:
        icon = "order"
        label = "Chiffre clé"
        description = "Un chiffre de l'Observatoire : sa valeur, ce qu'il compte, sa source."
        preview_template = "blocks/previews/figure_block.html"
        preview_value = {
            "value": "125 080",
            "unit": "",
            "label": "emplois salariés dans l'ESS en Normandie",
            "source": "Panorama de l'ESS en Normandie",
            "year": 2022,
        }
