"""Search sections (cress_site.searchable) in the browser: their block on the results page and
their options in the header's suggestions, accessible, with and without JavaScript.

The section is the test's own (the live server runs in this process: it sees the registry)."""

import re

import pytest
from playwright.sync_api import expect

from cress_site import searchable
from cress_site.searchable import SectionResult, register_search_section
from tests.browser.helpers import HOME, assert_no_axe_violations

CREACOOP_URL = "/projets-accompagnes/creacoop-14/"
WAIT = 5000


def find(query, limit):
    if not query.lower().startswith("calv"):
        return []
    return [
        SectionResult("Calvados", CREACOOP_URL, "Département", "Portrait du territoire"),
        SectionResult("Caen la Mer", CREACOOP_URL, "Intercommunalité"),
    ][:limit]


@pytest.fixture
def section(monkeypatch):
    monkeypatch.setattr(searchable, "_sections", {})
    register_search_section(
        "territoires-test",
        label="Territoires",
        find=find,
        scope="content",
        more_url=lambda query: "/projets-accompagnes/",
    )


def test_the_results_page_shows_the_section_block(site_page, section):
    site_page.goto("/recherche/?q=calvados")
    block = site_page.get_by_role("region", name="Territoires")
    expect(block.get_by_role("heading", level=3, name="Territoires")).to_be_visible()
    expect(block.get_by_role("listitem")).to_have_count(2)
    expect(block.get_by_role("link", name="Calvados", exact=True)).to_have_attribute(
        "href", CREACOOP_URL
    )
    expect(block).to_contain_text("Département")
    expect(block.get_by_role("link", name=re.compile(r"^Voir tout"))).to_have_attribute(
        "href", "/projets-accompagnes/"
    )
    expect(site_page.locator("#search-results-title")).to_contain_text("résultat")
    assert_no_axe_violations(site_page)


def test_the_suggestions_list_the_sections_results_labelled(site_page, section):
    site_page.goto(HOME)
    box = site_page.get_by_role("combobox", name="Rechercher sur le site")
    box.focus()
    site_page.keyboard.type("calv", delay=40)
    listbox = site_page.get_by_role("listbox", name="Suggestions", exact=True)
    expect(listbox).to_be_visible(timeout=WAIT)
    option = listbox.get_by_role("option", name=re.compile(r"^Calvados\s*, Département"))
    expect(option).to_be_visible(timeout=WAIT)
    expect(listbox.get_by_role("option", name=re.compile(r"^Caen la Mer"))).to_contain_text(
        "Intercommunalité"
    )
    expect(site_page.get_by_role("status")).to_contain_text("2 autres résultats suggérés")
    assert_no_axe_violations(site_page)
    # Down to it from the end of the list (ArrowUp wraps to the last option): it opens its page.
    site_page.keyboard.press("ArrowUp")
    site_page.keyboard.press("ArrowUp")
    with site_page.expect_navigation():
        site_page.keyboard.press("Enter")
    assert site_page.url.endswith(CREACOOP_URL)
