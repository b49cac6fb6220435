"""The library page: filters, facets, search, sort and pagination, in the query string."""

import datetime
import re

import pytest

from cress_site.models import Territory
from publications.models import PublicationPage

pytestmark = pytest.mark.django_db

URL = "/observatoire/"


def titles(response):
    return [p.title for p in response.context["listing"].items]


def test_library_lists_every_demo_publication_newest_first(client):
    response = client.get(URL)
    assert response.status_code == 200
    listed = titles(response)
    assert len(listed) == PublicationPage.objects.live().count() == 9
    dates = [p.publication_date for p in response.context["listing"].items]
    assert dates == sorted(dates, reverse=True)


def test_filter_by_kind_theme_and_year(client):
    assert set(titles(client.get(URL, {"type": "etude"}))) == {
        "Étude sur l'entrepreneuriat d'ESS sur l'agglomération caennaise",
        "Étude sur le poids de l'ESS dans l'Orne",
        "Les tiers-lieux de l'ESS dans l'Eure",
    }
    assert titles(client.get(URL, {"theme": "mobilite"})) == [
        "L'ESS en Seine-Maritime : emploi et établissements"
    ]
    assert titles(client.get(URL, {"annee": "2022"})) == ["Étude sur le poids de l'ESS dans l'Orne"]
    combined = client.get(URL, {"type": "etude", "annee": "2020"})
    assert titles(combined) == ["Les tiers-lieux de l'ESS dans l'Eure"]


def test_departement_filter_finds_publications_about_its_communes(
    client, make_publication, commune_in_orne
):
    make_publication("Diagnostic ESS d'Argentan", territories=[commune_in_orne])
    listed = titles(client.get(URL, {"territoire": "orne"}))
    assert "Diagnostic ESS d'Argentan" in listed
    assert "Étude sur le poids de l'ESS dans l'Orne" in listed
    assert "Chiffres clés de l'ESS dans la Manche" not in listed
    # The commune itself can be chosen from a link on the publication page.
    assert titles(client.get(URL, {"territoire": commune_in_orne.slug})) == [
        "Diagnostic ESS d'Argentan"
    ]


def test_intercommunalite_filter_finds_its_communes(client, make_publication, commune_in_orne):
    epci = Territory.objects.get(kind="epci", code="200065597")  # Caen la Mer
    caen = Territory.objects.create(name="Caen", kind="commune", code="14118", parent=epci)
    make_publication("Les coopératives de Caen", territories=[caen])
    listed = titles(client.get(URL, {"territoire": epci.slug}))
    assert set(listed) == {
        "Les coopératives de Caen",
        "Étude sur l'entrepreneuriat d'ESS sur l'agglomération caennaise",
    }


def test_facet_counts_follow_the_other_filters(client):
    listing = client.get(URL, {"type": "etude"}).context["listing"]
    territory_counts = {o.value: o.count for o in listing.options["territoire"]}
    assert territory_counts["orne"] == 1
    assert territory_counts["manche"] == 0  # the Manche has key figures, not a study
    assert territory_counts["normandie"] == 3
    kind_counts = {o.value: o.count for o in listing.options["type"]}
    assert kind_counts["etude"] == 3
    assert kind_counts["chiffres-cles"] == 2  # its own filter is not applied to its counts
    content = client.get(URL, {"type": "etude"}).content.decode()
    assert '<option value="orne">Orne (1)</option>' in content


def test_search_within_the_library_finds_words_inside_pdfs(client):
    # « méthanisation » is only in the Orne study's PDF, not in its page.
    page = PublicationPage.objects.get(slug="poids-ess-orne")
    assert "méthanisation" not in (page.summary + str(page.body))
    assert titles(client.get(URL, {"q": "méthanisation"})) == [page.title]
    assert titles(client.get(URL, {"q": "méthanisation", "type": "guide"})) == []


@pytest.mark.parametrize(
    ("sort", "first"),
    [
        ("recentes", "Note de conjoncture : l'emploi dans l'ESS au premier semestre 2025"),
        ("anciennes", "Les tiers-lieux de l'ESS dans l'Eure"),
        ("titre", "Chiffres clés de l'ESS dans la Manche"),
    ],
)
def test_sort_options(client, sort, first):
    assert titles(client.get(URL, {"tri": sort}))[0] == first


