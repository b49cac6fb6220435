"""PDFs: analysed after upload (text, pages, cover), refused when they are not PDFs, served and
counted for public publications only."""

import io

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from wagtail.documents import get_document_model
from wagtail.models import Collection, PageViewRestriction

import pypdf
import pytest

from cress_site.demo_pdfs import make_image_only_pdf, make_pdf
from editorial.collections import ROOT_COLLECTION
from publications.downloads import DownloadCount
from publications.models import PublicationPage

pytestmark = pytest.mark.django_db

Document = get_document_model()


def encrypted(pdf_bytes, password="secret"):
    reader = pypdf.PdfReader(io.BytesIO(pdf_bytes))
    writer = pypdf.PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    writer.encrypt(password)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def upload(admin_client, name, content, title="Document déposé"):
    root = Collection.get_first_root_node() or Collection.add_root(name=ROOT_COLLECTION)
    return admin_client.post(
        "/admin/documents/add/",
        {"title": title, "file": SimpleUploadedFile(name, content), "collection": root.pk},
    )


# Analysis ------------------------------------------------------------------------------------


def test_uploaded_pdf_is_read_and_gets_a_cover(admin_client, django_capture_on_commit_callbacks):
    pdf = make_pdf("Étude sur les coopératives", [["Les coopératives d'habitants."], ["Fin."]])
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(admin_client, "etude.pdf", pdf, title="Étude sur les coopératives")
    assert response.status_code == 302
    document = Document.objects.get(title="Étude sur les coopératives")
    assert document.text_status == "ok"
    assert document.page_count == 3  # cover + two pages
    assert "coopératives d'habitants" in document.extracted_text
    assert document.cover is not None
    assert document.cover.width == 800


@pytest.mark.parametrize(
    ("content", "status", "message"),
    [
        (encrypted(make_pdf("Protégé", [["Secret."]])), "encrypted", "protégé par un mot de passe"),
        (make_image_only_pdf(), "no_text", "ne contient pas de texte lisible"),
        (b"%PDF-1.7\n" + b"\x00garbage" * 200, "invalid", "n'est pas un PDF lisible"),
    ],
    ids=["password", "scanned", "corrupt"],
)
def test_unreadable_pdfs_are_accepted_with_a_message(
    admin_client, django_capture_on_commit_callbacks, content, status, message
):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(admin_client, "document.pdf", content)
    assert response.status_code == 302  # accepted
    document = Document.objects.get(title="Document déposé")
    assert document.text_status == status
    assert message in document.text_message
    assert document.extracted_text == ""


def test_replacing_the_file_reads_it_again(make_document, django_capture_on_commit_callbacks):
    from django.core.files.base import ContentFile

    document = make_document("Version 1", pages=[["Première version du texte."]])
    assert "Première version" in document.extracted_text
    document.file = ContentFile(make_pdf("Version 2", [["Seconde version."]]), name="v2.pdf")
    with django_capture_on_commit_callbacks(execute=True):
        document._set_document_file_metadata()
        document.save()
    document.refresh_from_db()
    assert "Seconde version" in document.extracted_text
    assert "Première version" not in document.extracted_text


def test_search_finds_words_inside_the_pdf(client, make_publication, make_document):
    document = make_document(
        "Étude autopartage", pages=[["L'autopartage rural progresse dans le bocage."]]
    )
    make_publication("Étude sur les mobilités", document=document)
    response = client.get("/recherche/", {"q": "autopartage"})
    assert "Étude sur les mobilités" in response.content.decode()


# Refused uploads ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("rapport.pdf", b"MZ\x90\x00 this is an executable"),
        ("rapport.pdf", b"<html><body>not a pdf</body></html>"),
        ("tableau.xlsx", b"%PDF-1.4 a pdf in disguise"),
        ("donnees.csv", b"\x00\x01\x02binary\x00"),
    ],
)
def test_files_whose_content_does_not_match_are_refused(admin_client, name, content):
    response = upload(admin_client, name, content)
    assert response.status_code == 200
    assert "Le contenu de ce fichier ne correspond pas" in response.content.decode()
    assert not Document.objects.filter(title="Document déposé").exists()


@override_settings(WAGTAILDOCS_MAX_UPLOAD_SIZE=10_000)
def test_files_over_the_size_limit_are_refused(admin_client):
    response = upload(admin_client, "gros.pdf", b"%PDF-1.4\n" + b"0" * 20_000)
    assert response.status_code == 200
    assert "Ce fichier est trop gros" in response.content.decode()
    assert not Document.objects.filter(title="Document déposé").exists()


