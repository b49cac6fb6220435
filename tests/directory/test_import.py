"""The import of the directory: SIRENE stock files and the open-data list, incremental,
idempotent, streaming, respectful of the staff's corrections and of privacy."""

import io
import zipfile
from datetime import date
from unittest import mock

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from cress_site import cache as content_cache
from directory.choices import Family, Source
from directory.formats import (
    LIST_HEADER,
    SITE_HEADER,
    UNIT_HEADER,
    csv_writer,
    site_row,
    unit_row,
)
from directory.importers import NATURAL_PERSON_NAME, NON_DIFFUSIBLE_NAME, ImportFailed, run_import
from directory.models import DIRECTORY, Enterprise, Establishment, ImportChange, ImportRun
from tests.directory.conftest import ARGENTAN, CAEN, PARIS

pytestmark = pytest.mark.django_db


class Files:
    """A pair of SIRENE stock files written from lists of rows, in `folder`."""

    def __init__(self, folder, units=(), sites=(), zipped=False):
        self.folder, self.units, self.sites, self.zipped = folder, list(units), list(sites), zipped

    def write(self):
        suffix = ".zip" if self.zipped else ".csv"
        paths = []
        for name, header, rows in (
            ("StockUniteLegale", UNIT_HEADER, self.units),
            ("StockEtablissement", SITE_HEADER, self.sites),
        ):
            path = self.folder / f"{name}{suffix}"
            member = f"{name}_utf8.csv" if self.zipped else None
            with csv_writer(path, header, member=member) as writer:
                for row in rows:
                    writer.write(row)
            paths.append(path)
        return paths

    def import_(self, **kwargs):
        return run_import(Source.SIRENE, self.write(), **kwargs)


def association(siren, name, commune=CAEN, **unit):
    return (
        unit_row(siren, name, **unit),
        site_row(f"{siren}00011", commune, postcode="14000", city="CAEN", sign=""),
    )


def standard_files(folder):
    """Three ESS units in Normandy and what the import must leave out."""
    files = Files(folder)
    for siren, name, commune in (
        ("100000001", "Les Jardins de Caen", CAEN),
        ("100000002", "Coopérative du bocage", ARGENTAN),
        ("100000003", "Mutuelle des aidants", CAEN),
    ):
        unit, site = association(siren, name, commune)
        files.units.append(unit)
        files.sites.append(site)
    files.units[1].update(
        categorieJuridiqueUniteLegale="5458", activitePrincipaleUniteLegale="01.61Z"
    )
    files.units[2].update(categorieJuridiqueUniteLegale="8210", trancheEffectifsUniteLegale="12")
    # A second establishment of the first unit, closed long ago: never imported.
    files.sites.append(site_row("10000000100029", CAEN, head_office=False, state="F"))
    # Not ESS, in Caen; ESS, in Paris; ESS, closed, never imported.
    for siren, name, ess, commune, state in (
        ("200000001", "Boulangerie ordinaire", "N", CAEN, "A"),
        ("200000002", "Association parisienne", "O", PARIS, "A"),
        ("200000003", "Ancienne association", "O", CAEN, "C"),
    ):
        files.units.append(unit_row(siren, name, ess=ess, state=state))
        files.sites.append(site_row(f"{siren}00011", commune, state="F" if state == "C" else "A"))
    return files


def test_the_first_import_keeps_normandy_s_ess_units_with_their_family_sector_and_places(
    tmp_path, communes
):
    run = standard_files(tmp_path).import_()

    assert run.status == ImportRun.Status.DONE
    assert (run.created, run.updated, run.closed, run.unchanged) == (3, 0, 0, 0)
    assert run.rows_read == 13  # 6 units, 7 establishments
    assert run.report.startswith("Entreprises : 3 nouvelles, 0 modifiée, 0 fermée")
    assert set(Enterprise.objects.values_list("siren", flat=True)) == {
        "100000001",
        "100000002",
        "100000003",
    }
    coop = Enterprise.objects.get(siren="100000002")
    assert (coop.family, coop.sector, coop.activity, coop.source) == (
        Family.COOPERATIVE,
        "A",
        "01.61Z",
        Source.SIRENE,
    )
    assert Enterprise.objects.get(siren="100000003").family == Family.MUTUELLE
    assert Enterprise.objects.get(siren="100000003").size_band == "12"
    assert set(Enterprise.objects.public().values_list("siren", flat=True)) == {
        "100000001",
        "100000002",
        "100000003",
    }
    site = Establishment.objects.get(siret="10000000200011")
    argentan = communes[ARGENTAN]
    assert (site.commune, site.epci_id, site.departement) == (
        argentan,
        argentan.parent_id,
        argentan.departement,
    )
    assert site.address == "1 rue DE LA PAIX"
    assert not Establishment.objects.filter(siret="10000000100029").exists()
    assert run.changes.filter(kind=ImportChange.Kind.CREATED).count() == 6


