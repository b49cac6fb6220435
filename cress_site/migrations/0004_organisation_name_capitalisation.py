"""The chamber's full name in French capitalisation, as a default and where the old one stayed.

A site whose name is still the old default ("Chambre Régionale de l'Économie Sociale et
Solidaire de Normandie") gets the new one; a name an editor changed is left as it is.
"""

from django.db import migrations, models

OLD = "Chambre Régionale de l'Économie Sociale et Solidaire de Normandie"
NEW = "Chambre régionale de l'économie sociale et solidaire de Normandie"


def lower_case(apps, schema_editor):
    apps.get_model("cress_site", "OrganisationSettings").objects.filter(name=OLD).update(name=NEW)


def capitals(apps, schema_editor):
    apps.get_model("cress_site", "OrganisationSettings").objects.filter(name=NEW).update(name=OLD)


class Migration(migrations.Migration):
    dependencies = [("cress_site", "0003_documents_private_storage")]

    operations = [
        migrations.AlterField(
            model_name="organisationsettings",
            name="name",
            field=models.CharField(
                default=NEW,
                help_text="Affiché dans le pied de page et transmis aux moteurs de recherche.",
                max_length=255,
                verbose_name="nom complet",
            ),
        ),
        migrations.RunPython(lower_case, capitals),
    ]
