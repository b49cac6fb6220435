"""Import of the directory from the public files: INSEE's SIRENE stock files, or the national
open-data « liste des entreprises de l'ESS ».

Streaming, in bounded memory. The national files hold tens of millions of rows: they are read
row by row (a `.zip` as INSEE ships it is read member by member, never extracted), and only
what concerns Normandy's ESS is held:

- SIRENE (two files): 1) the legal units' file, keeping only the SIREN of the units marked ESS
  (`economieSocialeSolidaireUniteLegale = O`), as 4-byte integers in a sorted array (about 5 MB
  for the 1.2 million ESS units of France); 2) the establishments' file, keeping the
  establishments of those units in one of Normandy's communes (the `Territory` communes);
  3) the legal units' file again, keeping the units that have such an establishment.
- the open-data list (one file, one row per establishment): the rows in Normandy's communes.

Incremental and idempotent: what was read is compared with what is stored (`apply`): new units
and establishments are created, changed fields updated (each change recorded as
`{field: [before, after]}`), closed ones (INSEE's state `C` or `F`) marked inactive with their
closing date and kept as history, reopened ones reactivated, the rest counted unchanged.
A file is taken as complete (a full stock): a unit or an establishment previously imported from
the same source and absent from it (closed long ago, no longer ESS, or gone from Normandy) is
closed too, on the import's date, unless the import is `partial`. A unit or an establishment
not yet stored is created only if it is active.

What the staff wrote is never overwritten: the fields listed in a row's `staff_fields`, and the
rows entered by hand (`source = manuel`).

Privacy: a unit whose diffusion is partial (`statutDiffusionUniteLegale = P`) is stored with
`diffusible=False` and without its name ("[non diffusible]"), its establishments without name or
address; a natural person (legal category 1000) with `natural_person=True`, likewise without
name or address. Neither is ever public (`Enterprise.compute_public`).

Every import is an `ImportRun`, created first; its reading is done before anything is written,
then all the writes happen in one transaction, in batches (a fixed number of queries per batch,
none per row). A bad file (missing, empty, not a CSV, not UTF-8, missing columns) raises
`ImportFailed` with a French message; the run is then marked failed and nothing is written.
"""

import bisect
import contextlib
import csv
import io
import unicodedata
import zipfile
import zlib
from array import array
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.utils import timezone

from wagtail.search.backends import get_search_backends

from cress_site import cache as content_cache
from cress_site.models import Territory
from directory.choices import Family, SizeBand, Source
from directory.models import DIRECTORY, Enterprise, Establishment, ImportChange, ImportRun
from directory.naf import family_of, is_natural_person, normalise_activity, section_of

NON_DIFFUSIBLE_NAME = "[non diffusible]"
NATURAL_PERSON_NAME = "[entrepreneur individuel]"
BATCH_SIZE = 500
PROGRESS_EVERY = 100_000
ABSENT = "absente du fichier"

ENTERPRISE_FIELDS = [
    "name",
    "acronym",
    "legal_category",
    "family",
    "activity",
    "sector",
    "size_band",
    "created_on",
    "diffusible",
    "natural_person",
]
ESTABLISHMENT_FIELDS = [
    "name",
    "head_office",
    "address",
    "address_complement",
    "postcode",
    "city",
    "commune_id",
    "epci_id",
    "departement_id",
    "activity",
    "sector",
    "size_band",
    "created_on",
]
STATE_FIELDS = ["active", "closed_on"]
INDEXED_FIELDS = frozenset({"name", "acronym", "family", "sector"})


class ImportFailed(Exception):
    """A file that cannot be imported; the message, in French, says why."""


# --- What is read from a file ----------------------------------------------------------------


@dataclass(slots=True)
class UnitData:
    siren: str
    name: str = ""
    acronym: str = ""
    legal_category: str = ""
    family: str = Family.SOCIETE_COMMERCIALE
    activity: str = ""
    sector: str = ""
    size_band: str = SizeBand.NONE
    created_on: date | None = None
    diffusible: bool = True
    natural_person: bool = False
    active: bool = True
    closed_on: date | None = None


@dataclass(slots=True)
class SiteData:
    siret: str
    siren: str
    name: str = ""
    head_office: bool = False
    address: str = ""
    address_complement: str = ""
    postcode: str = ""
    city: str = ""
    commune_id: int | None = None
    epci_id: int | None = None
    departement_id: int | None = None
    activity: str = ""
    sector: str = ""
    size_band: str = SizeBand.NONE
    created_on: date | None = None
    active: bool = True
    closed_on: date | None = None
    private: bool = False


