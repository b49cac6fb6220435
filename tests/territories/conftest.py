"""A small world for the portraits: two intercommunalités in two départements, their
communes (homonyms, a shared postal code, a commune without intercommunalité), and ESS
establishments, some of which must not be counted (units not public, establishments closed).
"""

import datetime
from dataclasses import dataclass

import pytest

from cress_site.factories import TerritoryFactory
from cress_site.models import Territory
from directory.choices import Family, Sector, SizeBand
from directory.factories import EnterpriseFactory, EstablishmentFactory
from directory.models import Establishment
from territories.models import TerritoryIndexPage


@dataclass
class World:
    region: Territory
    calvados: Territory
    manche: Territory
    epci_a: Territory  # in the Calvados
    epci_b: Territory  # in the Manche
    communes: dict


@pytest.fixture
def index_page(db):
    return TerritoryIndexPage.objects.get()


@pytest.fixture
def world(db):
    region = Territory.objects.get(kind="region")
    calvados = Territory.objects.get(kind="departement", code="14")
    manche = Territory.objects.get(kind="departement", code="50")
    epci_a = Territory.objects.filter(kind="epci", departement=calvados).order_by("name").first()
    epci_b = Territory.objects.filter(kind="epci", departement=manche).order_by("name").first()

    def commune(name, code, parent, postcodes):
        return TerritoryFactory(name=name, code=code, parent=parent, postcodes=postcodes)

    communes = {
        "honorine": commune("Sainte-Honorine-des-Essais", "14901", epci_a, "14990"),
        "montfort_a": commune("Montfort-l'Essai", "14902", epci_a, "14991"),
        "montfort_b": commune("Montfort-l'Essai", "50901", epci_b, "50990"),
        "bourg": commune("Bourg-Partagé", "50902", epci_b, "50991"),
        "hameau": commune("Hameau-Partagé", "50903", epci_b, "50991"),
        "seule": commune("Écueil-Isolé", "50904", manche, "50992"),
    }
    return World(region, calvados, manche, epci_a, epci_b, communes)


# (commune key, family, sector, size band, unit public, establishment active, created on)
ESTABLISHMENTS = [
    ("honorine", Family.ASSOCIATION, Sector.Q, SizeBand.FROM_3, True, True, (2021, 3, 1)),
    ("honorine", Family.ASSOCIATION, Sector.P, SizeBand.NONE, True, True, (2023, 5, 2)),
    ("honorine", Family.COOPERATIVE, Sector.G, SizeBand.FROM_10, True, True, (2023, 1, 9)),
    ("montfort_a", Family.MUTUELLE, Sector.K, SizeBand.FROM_50, True, True, None),
    ("montfort_a", Family.ASSOCIATION, Sector.Q, SizeBand.ZERO, True, True, (2019, 7, 7)),
    # not counted: a unit not public, a closed establishment
    ("honorine", Family.ASSOCIATION, Sector.Q, SizeBand.FROM_20, False, True, (2022, 1, 1)),
    ("montfort_a", Family.COOPERATIVE, Sector.G, SizeBand.FROM_3, True, False, (2022, 1, 1)),
    # the Manche
    ("montfort_b", Family.FONDATION, Sector.Q, SizeBand.FROM_100, True, True, (2020, 2, 2)),
    ("bourg", Family.ASSOCIATION, Sector.R, SizeBand.FROM_1, True, True, (2023, 3, 3)),
    ("hameau", Family.SOCIETE_COMMERCIALE, Sector.C, SizeBand.FROM_6, True, True, None),
    ("seule", Family.ASSOCIATION, Sector.R, SizeBand.NONE, True, True, (2024, 4, 4)),
    ("bourg", Family.ASSOCIATION, Sector.R, SizeBand.FROM_1, False, True, None),
    ("seule", Family.FONDATION, Sector.Q, SizeBand.FROM_3, True, False, None),
]


def make_establishments(world, specs=ESTABLISHMENTS):
    made = []
    for key, family, sector, band, is_public, active, created in specs:
        enterprise = EnterpriseFactory(family=family, sector=sector, is_public=is_public)
        made.append(
            EstablishmentFactory(
                enterprise=enterprise,
                commune=world.communes[key],
                sector=sector,
                size_band=band,
                active=active,
                created_on=datetime.date(*created) if created else None,
            )
        )
    return made


@pytest.fixture
def establishments(world):
    return make_establishments(world)


def counted(belongs):
    """The establishments a portrait should count, filtered in Python, one by one."""
    return [
        establishment
        for establishment in Establishment.objects.select_related("enterprise")
        if establishment.enterprise.is_public
        and establishment.active
        and establishment.departement_id is not None
        and belongs(establishment)
    ]
