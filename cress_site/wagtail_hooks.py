"""Admin for the shared taxonomies: territories, themes and event audiences, under one
"Taxonomies" menu."""

from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cress_site.models import Territory, Theme
from events.models import Audience


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


class AudienceViewSet(SnippetViewSet):
    model = Audience
    icon = "group"
    menu_label = "Publics des événements"
    list_display = ["name", "slug"]


class TaxonomyViewSetGroup(SnippetViewSetGroup):
    items = (ThemeViewSet, TerritoryViewSet, AudienceViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = "Taxonomies"
    menu_name = "taxonomies"
    menu_order = 300


register_snippet(TaxonomyViewSetGroup)

# The dashboard panels register their hook when imported.
from cress_site import dashboard  # noqa: E402, F401
