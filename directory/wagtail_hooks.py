"""The directory in the Wagtail admin, menu « Annuaire de l'ESS »: the enterprises and their
establishments (snippets the staff correct or add; see `directory.forms`), and the imports with
their reports (read only: an import is made by `manage.py import_directory`)."""

import json

from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html

from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView as SnippetIndexView
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cress_site.demo import DEMO_CONTENT_HOOK, DemoLoader
from cress_site.panels import FrenchSnippetChooserViewSet, FrenchSnippetViewSet
from directory.admin_views import LAUNCH_PERMISSION, LaunchImportView
from directory.forms import EnterpriseForm, EstablishmentForm
from directory.models import Enterprise, Establishment, ImportChange, ImportRun


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """What an import wrote is its record: seen, never edited nor added by hand."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        actions = [action for action in actions if action not in ("add", "change", "delete")]
        return super().users_with_any_permission(actions)


register_permission_policy(ImportRun, ReadOnlyPermissionPolicy(ImportRun))
register_permission_policy(ImportChange, ReadOnlyPermissionPolicy(ImportChange))


class EnterpriseChooserViewSet(FrenchSnippetChooserViewSet):
    """Also the widget of every foreign key to an enterprise: the project editor links a
    project to the unit that carries it (projects_showcase.ProjectPage.enterprise)."""

    choose_one_text = "Choisir une entreprise de l'ESS"
    choose_another_text = "Choisir une autre entreprise"
    edit_item_text = "Modifier cette entreprise"


class EnterpriseViewSet(FrenchSnippetViewSet):
    model = Enterprise
    add_item_label = "Ajouter une entreprise"
    chooser_viewset_class = EnterpriseChooserViewSet
    icon = "group"
    menu_label = "Entreprises"
    list_display = [
        "name",
        "siren",
        "family",
        "sector",
        BooleanColumn("is_public", label="Publiée"),
        BooleanColumn("active", label="En activité"),
        "source",
    ]
    list_filter = ["family", "sector", "source", "is_public", "active", "diffusible"]
    list_per_page = 50
    copy_view_enabled = False
    inspect_view_enabled = True
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldPanel("name"),
                    FieldPanel("acronym"),
                    FieldRowPanel([FieldPanel("siren"), FieldPanel("legal_category")]),
                    FieldRowPanel([FieldPanel("family"), FieldPanel("size_band")]),
                    FieldPanel("activity"),
                    FieldPanel("sector"),
                ],
                heading="Identité",
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("created_on"), FieldPanel("closed_on")]),
                    FieldPanel("active"),
                    FieldPanel("diffusible"),
                    FieldPanel("natural_person"),
                ],
                heading="Situation",
            ),
            MultiFieldPanel(
                [FieldPanel("website"), FieldPanel("description")], heading="Présentation"
            ),
            FieldPanel("staff_fields"),
        ],
        base_form_class=EnterpriseForm,
    )


class EstablishmentViewSet(FrenchSnippetViewSet):
    model = Establishment
    add_item_label = "Ajouter un établissement"
    icon = "home"
    menu_label = "Établissements"
    list_display = [
        "__str__",
        "enterprise",
        "city",
        "postcode",
        BooleanColumn("head_office", label="Siège"),
        BooleanColumn("active", label="En activité"),
        "source",
    ]
    list_filter = ["active", "head_office", "source", "sector"]
    list_per_page = 50
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldPanel("enterprise"),
            FieldRowPanel([FieldPanel("siret"), FieldPanel("head_office")]),
            FieldPanel("name"),
            MultiFieldPanel(
                [
                    FieldPanel("address"),
                    FieldPanel("address_complement"),
                    FieldRowPanel([FieldPanel("postcode"), FieldPanel("city")]),
                    FieldPanel("commune"),
                ],
                heading="Adresse",
            ),
            FieldPanel("activity"),
            FieldRowPanel([FieldPanel("sector"), FieldPanel("size_band")]),
            FieldRowPanel(
                [FieldPanel("created_on"), FieldPanel("active"), FieldPanel("closed_on")]
            ),
            FieldPanel("staff_fields"),
        ],
        base_form_class=EstablishmentForm,
    )


def _changes_link(run):
    url = reverse("wagtailsnippets_directory_importchange:list") + f"?run={run.pk}"
    return format_html('<a href="{}">Voir les changements</a>', url)


def _fields_text(change):
    parts = []
    for name, value in (change.fields or {}).items():
        if isinstance(value, list) and len(value) == 2:
            before, after = (json.dumps(item, ensure_ascii=False) for item in value)
            parts.append(f"{name} : {before} → {after}")
        else:
            parts.append(f"{name} : {value}")
    return " ; ".join(parts)


def _level(change):
    return "Établissement" if change.siret else "Entreprise"


class ImportRunIndexView(SnippetIndexView):
    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if self.request.user.has_perm(LAUNCH_PERMISSION):
            buttons = [
                *buttons,
                HeaderButton(
                    "Lancer un import", url=reverse("directory_launch_import"), icon_name="upload"
                ),
            ]
        return buttons


class ImportRunViewSet(SnippetViewSet):
    model = ImportRun
    index_view_class = ImportRunIndexView
    icon = "history"
    menu_label = "Imports"
    list_display = [
        "__str__",
        DateColumn("started_at", label="Début"),
        "status",
        Column("rows_read", label="Lignes lues"),
        Column("created", label="Nouvelles"),
        Column("updated", label="Modifiées"),
        Column("closed", label="Fermées"),
        Column("reopened", label="Réouvertes"),
        Column("unchanged", label="Inchangées"),
        Column("changes_link", label="Rapport", accessor=_changes_link),
    ]
    list_filter = ["status", "source"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "source",
        "file_name",
        "status",
        "started_at",
        "finished_at",
        "user",
        "rows_read",
        "rows_kept",
        "created",
        "updated",
        "closed",
        "reopened",
        "unchanged",
        "report",
        "error",
    ]
    copy_view_enabled = False
    list_per_page = 50


class ImportChangeViewSet(SnippetViewSet):
    model = ImportChange
    icon = "list-ul"
    menu_label = "Changements importés"
    list_display = [
        "kind",
        Column("level", label="Niveau", accessor=_level),
        "siren",
        "siret",
        "name",
        Column("fields_text", label="Champs : avant → après", accessor=_fields_text),
        "run",
    ]
    list_filter = ["kind", "run"]
    inspect_view_enabled = True
    copy_view_enabled = False
    list_per_page = 100


class DirectoryViewSetGroup(SnippetViewSetGroup):
    items = (EnterpriseViewSet, EstablishmentViewSet, ImportRunViewSet, ImportChangeViewSet)
    menu_icon = "group"
    menu_label = "Annuaire de l'ESS"
    menu_name = "annuaire"
    menu_order = 350


register_snippet(DirectoryViewSetGroup)


@hooks.register("register_admin_urls")
def register_launch_import_url():
    return [
        path(
            "annuaire/lancer-un-import/",
            LaunchImportView.as_view(),
            name="directory_launch_import",
        )
    ]


@hooks.register(DEMO_CONTENT_HOOK)
def register_demo_content():
    return DemoLoader("directory", 50, "directory.demo.build_directory")
