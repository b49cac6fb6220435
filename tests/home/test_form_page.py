"""The support request form: errors in French next to their fields, nothing typed lost,
answers stored and e-mailed, spam ignored."""

from wagtail.contrib.forms.models import FormSubmission

import pytest

from home.models import FormPage

pytestmark = pytest.mark.django_db

URL = "/demande-accompagnement/"

VALID = {
    "nom": "Martin",
    "prenom": "Jeanne",
    "adresse_electronique": "jeanne.martin@mairie-argentan.example",
    "telephone": "02 33 00 00 00",
    "collectivite": "Ville d'Argentan",
    "fonction": "Adjointe à l'économie",
    "territoire_concerne": "Orne",
    "votre_besoin": ["Faire émerger de nouveaux projets", "Autre"],
    "votre_message": "Nous voulons soutenir un restaurant d'insertion.",
    "jaccepte_que_la_cress_normandie_utilise_ces_informations_pour_repondre_a_ma_demande": "on",
}


@pytest.fixture
def form_page():
    return FormPage.objects.get(slug="demande-accompagnement")


def test_form_page_shows_every_field_with_its_label(client, form_page):
    content = client.get(URL).content.decode()
    for field in form_page.form_fields.all():
        assert f'for="id_{field.clean_name}"' in content or f"id_{field.clean_name}" in content
    assert "<legend" in content  # the checkbox group has a legend
    assert 'autocomplete="email"' in content
    assert 'autocomplete="family-name"' in content
    assert "Les champs marqués d'un astérisque" in content


def test_empty_form_gets_french_errors_next_to_each_required_field(client, form_page):
    response = client.post(URL, {})
    assert response.status_code == 200
    content = response.content.decode()
    assert 'role="alert"' in content
    assert "Le formulaire contient 8 erreurs" in content
    assert content.count("Champ requis.") == 2 * 8  # in the summary and next to the field
    assert 'id="id_nom-erreur"' in content
    assert 'aria-describedby="id_nom-erreur"' in content
    assert 'aria-invalid="true"' in content
    assert "<title>Erreur\u00a0: " in content
    assert not FormSubmission.objects.filter(page=form_page).exists()


def test_invalid_email_keeps_everything_typed(client, form_page):
    data = {**VALID, "adresse_electronique": "jeanne.martin@"}
    response = client.post(URL, data)
    content = response.content.decode()
    assert "Saisissez une adresse de courriel valide." in content
    assert 'value="Martin"' in content
    assert 'value="jeanne.martin@"' in content
    assert "Nous voulons soutenir un restaurant d&#x27;insertion." in content
    assert '<option value="Orne" selected>' in content
    assert 'value="Autre" id="id_votre_besoin_4" checked' in content or (
        "checked" in content.split('value="Autre"')[1].split(">")[0]
    )
    assert not FormSubmission.objects.filter(page=form_page).exists()


def test_valid_request_is_stored_and_emailed_to_the_staff(client, form_page, mailoutbox):
    response = client.post(URL, VALID)
    assert response.status_code == 200
    assert "Merci, votre message a bien été envoyé" in response.content.decode()

    submission = FormSubmission.objects.get(page=form_page)
    assert submission.get_data()["collectivite"] == "Ville d'Argentan"
    assert "site_web" not in submission.form_data

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["accompagnement@cress-normandie.example"]
    assert message.reply_to == ["jeanne.martin@mairie-argentan.example"]
    assert message.subject == "Nouvelle demande d'accompagnement"
    assert "Ville d'Argentan" in message.body


def test_a_bot_filling_the_honeypot_is_thanked_and_ignored(client, form_page, mailoutbox):
    response = client.post(URL, {**VALID, "site_web": "http://spam.example"})
    assert response.status_code == 200
    assert "Merci, votre message a bien été envoyé" in response.content.decode()
    assert not FormSubmission.objects.filter(page=form_page).exists()
    assert mailoutbox == []


def test_honeypot_is_hidden_from_people(client):
    content = client.get(URL).content.decode()
    honeypot = content.split('class="form__hp"')[1].split("</div>")[0]
    assert 'name="site_web"' in honeypot
    assert 'tabindex="-1"' in honeypot


def test_staff_can_export_submissions(admin_client, client, form_page):
    client.post(URL, VALID)
    response = admin_client.get(f"/admin/forms/submissions/{form_page.pk}/", {"export": "csv"})
    assert response.status_code == 200
    assert "Ville d'Argentan" in b"".join(response.streaming_content).decode()


def test_drop_down_lists_start_with_no_choice(client):
    content = client.get(URL).content.decode()
    select = content.split('name="territoire_concerne"')[1].split("</select>")[0]
    assert select.split("<option")[1].startswith(' value="" selected>Choisissez…')
    response = client.post(URL, {**VALID, "territoire_concerne": ""})
    assert 'id="id_territoire_concerne-erreur"' in response.content.decode()
