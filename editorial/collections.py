"""The collections that sort the image and document library, created by this app's migrations."""

from wagtail.models import Collection

# The root collection's name, given by a migration in place of Wagtail's "Root".
ROOT_COLLECTION = "Toutes les collections"

OBSERVATORY = "Observatoire"
EVENTS = "Événements"
PROJECTS = "Projets"
INSTITUTIONAL = "Institutionnel"

# In the order they are created, which is the order of the upload forms' lists.
COLLECTIONS = [OBSERVATORY, EVENTS, PROJECTS, INSTITUTIONAL]


def get_collection(name):
    """The collection of that name directly under the root collection, or None."""
    return Collection.objects.filter(depth=2, name=name).order_by("path").first()


def observatory_collection():
    """Where the observatory's publications (their PDFs) go by default."""
    return get_collection(OBSERVATORY)
