"""The demo files: fictitious, in the official formats, deterministic, imported by the import."""

import time

import pytest

from cress_site.factories import TerritoryFactory
from cress_site.models import Territory
from directory.demo import (
    _luhn_valid,
    load_demo_directory,
    loaded_communes,
    write_demo_files,
)
from directory.formats import SITE_HEADER, UNIT_HEADER
from directory.models import Enterprise, ImportRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed_communes():
    caen_la_mer = Territory.objects.get(kind=Territory.Kind.EPCI, code="200065597")
    argentan = Territory.objects.get(kind=Territory.Kind.EPCI, code="200068450")
    return [
        TerritoryFactory(name="Caen", code="14118", parent=caen_la_mer, population=109400),
        TerritoryFactory(name="Hérouville-Saint-Clair", code="14327", parent=caen_la_mer),
        TerritoryFactory(name="Argentan", code="61006", parent=argentan, population=13527),
    ]


def test_the_test_database_has_no_demo_directory():
    """Built without communes: nothing to place enterprises in, nothing imported."""
    assert not Enterprise.objects.exists()
    assert not ImportRun.objects.exists()


def test_the_demo_files_are_the_same_every_time_and_their_sirens_are_fictitious(
    tmp_path, seed_communes
):
    communes = loaded_communes()
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = write_demo_files(tmp_path / "a", communes, establishments=300)
    second = write_demo_files(tmp_path / "b", communes, establishments=300)
    for one, other in zip(first, second, strict=True):
        assert one.name.startswith("demo-fictif-")
        assert one.read_bytes() == other.read_bytes()
    units = first[0].read_text().splitlines()
    assert units[0].split(",") == UNIT_HEADER
    assert first[1].read_text().splitlines()[0].split(",") == SITE_HEADER
    sirens = [line.split(",", 1)[0] for line in units[1:]]
    assert len(sirens) > 150
    assert not any(_luhn_valid(siren) for siren in sirens)


def test_the_demo_is_imported_through_the_import_quickly(seed_communes):
    started = time.perf_counter()
    message = load_demo_directory(write=None, establishments=300)
    assert time.perf_counter() - started < 3
    assert message.startswith("Annuaire (données fictives) : Entreprises : ")
    assert ImportRun.objects.filter(status=ImportRun.Status.DONE).count() == 2
    public = Enterprise.objects.public()
    for name in (
        "Créacoop 14",
        "Restaurant d'insertion d'Argentan",
        "Centre d'habitat social de l'agglomération caennaise",
    ):
        assert public.filter(name=name).exists()
    assert Enterprise.objects.filter(diffusible=False, is_public=False).exists()
    assert Enterprise.objects.filter(natural_person=True, is_public=False).exists()
    assert Enterprise.objects.filter(active=False).exists() is False  # never imported closed
    assert not Enterprise.objects.filter(name__startswith="Entreprise ").exists()  # not ESS
    assert not Enterprise.objects.filter(name__startswith="Association d'ailleurs").exists()
    # Loaded once.
    assert load_demo_directory(write=None) == "Annuaire : données de démonstration déjà importées."
