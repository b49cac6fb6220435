"""The directory page: facets and their counts, each filter, the search, pages, bad
parameters, query counts and the page cache."""

from django.http import QueryDict

import pytest

from cress_site import cache as content_cache
from directory.factories import EnterpriseFactory, EstablishmentFactory
from directory.scopes import DIRECTORY
from tests.directory.conftest import URL, text


def listing_of(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.context["listing"]


def names(listing):
    return [enterprise.name for enterprise in listing.items]


def counts(listing, param):
    return {option.value: option.count for option in listing.options[param]}


def test_lists_the_public_units_by_name(client, units):
    listing = listing_of(client)
    assert names(listing) == [
        "Charpentes coopératives du Bessin",
        "La Ruche solidaire",
        "Mutuelle percheronne",
    ]
    assert listing.total == 3


def test_every_facet_is_counted(client, units, places):
    listing = listing_of(client)
    territory = counts(listing, "territoire")
    assert territory["normandie"] == 3
    assert territory["calvados"] == 2
    assert territory["orne"] == 1
    assert territory[places["epci"].slug] == 2
    assert territory[places["orne_epci"].slug] == 1
    assert territory["manche"] == 0
    assert counts(listing, "famille") == {
        "association": 1,
        "cooperative": 1,
        "mutuelle": 1,
        "fondation": 0,
        "societe-commerciale": 0,
    }
    assert counts(listing, "secteur")["Q"] == 1
    assert counts(listing, "secteur")["A"] == 0
    assert counts(listing, "effectif")["12"] == 1


def test_counts_follow_the_other_filters(client, units):
    listing = listing_of(client, territoire="calvados")
    assert counts(listing, "famille")["mutuelle"] == 0  # the mutuelle is in the Orne
    assert counts(listing, "famille")["association"] == 1
    # The territory's own counts do not follow the territory chosen.
    assert counts(listing, "territoire")["orne"] == 1


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"territoire": "calvados"}, ["Charpentes coopératives du Bessin", "La Ruche solidaire"]),
        ({"territoire": "orne"}, ["Mutuelle percheronne"]),
        ({"territoire": "normandie"}, None),
        ({"famille": "cooperative"}, ["Charpentes coopératives du Bessin"]),
        ({"secteur": "K"}, ["Mutuelle percheronne"]),
        ({"effectif": "11"}, ["La Ruche solidaire"]),
        ({"famille": "association", "territoire": "orne"}, []),
    ],
)
def test_each_filter(client, units, params, expected):
    listing = listing_of(client, **params)
    if expected is None:
        expected = sorted(unit.name for unit in units["public"].values())
    assert names(listing) == expected


def test_an_intercommunality_and_a_commune_by_their_slug(client, units, places):
    assert names(listing_of(client, territoire=places["epci"].slug)) == [
        "Charpentes coopératives du Bessin",
        "La Ruche solidaire",
    ]
    listing = listing_of(client, territoire=places["port"].slug)
    assert names(listing) == ["Charpentes coopératives du Bessin"]
    # The commune, not offered in the select, is kept and named in the chip.
    assert [(a.label, a.value_label) for a in listing.active] == [("Territoire", "Port-en-Test")]


def test_a_closed_establishment_does_not_place_its_unit(client, units, places):
    EstablishmentFactory(enterprise=units["mutuelle"], commune=places["bayeux"], active=False)
    assert "Mutuelle percheronne" not in names(listing_of(client, territoire="calvados"))


@pytest.mark.parametrize(
    "query, expected",
    [
        ("ruche", ["La Ruche solidaire"]),
        ("RUCHE solidaire", ["La Ruche solidaire"]),
        ("LRS", ["La Ruche solidaire"]),
        ("833333333", ["Mutuelle percheronne"]),
        ("833 333 333", ["Mutuelle percheronne"]),
        ("844444444", []),  # a unit that is not public: nothing
        ("Secret", []),
        ("introuvable", []),
    ],
)
def test_search_by_name_acronym_or_siren(client, units, query, expected):
    listing = listing_of(client, q=query)
    assert names(listing) == expected
    assert listing.search_query == " ".join(query.split())


def test_search_with_a_filter_and_another_sort(client, units):
    assert names(listing_of(client, q="bessin", territoire="calvados")) == [
        "Charpentes coopératives du Bessin"
    ]
    assert listing_of(client, tri="creation").items[0].name == "La Ruche solidaire"


def test_pagination(client, places):
    for number in range(25):
        EstablishmentFactory(
            enterprise=EnterpriseFactory(name=f"Entreprise {number:02d}"), commune=places["bayeux"]
        )
    first = listing_of(client)
    assert first.total == 25 and len(first.items) == 20
    second = listing_of(client, page=2)
    assert names(second) == [f"Entreprise {n}" for n in range(20, 25)]
    html = client.get(URL).content.decode()
    assert "page=2" in html


