"""The registrations panel of the event editor, and the rows and labels it shares with the
dashboard's panel (events.dashboard).

It reads the numbers for all the event's dates in one aggregate query, through the page it is
given: `EventPage.content_panels` uses it, so it depends on the choices, not on the models.
"""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from wagtail.admin.panels import Panel

from events.choices import EventStatus, RegistrationStatus
from events.formatting import places_left_label as left_label

REGISTRATIONS_INDEX_URL_NAME = "events_registration_modeladmin_index"
EVENT_FILTER = "occurrence__page__page_ptr__exact"  # the parameter of the "événement" filter
DATE_FILTER = "date"
PANEL_PAST_DATES = 3  # the last past dates shown in the event editor
PANEL_UPCOMING_DATES = 30  # a long series lists its next dates, then says how many follow
DASHBOARD_DATES = 8


def registration_counts():
    """Annotations for an `EventOccurrence` queryset: its registrations by status."""
    return {
        "confirmed_count": Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)
        ),
        "waiting_count": Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.WAITING)
        ),
        "registration_total": Count("registrations"),
    }


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
    """Nothing when unlimited, or full (flagged "Complet")."""
    return left_label(occurrence.places_left)


def waiting_label(occurrence):
    count = occurrence.waiting_count
    if not count:
        return ""
    return f"{count} en attente"


def date_flags(occurrence):
    """Short French labels about a date's state: "Annulée", "Retirée de la série"…"""
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
            page = self.instance
            user = getattr(self.request, "user", None)
            show_links = can_list_registrations(user)
            occurrences = []
            if page is not None and page.pk is not None:
                # The live page's capacity is the one registrations are counted against.
                occurrences = list(
                    page.occurrences.select_related("page")
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
