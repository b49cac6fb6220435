"""Admin views for registrations: the list (with its filters and exports), cancelling, deleting,
and the read-only summary panel of the registration editor.

Registrations come from the public form only; an editor corrects a person's details, cancels
(which gives the place to the first person waiting, see `events.registration.cancel`) or deletes
a registration when the person asks for their data to be erased.
"""

import datetime
from collections import OrderedDict

from django import forms
from django.contrib.admin import RelatedFieldListFilter, SimpleListFilter
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from wagtail.admin import messages
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import Panel
from wagtail.admin.views.mixins import list_to_str
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from wagtail_modeladmin.views import DeleteView, IndexView, InstanceSpecificView

from cress_site.models import Territory
from cress_site.spreadsheets import SafeSpreadsheetExportMixin
from cress_site.user_input import parse_int
from events.models import EventOccurrence, EventPage, Registration
from events.panels import DATE_FILTER
from events.registration import OPEN, cancel, normalise_email, promote_waiting

CANCEL_URL_NAME = "events_registration_modeladmin_cancel"
RECENT_DAYS = 60  # past dates offered in the "date" filter
UPCOMING_DAYS = 183  # dates without registrations yet offered in the "date" filter
MAX_DATE_CHOICES = 200


def cancel_url(registration, next_url=""):
    url = reverse(CANCEL_URL_NAME, args=[quote(registration.pk)])
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def safe_next_url(request, fallback):
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return fallback


def anonymous_label(registration):
    """What the history keeps about a deleted registration: no name, no e-mail."""
    return f"Inscription n° {registration.pk} (supprimée)"


# -- list filters -------------------------------------------------------------------------------


class EventListFilter(RelatedFieldListFilter):
    """The events that have registrations, by title (the query is made once per request)."""

    def field_choices(self, field, request, model_admin):
        choices = getattr(request, "_registration_event_choices", None)
        if choices is None:
            choices = list(
                EventPage.objects.filter(pk__in=Registration.objects.values("occurrence__page_id"))
                .order_by("title", "pk")
                .values_list("pk", "title")
            )
            request._registration_event_choices = choices
        return choices


class OccurrenceListFilter(SimpleListFilter):
    """The upcoming dates and those of the last weeks, plus the chosen one when it is older."""

    title = "date"
    parameter_name = DATE_FILTER

    def lookups(self, request, model_admin):
        # Read once per request and chosen date (the filters are read more than once).
        cache = request.__dict__.setdefault("_registration_date_choices", {})
        key = self.value()
        choices = cache.get(key)
        if choices is None:
            now = timezone.now()
            # Dates with registrations from the last weeks on; and the dates of the coming
            # months that take registrations (a long series would fill the list otherwise).
            recent = Q(end__gte=now - datetime.timedelta(days=RECENT_DAYS)) & (
                Q(registrations__isnull=False)
                | Q(
                    page__registration_enabled=True,
                    start__lte=now + datetime.timedelta(days=UPCOMING_DAYS),
                )
            )
            selected = parse_int(self.value())
            if selected is not None:
                recent |= Q(pk=selected)
            occurrences = (
                EventOccurrence.objects.filter(
                    pk__in=EventOccurrence.objects.filter(recent).values("pk")
                )
                .select_related("page")
                .order_by("start", "pk")[:MAX_DATE_CHOICES]
            )
            choices = [(str(occurrence.pk), str(occurrence)) for occurrence in occurrences]
            cache[key] = choices
        return choices

    def queryset(self, request, queryset):
        value = parse_int(self.value())
        if value is not None:
            return queryset.filter(occurrence_id=value)
        return queryset


# -- list and exports ---------------------------------------------------------------------------


def local_datetime_text(value):
    return date_format(timezone.localtime(value), "d/m/Y H:i") if value else ""


def local_naive_datetime(value):
    return timezone.make_naive(value) if timezone.is_aware(value) else value