@pytest.mark.parametrize(
    "params",
    [
        {"type": "roman"},
        {"theme": "inconnu"},
        {"territoire": "bretagne"},
        {"annee": "deux-mille"},
        {"annee": "99999"},
        {"tri": "hasard"},
        {"q": '" * - : ( ) NEAR AND OR'},
        {"q": "x" * 5000},
        {"type": ["etude", "guide"]},
    ],
)
def test_unknown_values_are_ignored(client, params):
    response = client.get(URL, params)
    assert response.status_code == 200


def test_unknown_filter_is_not_shown_as_active(client):
    listing = client.get(URL, {"type": "roman", "theme": "mobilite"}).context["listing"]
    assert [(a.param, a.value_label) for a in listing.active] == [("theme", "Mobilité")]


@pytest.mark.parametrize("page", ["abc", "0", "99", "-1"])
def test_bad_page_numbers_are_404(client, page):
    response = client.get(URL, {"page": page})
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_active_filters_can_be_removed_one_by_one_or_all(client):
    content = client.get(URL, {"type": "etude", "territoire": "orne"}).content.decode()
    assert "Type de publication\u00a0: Étude" in content
    assert 'href="?territoire=orne"' in content  # removes the kind, keeps the territory
    assert 'href="?type=etude"' in content
    assert "Effacer tous les filtres" in content
    assert '<meta name="robots" content="noindex, follow">' in content


def test_pagination_keeps_the_filters(client, make_publication, library):
    for number in range(12):
        make_publication(f"Note territoriale {number}", kind="note-conjoncture")
    first = client.get(URL, {"type": "note-conjoncture"})
    assert first.context["listing"].total == 13
    content = first.content.decode()
    assert 'href="?type=note-conjoncture&amp;page=2"' in content
    second = client.get(URL, {"type": "note-conjoncture", "page": "2"})
    assert len(second.context["listing"].items) == 1


def test_query_count_does_not_grow_with_the_number_of_publications(
    client, make_publication, django_assert_num_queries
):
    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client.get(URL)  # renditions and caches warm
        with CaptureQueriesContext(connection) as context:
            assert client.get(URL).status_code == 200
        return len(context.captured_queries)

    with_nine = count_queries()
    for number in range(10):
        make_publication(
            f"Fiche {number}",
            kind="fiche-pratique",
            publication_date=datetime.date(2026, 1, 1),
            territories=[Territory.objects.get(kind="departement", code="50")],
            themes=["Mobilité", "Finance solidaire"],
        )
    assert count_queries() == with_nine
    # Pinned: site and menu (5), settings (1), filter options: themes and territories (2),
    # search-less facets (5), count and page of publications (2), themes, territories, covers
    # and their renditions (6), breadcrumbs and routing (rest).
    with django_assert_num_queries(with_nine):
        client.get(URL)


def test_atom_feed_lists_publications_and_follows_filters(client):
    import xml.etree.ElementTree as ET

    response = client.get(URL + "flux/", {"territoire": "orne"})
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = ET.fromstring(response.content)
    ns = {"atom": "http://www.w3.org/2005/Atom"}
    entries = feed.findall("atom:entry", ns)
    assert [e.find("atom:title", ns).text for e in entries] == [
        "Étude sur le poids de l'ESS dans l'Orne"
    ]
    assert "territoire : Orne" in feed.find("atom:title", ns).text
    link = entries[0].find("atom:link", ns).get("href")
    assert re.match(r"^http://testserver/observatoire/poids-ess-orne/$", link)

    everything = ET.fromstring(client.get(URL + "flux/").content)
    assert len(everything.findall("atom:entry", ns)) == 9


def test_library_links_to_its_feed(client):
    content = client.get(URL).content.decode()
    assert '<link rel="alternate" type="application/atom+xml"' in content
    assert 'href="/observatoire/flux/"' in content


def test_a_commune_reached_by_a_link_is_named_and_kept_by_the_form(
    client, make_publication, commune_in_orne
):
    make_publication("Diagnostic ESS d'Argentan", territories=[commune_in_orne])
    response = client.get(URL, {"territoire": commune_in_orne.slug})
    listing = response.context["listing"]
    assert [(a.label, a.value_label) for a in listing.active] == [("Territoire", "Argentan")]
    content = response.content.decode()
    assert f'<option value="{commune_in_orne.slug}" selected>Argentan (1)</option>' in content
