"""The read-only JSON API: pages of 50, filters, detail, French errors, cache headers and a
fixed number of queries."""

import pytest

from directory.factories import EnterpriseFactory, EstablishmentFactory

LIST = "/api/v1/entreprises/"


def test_lists_public_units_with_metadata(client, units):
    response = client.get(LIST)
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and "max-age=3600" in response["Cache-Control"]
    assert response.has_header("Last-Modified")
    data = response.json()
    assert data["count"] == 3
    assert data["next"] is None and data["previous"] is None
    assert [r["siren"] for r in data["results"]] == ["822222222", "811111111", "833333333"]
    assert data["licence"]["url"].startswith("https://www.etalab.gouv.fr/")
    assert "SIRENE" in data["source"]


def test_filters_as_the_directory(client, units, places):
    def sirens(**params):
        return [r["siren"] for r in client.get(LIST, params).json()["results"]]

    assert sirens(territoire="orne") == ["833333333"]
    assert sirens(territoire=places["bayeux"].slug) == ["811111111"]
    assert sirens(famille="cooperative") == ["822222222"]
    assert sirens(secteur="Q", effectif="11") == ["811111111"]
    assert sirens(q="833 333 333") == ["833333333"]
    assert sirens(q="percheronne") == ["833333333"]


def test_pages_of_fifty(client, places):
    for number in range(120):
        EstablishmentFactory(
            enterprise=EnterpriseFactory(name=f"Entreprise {number:03d}"), commune=places["port"]
        )
    first = client.get(LIST, {"famille": "association"}).json()
    assert first["count"] == 120 and len(first["results"]) == 50
    assert first["next"] == "http://testserver/api/v1/entreprises/?famille=association&page=2"
    third = client.get(first["next"].replace("page=2", "page=3")).json()
    assert len(third["results"]) == 20
    assert third["next"] is None
    assert third["previous"] == ("http://testserver/api/v1/entreprises/?famille=association&page=2")
    assert third["results"][-1]["nom"] == "Entreprise 119"


@pytest.mark.parametrize(
    "params, status, message",
    [
        ({"page": "abc"}, 400, "Le numéro de page (page) doit être un nombre entier positif."),
        ({"page": "0"}, 400, "Le numéro de page (page) doit être un nombre entier positif."),
        ({"page": "-3"}, 400, "Le numéro de page (page) doit être un nombre entier positif."),
        ({"page": "2"}, 404, "Cette page de la liste n'existe pas."),
        ({"famille": "xyz"}, 400, "Paramètre de filtre invalide."),
        ({"territoire": "atlantide"}, 400, "Paramètre de filtre invalide."),
        ({"secteur": "ZZ"}, 400, "Paramètre de filtre invalide."),
        ({"q": "x" * 201}, 400, "La recherche (q) compte au plus 200 caractères."),
    ],
)
def test_bad_parameters_get_a_french_json_error(client, units, params, status, message):
    response = client.get(LIST, params)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response.json()["erreur"] == message


def test_an_unknown_filter_is_named(client, units):
    data = client.get(LIST, {"famille": "xyz", "secteur": "Q"}).json()
    assert data["parametres"] == {"famille": "Valeur inconnue pour « famille » : xyz."}


def test_detail_with_establishments(client, units, places):
    response = client.get(LIST + "811111111/")
    assert response.status_code == 200
    data = response.json()
    assert data["nom"] == "La Ruche solidaire"
    assert data["etablissements_normandie"] == 2
    assert len(data["etablissements"]) == 2
    head = data["etablissements"][0]
    assert head["siege"] is True
    assert head["commune"]["nom"] == "Bayeux-sur-Test"
    assert head["intercommunalite"]["slug"] == places["epci"].slug
    assert head["departement"]["code"] == "14"
    assert data["licence"]["nom"].startswith("Licence Ouverte")


@pytest.mark.parametrize(
    "siren, status", [("12345", 400), ("abcdefghi", 400), ("1234567890", 400), ("899999999", 404)]
)
def test_detail_errors(client, units, siren, status):
    response = client.get(f"{LIST}{siren}/")
    assert response.status_code == status
    assert response.json()["erreur"]


def test_only_reading(client, units):
    assert client.post(LIST).status_code == 405


def test_a_fixed_number_of_queries(client, places, django_assert_num_queries):
    """The count and the page (with each unit's establishment count); the detail: the unit
    and its establishments with their territories. The directory page's address comes from
    the shared cache."""

    def pinned():
        client.get(LIST, {"territoire": "calvados"})  # the territory and the page's address
        client.get(LIST + f"{first.siren}/")
        with django_assert_num_queries(2):
            assert client.get(LIST, {"territoire": "calvados"}).status_code == 200
        with django_assert_num_queries(2):
            assert client.get(LIST + f"{first.siren}/").status_code == 200

    first = None
    for number in range(50):
        enterprise = EnterpriseFactory()
        EstablishmentFactory(enterprise=enterprise, commune=places["bayeux"])
        first = first or enterprise
        if number == 4:
            pinned()
    pinned()
