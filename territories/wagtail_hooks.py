"""Admin of the staff's texts on territories (in the shared "Taxonomies" menu), and the
portraits' part of the demo site."""

from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet

from cress_site.demo import DEMO_CONTENT_HOOK, DemoLoader
from cress_site.panels import FrenchSnippetViewSet
from cress_site.wagtail_hooks import TAXONOMIES_MENU_HOOK
from territories.models import TerritoryPortrait


class TerritoryPortraitViewSet(FrenchSnippetViewSet):
    model = TerritoryPortrait
    add_item_label = "Ajouter un texte de portrait"
    icon = "site"
    menu_label = "Textes des portraits"
    menu_hook = TAXONOMIES_MENU_HOOK
    menu_order = 4
    list_display = [
        Column("territory", label="Territoire"),
        Column("updated_at", label="Dernière mise à jour"),
    ]
    search_fields = None
    copy_view_enabled = False


register_snippet(TerritoryPortraitViewSet)


@hooks.register(DEMO_CONTENT_HOOK)
def register_demo_content():
    return DemoLoader("territories", 60, "territories.demo.build_territories")
