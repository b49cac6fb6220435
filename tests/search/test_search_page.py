"""The search page: facets, snippets from pages and PDFs, sort, promoted results, bad input."""

import html
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import Page

import pytest

from cress_site import searchable
from search.snippets import make_snippet, query_stems

pytestmark = pytest.mark.django_db

RESULT_LINK = re.compile(r'<h3 class="search-result__title"><a href="([^"]+)"')


def get(client, **params):
    response = client.get("/recherche/", params)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def paths(content):
    return RESULT_LINK.findall(content)


def test_a_word_only_inside_a_pdf_finds_its_study_and_is_marked_in_the_snippet(client):
    content = get(client, q="methanisation")
    assert paths(content) == ["/observatoire/poids-ess-orne/"]
    assert "Dans le document PDF\u00a0:" in content
    assert "<mark>méthanisation</mark>" in content


def test_words_are_marked_whatever_their_accents_and_plural(client):
    content = get(client, q="collectivite")
    assert re.search(r"<mark>[Cc]ollectivités</mark>", content)
    assert "/collectivites-soutenir-lentrepreneuriat-dess/" in paths(content)[:3]


def test_facets_count_and_narrow(client):
    content = get(client, q="ess")
    counts = dict(
        re.findall(r'<option value="(publication|evenement|projet|page)">[^<]+\((\d+)\)', content)
    )
    assert set(counts) == {"publication", "evenement", "projet", "page"}
    publications = get(client, q="ess", type="publication")
    found = paths(publications)
    assert found and all(path.startswith("/observatoire/") for path in found)
    assert f"{counts['publication']} résultat" in publications
    assert "Type de contenu\u00a0: Publications" in publications  # the active filter, removable


def test_territory_and_theme_facets(client):
    orne = paths(get(client, q="ess", territoire="orne"))
    assert "/observatoire/poids-ess-orne/" in orne
    assert "/projets-accompagnes/recyclerie-cotentin/" not in orne
    mobility = paths(get(client, q="solidaire", theme="mobilite"))
    assert "/projets-accompagnes/garage-solidaire-caux/" in mobility
    assert "/projets-accompagnes/epicerie-solidaire-louviers/" not in mobility


def test_year_facet(client):
    found = paths(get(client, q="ess", annee="2022"))
    assert found == ["/observatoire/poids-ess-orne/"]


def test_sort_by_date_puts_the_newest_first(client):
    by_relevance = paths(get(client, q="emploi", type="publication"))
    by_date = paths(get(client, q="emploi", type="publication", tri="date"))
    assert sorted(by_relevance) == sorted(by_date)
    assert by_date[0] == "/observatoire/note-conjoncture-emploi-ess-2025/"
    assert by_date[-1] == "/observatoire/tiers-lieux-ess-eure/"  # 2020


def test_a_quoted_phrase_is_searched_as_a_phrase(client):
    phrase = paths(get(client, q='"mobilité solidaire"'))
    words = paths(get(client, q="mobilité solidaire"))
    assert "/agenda/groupe-de-travail-mobilite-solidaire-pays-de-caux/" in phrase
    assert len(phrase) < len(words)


@pytest.mark.parametrize(
    "params",
    [
        {"type": "inconnu"},
        {"territoire": "bretagne"},
        {"theme": "<script>"},
        {"annee": "99999999999999999999"},
        {"annee": "-3"},
        {"tri": "aleatoire"},
        {"page": "abc"},
        {"page": "99999"},
    ],
)
def test_unknown_facet_values_and_pages_still_give_results(client, params):
    content = get(client, q="ess", **params)
    assert "résultat" in content


def test_no_result_with_filters_offers_to_remove_them(client):
    content = get(client, q="methanisation", type="evenement")
    assert "Aucun résultat pour «\u202fmethanisation\u202f»" in content
    assert "Voir tous les résultats pour «\u202fmethanisation\u202f»" in content


def test_no_result_gives_ways_forward(client):
    content = get(client, q="zzzxqw")
    assert "Aucun résultat" in content
    assert 'href="/observatoire/"' in content and 'href="/contact/"' in content