class RegistrationIndexView(SafeSpreadsheetExportMixin, IndexView):
    """The registrations, their filters and exports (what people typed is exported as text,
    see cress_site.spreadsheets)."""

    export_headings = {
        "event": "Événement",
        "date": "Date",
        "name": "Nom et prénom",
        "email": "E-mail",
        "organisation": "Structure",
        "profile": "Profil",
        "territory": "Territoire",
        "status": "Statut",
        "created_at": "Inscrite le",
        "consent_at": "Consentement donné le",
        "confirmed_at": "Adresse confirmée le",
    }
    # Times in the exports are Paris times, as the editors read them.
    custom_value_preprocess = {
        datetime.datetime: {
            IndexView.FORMAT_XLSX: local_naive_datetime,
            IndexView.FORMAT_CSV: local_datetime_text,
        },
        (datetime.date, datetime.time): {IndexView.FORMAT_XLSX: None},
        list: {IndexView.FORMAT_CSV: list_to_str, IndexView.FORMAT_XLSX: list_to_str},
    }

    def get_filters_params(self, params=None):
        """The parameters of the list's own filters; any other is ignored.

        wagtail_modeladmin applies every other parameter of the query string as a lookup on the
        registrations (Django's admin refuses them): a name that is no field answers 500, and
        so does a lookup the database refuses (`email__regex=(`).
        """
        lookup_params = super().get_filters_params(params)
        if not lookup_params:  # also how `filter_parameters` reads the filters
            return lookup_params
        return {
            name: value for name, value in lookup_params.items() if name in self.filter_parameters
        }

    @cached_property
    def filter_parameters(self):
        """The names of the parameters the list filters read."""
        params, self.params = self.params, QueryDict()
        try:
            filter_specs = super().get_filters(self.request)[0]
        finally:
            self.params = params
        return {name for spec in filter_specs for name in spec.expected_parameters()}

    def get_filename(self):
        return f"{super().get_filename()}-{timezone.localdate().isoformat()}"

    def to_row_dict(self, item):
        occurrence = item.occurrence
        values = {
            "event": occurrence.page.title,
            "date": occurrence.date_label,
            "name": item.name,
            "email": item.email,
            "organisation": item.organisation,
            "profile": item.get_profile_display(),
            "territory": item.territory.name if item.territory_id else "",
            "status": item.get_status_display(),
            "created_at": item.created_at,
            "consent_at": item.consent_at or "",
            "confirmed_at": item.confirmed_at or "",
        }
        return OrderedDict((field, values[field]) for field in self.list_export)


# -- editing ------------------------------------------------------------------------------------