def test_a_second_import_of_the_same_files_changes_nothing(tmp_path, communes):
    files = standard_files(tmp_path)
    files.import_()
    before = list(Enterprise.objects.values().order_by("siren"))

    run = files.import_()

    assert (run.created, run.updated, run.closed, run.reopened, run.unchanged) == (0, 0, 0, 0, 3)
    assert not run.changes.exists()
    assert run.report == (
        "Entreprises : 0 nouvelle, 0 modifiée, 0 fermée, 0 réouverte, 3 inchangées. "
        "Établissements : 0 nouveau, 0 modifié, 0 fermé, 0 rouvert, 3 inchangés."
    )
    after = list(Enterprise.objects.values().order_by("siren"))
    for row in before + after:
        row.pop("updated_at")
    assert after == before


def test_one_unit_renamed_and_one_closed_are_reported_exactly(tmp_path, communes):
    files = standard_files(tmp_path)
    files.import_()
    files.units[0]["denominationUniteLegale"] = "Les Jardins partagés de Caen"
    files.units[1].update(etatAdministratifUniteLegale="C", dateDebut="2025-03-31")
    files.sites[1].update(etatAdministratifEtablissement="F", dateDebut="2025-03-31")

    run = files.import_()

    assert run.report == (
        "Entreprises : 0 nouvelle, 1 modifiée (dénomination), 1 fermée, 0 réouverte, "
        "1 inchangée. Établissements : 0 nouveau, 0 modifié, 1 fermé, 0 rouvert, 2 inchangés."
    )
    renamed = run.changes.get(kind=ImportChange.Kind.UPDATED)
    assert (renamed.siren, renamed.fields) == (
        "100000001",
        {"name": ["Les Jardins de Caen", "Les Jardins partagés de Caen"]},
    )
    closed = run.changes.get(kind=ImportChange.Kind.CLOSED, siret="")
    assert closed.siren == "100000002"
    assert closed.fields == {"active": [True, False], "closed_on": [None, "2025-03-31"]}
    coop = Enterprise.objects.get(siren="100000002")
    assert (coop.active, coop.closed_on, coop.is_public) == (False, date(2025, 3, 31), False)
    assert coop.updated_at > coop.first_seen
    # Kept as history, with its establishment.
    assert coop.establishments.get().active is False

    # It starts again: reopened.
    files.units[1].update(etatAdministratifUniteLegale="A", dateDebut="2025-09-01")
    files.sites[1].update(etatAdministratifEtablissement="A", dateDebut="2025-09-01")
    run = files.import_()
    assert (run.reopened, run.updated, run.closed) == (1, 0, 0)
    coop.refresh_from_db()
    assert (coop.active, coop.closed_on, coop.is_public) == (True, None, True)


def test_a_unit_absent_from_a_full_file_is_closed_unless_the_import_is_partial(tmp_path, communes):
    files = standard_files(tmp_path)
    files.import_()
    del files.units[2], files.sites[2]

    partial = files.import_(partial=True)
    assert (partial.closed, partial.unchanged) == (0, 2)
    assert Enterprise.objects.get(siren="100000003").active

    full = files.import_(today=date(2026, 1, 15))
    assert full.closed == 1
    change = full.changes.get(kind=ImportChange.Kind.CLOSED, siret="")
    assert change.fields["motif"] == ["", "absente du fichier"]
    gone = Enterprise.objects.get(siren="100000003")
    assert (gone.active, gone.closed_on, gone.is_public) == (False, date(2026, 1, 15), False)
    assert not gone.establishments.get().active


