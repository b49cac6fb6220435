"""Every field an editor fills in says, under it, what it is for and where it shows."""

from wagtail.admin.panels import FieldPanel, InlinePanel, get_edit_handler
from wagtail.models import Page, get_page_models

import pytest

from cress_site.models import OrganisationSettings

SITE_APPS = {"home", "publications", "events", "projects_showcase"}
EDITED_MODELS = [
    model
    for model in get_page_models()
    if model._meta.app_label in SITE_APPS and model.is_creatable
] + [OrganisationSettings]


def field_panels(panel):
    """The field panels of an edit handler, those of its inline panels included."""
    if isinstance(panel, FieldPanel):
        yield panel
    elif isinstance(panel, InlinePanel):
        yield from field_panels(panel.child_edit_handler)
    for child in getattr(panel, "children", []):
        yield from field_panels(child)


def editor_fields(model):
    """(model, field name, help text shown) for each model field in the model's panels, except
    those of Wagtail's Page (title, slug, SEO…), which Wagtail explains itself."""
    handler = model.get_edit_handler() if issubclass(model, Page) else get_edit_handler(model)
    for panel in field_panels(handler):
        field = panel.db_field
        if field is None or field.model is Page:
            continue
        yield panel.model.__name__, panel.field_name, str(panel.help_text or field.help_text)


def test_the_walk_finds_fields_of_inline_panels_and_of_wagtail_mixins():
    from home.models import FormPage

    names = {(model, name) for model, name, _ in editor_fields(FormPage)}
    assert ("FormField", "field_type") in names
    assert ("FormPage", "from_address") in names
    assert ("FormPage", "listing_summary") in names
    assert ("FormPage", "title") not in names


@pytest.mark.parametrize("model", EDITED_MODELS, ids=lambda model: model.__name__)
def test_every_field_has_a_help_text(model):
    missing = [
        f"{owner}.{name}" for owner, name, help_text in editor_fields(model) if not help_text
    ]
    assert not missing, f"fields without help text: {', '.join(missing)}"
