"""Everything held about one e-mail address: erased by the person from an e-mail's link, or found,
exported and erased by the staff."""

import html as html_lib
import json
import logging
import re

from django.core import mail

from wagtail.contrib.forms.models import FormSubmission

import pytest

from cress_site.erase_links import erase_url
from events.models import Registration
from events.registration import register
from home.models import FormPage

pytestmark = pytest.mark.django_db

ADDRESS = "jeanne.martin@mairie-argentan.example"
ERASE_LINK = re.compile(r"http://testserver(/mes-donnees/[0-9a-f]+/)")


@pytest.fixture
def workshop(make_event):
    return make_event("Atelier à deux places", registration_enabled=True, capacity=2)


@pytest.fixture
def held(workshop, make_event):
    """Jeanne holds a place at the workshop (two places, one person waiting), waits for her
    confirmation of another event, and sent two messages through the forms; other people's
    data is there too."""
    occurrence = workshop.occurrences.get()
    mine = register(occurrence.pk, name="Jeanne Martin", email=ADDRESS, profile="elu")
    register(occurrence.pk, name="Paul", email="paul@example.org", profile="porteur")
    waiting = register(occurrence.pk, name="Zoé", email="zoe@example.org", profile="porteur")
    other = make_event("Réunion d'information", registration_enabled=True)
    unconfirmed = register(
        other.occurrences.get().pk,
        name="Jeanne Martin",
        email=ADDRESS,
        profile="elu",
        confirm_by_email=True,
        send_email=False,
    )
    form = FormPage.objects.get(slug="demande-accompagnement")
    submissions = [
        FormSubmission.objects.create(
            page=form, form_data={"nom": "Martin", "adresse_electronique": ADDRESS.upper()}
        ),
        FormSubmission.objects.create(
            page=form, form_data={"votre_message": f"Écrivez-moi à {ADDRESS}, merci."}
        ),
    ]
    others = [
        FormSubmission.objects.create(
            page=form, form_data={"adresse_electronique": f"marie-{ADDRESS}"}
        ),
        FormSubmission.objects.create(page=form, form_data={"adresse_electronique": "a@b.example"}),
    ]
    return {
        "mine": mine,
        "waiting": waiting,
        "unconfirmed": unconfirmed,
        "submissions": submissions,
        "others": others,
    }


def text(response):
    return html_lib.unescape(response.content.decode())


def assert_erased(held):
    mine = Registration.objects.get(pk=held["mine"].pk)
    assert (mine.name, mine.email, mine.organisation) == ("Anonyme", "", "")
    assert mine.status == Registration.Status.CANCELLED and mine.profile == "elu"
    assert not Registration.objects.filter(pk=held["unconfirmed"].pk).exists()
    assert not Registration.objects.filter(email=ADDRESS).exists()
    # The freed place went to the person waiting, as when cancelling.
    assert Registration.objects.get(pk=held["waiting"].pk).status == Registration.Status.CONFIRMED
    ids = [submission.pk for submission in held["submissions"]]
    assert not FormSubmission.objects.filter(pk__in=ids).exists()
    # Other people's data stays, a longer address containing this one too.
    others = [submission.pk for submission in held["others"]]
    assert FormSubmission.objects.filter(pk__in=others).count() == 2
    assert Registration.objects.filter(email="paul@example.org").exists()


# -- the person, from an e-mail ------------------------------------------------------------------


def test_the_link_of_an_email_shows_what_is_held_then_erases_it(
    client, held, django_capture_on_commit_callbacks, caplog
):
    from events.registration import notify

    with django_capture_on_commit_callbacks(execute=True):
        notify(held["mine"], "confirmed")
    (message,) = mail.outbox
    path = ERASE_LINK.search(message.body).group(1)
    assert path == erase_url(ADDRESS) and "jeanne" not in path

    # A GET (a mail scanner) shows, and erases nothing.
    page = client.get(path)
    html = text(page)
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert "Atelier à deux places" in html and "Réunion d'information" in html
    assert html.count("Message envoyé par le formulaire") == 2
    assert "Oui, supprimer mes données" in html
    assert "[adresse e-mail]" in html  # what the search statistics keep instead
    assert Registration.objects.filter(email=ADDRESS).count() == 2

    mail.outbox.clear()
    with caplog.at_level(logging.INFO), django_capture_on_commit_callbacks(execute=True):
        response = client.post(path)
    assert "Vos données sont effacées" in response.content.decode()
    assert_erased(held)
    # The person promoted is told; the person who erased everything gets nothing.
    assert [message.to for message in mail.outbox] == [["zoe@example.org"]]
    # Nothing personal in the logs.
    assert ADDRESS not in caplog.text and "Jeanne" not in caplog.text

    again = client.get(path).content.decode()
    assert "ne détient plus aucune donnée" in again


