"""Reading and driving a filterable index page (cress_site/listing.py) as a reader does.

Each test module binds these functions to its page with `functools.partial(..., spec=SPEC)`.
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Page, expect

SUBMIT_LABEL = "Afficher les résultats"


@dataclass(frozen=True)
class ListingSpec:
    form_name: str  # "Filtrer les publications"
    results_name: str  # the results region's name: "Publications"
    singular: str  # "publication"
    plural: str  # "publications"
    heading_level: int = 3  # the level of each item's title (4 where months group the items)


def ok(response):
    assert response is not None and response.status == 200, (
        f"{response.url if response else '?'} : statut {response.status if response else '?'}"
    )


def filters(page: Page, *, spec):
    return page.get_by_role("form", name=spec.form_name)


def results(page: Page, *, spec):
    return page.get_by_role("region", name=spec.results_name, exact=True)


def status(page: Page, *, spec):
    return results(page, spec=spec).get_by_role("status")


def listed_titles(page: Page, *, spec):
    """The titles of the items listed, in their order."""
    return [
        " ".join(text.split())
        for text in results(page, spec=spec)
        .get_by_role("heading", level=spec.heading_level)
        .all_text_contents()
    ]


def active_filters(page: Page, *, spec):
    return results(page, spec=spec).locator(".active-filters")


def remove_filter_link(page: Page, label, value, *, spec):
    """The link of an active filter chip, named as assistive technologies announce it."""
    return active_filters(page, spec=spec).get_by_role(
        "link", name=f"{label} : {value} (retirer ce filtre)", exact=True
    )


def choose(page: Page, select_label, option_label, *, spec):
    """Choose an option of a filter by what the reader sees ("Orne", shown as "Orne (1)")."""
    select = filters(page, spec=spec).get_by_role("combobox", name=select_label, exact=True)
    option = select.locator("option").filter(
        has_text=re.compile(rf"^\s*{re.escape(option_label)} \(\d+\)\s*$")
    )
    expect(option).to_have_count(1)
    select.select_option(label=" ".join(option.text_content().split()))
    return select


def submit(page: Page, *, spec):
    with page.expect_navigation():
        filters(page, spec=spec).get_by_role("button", name=SUBMIT_LABEL).click()


def query(page: Page):
    """The non-empty parameters of the current address."""
    return parse_qs(urlsplit(page.url).query)


def assert_count(page: Page, count, *, spec):
    noun = spec.singular if count == 1 else spec.plural
    expect(status(page, spec=spec)).to_have_text(re.compile(rf"^\s*{count} {noun}\s*$"))


def assert_listed(page: Page, titles, *, spec):
    expect(results(page, spec=spec).get_by_role("heading", level=spec.heading_level)).to_have_count(
        len(titles)
    )
    assert sorted(listed_titles(page, spec=spec)) == sorted(titles)


def tab_until(page: Page, locator, limit=80):
    """Press Tab until `locator` has the focus; fail if it is not reached in `limit` presses."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{locator} n'a pas reçu le focus après {limit} tabulations.")
