"""Portraits found by a territory's name, and the portrait's address of any territory."""

import pytest

from territories.links import portrait_url
from territories.search import find_portraits

pytestmark = pytest.mark.django_db


def test_a_departement_is_found_by_its_name_without_accents(index_page, world):
    [(territory, url)] = find_portraits("CALVADOS", 5)
    assert territory.slug == world.calvados.slug
    assert url == f"{index_page.url}{world.calvados.slug}/"


def test_an_intercommunality_is_found_from_the_start_of_a_word(index_page, world):
    word = world.epci_b.name.split()[-1]
    found = {t.slug: url for t, url in find_portraits(word.lower(), 20)}
    assert found[world.epci_b.slug] == f"{index_page.url}{world.epci_b.slug}/"


def test_a_commune_leads_to_its_intercommunality_s_portrait(index_page, world):
    found = find_portraits("sainte honorine des essais", 5)
    assert [(t.name, url) for t, url in found] == [
        ("Sainte-Honorine-des-Essais", f"{index_page.url}{world.epci_a.slug}/")
    ]
    assert found[0][0].portrait_name == world.epci_a.name
    homonyms = find_portraits("Montfort-l'Essai", 5)
    assert {url for _t, url in homonyms} == {
        f"{index_page.url}{world.epci_a.slug}/",
        f"{index_page.url}{world.epci_b.slug}/",
    }
    alone = find_portraits("écueil", 5)
    assert [url for _t, url in alone] == [f"{index_page.url}{world.manche.slug}/"]


def test_territories_come_before_communes_and_the_limit_holds(index_page, world):
    found = find_portraits("normandie", 3)
    assert len(found) == 3
    assert found[0][0].kind == "region"


@pytest.mark.parametrize("query", ["", "a", "   ", "%%", "zzzzzz", "x" * 5000])
def test_nothing_is_found_for_short_or_unknown_queries(world, query):
    assert find_portraits(query, 5) == []


def test_search_makes_no_query_once_the_indexes_are_cached(world, django_assert_num_queries):
    find_portraits("caen", 5)
    with django_assert_num_queries(0):
        find_portraits("lisieux", 5)


def test_portrait_url_of_each_kind_of_territory(index_page, world):
    assert portrait_url(world.epci_a) == f"{index_page.url}{world.epci_a.slug}/"
    assert portrait_url(world.calvados) == f"{index_page.url}{world.calvados.slug}/"
    assert portrait_url(world.region) == f"{index_page.url}{world.region.slug}/"
    honorine = world.communes["honorine"]
    assert portrait_url(honorine) == f"{index_page.url}{world.epci_a.slug}/"
    assert portrait_url(world.communes["seule"]) == f"{index_page.url}{world.manche.slug}/"
    assert portrait_url(None) is None


def test_no_portrait_url_without_a_live_portraits_page(index_page, world):
    index_page.unpublish()
    assert portrait_url(world.calvados) is None
    assert find_portraits("calvados", 5) == []


def test_the_site_search_and_its_suggestions_show_the_portraits(client, index_page, world):
    """The portraits are a section of the site search (registered by the app): a commune
    typed there leads to its intercommunality's portrait."""
    response = client.get("/recherche/", {"q": "Sainte-Honorine-des-Essais"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Portraits de territoires" in html
    assert f'href="{index_page.url}{world.epci_a.slug}/"' in html
    assert f'href="{index_page.url}?commune=Sainte-Honorine-des-Essais"' in html  # "Voir tout"
    sections = client.get("/recherche/suggestions/", {"q": "calvados"}).json()["sections"]
    [portraits] = [section for section in sections if section["key"] == "territoires"]
    assert portraits["results"][0]["url"] == f"{index_page.url}{world.calvados.slug}/"