class RegistrationAdminForm(WagtailAdminModelForm):
    """A person's details only; the date and the status change through cancelling."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        territory = self.fields.get("territory")
        if territory is not None:
            current = Q(pk=self.instance.territory_id) if self.instance.territory_id else Q()
            territory.queryset = Territory.objects.filter(
                Q(kind=Territory.Kind.DEPARTEMENT) | current
            ).order_by("name")
            territory.empty_label = "Hors de Normandie ou non indiqué"

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Indiquez le nom et le prénom.")
        return name

    def clean_email(self):
        email = normalise_email(self.cleaned_data["email"])
        instance = self.instance
        if (
            instance.pk is not None
            and instance.status in OPEN
            and Registration.objects.filter(
                occurrence_id=instance.occurrence_id, email=email, status__in=OPEN
            )
            .exclude(pk=instance.pk)
            .exists()
        ):
            raise forms.ValidationError("Cette adresse e-mail est déjà inscrite à cette date.")
        return email

    def clean_organisation(self):
        return self.cleaned_data["organisation"].strip()


# -- cancelling ---------------------------------------------------------------------------------


class CancelRegistrationView(InstanceSpecificView):
    """Confirm, then cancel a registration through `events.registration.cancel`."""

    page_title = "Annuler l'inscription"
    template_name = "events/admin/cancel_registration.html"

    def check_action_permitted(self, user):
        return self.permission_helper.user_can_edit_obj(user, self.instance)

    def get_meta_title(self):
        return f"Annuler l'inscription de {self.instance.name}"

    def get_page_subtitle(self):
        return self.instance.name

    def get_template_names(self):
        return [self.template_name]

    @property
    def back_url(self):
        return safe_next_url(self.request, self.index_url)

    def get_context_data(self, **kwargs):
        registration = self.instance
        occurrence = registration.occurrence
        frees_a_place = registration.status == Registration.Status.CONFIRMED
        waiting = 0
        if frees_a_place:
            waiting = occurrence.registrations.filter(status=Registration.Status.WAITING).count()
        context = {
            "registration": registration,
            "occurrence": occurrence,
            "event": occurrence.page,
            "is_cancelled": registration.status == Registration.Status.CANCELLED,
            "frees_a_place": frees_a_place,
            "waiting_count": waiting,
            "is_past": occurrence.start <= timezone.now(),
            "back_url": self.back_url,
            "action_url": self.request.get_full_path(),
        }
        context.update(kwargs)
        return super().get_context_data(**context)

    def post(self, request, *args, **kwargs):
        if self.instance.status == Registration.Status.CANCELLED:
            messages.warning(request, "Cette inscription était déjà annulée.")
            return redirect(self.back_url)
        outcome = cancel(self.instance)
        log(instance=outcome.registration, action="events.registration.cancel")
        if outcome.promoted is not None:
            message = (
                f"Inscription annulée. {outcome.promoted.name}, sur la liste d'attente, a reçu la "
                "place libérée ; un e-mail l'en informe."
            )
        else:
            message = "Inscription annulée. La personne en est informée par e-mail."
        messages.success(request, message)
        return redirect(self.back_url)


# -- deleting -----------------------------------------------------------------------------------


def delete_registration(registration):
    """Delete a registration (a request to erase personal data): a confirmed place goes to the
    first person waiting, as when cancelling, but the deleted person gets no e-mail.

    Returns the registration promoted, if any.
    """
    with transaction.atomic():
        occurrence = (
            EventOccurrence.objects.select_for_update()
            .select_related("page")
            .filter(pk=registration.occurrence_id)
            .first()
        )
        current = Registration.objects.filter(pk=registration.pk).first()
        if current is None:
            return None
        freed_place = current.status == Registration.Status.CONFIRMED
        ModelLogEntry.objects.for_instance(current).update(label=anonymous_label(current))
        log(instance=current, action="wagtail.delete", title=anonymous_label(current))
        current.delete()
        if freed_place and occurrence is not None:
            return promote_waiting(occurrence)
    return None


class RegistrationDeleteView(DeleteView):
    def confirmation_message(self):
        message = (
            "Supprimer définitivement cette inscription et les données de la personne "
            f"({self.instance.name}, {self.instance.email}) ?"
        )
        if self.instance.status == Registration.Status.CONFIRMED:
            message += (
                " Sa place reviendra à la première personne de la liste d'attente, s'il y en a "
                "une. Pour garder une trace de l'inscription, annulez-la plutôt."
            )
        return message

    def post(self, request, *args, **kwargs):
        if not self.check_action_permitted(request.user):
            raise PermissionDenied
        promoted = delete_registration(self.instance)
        message = "Inscription supprimée."
        if promoted is not None:
            message += f" {promoted.name}, sur la liste d'attente, a reçu la place libérée."
        messages.success(request, message)
        return redirect(self.index_url)


class RegistrationSummaryPanel(Panel):
    """In the registration editor: the date, the status and how to cancel, read only."""

    def __init__(self, heading="Inscription", **kwargs):
        super().__init__(heading=heading, **kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "events/admin/registration_summary_panel.html"

        def get_context_data(self, parent_context=None):
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
