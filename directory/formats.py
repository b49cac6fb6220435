"""Writing files in the formats the import reads: INSEE's SIRENE stock files and the open-data
list of ESS enterprises. Used by the demo data, the benchmark and the tests.

The SIRENE headers are the columns of INSEE's `StockUniteLegale` and `StockEtablissement`
files, in their order (« Base Sirene des entreprises et de leurs établissements », INSEE,
Licence Ouverte 2.0). The list's header is the format the import accepts
(`directory.importers.LIST_COLUMNS`).
"""

import contextlib
import csv
import io
import zipfile
from pathlib import Path

UNIT_HEADER = [
    "siren",
    "statutDiffusionUniteLegale",
    "unitePurgeeUniteLegale",
    "dateCreationUniteLegale",
    "sigleUniteLegale",
    "sexeUniteLegale",
    "prenom1UniteLegale",
    "prenom2UniteLegale",
    "prenom3UniteLegale",
    "prenom4UniteLegale",
    "prenomUsuelUniteLegale",
    "pseudonymeUniteLegale",
    "identifiantAssociationUniteLegale",
    "trancheEffectifsUniteLegale",
    "anneeEffectifsUniteLegale",
    "dateDernierTraitementUniteLegale",
    "nombrePeriodesUniteLegale",
    "categorieEntreprise",
    "anneeCategorieEntreprise",
    "dateDebut",
    "etatAdministratifUniteLegale",
    "nomUniteLegale",
    "nomUsageUniteLegale",
    "denominationUniteLegale",
    "denominationUsuelle1UniteLegale",
    "denominationUsuelle2UniteLegale",
    "denominationUsuelle3UniteLegale",
    "categorieJuridiqueUniteLegale",
    "activitePrincipaleUniteLegale",
    "nomenclatureActivitePrincipaleUniteLegale",
    "nicSiegeUniteLegale",
    "economieSocialeSolidaireUniteLegale",
    "societeMissionUniteLegale",
    "caractereEmployeurUniteLegale",
]
SITE_HEADER = [
    "siren",
    "nic",
    "siret",
    "statutDiffusionEtablissement",
    "dateCreationEtablissement",
    "trancheEffectifsEtablissement",
    "anneeEffectifsEtablissement",
    "activitePrincipaleRegistreMetiersEtablissement",
    "dateDernierTraitementEtablissement",
    "etablissementSiege",
    "nombrePeriodesEtablissement",
    "complementAdresseEtablissement",
    "numeroVoieEtablissement",
    "indiceRepetitionEtablissement",
    "dernierNumeroVoieEtablissement",
    "indiceRepetitionDernierNumeroVoieEtablissement",
    "typeVoieEtablissement",
    "libelleVoieEtablissement",
    "codePostalEtablissement",
    "libelleCommuneEtablissement",
    "libelleCommuneEtrangerEtablissement",
    "distributionSpecialeEtablissement",
    "codeCommuneEtablissement",
    "codeCedexEtablissement",
    "libelleCedexEtablissement",
    "codePaysEtrangerEtablissement",
    "libellePaysEtrangerEtablissement",
    "identifiantAdresseEtablissement",
    "coordonneeLambertAbscisseEtablissement",
    "coordonneeLambertOrdonneeEtablissement",
    "dateDebut",
    "etatAdministratifEtablissement",
    "enseigne1Etablissement",
    "enseigne2Etablissement",
    "enseigne3Etablissement",
    "denominationUsuelleEtablissement",
    "activitePrincipaleEtablissement",
    "nomenclatureActivitePrincipaleEtablissement",
    "caractereEmployeurEtablissement",
]
LIST_HEADER = [
    "siren",
    "siret",
    "nom",
    "sigle",
    "categorie_juridique",
    "famille",
    "code_naf",
    "tranche_effectif",
    "siege",
    "enseigne",
    "adresse",
    "complement_adresse",
    "code_postal",
    "commune",
    "code_commune",
    "date_creation",
    "etat",
    "statut_diffusion",
]


class RowWriter:
    """Writes rows given as dicts (missing columns empty) under `header`."""

    def __init__(self, stream, header, delimiter=","):
        self.header = header
        self.writer = csv.writer(stream, delimiter=delimiter, lineterminator="\n")
        self.writer.writerow(header)

    def write(self, row):
        self.writer.writerow([row.get(name, "") for name in self.header])


@contextlib.contextmanager
def csv_writer(path, header, member=None, delimiter=","):
    """A `RowWriter` into `path`: a plain CSV, or (with `member`) a zip archive holding one
    CSV member named `member`, written as it goes."""
    path = Path(path)
    if member is None:
        with open(path, "w", encoding="utf-8", newline="") as stream:
            yield RowWriter(stream, header, delimiter)
        return
    with (
        zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open(member, "w") as raw,
        io.TextIOWrapper(raw, encoding="utf-8", newline="") as stream,
    ):
        yield RowWriter(stream, header, delimiter)


def unit_row(
    siren,
    name,
    *,
    category="9220",
    activity="88.99B",
    ess="O",
    state="A",
    diffusion="O",
    size_band="NN",
    created_on="2010-01-01",
    since="2010-01-01",
    acronym="",
):
    """A row of `StockUniteLegale`."""
    person = category == "1000"
    return {
        "siren": siren,
        "statutDiffusionUniteLegale": diffusion,
        "dateCreationUniteLegale": created_on,
        "sigleUniteLegale": acronym,
        "trancheEffectifsUniteLegale": size_band,
        "dateDebut": since,
        "etatAdministratifUniteLegale": state,
        "nomUniteLegale": name if person else "",
        "prenom1UniteLegale": "Camille" if person else "",
        "denominationUniteLegale": "" if person else name,
        "categorieJuridiqueUniteLegale": category,
        "activitePrincipaleUniteLegale": activity,
        "nomenclatureActivitePrincipaleUniteLegale": "NAFRev2",
        "nicSiegeUniteLegale": "00011",
        "economieSocialeSolidaireUniteLegale": ess,
        "caractereEmployeurUniteLegale": "N" if size_band in ("NN", "00") else "O",
    }


def site_row(
    siret,
    commune,
    *,
    postcode="",
    city="",
    head_office=True,
    activity="88.99B",
    state="A",
    diffusion="O",
    size_band="NN",
    created_on="2010-01-01",
    since="2010-01-01",
    number="1",
    street_type="R",
    street="DE LA PAIX",
    sign="",
):
    """A row of `StockEtablissement`."""
    return {
        "siren": siret[:9],
        "nic": siret[9:],
        "siret": siret,
        "statutDiffusionEtablissement": diffusion,
        "dateCreationEtablissement": created_on,
        "trancheEffectifsEtablissement": size_band,
        "etablissementSiege": "true" if head_office else "false",
        "numeroVoieEtablissement": number,
        "typeVoieEtablissement": street_type,
        "libelleVoieEtablissement": street,
        "codePostalEtablissement": postcode,
        "libelleCommuneEtablissement": city,
        "codeCommuneEtablissement": commune,
        "dateDebut": since,
        "etatAdministratifEtablissement": state,
        "enseigne1Etablissement": sign,
        "activitePrincipaleEtablissement": activity,
        "nomenclatureActivitePrincipaleEtablissement": "NAFRev2",
    }
