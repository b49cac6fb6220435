"""An event: what an editor sets (dates, how the event repeats and the exceptions to the series,
the venue, whether people register) and the page that shows it.

Its dates are stored as `EventOccurrence` rows when the page is published (see
`OccurrenceManager.sync`), so that the lists, the month grid and the feeds query dates directly.
"""

import dataclasses
from datetime import datetime, time, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    MultiFieldPanel,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import StreamField
from wagtail.search import index

from cress_site import cache as content_cache
from cress_site.blocks import BaseStreamBlock
from cress_site.models import BasePage, Territory
from cress_site.panels import FrenchInlinePanel
from cress_site.searchable import SearchKind
from cress_site.visibility import public_pages
from events.admin_forms import EventPageForm
from events.choices import ORGANISER, AttendanceMode, EventKind, EventStatus
from events.ical import event_response
from events.models.occurrence import EVENTS, EventOccurrence
from events.models.registration import confirmed_count, places_of
from events.models.related import Audience
from events.models.series import EventResultDates
from events.models.venue import VenueLabels
from events.page_views import registration_done_view, registration_view
from events.panels import RegistrationsPanel
from events.recurrence import (
    MAX_OCCURRENCES,
    PARIS,
    Change,
    ExceptionAction,
    Repeat,
    Rule,
    compute_occurrences,
    series_errors,
    to_local,
)
from events.structured_data import event_json_ld


