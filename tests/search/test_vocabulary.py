"""Searching as people type: the last word as a prefix, completions from the words of the
public content (titles, bodies, PDFs, territories, themes), "Vouliez-vous dire" when nothing is
found, and never a word of private content.

Run on SQLite and on PostgreSQL (DATABASE_URL=postgres://…): the prefix goes through each
database backend's own analysis.
"""

import html
import re

from wagtail.models import CollectionViewRestriction, Page, PageViewRestriction, Site

import pytest

from home.models import ContentPage
from publications.models import PublicationPage
from search.vocabulary import (
    Vocabulary,
    did_you_mean,
    edit_distance,
    searched_query,
    vocabulary,
)

pytestmark = pytest.mark.django_db

CREACOOP_URL = "/projets-accompagnes/creacoop-14/"
GUIDE_URL = "/observatoire/guide-creer-cooperative-activite-emploi/"
ORNE_STUDY_URL = "/observatoire/poids-ess-orne/"  # its PDF alone has "méthanisation"
RESULT_LINK = re.compile(r'<h3 class="search-result__title"><a href="([^"]+)"')
CORRECTION = re.compile(r'<p class="search-correction">(.*?)</p>', re.S)


def search(client, query, **params):
    response = client.get("/recherche/", {"q": query, **params})
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def found(client, query):
    return RESULT_LINK.findall(search(client, query))


def count(client, query):
    return int(re.search(r"(\d+) résultats? pour", search(client, query)).group(1))


def completions(client, query):
    response = client.get("/recherche/suggestions/", {"q": query})
    assert response.status_code == 200
    return [item["text"] for item in response.json()["completions"]]


# The last word as a prefix ------------------------------------------------------------------


@pytest.mark.parametrize("query", ["cooperativ", "coopérat", "COOPERATI", "coop"])
def test_an_unfinished_last_word_finds_the_pages_of_the_words_it_starts(client, query):
    assert {CREACOOP_URL, GUIDE_URL} <= set(found(client, query))


def test_the_unfinished_word_is_the_last_one_and_the_others_still_count(client):
    assert CREACOOP_URL in found(client, "calvados cooperativ")
    assert count(client, "calvados cooperativ") < count(client, "cooperativ")


def test_a_word_only_in_a_pdf_is_found_from_its_start(client):
    assert found(client, "méthan") == [ORNE_STUDY_URL]


@pytest.mark.parametrize(
    "query", ["coopératives", "l'économie", "l’économie sociale", "Coopérative d'activité"]
)
def test_accents_plurals_and_elisions_still_work(client, query):
    assert found(client, query)


def test_a_finished_word_is_searched_as_it_is(client):
    # "ess" is a word of the content: not widened to "essentiel", "essor"…
    assert searched_query("ess", _vocabulary(client)).query_string == "ess"


def test_the_prefix_is_sent_as_plain_words_one_per_stem():
    words = Vocabulary({"coopérative": 5, "coopératives": 3, "coopération": 1, "calvados": 2})
    query = searched_query("calvados coopérat", words)
    rest, prefix = query.subqueries
    assert rest.query_string == "calvados"
    assert [part.query_string for part in prefix.subqueries] == ["coopérat", "coopérative"]
    # A phrase in quotes stays a phrase; stop words alone before the last word are dropped.
    assert type(searched_query('"coopérat"', words)).__name__ == "Phrase"
    assert type(searched_query("la coopérat", words)).__name__ == "Or"


def _vocabulary(client):
    return vocabulary(Site.objects.get(is_default_site=True))


# Completions --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, completion",
    [
        ("méthan", "méthanisation"),  # from a PDF's text
        ("methan", "méthanisation"),
        ("cooperativ", "coopératives"),  # from bodies and summaries
        ("cooperativ", "coopérative"),
        ("calvad", "Calvados"),  # a territory (and titles)
        ("l'économie soc", "l'économie sociale"),  # the words before are kept as typed
        ("mobili", "mobilité"),  # a theme
    ],
)
def test_completions_come_from_the_whole_public_content(client, query, completion):
    assert completion in completions(client, query)


