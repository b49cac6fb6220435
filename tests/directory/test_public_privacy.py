"""Units that are not public (non-diffusible, natural persons, closed, with no active
establishment in Normandy) never appear anywhere public."""

import csv
import io
import json

import pytest

from cress_site import cache as content_cache
from directory.links import enterprise_url
from directory.scopes import DIRECTORY
from directory.search import find_enterprises
from tests.directory.conftest import URL, text

HIDDEN = ["non_diffusible", "natural_person", "closed", "outside"]


def streamed(response):
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_the_hidden_units_are_not_public(units):
    """The import's rule (Enterprise.compute_public), as the fixtures computed it."""
    assert {unit.siren for unit in units["hidden"].values()}.isdisjoint(
        {unit.siren for unit in units["public"].values()}
    )


def test_not_in_the_listing_its_counts_or_its_search(client, units):
    response = client.get(URL)
    page = text(response)
    assert response.context["listing"].total == 3
    for key in HIDDEN:
        unit = units[key]
        assert unit.name not in page and unit.siren_display not in page
        assert client.get(URL, {"q": unit.siren}).context["listing"].total == 0
        assert client.get(URL, {"q": unit.name}).context["listing"].total == 0
    counts = {o.value: o.count for o in response.context["listing"].options["famille"]}
    assert sum(counts.values()) == 3


@pytest.mark.parametrize("key", HIDDEN)
def test_no_page(client, units, key):
    assert client.get(f"{URL}{units[key].siren}/").status_code == 404
    assert enterprise_url(units[key]) is None
    assert units[key].get_absolute_url() is None


@pytest.mark.parametrize("key", HIDDEN)
def test_not_in_the_api(client, units, key):
    response = client.get(f"/api/v1/entreprises/{units[key].siren}/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    listed = client.get("/api/v1/entreprises/", {"q": units[key].siren}).json()
    assert listed["count"] == 0
    everything = client.get("/api/v1/entreprises/").json()
    assert units[key].siren not in {r["siren"] for r in everything["results"]}


def test_not_in_the_downloads(client, units):
    rows = list(
        csv.DictReader(io.StringIO(streamed(client.get(URL + "export.csv"))), delimiter=";")
    )
    data = json.loads(streamed(client.get(URL + "export.json")))
    for sirens in ({row["siren"] for row in rows}, {e["siren"] for e in data["entreprises"]}):
        assert sirens == {unit.siren for unit in units["public"].values()}


def test_not_in_the_sitemap(client, units):
    sitemap = client.get("/sitemap.xml").content.decode()
    for unit in units["public"].values():
        assert f"http://testserver{URL}{unit.siren}/</loc>" in sitemap
    for key in HIDDEN:
        assert units[key].siren not in sitemap


def test_not_found_by_the_site_search_function(units):
    for key in HIDDEN:
        assert find_enterprises(units[key].name) == []
        assert find_enterprises(units[key].siren) == []
    assert find_enterprises("ruche") == [units["ruche"]]
    assert find_enterprises("811 111 111") == [units["ruche"]]
    assert find_enterprises("LRS") == [units["ruche"]]
    assert find_enterprises("coopératives bessin") == [units["scop"]]
    assert find_enterprises("") == []
    assert len(find_enterprises("e", limit=2)) == 2


def test_the_site_search_and_its_suggestions_show_public_units_only(client, units):
    """The units are a section of the site search (registered by the app)."""
    for key in HIDDEN:
        for query in (units[key].name, units[key].siren):
            page = client.get("/recherche/", {"q": query})
            assert page.status_code == 200
            assert f"{URL}{units[key].siren}/" not in text(page)
            assert "Entreprises de l'ESS" not in text(page)  # no section: nothing found
            suggested = client.get("/recherche/suggestions/", {"q": query}).json()
            assert "entreprises" not in {section["key"] for section in suggested["sections"]}
    page = text(client.get("/recherche/", {"q": "ruche"}))
    assert "Entreprises de l'ESS" in page
    assert f'href="{URL}811111111/"' in page
    assert "Association · SIREN 811 111 111" in page
    assert f'href="{URL}?q=ruche"' in page  # "Voir tout": the directory, searched
    sections = client.get("/recherche/suggestions/", {"q": "ruche"}).json()["sections"]
    [enterprises] = [section for section in sections if section["key"] == "entreprises"]
    assert [result["url"] for result in enterprises["results"]] == [f"{URL}811111111/"]


def test_a_unit_that_stops_being_public_leaves_at_once(client, units):
    """An import that closes a unit sets `is_public` and moves the directory's generation."""
    assert client.get(f"{URL}811111111/").status_code == 200
    units["ruche"].active = False
    units["ruche"].save()
    units["ruche"].refresh_public()
    content_cache.bump(DIRECTORY)
    assert client.get(f"{URL}811111111/").status_code == 404
    assert client.get(URL).context["listing"].total == 2


def test_the_sitemap_is_rendered_once_per_generation(client, units, django_assert_num_queries):
    first = client.get("/sitemap.xml")
    with django_assert_num_queries(0):
        again = client.get("/sitemap.xml")
    assert again.content == first.content
    assert client.get("/sitemap.xml", {"p": "2"}).status_code == 404
    assert client.get("/sitemap.xml", {"p": "abc"}).status_code == 404
    units["scop"].is_public = False
    units["scop"].save()  # a new generation of the directory: rendered again
    assert "822222222" not in client.get("/sitemap.xml").content.decode()
