"""Every page type renders in French with one <h1> and a <title>, and passes axe (WCAG 2.1 AA).

The guard (see conftest) also fails each of these tests if the page loads anything from another
host or logs a console error.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import (
    ABOUT,
    ABOUT_TITLE,
    CONTACT,
    HOME,
    PITCH,
    PITCH_TITLE,
    SUPPORT,
    THANK_YOU_HEADING,
    assert_no_axe_violations,
    assert_page_basics,
    fill_contact_form,
)


def _ok(response):
    assert response is not None and response.status == 200, (
        f"{response.url if response else '?'} : statut {response.status if response else '?'}"
    )


@pytest.mark.parametrize("width", [1280, 375])
def test_home_page(new_guarded_page, width):
    page = new_guarded_page(viewport={"width": width, "height": 900})
    # The first visit to a freshly loaded demo draws the renditions of the studies' covers and
    # the projects' pictures (AVIF, WebP, JPEG at two sizes): longer than the usual 10 s here.
    _ok(page.goto(HOME, timeout=60_000))
    assert_page_basics(page)
    expect(page.locator("h1")).to_have_text("Soutenir l'entrepreneuriat d'ESS sur votre territoire")
    # Every section is there, and nothing scrolls sideways.
    for section in (".home-figures", ".home-studies", ".normandy-map", ".home-events", ".home-cta"):
        expect(page.locator(section)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_no_axe_violations(page)


def test_pitch_page(site_page):
    _ok(site_page.goto(PITCH))
    assert_page_basics(site_page)
    expect(site_page.locator("h1")).to_have_text(PITCH_TITLE)
    # The "on this page" menu lists the level-2 headings, whose anchors exist.
    toc_links = site_page.get_by_role("navigation", name="Sur cette page").get_by_role("link")
    expect(toc_links.first).to_be_visible()
    for href in toc_links.evaluate_all("links => links.map(link => link.getAttribute('href'))"):
        expect(site_page.locator(href)).to_have_count(1)
    assert_no_axe_violations(site_page)


def test_content_page(site_page):
    _ok(site_page.goto(ABOUT))
    assert_page_basics(site_page)
    expect(site_page.locator("h1")).to_have_text(ABOUT_TITLE)
    assert_no_axe_violations(site_page)


def test_form_page(site_page):
    _ok(site_page.goto(SUPPORT))
    assert_page_basics(site_page)
    expect(site_page.locator("h1")).to_have_text("Demande d'accompagnement")
    expect(site_page.get_by_role("alert")).to_have_count(0)
    assert_no_axe_violations(site_page)


def test_form_page_with_errors(site_page):
    site_page.goto(SUPPORT)
    with site_page.expect_navigation():
        site_page.get_by_role("button", name="Envoyer").click()
    assert_page_basics(site_page)
    expect(site_page).to_have_title(re.compile(r"^Erreur\u00a0: "))
    expect(site_page.get_by_role("alert")).to_be_visible()
    assert_no_axe_violations(site_page)


def test_form_landing_page(site_page):
    site_page.goto(CONTACT)
    fill_contact_form(site_page)
    with site_page.expect_navigation():
        site_page.get_by_role("button", name="Envoyer").click()
    assert_page_basics(site_page)
    expect(site_page.locator("h1")).to_have_text(THANK_YOU_HEADING)
    assert_no_axe_violations(site_page)


def test_search_results_page(site_page):
    _ok(site_page.goto("/recherche/?q=subsidiarité"))
    assert_page_basics(site_page)
    expect(site_page.locator("#search-results-title")).to_have_text(
        re.compile(r"^\s*\d+ résultats? pour «\s*subsidiarité\s*»\s*$")
    )
    results = site_page.locator(".search-result")
    expect(results.first).to_be_visible()
    expect(results.get_by_role("link", name=PITCH_TITLE)).to_be_visible()
    assert_no_axe_violations(site_page)


def test_search_page_without_results(site_page):
    _ok(site_page.goto("/recherche/?q=xylophonistes"))
    assert_page_basics(site_page)
    expect(site_page.locator("#search-results-title")).to_have_text(
        re.compile(r"Aucun résultat pour «\s*xylophonistes\s*»")
    )
    expect(site_page.locator(".search-result")).to_have_count(0)
    assert_no_axe_violations(site_page)


@pytest.mark.parametrize("path", ["/page-qui-nexiste-pas/", "/a-propos/page-qui-nexiste-pas/"])
def test_not_found_page(site_page, guard, live_site, path):
    # Chromium reports the 404 of the document itself in the console: expected here only.
    guard.allow_console_error("status of 404", live_site + path)
    response = site_page.goto(path)
    assert response.status == 404
    assert_page_basics(site_page, title=re.compile(r"^Page introuvable"))
    expect(site_page.locator("h1")).to_have_text("Page introuvable")
    expect(site_page.get_by_role("link", name="revenez à la page d'accueil")).to_have_attribute(
        "href", "/"
    )
    assert_no_axe_violations(site_page)
