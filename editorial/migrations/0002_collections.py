"""Collections for images and documents under the root collection, with the groups' rights.

- Rédacteurs: add in the four collections; choose anywhere (files from before the collections
  stay in the root collection). Wagtail lets them edit and delete what they uploaded.
- Modérateurs: add in the four collections; edit, delete and choose anywhere.
- Administrateurs: everything, on the root collection and so on all of them, collections
  themselves included.

Idempotent; reversible (the files of a removed collection go back to the root collection).
"""

from django.db import migrations

EDITORS = "Rédacteurs"
MODERATORS = "Modérateurs"
ADMINISTRATORS = "Administrateurs"

# In this order, which is the order of the upload forms' lists: publications' PDFs first.
COLLECTIONS = ["Observatoire", "Événements", "Projets", "Institutionnel"]

MEDIA = [("wagtailimages", "image"), ("wagtaildocs", "document")]

# {group: (codenames on the root collection, codenames on each new collection)}
COLLECTION_PERMISSIONS = {
    EDITORS: (
        [("wagtailimages", "choose_image"), ("wagtaildocs", "choose_document")],
        [("wagtailimages", "add_image"), ("wagtaildocs", "add_document")],
    ),
    MODERATORS: (
        [
            (app_label, f"{action}_{model}")
            for app_label, model in MEDIA
            for action in ("change", "choose")
        ],
        [("wagtailimages", "add_image"), ("wagtaildocs", "add_document")],
    ),
    ADMINISTRATORS: (
        [
            *(
                (app_label, f"{action}_{model}")
                for app_label, model in MEDIA
                for action in ("add", "change", "choose")
            ),
            *(
                ("wagtailcore", f"{action}_collection")
                for action in ("add", "change", "delete")
            ),
        ],
        [],
    ),
}

STEPLEN = 4  # treebeard's materialised path: four base-36 digits per level
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def child_path(parent, number):
    digits = ""
    while number:
        number, digit = divmod(number, len(ALPHABET))
        digits = ALPHABET[digit] + digits
    return parent.path + digits.rjust(STEPLEN, "0")


def add_collections(apps, schema_editor):
    """Historical models have none of treebeard's methods: the paths are computed here."""
    Collection = apps.get_model("wagtailcore", "Collection")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    root = Collection.objects.filter(depth=1).order_by("path").first()
    collections = []
    for name in COLLECTIONS:
        children = Collection.objects.filter(depth=2, path__startswith=root.path)
        collection = children.filter(name=name).first()
        if collection is None:
            last = children.order_by("-path").first()
            number = int(last.path[-STEPLEN:], 36) + 1 if last else 1
            collection = Collection.objects.create(
                name=name, path=child_path(root, number), depth=2, numchild=0
            )
            root.numchild = children.count()
            root.save(update_fields=["numchild"])
        collections.append(collection)

    for group_name, (on_root, on_each) in COLLECTION_PERMISSIONS.items():
        group = Group.objects.get(name=group_name)
        for targets, codenames in (([root], on_root), (collections, on_each)):
            for app_label, codename in codenames:
                permission = Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                )
                for collection in targets:
                    GroupCollectionPermission.objects.get_or_create(
                        group=group, collection=collection, permission=permission
                    )


def remove_collections(apps, schema_editor):
    Collection = apps.get_model("wagtailcore", "Collection")
    Group = apps.get_model("auth", "Group")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    root = Collection.objects.filter(depth=1).order_by("path").first()
    groups = Group.objects.filter(name__in=COLLECTION_PERMISSIONS)
    GroupCollectionPermission.objects.filter(group__in=groups, collection=root).delete()
    for collection in Collection.objects.filter(depth=2, name__in=COLLECTIONS):
        subtree = Collection.objects.filter(path__startswith=collection.path)
        # Deleting a collection deletes its files: move them to the root collection first.
        for model in apps.get_models():
            if model._meta.label_lower in {
                "wagtailcore.groupcollectionpermission",
                "wagtailcore.collectionviewrestriction",
            }:
                continue
            for field in model._meta.concrete_fields:
                if field.is_relation and field.related_model is Collection:
                    model._base_manager.filter(**{f"{field.name}__in": subtree}).update(
                        **{field.name: root}
                    )
        subtree.delete()
    root.numchild = Collection.objects.filter(depth=2, path__startswith=root.path).count()
    root.save(update_fields=["numchild"])


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0001_roles"),
        ("cress_site", "0001_initial"),
    ]

    operations = [migrations.RunPython(add_collections, remove_collections)]
