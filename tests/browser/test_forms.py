"""The contact and support-request forms, as a person fills them in."""

import re

from playwright.sync_api import expect

from tests.browser.helpers import (
    CONSENT_LABEL,
    CONTACT,
    REQUIRED_MESSAGE,
    SUPPORT,
    THANK_YOU_HEADING,
    field_container,
    fill_contact_form,
    textbox,
)

SUPPORT_STAFF_ADDRESS = "accompagnement@cress-normandie.example"
CONTACT_STAFF_ADDRESS = "contact@cress-normandie.example"
CONSENT_ID = (
    "id_jaccepte_que_la_cress_normandie_utilise_ces_informations_pour_repondre_a_ma_demande"
)

# Required fields of the support request whose empty answer must be reported: (label, input id).
SUPPORT_REQUIRED_INPUTS = [
    ("Nom", "id_nom"),
    ("Prénom", "id_prenom"),
    ("Adresse électronique", "id_adresse_electronique"),
    ("Collectivité", "id_collectivite"),
    ("Territoire concerné", "id_territoire_concerne"),
    ("Votre message", "id_votre_message"),
    (CONSENT_LABEL, CONSENT_ID),
]
NEEDS_GROUP = "id_votre_besoin"


def _submissions(path):
    from wagtail.contrib.forms.models import FormSubmission
    from wagtail.models import Page

    return FormSubmission.objects.filter(page=Page.objects.get(url_path=f"/accueil{path}"))


def _send(page):
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer").click()


def _error_text(error):
    """The error message, without its "Erreur : " prefix (read by screen readers only)."""
    text = " ".join(error.text_content().split())
    assert text.startswith("Erreur : "), f"message sans préfixe « Erreur : » : {text!r}"
    return text.removeprefix("Erreur : ")


def _assert_field_error(page, field_id, message):
    """The field is marked invalid and described by its error, shown in its own block."""
    field = page.locator(f"#{field_id}")
    expect(field).to_have_attribute("aria-invalid", "true")
    error = page.locator(f"#{field_id}-erreur")
    expect(error).to_be_visible()
    text = _error_text(error)
    assert re.search(message, text), f"#{field_id} : message d'erreur inattendu : {text!r}"
    expect(field).to_have_attribute("aria-describedby", re.compile(rf"\b{field_id}-erreur\b"))
    expect(field_container(page, field_id).locator(".form-field__error")).to_have_count(1)


def _assert_no_field_error(page, field_id):
    expect(page.locator(f"#{field_id}")).not_to_have_attribute("aria-invalid", "true")
    expect(page.locator(f"#{field_id}-erreur")).to_have_count(0)