def test_the_link_still_finds_form_submissions_once_registrations_are_anonymised(client, held):
    from events.registration import anonymise

    anonymise(Registration.objects.filter(email=ADDRESS))
    html = text(client.get(erase_url(ADDRESS)))
    assert html.count("Message envoyé par le formulaire") == 2
    client.post(erase_url(ADDRESS))
    assert not FormSubmission.objects.filter(pk__in=[s.pk for s in held["submissions"]]).exists()


@pytest.mark.parametrize("token", ["0" * 40, "z" * 40, "abc", "x" * 300])
def test_forged_links_erase_nothing(client, held, token):
    response = client.post(f"/mes-donnees/{token}/")
    assert response.status_code in (200, 404)
    assert "Vos données sont effacées" not in response.content.decode()
    assert Registration.objects.filter(email=ADDRESS).count() == 2
    assert FormSubmission.objects.count() >= 4


# -- the staff ----------------------------------------------------------------------------------

URL = "/admin/donnees-personnelles/"


def test_a_moderator_finds_exports_and_erases_after_a_confirmation(moderator_client, held):
    page = moderator_client.get(URL)
    assert page.status_code == 200
    assert 'method="post"' in page.content.decode()  # the address never goes into a URL

    found = text(moderator_client.post(URL, {"email": ADDRESS.upper()}))
    assert "Atelier à deux places" in found and "Réunion d'information" in found
    assert "Réponses aux formulaires (2)" in found
    assert "[adresse e-mail]" in found
    assert "Oui, effacer ces données" not in found

    export = moderator_client.post(URL, {"email": ADDRESS, "action": "export"})
    assert export["Content-Disposition"].startswith('attachment; filename="donnees-personnelles-')
    data = json.loads(export.content)
    assert data["adresse e-mail"] == ADDRESS
    assert {item["événement"] for item in data["inscriptions aux événements"]} == {
        "Atelier à deux places",
        "Réunion d'information",
    }
    answers = [item["réponses"] for item in data["réponses aux formulaires"]]
    assert {"Nom": "Martin", "Adresse électronique": ADDRESS.upper()} in answers
    assert "[adresse e-mail]" in data["statistiques de recherche"]
    assert Registration.objects.filter(email=ADDRESS).count() == 2  # nothing erased yet

    confirm = moderator_client.post(URL, {"email": ADDRESS, "action": "confirm"})
    assert "Oui, effacer ces données" in text(confirm)
    assert Registration.objects.filter(email=ADDRESS).count() == 2

    done = moderator_client.post(URL, {"email": ADDRESS, "action": "erase"}, follow=True)
    assert "Données effacées : 2 inscription(s)" in text(done)
    assert_erased(held)


def test_editors_cannot_use_it(editor_client, held):
    assert editor_client.get(URL).status_code in (302, 403)
    editor_client.post(URL, {"email": ADDRESS, "action": "erase"})
    assert Registration.objects.filter(email=ADDRESS).count() == 2


def test_a_bad_address_is_explained(moderator_client):
    response = moderator_client.post(URL, {"email": "pas une adresse"})
    assert response.status_code == 200
    html = text(response)
    assert "Cette adresse e-mail n'est pas valide" in html and "pas une adresse" in html


def test_the_menu_item_is_shown_to_moderators_and_administrators_only(
    moderator_client, administrator_client, editor_client
):
    assert URL in moderator_client.get("/admin/").content.decode()
    assert URL in administrator_client.get("/admin/").content.decode()
    assert URL not in editor_client.get("/admin/").content.decode()
