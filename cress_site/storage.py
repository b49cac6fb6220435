"""Where uploaded documents are kept: apart from MEDIA_ROOT, with no public address.

Documents (PDFs of publications, annexes, files linked from pages) are stored by the storage
named "private" in `STORAGES` (by default a folder, `PRIVATE_MEDIA_ROOT`; with several app
servers, a private prefix of an S3 bucket: cress_site.object_storage). Nothing serves that
folder as it is: a document reaches a visitor only through a view that checks who asks
(Wagtail's `/documents/…` view, a publication's download routes), which hands the file to the
front server when there is one (`SENDFILE_BACKEND`, see cress_site.files).
"""

from django.core.files.storage import FileSystemStorage, storages


class PrivateFileSystemStorage(FileSystemStorage):
    """Files on disk with no address of their own: `url()` is refused, so that nothing can link
    to the file itself (Wagtail then links documents to its serve view)."""

    def url(self, name):
        raise NotImplementedError("Les fichiers privés n'ont pas d'adresse publique.")


def private_storage():
    """The storage of documents (given to the field as a callable: migrations do not record
    where files are kept)."""
    return storages["private"]
