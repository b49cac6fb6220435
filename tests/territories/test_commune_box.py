"""The « Votre commune » box: a name or a postal code leads to the portrait of the commune's
intercommunalité; homonyms and shared postal codes give a choice; anything else a message."""

from django.utils.html import escape

import pytest

from territories.gazetteer import fold_name

pytestmark = pytest.mark.django_db


def portrait(index_page, territory):
    return f"{index_page.url}{territory.slug}/"


def ask(client, index_page, text):
    return client.get(index_page.url, {"commune": text})


@pytest.mark.parametrize(
    "text",
    [
        "Sainte-Honorine-des-Essais",
        "sainte honorine des essais",
        "SAINTE-HONORINE-DES-ESSAIS",
        "Ste Honorine des Essais",
        "  sainte-honorine-dés-essais ",
        "14990",
    ],
)
def test_a_commune_leads_to_its_intercommunality(client, index_page, world, text):
    response = ask(client, index_page, text)
    assert response.status_code == 302
    assert response["Location"] == portrait(index_page, world.epci_a)


def test_a_commune_without_intercommunality_leads_to_its_departement(client, index_page, world):
    response = ask(client, index_page, "Ecueil Isole")
    assert response.status_code == 302
    assert response["Location"] == portrait(index_page, world.manche)


def test_homonyms_are_offered_to_choose_from(client, index_page, world):
    response = ask(client, index_page, "montfort l'essai")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Plusieurs communes correspondent" in content
    assert f'href="{portrait(index_page, world.epci_a)}"' in content
    assert f'href="{portrait(index_page, world.epci_b)}"' in content
    assert "Calvados, 14991" in content and "Manche, 50990" in content
    assert 'name="robots" content="noindex, follow"' in content


def test_a_postal_code_shared_by_two_communes_offers_both(client, index_page, world):
    response = ask(client, index_page, "50991")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Bourg-Partagé" in content and "Hameau-Partagé" in content
    assert content.count(f'href="{portrait(index_page, world.epci_b)}"') >= 2


def test_the_beginning_of_a_name_finds_the_commune(client, index_page, world):
    response = ask(client, index_page, "Sainte-Honorine")
    assert response["Location"] == portrait(index_page, world.epci_a)


def test_an_intercommunality_s_name_is_offered_when_no_commune_matches(client, index_page, world):
    response = ask(client, index_page, world.epci_b.name.upper())
    assert response.status_code == 200
    assert f'href="{portrait(index_page, world.epci_b)}"' in response.content.decode()


@pytest.mark.parametrize(
    "text, message",
    [
        ("Trifouilly-les-Oies", "Aucune commune de Normandie ne s&#x27;appelle"),
        ("99999", "Aucune commune de Normandie n&#x27;a le code postal 99999"),
        ("1400", "Un code postal compte 5 chiffres"),
        ("", "Indiquez le nom ou le code postal de votre commune."),
        ("   ", "Indiquez le nom ou le code postal de votre commune."),
        ("x" * 81, "Ce texte est trop long (81 caractères)"),
        ("!!! ???", "Indiquez le nom d&#x27;une commune"),
        ("<script>alert(1)</script>", "Aucune commune de Normandie"),
        ("%%%%", "Indiquez le nom d&#x27;une commune"),
    ],
)
def test_what_finds_nothing_gets_a_clear_message_and_stays_in_the_box(
    client, index_page, world, text, message
):
    response = ask(client, index_page, text)
    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert 'role="alert"' in content
    assert 'aria-invalid="true"' in content
    assert "<script>alert" not in content
    box = content.split('id="commune-box-input"')[1].split(">")[0]
    assert f'value="{escape(text.strip()[:80])}"' in box


def test_several_values_or_odd_parameters_never_fail(client, index_page, world):
    assert client.get(index_page.url + "?commune=a&commune=b").status_code == 200
    assert client.get(index_page.url + "?commune=%C3%28").status_code == 200
    assert client.get(index_page.url + "?autre=1").status_code == 200
    assert client.get(index_page.url, {"commune": "zzzz\x00"}).status_code == 200


def test_the_box_works_without_javascript(client, index_page):
    content = client.get(index_page.url).content.decode()
    form = content.split('<form class="commune-box"')[1].split("</form>")[0]
    assert 'method="get"' in form
    assert f'action="{index_page.url}"' in form
    assert 'name="commune"' in form
    assert '<label class="form-field__label" for="commune-box-input">' in form


def test_names_are_folded_for_comparison():
    assert fold_name("Saint-Lô") == fold_name("ST LO") == fold_name("saint  lo") == "saint lo"
    assert fold_name("Bœuf-l'Œuvre") == "boeuf l oeuvre"
    assert fold_name("Sainte-Mère-Église") == fold_name("ste mere eglise")
