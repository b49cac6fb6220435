"""The document form of the admin, with the editorial team's default collection."""

from cress_site.forms import DocumentForm as ContentCheckedDocumentForm
from editorial.collections import observatory_collection


class DocumentForm(ContentCheckedDocumentForm):
    """The site's document form (uploads checked by what they contain), where a new document
    goes to the "Observatoire" collection unless the editor picks another one: most documents
    uploaded here are the observatory's publications.
    """

    def __init__(self, *args, **kwargs):
        chosen = "collection" in (kwargs.get("initial") or {})
        super().__init__(*args, **kwargs)
        if not self.instance.pk and not chosen and "collection" in self.fields:
            default = observatory_collection()
            if default is not None and self.collections.filter(pk=default.pk).exists():
                self.initial["collection"] = default.pk
