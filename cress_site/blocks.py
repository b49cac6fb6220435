"""The StreamField blocks every page family builds its body from.

Each block has its own template in `cress_site/templates/blocks/`, a French label, an icon, a
description and a preview value for the block chooser.
"""

from django.utils.text import slugify

from wagtail import blocks
from wagtail.contrib.typed_table_block.blocks import TypedTableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock

from cress_site.visibility import is_public_page

LINK_HELP = "Choisissez une page du site, ou à défaut saisissez une adresse."


class LinkStructValue(blocks.StructValue):
    def href(self):
        """The page's URL if a page was chosen, else the address typed ("" when neither, or
        when the chosen page is not one the public may see)."""
        page = self.get("page")
        if page:
            return page.url if is_public_page(page) else ""
        return self.get("url") or ""


class LinkBlock(blocks.StructBlock):
    """A link to a page of the site or, failing that, to an address."""

    page = blocks.PageChooserBlock(label="Page du site", required=False)
    url = blocks.URLBlock(label="Adresse", required=False, help_text=LINK_HELP)

    class Meta:
        icon = "link"
        label = "Lien"
        value_class = LinkStructValue

    def clean(self, value):
        value = super().clean(value)
        if not value.get("page") and not value.get("url"):
            raise blocks.StructBlockValidationError(
                block_errors={"page": ["Choisissez une page ou saisissez une adresse."]}
            )
        return value


def heading_anchor(value):
    """The id of a heading block: its anchor, or its text made into a slug."""
    return value.get("anchor") or slugify(value["text"])


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label="Texte du titre", max_length=160)
    level = blocks.ChoiceBlock(
        label="Niveau",
        choices=[("h2", "Titre de section (niveau 2)"), ("h3", "Sous-titre (niveau 3)")],
        default="h2",
    )
    anchor = blocks.RegexBlock(
        regex=r"^[a-z0-9-]+$",
        label="Ancre",
        required=False,
        max_length=60,
        help_text="Facultatif : permet un lien direct vers ce titre (minuscules, chiffres et "
        "tirets, sans accent).",
        error_messages={
            "invalid": "Utilisez seulement des minuscules sans accent, des chiffres et des tirets."
        },
    )

    class Meta:
        icon = "title"
        label = "Titre"
        template = "blocks/heading_block.html"
        description = "Un titre de section ou de sous-section."
        preview_value = {"text": "Quels intérêts pour la collectivité ?", "level": "h2"}


class RichTextBlock(blocks.RichTextBlock):
    class Meta:
        icon = "pilcrow"
        label = "Texte"
        template = "blocks/rich_text_block.html"
        description = "Des paragraphes, des listes et des liens."
        preview_value = (
            "<p>L'économie sociale et solidaire participe au dynamisme économique, social et "
            "environnemental du territoire.</p>"
        )


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageBlock(label="Image")
    caption = blocks.CharBlock(label="Légende", required=False, max_length=255)
    credit = blocks.CharBlock(
        label="Crédit",
        required=False,
        max_length=120,
        help_text="Par défaut, le crédit saisi dans la médiathèque.",
    )

    class Meta:
        icon = "image"
        label = "Image"
        template = "blocks/image_block.html"
        description = "Une image avec son texte alternatif, sa légende et son crédit."
        # The chooser shows a placeholder where the image goes: a preview has no image.
        preview_template = "blocks/previews/image_block.html"
        preview_value = {
            "caption": "Atelier « Créer son entreprise d'ESS » à la Maison des associations "
            "de Caen",
            "credit": "CRESS Normandie",
        }


class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="Titre", max_length=120)
    text = blocks.TextBlock(label="Texte", required=False, max_length=400)
    link = LinkBlock(label="Destination")
    button_label = blocks.CharBlock(label="Texte du bouton", max_length=60)

    class Meta:
        icon = "pick"
        label = "Appel à l'action"
        template = "blocks/call_to_action_block.html"
        description = "Un encadré qui invite à agir, avec un bouton."
        preview_value = {
            "title": "Votre collectivité a un projet ?",
            "text": "La CRESS vous accompagne de l'émergence à la création.",
            "button_label": "Demander un accompagnement",
            "link": {"url": "https://example.org/"},
        }