@dataclass
class Collected:
    """What a file holds for Normandy's ESS: units by SIREN, establishments by SIRET."""

    units: dict = field(default_factory=dict)
    sites: dict = field(default_factory=dict)
    rows_read: int = 0


# --- Reading CSV files, plain or zipped ------------------------------------------------------


def _normalise_header(name):
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return "".join(char for char in name if char.isalnum())


@contextlib.contextmanager
def open_text(path):
    """The text of a CSV file, or of the single CSV member of a zip archive, streamed."""
    path = Path(path)
    label = path.name
    if not path.is_file():
        raise ImportFailed(f"Le fichier « {label} » est introuvable.")
    if path.stat().st_size == 0:
        raise ImportFailed(f"Le fichier « {label} » est vide.")
    with open(path, "rb") as start:
        looks_zipped = start.read(4) == b"PK\x03\x04"
    if looks_zipped and not zipfile.is_zipfile(path):
        raise ImportFailed(
            f"L'archive « {label} » est incomplète ou abîmée : téléchargez-la de nouveau."
        )
    if zipfile.is_zipfile(path):
        try:
            archive = zipfile.ZipFile(path)
        except zipfile.BadZipFile as error:
            raise ImportFailed(f"L'archive « {label} » est illisible ({error}).") from error
        with archive:
            members = [
                info
                for info in archive.infolist()
                if not info.is_dir() and info.filename.lower().endswith(".csv")
            ]
            if len(members) != 1:
                raise ImportFailed(
                    f"L'archive « {label} » doit contenir un seul fichier CSV "
                    f"(elle en contient {len(members)})."
                )
            with archive.open(members[0]) as raw:
                yield io.TextIOWrapper(raw, encoding="utf-8-sig", newline=""), label
        return
    with open(path, encoding="utf-8-sig", newline="") as stream:
        yield stream, label


class Table:
    """The rows of a CSV file with the columns asked for, by the names given (`columns`:
    name → accepted headers); `required` names the columns without which nothing is read."""

    def __init__(self, path, columns, required, progress=None):
        self.path, self.columns, self.required, self.progress = path, columns, required, progress

    def __iter__(self):
        with open_text(self.path) as (stream, label):
            line = 1
            try:
                first = stream.readline()
                if not first.strip():
                    raise ImportFailed(f"Le fichier « {label} » est vide.")
                delimiter = max(",;\t|", key=first.count)
                header = next(csv.reader([first], delimiter=delimiter))
                self.index = self._index(header, label)
                width = len(header)
                for line, row in enumerate(csv.reader(stream, delimiter=delimiter), start=2):
                    if not row:
                        continue
                    if len(row) < width:
                        raise ImportFailed(
                            f"Le fichier « {label} », ligne {line} : {len(row)} colonnes au "
                            f"lieu de {width}. Le fichier est-il complet ?"
                        )
                    if self.progress is not None:
                        self.progress.tick()
                    yield row
            except UnicodeDecodeError as error:
                raise ImportFailed(
                    f"Le fichier « {label} » n'est pas un fichier CSV encodé en UTF-8 (octet "
                    f"illisible vers la ligne {line}). Les fichiers de l'INSEE le sont : "
                    "vérifiez que c'est le bon fichier, ou enregistrez-le en UTF-8."
                ) from error
            except csv.Error as error:
                raise ImportFailed(
                    f"Le fichier « {label} » n'est pas un fichier CSV lisible (ligne {line} : "
                    f"{error})."
                ) from error
            except (zipfile.BadZipFile, zlib.error, EOFError) as error:
                raise ImportFailed(
                    f"L'archive « {label} » est illisible ou incomplète (ligne {line} : {error})."
                ) from error
            except OSError as error:
                raise ImportFailed(
                    f"Le fichier « {label} » ne peut pas être lu ({error.strerror or error})."
                ) from error

    def _index(self, header, label):
        positions = {_normalise_header(name): position for position, name in enumerate(header)}
        index = {}
        for name, accepted in self.columns.items():
            for candidate in accepted:
                position = positions.get(_normalise_header(candidate))
                if position is not None:
                    index[name] = position
                    break
        missing = [self.columns[name][0] for name in self.required if name not in index]
        if missing:
            raise ImportFailed(
                f"Le fichier « {label} » n'a pas le format attendu : colonne(s) manquante(s) "
                f"{', '.join(missing)}."
            )
        return index


