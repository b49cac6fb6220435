from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from wagtail.models import Collection, CollectionViewRestriction, Revision
from wagtail.search import index

from cress_site.models import CustomDocument
from cress_site.signal_handlers import content_changed
from cress_site.tasks import document_analysed
from publications.document_users import draft_documents
from publications.models import PublicationAnnex, PublicationPage


def reindex_publications(documents):
    """Reindex the publications whose main PDF is among `documents` (a queryset): its text is
    searchable through them, unless the document sits in a private collection."""
    publications = PublicationPage.objects.filter(document__in=documents.values("pk"))
    for publication in publications.select_related("document"):
        index.insert_or_update_object(publication)


@receiver(document_analysed)
def reindex_publications_of_document(sender, document, **kwargs):
    """A PDF's text is searchable through its publications: reindex them once it is read."""
    reindex_publications(CustomDocument.objects.filter(pk=document.pk))


@receiver(post_save, sender=CustomDocument)
def reindex_publications_of_saved_document(sender, instance, raw=False, **kwargs):
    """A document moved into (or out of) a private collection takes its text out of (or back
    into) the search."""
    if not raw:
        reindex_publications(CustomDocument.objects.filter(pk=instance.pk))


@receiver(post_save, sender=CollectionViewRestriction)
@receiver(post_delete, sender=CollectionViewRestriction)
@receiver(post_save, sender=Collection)
def reindex_publications_of_collection(sender, instance, raw=False, **kwargs):
    """A collection made private (or public again), or moved: the text of its documents and of
    those of its sub-collections leaves (or comes back into) the search."""
    if raw:
        return
    collection = instance if isinstance(instance, Collection) else instance.collection
    below = Collection.objects.filter(path__startswith=collection.path)
    reindex_publications(
        CustomDocument.objects.filter(Q(collection__in=below) | Q(collection=collection))
    )


@receiver(post_save, sender=Revision)
def keep_drafts_documents_private(sender, instance, raw=False, **kwargs):
    """A draft of a publication that brings a new PDF or annex: that file is not public until
    the draft is published (cress_site.visibility reads the drafts' documents once per content
    generation, so a new generation starts)."""
    if raw:
        return
    if instance.content_type_id != ContentType.objects.get_for_model(PublicationPage).pk:
        return
    in_draft = draft_documents(instance.content)
    if not in_draft:
        return
    page_id = int(instance.object_id)
    published = set(
        PublicationPage.objects.filter(pk=page_id).values_list("document_id", flat=True)
    ) | set(PublicationAnnex.objects.filter(page_id=page_id).values_list("document_id", flat=True))
    if not in_draft <= published:
        content_changed(sender)
