"""Keep an event's stored dates in step with its published version."""

from django.dispatch import receiver

from wagtail.signals import page_published

from events.models import ACTIVE_STATUSES, EventPage
from events.registration import notify


@receiver(page_published, sender=EventPage)
def store_occurrences(sender, instance, **kwargs):
    """Recompute the dates; tell the people registered for a date that was cancelled or moved."""
    for occurrence in instance.sync_occurrences():
        kind = "date_cancelled" if occurrence.cancelled else "date_moved"
        active = occurrence.registrations.filter(status__in=ACTIVE_STATUSES)
        for registration in active:
            notify(registration, kind)
