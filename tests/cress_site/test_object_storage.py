"""Uploads on S3-compatible object storage: the settings switch, images still behind the site's
checked view, documents reached only through a short-lived signed address given after the
checks (cress_site.object_storage). The bucket is moto's, in memory; the two-server test
(tests/multi) runs the same against a real S3-compatible server."""

import io
import json
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.files.storage import default_storage, storages

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction

import pytest
from PIL import Image as PILImage

from cress_site.object_storage import MediaS3Storage, PrivateS3Storage
from cress_site.settings.object_storage import object_storage
from publications.downloads import DownloadCount
from publications.models import PublicationPage
from tests.cress_site.test_production import production

BUCKET = "cress-test-bucket"
FILESYSTEM = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "cress_site.storage.PrivateFileSystemStorage"},
}


# The settings switch -----------------------------------------------------------------------


def test_without_a_bucket_nothing_changes():
    assert object_storage(FILESYSTEM, {}) is FILESYSTEM
    assert object_storage(FILESYSTEM, {"AWS_STORAGE_BUCKET_NAME": " "}) is FILESYSTEM


def test_with_a_bucket_images_and_documents_go_to_it_privately():
    storages_ = object_storage(
        FILESYSTEM,
        {"AWS_STORAGE_BUCKET_NAME": BUCKET, "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9000"},
    )
    default, private = storages_["default"], storages_["private"]
    assert default["BACKEND"] == "cress_site.object_storage.MediaS3Storage"
    assert private["BACKEND"] == "cress_site.object_storage.PrivateS3Storage"
    for options in (default["OPTIONS"], private["OPTIONS"]):
        assert options["bucket_name"] == BUCKET
        assert options["default_acl"] is None  # no public-read grant
        assert options["querystring_auth"] is True
        assert options["file_overwrite"] is False
        assert options["endpoint_url"] == "http://127.0.0.1:9000"
    assert (default["OPTIONS"]["location"], private["OPTIONS"]["location"]) == ("media", "private")
    apart = object_storage(
        FILESYSTEM, {"AWS_STORAGE_BUCKET_NAME": BUCKET, "AWS_PRIVATE_BUCKET_NAME": "documents"}
    )
    assert apart["private"]["OPTIONS"]["bucket_name"] == "documents"


@pytest.mark.parametrize(
    ("media", "private"), [("media", "media"), ("fichiers", "fichiers/prives"), ("", "prive")]
)
def test_images_and_documents_never_share_a_prefix(media, private):
    environment = {
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_MEDIA_LOCATION": media,
        "AWS_PRIVATE_LOCATION": private,
    }
    with pytest.raises(ImproperlyConfigured, match="AWS_PRIVATE_LOCATION"):
        object_storage(FILESYSTEM, environment)


SHOW_STORAGES = (
    "from django.core.files.storage import default_storage, storages; import json; "
    "from cress_site.models import CustomDocument; default_storage._setup(); print(json.dumps(["
    "type(default_storage._wrapped).__name__, type(storages['private']).__name__, "
    "type(CustomDocument._meta.get_field('file').storage).__name__, "
    "storages['private'].location, getattr(storages['private'], 'bucket_name', None)]))"
)


def test_production_keeps_files_on_disk_without_a_bucket():
    result = production("shell", "-c", SHOW_STORAGES, AWS_STORAGE_BUCKET_NAME=None)
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout.strip().splitlines()[-1])
    assert shown[:3] == [
        "FileSystemStorage",
        "PrivateFileSystemStorage",
        "PrivateFileSystemStorage",
    ]


def test_production_uses_the_bucket_the_environment_names():
    result = production(
        "shell",
        "-c",
        SHOW_STORAGES,
        AWS_STORAGE_BUCKET_NAME=BUCKET,
        AWS_S3_ENDPOINT_URL="http://127.0.0.1:9000",
        AWS_PRIVATE_LOCATION="documents-prives",
    )
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout.strip().splitlines()[-1])
    assert shown == [
        "MediaS3Storage",
        "PrivateS3Storage",
        "PrivateS3Storage",
        "documents-prives",
        BUCKET,
    ]


def test_a_bucket_without_a_shared_cache_is_reported_at_deployment():
    bucket = {"AWS_STORAGE_BUCKET_NAME": BUCKET, "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9000"}
    check = ("check", "--deploy", "--tag", "caches")
    alone = production(*check, **bucket)
    assert "cress_site.W010" in alone.stderr
    shared = production(*check, **bucket, REDIS_URL="redis://127.0.0.1:6379/5")
    assert "cress_site.W010" not in shared.stderr
    assert "cress_site.W010" not in production(*check).stderr


# Files in a bucket -----------------------------------------------------------------------