def test_completions_link_to_their_search(client):
    response = client.get("/recherche/suggestions/", {"q": "méthan"})
    (item,) = response.json()["completions"]
    assert item == {"text": "méthanisation", "url": "/recherche/?q=m%C3%A9thanisation"}
    assert found(client, "méthanisation") == [ORNE_STUDY_URL]


def test_a_word_typed_in_full_is_not_offered_again(client):
    assert "coopératives" not in completions(client, "coopératives")


# Vouliez-vous dire ------------------------------------------------------------------------


def test_a_search_without_results_offers_the_nearest_words_as_a_link(client):
    content = search(client, "methanistion cooperatve")
    assert "Aucun résultat" in content
    correction = CORRECTION.search(content).group(1)
    # French typography: narrow no-break spaces inside « » and before "?".
    assert re.fullmatch(
        'Vouliez-vous dire «\u202f<a href="([^"]+)">méthanisation coopérative</a>\u202f»\u202f\\?',
        correction,
    ), correction
    url = re.search(r'href="([^"]+)"', correction).group(1)
    response = client.get(url)
    assert RESULT_LINK.findall(html.unescape(response.content.decode())) == [ORNE_STUDY_URL]


def test_correction_keeps_elisions_and_correct_words(client):
    content = search(client, "l'économei solidare")
    assert "l'économie solidaire</a>" in CORRECTION.search(content).group(1)


def test_no_correction_when_results_or_nothing_near(client):
    assert not CORRECTION.search(search(client, "coopérative"))
    assert not CORRECTION.search(search(client, "zzzyyyxxx"))


def test_no_correction_under_filters_that_find_nothing(client):
    content = search(client, "methanisation", type="evenement")
    assert "Aucun résultat avec ces filtres" in content
    assert not CORRECTION.search(content)


def test_did_you_mean_and_distances():
    words = Vocabulary({"économie": 10, "écologie": 1, "Calvados": 4})
    assert did_you_mean("economei", words) == "économie"
    assert did_you_mean("Calvdos", words) == "Calvados"
    assert did_you_mean("économie", words) is None  # nothing to correct
    assert did_you_mean("la zzz", words) is None
    assert edit_distance("economei", "economie", 2) == 1  # a swap counts one
    assert edit_distance("abc", "xyzxyz", 2) == 3  # beyond the limit


# Private content gives no word --------------------------------------------------------------


def test_a_pdf_in_a_private_collection_gives_no_word(client):
    assert "méthanisation" in completions(client, "méthan")
    assert "méthanisation" in CORRECTION.search(search(client, "methanistion")).group(1)
    document = PublicationPage.objects.get(url_path__endswith="/poids-ess-orne/").document
    CollectionViewRestriction.objects.create(
        collection=document.collection, restriction_type="password", password="x"
    )
    assert completions(client, "méthan") == []
    assert not CORRECTION.search(search(client, "methanistion"))
    assert found(client, "méthan") == []


@pytest.mark.parametrize("how", ["restriction", "restricted section", "unpublished"])
def test_a_private_or_unpublished_page_gives_no_word(client, site, how):
    section = site.root_page.add_child(
        instance=ContentPage(title="Rubrique", slug="rubrique", intro="Une rubrique.")
    )
    page = section.add_child(
        instance=ContentPage(
            title="Compte rendu", slug="compte-rendu", intro="Le zythologue du bureau."
        )
    )
    assert completions(client, "zytho") == ["zythologue"]
    assert "zythologue" in CORRECTION.search(search(client, "zytologue")).group(1)
    if how == "restriction":
        PageViewRestriction.objects.create(page=page, restriction_type="login")
    elif how == "restricted section":
        PageViewRestriction.objects.create(page=section, restriction_type="password", password="x")
    else:
        Page.objects.get(pk=page.pk).unpublish()
    assert completions(client, "zytho") == []
    assert not CORRECTION.search(search(client, "zytologue"))


# Bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["!!!", "« » ? ;", "'" * 300, "\x00\x01\x1f", "a" * 5000, "é" * 199 + "z", "coop\u202e", "-*"],
)
def test_bad_input_never_fails(client, query):
    search(client, query)
    response = client.get("/recherche/suggestions/", {"q": query})
    assert response.status_code == 200
    assert isinstance(response.json()["completions"], list)
