"""The dashboard of the communications staff, on the Wagtail admin's home page.

From top to bottom: the pages waiting for the user's approval, the latest requests sent through
the site's forms, the next events (`events.panels.UpcomingEventsPanel`), the publications most
downloaded this month and the searches that found nothing this week; Wagtail's own panels
("your pages in a workflow", recent edits, locked pages) follow.

Each panel is shown only to the users who may open what it links to, says in French when it has
nothing to list, and reads its rows in a fixed number of queries.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.text import Truncator

from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.views.home import WorkflowObjectsToModeratePanel
from wagtail.contrib.forms.models import FormSubmission
from wagtail.contrib.forms.utils import get_forms_for_user
from wagtail.models import GroupApprovalTask, Page
from wagtail.permissions import policy_registry

from home.models import FormField
from publications.models import DownloadCount
from search.admin_views import WITHOUT_RESULTS
from search.models import SearchQueryDay

# Read by the reports these panels link to (DownloadsReportView, Wagtail's workflow report).
PAGE_REPORT_PERMISSIONS = {"add", "change", "publish"}
SEARCH_REPORT_PERMISSION = "search.view_searchqueryday"

# The form fields a request is summed up by, by their `clean_name` (the French labels of the
# demo's "Demande d'accompagnement" and "Contact" forms, snake-cased). A form without them is
# summed up by its first e-mail field and its first multi-line field.
NAME_FIELDS = ("prenom", "nom")
ORGANISATION_FIELDS = ("collectivite", "organisation", "structure")
SUBJECT_FIELDS = ("objet", "votre_besoin")
SUBJECT_LENGTH = 90


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


class FormSubmissionsPanel(DashboardPanel):
    """The latest requests sent through the forms whose submissions the user may read (Wagtail's
    `get_forms_for_user`: the form pages they may edit, narrowed by the
    `filter_form_submissions_for_user` hooks), summed up by who sent them and what about.

    Three queries: the user's forms, their latest submissions, the fields of those forms.
    """

    name = "latest_form_submissions"
    template_name = "cress_site/dashboard/form_submissions.html"
    order = 110
    limit = 5

    @cached_property
    def forms(self):
        """The user's form pages by id."""
        pages = get_forms_for_user(self.user).order_by("title").only("pk", "title")
        return {page.pk: page for page in pages}

    def is_shown(self):
        return bool(self.forms)

    def get_context_data(self, parent_context=None):
        context = super().get_context_data(parent_context)
        latest = FormSubmission.objects.filter(page_id__in=self.forms)
        submissions = list(latest.order_by("-submit_time", "-pk")[: self.limit])
        fields_by_page = {}
        if submissions:
            page_ids = {submission.page_id for submission in submissions}
            for field in FormField.objects.filter(page_id__in=page_ids).order_by(
                "sort_order", "pk"
            ):
                fields_by_page.setdefault(field.page_id, []).append(field)
        context.update(
            rows=[
                self.row(submission, fields_by_page.get(submission.page_id, []))
                for submission in submissions
            ],
            forms=[
                {"page": page, "url": reverse("wagtailforms:list_submissions", args=[page.pk])}
                for page in self.forms.values()
            ],
            all_forms_url=reverse("wagtailforms:index"),
        )
        return context

    def row(self, submission, fields):
        page = self.forms[submission.page_id]
        return {
            "submitted_at": submission.submit_time,
            "page": page,
            "url": reverse("wagtailforms:list_submissions", args=[page.pk]),
            **summarise_submission(submission.form_data, fields),
        }


def field_text(value):
    """A submitted value as text: checkboxes joined, empty values and booleans left out."""
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value if item)
    return " ".join(str(value).split())


def summarise_submission(data, fields):
    """`who`, `organisation` and `subject` of a submission, from its `form_data` and its form's
    fields (`FormField`s, to fall back on the e-mail and the message)."""

    def first(names):
        return next((text for name in names if (text := field_text(data.get(name)))), "")

    def first_of_type(field_type):
        return first(field.clean_name for field in fields if field.field_type == field_type)

    who = " ".join(text for name in NAME_FIELDS if (text := field_text(data.get(name))))
    subject = first(SUBJECT_FIELDS) or first_of_type("multiline")
    return {
        "who": who or first_of_type("email"),
        "organisation": first(ORGANISATION_FIELDS),
        "subject": Truncator(subject).chars(SUBJECT_LENGTH),
    }


class PopularPublicationsPanel(DashboardPanel):
    """The publications most downloaded this month, for the users who may read the downloads
    report.

    Two queries: this month's totals by publication, then their pages (title and permissions).
    """

    name = "popular_publications"
    template_name = "cress_site/dashboard/popular_publications.html"
    order = 140
    limit = 5

    def is_shown(self):
        return page_permission_policy().user_has_any_permission(self.user, PAGE_REPORT_PERMISSIONS)

    def get_context_data(self, parent_context=None):
        context = super().get_context_data(parent_context)
        month = timezone.localdate().replace(day=1)  # as DownloadCount.record() counts them
        totals = list(
            DownloadCount.objects.filter(month=month)
            .values("publication")
            .annotate(total=Sum("count"))
            .order_by("-total", "publication__title", "publication")[: self.limit]
        )
        pages = Page.objects.in_bulk([row["publication"] for row in totals])
        policy = page_permission_policy()
        rows = []
        for row in totals:
            page = pages.get(row["publication"])
            if page is None:
                continue
            rows.append(
                {
                    "page": page,
                    "downloads": row["total"],
                    "can_edit": policy.user_has_permission_for_instance(self.user, "change", page),
                }
            )
        report_filters = {"month_from": month.isoformat(), "month_to": month.isoformat()}
        context.update(
            rows=rows,
            month_label=date_format(month, "F Y"),
            report_url=f"{reverse('publication_downloads_report')}?{urlencode(report_filters)}",
        )
        return context


class SearchesWithoutResultsPanel(DashboardPanel):
    """The searches that found nothing over the last 7 days (today included), most frequent
    first, for the users who may read the search report. One query."""

    name = "searches_without_results"
    template_name = "cress_site/dashboard/searches_without_results.html"
    order = 150
    limit = 5
    days = 7

    def is_shown(self):
        return self.user.has_perm(SEARCH_REPORT_PERMISSION)

    def get_context_data(self, parent_context=None):
        context = super().get_context_data(parent_context)
        end = timezone.localdate()
        start = end - timedelta(days=self.days - 1)
        rows = list(
            SearchQueryDay.objects.summary(start, end, without_results_only=True).order_by(
                "-total_without_results", "-total_hits", "key"
            )[: self.limit]
        )
        report_filters = {
            "results": WITHOUT_RESULTS,
            "date_from": start.isoformat(),
            "date_to": end.isoformat(),
        }
        context.update(
            rows=rows,
            days=self.days,
            report_url=f"{reverse('search_queries_report')}?{urlencode(report_filters)}",
        )
        return context


@hooks.register("construct_homepage_panels")
def add_dashboard_panels(request, panels):
    """Wagtail's approval queue replaced by `ApprovalQueuePanel`, and the staff's panels added."""
    panels[:] = [
        ApprovalQueuePanel() if isinstance(panel, WorkflowObjectsToModeratePanel) else panel
        for panel in panels
    ]
    panels.extend(
        panel_class(request)
        for panel_class in (
            FormSubmissionsPanel,
            PopularPublicationsPanel,
            SearchesWithoutResultsPanel,
        )
    )
