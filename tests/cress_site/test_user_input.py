"""What visitors send: query parameters cleaned once for every view, integers in ASCII digits,
control characters refused in the public forms with a French message."""

import html as html_lib
import re

from django.http import HttpResponse
from django.test import RequestFactory

from wagtail.contrib.forms.models import FormSubmission

import pytest

from cress_site.typography import french_spaces
from cress_site.user_input import (
    CONTROL_CHARACTERS_MESSAGE,
    MAX_PARAMETER_LENGTH,
    QueryParameterCleaningMiddleware,
    clean_text,
    parse_int,
)
from events.models import EventPage, Registration
from home.models import FormPage

pytestmark = pytest.mark.django_db

# A NUL (refused by PostgreSQL in a query), a control character (refused by XML), a digit
# `str.isdigit()` accepts but `int()` refuses, and a number with more digits than `int()` reads.
HOSTILE = ["%00", "calvados%00", "%01%1B", "%E2%91%A0", "%C2%B2%C2%B2%C2%B2%C2%B2", "9" * 5000]
LISTINGS = {
    "/observatoire/": ["q", "type", "theme", "territoire", "annee", "page"],
    "/observatoire/flux/": ["q", "type", "theme", "territoire", "annee"],
    "/agenda/": ["q", "type", "territoire", "public", "format", "page"],
    "/agenda/archives/": ["q", "type", "territoire", "public", "format"],
    "/agenda/2030/06/": ["q", "type", "territoire", "public", "format"],
    "/agenda/agenda.ics": ["q", "type", "territoire", "public", "format"],
    "/projets-accompagnes/": ["q", "territoire", "theme", "accompagnement", "etape", "forme"],
    "/recherche/": ["q", "type", "territoire", "theme", "annee", "tri", "page"],
    "/recherche/suggestions/": ["q"],
}


def cleaned(query_string):
    """`request.GET` as a view behind the middleware reads it."""
    request = RequestFactory().get("/", QUERY_STRING=query_string)
    seen = {}

    def view(request):
        seen["GET"] = request.GET
        return HttpResponse()

    QueryParameterCleaningMiddleware(view)(request)
    return seen["GET"]


# -- One cleaning layer ------------------------------------------------------------------------


def test_views_read_parameters_without_nul_or_control_characters():
    query = cleaned("q=coop%00%C3%A9%01rative&type%00=etude&theme=a%7F%C2%85b%ED%A0%80")
    assert query["q"] == "coopérative"
    assert query["type"] == "etude"  # the name is cleaned too
    assert query["theme"].startswith("ab")


def test_tabs_and_line_breaks_are_kept_and_accents_composed():
    query = cleaned("q=e%CC%81conomie%09sociale%0Aet%0D%0Asolidaire")
    assert query["q"] == "économie\tsociale\net\r\nsolidaire"


def test_repeated_parameters_are_all_kept():
    assert cleaned("theme=a%00&theme=b").getlist("theme") == ["a", "b"]


def test_whole_numbers_beyond_64_bits_are_emptied():
    query = cleaned(
        "site=99999999999999999999&p=-9223372036854775809&id=9223372036854775807&q=1_2"
        "&code=%D9%A9" + "%D9%A9" * 20
    )
    assert query["site"] == "" and query["p"] == "" and query["code"] == ""
    assert query["id"] == "9223372036854775807"  # the largest 64-bit number is kept
    assert query["q"] == "1_2"


def test_a_wagtail_admin_filter_by_id_survives_a_huge_number(admin_client):
    response = admin_client.get("/admin/forms/", {"content_type": "9" * 40, "site": "9" * 40})
    assert response.status_code == 200


def test_very_long_values_are_cut():
    query = cleaned("q=" + "%F0%9F%98%80" * 20_000 + "&page=2")
    assert query["q"] == "😀" * MAX_PARAMETER_LENGTH
    assert query["page"] == "2"


def test_the_admin_s_registrations_search_survives_a_very_long_query(admin_client):
    """SQLite refuses a LIKE pattern of more than 50,000 bytes: 20,000 emoji make 80,000."""
    response = admin_client.get("/admin/events/registration/", {"q": "😀" * 20_000})
    assert response.status_code == 200


def test_a_clean_query_is_left_as_it_is():
    request = RequestFactory().get("/", {"q": "économie", "page": "2"})
    original = request.GET
    QueryParameterCleaningMiddleware(lambda request: HttpResponse())(request)
    assert request.GET is original


def test_compatibility_characters_are_kept():
    """Composed, not folded: "①" stays "①" (and is no number), "ﬁ" stays "ﬁ"."""
    assert clean_text("①²ﬁ") == "①²ﬁ"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024", 2024),
        (" 7 ", 7),
        ("0", 0),
        ("①", None),
        ("²", None),
        ("٣", None),
        ("２０２４", None),
        ("-1", None),
        ("+1", None),
        ("1.0", None),
        ("", None),
        (None, None),
        ("9" * 19, None),
        ("9" * 5000, None),
    ],
)
def test_integers_are_read_in_ascii_digits_only(value, expected):
    assert parse_int(value) == expected


