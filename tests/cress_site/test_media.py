"""Uploaded files reach visitors only through views that check them: documents live out of
MEDIA_ROOT, /media/ serves the renditions of public images, and a front server can send the
bytes once Django has checked (X-Accel-Redirect, X-Sendfile)."""

import importlib
import io
from pathlib import Path

from django.conf import settings
from django.core.checks import run_checks
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.files.storage import default_storage, storages

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.utils import sendfile as wagtail_sendfile

import pytest
from django_sendfile import utils as sendfile_utils
from PIL import Image as PILImage

from publications.models import PublicationPage

pytestmark = pytest.mark.django_db


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


@pytest.fixture
def image():
    buffer = io.BytesIO()
    PILImage.new("RGB", (60, 40), "#2a7f62").save(buffer, format="PNG")
    image = get_image_model()(
        title="Atelier", description="Un atelier", file=ImageFile(buffer, name="atelier.png")
    )
    image.save()
    return image


@pytest.fixture
def sendfile_backend(settings):
    """Switch the sendfile backend for one test (both libraries keep the one they loaded)."""

    def switch(backend):
        settings.SENDFILE_BACKEND = backend
        sendfile_utils._get_sendfile.cache_clear()
        wagtail_sendfile._get_sendfile.clear()

    yield switch
    sendfile_utils._get_sendfile.cache_clear()
    wagtail_sendfile._get_sendfile.clear()


def test_documents_are_stored_out_of_media_root():
    document = PublicationPage.objects.get(slug="poids-ess-orne").document
    path = Path(document.file.path)
    assert path.is_relative_to(settings.PRIVATE_MEDIA_ROOT)
    assert not path.is_relative_to(settings.MEDIA_ROOT)
    assert not default_storage.exists(document.file.name)
    with pytest.raises(NotImplementedError):
        document.file.url  # noqa: B018 (no address of its own)
    assert document.url == f"/documents/{document.pk}/{document.filename}"


def test_a_document_under_media_is_never_served(client, admin_client):
    """Whatever is left under MEDIA_ROOT (documents uploaded before they moved) is not served,
    not even to editors: only image files are."""
    document = PublicationPage.objects.get(slug="poids-ess-orne").document
    default_storage.save(document.file.name, ContentFile(b"%PDF-1.4 ancienne copie"))
    try:
        assert client.get(f"/media/{document.file.name}").status_code == 404
        assert admin_client.get(f"/media/{document.file.name}").status_code == 404
    finally:
        default_storage.delete(document.file.name)


