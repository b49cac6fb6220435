"""Documents move out of MEDIA_ROOT into the private storage (cress_site.storage).

The files already uploaded are moved there under the same names, so that an existing install
keeps serving them (through the views that check who asks) and no longer has them under
MEDIA_URL. A file already in the private storage, or missing from both, is left as it is.
"""

from django.core.files.storage import default_storage, storages
from django.db import migrations, models

import cress_site.storage


def move(source, target, names):
    for name in names:
        if not name or target.exists(name) or not source.exists(name):
            continue
        with source.open(name, "rb") as handle:
            saved = target.save(name, handle)
        if saved != name:  # the target chose another name: keep the file where it was
            target.delete(saved)
            continue
        source.delete(name)


def document_names(apps):
    Document = apps.get_model("cress_site", "CustomDocument")
    return Document.objects.values_list("file", flat=True).iterator()


def to_private_storage(apps, schema_editor):
    move(default_storage, storages["private"], document_names(apps))


def to_media_root(apps, schema_editor):
    move(storages["private"], default_storage, document_names(apps))


class Migration(migrations.Migration):

    dependencies = [
        ("cress_site", "0002_help_texts"),
    ]

    operations = [
        migrations.AlterField(
            model_name="customdocument",
            name="file",
            field=models.FileField(
                storage=cress_site.storage.private_storage,
                upload_to="documents",
                verbose_name="fichier",
            ),
        ),
        migrations.AddIndex(
            model_name="rendition",
            index=models.Index(fields=["file"], name="cress_rendition_file"),
        ),
        migrations.RunPython(to_private_storage, to_media_root, elidable=True),
    ]
