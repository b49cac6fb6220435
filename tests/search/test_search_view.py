"""The search page: finds pages, and answers every odd query with a page, never a 500."""

import pytest

from search.views import MAX_QUERY_LENGTH

pytestmark = pytest.mark.django_db


def test_search_finds_the_pitch_page(client):
    response = client.get("/recherche/", {"q": "dispositif local d'accompagnement"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Collectivités\u00a0: soutenir l&#x27;entrepreneuriat d&#x27;ESS" in content
    assert 'href="/collectivites-soutenir-lentrepreneuriat-dess/"' in content
    assert '<meta name="robots" content="noindex">' in content


def test_empty_query_explains_what_to_do(client):
    content = client.get("/recherche/").content.decode()
    assert "Saisissez un ou plusieurs mots" in content


def test_no_result_gives_suggestions(client):
    content = client.get("/recherche/", {"q": "zzzyyyxxx"}).content.decode()
    assert "Aucun résultat pour «\u202fzzzyyyxxx\u202f»" in content
    assert "vérifiez l&#x27;orthographe" in content or "vérifiez l'orthographe" in content


def test_long_query_is_capped_and_said_so(client):
    response = client.get("/recherche/", {"q": "coopérative " * 1000})
    assert response.status_code == 200
    assert response.context["search_query"] == ("coopérative " * 1000)[:MAX_QUERY_LENGTH].strip()
    assert "Votre recherche était trop longue" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '" * - : ( ) NEAR AND OR',
        "((",
        "coopérative AND",
        "l'",
        "🌱 ESS",
        "اقتصاد اجتماعي",
        "\x00",
    ],
)
def test_odd_queries_never_fail(client, query):
    response = client.get("/recherche/", {"q": query})
    assert response.status_code == 200


@pytest.mark.parametrize("page_number", ["abc", "99999", "-1", "0", ""])
def test_odd_page_numbers_never_fail(client, page_number):
    response = client.get("/recherche/", {"q": "ESS", "page": page_number})
    assert response.status_code == 200
    assert "résultat" in response.content.decode()


def test_header_box_keeps_the_query(client):
    content = client.get("/recherche/", {"q": "insertion"}).content.decode()
    assert 'id="site-search-q" name="q" maxlength="200"' in content
    assert 'value="insertion"' in content
