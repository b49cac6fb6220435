"""Background work: what the site reads from an uploaded PDF."""

import hashlib
import io
import logging

from django.core.files.images import ImageFile
from django.db import transaction
from django.dispatch import Signal

from wagtail.search import index

from django_tasks import task

from cress_site import cache as content_cache
from cress_site.models import CustomDocument, CustomImage
from cress_site.pdf import PdfStatus, read_pdf, render_cover

logger = logging.getLogger(__name__)

# Sent after a document's text has been (re)read, so that pages using it can be reindexed.
document_analysed = Signal()

COVER_CREDIT = "Première page du document"


@task()
def analyse_document(document_id):
    """Read a document's text and page count, and draw its cover from the first page."""
    document = CustomDocument.objects.filter(pk=document_id).first()
    if document is None:
        return
    with document.open_file() as handle:
        data = handle.read()
    file_hash = hashlib.sha1(data).hexdigest()

    updates = {"analysed_hash": file_hash, "file_hash": document.file_hash or file_hash}
    if not document.is_pdf:
        updates.update(
            text_status=CustomDocument.TextStatus.NOT_PDF,
            text_message="",
            extracted_text="",
            page_count=None,
        )
    else:
        info = read_pdf(data)
        updates.update(
            text_status=info.status,
            text_message=info.message,
            extracted_text=info.text,
            page_count=info.page_count,
        )
        if info.status != PdfStatus.INVALID and info.status != PdfStatus.ENCRYPTED:
            cover = render_cover(data)
            if cover is not None:
                updates["cover"] = _save_cover(document, cover, CustomImage)

    with transaction.atomic():
        old_cover_id = document.cover_id
        CustomDocument.objects.filter(pk=document.pk).update(**updates)
        if old_cover_id and old_cover_id != getattr(updates.get("cover"), "pk", old_cover_id):
            CustomImage.objects.filter(pk=old_cover_id, credit=COVER_CREDIT).delete()
    document.refresh_from_db()
    index.insert_or_update_object(document)
    document_analysed.send(sender=CustomDocument, document=document)
    # Its text, page count and cover were written without save(): the pages showing it, and
    # the searches finding it, start a new cache generation once the publications are reindexed.
    content_cache.bump()


def _save_cover(document, pil_image, image_model):
    buffer = io.BytesIO()
    pil_image.save(buffer, format="PNG", optimize=True)
    buffer.seek(0)
    name = f"couverture-{document.pk}.png"
    image = image_model(
        title=f"Couverture : {document.title}"[:255],
        description=f"Couverture du document « {document.title} »"[:255],
        credit=COVER_CREDIT,
        collection_id=document.collection_id,
        file=ImageFile(buffer, name=name),
    )
    image.save()
    return image


def schedule_analysis(document):
    """Analyse `document` once the current transaction has committed, off the request if the
    task backend runs tasks in a worker."""
    document_id = document.pk
    transaction.on_commit(lambda: analyse_document.enqueue(document_id))