class Progress:
    """Counts the rows read, and says so every `every` rows through `write`."""

    def __init__(self, write=None, every=PROGRESS_EVERY):
        self.write, self.every, self.count, self.stage = write, every, 0, ""

    def tick(self):
        self.count += 1
        if self.write is not None and self.count % self.every == 0:
            self.write(f"{self.stage} : {self.count:,} lignes lues".replace(",", " "))


# --- Values ------------------------------------------------------------------------------


def _date(value):
    value = (value or "").strip()
    if not value:
        return None
    try:
        if "/" in value:
            day, month, year = value.split("/")
            return date(int(year), int(month), int(day))
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


_SIZE_BANDS = frozenset(SizeBand.values)


def _size(value):
    value = (value or "").strip()
    if len(value) == 1 and value.isdigit():
        value = f"0{value}"
    return value if value in _SIZE_BANDS else SizeBand.NONE


STREET_TYPES = {
    "ALL": "allée",
    "AV": "avenue",
    "BD": "boulevard",
    "CHE": "chemin",
    "CRS": "cours",
    "ESP": "esplanade",
    "HAM": "hameau",
    "IMP": "impasse",
    "LD": "lieu-dit",
    "PL": "place",
    "QUA": "quartier",
    "QUAI": "quai",
    "R": "rue",
    "RTE": "route",
    "SQ": "square",
    "ZA": "zone d'activité",
    "ZI": "zone industrielle",
}
REPETITION = {"B": "bis", "T": "ter", "Q": "quater"}


def _address(number, repetition, street_type, street):
    parts = [
        f"{number.strip()}{(' ' + REPETITION.get(repetition.strip(), repetition.strip())) if repetition.strip() else ''}",  # noqa: E501
        STREET_TYPES.get(street_type.strip().upper(), street_type.strip().lower()),
        street.strip(),
    ]
    return " ".join(part for part in parts if part)[:255]


def _closed(state):
    return (state or "").strip().upper() in ("C", "F")


def _private_unit(unit):
    """Forget what would name a non-diffusible unit or a natural person."""
    if unit.natural_person:
        unit.name, unit.acronym = NATURAL_PERSON_NAME, ""
    elif not unit.diffusible:
        unit.name, unit.acronym = NON_DIFFUSIBLE_NAME, ""


def _private_site(site):
    site.name = site.address = site.address_complement = ""
    site.private = True


MASKED = "[masqué]"
PRIVATE_FIELDS = ("name", "acronym", "address", "address_complement")


def _mask(changed):
    """A unit or establishment that is no longer to be named: its report does not keep the name
    or address it had either."""
    for name in PRIVATE_FIELDS:
        if name in changed and changed[name][0]:
            changed[name][0] = MASKED


def communes_by_code():
    """Normandy's communes: INSEE code → (commune id, EPCI id or None, département id)."""
    rows = Territory.objects.filter(kind=Territory.Kind.COMMUNE).values_list(
        "code", "pk", "parent_id", "parent__kind", "departement_id"
    )
    return {
        code: (pk, parent_id if parent_kind == Territory.Kind.EPCI else None, departement_id)
        for code, pk, parent_id, parent_kind, departement_id in rows
        if code
    }


# --- SIRENE stock files -----------------------------------------------------------------------

UNIT_COLUMNS = {
    "siren": ("siren",),
    "diffusion": ("statutDiffusionUniteLegale",),
    "created_on": ("dateCreationUniteLegale",),
    "acronym": ("sigleUniteLegale",),
    "legal_category": ("categorieJuridiqueUniteLegale",),
    "activity": ("activitePrincipaleUniteLegale",),
    "nomenclature": ("nomenclatureActivitePrincipaleUniteLegale",),
    "ess": ("economieSocialeSolidaireUniteLegale",),
    "state": ("etatAdministratifUniteLegale",),
    "size_band": ("trancheEffectifsUniteLegale",),
    "name": ("denominationUniteLegale",),
    "since": ("dateDebut",),
}
UNIT_REQUIRED = [
    "siren",
    "diffusion",
    "legal_category",
    "activity",
    "ess",
    "state",
    "size_band",
    "name",
]
SITE_COLUMNS = {
    "siret": ("siret",),
    "siren": ("siren",),
    "diffusion": ("statutDiffusionEtablissement",),
    "created_on": ("dateCreationEtablissement",),
    "size_band": ("trancheEffectifsEtablissement",),
    "head_office": ("etablissementSiege",),
    "number": ("numeroVoieEtablissement",),
    "repetition": ("indiceRepetitionEtablissement",),
    "street_type": ("typeVoieEtablissement",),
    "street": ("libelleVoieEtablissement",),
    "complement": ("complementAdresseEtablissement",),
    "postcode": ("codePostalEtablissement",),
    "city": ("libelleCommuneEtablissement",),
    "commune": ("codeCommuneEtablissement",),
    "sign": ("enseigne1Etablissement",),
    "usual_name": ("denominationUsuelleEtablissement",),
    "activity": ("activitePrincipaleEtablissement",),
    "nomenclature": ("nomenclatureActivitePrincipaleEtablissement",),
    "state": ("etatAdministratifEtablissement",),
    "since": ("dateDebut",),
}
SITE_REQUIRED = ["siret", "siren", "commune", "state", "activity", "head_office"]


