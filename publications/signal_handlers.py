from django.dispatch import receiver

from wagtail.search import index

from cress_site.tasks import document_analysed
from publications.models import PublicationAnnex, PublicationPage


@receiver(document_analysed)
def reindex_publications_of_document(sender, document, **kwargs):
    """A PDF's text is searchable through its publications: reindex them once it is read."""
    page_ids = set(PublicationPage.objects.filter(document=document).values_list("pk", flat=True))
    page_ids |= set(
        PublicationAnnex.objects.filter(document=document).values_list("page_id", flat=True)
    )
    for publication in PublicationPage.objects.filter(pk__in=page_ids):
        index.insert_or_update_object(publication)