def test_support_request_errors_then_success(site_page, mailoutbox):
    page = site_page
    submissions = _submissions(SUPPORT)
    page.goto(SUPPORT)
    # No answer chosen in advance in the list: someone who skips it must be told, not filed
    # under its first département.
    expect(page.get_by_role("combobox", name="Territoire concerné")).to_have_value("")

    # 1. Sent empty: a summary of the errors, which takes the focus, and each error in place.
    _send(page)
    summary = page.get_by_role("alert")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text(
        re.compile(r"^Le formulaire contient \d+ erreurs$")
    )
    for label, field_id in SUPPORT_REQUIRED_INPUTS:
        _assert_field_error(page, field_id, REQUIRED_MESSAGE.pattern)
        # The summary links to the field.
        expect(summary.locator(f'a[href="#{field_id}"]')).to_contain_text(label)
    # The "Votre besoin" checkboxes: the group is described by its error, each box is invalid.
    group = page.get_by_role("group", name="Votre besoin")
    expect(group).to_have_attribute("aria-describedby", re.compile(rf"\b{NEEDS_GROUP}-erreur\b"))
    needs_error = group.locator(f"#{NEEDS_GROUP}-erreur")
    expect(needs_error).to_be_visible()
    assert REQUIRED_MESSAGE.search(_error_text(needs_error))
    boxes = group.get_by_role("checkbox")
    expect(boxes).to_have_count(5)
    for index in range(5):
        expect(boxes.nth(index)).to_have_attribute("aria-invalid", "true")
    expect(summary.locator(f'a[href="#{NEEDS_GROUP}"]')).to_contain_text("Votre besoin")
    # Optional fields are not in error.
    _assert_no_field_error(page, "id_telephone")
    _assert_no_field_error(page, "id_fonction")
    # Following a link of the summary moves to the field.
    summary.locator('a[href="#id_nom"]').click()
    expect(page).to_have_url(re.compile(r"#id_nom$"))
    expect(textbox(page, "Nom")).to_be_focused()
    assert submissions.count() == 0
    assert mailoutbox == []

    # 2. Some fields filled, an invalid e-mail address: what was typed is kept.
    textbox(page, "Nom").fill("Marie")
    textbox(page, "Prénom").fill("Durand")
    textbox(page, "Adresse électronique").fill("marie.durand@")
    textbox(page, "Collectivité").fill("Communauté de communes du Pays d'Auge")
    textbox(page, "Fonction").fill("Vice-présidente à l'économie")
    page.get_by_role("combobox", name="Territoire concerné").select_option("Orne")
    page.get_by_role("checkbox", name="Organiser une réunion d'information").check()
    textbox(page, "Votre message").fill("Un tiers-lieu nourricier à Lisieux.")
    _send(page)

    expect(page.get_by_role("alert")).to_be_visible()
    expect(textbox(page, "Nom")).to_have_value("Marie")
    expect(textbox(page, "Prénom")).to_have_value("Durand")
    expect(textbox(page, "Adresse électronique")).to_have_value("marie.durand@")
    expect(textbox(page, "Collectivité")).to_have_value("Communauté de communes du Pays d'Auge")
    expect(textbox(page, "Fonction")).to_have_value("Vice-présidente à l'économie")
    expect(page.get_by_role("combobox", name="Territoire concerné")).to_have_value("Orne")
    expect(page.get_by_role("checkbox", name="Organiser une réunion d'information")).to_be_checked()
    expect(textbox(page, "Votre message")).to_have_value("Un tiers-lieu nourricier à Lisieux.")
    _assert_field_error(page, "id_adresse_electronique", r"adresse .*valide")
    _assert_field_error(page, CONSENT_ID, REQUIRED_MESSAGE.pattern)
    for field_id in [
        "id_nom",
        "id_prenom",
        "id_collectivite",
        "id_territoire_concerne",
        "id_votre_message",
    ]:
        _assert_no_field_error(page, field_id)
    expect(page.locator(f"#{NEEDS_GROUP}-erreur")).to_have_count(0)
    assert submissions.count() == 0
    assert mailoutbox == []

    # 3. Everything right: the thank-you page, a stored submission, an e-mail to the staff.
    textbox(page, "Adresse électronique").fill("marie.durand@paysdauge.example")
    page.get_by_role("checkbox", name="Faire émerger de nouveaux projets").check()
    page.get_by_role("checkbox", name=CONSENT_LABEL).check()
    _send(page)

    expect(page.locator("h1")).to_have_text(THANK_YOU_HEADING)
    expect(page.get_by_role("main").get_by_role("status")).to_contain_text("sous dix jours ouvrés")

    assert submissions.count() == 1
    data = submissions.get().get_data()
    assert data["nom"] == "Marie"
    assert data["adresse_electronique"] == "marie.durand@paysdauge.example"
    assert data["territoire_concerne"] == "Orne"
    assert sorted(data["votre_besoin"]) == [
        "Faire émerger de nouveaux projets",
        "Organiser une réunion d'information",
    ]
    assert "site_web" not in data

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [SUPPORT_STAFF_ADDRESS]
    assert message.subject == "Nouvelle demande d'accompagnement"
    assert message.reply_to == ["marie.durand@paysdauge.example"]
    assert "Communauté de communes du Pays d'Auge" in message.body
    assert "Orne" in message.body


def test_contact_form_without_javascript(new_guarded_page, mailoutbox):
    submissions = _submissions(CONTACT)
    page = new_guarded_page(java_script_enabled=False)
    page.goto(CONTACT)

    _send(page)
    expect(page.get_by_role("alert")).to_be_visible()
    _assert_field_error(page, "id_nom", REQUIRED_MESSAGE.pattern)

    values = fill_contact_form(page)
    _send(page)

    expect(page.locator("h1")).to_have_text(THANK_YOU_HEADING)
    assert submissions.count() == 1
    assert submissions.get().get_data()["objet"] == values["Objet"]
    assert [message.to for message in mailoutbox] == [[CONTACT_STAFF_ADDRESS]]


def test_honeypot_is_invisible_to_people(site_page):
    page = site_page
    for path in [CONTACT, SUPPORT]:
        page.goto(path)
        honeypot = page.locator('input[name="site_web"]')
        expect(honeypot).to_have_count(1)
        expect(honeypot).to_be_hidden()
        expect(page.get_by_text("Ne pas remplir ce champ")).to_be_hidden()
        # Not in the accessibility tree, so not announced by a screen reader either.
        expect(page.get_by_role("textbox", name="Ne pas remplir ce champ")).to_have_count(0)
        # And never reached with the keyboard: Tab from the first field to the submit button.
        textbox(page, "Nom").focus()
        reached = []
        for _ in range(30):
            page.keyboard.press("Tab")
            name = page.evaluate("() => document.activeElement.name || ''")
            reached.append(name)
            if page.get_by_role("button", name="Envoyer").evaluate(
                "button => button === document.activeElement"
            ):
                break
        else:
            raise AssertionError(f"Le bouton « Envoyer » n'est pas atteint : {reached}")
        assert "site_web" not in reached


def test_honeypot_filled_in_by_a_bot_is_ignored(site_page, mailoutbox):
    page = site_page
    submissions = _submissions(CONTACT)
    page.goto(CONTACT)
    fill_contact_form(page)
    page.locator('input[name="site_web"]').evaluate("el => { el.value = 'https://spam.example' }")
    _send(page)

    # The bot is thanked like a person; nothing is stored or sent.
    expect(page.locator("h1")).to_have_text(THANK_YOU_HEADING)
    assert submissions.count() == 0
    assert mailoutbox == []