class OptionalLinkBlock(LinkBlock):
    """A LinkBlock that may be left empty."""

    def clean(self, value):
        return blocks.StructBlock.clean(self, value)


class CardBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="Titre", max_length=120)
    text = blocks.RichTextBlock(
        label="Texte", features=["bold", "italic", "link", "ul"], required=False
    )
    image = ImageBlock(label="Image", required=False)
    link = OptionalLinkBlock(
        label="Lien", required=False, help_text="Facultatif : le titre de la carte devient le lien."
    )

    class Meta:
        icon = "doc-full"
        label = "Carte"
        description = "Une carte : un titre, un texte court, et si besoin une image et un lien."
        # Pages show cards inside a grid; the preview draws one in the same grid.
        preview_template = "blocks/previews/card_block.html"
        preview_value = {
            "title": "Observatoire de l'ESS",
            "text": "<p>Études, panoramas et chiffres clés de l'économie sociale et solidaire "
            "en Normandie.</p>",
            "link": {"url": "https://example.org/"},
        }


class CardsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label="Titre de la série", required=False, max_length=160)
    intro = blocks.TextBlock(label="Introduction", required=False, max_length=500)
    cards = blocks.ListBlock(
        CardBlock(),
        label="Cartes",
        min_num=1,
        max_num=12,
    )

    class Meta:
        icon = "table"
        label = "Cartes"
        template = "blocks/cards_block.html"
        description = "Une série de cartes côte à côte : des piliers, des services, des exemples."
        preview_value = {
            "heading": "Trois plus-values",
            "cards": [
                {"title": "Économique", "text": "<p>Des emplois non délocalisables.</p>"},
                {"title": "Sociale", "text": "<p>Du lien social sur le territoire.</p>"},
                {"title": "Environnementale", "text": "<p>Des ressources préservées.</p>"},
            ],
        }


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label="Citation", max_length=800)
    author = blocks.CharBlock(label="Auteur", required=False, max_length=120)
    role = blocks.CharBlock(
        label="Fonction", required=False, max_length=160, help_text="Ex. : maire de Argentan."
    )

    class Meta:
        icon = "openquote"
        label = "Citation"
        template = "blocks/quote_block.html"
        description = "Une citation mise en valeur, avec son auteur."
        preview_value = {
            "quote": "La CRESS nous a aidés à construire le projet avec les habitants.",
            "author": "Une élue",
            "role": "Adjointe à l'économie",
        }


class FigureBlock(blocks.StructBlock):
    """One key figure: a value, its unit and what it counts."""

    value = blocks.CharBlock(label="Valeur", max_length=20, help_text="Ex. : 10,5")
    unit = blocks.CharBlock(label="Unité", required=False, max_length=30, help_text="Ex. : %")
    label = blocks.CharBlock(label="Libellé", max_length=160, help_text="Ex. : emplois créés")

    class Meta:
        icon = "order"
        label = "Chiffre"
        description = "Un chiffre mis en valeur : sa valeur, son unité et ce qu'il compte."
        # Pages show figures inside a list; the preview draws one in the same list.
        preview_template = "blocks/previews/figure_block.html"
        preview_value = {"value": "12", "unit": "", "label": "emplois créés"}


class KeyFiguresBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label="Titre", required=False, max_length=160)
    figures = blocks.ListBlock(
        FigureBlock(),
        label="Chiffres",
        min_num=1,
        max_num=8,
    )
    source = blocks.CharBlock(
        label="Source",
        required=False,
        max_length=255,
        help_text="Ex. : Observatoire régional de l'ESS, d'après INSEE Flores 2022.",
    )

    class Meta:
        icon = "order"
        label = "Chiffres clés"
        template = "blocks/key_figures_block.html"
        description = "Quelques chiffres mis en valeur, avec leur source."
        preview_value = {
            "heading": "L'ESS en Normandie",
            "figures": [
                {"value": "10,5", "unit": "%", "label": "de l'emploi salarié"},
                {"value": "5 000", "unit": "", "label": "établissements employeurs"},
            ],
            "source": "Observatoire régional de l'ESS",
        }


class AccordionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label="Titre", required=False, max_length=160)
    items = blocks.ListBlock(
        blocks.StructBlock(
            [
                ("title", blocks.CharBlock(label="Question ou intitulé", max_length=200)),
                ("body", blocks.RichTextBlock(label="Réponse ou contenu")),
            ],
            label="Élément",
            icon="help",
        ),
        label="Éléments",
        min_num=1,
    )

    class Meta:
        icon = "list-ul"
        label = "Accordéon / FAQ"
        template = "blocks/accordion_block.html"
        description = "Des questions et réponses, ou des sections repliables."
        preview_value = {
            "items": [
                {
                    "title": "Qu'est-ce que le DLA ?",
                    "body": "<p>Le Dispositif Local d'Accompagnement.</p>",
                }
            ]
        }


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label="Document")
    title = blocks.CharBlock(
        label="Intitulé",
        required=False,
        max_length=200,
        help_text="Par défaut, le titre du document.",
    )
    description = blocks.TextBlock(label="Description", required=False, max_length=400)

    class Meta:
        icon = "doc-full-inverse"
        label = "Document à télécharger"
        template = "blocks/document_link_block.html"
        description = "Un lien de téléchargement avec le format et le poids du fichier."
        # A preview has no document: its template shows a sample format and size.
        preview_template = "blocks/previews/document_link_block.html"
        preview_value = {
            "title": "Panorama de l'ESS en Normandie 2024",
            "description": "Les établissements, les emplois et les secteurs de l'économie "
            "sociale et solidaire, département par département.",
        }


class TableBlock(blocks.StructBlock):
    caption = blocks.CharBlock(
        label="Titre du tableau",
        max_length=255,
        help_text="Décrit le contenu du tableau ; lu par les lecteurs d'écran.",
    )
    table = TypedTableBlock(
        [
            ("text", blocks.CharBlock(label="Texte")),
            ("numeric", blocks.DecimalBlock(label="Nombre")),
            (
                "rich_text",
                blocks.RichTextBlock(label="Texte enrichi", features=["bold", "italic", "link"]),
            ),
        ],
        label="Tableau",
    )
    source = blocks.CharBlock(label="Source", required=False, max_length=255)

    class Meta:
        icon = "table"
        label = "Tableau"
        template = "blocks/table_block.html"
        description = "Un tableau de données avec son titre et sa source."
        preview_value = {
            "caption": "L'ESS dans les départements normands",
            "table": {
                "columns": [
                    {"type": "text", "heading": "Département"},
                    {"type": "numeric", "heading": "Établissements employeurs"},
                    {"type": "numeric", "heading": "Emplois salariés"},
                ],
                "rows": [
                    {"values": ["Calvados", "1480", "18420"]},
                    {"values": ["Manche", "1120", "13780"]},
                    {"values": ["Orne", "760", "8930"]},
                ],
            },
            "source": "Observatoire régional de l'ESS, d'après INSEE Flores 2022",
        }


class BaseStreamBlock(blocks.StreamBlock):
    """The body blocks shared by every page type."""

    heading = HeadingBlock()
    paragraph = RichTextBlock()
    image = CaptionedImageBlock()
    call_to_action = CallToActionBlock()
    cards = CardsBlock()
    quote = QuoteBlock()
    key_figures = KeyFiguresBlock()
    accordion = AccordionBlock()
    document = DocumentLinkBlock()
    table = TableBlock()

    class Meta:
        label = "Contenu"