def test_the_fields_the_staff_corrected_are_never_overwritten(tmp_path, communes):
    files = standard_files(tmp_path)
    files.import_()
    Enterprise.objects.filter(siren="100000001").update(
        name="Jardins de Caen (nom d'usage)",
        website="https://jardins.example",
        staff_fields=["name"],
    )
    files.units[0]["denominationUniteLegale"] = "Nouvelle dénomination INSEE"
    files.units[0]["trancheEffectifsUniteLegale"] = "03"

    run = files.import_()

    unit = Enterprise.objects.get(siren="100000001")
    assert unit.name == "Jardins de Caen (nom d'usage)"
    assert unit.website == "https://jardins.example"
    assert unit.size_band == "03"  # not corrected by the staff: follows INSEE
    assert run.changes.get(kind=ImportChange.Kind.UPDATED).fields == {"size_band": ["NN", "03"]}


def test_rows_entered_by_the_staff_are_left_alone(tmp_path, communes):
    manual = Enterprise.objects.create(
        siren="100000003", name="Saisie de l'équipe", family=Family.FONDATION, source=Source.MANUAL
    )
    lone = Enterprise.objects.create(
        siren="300000001",
        name="Absente des fichiers",
        family=Family.FONDATION,
        source=Source.MANUAL,
    )
    files = standard_files(tmp_path)

    files.import_()
    files.import_()  # absent from the file: still not closed

    manual.refresh_from_db()
    assert (manual.name, manual.family, manual.source) == (
        "Saisie de l'équipe",
        Family.FONDATION,
        Source.MANUAL,
    )
    lone.refresh_from_db()
    assert lone.active


def test_non_diffusible_units_and_natural_persons_are_imported_never_public_nor_named(
    tmp_path, communes
):
    files = Files(tmp_path)
    secret_unit, secret_site = association("400000001", "Nom secret", diffusion="P")
    person_unit, person_site = association("400000002", "Durand", category="1000")
    person_site["enseigne1Etablissement"] = "Chez Durand"
    files.units += [secret_unit, person_unit]
    files.sites += [secret_site, person_site]

    run = files.import_()

    assert run.created == 2
    secret = Enterprise.objects.get(siren="400000001")
    person = Enterprise.objects.get(siren="400000002")
    assert (secret.diffusible, secret.name, secret.is_public) == (False, NON_DIFFUSIBLE_NAME, False)
    assert (person.natural_person, person.name, person.is_public) == (
        True,
        NATURAL_PERSON_NAME,
        False,
    )
    assert not Enterprise.objects.public().exists()
    for site in Establishment.objects.all():
        assert (site.name, site.address) == ("", "")
    stored = " ".join(
        str(value)
        for model in (Enterprise, Establishment, ImportChange)
        for row in model.objects.values()
        for value in row.values()
    )
    assert "secret" not in stored.lower() and "durand" not in stored.lower()
    # Published again by a staff member's edit? Only by `refresh_public`, which still refuses.
    assert secret.refresh_public() is False and person.refresh_public() is False


def test_a_unit_that_becomes_non_diffusible_leaves_no_name_in_the_report(tmp_path, communes):
    files = standard_files(tmp_path)
    files.import_()
    files.units[0]["statutDiffusionUniteLegale"] = "P"
    files.sites[0]["statutDiffusionEtablissement"] = "P"

    run = files.import_()

    unit = Enterprise.objects.get(siren="100000001")
    assert (unit.name, unit.diffusible, unit.is_public) == (NON_DIFFUSIBLE_NAME, False, False)
    change = run.changes.get(siret="")
    assert change.fields["name"] == ["[masqué]", NON_DIFFUSIBLE_NAME]
    assert change.name == NON_DIFFUSIBLE_NAME
    site_change = run.changes.get(siret="10000000100011")
    assert site_change.fields["address"] == ["[masqué]", ""]
    assert not ImportChange.objects.filter(fields__icontains="Jardins").exists()


