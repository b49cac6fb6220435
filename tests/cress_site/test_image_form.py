"""Images need their alt text wherever they are uploaded; upload forms state what they accept;
files the site cannot make renditions of are refused, and those already stored do not break the
admin."""

import io
import re
import struct
import zlib
from html import unescape

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from wagtail.images import get_image_model
from wagtail.models import Collection, UploadedFile

import pytest
from PIL import Image as PILImage

from cress_site.factories import ImageFactory
from cress_site.forms import size_text, upload_limits_text
from cress_site.image_forms import ALT_TEXT_REQUIRED, UNREADABLE_IMAGE

pytestmark = pytest.mark.django_db

IMAGE_LIMITS = "Formats acceptés : AVIF, GIF, JPG, PNG, WEBP — 10 Mo au plus par fichier."
DOCUMENT_LIMITS = "Formats acceptés : PDF, CSV, XLSX, ODS, DOCX, ODT — 50 Mo au plus par fichier."


@pytest.fixture
def collection(db):
    """Where the uploads go (the collection field shows once the site has several)."""
    return Collection.get_first_root_node().pk


def png_file(name="reunion.png"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), "#00594f").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def field_html(html, name):
    """The admin's markup for one field: its errors, help text and input."""
    match = re.search(rf'data-contentpath="{name}">(.*?)</div>\s*</div>\s*</div>', html, re.S)
    assert match, f"no field {name}"
    return match.group(1)


def field_errors(html, name):
    errors = re.findall(r'class="error-message">(.*?)</p>', field_html(html, name), re.S)
    return [" ".join(unescape(error).split()) for error in errors]


def input_value(html, name):
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    value = re.search(r'value="([^"]*)"', match.group(0))
    return unescape(value.group(1)) if value else ""


# -- The form on its own page --------------------------------------------------------------------


def test_an_image_without_alt_text_is_refused_next_to_the_field(admin_client, collection):
    count = get_image_model().objects.count()
    response = admin_client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Réunion à Caen",
            "description": "   ",
            "credit": "Photo Jeanne Martin / CRESS Normandie",
            "collection": collection,
            "file": png_file(),
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert field_errors(html, "description") == [ALT_TEXT_REQUIRED]
    assert field_errors(html, "title") == []
    # What the editor typed is still there.
    assert input_value(html, "title") == "Réunion à Caen"
    assert input_value(html, "credit") == "Photo Jeanne Martin / CRESS Normandie"
    assert get_image_model().objects.count() == count


def test_the_alt_text_field_is_labelled_explained_and_required_in_the_browser(admin_client):
    html = admin_client.get(reverse("wagtailimages:add")).content.decode()
    description = field_html(html, "description")
    assert "Texte alternatif" in unescape(html)
    assert "Décrit l'image pour les personnes qui ne la voient pas" in unescape(description)
    assert "L'image est décorative" in unescape(description)
    assert re.search(r'<input[^>]*name="description"[^>]*\brequired\b', description)


def test_an_image_with_its_alt_text_is_saved(admin_client, collection):
    response = admin_client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Réunion à Caen",
            "description": "Des élus et des porteurs de projet autour d'une table",
            "credit": "CRESS Normandie",
            "collection": collection,
            "file": png_file(),
        },
    )
    assert response.status_code == 302
    image = get_image_model().objects.get(title="Réunion à Caen")
    assert image.description == "Des élus et des porteurs de projet autour d'une table"
    assert image.default_alt_text == image.description


