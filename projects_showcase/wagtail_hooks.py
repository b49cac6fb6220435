from wagtail import hooks
from wagtail.snippets.models import register_snippet

from cress_site.demo import DEMO_CONTENT_HOOK, DemoLoader
from cress_site.panels import FrenchSnippetViewSet
from projects_showcase.models import SupportType


class SupportTypeViewSet(FrenchSnippetViewSet):
    model = SupportType
    add_item_label = "Ajouter un type d'accompagnement"
    icon = "tick-inverse"
    menu_label = "Types d'accompagnement"
    list_display = ["name", "slug"]


register_snippet(SupportTypeViewSet)


@hooks.register(DEMO_CONTENT_HOOK)
def register_demo_content():
    return DemoLoader("projects", 40, "projects_showcase.demo.build_projects")