def test_a_zipped_stock_is_streamed_without_extracting_it(tmp_path, communes):
    files = standard_files(tmp_path)
    files.zipped = True
    paths = files.write()
    with (
        mock.patch.object(zipfile.ZipFile, "extract", side_effect=AssertionError),
        mock.patch.object(zipfile.ZipFile, "extractall", side_effect=AssertionError),
        mock.patch.object(zipfile.ZipFile, "read", side_effect=AssertionError),
    ):
        run = run_import(Source.SIRENE, paths)
    assert run.created == 3


def test_the_command_shows_progress_and_its_report(tmp_path, communes):
    units, sites = standard_files(tmp_path).write()
    out = io.StringIO()
    call_command("import_directory", "--sirene", units, sites, "--progression", "5", stdout=out)
    text = out.getvalue()
    assert "Unités légales (1/3) : 5 lignes lues" in text
    assert "Établissements (2/3) : 10 lignes lues" in text
    assert "Entreprises : 3 nouvelles" in text

    out = io.StringIO()
    call_command("import_directory", "--sirene", units, sites, "--quiet", stdout=out)
    assert "lignes lues" not in out.getvalue().split("\n", 1)[1]
    assert "3 inchangées" in out.getvalue()


def test_the_directory_s_pages_are_forgotten_once_the_import_is_committed(
    tmp_path, communes, django_capture_on_commit_callbacks
):
    with (
        mock.patch.object(content_cache, "bump") as bump,
        django_capture_on_commit_callbacks(execute=True),
    ):
        standard_files(tmp_path).import_()
    assert bump.call_args_list == [mock.call(DIRECTORY)]


def test_a_staff_edit_moves_the_directory_s_cache_generation(communes):
    unit = Enterprise.objects.create(siren="500000001", name="A", family="association")
    with mock.patch.object(content_cache, "bump") as bump:
        unit.name = "B"
        unit.save()
    assert mock.call(DIRECTORY) in bump.call_args_list


# --- Bad files ---------------------------------------------------------------------------------


def _bad_files(tmp_path, content):
    units, sites = standard_files(tmp_path).write()
    units.write_bytes(content)
    return units, sites


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "est vide"),
        (b"siren,denominationUniteLegale\n100000001,X\n", "colonne(s) manquante(s)"),
        ("siren,é\n".encode("latin-1") + b"\xe9\xe8\xff" * 10, "encodé en UTF-8"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\xfd", "encodé en UTF-8"),
        (b"Bonjour, ceci est une lettre.\nCordialement\n", "colonne(s) manquante(s)"),
    ],
)
def test_a_bad_file_fails_in_french_and_writes_nothing(tmp_path, communes, content, message):
    units, sites = _bad_files(tmp_path, content)
    with pytest.raises(CommandError, match="Import échoué") as error:
        call_command("import_directory", "--sirene", units, sites, stdout=io.StringIO())
    assert message in str(error.value)
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FAILED
    assert message in run.error
    assert not Enterprise.objects.exists()
    assert not ImportChange.objects.exists()


def test_a_file_broken_in_the_middle_writes_nothing(tmp_path, communes):
    files = standard_files(tmp_path)
    units, sites = files.write()
    sites.write_text(sites.read_text() + "10000000100037,140\n")  # a truncated last row
    with pytest.raises(ImportFailed, match="colonnes au lieu de"):
        run_import(Source.SIRENE, [units, sites])
    assert not Enterprise.objects.exists() and not Establishment.objects.exists()


