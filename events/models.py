"""The events calendar: information meetings, workshops, webinars… with registrations.

An `EventPage` holds what an editor sets: dates, how the event repeats and the exceptions to the
series, the venue, and whether people register. Its dates are stored as `EventOccurrence` rows
(recomputed when the page is published), so that the lists, the month grid and the feeds query
dates directly, and each registration belongs to one date.
"""

import calendar
import uuid
from datetime import date, datetime, time, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import StreamField
from wagtail.models import Orderable
from wagtail.search import index

from cress_site.blocks import BaseStreamBlock
from cress_site.facets import ChoiceFacet, FacetFilterSet, TermFacet, TerritoryFacet
from cress_site.models import BaseIndexPage, BasePage, NamedTerm, Territory
from cress_site.searchable import SearchKind
from cress_site.visibility import public, public_pages
from events.admin_forms import EventPageForm
from events.panels import RegistrationsPanel
from events.recurrence import (
    MAX_OCCURRENCES,
    MAX_SERIES_YEARS,
    PARIS,
    Change,
    ExceptionAction,
    Repeat,
    Rule,
    compute_occurrences,
    to_local,
)

ORGANISER = "CRESS Normandie"
MAX_MONTH_ITEMS = 1000  # a month grid is not paginated; this bounds it all the same
MAX_FEED_ITEMS = 1000
# The years the month grid shows; its links to the months before and after never go beyond.
GRID_YEARS = range(2000, 2101)
MONTH_NAMES = [
    "",
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


class EventKind(models.TextChoices):
    INFORMATION = "information", "Réunion d'information"
    WORKSHOP = "atelier", "Atelier"
    WORKING_GROUP = "groupe", "Groupe de travail"
    TRAINING = "formation", "Formation"
    WEBINAR = "webinaire", "Webinaire"
    CONFERENCE = "conference", "Conférence ou table ronde"
    FORUM = "rencontre", "Rencontre ou forum"
    OTHER = "autre", "Autre événement"


class EventStatus(models.TextChoices):
    SCHEDULED = "prevu", "Prévu"
    FULL = "complet", "Complet"
    POSTPONED = "reporte", "Reporté"
    CANCELLED = "annule", "Annulé"


class AttendanceMode(models.TextChoices):
    OFFLINE = "presentiel", "Sur place"
    ONLINE = "en-ligne", "En ligne"
    MIXED = "mixte", "Sur place et en ligne"


class Audience(NamedTerm):
    """Who an event is for: project leaders, elected officials and staff of authorities…"""

    class Meta(NamedTerm.Meta):
        verbose_name = "public"
        verbose_name_plural = "publics"


class EventFilters(FacetFilterSet):
    """The calendar's filters on its dates, named after their query-string parameters."""

    type = ChoiceFacet(
        "page__kind",
        label="Type d'événement",
        choices=EventKind.choices,
        all_label="Tous les types",
    )
    territoire = TerritoryFacet(
        "page__territory",
        label="Territoire",
        queryset=Territory.objects.all(),
        all_label="Tous les territoires",
    )
    public = TermFacet(
        "page__audiences",
        label="Public",
        queryset=Audience.objects.all(),
        all_label="Tous les publics",
    )
    format = ChoiceFacet(
        "page__attendance_mode",
        label="Format",
        choices=AttendanceMode.choices,
        all_label="Sur place et en ligne",
    )


class EventIndexPage(RoutablePageMixin, BaseIndexPage):
    """The calendar ("Agenda"): upcoming dates, a month grid, the archive and the feeds."""

    subpage_types = ["events.EventPage"]
    is_creatable = True

    listing_per_page = 15
    listing_sort_options = {}
    listing_select_related = ("page", "page__territory")
    listing_filterset = EventFilters

    class Meta:
        verbose_name = "agenda"
        verbose_name_plural = "agendas"

    @property
    def listing_model(self):
        return EventOccurrence

    def event_pages(self):
        return public(EventPage.objects.live().descendant_of(self), None)

    def occurrences(self):
        """Every listed date of the live events below this page (dates a series no longer has,
        kept for their registrations, are left out)."""
        return EventOccurrence.objects.filter(
            page__in=self.event_pages().values("pk"), in_series=True
        )

    def get_listing_base_queryset(self):
        return self._listing_base

    def search_listing(self, base, parsed_query):
        matching = self.event_pages().search(parsed_query, order_by_relevance=False)
        return base.filter(page__in=matching.get_queryset().values("pk"))

    def get_listing_annotations(self):
        return {"confirmed_count": confirmed_count()}

    def upcoming_queryset(self):
        return self.occurrences().filter(end__gte=timezone.now()).order_by("start", "pk")

    def _serve_view(self, request, view, base, *, template=None, per_page=None, month=None):
        self._view, self._listing_base, self._per_page, self._month = view, base, per_page, month
        return self.render(request, template=template)

    def get_context(self, request, *args, **kwargs):
        context = BasePage.get_context(self, request, *args, **kwargs)
        if getattr(self, "_view", None) is None:  # rendered without a route
            self._serve_state_default()
        listing = self.get_listing(request, per_page=self._per_page)
        context.update(
            listing=listing,
            view=self._view,
            month_url=self.month_url(timezone.localdate()),
            feed_url=self.url + "agenda.ics",
        )
        if self._month is not None:
            context.update(self._month_context(listing, *self._month))
        return context

    def _serve_state_default(self):
        self._view, self._listing_base = "upcoming", self.upcoming_queryset()
        self._per_page, self._month = None, None

    @path("")
    def upcoming(self, request):
        return self._serve_view(request, "upcoming", self.upcoming_queryset())

    @path("archives/")
    def archive(self, request):
        past = self.occurrences().filter(end__lt=timezone.now()).order_by("-start", "-pk")
        return self._serve_view(
            request, "archive", past, template="events/event_index_archive.html"
        )

    @path("mois/")
    def this_month(self, request):
        query = request.META.get("QUERY_STRING", "")
        url = self.month_url(timezone.localdate())
        return redirect(f"{url}?{query}" if query else url)

    # ASCII digits only (`\d` also matches "٢٠٢٥").
    @re_path(r"^(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/$")
    def month(self, request, year, month):
        year, month = int(year), int(month)
        if not (1 <= month <= 12 and year in GRID_YEARS):
            raise Http404("Ce mois n'existe pas.")
        weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
        grid_start = datetime.combine(weeks[0][0], time.min, tzinfo=PARIS)
        grid_end = datetime.combine(weeks[-1][-1] + timedelta(days=1), time.min, tzinfo=PARIS)
        base = (
            self.occurrences()
            .filter(start__lt=grid_end, end__gte=grid_start)
            .order_by("start", "pk")
        )
        return self._serve_view(
            request,
            "month",
            base,
            template="events/event_index_month.html",
            per_page=MAX_MONTH_ITEMS,
            month=(year, month, weeks),
        )

    def _month_context(self, listing, year, month, weeks):
        """The grid, and links to the months before and after it (none beyond the months the
        grid shows)."""
        first = date(year, month, 1)
        context = {
            "month": MonthGrid(year, month, weeks, list(listing.items), timezone.localdate())
        }
        previous_month = (first - timedelta(days=1)).replace(day=1)
        if previous_month.year in GRID_YEARS:
            context["previous_month_url"] = self.month_url(previous_month)
            context["previous_month_label"] = (
                f"{MONTH_NAMES[previous_month.month]} {previous_month.year}"
            )
        next_month = (first + timedelta(days=32)).replace(day=1)
        if next_month.year in GRID_YEARS:
            context["next_month_url"] = self.month_url(next_month)
            context["next_month_label"] = f"{MONTH_NAMES[next_month.month]} {next_month.year}"
        return context

    @re_path(r"^agenda\.ics/?$")
    def feed(self, request):
        """The upcoming events, narrowed by the same filters as the list, as iCalendar."""
        from events.ical import feed_response

        self._listing_base = self.upcoming_queryset()
        listing = self.get_listing(request, per_page=MAX_FEED_ITEMS)
        return feed_response(self, request, listing)

    def month_url(self, day):
        return f"{self.url}{day.year:04d}/{day.month:02d}/"


def time_label(value):
    """A time the French way: "14 h", "9 h 30"."""
    return f"{value.hour} h" if value.minute == 0 else f"{value.hour} h {value.minute:02d}"


def confirmed_count():
    """Confirmed registrations of each occurrence, as a correlated subquery.

    Not a Count over a join: that groups every listed occurrence with its registrations
    before a page of the list is sliced, and the paginator's count does the same (631 ms for
    the archive at 36,000 registrations); the subquery reads one occurrence's registrations by
    index, and is left out of the count.
    """
    confirmed = (
        Registration.objects.filter(occurrence=OuterRef("pk"), status=Registration.Status.CONFIRMED)
        .order_by()
        .values("occurrence")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(confirmed, output_field=IntegerField()), 0)


class MonthGrid:
    """A month as weeks of days, each day with the occurrences that take place on it."""

    def __init__(self, year, month, weeks, occurrences, today):
        self.year = year
        self.month = month
        self.name = f"{MONTH_NAMES[month]} {year}"
        self.occurrences = occurrences
        by_day = {}
        for occurrence in occurrences:
            for day in occurrence.local_days():
                by_day.setdefault(day, []).append(occurrence)
        self.weeks = [
            [
                {
                    "date": day,
                    "in_month": day.month == month,
                    "is_today": day == today,
                    "occurrences": by_day.get(day, []),
                }
                for day in week
            ]
            for week in weeks
        ]
        self.weekdays = [
            ("lun.", "lundi"),
            ("mar.", "mardi"),
            ("mer.", "mercredi"),
            ("jeu.", "jeudi"),
            ("ven.", "vendredi"),
            ("sam.", "samedi"),
            ("dim.", "dimanche"),
        ]

    @cached_property
    def month_occurrences(self):
        """The occurrences that touch this month (the grid also shows its neighbours' days)."""
        return [
            occurrence
            for occurrence in self.occurrences
            if any(day.month == self.month for day in occurrence.local_days())
        ]

    @property
    def count_text(self):
        count = len(self.month_occurrences)
        if not count:
            return f"Aucune date en {self.name}"
        return f"{count} date{'s' if count > 1 else ''} en {self.name}"


class EventPage(RoutablePageMixin, BasePage):
    """An event: one date or a series, a place or a link, and possibly registrations."""

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
        InlinePanel(
            "date_changes",
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
        InlinePanel("related_pages", label="Page liée", heading="Pages liées"),
    ]

    # Its contribution to the site search (cress_site.searchable).
    search_kind = SearchKind("evenement", "Événements", "Événement", "Événement", order=20)
    search_date_field = "start"
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
        """The series in French: "le premier mardi de chaque mois, 12 fois"."""
        return self.rule.describe(to_local(self.start))

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
            if not self.repeat_until and not self.repeat_count:
                errors["repeat_until"] = (
                    "Indiquez jusqu'à quand l'événement se répète, ou combien de fois."
                )
            if self.repeat_until and self.repeat_count:
                errors["repeat_count"] = (
                    "Indiquez soit une date de fin, soit un nombre de fois, pas les deux."
                )
            if self.repeat_count is not None and not 2 <= self.repeat_count <= MAX_OCCURRENCES:
                errors["repeat_count"] = f"Entre 2 et {MAX_OCCURRENCES} fois."
            if self.repeat_interval is None or not 1 <= self.repeat_interval <= 12:
                errors["repeat_interval"] = "Un intervalle entre 1 et 12."
            if self.start and self.repeat_until:
                first = to_local(self.start).date()
                if self.repeat_until <= first:
                    errors["repeat_until"] = "La fin de la série doit venir après la première date."
                elif self.repeat_until > first.replace(year=first.year + MAX_SERIES_YEARS):
                    errors["repeat_until"] = (
                        f"Une série dure au plus {MAX_SERIES_YEARS} ans ; créez-en une nouvelle "
                        "ensuite."
                    )
            if self.start and self.end and not errors:
                length = self.end - self.start
                if self.repeat == Repeat.DAILY and length >= timedelta(days=1):
                    errors["repeat"] = (
                        "Un événement de plus d'un jour ne peut pas se répéter chaque jour."
                    )
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
        computed = self.compute_occurrences()
        existing = {occurrence.original_date: occurrence for occurrence in self.occurrences.all()}
        changed = []
        for item in computed:
            item.cancelled = item.cancelled or self.is_cancelled
            occurrence = existing.pop(item.original_date, None)
            if occurrence is None:
                EventOccurrence.objects.create(
                    page=self,
                    original_date=item.original_date,
                    start=item.start,
                    end=item.end,
                    cancelled=item.cancelled,
                    moved=item.moved,
                    note=item.note,
                )
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
                # Keep the date for its registrations, shown as cancelled; not in the series.
                if not occurrence.cancelled or occurrence.in_series:
                    occurrence.cancelled = True
                    occurrence.in_series = False
                    occurrence.note = occurrence.note or "Date retirée du calendrier."
                    occurrence.save()
                    changed.append(occurrence)
            else:
                occurrence.delete()
        return changed

    # -- what pages and feeds show ---------------------------------------------------------

    @property
    def is_cancelled(self):
        return self.status == EventStatus.CANCELLED

    @property
    def place_label(self):
        """ "Maison des associations, Caen" or "En ligne"."""
        if self.attendance_mode == AttendanceMode.ONLINE:
            return "En ligne"
        parts = [self.venue_name, self.city]
        label = ", ".join(part for part in parts if part)
        if self.attendance_mode == AttendanceMode.MIXED:
            label = f"{label} et en ligne" if label else "En ligne"
        return label

    @property
    def city(self):
        if self.venue_city:
            return self.venue_city
        if self.territory_id and self.territory.kind == Territory.Kind.COMMUNE:
            return self.territory.name
        return ""

    @property
    def address_lines(self):
        lines = [self.venue_name, self.venue_street]
        locality = " ".join(part for part in [self.venue_postcode, self.city] if part)
        lines.append(locality)
        return [line for line in lines if line]

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
            return [
                EventOccurrence(
                    page=self,
                    original_date=item.original_date,
                    start=item.start,
                    end=item.end,
                    cancelled=item.cancelled,
                    moved=item.moved,
                    note=item.note,
                )
                for item in self.compute_occurrences()
            ]
        return list(
            self.occurrences.filter(in_series=True)
            .annotate(confirmed_count=confirmed_count())
            .order_by("start")
        )

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
        pages = [link.related_page for link in self.related_pages.select_related("related_page")]
        return public_pages(pages)

    def json_ld(self, request, occurrences):
        """schema.org Event data, one per shown date (at most ten)."""
        from events.structured_data import event_json_ld

        return event_json_ld(self, request, occurrences[:10])

    @path("")
    def detail(self, request):
        return self.render(request)

    @re_path(r"^calendrier\.ics/?$")
    def ical(self, request):
        from events.ical import event_response

        return event_response(self, request)

    @path("inscription/")
    def register(self, request):
        from events.views import registration_view

        return registration_view(request, self)

    @path("inscription/enregistree/")
    def registered(self, request):
        from events.views import registration_done_view

        return registration_done_view(request, self)


class EventDateChange(Orderable):
    """An exception to a series: one date cancelled, moved, or removed from the calendar."""

    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="date_changes")
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
    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="related_pages")
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