def _activity(row, index):
    position = index.get("nomenclature")
    if position is not None and row[position] not in ("", "NAFRev2"):
        return ""  # an older nomenclature: its codes do not map to NAF rév. 2 sections
    return normalise_activity(row[index["activity"]])


def read_sirene(units_path, sites_path, communes, progress):
    """Normandy's ESS units and their establishments, from the two SIRENE stock files."""
    collected = Collected()
    # 1. The SIREN of the ESS units, as a sorted array of integers.
    progress.stage = "Unités légales (1/3)"
    units = Table(units_path, UNIT_COLUMNS, UNIT_REQUIRED, progress)
    ess = array("L")
    for row in units:
        index = units.index
        if row[index["ess"]] == "O":
            siren = row[index["siren"]]
            if siren.isdigit():
                ess.append(int(siren))
    ess = array("L", sorted(ess))
    units_read = progress.count

    # 2. Their establishments in Normandy.
    progress.stage = "Établissements (2/3)"
    sites = Table(sites_path, SITE_COLUMNS, SITE_REQUIRED, progress)
    for row in sites:
        index = sites.index
        commune = communes.get(row[index["commune"]])
        if commune is None:
            continue
        siren = row[index["siren"]]
        if not siren.isdigit():
            continue
        number = int(siren)
        position = bisect.bisect_left(ess, number)
        if position == len(ess) or ess[position] != number:
            continue
        collected.sites[row[index["siret"]]] = _sirene_site(row, index, commune)
    del ess
    sirens = {site.siren for site in collected.sites.values()}

    # 3. The units of those establishments.
    progress.stage = "Unités légales (3/3)"
    for row in units:
        index = units.index
        siren = row[index["siren"]]
        if siren in sirens:
            collected.units[siren] = _sirene_unit(row, index)
    # Rows read: each file once (the second reading of the units' file is not counted).
    collected.rows_read = progress.count - units_read
    # Establishments whose unit's row was missing from the units' file are left out.
    collected.sites = {
        siret: site for siret, site in collected.sites.items() if site.siren in collected.units
    }
    for site in collected.sites.values():
        unit = collected.units[site.siren]
        if unit.natural_person or not unit.diffusible:
            _private_site(site)
    return collected


def _sirene_unit(row, index):
    def get(name):
        position = index.get(name)
        return row[position].strip() if position is not None else ""

    category = get("legal_category")
    activity = _activity(row, index)
    closed = _closed(get("state"))
    unit = UnitData(
        siren=get("siren"),
        name=(get("name") or get("acronym") or "(sans dénomination)")[:255],
        acronym=get("acronym")[:100],
        legal_category=category[:4],
        family=family_of(category),
        activity=activity,
        sector=section_of(activity),
        size_band=_size(get("size_band")),
        created_on=_date(get("created_on")),
        diffusible=get("diffusion") != "P",
        natural_person=is_natural_person(category),
        active=not closed,
        closed_on=_date(get("since")) if closed else None,
    )
    _private_unit(unit)
    return unit


def _sirene_site(row, index, commune):
    def get(name):
        position = index.get(name)
        return row[position].strip() if position is not None else ""

    activity = _activity(row, index)
    closed = _closed(get("state"))
    site = SiteData(
        siret=get("siret"),
        siren=get("siren"),
        name=(get("sign") or get("usual_name"))[:255],
        head_office=get("head_office").lower() in ("true", "o", "1", "oui"),
        address=_address(get("number"), get("repetition"), get("street_type"), get("street")),
        address_complement=get("complement")[:255],
        postcode=get("postcode")[:5],
        city=get("city")[:100],
        commune_id=commune[0],
        epci_id=commune[1],
        departement_id=commune[2],
        activity=activity,
        sector=section_of(activity),
        size_band=_size(get("size_band")),
        created_on=_date(get("created_on")),
        active=not closed,
        closed_on=_date(get("since")) if closed else None,
    )
    if get("diffusion") == "P":
        _private_site(site)
    return site


# --- The open-data « liste des entreprises de l'ESS » ---------------------------------------

