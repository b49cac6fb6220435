"""The events calendar in the Wagtail admin: the registrations list, the dashboard panel and
the events' audiences among the shared taxonomies."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import quote
from django.db.models import Case, F, Q, Value, When
from django.urls import re_path
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from wagtail import hooks
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.snippets.models import register_snippet

from wagtail_modeladmin.helpers import ButtonHelper, PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register

from cress_site.demo import DEMO_CONTENT_HOOK, DemoLoader
from cress_site.panels import FrenchSnippetViewSet
from cress_site.wagtail_hooks import TAXONOMIES_MENU_HOOK
from events.admin_views import (
    CancelRegistrationView,
    EventListFilter,
    OccurrenceListFilter,
    RegistrationAdminForm,
    RegistrationDeleteView,
    RegistrationIndexView,
    RegistrationSummaryPanel,
)
from events.dashboard import UpcomingEventsPanel
from events.models import Audience, EventPage, Registration


class RegistrationPermissionHelper(PermissionHelper):
    """Modeladmin's permissions on `events.Registration`, but nobody adds a registration here:
    people register through the form on the event's page."""

    def user_can_create(self, user):
        return False


class RegistrationButtonHelper(ButtonHelper):
    def edit_button(self, pk, classnames_add=None, classnames_exclude=None):
        button = super().edit_button(pk, classnames_add, classnames_exclude)
        button["title"] = "Modifier les coordonnées de la personne"
        return button

    def delete_button(self, pk, classnames_add=None, classnames_exclude=None):
        button = super().delete_button(pk, classnames_add, classnames_exclude)
        button["title"] = "Supprimer l'inscription et les données de la personne"
        return button

    def cancel_button(self, obj, classnames_add=None, classnames_exclude=None):
        url = self.url_helper.get_action_url("cancel", quote(obj.pk))
        url += "?" + urlencode({"next": self.request.get_full_path()})
        classnames = ["button-secondary", *(classnames_add or [])]
        return {
            "url": url,
            "label": "Annuler l'inscription",
            "classname": self.finalise_classname(classnames, classnames_exclude),
            "title": f"Annuler l'inscription de {obj.name}",
        }

    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        exclude = exclude or []
        buttons = super().get_buttons_for_obj(obj, exclude, classnames_add, classnames_exclude)
        if (
            "cancel" not in exclude
            and obj.status != Registration.Status.CANCELLED
            and self.permission_helper.user_can_edit_obj(self.request.user, obj)
        ):
            buttons.insert(
                min(1, len(buttons)), self.cancel_button(obj, classnames_add, classnames_exclude)
            )
        return buttons


class RegistrationAdmin(ModelAdmin):
    model = Registration
    menu_label = "Inscriptions"
    menu_icon = "group"
    menu_order = 120  # right after the pages and the publications
    add_to_admin_menu = True
    list_display = (
        "name",
        "email_address",
        "organisation",
        "event_title",
        "occurrence_date",
        "status",
        "created_at",
    )
    list_filter = (
        "status",
        ("occurrence__page", EventListFilter),
        OccurrenceListFilter,
        "profile",
    )
    search_fields = ("name", "email", "organisation", "occurrence__page__title")
    list_select_related = ("occurrence__page", "territory")
    list_per_page = 50
    list_export = [
        "event",
        "date",
        "name",
        "email",
        "organisation",
        "profile",
        "territory",
        "status",
        "created_at",
        "consent_at",
        "confirmed_at",
    ]
    export_filename = "inscriptions"
    # Status words and addresses that are never cut mid-word, action buttons that wrap.
    index_view_extra_css = ["events/admin/registrations.css"]
    index_view_class = RegistrationIndexView
    delete_view_class = RegistrationDeleteView
    cancel_view_class = CancelRegistrationView
    permission_helper_class = RegistrationPermissionHelper
    button_helper_class = RegistrationButtonHelper
    edit_handler = ObjectList(
        [
            RegistrationSummaryPanel(),
            FieldPanel("name"),
            FieldPanel("email"),
            FieldPanel("organisation"),
            FieldPanel("profile"),
            FieldPanel("territory", widget=forms.Select),
        ],
        base_form_class=RegistrationAdminForm,
    )

    def get_ordering(self, request):
        """The upcoming dates first, soonest on top, then the past ones, latest first; each
        date's registrations in the order they came."""
        upcoming = Q(occurrence__end__gte=timezone.now())
        return (
            Case(When(upcoming, then=Value(0)), default=Value(1)).asc(),
            Case(When(upcoming, then=F("occurrence__start"))).asc(nulls_last=True),
            F("occurrence__start").desc(),
            "occurrence_id",
            "created_at",
            "pk",
        )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.list_select_related)

    @admin.display(description="e-mail", ordering="email")
    def email_address(self, obj):
        """The address, which may wrap after its "@" and before a dot of its domain only."""
        local, _, domain = obj.email.rpartition("@")
        domain_parts = format_html_join(
            mark_safe("<wbr>."), "{}", ((part,) for part in domain.split("."))
        )
        return format_html("{}@<wbr>{}", local, domain_parts) if local else obj.email

    @admin.display(description="événement", ordering="occurrence__page__title")
    def event_title(self, obj):
        return obj.occurrence.page.title

    @admin.display(description="date", ordering="occurrence__start")
    def occurrence_date(self, obj):
        return obj.occurrence.date_label

    def cancel_view(self, request, instance_pk):
        view_class = self.cancel_view_class
        return view_class.as_view(model_admin=self, instance_pk=instance_pk)(request)

    def get_admin_urls_for_registration(self):
        return (
            *super().get_admin_urls_for_registration(),
            re_path(
                self.url_helper.get_action_url_pattern("cancel"),
                self.cancel_view,
                name=self.url_helper.get_action_url_name("cancel"),
            ),
        )


modeladmin_register(RegistrationAdmin)


PLACES_WITHOUT_REGISTRATION = (
    "«\u00a0{title}\u00a0»\u00a0: un nombre de places est indiqué, mais «\u00a0Inscriptions sur le "
    "site\u00a0» n'est pas coché\u00a0: la page n'affiche aucun formulaire d'inscription. "
    "Cochez la case pour ouvrir les inscriptions, ou videz le nombre de places."
)


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def warn_of_places_without_registration(request, page):
    """A warning, without refusing the save, when an event has a number of places but takes no
    registration on the site: the editor may mean to open registrations later. Not on
    autosave (a JSON request), which the editor does not see."""
    if not request.accepts("text/html"):
        return
    if isinstance(page, EventPage) and page.capacity and not page.registration_enabled:
        messages.warning(request, PLACES_WITHOUT_REGISTRATION.format(title=page.title))


@hooks.register("construct_homepage_panels")
def add_upcoming_events_panel(request, panels):
    panels.append(UpcomingEventsPanel(request))


@hooks.register("register_log_actions")
def register_registration_log_actions(actions):
    actions.register_action(
        "events.registration.cancel", "Annulation d'inscription", "Inscription annulée"
    )


class AudienceViewSet(FrenchSnippetViewSet):
    """The events' audiences, listed in the shared "Taxonomies" menu after themes and
    territories."""

    model = Audience
    add_item_label = "Ajouter un public"
    icon = "group"
    menu_label = "Publics des événements"
    menu_hook = TAXONOMIES_MENU_HOOK
    menu_order = 3
    list_display = ["name", "slug"]


register_snippet(AudienceViewSet)


@hooks.register(DEMO_CONTENT_HOOK)
def register_demo_content():
    return DemoLoader("events", 30, "events.demo.build_events")
