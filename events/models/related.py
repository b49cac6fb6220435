"""What an event page holds beside its own fields: its audiences, the exceptions to its series
and the pages it links to."""

from django.core.exceptions import ValidationError
from django.db import models

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, PageChooserPanel
from wagtail.models import Orderable

from cress_site.models import NamedTerm
from events.models.occurrence import EVENTS
from events.recurrence import ExceptionAction


class Audience(NamedTerm):
    """Who an event is for: project leaders, elected officials and staff of authorities…"""

    cache_scope = EVENTS

    class Meta(NamedTerm.Meta):
        verbose_name = "public"
        verbose_name_plural = "publics"


class EventDateChange(Orderable):
    """An exception to a series: one date cancelled, moved, or removed from the calendar."""

    page = ParentalKey("events.EventPage", on_delete=models.CASCADE, related_name="date_changes")
    original_date = models.DateField(
        "date concernée", help_text="La date de la série telle qu'elle était prévue."
    )
    action = models.CharField(
        "changement",
        max_length=10,
        choices=ExceptionAction.choices,
        default=ExceptionAction.CANCEL,
        help_text="Ce qui arrive à cette date de la série. Les personnes inscrites à cette date "
        "sont prévenues par e-mail à la publication.",
    )
    new_start = models.DateTimeField(
        "nouveau début", null=True, blank=True, help_text="Pour une date déplacée."
    )
    new_end = models.DateTimeField(
        "nouvelle fin",
        null=True,
        blank=True,
        help_text="Laissez vide pour garder la même durée.",
    )
    note = models.CharField(
        "explication",
        max_length=255,
        blank=True,
        help_text="Affichée à côté de la date, ex. : « Remplacée par la rencontre régionale ».",
    )

    panels = [
        FieldRowPanel([FieldPanel("original_date"), FieldPanel("action")]),
        FieldRowPanel([FieldPanel("new_start"), FieldPanel("new_end")]),
        FieldPanel("note"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "exception"
        verbose_name_plural = "exceptions"

    def clean(self):
        # Whether the date belongs to the series is checked by the page's form
        # (events.admin_forms.EventPageForm), which sees the series being edited.
        super().clean()
        if self.action == ExceptionAction.MOVE:
            if not self.new_start:
                raise ValidationError({"new_start": "Indiquez la nouvelle date et heure."})
            if self.new_end and self.new_end < self.new_start:
                raise ValidationError({"new_end": "La fin doit venir après le début."})


class EventRelatedPage(Orderable):
    page = ParentalKey("events.EventPage", on_delete=models.CASCADE, related_name="related_pages")
    related_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name="page",
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Proposée sous « Pour aller plus loin », en bas de la page.",
    )

    panels = [PageChooserPanel("related_page")]

    class Meta(Orderable.Meta):
        verbose_name = "page liée"
        verbose_name_plural = "pages liées"