LIST_COLUMNS = {
    "siret": ("siret",),
    "siren": ("siren",),
    "commune": (
        "code_commune",
        "code_insee",
        "code_commune_insee",
        "codeCommuneEtablissement",
        "code_insee_commune",
    ),
    "name": (
        "nom",
        "raison_sociale",
        "denomination",
        "nom_raison_sociale",
        "denominationUniteLegale",
    ),
    "acronym": ("sigle",),
    "legal_category": (
        "categorie_juridique",
        "code_categorie_juridique",
        "categorieJuridiqueUniteLegale",
    ),
    "family": ("famille", "famille_juridique", "famille_ess"),
    "activity": (
        "code_naf",
        "naf",
        "code_ape",
        "activite_principale",
        "activitePrincipaleEtablissement",
    ),
    "size_band": ("tranche_effectif", "tranche_effectifs", "code_tranche_effectif"),
    "postcode": ("code_postal",),
    "address": ("adresse",),
    "complement": ("complement_adresse",),
    "city": ("commune", "libelle_commune", "ville"),
    "sign": ("enseigne", "nom_etablissement"),
    "head_office": ("siege", "est_siege"),
    "created_on": ("date_creation",),
    "state": ("etat", "etat_administratif"),
    "diffusion": ("statut_diffusion", "diffusion"),
}
LIST_REQUIRED = ["siret", "siren", "commune", "name"]
FAMILY_NAMES = {
    "association": Family.ASSOCIATION,
    "associations": Family.ASSOCIATION,
    "cooperative": Family.COOPERATIVE,
    "cooperatives": Family.COOPERATIVE,
    "mutuelle": Family.MUTUELLE,
    "mutuelles": Family.MUTUELLE,
    "fondation": Family.FONDATION,
    "fondations": Family.FONDATION,
    "societecommerciale": Family.SOCIETE_COMMERCIALE,
    "societecommercialedeless": Family.SOCIETE_COMMERCIALE,
    "societescommerciales": Family.SOCIETE_COMMERCIALE,
    "entreprisecommercialedeless": Family.SOCIETE_COMMERCIALE,
}


def read_ess_list(path, communes, progress):
    """Normandy's rows of the open-data list of ESS enterprises (one row per establishment)."""
    collected = Collected()
    progress.stage = "Liste des entreprises de l'ESS"
    table = Table(path, LIST_COLUMNS, LIST_REQUIRED, progress)
    for row in table:
        index = table.index

        def get(name, row=row, index=index):
            position = index.get(name)
            return row[position].strip() if position is not None else ""

        commune = communes.get(get("commune").zfill(5))
        siren, siret = get("siren").zfill(9), get("siret").zfill(14)
        if commune is None or not siren.isdigit() or not siret.isdigit():
            continue
        category = get("legal_category")[:4]
        activity = normalise_activity(get("activity"))
        closed = _closed(get("state")[:1]) or get("state").lower().startswith("ferm")
        family = FAMILY_NAMES.get(_normalise_header(get("family"))) or family_of(category)
        unit = collected.units.get(siren)
        if unit is None:
            unit = collected.units[siren] = UnitData(
                siren=siren,
                name=get("name")[:255] or "(sans dénomination)",
                acronym=get("acronym")[:100],
                legal_category=category,
                family=family,
                activity=activity,
                sector=section_of(activity),
                size_band=_size(get("size_band")),
                created_on=_date(get("created_on")),
                diffusible=get("diffusion").upper() != "P",
                natural_person=is_natural_person(category),
                # A unit of the list is active while one of its establishments is.
                active=False,
            )
            _private_unit(unit)
        site = SiteData(
            siret=siret,
            siren=siren,
            name=get("sign")[:255],
            head_office=get("head_office").lower() in ("true", "o", "1", "oui"),
            address=get("address")[:255],
            address_complement=get("complement")[:255],
            postcode=get("postcode")[:5],
            city=get("city")[:100],
            commune_id=commune[0],
            epci_id=commune[1],
            departement_id=commune[2],
            activity=activity,
            sector=section_of(activity),
            size_band=_size(get("size_band")),
            created_on=_date(get("created_on")),
            active=not closed,
        )
        unit.active = unit.active or site.active
        if unit.natural_person or not unit.diffusible:
            _private_site(site)
        collected.sites[siret] = site
    collected.rows_read = progress.count
    return collected


# --- Comparing with what is stored, and writing ----------------------------------------------


def _json(value):
    return value.isoformat() if isinstance(value, date) else value


