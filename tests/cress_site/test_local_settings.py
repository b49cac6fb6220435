"""`make run`'s settings (cress_site.settings.local): the site as a visitor sees it on one
machine, with nothing to configure. DEBUG off, so an unknown address gets the French 404 page,
never Django's debug page; uploaded images' renditions served under /media/ without DEBUG, and
documents never from there."""

import importlib
import io
import stat

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.files.storage import default_storage
from django.test import override_settings

from wagtail.images import get_image_model

import pytest
from PIL import Image as PILImage

from publications.models import PublicationPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def local(monkeypatch):
    """The local settings module, read as `make run` reads it (the secret key from the
    environment, so that the test writes no key file into the checkout)."""
    monkeypatch.setenv("SECRET_KEY", "local-settings-test-key-" + "x" * 40)
    monkeypatch.delenv("ALLOWED_HOSTS", raising=False)
    return importlib.reload(importlib.import_module("cress_site.settings.local"))


@pytest.fixture
def as_local(local):
    """The test site, answering with what the local settings change for a request."""
    with override_settings(
        DEBUG=local.DEBUG,
        ALLOWED_HOSTS=local.ALLOWED_HOSTS,
        SENDFILE_BACKEND=local.SENDFILE_BACKEND,
        MEDIA_URL=local.MEDIA_URL,
    ):
        yield local


def test_local_settings_are_a_visitors_site(local):
    assert local.DEBUG is False
    assert local.ALLOWED_HOSTS == ["127.0.0.1", "localhost", "[::1]"]
    assert local.STORAGES["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    assert local.EMAIL_BACKEND in {
        "django.core.mail.backends.console.EmailBackend",
        "django.core.mail.backends.smtp.EmailBackend",  # only when EMAIL_HOST is set
    }
    # The site sends checked files itself: there is no front server on this machine.
    assert local.SENDFILE_BACKEND == "wagtail.utils.sendfile_streaming_backend"


def test_the_secret_key_is_drawn_once_and_kept_private(local, tmp_path):
    key_file = tmp_path / "var" / "local-secret-key"
    key = local.local_secret_key(key_file)
    assert len(key) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert local.local_secret_key(key_file) == key


def test_an_unknown_address_gets_the_french_404(client, as_local):
    response = client.get("/cette-page-n-existe-pas/", HTTP_HOST="127.0.0.1")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Page introuvable</h1>" in html
    assert '<html lang="fr"' in html
    # Not Django's technical 404 page, which lists the URL patterns.
    assert "URLconf" not in html
    assert "DEBUG = True" not in html


def test_a_public_rendition_is_served_and_a_document_is_not(client, as_local):
    buffer = io.BytesIO()
    PILImage.new("RGB", (60, 40), "#2a7f62").save(buffer, format="PNG")
    image = get_image_model()(
        title="Atelier", description="Un atelier", file=ImageFile(buffer, name="atelier.png")
    )
    image.save()
    rendition = image.get_rendition("fill-30x20")
    assert rendition.url.startswith("/media/images/")
    response = client.get(rendition.url, HTTP_HOST="127.0.0.1")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")

    # A document's file, even a copy left under MEDIA_ROOT, is never served from /media/: only
    # through its checked views.
    document = PublicationPage.objects.get(slug="poids-ess-orne").document
    default_storage.save(document.file.name, ContentFile(b"%PDF-1.4 copie"))
    try:
        response = client.get(f"/media/{document.file.name}", HTTP_HOST="127.0.0.1")
        assert response.status_code == 404
        assert "Page introuvable" in response.content.decode()
    finally:
        default_storage.delete(document.file.name)
    # Nor the image as uploaded, which the public site never links to.
    assert client.get(f"/media/{image.file.name}", HTTP_HOST="127.0.0.1").status_code == 404