def test_removing_the_alt_text_of_an_image_is_refused(admin_client, collection):
    image = ImageFactory(title="Forum régional", description="La salle du forum")
    response = admin_client.post(
        reverse("wagtailimages:edit", args=(image.pk,)),
        {
            "title": "Forum régional 2025",
            "description": "",
            "credit": "CRESS Normandie",
            "collection": collection,
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert field_errors(html, "description") == [ALT_TEXT_REQUIRED]
    assert input_value(html, "title") == "Forum régional 2025"
    image.refresh_from_db()
    assert (image.title, image.description) == ("Forum régional", "La salle du forum")


def test_an_image_without_description_has_no_alt_text_from_its_title():
    """A file name or a title is not a description: such an image is read as decorative."""
    image = ImageFactory(title="IMG_2034", description="")
    assert image.default_alt_text == ""


# -- Upload from a chooser and multiple upload ------------------------------------------------


def test_the_chooser_upload_asks_for_the_alt_text(admin_client, collection):
    count = get_image_model().objects.count()
    response = admin_client.post(
        reverse("wagtailimages_chooser:create"),
        {
            "image-chooser-upload-title": "Atelier",
            "image-chooser-upload-description": "",
            "image-chooser-upload-collection": collection,
            "image-chooser-upload-file": png_file(),
        },
    )
    html = response.json()["htmlFragment"]
    assert field_errors(html, "description") == [ALT_TEXT_REQUIRED]
    assert input_value(html, "image-chooser-upload-title") == "Atelier"
    assert get_image_model().objects.count() == count


def test_a_multiple_upload_keeps_the_file_until_the_alt_text_is_given(admin_client, collection):
    count = get_image_model().objects.count()
    response = admin_client.post(
        reverse("wagtailimages:add_multiple"),
        {"files[]": png_file("forum.png"), "collection": collection},
    )
    data = response.json()
    assert data["success"]
    # The file waits, as an upload, for its alt text: no image without one.
    upload = UploadedFile.objects.get(pk=data["uploaded_file_id"])
    assert "Texte alternatif" in unescape(data["form"])
    assert get_image_model().objects.count() == count

    prefix = f"uploaded-image-{upload.pk}"
    url = reverse("wagtailimages:create_multiple_from_uploaded_image", args=(upload.pk,))
    response = admin_client.post(
        url,
        {
            f"{prefix}-title": "Forum régional",
            f"{prefix}-description": "",
            f"{prefix}-collection": collection,
        },
    )
    data = response.json()
    assert not data["success"]
    assert field_errors(data["form"], "description") == [ALT_TEXT_REQUIRED]
    assert input_value(data["form"], f"{prefix}-title") == "Forum régional"

    response = admin_client.post(
        url,
        {
            f"{prefix}-title": "Forum régional",
            f"{prefix}-description": "Le public du forum régional de l'ESS",
            f"{prefix}-credit": "CRESS Normandie",
            f"{prefix}-collection": collection,
        },
    )
    assert response.json()["success"]
    image = get_image_model().objects.get(title="Forum régional")
    assert image.description == "Le public du forum régional de l'ESS"
    assert image.credit == "CRESS Normandie"


def test_editing_an_image_after_a_multiple_upload_needs_the_alt_text(admin_client, collection):
    image = ImageFactory(title="Atelier", description="Un atelier")
    prefix = f"image-{image.pk}"
    response = admin_client.post(
        reverse("wagtailimages:edit_multiple", args=(image.pk,)),
        {
            f"{prefix}-title": "Atelier DLA",
            f"{prefix}-description": "",
            f"{prefix}-collection": collection,
        },
    )
    data = response.json()
    assert not data["success"]
    assert field_errors(data["form"], "description") == [ALT_TEXT_REQUIRED]
    assert input_value(data["form"], f"{prefix}-title") == "Atelier DLA"


# -- Upload limits -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url_name", "text"),
    [
        ("wagtailimages:add", IMAGE_LIMITS),
        ("wagtailimages:add_multiple", IMAGE_LIMITS),
        ("wagtaildocs:add", DOCUMENT_LIMITS),
        ("wagtaildocs:add_multiple", DOCUMENT_LIMITS),
    ],
)
def test_upload_pages_state_the_accepted_formats_and_size(admin_client, url_name, text):
    html = unescape(admin_client.get(reverse(url_name)).content.decode())
    assert text in html


@override_settings(WAGTAILDOCS_MAX_UPLOAD_SIZE=20 * 1024 * 1024, WAGTAILDOCS_EXTENSIONS=["pdf"])
def test_document_limits_follow_the_settings(admin_client):
    html = unescape(admin_client.get(reverse("wagtaildocs:add")).content.decode())
    assert "Formats acceptés : PDF — 20 Mo au plus par fichier." in html


def test_a_too_large_image_is_refused_with_the_limit(admin_client, collection):
    with override_settings(WAGTAILIMAGES_MAX_UPLOAD_SIZE=100):
        response = admin_client.post(
            reverse("wagtailimages:add"),
            {
                "title": "Grande",
                "description": "Une grande image",
                "collection": collection,
                "file": png_file(),
            },
        )
    html = response.content.decode()
    assert "Formats acceptés : AVIF, GIF, JPG, PNG, WEBP — 100 octets au plus par fichier." in (
        unescape(html)
    )
    assert field_errors(html, "file"), "the size error is shown next to the file field"


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (50 * 1024 * 1024, "50 Mo"),
        (int(1.5 * 1024**3), "1,5 Go"),
        (800 * 1024, "800 Ko"),
        (10_500_000, "10 Mo"),
        (12, "12 octets"),
    ],
)
def test_sizes_in_french(size, text):
    assert size_text(size) == text


def test_limits_text_merges_jpg_and_jpeg_and_tolerates_no_limit():
    assert upload_limits_text(["jpg", "jpeg", "png"], None) == "Formats acceptés : JPG, PNG."
    assert (
        upload_limits_text(None, 1024)
        == "Tous les formats sont acceptés — 1 Ko au plus par fichier."
    )


