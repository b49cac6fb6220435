"""The dates of an event as published: what the lists, the month grid and the feeds query, and
what each registration belongs to."""

from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property

from cress_site import cache as content_cache
from events import formatting
from events.choices import EventStatus, RegistrationStatus, is_full


class OccurrenceManager(models.Manager):
    def computed(self, page):
        """A page version's dates, computed and not saved (a preview shows them)."""
        return [self.model.from_computed(page, item) for item in page.compute_occurrences()]

    def sync(self, page):
        """Store this (published) page's dates; return the occurrences that became cancelled or
        moved and have registrations, so that their registrants can be told.

        A date the series no longer has is deleted, or, when people registered for it, kept
        for them as cancelled and out of the series.
        """
        existing = {occurrence.original_date: occurrence for occurrence in page.occurrences.all()}
        changed = []
        for item in page.compute_occurrences():
            item.cancelled = item.cancelled or page.is_cancelled
            occurrence = existing.pop(item.original_date, None)
            if occurrence is None:
                self.model.from_computed(page, item).save()
                continue
            became_cancelled = item.cancelled and not occurrence.cancelled
            was_moved = occurrence.start != item.start or occurrence.end != item.end
            fields = {
                "start": item.start,
                "end": item.end,
                "cancelled": item.cancelled,
                "moved": item.moved,
                "note": item.note,
                "in_series": True,
            }
            if any(getattr(occurrence, name) != value for name, value in fields.items()):
                for name, value in fields.items():
                    setattr(occurrence, name, value)
                occurrence.save()
                if became_cancelled or (was_moved and not item.cancelled):
                    changed.append(occurrence)
        for occurrence in existing.values():
            if occurrence.registrations.exists():
                if not occurrence.cancelled or occurrence.in_series:
                    occurrence.cancelled = True
                    occurrence.in_series = False
                    occurrence.note = occurrence.note or "Date retirée du calendrier."
                    occurrence.save()
                    changed.append(occurrence)
            else:
                occurrence.delete()
        return changed


# The events' scope of the public cache (cress_site.cache): an event published or unpublished,
# its dates, its audiences.
EVENTS = content_cache.declare("events")


