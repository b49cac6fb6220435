"""The portraits of territories, as an elected official uses them: type one's commune in the
box, land on the portrait of its intercommunalité, follow a figure to the directory filtered
on it and download that list. Axe on the index, on a portrait and on the directory, wide and
narrow.

The data (a commune of the first intercommunalité of the Calvados, and ESS establishments in
it) are made here: the demo site of the tests has no commune and no directory.
"""

import csv
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from cress_site.factories import TerritoryFactory
from cress_site.models import Territory
from directory.choices import Family
from directory.factories import EnterpriseFactory, EstablishmentFactory
from directory.models import Establishment
from tests.browser.helpers import assert_no_axe_violations, assert_page_basics

INDEX = "/territoires/"
BOX_LABEL = "Nom ou code postal de la commune"
WIDTHS = [1280, 375]


@pytest.fixture
def commune(live_site):
    """A commune of an intercommunalité of the Calvados, with three ESS establishments (two
    associations, one cooperative) and one that must not be counted (its unit is not public)."""
    epci = Territory.objects.filter(kind="epci", departement__code="14").order_by("name").first()
    commune = TerritoryFactory(
        name="Sainte-Honorine-des-Essais", code="14901", parent=epci, postcodes="14990"
    )
    for family, is_public in [
        (Family.ASSOCIATION, True),
        (Family.ASSOCIATION, True),
        (Family.COOPERATIVE, True),
        (Family.ASSOCIATION, False),
    ]:
        EstablishmentFactory(
            enterprise=EnterpriseFactory(family=family, is_public=is_public), commune=commune
        )
    return commune


def test_a_commune_leads_to_its_intercommunality_s_portrait(site_page, commune):
    epci = commune.parent
    site_page.goto(INDEX)
    assert_page_basics(site_page)
    site_page.get_by_label(BOX_LABEL).fill("sainte honorine des essais")
    site_page.get_by_role("button", name="Voir le portrait").click()
    expect(site_page).to_have_url(re.compile(rf"{INDEX}{epci.slug}/$"))
    expect(site_page.locator("h1")).to_have_text(epci.name)
    # The counts: the three public units' establishments, not the fourth.
    figures = site_page.locator(".key-figures__item").first
    expect(figures).to_contain_text("3")
    families = site_page.get_by_role("table", name=re.compile("par famille"))
    expect(families.get_by_role("row", name=re.compile("^Association"))).to_contain_text("2")


def test_an_unknown_commune_gets_a_message_and_keeps_what_was_typed(site_page, live_site):
    site_page.goto(INDEX)
    site_page.get_by_label(BOX_LABEL).fill("Trifouilly-les-Oies")
    site_page.get_by_role("button", name="Voir le portrait").click()
    expect(site_page.get_by_role("alert")).to_contain_text("Aucune commune de Normandie")
    expect(site_page.get_by_label(BOX_LABEL)).to_have_value("Trifouilly-les-Oies")
    assert_no_axe_violations(site_page)


def test_a_figure_leads_to_the_directory_filtered_on_it(site_page, commune):
    epci = commune.parent
    site_page.goto(f"{INDEX}{epci.slug}/")
    families = site_page.get_by_role("table", name=re.compile("par famille"))
    link = families.get_by_role("row", name=re.compile("^Association")).get_by_role("link")
    href = link.get_attribute("href")
    assert href, "Le chiffre des associations devrait mener à l'annuaire filtré."
    query = parse_qs(urlsplit(href).query)
    assert query["territoire"] == [epci.slug]
    assert query["famille"] == ["association"]

    with site_page.expect_navigation() as navigation:
        link.click()
    assert navigation.value.ok, f"L'annuaire filtré répond {navigation.value.status}."
    url = urlsplit(site_page.url)
    assert parse_qs(url.query)["territoire"] == [epci.slug]
    assert parse_qs(url.query)["famille"] == ["association"]
    assert_page_basics(site_page)
    assert_no_axe_violations(site_page)

    # The filtered list, downloaded: the two public associations of the commune, not the third
    # association (its unit is not public) nor the cooperative.
    with site_page.expect_download() as download_info:
        site_page.get_by_role("link", name="Tableur (CSV").click()
    download = download_info.value
    with open(download.path(), encoding="utf-8-sig") as file:
        rows = list(csv.DictReader(io.StringIO(file.read()), delimiter=";"))
    expected = {
        establishment.enterprise.siren
        for establishment in commune_establishments(commune)
        if establishment.enterprise.is_public and establishment.enterprise.family == "association"
    }
    assert len(expected) == 2
    assert {row["siren"] for row in rows} == expected


def commune_establishments(commune):
    return Establishment.objects.filter(commune=commune).select_related("enterprise")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_index_and_a_portrait_pass_axe(new_guarded_page, commune, width):
    page = new_guarded_page(viewport={"width": width, "height": 900})
    page.goto(INDEX)
    assert_page_basics(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_no_axe_violations(page)
    page.goto(f"{INDEX}{commune.parent.slug}/")
    assert_page_basics(page)
    expect(page.locator("svg[role=img]:visible")).to_have_count(4)
    # The tables scroll in their own box: the page itself never scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_no_axe_violations(page)
    page.goto(f"{INDEX}?commune=50")  # a message in the box
    assert_no_axe_violations(page)
