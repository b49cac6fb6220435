"""Who may launch an import from the admin (`launch_import`); and the moderators (editorial
team, group « Modérateurs ») keep the directory: they correct and add enterprises and
establishments, read the imports' reports and launch imports. The group's part is skipped if
the group does not exist; administrators hold every permission anyway (editorial.roles)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODERATORS = "Modérateurs"
PERMISSIONS = [
    "add_enterprise",
    "change_enterprise",
    "view_enterprise",
    "add_establishment",
    "change_establishment",
    "view_establishment",
    "view_importrun",
    "view_importchange",
    "launch_import",
]


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=MODERATORS).first()
    if group is None:
        return
    app_config = apps.get_app_config("directory")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, using=schema_editor.connection.alias, apps=apps)
    app_config.models_module = None
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="directory", codename__in=PERMISSIONS)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=MODERATORS).first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="directory", codename__in=PERMISSIONS
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("editorial", "0001_roles"),
        ("directory", "0002_importrun_report"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="importrun",
            options={
                "ordering": ["-started_at"],
                "permissions": [("launch_import", "Peut lancer un import de l'annuaire")],
                "verbose_name": "import de l'annuaire",
                "verbose_name_plural": "imports de l'annuaire",
            },
        ),
        migrations.RunPython(grant, revoke),
    ]

