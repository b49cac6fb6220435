"""The directory of ESS enterprises, as an official uses it: narrow it to a territory and a
family, open an enterprise, follow its commune back to the filtered list, download it. Axe on
the directory and on an enterprise's page; the guard fails on any third-party request."""

import csv
import io

from playwright.sync_api import expect

from cress_site.factories import TerritoryFactory
from cress_site.models import Territory
from directory.choices import Family, Sector
from directory.factories import EnterpriseFactory, EstablishmentFactory
from tests.browser.helpers import assert_no_axe_violations, assert_page_basics

URL = "/annuaire/"


def make_directory():
    calvados = Territory.objects.get(kind="departement", code="14")
    epci = TerritoryFactory(
        kind="epci", name="Communauté de test", code="200099991", parent=calvados
    )
    commune = TerritoryFactory(name="Bayeux-sur-Test", code="14999", parent=epci)
    ruche = EnterpriseFactory(siren="811111111", name="La Ruche solidaire", acronym="LRS")
    EstablishmentFactory(enterprise=ruche, commune=commune, head_office=True)
    scop = EnterpriseFactory(
        siren="822222222",
        name="Charpentes coopératives",
        family=Family.COOPERATIVE,
        sector=Sector.F,
    )
    EstablishmentFactory(enterprise=scop, commune=commune, head_office=True)
    hidden = EnterpriseFactory(siren="844444444", name="Secret diffusion", is_public=False)
    EstablishmentFactory(enterprise=hidden, commune=commune)
    return epci, commune


def test_filter_open_and_download(site_page, live_site):
    epci, _commune = make_directory()
    page = site_page
    page.goto(URL)
    assert_page_basics(page, "Annuaire des entreprises de l'ESS – CRESS Normandie")
    expect(page.locator(".listing-status__count")).to_contain_text("2 entreprises")
    expect(page.get_by_text("Secret diffusion")).to_have_count(0)
    assert_no_axe_violations(page)

    page.get_by_label("Territoire").select_option(epci.slug)
    page.get_by_label("Famille de l'ESS").select_option("cooperative")
    page.get_by_role("button", name="Afficher les résultats").click()
    expect(page.locator(".listing-status__count")).to_contain_text("1 entreprise")
    assert_no_axe_violations(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tableur (CSV").click()
    download = download_info.value
    assert download.suggested_filename.startswith("entreprises-ess-normandie-")
    with open(download.path(), encoding="utf-8-sig") as file:
        rows = list(csv.DictReader(io.StringIO(file.read()), delimiter=";"))
    assert [row["siren"] for row in rows] == ["822222222"]

    page.get_by_role("link", name="Charpentes coopératives").click()
    expect(page.locator("h1")).to_have_text("Charpentes coopératives")
    expect(page.get_by_text("822 222 222")).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Bayeux-sur-Test").click()
    expect(page.locator(".listing-status__count")).to_contain_text("2 entreprises")
    expect(page.locator(".active-filters__item")).to_contain_text("Bayeux-sur-Test")


def test_no_sideways_scrolling_at_320_px(new_guarded_page, live_site):
    make_directory()
    page = new_guarded_page(viewport={"width": 320, "height": 640})
    for url in (URL, URL + "811111111/"):
        page.goto(url)
        widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], (url, widths)


def test_filters_work_without_javascript(new_guarded_page, live_site):
    make_directory()
    page = new_guarded_page(java_script_enabled=False)
    page.goto(URL)
    page.get_by_label("Nom ou numéro SIREN").fill("811 111 111")
    page.get_by_role("button", name="Afficher les résultats").click()
    expect(page.locator(".listing-status__count")).to_contain_text("1 entreprise")
    expect(page.get_by_role("link", name="La Ruche solidaire")).to_be_visible()
