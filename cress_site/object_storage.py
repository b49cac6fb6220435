"""Uploaded files on S3-compatible object storage (django-storages), for several app servers.

When the site runs on more than one machine, no machine's disk can hold the uploads: every app
server reads and writes them in one bucket (`AWS_STORAGE_BUCKET_NAME`; the settings are built by
`cress_site.settings.object_storage`). The rules of `cress_site.files` stay whole:

- Every object is private (no ACL grant, no public bucket policy needed): nothing in the bucket
  is readable at its bucket address, so a cover whose document is private, an original image
  with its camera metadata or a restricted document cannot be fetched by guessing its key.
- Images (`MediaS3Storage`, the default storage): their address is still the site's own,
  under MEDIA_URL, so that a page links to `/media/images/…` and the checked view
  (`cress_site.files.serve_media`) decides, then streams the object. Streamed rather than
  redirected: renditions are small, their response may be kept by browsers and a CDN for
  MEDIA_CACHE_SECONDS (a redirect to a signed address could be kept no longer than the
  signature lives, and the address changes at each signature, so no browser would reuse the
  file), and the cached pages keep the same addresses whatever the storage.
- Documents (`PrivateS3Storage`, the "private" storage): no address of their own (`url()` is
  refused, as on disk). Once a checked view has decided (Wagtail's `/documents/…` view and its
  hooks, a publication's download routes), the visitor is redirected to a signed address of
  the object that lives PRIVATE_MEDIA_URL_SECONDS (60 s by default) and names the file as the
  site would (`PrivateS3Storage.signed_url`, asked by cress_site.files). Redirected rather
  than streamed: documents weigh up to 50 MB, and an app worker streaming one to a slow
  connection serves nobody else meanwhile; the signature is checked when the download starts,
  so a short life is enough, and a link copied from the address bar stops working a minute
  later. PRIVATE_MEDIA_REDIRECT=0 streams them through the app server instead (when the
  bucket's address cannot be reached by browsers).
"""

from urllib.parse import urljoin

from django.conf import settings
from django.utils.encoding import filepath_to_uri

from storages.backends.s3 import S3Storage


class MediaS3Storage(S3Storage):
    """Images and their renditions in the bucket, addressed through the site's checked view."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        return urljoin(settings.MEDIA_URL, filepath_to_uri(name).lstrip("/"))


class PrivateS3Storage(S3Storage):
    """Documents in the bucket: no address, only short-lived signed ones given by checked
    views."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        raise NotImplementedError("Les fichiers privés n'ont pas d'adresse publique.")

    def signed_url(self, name, *, disposition=None, content_type=None):
        """A signed address of the object `name`, valid PRIVATE_MEDIA_URL_SECONDS, whose
        response carries `disposition` (a `Content-Disposition` header: the file's name) and
        `content_type`."""
        parameters = {}
        if disposition:
            parameters["ResponseContentDisposition"] = disposition
        if content_type:
            parameters["ResponseContentType"] = content_type
        return super().url(name, parameters=parameters, expire=settings.PRIVATE_MEDIA_URL_SECONDS)