@pytest.mark.parametrize(
    "params",
    [{"page": "abc"}, {"page": "0"}, {"page": "99"}, {"page": "9" * 40}],
)
def test_a_page_that_does_not_exist_is_a_404(client, units, params):
    assert client.get(URL, params).status_code == 404


@pytest.mark.parametrize(
    "params, label",
    [
        ({"famille": "xyz"}, "Famille de l'ESS"),
        ({"territoire": "atlantide"}, "Territoire"),
        ({"secteur": "ZZ"}, "Secteur d'activité"),
        ({"effectif": "<script>"}, "Tranche d'effectif"),
    ],
)
def test_an_unknown_filter_value_is_left_out_and_said(client, units, params, label):
    response = client.get(URL, params)
    assert response.status_code == 200
    assert response.context["listing"].total == 3
    assert f"Le filtre « {label} » demandé ne correspond à aucune valeur connue" in text(response)


def test_a_long_or_strange_query_is_no_error(client, units):
    for query in ("a" * 5000, "'; DROP TABLE", '"', "-", "é" * 300, "AND OR NOT"):
        assert client.get(URL, {"q": query}).status_code == 200


def test_the_page_shows_units_filters_and_downloads(client, units, places):
    html = text(client.get(URL, {"famille": "association"}))
    assert 'href="/annuaire/811111111/"' in html
    assert "SIREN 811 111 111" in html
    assert '<optgroup label="Calvados">' in html
    assert "Communauté de test du Bessin (1)" in html
    assert 'href="/annuaire/export.csv?famille=association"' in html
    assert 'href="/annuaire/export.json?famille=association"' in html
    assert "Licence Ouverte" in html
    assert "Secret diffusion" not in html


def _count_queries(client, django_assert_num_queries, expected, params):
    client.get(URL, params)  # caches warm: the index, the options, the site
    with django_assert_num_queries(expected):
        assert client.get(URL, params).status_code == 200


@pytest.mark.parametrize(
    "params", [{}, {"territoire": "calvados", "famille": "association"}, {"q": "entreprise"}]
)
def test_a_fixed_number_of_queries(client, settings, places, django_assert_num_queries, params):
    """5 or 50 units, the same queries: the page's units by id, and their establishments with
    their communes (everything else comes from the shared cache: the index, the options)."""
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    for number in range(50):
        enterprise = EnterpriseFactory(name=f"Entreprise {number:02d}")
        EstablishmentFactory(enterprise=enterprise, commune=places["bayeux"])
        if number == 4:
            _count_queries(client, django_assert_num_queries, 2, params)
    _count_queries(client, django_assert_num_queries, 2, params)


def test_the_page_cache_serves_the_second_request(client, units):
    first = client.get(URL, {"famille": "association"})
    second = client.get(URL, {"famille": "association"})
    assert first["X-Cache"] == "MISS"
    assert second["X-Cache"] == "HIT"
    assert second.content == first.content
    page = client.get(URL + "811111111/")
    assert page["X-Cache"] == "MISS"
    assert client.get(URL + "811111111/")["X-Cache"] == "HIT"


def test_the_page_cache_follows_the_directory(client, units):
    assert client.get(URL)["X-Cache"] == "MISS"
    assert client.get(URL)["X-Cache"] == "HIT"
    content_cache.bump(DIRECTORY)  # what an import does when it ends
    assert client.get(URL)["X-Cache"] == "MISS"


def test_a_unit_corrected_by_the_staff_shows_at_once(client, units):
    assert client.get(URL + "811111111/")["X-Cache"] == "MISS"
    assert client.get(URL)["X-Cache"] == "MISS"
    units["ruche"].name = "La Ruche solidaire du Bessin"
    units["ruche"].save()
    response = client.get(URL + "811111111/")
    assert response["X-Cache"] == "MISS"
    assert "La Ruche solidaire du Bessin" in text(response)
    assert "La Ruche solidaire du Bessin" in text(client.get(URL))


@pytest.mark.parametrize(
    "query",
    [
        "",
        "territoire=calvados",
        "territoire=orne&famille=mutuelle",
        "famille=association&secteur=Q",
        "effectif=12&territoire=normandie",
        "q=bessin",
        "territoire=COMMUNE",
        "territoire=EPCI&page=1",
    ],
)
def test_the_index_counts_what_sql_counts(rf, directory_page, units, places, query):
    """The facet index (bitsets per generation) gives the counts SQL gives on the same base."""
    query = query.replace("COMMUNE", places["port"].slug).replace("EPCI", places["epci"].slug)

    def summary(listing):
        return (
            listing.total,
            [e.pk for e in listing.items],
            {f.param: {o.value: o.count for o in f.options} for f in listing.facets},
        )

    indexed = directory_page.get_listing(rf.get(URL, QueryDict(query)), per_page=2)
    counted = directory_page.get_listing(
        rf.get(URL, QueryDict(query)), per_page=2, base=directory_page.get_listing_base_queryset()
    )
    assert summary(indexed) == summary(counted)