class EventOccurrence(models.Model):
    """One date of an event as published; registrations belong to a date.

    Its words (`date_label`, `when_label`…) come from `events.formatting`; whether people can
    register for it, from `registration_refusal`.
    """

    cache_scope = EVENTS

    page = models.ForeignKey(
        "events.EventPage",
        verbose_name="événement",
        on_delete=models.CASCADE,
        related_name="occurrences",
    )
    original_date = models.DateField(
        "date prévue", help_text="Identifie la date dans la série, même déplacée."
    )
    start = models.DateTimeField("début", db_index=True)
    end = models.DateTimeField("fin", db_index=True)
    cancelled = models.BooleanField("annulée", default=False)
    moved = models.BooleanField("déplacée", default=False)
    in_series = models.BooleanField(
        "dans la série",
        default=True,
        help_text="Faux pour une date retirée de la série, gardée pour ses inscriptions.",
    )
    note = models.CharField("explication", max_length=255, blank=True)

    objects = OccurrenceManager()

    # The number of a series' other upcoming dates, annotated where a list shows a series once
    # (events.models.series); none elsewhere. Declared so that a card's lookup does not fail:
    # Django's template engine answers a missing attribute with a dir() of the instance, about
    # 20 µs, twice per card.
    later_dates = None

    class Meta:
        verbose_name = "date d'événement"
        verbose_name_plural = "dates d'événements"
        ordering = ["start", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["page", "original_date"], name="events_one_occurrence_per_date"
            )
        ]

    def __str__(self):
        return f"{self.page.title} – {self.date_label}"

    @classmethod
    def from_computed(cls, page, item):
        """An unsaved occurrence from a date computed by `events.recurrence`."""
        return cls(
            page=page,
            original_date=item.original_date,
            start=item.start,
            end=item.end,
            cancelled=item.cancelled,
            moved=item.moved,
            note=item.note,
        )

    # -- in words ----------------------------------------------------------------------------

    @property
    def date_label(self):
        return formatting.date_label(self.start, self.page.all_day)

    @property
    def start_time_label(self):
        return formatting.start_time_label(self.start, self.page.all_day)

    @property
    def when_label(self):
        return formatting.when_label(self.start, self.end, self.page.all_day)

    @property
    def time_range_label(self):
        return formatting.time_range_label(self.start, self.end, self.page.all_day)

    @property
    def status_label(self):
        """ "Annulé", "Reporté", "Date modifiée", "Complet" (marked so, or every place taken),
        or nothing."""
        return self._status_label(full=self.is_full)

    @property
    def set_status_label(self):
        """The status as the editors set it, without the places taken: "Complet" only for an
        event marked so. For the views that do not follow registrations (the month grid),
        where a count of places would go stale; it reads no registration."""
        page = self.page
        return self._status_label(full=page.registration_enabled and is_full(page.status, None, 0))

    def _status_label(self, *, full):
        if self.is_cancelled:
            return "Annulé"
        if self.page.is_postponed:
            return "Reporté"
        if self.moved:
            return "Date modifiée"
        if full:
            return "Complet"
        return ""

    # -- in time -----------------------------------------------------------------------------

    @property
    def local_month(self):
        local = timezone.localtime(self.start)
        return (local.year, local.month)

    def local_days(self):
        """The local dates this occurrence covers (several for a multi-day event)."""
        return formatting.local_days(self.start, self.end)

    @property
    def is_multi_day(self):
        return len(self.local_days()) > 1

    @property
    def is_past(self):
        return self.end < timezone.now()

    @property
    def is_cancelled(self):
        return self.cancelled or self.page.status == EventStatus.CANCELLED

    # -- places and registrations -------------------------------------------------------------

    @cached_property
    def confirmed(self):
        """Confirmed registrations: the `confirmed_count` annotation when the query made it."""
        annotated = getattr(self, "confirmed_count", None)
        if annotated is not None:
            return annotated
        if self.pk is None:
            return 0
        return self.registrations.filter(status=RegistrationStatus.CONFIRMED).count()

    @property
    def places_left(self):
        """Places still free, or None when the number is unlimited."""
        if self.page.capacity is None:
            return None
        return max(0, self.page.capacity - self.confirmed)

    @property
    def is_full(self):
        """Full, for people registering on the site (never for an event that takes none)."""
        page = self.page
        return page.registration_enabled and is_full(page.status, page.capacity, self.confirmed)

    @property
    def registration_closes_at(self):
        closes = self.start - timedelta(hours=self.page.registration_deadline_hours or 0)
        if self.page.registration_closes_at:
            closes = min(closes, self.page.registration_closes_at)
        return closes

    def registration_refusal(self, now=None):
        """Why nobody can register for this date now, in French; empty when they can."""
        now = now or timezone.now()
        page = self.page
        if not page.registration_enabled:
            return "Cet événement ne prend pas d'inscription sur le site."
        if not page.live:
            return "Cet événement n'est pas publié."
        if self.is_cancelled:
            return "Cette date est annulée : les inscriptions sont fermées."
        if page.is_postponed:
            return "Cet événement est reporté : les inscriptions rouvriront avec la nouvelle date."
        if self.start <= now:
            return "Cette date est passée : les inscriptions sont fermées."
        if now >= self.registration_closes_at:
            closed = formatting.deadline_label(self.registration_closes_at)
            return f"Les inscriptions à cette date sont closes depuis le {closed}."
        if self.is_full and not page.waiting_list:
            return "Cette date est complète et n'a pas de liste d'attente."
        return ""

    @property
    def accepts_registrations(self):
        return not self.registration_refusal()
