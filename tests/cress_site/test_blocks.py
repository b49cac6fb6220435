"""Each shared block renders accessible HTML from what an editor types, and validates it."""

from wagtail.blocks import StreamBlockValidationError, StructBlockValidationError
from wagtail.documents import get_document_model

import pytest

from cress_site import blocks
from cress_site.factories import ImageFactory

pytestmark = pytest.mark.django_db


def render(block, value):
    return block.render(block.to_python(value))


def test_every_block_has_french_meta_and_a_template():
    stream = blocks.BaseStreamBlock()
    for name, block in stream.child_blocks.items():
        assert block.meta.label and block.meta.label[0].isupper(), name
        assert block.meta.icon, name
        assert block.meta.template.startswith("blocks/"), name
        assert block.meta.description, name


def test_preview_values_render():
    stream = blocks.BaseStreamBlock()
    for name, block in stream.child_blocks.items():
        preview = block.get_preview_value()
        # The image and document previews have neither: on a page, such a block shows nothing.
        if preview is not None and name not in ("image", "document"):
            assert block.render(preview).strip(), name


def test_heading_gets_an_anchor_from_its_text():
    html = render(blocks.HeadingBlock(), {"text": "Les plus-values de l'ESS", "level": "h3"})
    assert '<h3 class="block-heading" id="les-plus-values-de-less">' in html


def test_call_to_action_needs_a_destination():
    block = blocks.CallToActionBlock()
    value = block.to_python(
        {"title": "Agir", "text": "", "button_label": "Go", "link": {"page": None, "url": ""}}
    )
    with pytest.raises(StructBlockValidationError):
        block.clean(value)


def test_card_link_is_optional_and_renders_as_the_title_link(home_page):
    block = blocks.CardsBlock()
    value = block.to_python(
        {
            "heading": "Nos services",
            "intro": "",
            "cards": [
                {"title": "Sans lien", "text": "<p>Texte</p>", "image": None, "link": {}},
                {"title": "Avec lien", "text": "", "image": None, "link": {"page": home_page.pk}},
            ],
        }
    )
    block.clean(value)
    html = block.render(value)
    assert '<h2 class="cards-block__heading">Nos services</h2>' in html
    assert '<h3 class="card__title">' in html
    assert f'<a class="card__link" href="{home_page.url}">Avec lien</a>' in html
    assert html.count("card__link") == 1


def test_image_block_renders_responsive_picture_with_alt_and_credit():
    image = ImageFactory(credit="Photo CRESS")
    block = blocks.CaptionedImageBlock()
    html = render(
        block,
        {
            "image": {
                "image": image.pk,
                "alt_text": "Une réunion d'information",
                "decorative": False,
            },
            "caption": "Réunion à Caen",
            "credit": "",
        },
    )
    assert "<picture>" in html
    assert 'type="image/avif"' in html and 'type="image/webp"' in html
    assert 'alt="Une réunion d&#x27;information"' in html
    assert 'width="' in html and 'height="' in html
    assert "© Photo CRESS" in html


def test_key_figures_keep_number_and_unit_together():
    html = render(
        blocks.KeyFiguresBlock(),
        {
            "heading": "L'ESS dans l'Orne",
            "figures": [{"value": "10,5", "unit": "%", "label": "de l'emploi"}],
            "source": "Observatoire régional de l'ESS",
        },
    )
    assert "10,5&nbsp;%" in html
    assert "Source : Observatoire régional de l&#x27;ESS" in html


def test_accordion_uses_native_details():
    html = render(
        blocks.AccordionBlock(),
        {
            "heading": "",
            "items": [{"title": "Qu'est-ce que le DLA ?", "body": "<p>Un dispositif.</p>"}],
        },
    )
    assert "<details" in html and "<summary" in html


def test_document_link_states_format_and_size():
    from django.core.files.base import ContentFile

    document = get_document_model().objects.create(
        title="Étude Orne", file=ContentFile(b"%PDF-1.4\n" + b"0" * 2048, name="etude.pdf")
    )
    html = render(
        blocks.DocumentLinkBlock(), {"document": document.pk, "title": "", "description": ""}
    )
    assert "Étude Orne" in html
    assert "(PDF, 2\u00a0Ko)" in html


def test_document_link_leaves_out_a_document_the_public_may_not_have():
    from django.core.files.base import ContentFile

    from wagtail.models import Collection, CollectionViewRestriction

    private = Collection.objects.get(name="Institutionnel")
    CollectionViewRestriction.objects.create(collection=private, restriction_type="login")
    document = get_document_model().objects.create(
        title="Note interne", file=ContentFile(b"%PDF-1.4\n", name="note.pdf"), collection=private
    )
    html = render(
        blocks.DocumentLinkBlock(), {"document": document.pk, "title": "", "description": ""}
    )
    assert "Note interne" not in html and "/documents/" not in html


def test_table_has_caption_and_header_cells():
    block = blocks.TableBlock()
    value = block.to_python(
        {
            "caption": "Emplois de l'ESS par département",
            "source": "INSEE",
            "table": {
                "columns": [
                    {"type": "text", "heading": "Département"},
                    {"type": "numeric", "heading": "Emplois"},
                ],
                "rows": [{"values": ["Orne", "9500"]}],
            },
        }
    )
    html = block.render(value)
    assert "<caption>Emplois de l&#x27;ESS par département</caption>" in html
    assert '<th scope="col">Département</th>' in html
    assert '<th scope="row">Orne</th>' in html
    assert "<td>9500</td>" in html


def test_stream_block_rejects_unknown_content():
    stream = blocks.BaseStreamBlock(required=True)
    with pytest.raises(StreamBlockValidationError):
        stream.clean(stream.to_python([]))