def test_a_truncated_zip_fails_in_french(tmp_path, communes):
    files = standard_files(tmp_path)
    files.zipped = True
    units, sites = files.write()
    data = sites.read_bytes()
    sites.write_bytes(data[: len(data) // 2])
    with pytest.raises(ImportFailed, match=r"L.archive « StockEtablissement\.zip » est incomplète"):
        run_import(Source.SIRENE, [units, sites])
    assert ImportRun.objects.get().status == ImportRun.Status.FAILED


def test_an_unexpected_error_marks_the_run_failed_and_writes_nothing(tmp_path, communes):
    files = standard_files(tmp_path)
    with (
        mock.patch("directory.importers.refresh_public", side_effect=RuntimeError("panne")),
        pytest.raises(RuntimeError),
    ):
        files.import_()
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FAILED
    assert run.error == "Erreur inattendue (RuntimeError) : rien n'a été importé."
    assert not Enterprise.objects.exists() and not ImportChange.objects.exists()


def test_a_missing_file_fails_in_french(tmp_path, communes):
    with pytest.raises(CommandError, match="introuvable"):
        call_command(
            "import_directory", "--liste-ess", tmp_path / "absent.csv", stdout=io.StringIO()
        )


# --- The open-data list -----------------------------------------------------------------------


def test_the_open_data_list_is_imported_with_its_own_headers(tmp_path, communes):
    path = tmp_path / "liste.csv"
    path.write_text(
        "SIREN;SIRET;Raison sociale;Catégorie juridique;Famille;Code NAF;Tranche effectif;"
        "Adresse;Code postal;Commune;Code commune;Etat\n"
        "600000001;60000000100011;Épicerie solidaire;5710;Société commerciale de l'ESS;4711F;"
        "01;2 place de l'Église;14000;CAEN;14118;A\n"
        "600000002;60000000200011;Fondation du littoral;9300;;7219Z;11;;61200;ARGENTAN;61006;A\n"
        "600000003;60000000300011;Ailleurs;9220;Association;9499Z;NN;;75001;PARIS;75056;A\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    call_command("import_directory", "--liste-ess", path, stdout=out)
    assert "2 nouvelles" in out.getvalue()
    shop = Enterprise.objects.get(siren="600000001")
    assert (shop.family, shop.activity, shop.sector, shop.source, shop.is_public) == (
        Family.SOCIETE_COMMERCIALE,
        "47.11F",
        "G",
        Source.ESS_LIST,
        True,
    )
    assert Enterprise.objects.get(siren="600000002").family == Family.FONDATION
    assert shop.establishments.get().address == "2 place de l'Église"
    # The same list again: nothing changes; the SIRENE import's units are not closed by it.
    call_command("import_directory", "--liste-ess", path, stdout=out)
    assert ImportRun.objects.first().report.startswith("Entreprises : 0 nouvelle, 0 modifiée")


def test_a_demo_list_file_is_imported(tmp_path, communes):
    path = tmp_path / "liste.zip"
    with csv_writer(path, LIST_HEADER, member="liste.csv", delimiter=";") as writer:
        writer.write(
            {"siren": "700000001", "siret": "70000000100011", "nom": "Asso", "code_commune": CAEN}
        )
    run = run_import(Source.ESS_LIST, [path])
    assert run.created == 1


# --- Queries ------------------------------------------------------------------------------------


def _many(folder, kept, ignored):
    files = Files(folder)
    for number in range(kept):
        unit, site = association(f"{110000000 + number}", f"Association {number}")
        files.units.append(unit)
        files.sites.append(site)
    for number in range(ignored):
        siren = f"{210000000 + number}"
        files.units.append(unit_row(siren, f"Entreprise {number}", ess="N"))
        files.sites.append(site_row(f"{siren}00011", CAEN))
    return files


def test_the_queries_of_an_import_do_not_depend_on_the_rows_read(tmp_path, communes):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    small, large = _many(tmp_path / "a", 50, 0).write(), _many(tmp_path / "b", 50, 2000).write()
    with CaptureQueriesContext(connection) as first:
        run_import(Source.SIRENE, small)
    Enterprise.objects.all().delete()
    with CaptureQueriesContext(connection) as second:
        run_import(Source.SIRENE, large)
    assert len(second) == len(first)
    assert len(first) < 40


def test_the_queries_of_an_import_grow_by_batches_not_by_rows(
    tmp_path, communes, django_assert_max_num_queries
):
    files = _many(tmp_path, 500, 0)
    # SQLite takes at most 999 parameters a query: a batch of establishments is 52 rows there.
    with django_assert_max_num_queries(80):
        run = files.import_()
    assert run.created == 500
    for unit in files.units[:250]:
        unit["trancheEffectifsUniteLegale"] = "01"
    with django_assert_max_num_queries(40):
        run = files.import_()
    assert run.updated == 250
