"""Inline panels, snippet choosers and snippet lists whose buttons say in French what they add
or choose, with the right article.

Wagtail words the button "Add <label>", which its French translation renders "Ajouter un(e)
<label>" whatever the gender and number of the label. These panels take the whole text of the
button after the relation's name (`FrenchInlinePanel("annexes", "Ajouter une annexe", …)`);
their `label` stays the singular noun Wagtail shows before each item's number ("Annexe 1"), and
`heading` the title of the whole panel.

Likewise Wagtail words a snippet chooser's button "Choose <verbose name>" ("Choisir
territoire"): `FrenchSnippetChooserViewSet` takes the texts of its buttons from its
`choose_one_text`, `choose_another_text` and `edit_item_text`; and a snippet list's "Add
<verbose name>" ("Ajouter un(e) territoire"): `FrenchSnippetViewSet` takes it from its
`add_item_label`, which also titles the create page (Wagtail's "Nouveau: Territoire" in the
window's title, "Nouvel(le) : Territoire" in the breadcrumbs).
"""

from wagtail.admin.panels import InlinePanel, MultipleChooserPanel
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import CreateView as SnippetCreateView
from wagtail.snippets.views.snippets import SnippetViewSet
from wagtail.snippets.widgets import AdminSnippetChooser


class _AddLabelMixin:
    def __init__(self, relation_name, add_label, **kwargs):
        super().__init__(relation_name, **kwargs)
        self.add_label = add_label

    def clone_kwargs(self):
        return {**super().clone_kwargs(), "add_label": self.add_label}


class FrenchInlinePanel(_AddLabelMixin, InlinePanel):
    """An `InlinePanel` whose add button reads `add_label`."""

    class BoundPanel(InlinePanel.BoundPanel):
        template_name = "cress_site/admin/panels/inline_panel.html"


class FrenchMultipleChooserPanel(_AddLabelMixin, MultipleChooserPanel):
    """A `MultipleChooserPanel` whose add button reads `add_label`."""

    class BoundPanel(MultipleChooserPanel.BoundPanel):
        template_name = "cress_site/admin/panels/multiple_chooser_panel.html"


class _WordedSnippetChooser(AdminSnippetChooser):
    """The chooser widget keeping the texts its viewset gives it as class attributes, which
    `AdminSnippetChooser` replaces with texts built from the model's verbose name."""

    def __init__(self, *args, **kwargs):
        cls = type(self)
        texts = (cls.choose_one_text, cls.choose_another_text, cls.link_to_chosen_text)
        super().__init__(*args, **kwargs)
        self.choose_one_text, self.choose_another_text, self.link_to_chosen_text = texts


class FrenchSnippetChooserViewSet(SnippetChooserViewSet):
    """A snippet chooser whose buttons read `choose_one_text`, `choose_another_text` and
    `edit_item_text`, to be set by each subclass ("Choisir un territoire")."""

    base_widget_class = _WordedSnippetChooser


class FrenchSnippetCreateView(SnippetCreateView):
    """A snippet's create page titled by its viewset's `add_item_label` ("Ajouter un
    territoire"): heading, window title and last breadcrumb."""

    add_item_label = None

    def get_page_title(self):
        return self.add_item_label or super().get_page_title()

    def get_page_subtitle(self):
        return None if self.add_item_label else super().get_page_subtitle()

    def get_breadcrumbs_items(self):
        items = super().get_breadcrumbs_items()
        if self.add_item_label and items:
            items = [*items[:-1], {**items[-1], "label": self.add_item_label}]
        return items


class FrenchSnippetViewSet(SnippetViewSet):
    """A snippet viewset whose list's add button and create page read `add_item_label`
    ("Ajouter un territoire"), to be set by each subclass."""

    add_item_label = None
    add_view_class = FrenchSnippetCreateView

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(add_item_label=self.add_item_label, **kwargs)

    def get_add_view_kwargs(self, **kwargs):
        return super().get_add_view_kwargs(add_item_label=self.add_item_label, **kwargs)
