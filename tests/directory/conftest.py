"""A small directory: two communes of an intercommunalité of the Calvados, one of the Orne,
public units of several families, sectors and sizes, and units that must never be shown; Caen
and Argentan for the import's tests."""

import datetime
import html

import pytest

from cress_site.factories import TerritoryFactory
from cress_site.models import Territory
from directory.choices import Family, Sector, SizeBand
from directory.factories import EnterpriseFactory, EstablishmentFactory
from directory.models import DirectoryPage

URL = "/annuaire/"


def text(response):
    """A page's HTML, its entities decoded and the site's typographic spaces (before « » : ;)
    made plain spaces."""
    return html.unescape(response.content.decode()).replace("\u202f", " ").replace("\xa0", " ")


@pytest.fixture
def directory_page(db):
    return DirectoryPage.objects.get()


@pytest.fixture
def places(db):
    calvados = Territory.objects.get(kind="departement", code="14")
    orne = Territory.objects.get(kind="departement", code="61")
    epci = TerritoryFactory(
        kind="epci", name="Communauté de test du Bessin", code="200099991", parent=calvados
    )
    orne_epci = TerritoryFactory(
        kind="epci", name="Communauté de test du Perche", code="200099992", parent=orne
    )
    return {
        "calvados": calvados,
        "orne": orne,
        "epci": epci,
        "orne_epci": orne_epci,
        "bayeux": TerritoryFactory(name="Bayeux-sur-Test", code="14999", parent=epci),
        "port": TerritoryFactory(name="Port-en-Test", code="14998", parent=epci),
        "mortagne": TerritoryFactory(name="Mortagne-en-Test", code="61999", parent=orne_epci),
    }


def make_unit(commune, *, establishments=1, **fields):
    """A unit with `establishments` active establishments in `commune`, its public flag
    computed as the import does (`refresh_public`)."""
    enterprise = EnterpriseFactory(**fields)
    for number in range(establishments):
        EstablishmentFactory(enterprise=enterprise, commune=commune, head_office=number == 0)
    enterprise.refresh_public()
    return enterprise


@pytest.fixture
def units(places):
    """Public units, and the four kinds of units that are never public."""
    public = {
        "ruche": make_unit(
            places["bayeux"],
            siren="811111111",
            name="La Ruche solidaire",
            acronym="LRS",
            family=Family.ASSOCIATION,
            sector=Sector.Q,
            size_band=SizeBand.FROM_10,
            created_on=datetime.date(2015, 3, 2),
            establishments=2,
        ),
        "scop": make_unit(
            places["port"],
            siren="822222222",
            name="Charpentes coopératives du Bessin",
            family=Family.COOPERATIVE,
            sector=Sector.F,
            size_band=SizeBand.FROM_20,
        ),
        "mutuelle": make_unit(
            places["mortagne"],
            siren="833333333",
            name="Mutuelle percheronne",
            family=Family.MUTUELLE,
            sector=Sector.K,
            size_band=SizeBand.FROM_50,
        ),
    }
    hidden = {
        "non_diffusible": make_unit(
            places["bayeux"], siren="844444444", name="Secret diffusion", diffusible=False
        ),
        "natural_person": make_unit(
            places["bayeux"], siren="855555555", name="Jean Entrepreneur", natural_person=True
        ),
        "closed": make_unit(
            places["bayeux"],
            siren="866666666",
            name="Ancienne association fermée",
            active=False,
            closed_on=datetime.date(2020, 1, 1),
        ),
        "outside": make_unit(None, siren="877777777", name="Association hors Normandie"),
    }
    for unit in public.values():
        assert unit.is_public
    for unit in hidden.values():
        assert not unit.is_public
    return {**public, **hidden, "public": public, "hidden": hidden}


CAEN, ARGENTAN, PARIS = "14118", "61006", "75056"


@pytest.fixture
def communes():
    """Caen and Argentan, in an intercommunalité of their département (the test database has
    no communes)."""
    calvados = Territory.objects.filter(kind=Territory.Kind.EPCI, departement__code="14").first()
    orne = Territory.objects.filter(kind=Territory.Kind.EPCI, departement__code="61").first()
    return {
        CAEN: TerritoryFactory(name="Caen", code=CAEN, parent=calvados, postcodes="14000"),
        ARGENTAN: TerritoryFactory(name="Argentan", code=ARGENTAN, parent=orne, postcodes="61200"),
    }
