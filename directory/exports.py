"""The directory as open data: the filtered list as CSV and JSON, and the records of the API.

One row per legal unit (the directory lists units; their establishments are counted, and
listed on each unit's page and in the API's detail): `siren`, `nom`, `sigle`, `famille`,
`secteur` (NAF section letter) and its label, `code_naf`, `tranche_effectif` (INSEE code) and
its label, `date_creation` (ISO 8601), `etablissements_normandie` (active establishments in
Normandy), `page` (the unit's page on the site).

CSV: UTF-8 with a byte-order mark, `;` between fields, one header row and nothing else. A
spreadsheet in French opens it as it is (Excel reads the BOM as UTF-8 and splits on `;`, the
French list separator; LibreOffice asks and proposes both), and it stays a plain table for a
program (`csv.reader(..., delimiter=";")` on text decoded as "utf-8-sig"). A spreadsheet
reads the SIREN as a number: a SIREN starting with 0 loses it there, which the JSON keeps.

Licence, source and date are not rows of the CSV (a program would read them as data): they are
in the file's name (`entreprises-ess-normandie-<date>.csv`), in HTTP headers (`Link` to the
licence with `rel="license"`, `Content-Disposition`), on the directory page next to the
download links, and at the top of the JSON (`licence`, `source`, `date_extraction`,
`donnees_mises_a_jour_le`).

Both are streamed (`StreamingHttpResponse`): the units are read in chunks
(`QuerySet.iterator`), never all in memory, so the whole directory downloads as fast as a
filtered part.
"""

import csv
import datetime
import json

from django.http import StreamingHttpResponse
from django.utils import timezone

from cress_site import cache as content_cache
from directory.scopes import DIRECTORY

LICENCE = {
    "nom": "Licence Ouverte / Open Licence version 2.0",
    "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}
SOURCE = (
    "INSEE, base SIRENE des entreprises et de leurs établissements (Licence Ouverte 2.0) ; "
    "liste et corrections de la CRESS Normandie"
)
PRODUCER = "CRESS Normandie"
FILE_STEM = "entreprises-ess-normandie"

COLUMNS = [
    "siren",
    "nom",
    "sigle",
    "famille",
    "secteur",
    "libelle_secteur",
    "code_naf",
    "tranche_effectif",
    "libelle_tranche_effectif",
    "date_creation",
    "etablissements_normandie",
    "page",
]


def updated_on():
    """When the directory last changed (its generation in the public cache: no query)."""
    return datetime.datetime.fromtimestamp(
        content_cache.last_modified(DIRECTORY), tz=datetime.UTC
    ).astimezone(timezone.get_current_timezone())


def enterprise_record(enterprise, url):
    """The open-data record of a unit (`establishment_count` annotated), as the CSV's
    columns."""
    return {
        "siren": enterprise.siren,
        "nom": enterprise.name,
        "sigle": enterprise.acronym,
        "famille": enterprise.family,
        "secteur": enterprise.sector,
        "libelle_secteur": enterprise.get_sector_display() if enterprise.sector else "",
        "code_naf": enterprise.activity,
        "tranche_effectif": enterprise.size_band,
        "libelle_tranche_effectif": enterprise.get_size_band_display(),
        "date_creation": enterprise.created_on.isoformat() if enterprise.created_on else "",
        "etablissements_normandie": getattr(enterprise, "establishment_count", None),
        "page": url,
    }


def metadata():
    """Licence, source and dates of an extraction (JSON export, API)."""
    return {
        "licence": LICENCE,
        "source": SOURCE,
        "producteur": PRODUCER,
        "date_extraction": timezone.localdate().isoformat(),
        "donnees_mises_a_jour_le": updated_on().isoformat(timespec="seconds"),
    }


def _headers(response, extension):
    name = f"{FILE_STEM}-{timezone.localdate().isoformat()}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Link"] = f'<{LICENCE["url"]}>; rel="license"'
    response["X-Content-Type-Options"] = "nosniff"
    # The list changes with an import: a browser or a CDN may keep it an hour at most.
    response["Cache-Control"] = "public, max-age=3600"
    return response


class _Echo:
    """A file-like object for csv.writer that hands back what it is given."""

    def write(self, value):
        return value


def _csv_lines(rows):
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    yield "\ufeff" + writer.writerow(COLUMNS)
    for enterprise, url in rows:
        record = enterprise_record(enterprise, url)
        yield writer.writerow([record[column] for column in COLUMNS])


def csv_response(rows):
    """The CSV of `rows` ((enterprise, page URL) pairs), streamed."""
    response = StreamingHttpResponse(
        (line.encode("utf-8") for line in _csv_lines(rows)),
        content_type="text/csv; charset=utf-8",
    )
    return _headers(response, "csv")


def _json_chunks(rows, filters):
    head = {**metadata(), "filtres": filters}
    # The object is written as it is read: its metadata, the units, then their number.
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "entreprises": ['
    count = 0
    for enterprise, url in rows:
        prefix = "," if count else ""
        count += 1
        yield prefix + json.dumps(enterprise_record(enterprise, url), ensure_ascii=False)
    yield f'], "nombre": {count}}}'


def json_response(rows, filters):
    """The JSON of `rows` ((enterprise, page URL) pairs) with its metadata and the `filters`
    applied ({parameter: value}), streamed."""
    response = StreamingHttpResponse(
        (chunk.encode("utf-8") for chunk in _json_chunks(rows, filters)),
        content_type="application/json; charset=utf-8",
    )
    return _headers(response, "json")
