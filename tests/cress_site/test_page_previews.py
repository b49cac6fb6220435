"""Every page type previews in the admin, from the edit form and from the form of a new page.

Each test posts the editor's form to the preview URL, then opens the preview, as Wagtail's
preview panel does. The form is filled from a page of the demo site, with every block its
StreamFields offer added (from their preview values), and a new title: the preview must show what
was typed, not what was saved.
"""

from django import forms
from django.forms.widgets import ChoiceWidget
from django.urls import reverse

from wagtail import blocks
from wagtail.admin.widgets.chooser import BaseChooser
from wagtail.contrib.typed_table_block.blocks import TypedTableBlock
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageBlock
from wagtail.models import Page, get_page_models

import pytest

pytestmark = pytest.mark.django_db

SITE_APPS = {"home", "publications", "events", "projects_showcase"}
PAGE_MODELS = [
    model
    for model in get_page_models()
    if model._meta.app_label in SITE_APPS and model.is_creatable
]
PREVIEW_TITLE = "Aperçu avant publication"


# -- Filling in the editor's form, as the browser would -------------------------------------------


def widget_data(widget, name, value):
    """What a browser sends for one widget showing `value` (a form field's prepared value)."""
    if isinstance(widget, forms.CheckboxInput):
        return {name: "on"} if value else {}
    if isinstance(widget, ChoiceWidget) and widget.allow_multiple_selected:
        return {name: [str(getattr(item, "pk", item)) for item in value or []]}
    if value is None:
        return {name: ""}
    if hasattr(value, "pk"):
        return {name: str(value.pk)}
    if isinstance(widget, ChoiceWidget | BaseChooser):
        return {name: str(value)}
    formatted = widget.format_value(value)
    return {name: "" if formatted is None else formatted}


def sequence_data(prefix, children):
    """A stream or list: a count, then each child's type (for streams), order and id."""
    data = {f"{prefix}-count": str(len(children))}
    for index, (block, block_type, value, child_id) in enumerate(children):
        child = f"{prefix}-{index}"
        data.update({f"{child}-deleted": "", f"{child}-order": str(index), f"{child}-id": ""})
        if child_id:
            data[f"{child}-id"] = child_id
        if block_type:
            data[f"{child}-type"] = block_type
        data.update(block_data(block, value, f"{child}-value"))
    return data


def block_data(block, value, prefix):
    """What the StreamField editor sends for a block's value."""
    if isinstance(block, blocks.StreamBlock):
        return sequence_data(
            prefix, [(child.block, child.block_type, child.value, child.id) for child in value]
        )
    if isinstance(block, blocks.ListBlock):
        return sequence_data(
            prefix,
            [(block.child_block, None, child.value, child.id) for child in value.bound_blocks],
        )
    if isinstance(block, ImageBlock):
        data = {f"{prefix}-image": str(value.pk) if value else ""}
        data[f"{prefix}-alt_text"] = (value and value.contextual_alt_text) or ""
        if value and value.decorative:
            data[f"{prefix}-decorative"] = "on"
        return data
    if isinstance(block, TypedTableBlock):
        return table_data(block, value, prefix)
    if isinstance(block, blocks.StructBlock):
        value = block.get_default() if value is None else value
        data = {}
        for name, child in block.child_blocks.items():
            data.update(block_data(child, value.get(name), f"{prefix}-{name}"))
        return data
    prepared = block.field.prepare_value(block.value_for_form(value))
    return widget_data(block.field.widget, prefix, prepared)


def table_data(block, table, prefix):
    data = {
        f"{prefix}-caption": table.caption or "",
        f"{prefix}-column-count": str(len(table.columns)),
        f"{prefix}-row-count": str(len(table.row_data)),
    }
    for index, column in enumerate(table.columns):
        data.update(
            {
                f"{prefix}-column-{index}-type": column["block"].name,
                f"{prefix}-column-{index}-order": str(index),
                f"{prefix}-column-{index}-heading": column["heading"],
                f"{prefix}-column-{index}-deleted": "",
            }
        )
    for row_index, row in enumerate(table.row_data):
        data[f"{prefix}-row-{row_index}-order"] = str(row_index)
        data[f"{prefix}-row-{row_index}-deleted"] = ""
        for index, (column, value) in enumerate(zip(table.columns, row["values"], strict=True)):
            data.update(block_data(column["block"], value, f"{prefix}-cell-{row_index}-{index}"))
    return data


def form_data(form):
    """Every field of a bound-to-an-instance form, and of its inline formsets, as POST data."""
    data = {}
    for field in form:
        if isinstance(field.field, blocks.BlockField):
            data.update(block_data(field.field.block, field.value(), field.html_name))
        else:
            data.update(widget_data(field.field.widget, field.html_name, field.value()))
    for formset in getattr(form, "formsets", {}).values():
        data.update(form_data(formset.management_form))
        for child in formset.forms:
            data.update(form_data(child))
    return data


