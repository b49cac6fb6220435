"""The filtered list as CSV and JSON: parsed as a program would, with licence, source and
date; the same filters as the page."""

import csv
import io
import json

from django.utils import timezone

from tests.directory.conftest import URL


def streamed(response):
    assert response.streaming
    return b"".join(response.streaming_content)


def test_csv_is_a_plain_table_a_french_spreadsheet_opens(client, units):
    response = client.get(URL + "export.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="entreprises-ess-normandie-{today}.csv"'
    )
    assert 'rel="license"' in response["Link"] and "etalab" in response["Link"]
    body = streamed(response)
    assert body.startswith("\ufeff".encode())  # the BOM: a spreadsheet reads UTF-8
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
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
    by_siren = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert list(by_siren) == ["822222222", "811111111", "833333333"]  # by name
    ruche = by_siren["811111111"]
    assert ruche["nom"] == "La Ruche solidaire"
    assert ruche["sigle"] == "LRS"
    assert ruche["famille"] == "association"
    assert ruche["libelle_secteur"] == "Santé humaine et action sociale"
    assert ruche["date_creation"] == "2015-03-02"
    assert ruche["etablissements_normandie"] == "2"
    assert ruche["page"] == "http://testserver/annuaire/811111111/"


def test_csv_follows_the_filters(client, units, places):
    body = streamed(
        client.get(URL + "export.csv", {"territoire": places["epci"].slug, "q": "ruche"})
    )
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert [row["siren"] for row in rows] == ["811111111"]


def test_json_carries_licence_source_and_date(client, units):
    response = client.get(
        URL + "export.json", {"famille": "mutuelle", "page": "3", "secteur": "inconnu"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].endswith('.json"')
    data = json.loads(streamed(response))
    assert data["licence"]["nom"] == "Licence Ouverte / Open Licence version 2.0"
    assert "SIRENE" in data["source"] and "CRESS Normandie" in data["source"]
    assert data["date_extraction"] == timezone.localdate().isoformat()
    assert data["filtres"] == {"famille": "mutuelle"}
    assert data["nombre"] == 1
    assert [e["siren"] for e in data["entreprises"]] == ["833333333"]
    assert data["entreprises"][0]["libelle_tranche_effectif"] == "50 à 99 salariés"


def test_an_empty_selection_and_bad_parameters_still_download(client, units):
    data = json.loads(streamed(client.get(URL + "export.json", {"q": "introuvable"})))
    assert data["entreprises"] == [] and data["nombre"] == 0
    for params in ({"famille": "xyz"}, {"territoire": "nulle-part"}, {"q": "x" * 3000}):
        assert client.get(URL + "export.csv", params).status_code == 200


def test_downloads_are_rate_limited(client, units, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "directory_export": {"client": "2/m"}}
    assert client.get(URL + "export.csv").status_code == 200
    assert client.get(URL + "export.json").status_code == 200
    response = client.get(URL + "export.csv")
    assert response.status_code == 429
    assert "Retry-After" in response


def test_a_fixed_number_of_queries(client, units, django_assert_max_num_queries):
    """One query for the units with their establishment count (in chunks), whatever their
    number, after the routing."""
    client.get(URL + "export.csv")
    with django_assert_max_num_queries(3):
        streamed(client.get(URL + "export.csv"))