def test_main_document_must_be_a_pdf(make_publication):
    from django.core.exceptions import ValidationError
    from django.core.files.base import ContentFile

    spreadsheet = Document.objects.create(
        title="Tableau", file=ContentFile(b"a;b\n1;2\n", name="tableau.csv")
    )
    page = PublicationPage.objects.get(slug="poids-ess-orne")
    page.document = spreadsheet
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert "doit être un fichier PDF" in str(error.value)


def test_editor_sees_the_analysis_in_the_publication_editor(admin_client):
    page = PublicationPage.objects.get(slug="poids-ess-orne")
    content = admin_client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert "Analyse du PDF" in content
    assert "texte extrait, 5 pages" in content


# Downloads ----------------------------------------------------------------------------------


def test_download_serves_the_pdf_and_counts_it(client):
    page = PublicationPage.objects.get(slug="poids-ess-orne")
    response = client.get(page.url + "telecharger/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="poids-ess-orne.pdf"'
    assert response["Cache-Control"] == "private, no-cache"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    count = DownloadCount.objects.get(publication=page)
    assert count.count == 1
    assert count.month.day == 1


def download_count(page):
    return sum(DownloadCount.objects.filter(publication=page).values_list("count", flat=True))


def test_one_client_counts_once_per_document_and_day(client):
    """50 GETs and 10 HEADs from one client: one download. Another address or another browser
    is another client."""
    page = PublicationPage.objects.get(slug="poids-ess-orne")
    url = page.url + "telecharger/"
    for _ in range(10):
        assert client.head(url).status_code == 200
    assert download_count(page) == 0  # a HEAD never counts
    for _ in range(50):
        assert client.get(url).status_code == 200
    assert download_count(page) == 1
    client.get(url, REMOTE_ADDR="192.0.2.7")
    client.get(url, HTTP_USER_AGENT="Autre navigateur")
    assert download_count(page) == 3


def test_download_counts_again_the_next_day(client):
    import datetime
    from unittest import mock

    from django.utils import timezone

    page = PublicationPage.objects.get(slug="poids-ess-orne")
    url = page.url + "telecharger/"
    client.get(url)
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    with mock.patch("django.utils.timezone.now", return_value=tomorrow):
        client.get(url)
        client.get(url)
    assert download_count(page) == 2


def test_client_address_is_stored_only_as_a_keyed_hash(client, settings):
    from django.core.cache import cache

    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    page = PublicationPage.objects.get(slug="poids-ess-orne")
    client.get(page.url + "telecharger/", HTTP_X_REAL_IP="198.51.100.23")
    keys = [key for key in cache._cache if "download:" in key]
    assert len(keys) == 1
    assert "198.51.100.23" not in keys[0]
    # The front server's header names the client: another address there is another client.
    client.get(page.url + "telecharger/", HTTP_X_REAL_IP="198.51.100.24")
    client.get(page.url + "telecharger/", HTTP_X_REAL_IP="198.51.100.24")
    assert download_count(page) == 2


def test_download_button_states_format_size_and_pages(client):
    content = client.get("/observatoire/poids-ess-orne/").content.decode()
    assert "Télécharger l&#x27;étude" in content
    assert "(PDF, 5," in content and "5 pages)" in content


def test_demo_studies_open_on_a_cover_with_territory_chart_and_month():
    page = PublicationPage.objects.get(slug="poids-ess-orne")

    cover, *sections = page.document.extracted_text.split("\n\n")
    flat_cover = " ".join(cover.split())
    for words in (
        page.title,
        "Orne",
        "Emplois de l'ESS dans l'Orne, par famille",
        "Associations",
        "5 840",
        "Observatoire régional de l'ESS — CRESS Normandie",
        "Novembre 2022",
    ):
        assert words in flat_cover
    assert [section.split("\n")[0] for section in sections] == [
        "Introduction",
        "Méthode",
        "Résultats",
        "Perspectives pour les collectivités",
    ]


def test_unpublished_publication_documents_are_not_served(client, admin_client):
    page = PublicationPage.objects.get(slug="poids-ess-orne")
    document_url = page.document.url
    assert client.get(document_url).status_code == 200
    page.unpublish()
    assert client.get(page.url + "telecharger/").status_code == 404
    assert client.get(document_url).status_code == 404
    assert admin_client.get(document_url).status_code == 200  # editors can check a draft
    assert not DownloadCount.objects.filter(publication=page).exists()


def test_private_publication_documents_are_not_served(client):
    page = PublicationPage.objects.get(slug="poids-ess-orne")
    PageViewRestriction.objects.create(page=page, restriction_type="password", password="x")
    response = client.get(page.url + "telecharger/")
    assert response.status_code == 200
    assert "password" in response.content.decode().lower() or "mot de passe" in (
        response.content.decode().lower()
    )
    assert response["Content-Type"].startswith("text/html")
    assert client.get(page.document.url).status_code == 404


def test_download_report_lists_counts_and_exports_csv(admin_client, client):
    page = PublicationPage.objects.get(slug="poids-ess-orne")
    client.get(page.url + "telecharger/")
    report = admin_client.get("/admin/reports/telechargements/")
    assert report.status_code == 200
    assert "Étude sur le poids de l&#x27;ESS dans l&#x27;Orne" in report.content.decode()
    export = admin_client.get("/admin/reports/telechargements/", {"export": "csv"})
    rows = b"".join(export.streaming_content).decode().removeprefix("\ufeff").splitlines()
    assert rows[0] == "Publication;Document;Mois;Téléchargements"
    assert rows[1].startswith("Étude sur le poids de l'ESS dans l'Orne;")
    assert rows[1].endswith(";1")


def test_admin_listing_shows_kind_year_and_downloads(admin_client, client):
    page = PublicationPage.objects.get(slug="poids-ess-orne")
    client.get(page.url + "telecharger/")
    content = admin_client.get("/admin/publications/").content.decode()
    assert "Étude sur le poids de l&#x27;ESS dans l&#x27;Orne" in content
    assert "Téléchargements" in content and "Note de conjoncture" in content and "2022" in content


@pytest.mark.django_db(transaction=True)
def test_with_a_worker_the_analysis_leaves_the_editors_request(admin_client, settings):
    """Production queues the analysis in the database; `db_worker` does it later."""
    from django.core.management import call_command

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    response = upload(admin_client, "etude.pdf", make_pdf("File d'attente", [["Texte."]]))
    assert response.status_code == 302
    document = Document.objects.get(title="Document déposé")
    assert document.text_status == "pending"  # the request did not wait for it

    call_command("db_worker", batch=True, no_startup_delay=True, stdout=io.StringIO())

    document.refresh_from_db()
    assert document.text_status == "ok"
    assert "Texte." in document.extracted_text


# Private collections -------------------------------------------------------------------------


def test_a_collection_made_private_takes_the_pdf_out_of_search_and_pages(
    client, make_publication, make_document, settings
):
    """Restricting the collection of a public publication's PDF: the PDF's words no longer find
    it, the page (cached before) loses cover and download button; lifting the restriction
    brings them back."""
    from wagtail.models import CollectionViewRestriction

    settings.SEARCH_CACHE_SECONDS = 300
    document = make_document("Étude cachée", pages=[["Le covoiturage solidaire du bocage."]])
    page = make_publication("Étude sur les mobilités rurales", document=document)

    def found():
        return page.url in client.get("/recherche/", {"q": "covoiturage"}).content.decode()

    def page_shows_the_pdf():
        content = client.get(page.url).content.decode()
        return f"{page.url}telecharger/" in content and "couverture-" in content

    assert found() and page_shows_the_pdf()
    private = Collection.objects.get(name="Institutionnel")
    document.collection = private
    document.save()
    assert found()  # the collection is not private yet
    restriction = CollectionViewRestriction.objects.create(
        collection=private, restriction_type="password", password="x"
    )
    assert not found()
    assert not page_shows_the_pdf()
    assert client.get(page.url + "telecharger/").status_code == 404
    restriction.delete()
    assert found() and page_shows_the_pdf()


def test_editors_get_what_the_public_may_not(
    client, admin_client, admin_user, rf, make_publication
):
    page = make_publication("Étude en relecture")
    page.unpublish()
    document = page.document
    assert client.get(document.url).status_code == 404
    assert admin_client.get(document.url).status_code == 200
    rendition = document.cover.get_rendition("width-280")
    assert client.get(rendition.url).status_code == 404
    assert admin_client.get(rendition.url).status_code == 200
    # The preview of the draft shows its cover and download button to the editor.
    session = admin_client.cookies[settings.SESSION_COOKIE_NAME].value
    request = rf.get("/", HTTP_COOKIE=f"{settings.SESSION_COOKIE_NAME}={session}")
    content = page.make_preview_request(request).content.decode()
    assert "telecharger/" in content and "couverture-" in content


def test_a_new_pdf_in_a_draft_stays_private_until_published(
    client, make_publication, make_document
):
    """An editor prepares the next version of a public publication with a new PDF: until the
    draft is published, neither the new PDF nor its cover reach the public."""
    page = make_publication("Panorama de l'emploi")
    new = make_document("Panorama 2027, version confidentielle")
    cover = new.cover.get_rendition("width-280")
    assert client.get(new.url).status_code == 200  # used by no page yet
    page = PublicationPage.objects.get(pk=page.pk)
    page.document = new
    revision = page.save_revision()
    assert client.get(new.url).status_code == 404
    assert client.get(cover.url).status_code == 404
    assert client.get(page.url + "telecharger/").status_code == 200  # the published version
    revision.publish()
    assert client.get(new.url).status_code == 200
    assert client.get(cover.url).status_code == 200
