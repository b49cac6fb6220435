"""Admin for the shared taxonomies: territories and themes, under one "Taxonomies" menu."""

from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cress_site.models import Territory, Theme


class TerritoryViewSet(SnippetViewSet):
    model = Territory
    icon = "site"
    menu_label = "Territoires"
    list_display = ["name", "kind", "code", Column("departement", label="Département"), "parent"]
    list_filter = ["kind"]
    ordering = ["kind", "name"]
    list_per_page = 50
    copy_view_enabled = False


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    menu_label = "Thèmes"
    list_display = ["name", "slug"]


class TaxonomyViewSetGroup(SnippetViewSetGroup):
    items = (ThemeViewSet, TerritoryViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = "Taxonomies"
    menu_name = "taxonomies"
    menu_order = 300


register_snippet(TaxonomyViewSetGroup)