def with_every_block(page):
    """The page with one block of each type its StreamFields offer added, from their preview
    values (the blocks whose preview has no image or document included), within `max_num`."""
    for field in page._meta.get_fields():
        if isinstance(field, StreamField):
            stream_block = field.stream_block
            added = [
                (name, block.get_preview_value())
                for name, block in stream_block.child_blocks.items()
            ]
            kept = [(child.block_type, child.value) for child in getattr(page, field.name)]
            if stream_block.meta.max_num:
                kept = kept[: max(0, stream_block.meta.max_num - len(added))]
            setattr(page, field.name, kept + added)
    return page


def editor_form_data(page, user, parent):
    form_class = page.get_edit_handler().get_form_class()
    form = form_class(instance=page, parent_page=parent, for_user=user)
    data = form_data(form)
    # The browser's title shows the page's title when there is no SEO title.
    data.update(title=PREVIEW_TITLE, seo_title="")
    return data


def assert_previews(client, url, data, page_model):
    response = client.post(url, data)
    assert response.json() == {"is_valid": True, "is_available": True}, response.json()
    for mode, _label in page_model().preview_modes:
        response = client.get(url, {"mode": mode})
        assert response.status_code == 200, (mode, response.content.decode()[-3000:])
        html = response.content.decode()
        assert PREVIEW_TITLE in html, mode
        assert "wagtailadmin/generic/preview_error" not in html
        assert "La prévisualisation n'est pas disponible" not in html


# -- The previews ---------------------------------------------------------------------------------


def test_every_page_type_is_covered():
    assert {model.__name__ for model in PAGE_MODELS} == {
        "HomePage",
        "PitchPage",
        "ContentPage",
        "FormPage",
        "PublicationIndexPage",
        "PublicationPage",
        "EventIndexPage",
        "EventPage",
        "ProjectIndexPage",
        "ProjectPage",
    }


@pytest.mark.parametrize("page_model", PAGE_MODELS, ids=lambda model: model.__name__)
def test_preview_of_an_edited_page(admin_client, admin_user, page_model):
    page = page_model.objects.first()
    assert page is not None, "the demo site has a page of each type"
    page = with_every_block(page.get_latest_revision_as_object())
    data = editor_form_data(page, admin_user, page.get_parent())
    url = reverse("wagtailadmin_pages:preview_on_edit", args=(page.pk,))
    assert_previews(admin_client, url, data, page_model)


@pytest.mark.parametrize(
    "page_model",
    # The site's one home page is the root of its tree: none is created in the admin.
    [model for model in PAGE_MODELS if model.__name__ != "HomePage"],
    ids=lambda model: model.__name__,
)
def test_preview_of_a_new_page(admin_client, admin_user, page_model):
    """A page never saved has no id and no URL yet."""
    existing = page_model.objects.first()
    parent = existing.get_parent()
    page = with_every_block(existing.get_latest_revision_as_object())
    data = editor_form_data(page, admin_user, parent)
    data["slug"] = "apercu-nouvelle-page"
    # A new page's inline objects are new too.
    for key in [key for key in data if key.endswith("-id") and "-value" not in key]:
        data[key] = ""
    for key in [key for key in data if key.endswith("-INITIAL_FORMS")]:
        data[key] = "0"
    url = reverse(
        "wagtailadmin_pages:preview_on_add",
        args=(page_model._meta.app_label, page_model._meta.model_name, parent.pk),
    )
    assert_previews(admin_client, url, data, page_model)


def test_the_preview_shows_the_blocks_typed(admin_client, admin_user):
    from home.models import ContentPage

    page = with_every_block(ContentPage.objects.first().get_latest_revision_as_object())
    data = editor_form_data(page, admin_user, page.get_parent())
    url = reverse("wagtailadmin_pages:preview_on_edit", args=(page.pk,))
    admin_client.post(url, data)
    html = admin_client.get(url).content.decode()
    # With the French spaces the public page gets (the preview goes through the middleware).
    for text in [
        "Quels intérêts pour la collectivité\u202f?",
        "Votre collectivité a un projet\u202f?",
    ]:
        assert text in html


def test_every_page_of_the_demo_site_opens_in_the_editor_and_previews(admin_client, admin_user):
    """Each page as `load_demo_content` wrote it (not one page per type: the content differs)."""
    pages = Page.objects.filter(depth__gt=1).specific().order_by("path")
    assert len(pages) > 30
    failures = []
    for page in pages:
        response = admin_client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,)))
        if response.status_code != 200:
            failures.append((page.url_path, "editor", response.status_code))
            continue
        data = editor_form_data(page.get_latest_revision_as_object(), admin_user, page.get_parent())
        url = reverse("wagtailadmin_pages:preview_on_edit", args=(page.pk,))
        response = admin_client.post(url, data)
        if response.json() != {"is_valid": True, "is_available": True}:
            failures.append((page.url_path, "preview form", response.json()))
            continue
        for mode, _label in page.preview_modes:
            response = admin_client.get(url, {"mode": mode})
            html = response.content.decode()
            if response.status_code != 200 or PREVIEW_TITLE not in html:
                failures.append((page.url_path, f"preview {mode}", response.status_code))
    assert failures == []
