"""The editorial team's groups: Rédacteurs, Modérateurs, Administrateurs.

Idempotent (a group that exists is completed, not duplicated) and reversible (the groups are
deleted, with their page and collection permissions). Names and permissions are copied here
rather than imported, so that this migration keeps doing what it did when it was written.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Rédacteurs"
MODERATORS = "Modérateurs"
ADMINISTRATORS = "Administrateurs"

ACCESS_ADMIN = ("wagtailadmin", "access_admin")


def model_permissions(app_label, model_name, actions=("add", "change", "delete", "view")):
    return [(app_label, f"{action}_{model_name}") for action in actions]


# Permissions held through the group itself (Django's model permissions).
GROUP_PERMISSIONS = {
    EDITORS: [ACCESS_ADMIN],
    MODERATORS: [
        ACCESS_ADMIN,
        # Taxonomies (snippets).
        *model_permissions("cress_site", "territory"),
        *model_permissions("cress_site", "theme"),
        *model_permissions("events", "audience"),
        *model_permissions("projects_showcase", "supporttype"),
        # Event registrations (wagtail-modeladmin: listing needs any of them, editing and
        # cancelling "change", deleting "delete"; they are only added through the public form).
        *model_permissions("events", "registration", ("view", "change", "delete")),
        # The chamber's details (Paramètres > Coordonnées de la CRESS).
        *model_permissions("cress_site", "organisationsettings", ("view", "change")),
        # Answers to the site's forms (see editorial.wagtail_hooks).
        *model_permissions("wagtailforms", "formsubmission", ("view", "delete")),
        # Search statistics report.
        ("search", "view_searchqueryday"),
        # Promoted search results and redirects.
        *model_permissions("wagtailsearchpromotions", "searchpromotion"),
        *model_permissions("wagtailredirects", "redirect"),
    ],
    # ADMINISTRATORS: every permission (see add_groups).
}

# Page permissions, held on the root page and therefore on every page of every site.
PAGE_PERMISSIONS = {
    EDITORS: ["add_page", "change_page"],
    MODERATORS: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
    ADMINISTRATORS: [
        "add_page",
        "change_page",
        "publish_page",
        "bulk_delete_page",
        "lock_page",
        "unlock_page",
    ],
}


def create_all_permissions(apps, schema_editor):
    """Permissions are normally created after the last migration: in a new database, they do
    not exist yet when this one runs."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, using=schema_editor.connection.alias, apps=apps)
        app_config.models_module = None


def get_permission(Permission, app_label, codename):
    try:
        return Permission.objects.get(content_type__app_label=app_label, codename=codename)
    except Permission.DoesNotExist:
        raise LookupError(f"Permission {app_label}.{codename} not found.") from None


def add_groups(apps, schema_editor):
    create_all_permissions(apps, schema_editor)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")

    root_page = Page.objects.filter(depth=1).order_by("path").first()
    for name in (EDITORS, MODERATORS, ADMINISTRATORS):
        group, _created = Group.objects.get_or_create(name=name)
        if name == ADMINISTRATORS:
            group.permissions.add(*Permission.objects.all())
        else:
            group.permissions.add(
                *(get_permission(Permission, *key) for key in GROUP_PERMISSIONS[name])
            )
        if root_page is None:
            continue
        for codename in PAGE_PERMISSIONS[name]:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=root_page,
                permission=get_permission(Permission, "wagtailcore", codename),
            )


def remove_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=[EDITORS, MODERATORS, ADMINISTRATORS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
        ("wagtailforms", "0005_alter_formsubmission_form_data"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
        ("wagtailsearchpromotions", "0008_query_verbose_name"),
        ("wagtailusers", "0015_userprofile_keyboard_shortcuts"),
        ("cress_site", "0001_initial"),
        ("events", "0002_audiences"),
        ("home", "0001_initial"),
        ("projects_showcase", "0003_shared_index_intro"),
        ("publications", "0002_shared_index_intro"),
        ("search", "0002_searchqueryday"),
    ]

    operations = [migrations.RunPython(add_groups, remove_groups)]
