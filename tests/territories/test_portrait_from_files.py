"""A portrait's figures against counts made independently from the imported files: the demo's
generator writes SIRENE stock files for three communes of two intercommunalités, the import
reads them, and the counts are made again here by reading the same files with the csv module
and the rules of the directory (an ESS unit, diffusible, not a natural person, in activity; its
establishment in activity), not through the database."""

import csv
from collections import Counter

import pytest

from cress_site.factories import TerritoryFactory
from cress_site.models import Territory
from directory.choices import Source
from directory.demo import loaded_communes, write_demo_files
from directory.importers import run_import
from territories.figures import build_portrait
from territories.gazetteer import portrait_places

pytestmark = pytest.mark.django_db


@pytest.fixture
def communes():
    caen_la_mer = Territory.objects.get(kind=Territory.Kind.EPCI, code="200065597")
    argentan = Territory.objects.get(kind=Territory.Kind.EPCI, code="200068450")
    return {
        "caen": TerritoryFactory(name="Caen", code="14118", parent=caen_la_mer),
        "herouville": TerritoryFactory(
            name="Hérouville-Saint-Clair", code="14327", parent=caen_la_mer
        ),
        "argentan": TerritoryFactory(name="Argentan", code="61006", parent=argentan),
    }


def counted_from_files(units_path, sites_path, commune_codes):
    """(total, associations, left out) of the establishments of `commune_codes` in the files:
    those a portrait counts, and those it must not."""
    with open(units_path, encoding="utf-8", newline="") as file:
        units = {row["siren"]: row for row in csv.DictReader(file)}
    counts = Counter()
    with open(sites_path, encoding="utf-8", newline="") as file:
        for site in csv.DictReader(file):
            unit = units.get(site["siren"])
            if unit is None or site["codeCommuneEtablissement"] not in commune_codes:
                continue
            if (
                site["etatAdministratifEtablissement"] != "A"
                or unit["economieSocialeSolidaireUniteLegale"] != "O"
                or unit["statutDiffusionUniteLegale"] != "O"
                or unit["categorieJuridiqueUniteLegale"] == "1000"
                or unit["etatAdministratifUniteLegale"] != "A"
            ):
                counts["left out"] += 1
                continue
            counts["total"] += 1
            if unit["categorieJuridiqueUniteLegale"].startswith("92"):
                counts["associations"] += 1
    return counts["total"], counts["associations"], counts["left out"]


def test_a_portrait_counts_what_the_imported_files_hold(tmp_path, communes):
    units_path, sites_path, _list_path = write_demo_files(
        tmp_path, loaded_communes(), establishments=400
    )
    run_import(Source.SIRENE, [units_path, sites_path])
    places = portrait_places()
    for territory, codes in [
        (communes["caen"].parent, {"14118", "14327"}),
        (communes["argentan"].parent, {"61006"}),
        (Territory.objects.get(kind="departement", code="14"), {"14118", "14327"}),
        (Territory.objects.get(kind="region"), {"14118", "14327", "61006"}),
    ]:
        total, associations, left_out = counted_from_files(units_path, sites_path, codes)
        assert total > 20 and left_out > 0, territory  # both kinds, enough to mean something
        portrait = build_portrait(places.by_slug[territory.slug], places)
        [families] = [table for table in portrait.tables if table.slug == "familles"]
        by_family = {row.key: row.cells[0].count for row in families.rows}
        assert (portrait.counts.total, by_family.get("association", 0)) == (total, associations)