@pytest.fixture
def bucket(settings, monkeypatch):
    """The default and private storages in moto's in-memory bucket for one test."""
    moto = pytest.importorskip("moto")
    import boto3

    for name, value in {
        "AWS_ACCESS_KEY_ID": "cress-test",
        "AWS_SECRET_ACCESS_KEY": "cress-test-secret",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    with moto.mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        settings.STORAGES = object_storage(
            settings.STORAGES,
            {"AWS_STORAGE_BUCKET_NAME": BUCKET, "AWS_S3_REGION_NAME": "us-east-1"},
        )
        # The documents' field took its storage when the model was defined.
        field = get_document_model()._meta.get_field("file")
        monkeypatch.setattr(field, "storage", storages["private"])
        yield client


def keys(client):
    return [item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def make_document(title="Note interne", collection=None, content=b"%PDF-1.4 note"):
    document = get_document_model()(title=title, file=ContentFile(content, name="note-interne.pdf"))
    if collection is not None:
        document.collection = collection
    document.save()
    return document


def signature(url):
    """The signed address's query: its date, life, signature and response headers."""
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


@pytest.mark.django_db
def test_images_keep_the_sites_address_and_are_streamed_after_the_check(bucket, client):
    buffer = io.BytesIO()
    PILImage.new("RGB", (60, 40), "#2a7f62").save(buffer, format="PNG")
    image = get_image_model()(
        title="Atelier", description="Un atelier", file=ImageFile(buffer, name="atelier.png")
    )
    image.save()
    assert isinstance(default_storage._wrapped, MediaS3Storage)
    rendition = image.get_rendition("fill-30x20")
    assert rendition.url.startswith("/media/images/atelier.")
    assert f"media/{rendition.file.name}" in keys(bucket)
    response = client.get(rendition.url)
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("public, max-age=")
    with rendition.file.open("rb") as handle:
        assert b"".join(response.streaming_content) == handle.read()
    assert client.get(rendition.url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    # The original, as uploaded, stays for editors (serve_media's rule, whatever the storage).
    assert client.get(f"/media/{image.file.name}").status_code == 404


@pytest.mark.django_db
def test_a_document_has_no_address_but_a_short_lived_signed_one(bucket, settings):
    document = make_document()
    storage = document.file.storage
    assert isinstance(storage, PrivateS3Storage)
    assert f"private/{document.file.name}" in keys(bucket)
    with pytest.raises(NotImplementedError):
        document.file.url  # noqa: B018
    settings.PRIVATE_MEDIA_URL_SECONDS = 30
    url = storage.signed_url(
        document.file.name, disposition='inline; filename="note.pdf"', content_type="text/plain"
    )
    query = signature(url)
    assert query["X-Amz-Expires"] == "30"
    signed_at = datetime.strptime(query["X-Amz-Date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    assert abs((datetime.now(UTC) - signed_at).total_seconds()) < 60
    assert query["X-Amz-Signature"]
    assert query["response-content-disposition"] == 'inline; filename="note.pdf"'
    assert query["response-content-type"] == "text/plain"


@pytest.mark.django_db
def test_a_public_document_is_redirected_to_its_signed_address_after_the_checks(bucket, client):
    document = make_document()
    response = client.get(document.url)
    assert response.status_code == 302
    location = response["Location"]
    assert urlsplit(location).path.endswith(f"/private/{document.file.name}")
    assert response["Cache-Control"] == "private, no-store"
    query = signature(location)
    assert query["X-Amz-Expires"] == "60"
    assert query["response-content-disposition"] == document.content_disposition
    assert query["response-content-type"] == "application/pdf"


@pytest.mark.django_db
def test_a_restricted_document_gets_no_signed_address_without_permission(
    bucket, client, admin_client
):
    private = Collection.get_first_root_node().add_child(name="Documents internes")
    CollectionViewRestriction.objects.create(collection=private, restriction_type="login")
    document = make_document(collection=private)
    refused = client.get(document.url)
    assert refused.status_code == 302
    assert "X-Amz-Signature" not in refused["Location"]
    assert refused["Location"].startswith("/")  # the login page
    given = admin_client.get(document.url)
    assert given.status_code == 302
    assert "X-Amz-Signature" in given["Location"]


@pytest.mark.django_db
def test_a_publication_download_is_checked_counted_then_redirected(bucket, client):
    page = PublicationPage.objects.get(slug="poids-ess-orne")
    page.document = make_document(title="Poids de l'ESS dans l'Orne")
    page.save()
    url = page.url + "telecharger/"
    response = client.get(url)
    assert response.status_code == 302
    query = signature(response["Location"])
    assert query["response-content-disposition"] == 'attachment; filename="poids-ess-orne.pdf"'
    assert DownloadCount.objects.filter(publication=page, document=page.document).exists()
    page.unpublish()
    assert client.get(url).status_code == 404
    assert client.get(page.document.url).status_code == 404


@pytest.mark.django_db
def test_documents_are_streamed_when_redirects_are_off(bucket, client, settings):
    settings.PRIVATE_MEDIA_REDIRECT = False
    document = make_document(content=b"%PDF-1.4 par le site")
    response = client.get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 par le site"
