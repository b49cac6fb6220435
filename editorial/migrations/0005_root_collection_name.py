"""Name the root collection "Toutes les collections" instead of Wagtail's "Root", which the
editors read in the upload forms' lists and the collection filters.

Only a root collection still named "Root" is renamed, and undoing it gives it that name back.
"""

from django.db import migrations

WAGTAIL_NAME = "Root"
NAME = "Toutes les collections"  # editorial.collections.ROOT_COLLECTION


def rename(apps, old, new):
    Collection = apps.get_model("wagtailcore", "Collection")
    Collection.objects.filter(depth=1, name=old).update(name=new)


def name_the_root_collection(apps, schema_editor):
    rename(apps, WAGTAIL_NAME, NAME)


def give_back_wagtails_name(apps, schema_editor):
    rename(apps, NAME, WAGTAIL_NAME)


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0004_remove_wagtail_default_groups"),
    ]

    operations = [migrations.RunPython(name_the_root_collection, give_back_wagtails_name)]
