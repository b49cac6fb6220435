"""What the browser tests check on every page: accessibility, third-party requests, console."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# The demo site's pages (home/demo/).
HOME = "/"
PITCH = "/collectivites-soutenir-lentrepreneuriat-dess/"
PITCH_TITLE = "Collectivités : soutenir l'entrepreneuriat d'ESS"
ABOUT = "/a-propos/"
ABOUT_TITLE = "À propos de la CRESS"
CONTACT = "/contact/"
SUPPORT = "/demande-accompagnement/"
THANK_YOU_HEADING = "Merci, votre message a bien été envoyé"
CONSENT_LABEL = "J'accepte que la CRESS Normandie utilise ces informations"

# The French "This field is required.": Django's own catalog says "Ce champ est obligatoire.",
# but wagtail.admin (earlier in INSTALLED_APPS, so it wins) says "Champ requis.".
REQUIRED_MESSAGE = re.compile(r"^(Ce champ est obligatoire\.|Champ requis\.)$")


def assert_no_axe_violations(page: Page):
    """Run axe-core (WCAG 2.0/2.1, levels A and AA) on the current page; fail on any violation.

    The message lists each violation's id, impact and help, then each offending node's target.
    """
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": WCAG_TAGS},
            # Only the violations are read: lighter results, the same checks.
            "resultTypes": ["violations"],
        },
    )
    violations = results.response["violations"]
    if not violations:
        return
    lines = [f"{len(violations)} violation(s) axe-core sur {page.url} :"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation.get('impact')}) : {violation['help']}")
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    · {target} : {summary}")
            lines.append(f"      {' '.join(node.get('html', '').split())[:300]}")
    pytest.fail("\n".join(lines), pytrace=False)


def assert_page_basics(page: Page, title=None):
    """lang="fr", one and only one <h1>, a non-empty <title>."""
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("h1")).to_be_visible()
    assert page.title().strip(), f"{page.url} n'a pas de <title>"
    if title is not None:
        expect(page).to_have_title(title)


class PageGuard:
    """Records every request a browser context makes and every console error its pages log.

    `check()` fails if a request went to another host than the live server (the site loads
    nothing from a third party), or if a page logged a console error (CSP violations are
    console errors) or raised an uncaught exception.
    """

    def __init__(self, base_url):
        base = urlsplit(base_url)
        self.origin = (base.scheme, base.hostname, base.port)
        self.requests = []
        self.console_errors = []
        self.page_errors = []
        self.allowed_console_errors = []

    def attach(self, page: Page):
        page.set_default_timeout(10_000)
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.page_errors.append(f"{error} ({page.url})"))
        return page

    def _on_console(self, message):
        if message.type == "error":
            location = message.location or {}
            self.console_errors.append((message.text, location.get("url", "")))

    def allow_console_error(self, text, url):
        """Accept an expected console error: `text` logged for the resource at `url`."""
        self.allowed_console_errors.append((text, url))

    def foreign_requests(self):
        foreign = []
        for url in self.requests:
            parts = urlsplit(url)
            if parts.scheme in {"data", "blob", "about"}:
                continue
            if (parts.scheme, parts.hostname, parts.port) != self.origin:
                foreign.append(url)
        return foreign

    def unexpected_console_errors(self):
        return [
            (text, url)
            for text, url in self.console_errors
            if not any(
                allowed_text in text and allowed_url == url
                for allowed_text, allowed_url in self.allowed_console_errors
            )
        ]

    def check(self):
        assert self.requests, "Aucune requête enregistrée : la page n'a pas été surveillée."
        problems = []
        foreign = self.foreign_requests()
        if foreign:
            problems.append("Requêtes vers un autre hôte que le site :\n  " + "\n  ".join(foreign))
        errors = self.unexpected_console_errors()
        if errors:
            problems.append(
                "Erreurs dans la console :\n  "
                + "\n  ".join(f"{text} ({url})" for text, url in errors)
            )
        if self.page_errors:
            problems.append("Exceptions JavaScript :\n  " + "\n  ".join(self.page_errors))
        assert not problems, "\n".join(problems)


def field_container(page: Page, field_id):
    """The .form-field block (div or fieldset) that holds the element with this id."""
    return page.locator(".form-field").filter(has=page.locator(f"#{field_id}"))


def fill_contact_form(page: Page, **overrides):
    """Fill the contact form (/contact/) with valid answers."""
    values = {
        "Nom": "Lefèvre",
        "Prénom": "Camille",
        "Adresse électronique": "camille.lefevre@mairie-exemple.example",
        "Organisation": "Mairie d'Exemple-sur-Orne",
        "Objet": "Réunion d'information",
        "Votre message": "Pouvez-vous organiser une réunion sur la création d'une coopérative ?",
    }
    values.update(overrides)
    for label, value in values.items():
        textbox(page, label).fill(value)
    page.get_by_role("checkbox", name=CONSENT_LABEL).check()
    return values


def textbox(page: Page, name):
    """A text field, found as assistive technologies name it (without the "*" of its label)."""
    return page.get_by_role("textbox", name=name, exact=True)