def test_integers_out_of_bounds_are_refused():
    assert parse_int("1899", minimum=1900, maximum=2200) is None
    assert parse_int("2201", minimum=1900, maximum=2200) is None
    assert parse_int("2025", minimum=1900, maximum=2200) == 2025


@pytest.mark.parametrize("path", sorted(LISTINGS))
@pytest.mark.parametrize("value", HOSTILE)
def test_listings_feeds_and_search_never_fail_on_hostile_parameters(client, path, value):
    for param in LISTINGS[path]:
        response = client.get(f"{path}?{param}={value}")
        assert response.status_code in (200, 404), (param, response.status_code)


def test_the_atom_feed_title_echoes_a_search_without_its_control_characters(client):
    response = client.get("/observatoire/flux/?q=coop%01%1Bs%00ration")
    assert response.status_code == 200
    title = re.search(r"<title>(.*?)</title>", response.content.decode()).group(1)
    assert "recherche : « coopsration »" in html_lib.unescape(title)


@pytest.mark.parametrize("year", ["%E2%91%A0%E2%91%A1", "%C2%B2%C2%B2%C2%B2%C2%B2", "٢٠٢٥"])
def test_a_year_in_other_digits_is_ignored(client, year):
    response = client.get(f"/observatoire/?annee={year}")
    assert response.status_code == 200
    assert response.context["listing"].active == []


def test_an_event_date_in_other_digits_is_ignored(client):
    event = EventPage.objects.live().filter(registration_enabled=True).first()
    response = client.get(event.url + "inscription/?date=%E2%91%A0")
    assert response.status_code == 200


# -- Public forms refuse control characters --------------------------------------------------


def registration_data(event, **overrides):
    occurrence = event.occurrences.filter(in_series=True).order_by("-start").first()
    return {
        "occurrence": occurrence.pk,
        "name": "Camille Martin",
        "email": "camille.martin@example.org",
        "organisation": "Commune de Vire",
        "profile": "elu",
        "territory": "calvados",
        "consent": "on",
        **overrides,
    }


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "Camille\x07Martin"),
        ("name", "Camille\x00Martin"),
        ("organisation", "Commune\x1bde Vire"),
        ("organisation", "Commune\x85de Vire"),
    ],
)
def test_a_registration_with_control_characters_is_refused_in_french(client, field, value):
    event = EventPage.objects.live().filter(registration_enabled=True).first()
    count = Registration.objects.count()
    data = registration_data(event, **{field: value})
    response = client.post(event.url + "inscription/", data)
    assert response.status_code == 200
    page = html_lib.unescape(response.content.decode())
    # In the summary of errors and next to the field; not Django's own message for NUL too.
    assert page.count(french_spaces(CONTROL_CHARACTERS_MESSAGE)) == 2
    assert "caractères null" not in page
    # Nothing typed is lost (the e-mail, the other field).
    assert 'value="camille.martin@example.org"' in page
    other = "organisation" if field == "name" else "name"
    assert f'value="{data[other]}"' in page
    assert Registration.objects.count() == count


def test_tabs_and_line_breaks_in_a_name_are_accepted(client):
    event = EventPage.objects.live().filter(registration_enabled=True).first()
    data = registration_data(event, name="Camille\tMartin", email="camille.tab@example.org")
    response = client.post(event.url + "inscription/", data)
    assert response.status_code == 302
    assert Registration.objects.get(email="camille.tab@example.org").name == "Camille Martin"


FORM_PAGE_DATA = {
    "nom": "Martin",
    "prenom": "Jeanne",
    "adresse_electronique": "jeanne.martin@mairie-argentan.example",
    "telephone": "02 33 00 00 00",
    "collectivite": "Ville d'Argentan",
    "fonction": "Adjointe à l'économie",
    "territoire_concerne": "Orne",
    "votre_besoin": ["Autre"],
    "votre_message": "Nous voulons soutenir\nun restaurant d'insertion.",
    "jaccepte_que_la_cress_normandie_utilise_ces_informations_pour_repondre_a_ma_demande": "on",
}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("nom", "Mar\x00tin"),
        ("collectivite", "Ville\x1b d'Argentan"),
        ("votre_message", "Bonjour\x0c à vous"),
    ],
)
def test_a_form_page_with_control_characters_is_refused_in_french(client, field, value):
    page = FormPage.objects.get(slug="demande-accompagnement")
    response = client.post(page.url, {**FORM_PAGE_DATA, field: value})
    assert response.status_code == 200
    content = html_lib.unescape(response.content.decode())
    assert french_spaces(CONTROL_CHARACTERS_MESSAGE) in content
    assert 'value="Jeanne"' in content  # nothing typed is lost
    assert not FormSubmission.objects.filter(page=page).exists()


def test_a_form_page_keeps_the_line_breaks_of_a_message(client):
    page = FormPage.objects.get(slug="demande-accompagnement")
    response = client.post(page.url, FORM_PAGE_DATA)
    assert response.status_code == 200
    submission = FormSubmission.objects.get(page=page)
    assert submission.get_data()["votre_message"] == FORM_PAGE_DATA["votre_message"]
