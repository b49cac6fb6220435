"""The documents publications use, for the visibility of files (cress_site.visibility): a
document is public only when a page the public may see uses it."""

from cress_site.visibility import public
from publications.models import PublicationAnnex, PublicationPage


def document_users():
    """The documents publications use (main PDF or annex, in their published version or in a
    draft not published yet), and those used by a publication the public may see
    (cress_site.visibility.register_document_users)."""
    visible = public(PublicationPage.objects.all(), None).values("pk")
    main = PublicationPage.objects.exclude(document=None).values_list("document_id", flat=True)
    annexes = PublicationAnnex.objects.exclude(document=None).values_list("document_id", flat=True)
    used = set(main) | set(annexes)
    drafts = PublicationPage.objects.filter(has_unpublished_changes=True).values_list(
        "latest_revision__content", flat=True
    )
    for content in drafts:
        used |= draft_documents(content)
    publicly_used = set(main.filter(pk__in=visible)) | set(annexes.filter(page__in=visible))
    return used, publicly_used


def draft_documents(content):
    """The ids of the documents a publication's revision (its `content`) uses."""
    if not isinstance(content, dict):
        return set()
    ids = {content.get("document")}
    ids |= {annex.get("document") for annex in content.get("annexes") or [] if annex}
    return {pk for pk in ids if isinstance(pk, int)}