# -- Files the site cannot make renditions of ---------------------------------------------------


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_header_only(width, height):
    """A PNG whose header says `width` × `height` (a few hundred bytes, nothing to decode)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b"\x00\x00" * 1000))
        + png_chunk(b"IEND", b"")
    )


def noisy_png():
    buffer = io.BytesIO()
    PILImage.effect_noise((400, 300), 60).convert("RGB").save(buffer, format="PNG")
    return buffer.getvalue()


BAD_FILES = {
    "truncated-png": ("coupee.png", lambda: noisy_png()[:3000]),
    "gif-polyglot": (
        "polyglotte.gif",
        lambda: b"GIF89a\x0a\x00\x0a\x00\x00\x00\x00<script>alert(1)</script>" * 2,
    ),
    "png-without-data": ("vide.png", lambda: png_header_only(40, 30)[:33]),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_file_the_decoder_fails_on_is_refused_next_to_the_field(admin_client, collection, case):
    name, make = BAD_FILES[case]
    count = get_image_model().objects.count()
    response = admin_client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Réunion à Caen",
            "description": "Des élus autour d'une table",
            "collection": collection,
            "file": SimpleUploadedFile(name, make()),
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert field_errors(html, "file"), "an error next to the file field"
    assert input_value(html, "title") == "Réunion à Caen"
    assert get_image_model().objects.count() == count


def test_a_truncated_png_says_it_cannot_be_read(admin_client, collection):
    response = admin_client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Coupée",
            "description": "Une image coupée",
            "collection": collection,
            "file": SimpleUploadedFile("coupee.png", noisy_png()[:3000]),
        },
    )
    assert field_errors(response.content.decode(), "file") == [UNREADABLE_IMAGE]


@pytest.mark.parametrize(
    ("size", "words"),
    [
        ((1, 63_000_000), "un côté ne peut pas dépasser 15 000 pixels"),
        ((16_000, 2_000), "un côté ne peut pas dépasser 15 000 pixels"),
        ((4_200, 200), "son grand côté ne peut pas dépasser 20 fois le petit"),
    ],
)
def test_an_image_too_long_or_too_thin_is_refused(admin_client, collection, size, words):
    count = get_image_model().objects.count()
    response = admin_client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Bandeau",
            "description": "Un bandeau",
            "collection": collection,
            "file": SimpleUploadedFile("bandeau.png", png_header_only(*size)),
        },
    )
    errors = field_errors(response.content.decode(), "file")
    assert len(errors) == 1 and words in errors[0].replace("\u202f", " ").replace("\xa0", " ")
    assert get_image_model().objects.count() == count


def test_the_chooser_and_the_multiple_upload_refuse_them_too(admin_client, collection):
    count = get_image_model().objects.count()
    response = admin_client.post(
        reverse("wagtailimages_chooser:create"),
        {
            "image-chooser-upload-title": "Atelier",
            "image-chooser-upload-description": "Un atelier",
            "image-chooser-upload-collection": collection,
            "image-chooser-upload-file": SimpleUploadedFile("a.png", noisy_png()[:3000]),
        },
    )
    assert field_errors(response.json()["htmlFragment"], "file") == [UNREADABLE_IMAGE]
    response = admin_client.post(
        reverse("wagtailimages:add_multiple"),
        {"files[]": SimpleUploadedFile("b.png", png_header_only(1, 63_000_000))},
    )
    data = response.json()
    assert not data["success"] and "15" in data["error_message"]
    assert get_image_model().objects.count() == count


def test_a_proper_large_image_is_still_accepted(admin_client, collection):
    buffer = io.BytesIO()
    PILImage.new("RGB", (3000, 200), "#00594f").save(buffer, format="PNG")
    response = admin_client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Bandeau",
            "description": "Un bandeau vert",
            "collection": collection,
            "file": SimpleUploadedFile("bandeau.png", buffer.getvalue()),
        },
    )
    assert response.status_code == 302
    assert get_image_model().objects.get(title="Bandeau").width == 3000


def stored_image(title, content, width, height):
    """An image as it could be stored before uploads were checked."""
    image = ImageFactory(title=title, description=title)
    with image.file.storage.open(image.file.name, "wb") as stored:
        stored.write(content)
    get_image_model().objects.filter(pk=image.pk).update(width=width, height=height)
    return image


def test_the_admin_survives_an_image_stored_before_the_checks(admin_client):
    """An image no rendition can be made of shows as a missing image, in the list and the
    chooser, instead of failing them."""
    stored_image("Image trop longue", png_header_only(1, 63_000_000), 1, 63_000_000)
    stored_image("Image coupée", noisy_png()[:3000], 400, 300)
    for url in [reverse("wagtailimages:index"), reverse("wagtailimages_chooser:choose")]:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        content = response.content.decode() if url.endswith("images/") else str(response.json())
        assert "Image trop longue" in content and "Image coupée" in content


def test_public_pages_survive_an_image_stored_before_the_checks(client):
    from events.models import EventIndexPage, EventPage

    image = stored_image("Image coupée", noisy_png()[:3000], 400, 300)
    event = EventPage.objects.live().first()
    EventPage.objects.filter(pk=event.pk).update(listing_image=image, social_image=image)
    for url in [event.url, EventIndexPage.objects.get().url]:
        assert client.get(url).status_code == 200, url
