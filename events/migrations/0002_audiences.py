from django.db import migrations

# The audiences the chamber's events address; editors can add others under Taxonomies.
AUDIENCES = [
    ("Porteurs de projet", "porteurs-de-projet"),
    ("Élus et techniciens de collectivités", "elus-et-techniciens-de-collectivites"),
    ("Structures de l'ESS", "structures-de-less"),
    ("Grand public", "grand-public"),
]


def create_audiences(apps, schema_editor):
    Audience = apps.get_model("events", "Audience")
    for name, slug in AUDIENCES:
        Audience.objects.get_or_create(slug=slug, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial")]

    operations = [migrations.RunPython(create_audiences, migrations.RunPython.noop)]
