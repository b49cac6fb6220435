"""Remove Wagtail's default groups "Editors" and "Moderators", created by Wagtail's own
migrations beside the site's French roles.

They grant more than the roles that replace them (an "Editors" member may replace the file of any
document, on a live page too, without review). Their members join the matching role
("Editors" → Rédacteurs, "Moderators" → Modérateurs), keeping access to the admin, then the
groups are deleted with their page and collection permissions, and they are taken out of the
approval task of Wagtail's default workflow (which no page uses since 0003_workflow).

Not reversible in substance: undoing it leaves the roles as they are and does not recreate the
groups (their permissions were Wagtail's defaults, which a new install shows).
"""

from django.conf import settings
from django.db import migrations

REPLACEMENTS = {"Editors": "Rédacteurs", "Moderators": "Modérateurs"}


def remove_default_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    User = apps.get_model(settings.AUTH_USER_MODEL)
    for old_name, new_name in REPLACEMENTS.items():
        old = Group.objects.filter(name=old_name).first()
        if old is None:
            continue
        new = Group.objects.filter(name=new_name).first()
        if new is not None:
            for user in User.objects.filter(groups=old):
                user.groups.add(new)
        old.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0003_workflow"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(remove_default_groups, migrations.RunPython.noop)]
