"""The moderators (group « Modérateurs », editorial.roles), who manage the taxonomies, write the
staff's texts of the portraits. Skipped if the group does not exist; administrators hold every
permission anyway (editorial.roles)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODERATORS = "Modérateurs"
PERMISSIONS = [
    "add_territoryportrait",
    "change_territoryportrait",
    "delete_territoryportrait",
    "view_territoryportrait",
]


def permissions(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    app_config = apps.get_app_config("territories")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, using=schema_editor.connection.alias, apps=apps)
    app_config.models_module = None
    return Permission.objects.filter(
        content_type__app_label="territories", codename__in=PERMISSIONS
    )


def grant(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=MODERATORS).first()
    if group is not None:
        group.permissions.add(*permissions(apps, schema_editor))


def revoke(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=MODERATORS).first()
    if group is not None:
        group.permissions.remove(*permissions(apps, schema_editor))


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("editorial", "0001_roles"),
        ("territories", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