@dataclass
class Outcome:
    """What an import did, to units (`units`) and to establishments (`sites`), by kind."""

    units: dict = field(default_factory=lambda: dict.fromkeys(ImportChange.Kind.values, 0))
    sites: dict = field(default_factory=lambda: dict.fromkeys(ImportChange.Kind.values, 0))
    unchanged_units: int = 0
    unchanged_sites: int = 0
    changed_fields: dict = field(default_factory=dict)


def apply(run, source, collected, partial=False, today=None):
    """Bring the stored directory in line with `collected`; return the `Outcome`."""
    today = today or timezone.localdate()
    outcome = Outcome()
    changes = []
    stored_units = {unit.siren: unit for unit in Enterprise.objects.all()}
    stored_sites = {site.siret: site for site in Establishment.objects.all()}
    commune_codes = dict(
        Territory.objects.filter(kind=Territory.Kind.COMMUNE).values_list("pk", "code")
    )

    def record(kind, unit_name, siren, siret="", changed=None):
        changes.append(
            ImportChange(
                run=run, kind=kind, siren=siren, siret=siret, name=unit_name, fields=changed or {}
            )
        )

    # Units.
    active_sirens = {site.siren for site in collected.sites.values() if site.active}
    new_units, updated_units, update_unit_fields, indexed_changes = [], [], set(), set()
    for siren, data in collected.units.items():
        stored = stored_units.get(siren)
        if stored is None:
            if not data.active or siren not in active_sirens:
                continue  # a closed unit never imported, or none of its establishments open
            unit = Enterprise(siren=siren, source=source, staff_fields=[])
            for name in ENTERPRISE_FIELDS + STATE_FIELDS:
                setattr(unit, name, getattr(data, name))
            new_units.append(unit)
            stored_units[siren] = unit
            outcome.units[ImportChange.Kind.CREATED] += 1
            record(ImportChange.Kind.CREATED, unit.name, siren)
            continue
        if stored.source == Source.MANUAL:
            continue
        kind, changed = _compare(stored, data, ENTERPRISE_FIELDS, today)
        if data.natural_person or not data.diffusible:
            _mask(changed)
        if stored.source != source:
            changed["source"] = [stored.source, source]
            stored.source = source
        if changed:
            kind = kind or ImportChange.Kind.UPDATED
            updated_units.append(stored)
            update_unit_fields.update(name for name in changed if name != "motif")
            if INDEXED_FIELDS.intersection(changed):
                indexed_changes.add(stored.pk)
            outcome.units[kind] += 1
            record(kind, stored.name, siren, changed=changed)
            _count_fields(outcome, changed)
        else:
            outcome.unchanged_units += 1

    if not partial:
        for siren, stored in stored_units.items():
            if (
                stored.pk
                and stored.source == source
                and stored.active
                and siren not in collected.units
            ):
                changed = {
                    "active": [True, False],
                    "closed_on": [_json(stored.closed_on), _json(today)],
                    "motif": ["", ABSENT],
                }
                stored.active, stored.closed_on = False, today
                updated_units.append(stored)
                update_unit_fields.update(STATE_FIELDS)
                outcome.units[ImportChange.Kind.CLOSED] += 1
                record(ImportChange.Kind.CLOSED, stored.name, siren, changed=changed)

    Enterprise.objects.bulk_create(new_units, batch_size=BATCH_SIZE)
    if updated_units:
        now = timezone.now()  # bulk_update does not fill `auto_now` fields
        for unit in updated_units:
            unit.updated_at = now
        Enterprise.objects.bulk_update(
            updated_units, sorted(update_unit_fields) + ["updated_at"], batch_size=BATCH_SIZE
        )

    # Establishments.
    new_sites, updated_sites, update_site_fields = [], [], set()
    for siret, data in collected.sites.items():
        unit = stored_units.get(data.siren)
        stored = stored_sites.get(siret)
        if stored is None:
            if unit is None or unit.pk is None or not data.active:
                continue
            site = Establishment(siret=siret, enterprise=unit, source=source, staff_fields=[])
            for name in ESTABLISHMENT_FIELDS + STATE_FIELDS:
                setattr(site, name, getattr(data, name))
            new_sites.append(site)
            outcome.sites[ImportChange.Kind.CREATED] += 1
            record(ImportChange.Kind.CREATED, unit.name, data.siren, siret)
            continue
        if stored.source == Source.MANUAL:
            continue
        kind, changed = _compare(stored, data, ESTABLISHMENT_FIELDS, today, commune_codes)
        if data.private:
            _mask(changed)
        if stored.source != source:
            changed["source"] = [stored.source, source]
            stored.source = source
        if changed:
            kind = kind or ImportChange.Kind.UPDATED
            updated_sites.append(stored)
            update_site_fields.update(_attname(name) for name in changed if name != "motif")
            outcome.sites[kind] += 1
            record(kind, unit.name if unit else "", data.siren, siret, changed)
        else:
            outcome.unchanged_sites += 1

    if not partial:
        names = {siren: unit.name for siren, unit in stored_units.items()}
        for siret, stored in stored_sites.items():
            if stored.source == source and stored.active and siret not in collected.sites:
                siren = siret[:9]
                changed = {
                    "active": [True, False],
                    "closed_on": [_json(stored.closed_on), _json(today)],
                    "motif": ["", ABSENT],
                }
                stored.active, stored.closed_on = False, today
                updated_sites.append(stored)
                update_site_fields.update(STATE_FIELDS)
                outcome.sites[ImportChange.Kind.CLOSED] += 1
                record(ImportChange.Kind.CLOSED, names.get(siren, ""), siren, siret, changed)

    Establishment.objects.bulk_create(new_sites, batch_size=BATCH_SIZE)
    if updated_sites:
        Establishment.objects.bulk_update(
            updated_sites, sorted(update_site_fields), batch_size=BATCH_SIZE
        )
    ImportChange.objects.bulk_create(changes, batch_size=BATCH_SIZE)
    flipped = refresh_public()
    # What the search index holds of a unit: its name, acronym, family, sector, publication.
    reindex = {unit.pk for unit in new_units} | flipped | indexed_changes
    return outcome, reindex


