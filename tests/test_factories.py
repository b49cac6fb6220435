"""Every factory builds a valid, saved object where it belongs in the tree; every page type has
one."""

from wagtail.models import Page, get_page_models

import pytest

from cress_site.factories import DocumentFactory, ImageFactory, TerritoryFactory, ThemeFactory
from cress_site.models import Territory
from directory.factories import DirectoryPageFactory
from directory.models import DirectoryPage
from events.factories import (
    AudienceFactory,
    EventIndexPageFactory,
    EventOccurrenceFactory,
    EventPageFactory,
    RegistrationFactory,
)
from events.models import EventIndexPage, EventPage, Registration
from home.factories import (
    ContentPageFactory,
    FormFieldFactory,
    FormPageFactory,
    HomePageFactory,
    PitchPageFactory,
)
from home.models import ContentPage, FormPage, HomePage, PitchPage
from projects_showcase.factories import ProjectIndexPageFactory, ProjectPageFactory
from projects_showcase.models import ProjectIndexPage, ProjectPage
from publications.factories import PublicationIndexPageFactory, PublicationPageFactory
from publications.models import PublicationIndexPage, PublicationPage
from territories.factories import TerritoryIndexPageFactory, TerritoryPortraitFactory
from territories.models import TerritoryIndexPage

# Each page type and the factory that builds it.
PAGE_FACTORIES = {
    HomePage: HomePageFactory,
    PitchPage: PitchPageFactory,
    ContentPage: ContentPageFactory,
    FormPage: FormPageFactory,
    PublicationIndexPage: PublicationIndexPageFactory,
    PublicationPage: PublicationPageFactory,
    EventIndexPage: EventIndexPageFactory,
    EventPage: EventPageFactory,
    ProjectIndexPage: ProjectIndexPageFactory,
    ProjectPage: ProjectPageFactory,
    DirectoryPage: DirectoryPageFactory,
    TerritoryIndexPage: TerritoryIndexPageFactory,
}

pytestmark = pytest.mark.django_db


def test_taxonomy_factories():
    theme = ThemeFactory()
    commune = TerritoryFactory()
    assert theme.slug
    assert commune.kind == Territory.Kind.COMMUNE
    assert commune.departement.code == "14"
    commune.full_clean()


def test_territory_factories(home_page):
    TerritoryIndexPage.objects.all().delete()  # one per site: the demo's goes
    page = TerritoryIndexPageFactory(parent=home_page)
    assert page.get_parent().pk == home_page.pk
    page.full_clean()
    text = TerritoryPortraitFactory()
    assert text.territory.kind == Territory.Kind.DEPARTEMENT
    text.full_clean()


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


def test_every_page_type_has_a_factory():
    page_types = {model for model in get_page_models() if model is not Page}
    assert page_types == set(PAGE_FACTORIES)


@pytest.mark.parametrize(
    "factory", [EventIndexPageFactory, ProjectIndexPageFactory, PublicationIndexPageFactory]
)
def test_index_page_factories(home_page, factory):
    page = factory()
    assert page.get_parent().pk == home_page.pk
    page.full_clean()


def test_home_page_factory(site):
    home = HomePageFactory(parent=site.root_page.get_parent(), title="Deuxième site")
    assert isinstance(home, HomePage)
    home.full_clean()


def test_event_factory_publishes_the_event_and_stores_its_date():
    event = EventPageFactory(audiences=[AudienceFactory(name="Porteurs de projet")])
    assert isinstance(event, EventPage)
    assert isinstance(event.get_parent().specific, EventIndexPage)
    event.full_clean()
    occurrence = event.occurrences.get()
    assert occurrence.start == event.start
    assert [audience.name for audience in event.audiences.all()] == ["Porteurs de projet"]
    assert event.live and event.live_revision_id


def test_event_factory_can_leave_the_event_unpublished():
    assert not EventPageFactory(publish=False).occurrences.exists()


def test_occurrence_and_registration_factories():
    registration = RegistrationFactory()
    occurrence = registration.occurrence
    assert occurrence.page.registration_enabled
    assert registration.status == Registration.Status.CONFIRMED
    registration.full_clean()
    assert occurrence.confirmed == 1 and occurrence.accepts_registrations
    assert EventOccurrenceFactory(page=occurrence.page, original_date="2099-01-01").pk


def test_project_factory():
    project = ProjectPageFactory()
    assert isinstance(project, ProjectPage)
    assert isinstance(project.get_parent().specific, ProjectIndexPage)
    project.full_clean()


def test_directory_page_factory(home_page):
    DirectoryPage.objects.all().delete()  # one per site: the demo's
    page = DirectoryPageFactory()
    assert page.get_parent().pk == home_page.pk
    page.full_clean()