class EventOccurrence(models.Model):
    """One date of an event as published; registrations belong to a date."""

    page = models.ForeignKey(
        EventPage, verbose_name="événement", on_delete=models.CASCADE, related_name="occurrences"
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

    @property
    def date_label(self):
        local = timezone.localtime(self.start)
        if self.page.all_day:
            return date_format(local, "l j F Y")
        return f"{date_format(local, 'l j F Y')} à {time_label(local)}"

    @property
    def local_month(self):
        local = timezone.localtime(self.start)
        return (local.year, local.month)

    @property
    def start_time_label(self):
        return "" if self.page.all_day else time_label(timezone.localtime(self.start))

    @property
    def when_label(self):
        """The whole date and time in French: "mardi 5 janvier 2027, de 14 h à 16 h 30"."""
        start, end = timezone.localtime(self.start), timezone.localtime(self.end)
        same_day = start.date() == end.date()
        if self.page.all_day:
            if same_day:
                return date_format(start, "l j F Y")
            if start.year != end.year:
                return f"du {date_format(start, 'j F Y')} au {date_format(end, 'j F Y')}"
            if start.month != end.month:
                return f"du {date_format(start, 'j F')} au {date_format(end, 'j F Y')}"
            return f"du {date_format(start, 'j')} au {date_format(end, 'j F Y')}"
        if same_day:
            return f"{date_format(start, 'l j F Y')}, de {time_label(start)} à {time_label(end)}"
        return (
            f"du {date_format(start, 'l j F Y')} à {time_label(start)} "
            f"au {date_format(end, 'l j F Y')} à {time_label(end)}"
        )

    @property
    def time_range_label(self):
        """The hours alone, for a list grouped by day: "14 h – 16 h 30" (or "Toute la journée")."""
        if self.page.all_day:
            return "Toute la journée" if not self.is_multi_day else self.when_label
        if self.is_multi_day:
            return self.when_label
        start, end = timezone.localtime(self.start), timezone.localtime(self.end)
        return f"{time_label(start)} – {time_label(end)}"

    def local_days(self):
        """The local dates this occurrence covers (several for a multi-day event)."""
        first = timezone.localtime(self.start).date()
        last = timezone.localtime(self.end).date()
        if last < first:
            last = first
        days = []
        day = first
        while day <= last and len(days) < 32:
            days.append(day)
            day += timedelta(days=1)
        return days

    @property
    def is_multi_day(self):
        return len(self.local_days()) > 1

    @property
    def is_cancelled(self):
        return self.cancelled or self.page.status == EventStatus.CANCELLED

    @property
    def is_past(self):
        return self.end < timezone.now()

    @property
    def status_label(self):
        if self.is_cancelled:
            return "Annulé"
        if self.page.status == EventStatus.POSTPONED:
            return "Reporté"
        if self.moved:
            return "Date modifiée"
        if self.is_full:
            return "Complet"
        return ""

    @cached_property
    def confirmed(self):
        annotated = getattr(self, "confirmed_count", None)
        if annotated is not None:
            return annotated
        if self.pk is None:
            return 0
        return self.registrations.filter(status=Registration.Status.CONFIRMED).count()

    @property
    def places_left(self):
        """Places still free, or None when the number is unlimited."""
        if self.page.capacity is None:
            return None
        return max(0, self.page.capacity - self.confirmed)

    @property
    def is_full(self):
        if not self.page.registration_enabled:
            return False
        return self.page.status == EventStatus.FULL or self.places_left == 0

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
        if page.status == EventStatus.POSTPONED:
            return "Cet événement est reporté : les inscriptions rouvriront avec la nouvelle date."
        if self.start <= now:
            return "Cette date est passée : les inscriptions sont fermées."
        if now >= self.registration_closes_at:
            closed = date_format(timezone.localtime(self.registration_closes_at), "j F Y à H:i")
            return f"Les inscriptions à cette date sont closes depuis le {closed}."
        if self.is_full and not page.waiting_list:
            return "Cette date est complète et n'a pas de liste d'attente."
        return ""

    @property
    def accepts_registrations(self):
        return not self.registration_refusal()


class Registration(models.Model):
    """A person registered for one date of an event (or waiting for a place)."""

    class Status(models.TextChoices):
        # Made on the site, the address not confirmed yet: holds no place (see
        # events.registration.confirm).
        PENDING = "aconfirmer", "À confirmer"
        CONFIRMED = "confirmee", "Confirmée"
        WAITING = "attente", "Liste d'attente"
        CANCELLED = "annulee", "Annulée"

    class Profile(models.TextChoices):
        PROJECT_LEADER = "porteur", "Porteuse ou porteur de projet"
        ELECTED = "elu", "Élue ou élu d'une collectivité"
        AUTHORITY_STAFF = "technicien", "Agente ou agent d'une collectivité"
        ESS_ORGANISATION = "structure", "Structure de l'ESS"
        PARTNER = "partenaire", "Partenaire, réseau d'accompagnement"
        OTHER = "autre", "Autre"

    occurrence = models.ForeignKey(
        EventOccurrence,
        verbose_name="date",
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    token = models.UUIDField("jeton", default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField("nom et prénom", max_length=150)
    email = models.EmailField("e-mail", max_length=254)
    organisation = models.CharField("structure", max_length=200, blank=True)
    profile = models.CharField("profil", max_length=20, choices=Profile.choices)
    territory = models.ForeignKey(
        Territory,
        verbose_name="territoire",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        "statut", max_length=10, choices=Status.choices, default=Status.CONFIRMED
    )
    created_at = models.DateTimeField("inscrite le", default=timezone.now, db_index=True)
    consent_at = models.DateTimeField("consentement donné le", null=True, blank=True)
    confirm_before = models.DateTimeField(
        "à confirmer avant",
        null=True,
        blank=True,
        db_index=True,
        help_text="Une inscription à confirmer et non confirmée à cette heure est effacée.",
    )
    confirmed_at = models.DateTimeField("adresse confirmée le", null=True, blank=True)
    promoted_at = models.DateTimeField("passée de l'attente à confirmée le", null=True, blank=True)
    cancelled_at = models.DateTimeField("annulée le", null=True, blank=True)
    anonymised_at = models.DateTimeField("anonymisée le", null=True, blank=True)

    class Meta:
        verbose_name = "inscription"
        verbose_name_plural = "inscriptions"
        ordering = ["occurrence__start", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["occurrence", "email"],
                condition=Q(status__in=["aconfirmer", "confirmee", "attente"]) & ~Q(email=""),
                name="events_one_active_registration_per_email",
            )
        ]
        indexes = [models.Index(fields=["occurrence", "status", "created_at"])]

    def __str__(self):
        return f"{self.name} – {self.occurrence}"

    @property
    def event(self):
        return self.occurrence.page

    @property
    def is_pending(self):
        return self.status == self.Status.PENDING

    @property
    def is_confirmed(self):
        return self.status == self.Status.CONFIRMED

    @property
    def is_waiting(self):
        return self.status == self.Status.WAITING

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED

    def event_title(self):
        return self.occurrence.page.title

    event_title.short_description = "événement"

    def occurrence_date(self):
        return self.occurrence.date_label

    occurrence_date.short_description = "date"
