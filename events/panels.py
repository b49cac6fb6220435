"""Admin panels about registrations: in the event editor, in the registration editor and on
the dashboard.

Each reads the numbers for all its dates in one aggregate query. `events.models` uses
`RegistrationsPanel` in `EventPage.content_panels`, so this module imports the models only
inside its functions.
"""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from wagtail.admin.panels import Panel
from wagtail.admin.ui.components import Component
from wagtail.models import Page
from wagtail.permissions import policy_registry

REGISTRATIONS_INDEX_URL_NAME = "events_registration_modeladmin_index"
EVENT_FILTER = "occurrence__page__page_ptr__exact"  # the parameter of the "événement" filter
DATE_FILTER = "date"
PANEL_PAST_DATES = 3  # the last past dates shown in the event editor
PANEL_UPCOMING_DATES = 30  # a long series lists its next dates, then says how many follow
DASHBOARD_DATES = 8


def registration_counts():
    """Annotations for an `EventOccurrence` queryset: its registrations by status."""
    from events.models import Registration

    return {
        "confirmed_count": Count(
            "registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED)
        ),
        "waiting_count": Count(
            "registrations", filter=Q(registrations__status=Registration.Status.WAITING)
        ),
        "registration_total": Count("registrations"),
    }


def page_permission_policy():
    return policy_registry.get_by_type(Page)


def registrations_url(**filters):
    """The registrations list, filtered: registrations_url(date=12)."""
    url = reverse(REGISTRATIONS_INDEX_URL_NAME)
    return f"{url}?{urlencode(filters)}" if filters else url


def can_list_registrations(user):
    if user is None:
        return False
    return user.is_superuser or any(
        user.has_perm(f"events.{action}_registration")
        for action in ("view", "change", "delete", "add")
    )


def places_label(occurrence):
    """ "12 / 20 places", or "12 / illimité" when the number of places is not limited."""
    capacity = occurrence.page.capacity
    if capacity is None:
        return f"{occurrence.confirmed} / illimité"
    return f"{occurrence.confirmed} / {capacity} place{'s' if capacity > 1 else ''}"


def places_left_label(occurrence):
    left = occurrence.places_left
    if not left:  # unlimited, or full (flagged "Complet")
        return ""
    return f"{left} place{'s' if left > 1 else ''} restante{'s' if left > 1 else ''}"


def waiting_label(occurrence):
    count = occurrence.waiting_count
    if not count:
        return ""
    return f"{count} en attente"


def date_flags(occurrence):
    """Short French labels about a date's state: "Annulée", "Retirée de la série"…"""
    from events.models import EventStatus

    flags = []
    if occurrence.cancelled or occurrence.page.status == EventStatus.CANCELLED:
        flags.append("Annulée")
    elif occurrence.page.status == EventStatus.POSTPONED:
        flags.append("Reportée")
    if not occurrence.in_series:
        flags.append("Retirée de la série")
    if occurrence.moved:
        flags.append("Déplacée")
    if occurrence.is_full:
        flags.append("Complet")
    return flags


def occurrence_row(occurrence, show_links):
    return {
        "occurrence": occurrence,
        "date_label": occurrence.date_label,
        "places": places_label(occurrence),
        "places_left": places_left_label(occurrence),
        "waiting": waiting_label(occurrence),
        "flags": date_flags(occurrence),
        "is_past": occurrence.is_past,
        "url": registrations_url(**{DATE_FILTER: occurrence.pk}) if show_links else "",
    }


class RegistrationsPanel(Panel):
    """In the event editor: for each upcoming date (and the last past ones), the places taken,
    the waiting list and a link to its registrations."""

    def __init__(self, heading="Inscriptions par date", **kwargs):
        super().__init__(heading=heading, **kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "events/admin/registrations_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context.update(self.summary())
            return context

        def summary(self):
            from events.models import EventOccurrence

            page = self.instance
            user = getattr(self.request, "user", None)
            show_links = can_list_registrations(user)
            occurrences = []
            if page is not None and page.pk is not None:
                # The live page's capacity is the one registrations are counted against.
                occurrences = list(
                    EventOccurrence.objects.filter(page_id=page.pk)
                    .select_related("page")
                    .annotate(**registration_counts())
                    .order_by("start", "pk")
                )
            now = timezone.now()
            past = [occurrence for occurrence in occurrences if occurrence.end < now]
            upcoming = [occurrence for occurrence in occurrences if occurrence.end >= now]
            total = sum(occurrence.registration_total for occurrence in occurrences)
            registration_enabled = bool(page is not None and page.registration_enabled)
            return {
                "registration_enabled": registration_enabled,
                "has_dates": bool(occurrences),
                "show_table": bool(occurrences) and (registration_enabled or total > 0),
                "registration_total": total,
                "upcoming_rows": [
                    occurrence_row(occurrence, show_links)
                    for occurrence in upcoming[:PANEL_UPCOMING_DATES]
                ],
                "more_upcoming": max(0, len(upcoming) - PANEL_UPCOMING_DATES),
                "past_rows": [
                    occurrence_row(occurrence, show_links)
                    for occurrence in reversed(past[-PANEL_PAST_DATES:])
                ],
                "earlier_past": max(0, len(past) - PANEL_PAST_DATES),
                "event_registrations_url": (
                    registrations_url(**{EVENT_FILTER: page.pk})
                    if show_links and occurrences
                    else ""
                ),
            }


class RegistrationSummaryPanel(Panel):
    """In the registration editor: the date, the status and how to cancel, read only."""

    def __init__(self, heading="Inscription", **kwargs):
        super().__init__(heading=heading, **kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "events/admin/registration_summary_panel.html"

        def get_context_data(self, parent_context=None):
            from events.admin_views import cancel_url
            from events.models import Registration

            context = super().get_context_data(parent_context)
            registration = self.instance
            if registration is not None and registration.pk is not None:
                occurrence = registration.occurrence
                context.update(
                    registration=registration,
                    occurrence=occurrence,
                    event=occurrence.page,
                    cancel_url=(
                        cancel_url(registration)
                        if registration.status != Registration.Status.CANCELLED
                        else ""
                    ),
                )
            return context


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
        from events.models import EventOccurrence

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