def test_a_public_rendition_is_served_and_kept(client, image):
    rendition = image.get_rendition("fill-30x20")
    response = client.get(rendition.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == f"public, max-age={settings.MEDIA_CACHE_SECONDS}"
    assert response["X-Content-Type-Options"] == "nosniff"
    with rendition.file.open("rb") as handle:
        assert body(response) == handle.read()


def test_original_files_are_for_editors_only(client, admin_client, image):
    url = f"/media/{image.file.name}"
    assert client.get(url).status_code == 404
    response = admin_client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-cache"


@pytest.mark.parametrize(
    "path",
    [
        "images/inconnu.png",
        "images/../original_images/atelier.png",
        "images//atelier.png",
        "original_images/../../settings.py",
        "autre/fichier.png",
        "",
        "images/",
        "images/nul\x00.png",
        "images/%00.png",
        "../media/images/atelier.png",
    ],
)
def test_unknown_or_odd_paths_answer_404(admin_client, image, path):
    image.get_rendition("fill-30x20")
    assert admin_client.get(f"/media/{path}").status_code == 404


def test_only_get_and_head(client, image):
    rendition = image.get_rendition("fill-30x20")
    assert client.head(rendition.url).status_code == 200
    assert client.post(rendition.url).status_code == 405


def test_the_cover_of_an_unpublished_publication_is_for_editors_only(client, admin_client):
    page = PublicationPage.objects.get(slug="poids-ess-orne")
    cover = page.document.cover
    renditions = [cover.get_rendition(spec) for spec in ("width-280", "fill-160x220-c100")]
    for rendition in renditions:
        assert client.get(rendition.url).status_code == 200
    page.unpublish()
    for rendition in renditions:
        assert client.get(rendition.url).status_code == 404
        response = admin_client.get(rendition.url)
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-cache"
    # A rendition made after the change (by an editor's preview) is not public either.
    assert client.get(cover.get_rendition("width-100").url).status_code == 404


def test_nginx_sends_the_bytes_of_checked_files(client, image, sendfile_backend):
    sendfile_backend("django_sendfile.backends.nginx")
    rendition = image.get_rendition("fill-30x20")
    response = client.get(rendition.url)
    assert response.status_code == 200
    relative = Path(rendition.file.path).relative_to(settings.SENDFILE_ROOT)
    assert response["X-Accel-Redirect"] == f"{settings.SENDFILE_URL}/{relative}"
    assert body(response) == b""

    page = PublicationPage.objects.get(slug="poids-ess-orne")
    relative = Path(page.document.file.path).relative_to(settings.SENDFILE_ROOT)
    for url in (page.url + "telecharger/", page.document.url):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["X-Accel-Redirect"] == f"{settings.SENDFILE_URL}/{relative}"
        assert body(response) == b""
    # Refused files are refused before the front server is asked anything.
    page.unpublish()
    assert client.get(page.document.url).status_code == 404


def test_each_file_sent_by_the_front_server_has_its_own_etag(
    client, image, sendfile_backend, django_capture_on_commit_callbacks
):
    """The response the front server fills is empty: its ETag must still name the file, or a
    browser would be told a new version of a download is the one it has."""
    from django.core.files.base import ContentFile

    sendfile_backend("django_sendfile.backends.nginx")
    page = PublicationPage.objects.get(slug="poids-ess-orne")
    url = page.url + "telecharger/"
    first = client.get(url)
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    document = page.document
    document.file = ContentFile(b"%PDF-1.4 nouvelle version", name="poids-ess-orne-v2.pdf")
    with django_capture_on_commit_callbacks(execute=True):
        document._set_document_file_metadata()
        document.save()
    second = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200
    assert second["ETag"] != first["ETag"]
    renditions = [image.get_rendition(spec) for spec in ("fill-30x20", "fill-20x20")]
    etags = {client.get(rendition.url)["ETag"] for rendition in renditions}
    assert len(etags) == 2


def test_apache_sends_the_bytes_of_checked_files(client, sendfile_backend):
    sendfile_backend("django_sendfile.backends.xsendfile")
    page = PublicationPage.objects.get(slug="poids-ess-orne")
    response = client.get(page.url + "telecharger/")
    assert response["X-Sendfile"] == page.document.file.path
    assert response["Content-Disposition"] == 'attachment; filename="poids-ess-orne.pdf"'


def test_existing_documents_move_out_of_media_root():
    """The migration that moved documents to the private storage: a file still under
    MEDIA_ROOT goes there under the same name; one already there is left alone."""
    migration = importlib.import_module("cress_site.migrations.0003_documents_private_storage")
    private = storages["private"]
    default_storage.save("documents/ancien.pdf", ContentFile(b"%PDF-1.4 ancien"))
    private.save("documents/deja.pdf", ContentFile(b"%PDF-1.4 deja"))
    default_storage.save("documents/deja.pdf", ContentFile(b"%PDF-1.4 copie"))
    try:
        names = ["documents/ancien.pdf", "documents/deja.pdf", "documents/absent.pdf"]
        migration.move(default_storage, private, names)
        assert not default_storage.exists("documents/ancien.pdf")
        with private.open("documents/ancien.pdf") as handle:
            assert handle.read() == b"%PDF-1.4 ancien"
        with private.open("documents/deja.pdf") as handle:
            assert handle.read() == b"%PDF-1.4 deja"
    finally:
        for storage in (default_storage, private):
            for name in ("documents/ancien.pdf", "documents/deja.pdf"):
                storage.delete(name)


def test_a_new_upload_goes_to_the_private_storage():
    document = get_document_model().objects.create(
        title="Note", file=ContentFile(b"a;b\n1;2\n", name="note.csv")
    )
    assert storages["private"].exists(document.file.name)
    assert not default_storage.exists(document.file.name)


def test_file_roots_are_checked(settings):
    def errors():
        return {message.id for message in run_checks() if message.id.startswith("cress_site.E")}

    assert errors() == set()
    settings.SENDFILE_ROOT = settings.MEDIA_ROOT
    assert errors() == {"cress_site.E002"}  # the documents' folder is outside it
    settings.SENDFILE_ROOT = settings.FILES_ROOT
    settings.MEDIA_ROOT = settings.PRIVATE_MEDIA_ROOT.parent
    assert errors() == {"cress_site.E001"}  # the documents would sit inside MEDIA_ROOT
