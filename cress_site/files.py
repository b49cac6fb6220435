"""Uploaded files reach visitors only through views that check them.

`send_file` sends a stored file with django-sendfile2: streamed by Django itself, or, when
`SENDFILE_BACKEND` names the front server, handed over to it (`X-Accel-Redirect` for nginx,
`X-Sendfile` for Apache): Django then only checks and names the file, and the front server
sends the bytes. A storage without local files (object storage, cress_site.object_storage) is
read and streamed instead, except documents, whose checked request is redirected to a
short-lived signed address of the object (`signed_file_url`).

`serve_media` answers every address under MEDIA_URL, in every environment (no front server
and no storage bucket serves that folder as it is): it knows Wagtail's two image folders only,
- `images/`: renditions, the only image files the public site links to, served when their
  image is public (cress_site.visibility: a cover is never more public than its document);
- `original_images/`: the files as uploaded, which the public site never links to and which
  may carry what a rendition drops (full resolution, camera and place metadata): editors only.
Anything else under MEDIA_URL (documents stored there before they moved to the private storage,
stray files) answers 404. One indexed query per request finds the rendition's image; what is
not public is read once per content generation.
"""

import os
import posixpath
from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.core.files.storage import FileSystemStorage, default_storage, storages
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from django_sendfile import sendfile

from cress_site.visibility import image_is_public, is_editor

ORIGINALS_FOLDER = "original_images"  # wagtail.images AbstractImage.get_upload_to
RENDITIONS_FOLDER = "images"  # wagtail.images AbstractRendition.get_upload_to


def send_file(
    request, storage, name, *, attachment=False, filename=None, content_type=None, public=False
):
    """A response sending the stored file `name` of `storage`.

    `filename` names the file for the browser (`Content-Disposition`); `public` says whether a
    browser or a CDN may keep it (`Cache-Control`), else it is kept by the browser only,
    and asked again each time.
    """
    disposition = content_disposition_header(attachment, filename) if filename else None
    if disposition is None and attachment:
        disposition = "attachment"
    signed = signed_file_url(storage, name, disposition=disposition, content_type=content_type)
    if signed:
        return signed_redirect(signed)
    try:
        path = storage.path(name)
    except NotImplementedError:
        path = None
    if path is not None:
        response = sendfile(
            request,
            path,
            attachment=attachment,
            attachment_filename=filename or False,
            mimetype=content_type,
        )
        if not response.has_header("ETag"):
            # The file's own validator: a response the front server fills has an empty body,
            # from which Django would derive the same ETag for every file.
            stat = os.stat(path)
            response["ETag"] = f'"{stat.st_size:x}-{stat.st_mtime_ns:x}"'
    else:
        try:
            handle = storage.open(name, "rb")
        except FileNotFoundError as error:
            raise Http404("Ce fichier est introuvable.") from error
        response = FileResponse(
            handle, as_attachment=attachment, filename=filename or "", content_type=content_type
        )
        # The object's own validator, when the storage gives one (S3's ETag): a browser then
        # asks again with If-None-Match and gets a 304 (ConditionalGetMiddleware).
        etag = getattr(getattr(handle, "obj", None), "e_tag", None)
        if etag:
            response["ETag"] = etag
    if public:
        response["Cache-Control"] = f"public, max-age={settings.MEDIA_CACHE_SECONDS}"
    else:
        response["Cache-Control"] = "private, no-cache"
    return response


def signed_file_url(storage, name, *, disposition=None, content_type=None):
    """The signed address a checked request for `name` is redirected to, or None when the site
    sends the file itself: a storage that signs no addresses (on disk, images), or
    PRIVATE_MEDIA_REDIRECT off."""
    sign = getattr(storage, "signed_url", None)
    if sign is None or not settings.PRIVATE_MEDIA_REDIRECT:
        return None
    return sign(name, disposition=disposition, content_type=content_type)


def signed_redirect(url):
    """A redirect to a signed address, which no browser or proxy keeps: it is given only after
    a check, to whoever passed it, and dies PRIVATE_MEDIA_URL_SECONDS later."""
    response = HttpResponseRedirect(url)
    response["Cache-Control"] = "private, no-store"
    return response


def image_of_rendition(name):
    """The id of the image whose rendition is stored as `name`, or None."""
    from wagtail.images import get_image_model

    renditions = get_image_model().get_rendition_model().objects
    return renditions.filter(file=name).values_list("image_id", flat=True).first()


@require_safe
def serve_media(request, path):
    """The image file at `path` under MEDIA_URL, if whoever asks may see it; else 404."""
    if not path.isprintable() or posixpath.normpath(path) != path or path.startswith("/"):
        raise Http404("Ce fichier est introuvable.")
    folder, _slash, rest = path.partition("/")
    if not rest or "/" in rest:
        raise Http404("Ce fichier est introuvable.")
    if folder == RENDITIONS_FOLDER:
        image_id = image_of_rendition(path)
        if image_id is None:
            raise Http404("Ce fichier est introuvable.")
        public = image_is_public(image_id, request)
        if not public and not is_editor(request):
            raise Http404("Ce fichier est introuvable.")
    elif folder == ORIGINALS_FOLDER and is_editor(request):
        public = False
    else:
        raise Http404("Ce fichier est introuvable.")
    response = send_file(request, default_storage, path, public=public)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@register(Tags.files, deploy=False)
def check_file_roots(app_configs, **kwargs):
    """The folders the checked views send files from must lie under SENDFILE_ROOT (the front
    server's internal location maps that folder), and documents must not lie under MEDIA_ROOT."""
    errors = []
    root = Path(settings.SENDFILE_ROOT).resolve()
    media = Path(settings.MEDIA_ROOT).resolve()
    folders = {"MEDIA_ROOT": media}
    private = storages["private"]
    if isinstance(private, FileSystemStorage):
        folders["PRIVATE_MEDIA_ROOT"] = Path(private.location).resolve()
        if folders["PRIVATE_MEDIA_ROOT"].is_relative_to(media):
            errors.append(
                Error(
                    "Documents are stored inside MEDIA_ROOT: whatever serves that folder would "
                    "serve them too.",
                    hint="Point PRIVATE_MEDIA_ROOT at a folder outside MEDIA_ROOT.",
                    id="cress_site.E001",
                )
            )
    for name, folder in folders.items():
        if not folder.is_relative_to(root):
            errors.append(
                Error(
                    f"{name} ({folder}) is not inside SENDFILE_ROOT ({root}): none of its files "
                    "could be sent.",
                    hint="Set SENDFILE_ROOT to a folder that holds MEDIA_ROOT and "
                    "PRIVATE_MEDIA_ROOT.",
                    id="cress_site.E002",
                )
            )
    return errors


@register(Tags.files, Tags.caches, deploy=True)
def check_shared_services(app_configs, **kwargs):
    """Uploads in a bucket mean several app servers, which must share one cache: with each
    server's own memory and generation file, a page published on one stays cached on the
    others until it expires (README, « D'une machine à plusieurs »)."""
    backend = settings.STORAGES["default"]["BACKEND"]
    if not backend.startswith("cress_site.object_storage."):
        return []
    if "locmem" not in settings.CACHES["default"]["BACKEND"].lower():
        return []
    return [
        Warning(
            "Uploads are in an S3 bucket, as for several app servers, but the cache is each "
            "worker's own memory: a change made on one server would stay hidden on the others "
            "until their cached pages expire.",
            hint="Set REDIS_URL (the same Redis database on every app server).",
            id="cress_site.W010",
        )
    ]
