"""Every factory builds a valid, saved object where it belongs in the tree."""

import pytest

from cress_site.factories import DocumentFactory, ImageFactory, TerritoryFactory, ThemeFactory
from cress_site.models import Territory
from home.factories import (
    ContentPageFactory,
    FormFieldFactory,
    FormPageFactory,
    PitchPageFactory,
)
from home.models import ContentPage, FormPage, PitchPage
from publications.factories import PublicationPageFactory
from publications.models import PublicationIndexPage, PublicationPage

pytestmark = pytest.mark.django_db


def test_taxonomy_factories():
    theme = ThemeFactory()
    commune = TerritoryFactory()
    assert theme.slug
    assert commune.kind == Territory.Kind.COMMUNE
    assert commune.departement.code == "14"
    commune.full_clean()


def test_image_factory():
    image = ImageFactory()
    assert image.width > 0
    assert image.credit == "CRESS Normandie"


@pytest.mark.parametrize(
    ("factory", "model"),
    [(PitchPageFactory, PitchPage), (ContentPageFactory, ContentPage), (FormPageFactory, FormPage)],
)
def test_page_factories(home_page, factory, model):
    page = factory(parent=home_page)
    assert isinstance(page, model)
    assert page.get_parent().pk == home_page.pk
    page.full_clean()


def test_form_field_factory(home_page):
    field = FormFieldFactory(page=FormPageFactory(parent=home_page), label="Nom de la commune")
    assert field.clean_name == "nom_de_la_commune"


def test_document_factory_makes_a_real_pdf():
    document = DocumentFactory()
    with document.open_file() as handle:
        assert handle.read(5) == b"%PDF-"


def test_publication_factory():
    library = PublicationIndexPage.objects.get()
    publication = PublicationPageFactory(parent=library)
    assert isinstance(publication, PublicationPage)
    assert publication.document.is_pdf
    publication.full_clean()