class EventPage(RoutablePageMixin, VenueLabels, BasePage):
    """An event: one date or a series, a place or a link, and possibly registrations."""

    # The public cache (cress_site.cache): the event, its dates and its own places left; and
    # when it shows related pages, which may be of any family, every scope.
    cache_scope = EVENTS
    # Read with the page by the routing (cress_site.routing): the aside's and JSON-LD's place.
    route_select_related = ("territory",)

    summary = models.TextField(
        "résumé",
        max_length=600,
        help_text="Deux ou trois phrases : de quoi il s'agit et pour qui. Affiché en tête de page, "
        "dans l'agenda et dans les calendriers des abonnés.",
    )
    kind = models.CharField(
        "type d'événement",
        max_length=20,
        choices=EventKind.choices,
        default=EventKind.INFORMATION,
        help_text="Affiché en étiquette sur la page et dans l'agenda ; sert au filtre « Type "
        "d'événement ».",
    )
    audiences = ParentalManyToManyField(
        Audience,
        verbose_name="public",
        blank=True,
        help_text="À qui s'adresse l'événement. Sert au filtre « Public » de l'agenda.",
    )
    status = models.CharField(
        "statut",
        max_length=10,
        choices=EventStatus.choices,
        default=EventStatus.SCHEDULED,
        help_text="« Complet » ferme les inscriptions (la liste d'attente reste ouverte) ; "
        "« Annulé » annule toutes les dates et l'annonce aux abonnés des calendriers. Pour "
        "annuler une seule date d'une série, utilisez « Exceptions » ci-dessous.",
    )
    start = models.DateTimeField(
        "début",
        help_text="Date et heure de début (heure de Paris). Pour un événement qui se répète : "
        "la première date de la série.",
    )
    end = models.DateTimeField(
        "fin",
        help_text="Date et heure de fin. Pour un événement sur plusieurs jours, le dernier jour.",
    )
    all_day = models.BooleanField(
        "toute la journée",
        default=False,
        help_text="Cochez pour un événement sans horaire (un salon, un forum sur deux jours) : "
        "seules les dates comptent.",
    )
    repeat = models.CharField(
        "répétition",
        max_length=20,
        choices=Repeat.choices,
        default=Repeat.NONE,
        blank=True,
        help_text="Comment l'événement se répète, à partir de sa date de début. Le jour de la "
        "semaine et sa place dans le mois sont ceux de la date de début.",
    )
    repeat_interval = models.PositiveSmallIntegerField(
        "intervalle",
        default=1,
        help_text="1 : chaque semaine ou chaque mois ; 2 : une semaine ou un mois sur deux…",
    )
    repeat_until = models.DateField(
        "jusqu'au",
        null=True,
        blank=True,
        help_text="Dernière date possible de la série (incluse).",
    )
    repeat_count = models.PositiveSmallIntegerField(
        "nombre de fois",
        null=True,
        blank=True,
        help_text=f"Ou bien le nombre de dates de la série (au plus {MAX_OCCURRENCES}).",
    )

    attendance_mode = models.CharField(
        "format",
        max_length=12,
        choices=AttendanceMode.choices,
        default=AttendanceMode.OFFLINE,
        help_text="Sur place, en ligne ou les deux : décide si la page montre l'adresse, le lien "
        "de connexion ou les deux ; sert au filtre « Format » de l'agenda.",
    )
    venue_name = models.CharField(
        "lieu",
        max_length=200,
        blank=True,
        help_text="Le nom du lieu, affiché dans l'agenda et sur la page. Ex. : Maison des "
        "associations.",
    )
    venue_street = models.CharField(
        "adresse",
        max_length=255,
        blank=True,
        help_text="Numéro et rue, affichés sur la page sous le lieu et envoyés aux calendriers.",
    )
    venue_postcode = models.CharField(
        "code postal",
        max_length=10,
        blank=True,
        help_text="Affiché avec la commune dans l'adresse du lieu.",
    )
    venue_city = models.CharField(
        "commune",
        max_length=120,
        blank=True,
        help_text="Laissez vide pour reprendre le nom du territoire choisi ci-dessous.",
    )
    territory = models.ForeignKey(
        Territory,
        verbose_name="territoire",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="La commune du lieu (ou le département pour un événement en ligne qui le "
        "concerne). Sert au filtre « Territoire » de l'agenda.",
    )
    online_url = models.URLField(
        "lien de connexion",
        blank=True,
        help_text="Pour un webinaire : l'adresse de la salle en ligne. Elle n'est envoyée qu'aux "
        "inscrits si les inscriptions sont ouvertes, sinon affichée sur la page.",
    )

    organisers = models.CharField(
        "organisateurs",
        max_length=300,
        default=ORGANISER,
        help_text="Séparés par des virgules. Affichés sur la page et transmis aux moteurs de "
        "recherche.",
    )
    partners = models.CharField(
        "partenaires",
        max_length=500,
        blank=True,
        help_text="Séparés par des virgules. Affichés sur la page, sous les organisateurs.",
    )
    body = StreamField(
        BaseStreamBlock(),
        verbose_name="présentation",
        blank=True,
        help_text="Le programme, les intervenants, l'accès…",
    )

    registration_enabled = models.BooleanField(
        "inscriptions sur le site",
        default=False,
        help_text="Affiche un formulaire d'inscription (une inscription par date pour une série).",
    )
    capacity = models.PositiveIntegerField(
        "places",
        null=True,
        blank=True,
        help_text="Nombre de places par date. Laissez vide pour un nombre illimité.",
    )
    waiting_list = models.BooleanField(
        "liste d'attente",
        default=True,
        help_text="Quand c'est complet, les personnes peuvent s'inscrire sur une liste d'attente ; "
        "une place libérée revient à la première, prévenue par e-mail.",
    )
    registration_closes_at = models.DateTimeField(
        "clôture des inscriptions",
        null=True,
        blank=True,
        help_text="Facultatif : date et heure après lesquelles plus personne ne peut s'inscrire.",
    )
    registration_deadline_hours = models.PositiveSmallIntegerField(
        "délai avant chaque date",
        default=0,
        help_text="Les inscriptions à une date ferment ce nombre d'heures avant son début "
        "(0 : jusqu'au début).",
    )
    registration_notes = models.TextField(
        "informations pour les inscrits",
        blank=True,
        max_length=1000,
        help_text="Ajoutées à l'e-mail de confirmation : accès, documents à apporter…",
    )

    content_panels = BasePage.content_panels + [
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("status")]),
        FieldPanel("audiences", widget=forms.CheckboxSelectMultiple),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
                FieldPanel("all_day"),
            ],
            heading="Dates",
        ),
        MultiFieldPanel(
            [
                FieldPanel("repeat"),
                FieldPanel("repeat_interval"),
                FieldRowPanel([FieldPanel("repeat_until"), FieldPanel("repeat_count")]),
                HelpPanel(
                    "Indiquez une date de fin ou un nombre de fois. Exemple : une réunion "
                    "d'information le premier mardi de chaque mois : date de début le premier "
                    "mardi du mois à 14 h, répétition « Chaque mois, le même jour de la semaine »."
                ),
            ],
            heading="Répétition",
        ),
        FrenchInlinePanel(
            "date_changes",
            "Ajouter une exception",
            label="Exception",
            heading="Exceptions à la série : dates annulées, déplacées ou retirées",
        ),
        MultiFieldPanel(
            [
                FieldPanel("attendance_mode"),
                FieldPanel("venue_name"),
                FieldPanel("venue_street"),
                FieldRowPanel([FieldPanel("venue_postcode"), FieldPanel("venue_city")]),
                FieldPanel("territory"),
                FieldPanel("online_url"),
            ],
            heading="Lieu",
        ),
        MultiFieldPanel([FieldPanel("organisers"), FieldPanel("partners")], heading="Organisation"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("registration_enabled"),
                FieldRowPanel([FieldPanel("capacity"), FieldPanel("waiting_list")]),
                FieldRowPanel(
                    [
                        FieldPanel("registration_closes_at"),
                        FieldPanel("registration_deadline_hours"),
                    ]
                ),
                FieldPanel("registration_notes"),
            ],
            heading="Inscriptions",
        ),
        RegistrationsPanel(),
        FrenchInlinePanel(
            "related_pages", "Ajouter une page liée", label="Page liée", heading="Pages liées"
        ),
    ]

    # Its contribution to the site search (cress_site.searchable).
    search_kind = SearchKind("evenement", "Événements", "Événement", "Événement", order=20)
    search_dates = EventResultDates()
    search_territory_field = "territory"

    search_fields = BasePage.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("venue_name"),
        index.SearchField("venue_city"),
        index.SearchField("organisers"),
        index.SearchField("partners"),
        index.RelatedFields("territory", [index.SearchField("name")]),
        index.RelatedFields("audiences", [index.SearchField("name")]),
        index.FilterField("kind"),
        index.FilterField("start"),
    ]

    parent_page_types = ["events.EventIndexPage"]
    subpage_types = []
    base_form_class = EventPageForm

    class Meta:
        verbose_name = "événement"
        verbose_name_plural = "événements"

    # -- dates -----------------------------------------------------------------------------

    @property
    def rule(self):
        return Rule(
            repeat=self.repeat,
            interval=self.repeat_interval or 1,
            until=self.repeat_until,
            count=self.repeat_count,
        )

    @property
    def is_recurring(self):
        return bool(self.repeat)

    def get_changes(self):
        return [
            Change(
                original_date=change.original_date,
                action=change.action,
                new_start=change.new_start,
                new_end=change.new_end,
                note=change.note,
            )
            for change in self.date_changes.all()
        ]

    def compute_occurrences(self):
        """This version's dates, computed (not read from the database)."""
        return compute_occurrences(self.start, self.end, self.rule, self.get_changes())

    def recurrence_description(self):
        """The series in French: "le premier mardi de chaque mois, 12 fois, sauf le 3 août
        2027" (the dates taken out of it named, so that the rule does not promise them)."""
        excluded = [
            change.original_date
            for change in self.date_changes.all()
            if change.action == ExceptionAction.EXCLUDE
        ]
        return self.rule.describe(to_local(self.start), excluded=excluded)

    def clean(self):
        super().clean()
        errors = {}
        if self.start and self.end:
            if self.all_day:
                self.start = datetime.combine(to_local(self.start).date(), time.min, tzinfo=PARIS)
                self.end = datetime.combine(to_local(self.end).date(), time(23, 59), tzinfo=PARIS)
            if self.end < self.start:
                errors["end"] = "La fin doit venir après le début."
            elif self.end - self.start > timedelta(days=31):
                errors["end"] = (
                    "Un événement dure au plus un mois ; pour une série, utilisez la répétition."
                )
        if self.repeat:
            # The interval as set: `rule` fills in a missing one.
            as_set = dataclasses.replace(self.rule, interval=self.repeat_interval)
            errors.update(series_errors(self.start, self.end, as_set, dates_valid=not errors))
        needs_link = self.attendance_mode != AttendanceMode.OFFLINE
        if needs_link and not self.online_url and not self.registration_enabled:
            errors["online_url"] = "Indiquez le lien de connexion de l'événement en ligne."
        if self.attendance_mode != AttendanceMode.ONLINE and not (
            self.venue_name or self.venue_city or self.territory_id
        ):
            errors["venue_name"] = "Indiquez le lieu de l'événement (au moins la commune)."
        if self.capacity == 0:
            errors["capacity"] = "Au moins une place, ou laissez vide pour un nombre illimité."
        if errors:
            raise ValidationError(errors)

    def sync_occurrences(self):
        """Store this (published) version's dates; return the occurrences that became cancelled
        or moved and have registrations, so that their registrants can be told."""
        return EventOccurrence.objects.sync(self)

    # -- what pages and feeds show ---------------------------------------------------------

    @property
    def is_cancelled(self):
        return self.status == EventStatus.CANCELLED

    @property
    def is_postponed(self):
        return self.status == EventStatus.POSTPONED

    @property
    def status_modifier(self):
        """The status badge: "cancelled", "full" or "changed" ("" for a scheduled event)."""
        badges = {EventStatus.SCHEDULED: "", EventStatus.FULL: "full"}
        return badges.get(self.status, "cancelled" if self.is_cancelled else "changed")

    def get_meta_description(self):
        return super().get_meta_description() or self.summary

    def get_listing_summary(self):
        return self.listing_summary or self.summary

    def organiser_names(self):
        return [name.strip() for name in self.organisers.split(",") if name.strip()]

    def partner_names(self):
        return [name.strip() for name in self.partners.split(",") if name.strip()]

    def get_occurrences(self, request=None):
        """The dates shown on the page: stored ones, or computed ones in a preview."""
        if request is not None and getattr(request, "is_preview", False):
            return EventOccurrence.objects.computed(self)
        return list(self.series_occurrences())

    def series_occurrences(self, **filters):
        """The stored dates of the series (narrowed by `filters`), with their confirmed
        registrations counted when the event takes registrations (nothing shows them
        otherwise: an occurrence asked for them all the same counts them itself)."""
        queryset = self.occurrences.filter(in_series=True, **filters)
        if self.registration_enabled:
            queryset = queryset.annotate(confirmed_count=confirmed_count())
        return queryset.order_by("start")

    def split_occurrences(self, occurrences):
        now = timezone.now()
        upcoming = [occurrence for occurrence in occurrences if occurrence.end >= now]
        past = [occurrence for occurrence in occurrences if occurrence.end < now]
        return upcoming, past

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        occurrences = self.get_occurrences(request)
        upcoming, past = self.split_occurrences(occurrences)
        context.update(
            occurrences=occurrences,
            upcoming_occurrences=upcoming,
            past_occurrences=past[-6:][::-1],
            next_occurrence=upcoming[0] if upcoming else None,
            json_ld=self.json_ld(request, upcoming or past[-1:]),
            related_pages=self.get_related_pages(),
        )
        return context

    def get_related_pages(self):
        """The pages linked under "Pour aller plus loin" that the public may see."""
        links = self.related_pages.select_related("related_page")
        pages = [link.related_page for link in links] if self.may_have("related_pages") else []
        self.shows_related_pages = bool(pages)
        return public_pages(pages)

    def get_cache_dependencies(self, request):
        if getattr(self, "shows_related_pages", False):
            return content_cache.ALL
        return (content_cache.CONTENT, EVENTS, places_of(self.pk))

    def json_ld(self, request, occurrences):
        """schema.org Event data, one per shown date (at most ten)."""
        return event_json_ld(self, request, occurrences[:10])

    @path("")
    def detail(self, request):
        return self.render(request)

    @re_path(r"^calendrier\.ics/?$")
    def ical(self, request):
        return event_response(self, request)

    @path("inscription/")
    def register(self, request):
        return registration_view(request, self)

    @path("inscription/enregistree/")
    def registered(self, request):
        return registration_done_view(request, self)