def test_promoted_results_come_first_whatever_the_accents(client, db):
    from wagtail.contrib.search_promotions.models import Query, SearchPromotion

    dla = Page.objects.get(url_path__endswith="/fiche-pratique-dla/")
    # Searched before any promotion: what editors promote next is shown at once all the same.
    assert "Recommandé par la CRESS" not in get(client, q="accompagnement")
    query = Query.objects.create(query_string="accompagnement")
    SearchPromotion.objects.create(query=query, page=dla, description="Le DLA, en deux pages.")
    content = get(client, q="Accompagnement")
    promoted = content[content.index("Recommandé par la CRESS") :]
    assert "Fiche pratique\u00a0: le Dispositif local" in promoted[:800]
    assert "Le DLA, en deux pages." in content
    assert "Recommandé par la CRESS" not in get(client, q="accompagnement", page="2")


def test_snippet_is_escaped_and_bounded():
    text = "<b>début</b> " + "mot " * 200 + "coopératives d'activité " + "suite " * 200
    snippet = make_snippet(text, query_stems("cooperative"))
    assert "<b>" not in snippet.html and "&lt;b&gt;" not in snippet.html  # far from the match
    assert "<mark>coopératives</mark>" in snippet.html
    assert len(snippet.html) < 400
    assert make_snippet("rien à voir", query_stems("cooperative")) is None


def count_queries(client, **params):
    with CaptureQueriesContext(connection) as context:
        response = client.get("/recherche/", params)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.fixture
def search_log_aside(settings):
    """The search log is written after the response, on its own schedule: not counted here."""
    from search import analytics

    settings.SEARCH_LOG_FLUSH_SECONDS = 3600
    analytics.flush()


def full_text_queries(context):
    return [q["sql"] for q in context.captured_queries if "MATCH" in q["sql"] or "@@" in q["sql"]]


def test_search_makes_a_bounded_number_of_queries(client, search_log_aside):
    # The menu, settings and facet choices read once (by another search) beforehand.
    client.get("/recherche/", {"q": "emploi"})

    # One result or many, searched for the first time: a bounded number of queries (site, the
    # search, the facet data per page type, the specific pages per type on the results page,
    # documents).
    one, many = count_queries(client, q="methanisation"), count_queries(client, q="ess")
    # The same words again, another page, sort or facet of them: the matches are kept.
    again = count_queries(client, q="ESS")
    narrowed = count_queries(client, q="ess", type="publication", tri="date")
    print(f"queries: first search {one} (one result), {many} (many); again {again}, {narrowed}")
    assert one <= many <= 16  # SQLite 10 and 13, PostgreSQL 8 and 15 with the demo content
    # Again: everything from the cache. Narrowed and sorted: other pages are shown, read once
    # (one query per page type among them, their documents): 3 with the demo content.
    assert again == 0
    assert narrowed <= 6


def test_a_search_s_next_page_sort_and_facets_reuse_its_matches(client, monkeypatch):
    # The pages' matches (each search section keeps its own: tests/search/test_sections.py).
    monkeypatch.setattr(searchable, "_sections", {})
    client.get("/recherche/", {"q": "coopérative"})
    for params in ({"page": "2"}, {"tri": "date"}, {"type": "projet"}, {"annee": "2024"}):
        with CaptureQueriesContext(connection) as context:
            response = client.get("/recherche/", {"q": "Cooperative", **params})
        assert response.status_code == 200
        assert full_text_queries(context) == [], params


def test_a_page_published_after_a_search_is_found_by_the_same_words(client, home_page):
    from home.models import ContentPage

    assert paths(get(client, q="ornithorynque")) == []
    page = ContentPage(title="L'ornithorynque solidaire", slug="ornithorynque", intro="Un essai.")
    home_page.add_child(instance=page)
    page.save_revision().publish()
    assert paths(get(client, q="ornithorynque")) == [page.url]

    page.unpublish()
    assert paths(get(client, q="ornithorynque")) == []


def test_a_view_restriction_hides_a_found_page_at_once(client):
    from wagtail.models import PageViewRestriction

    content = get(client, q="methanisation")
    assert paths(content) == ["/observatoire/poids-ess-orne/"]
    publication = Page.objects.get(url_path__endswith="/poids-ess-orne/")
    PageViewRestriction.objects.create(page=publication, restriction_type="login")
    assert paths(get(client, q="methanisation")) == []


def test_the_search_cache_can_be_turned_off(client, settings):
    settings.SEARCH_CACHE_SECONDS = 0
    client.get("/recherche/", {"q": "cooperative"})
    with CaptureQueriesContext(connection) as context:
        client.get("/recherche/", {"q": "cooperative", "page": "2"})
    assert full_text_queries(context)