def _attname(name):
    return f"{name}_id" if name in ("commune", "epci", "departement") else name


def _compare(stored, data, names, today, commune_codes=None):
    """The kind of change (closed, reopened or None) and the changed fields of `stored`, which
    is brought in line with `data` (staff fields left alone)."""
    staff = set(stored.staff_fields or ())
    if "commune" in staff:  # the EPCI and the département follow the commune
        staff |= {"epci", "departement"}
    changed = {}
    for name in names:
        if name in staff or name.removesuffix("_id") in staff:
            continue
        old, new = getattr(stored, name), getattr(data, name)
        if old != new:
            label = name.removesuffix("_id")
            if name == "commune_id" and commune_codes is not None:
                changed[label] = [commune_codes.get(old), commune_codes.get(new)]
            elif name.endswith("_id"):
                changed[label] = [old, new]
            else:
                changed[label] = [_json(old), _json(new)]
            setattr(stored, name, new)
    kind = None
    if "active" not in staff:
        if stored.active and not data.active:
            kind = ImportChange.Kind.CLOSED
            closed_on = data.closed_on or today
            changed["active"] = [True, False]
            changed["closed_on"] = [_json(stored.closed_on), _json(closed_on)]
            stored.active, stored.closed_on = False, closed_on
        elif not stored.active and data.active:
            kind = ImportChange.Kind.REOPENED
            changed["active"] = [False, True]
            changed["closed_on"] = [_json(stored.closed_on), None]
            stored.active, stored.closed_on = True, None
        elif not data.active and data.closed_on and stored.closed_on != data.closed_on:
            changed["closed_on"] = [_json(stored.closed_on), _json(data.closed_on)]
            stored.closed_on = data.closed_on
    return kind, changed


def _count_fields(outcome, changed):
    for name in changed:
        if name not in ("active", "closed_on", "motif"):
            outcome.changed_fields[name] = outcome.changed_fields.get(name, 0) + 1


def refresh_public():
    """Recompute `is_public` of every unit whose value is out of date (four queries, whatever
    the number of units); return the ids of the units whose value changed."""
    has_site = Exists(
        Establishment.objects.filter(enterprise=OuterRef("pk"), active=True, commune__isnull=False)
    )
    public = ExpressionWrapper(
        Q(diffusible=True, natural_person=False, active=True) & Q(has_site),
        output_field=BooleanField(),
    )
    published = list(
        Enterprise.objects.filter(public, is_public=False).values_list("pk", flat=True)
    )
    withdrawn = list(
        Enterprise.objects.exclude(public).filter(is_public=True).values_list("pk", flat=True)
    )
    for ids, value in ((published, True), (withdrawn, False)):
        for start in range(0, len(ids), BATCH_SIZE):
            Enterprise.objects.filter(pk__in=ids[start : start + BATCH_SIZE]).update(
                is_public=value
            )
    return set(published) | set(withdrawn)


# --- The whole import -------------------------------------------------------------------------


