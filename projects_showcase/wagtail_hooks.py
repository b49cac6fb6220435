from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from projects_showcase.models import SupportType


class SupportTypeViewSet(SnippetViewSet):
    model = SupportType
    icon = "tick-inverse"
    menu_label = "Types d'accompagnement"
    list_display = ["name", "slug"]


register_snippet(SupportTypeViewSet)
