"""The dashboard's panel of the next dates of the published events, with the places taken and
left and the waiting list."""

from django.utils import timezone

from wagtail.admin.ui.components import Component
from wagtail.models import Page
from wagtail.permissions import policy_registry

from events.models import EventOccurrence
from events.panels import (
    DASHBOARD_DATES,
    can_list_registrations,
    occurrence_row,
    registration_counts,
    registrations_url,
)


def page_permission_policy():
    return policy_registry.get_by_type(Page)


class UpcomingEventsPanel(Component):
    """On the dashboard: the next dates of the published events, with the places taken and left
    and the waiting list, for the people who edit pages or handle registrations.

    One query for the dates and their numbers; the permissions come from the user's cached
    page permissions.
    """

    name = "upcoming_events"
    template_name = "events/admin/upcoming_events_panel.html"
    order = 130

    def __init__(self, request):
        self.request = request

    def is_shown(self):
        user = self.request.user
        return can_list_registrations(user) or page_permission_policy().user_has_any_permission(
            user, {"add", "change", "publish"}
        )

    def render_html(self, parent_context=None):
        if not self.is_shown():
            return ""
        return super().render_html(parent_context)

    def get_context_data(self, parent_context=None):
        context = super().get_context_data(parent_context)
        user = self.request.user
        policy = page_permission_policy()
        show_links = can_list_registrations(user)
        occurrences = list(
            EventOccurrence.objects.filter(page__live=True, in_series=True, end__gte=timezone.now())
            .select_related("page")
            .annotate(**registration_counts())
            .order_by("start", "pk")[:DASHBOARD_DATES]
        )
        rows = []
        for occurrence in occurrences:
            row = occurrence_row(occurrence, show_links)
            page = occurrence.page
            row.update(
                event=page,
                registration_enabled=page.registration_enabled,
                is_full=occurrence.is_full,
                places_left_count=occurrence.places_left,
                # "Complet" has its own column here.
                flags=[flag for flag in row["flags"] if flag != "Complet"],
                can_edit=policy.user_has_permission_for_instance(user, "change", page),
            )
            if not (page.registration_enabled or occurrence.registration_total):
                row["url"] = ""
            rows.append(row)
        context.update(
            rows=rows,
            all_registrations_url=registrations_url() if show_links else "",
        )
        return context
