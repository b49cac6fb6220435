"""Uploads are checked by their content, not by their name."""

import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile

from wagtail.images import get_image_model
from wagtail.models import Collection

import pytest
from PIL import Image as PILImage

pytestmark = pytest.mark.django_db


def png_bytes():
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), "#00594f").save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_real_image_is_accepted(admin_client):
    response = admin_client.post(
        "/admin/images/add/",
        {
            "title": "Réunion à Caen",
            "description": "Des élus autour d'une table",
            "credit": "CRESS Normandie",
            "collection": Collection.objects.get(name="Institutionnel").pk,
            "file": SimpleUploadedFile("reunion.png", png_bytes(), content_type="image/png"),
        },
    )
    assert response.status_code == 302
    image = get_image_model().objects.get(title="Réunion à Caen")
    assert image.credit == "CRESS Normandie"
    assert (image.width, image.height) == (40, 30)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("photo.png", b"#!/bin/sh\necho not an image\n"),
        ("photo.jpg", b"%PDF-1.4\n%fake\n"),
        ("photo.gif", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"),
    ],
)
def test_a_file_that_is_not_an_image_is_refused_whatever_its_name(admin_client, name, content):
    count = get_image_model().objects.count()
    response = admin_client.post(
        "/admin/images/add/",
        {"title": "Faux", "file": SimpleUploadedFile(name, content, content_type="image/png")},
    )
    assert response.status_code == 200
    errors = re.findall(r'class="error-message">(.*?)</', response.content.decode(), re.S)
    assert errors, "the form shows an error next to the file field"
    assert any(
        "pas une image" in error or "ne correspond pas au format" in error for error in errors
    ), errors
    assert get_image_model().objects.count() == count


def test_an_image_whose_content_does_not_match_its_extension_is_refused(admin_client):
    response = admin_client.post(
        "/admin/images/add/",
        {
            "title": "Mal nommé",
            "file": SimpleUploadedFile("photo.jpg", png_bytes(), content_type="image/jpeg"),
        },
    )
    assert response.status_code == 200
    assert not get_image_model().objects.filter(title="Mal nommé").exists()
