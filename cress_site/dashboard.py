"""The dashboard of the communications staff, on the Wagtail admin's home page: the base of
its panels, and the pages waiting for the user's approval first.

Each app adds its own panel through Wagtail's `construct_homepage_panels` hook, in its
`wagtail_hooks`; Wagtail sorts the panels by their `order`. From top to bottom: the pages
waiting for approval (100, here), the latest requests sent through the site's forms (110,
home), the next events (130, events), the publications most downloaded this month (140,
publications) and the searches that found nothing this week (150, search); Wagtail's own panels
("your pages in a workflow", recent edits, locked pages) follow.

Each panel is shown only to the users who may open what it links to, says in French when it has
nothing to list, and reads its rows in a fixed number of queries.
"""

from django.conf import settings
from django.urls import reverse

from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.views.home import WorkflowObjectsToModeratePanel
from wagtail.models import GroupApprovalTask, Page
from wagtail.permissions import policy_registry

# Read by the reports the panels link to (the downloads report, Wagtail's workflow report).
PAGE_REPORT_PERMISSIONS = {"add", "change", "publish"}


def page_permission_policy():
    return policy_registry.get_by_type(Page)


class DashboardPanel(Component):
    """A panel of the dashboard, rendered for one request; empty for the users `is_shown`
    turns away."""

    name = ""
    order = 0

    def __init__(self, request):
        self.request = request
        self.user = request.user

    def is_shown(self):
        return True

    def render_html(self, parent_context=None):
        if not self.is_shown():
            return ""
        return super().render_html(parent_context)


class ApprovalQueuePanel(WorkflowObjectsToModeratePanel):
    """Wagtail's "En attente de votre vérification": each page waiting for the user's approval
    with who submitted it, since when, and the approve / request changes actions. First on the
    dashboard, and saying so when nothing waits, for a user who approves.

    Wagtail reads its rows in 6 queries, and one more per page to draw its tasks' progress.
    """

    order = 100
    template_name = "cress_site/dashboard/approval_queue.html"

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        user = parent_context["request"].user
        workflows_enabled = getattr(settings, "WAGTAIL_WORKFLOW_ENABLED", True)
        context["can_review"] = bool(context["states"]) or (
            workflows_enabled and user_can_review(user)
        )
        if page_permission_policy().user_has_any_permission(user, PAGE_REPORT_PERMISSIONS):
            context["workflow_report_url"] = reverse("wagtailadmin_reports:workflow")
        return context


def user_can_review(user):
    """Whether the user approves a step of a workflow (a superuser, or a member of the groups
    of an active "approval by a group" task)."""
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    return GroupApprovalTask.objects.filter(active=True, groups__user=user).exists()


@hooks.register("construct_homepage_panels")
def replace_approval_queue(request, panels):
    """Wagtail's approval queue replaced by `ApprovalQueuePanel`."""
    panels[:] = [
        ApprovalQueuePanel() if isinstance(panel, WorkflowObjectsToModeratePanel) else panel
        for panel in panels
    ]
