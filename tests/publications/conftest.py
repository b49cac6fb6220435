from django.core.files.base import ContentFile

from wagtail.documents import get_document_model

import pytest

from cress_site.demo_pdfs import make_pdf
from cress_site.models import Territory, Theme
from publications.models import PublicationIndexPage, PublicationPage, PublicationTerritory


@pytest.fixture
def library(db):
    return PublicationIndexPage.objects.get()


@pytest.fixture
def make_document(django_capture_on_commit_callbacks):
    """A PDF document saved as an editor would, analysed by its task."""

    def make(title="Étude de test", pages=None, content=None, name=None):
        if content is None:
            pages = pages or [["Un paragraphe sur l'économie sociale et solidaire."]]
            content = make_pdf(title, pages)
        document = get_document_model()(
            title=title, file=ContentFile(content, name=name or "etude-test.pdf")
        )
        with django_capture_on_commit_callbacks(execute=True):
            document._set_document_file_metadata()
            document.save()
        document.refresh_from_db()
        return document

    return make


@pytest.fixture
def make_publication(library, make_document):
    """A published publication below the demo library."""

    def make(title="Publication de test", *, territories=(), themes=(), document=None, **fields):
        page = PublicationPage(
            title=title,
            summary=fields.pop("summary", "Un résumé."),
            document=document or make_document(title),
            **fields,
        )
        page.themes = list(Theme.objects.filter(name__in=themes))
        page.territory_links = [PublicationTerritory(territory=t) for t in territories]
        library.add_child(instance=page)
        page.save_revision().publish()
        return page

    return make


@pytest.fixture
def orne():
    return Territory.objects.get(kind="departement", code="61")


@pytest.fixture
def commune_in_orne(orne):
    return Territory.objects.create(
        name="Argentan", kind=Territory.Kind.COMMUNE, code="61006", parent=orne
    )