def run_import(
    source,
    files,
    *,
    partial=False,
    user=None,
    write=None,
    progress_every=PROGRESS_EVERY,
    today=None,
    run=None,
):
    """Import `files` (SIRENE: the units' file and the establishments' file; the ESS list: one
    file) and return the finished `ImportRun` (`run`, if given: a run created when the import
    was asked for). Raises `ImportFailed` (the run marked failed,
    nothing written) for a file that cannot be imported."""
    if run is None:
        file_name = " + ".join(Path(path).name for path in files)[:255]
        run = ImportRun.objects.create(source=source, file_name=file_name, user=user)
    progress = Progress(write, progress_every)
    try:
        communes = communes_by_code()
        if source == Source.SIRENE:
            if len(files) != 2:
                raise ImportFailed(
                    "L'import SIRENE demande deux fichiers : les unités légales "
                    "(StockUniteLegale) et les établissements (StockEtablissement)."
                )
            collected = read_sirene(files[0], files[1], communes, progress)
        elif source == Source.ESS_LIST:
            if len(files) != 1:
                raise ImportFailed(
                    "L'import de la liste des entreprises de l'ESS demande un fichier."
                )
            collected = read_ess_list(files[0], communes, progress)
        else:
            raise ImportFailed(f"Format d'import inconnu : {source}.")
        with transaction.atomic():
            outcome, touched = apply(run, source, collected, partial=partial, today=today)
            run.rows_read = collected.rows_read
            run.rows_kept = len(collected.units) + len(collected.sites)
            run.created = outcome.units[ImportChange.Kind.CREATED]
            run.updated = outcome.units[ImportChange.Kind.UPDATED]
            run.closed = outcome.units[ImportChange.Kind.CLOSED]
            run.reopened = outcome.units[ImportChange.Kind.REOPENED]
            run.unchanged = outcome.unchanged_units
            run.report = report_text(outcome)
            run.status = ImportRun.Status.DONE
            run.finished_at = timezone.now()
            run.save()
            transaction.on_commit(lambda: content_cache.bump(DIRECTORY))
    except Exception as error:
        # Nothing was written (the writes' transaction was rolled back): the run says why.
        run.status = ImportRun.Status.FAILED
        run.error = (
            str(error)
            if isinstance(error, ImportFailed)
            else f"Erreur inattendue ({type(error).__name__}) : rien n'a été importé."
        )
        run.rows_read = progress.count
        run.finished_at = timezone.now()
        run.save()
        raise
    _index(touched)
    return run


def _index(ids):
    """Keep the search index in line with the units whose indexed fields changed (by
    batches). Wagtail's database backend updates an existing entry with one query each: a
    mass rename costs one query per unit there, once, after the import's transaction."""
    ids = sorted(ids)
    for start in range(0, len(ids), BATCH_SIZE):
        units = list(Enterprise.objects.filter(pk__in=ids[start : start + BATCH_SIZE]))
        for backend in get_search_backends():
            backend.add_bulk(Enterprise, units)


# --- The report --------------------------------------------------------------------------------


def _count(number, singular, plural):
    return f"{number} {singular if number < 2 else plural}"


FIELD_LABELS = {
    **{
        f.name: str(f.verbose_name)
        for f in Enterprise._meta.get_fields()
        if hasattr(f, "verbose_name")
    },
}


def report_text(outcome):
    """« Entreprises : 3 nouvelles, 1 modifiée (dénomination), 1 fermée… »"""
    Kind = ImportChange.Kind
    units, sites = outcome.units, outcome.sites
    changed = ", ".join(FIELD_LABELS.get(name, name) for name in sorted(outcome.changed_fields))
    updated = _count(units[Kind.UPDATED], "modifiée", "modifiées")
    if changed and units[Kind.UPDATED]:
        updated += f" ({changed})"
    return (
        f"Entreprises : {_count(units[Kind.CREATED], 'nouvelle', 'nouvelles')}, {updated}, "
        f"{_count(units[Kind.CLOSED], 'fermée', 'fermées')}, "
        f"{_count(units[Kind.REOPENED], 'réouverte', 'réouvertes')}, "
        f"{_count(outcome.unchanged_units, 'inchangée', 'inchangées')}. "
        f"Établissements : {_count(sites[Kind.CREATED], 'nouveau', 'nouveaux')}, "
        f"{_count(sites[Kind.UPDATED], 'modifié', 'modifiés')}, "
        f"{_count(sites[Kind.CLOSED], 'fermé', 'fermés')}, "
        f"{_count(sites[Kind.REOPENED], 'rouvert', 'rouverts')}, "
        f"{_count(outcome.unchanged_sites, 'inchangé', 'inchangés')}."
    )
