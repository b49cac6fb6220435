"""The showcase of supported projects, as an elected official or a local officer uses it.

From the pitch to local authorities, follow an example to its project, then to the showcase;
narrow the showcase to a département on the map of Normandy, open a project, follow it to the
study it relied on. From the keyboard, without JavaScript, and with a mistyped address.

The demo showcase (projects_showcase/demo.py) holds 9 projects, 12 to a page: 3 in the Orne
(two in the Argentan intercommunality, one in the Perche), 2 in the Calvados, 1 in each of the
Eure, the Manche and the Seine-Maritime, and 1 for the whole region.

The guard (see conftest) also fails each of these tests if a page loads anything from another
host or logs a console error.
"""

import re
from functools import partial
from urllib.parse import urlsplit

from playwright.sync_api import Page, expect

from tests.browser import listing
from tests.browser.helpers import PITCH, PITCH_TITLE, assert_no_axe_violations, assert_page_basics
from tests.browser.listing import ListingSpec

SHOWCASE = "/projets-accompagnes/"
SHOWCASE_TITLE = "Projets accompagnés"
DEMO_COUNT = 9

EXAMPLES_HEADING = "Des exemples de projets de territoires accompagnés par la CRESS"
EXAMPLE_TITLE = "Créacoop 14, la coopérative d'activité et d'emploi du Calvados"
EXAMPLE = SHOWCASE + "creacoop-14/"

RESTAURANT_TITLE = "Un restaurant d'insertion à Argentan"
RESTAURANT = SHOWCASE + "restaurant-insertion-argentan/"
ORNE_PROJECTS = [
    RESTAURANT_TITLE,
    "Les finances solidaires dans l'Agenda 21 d'Argentan",
    "Un tiers-lieu rural dans le Perche",
]
ORNE_STUDY = "/observatoire/poids-ess-orne/"
ORNE_STUDY_TITLE = "Étude sur le poids de l'ESS dans l'Orne"

MANCHE_PROJECTS = ["La recyclerie du Cotentin"]
CALVADOS_PROJECTS = [
    EXAMPLE_TITLE,
    "Un centre d'habitat social dans l'agglomération caennaise",
]
CALVADOS_EMERGING = ["Un centre d'habitat social dans l'agglomération caennaise"]

# With an illustration (its listing image) and key figures; without either.
PROJECT_WITH_IMAGE = SHOWCASE + "garage-solidaire-caux/"
PROJECT_WITH_IMAGE_TITLE = "Le garage solidaire du pays de Caux"
PROJECT_WITHOUT_IMAGE = SHOWCASE + "finances-solidaires-agenda-21-argentan/"
PROJECT_WITHOUT_IMAGE_TITLE = "Les finances solidaires dans l'Agenda 21 d'Argentan"

MAP_NAME = "Carte des départements de Normandie"
MAP_LIST_NAME = "Projets accompagnés par département"


SPEC = ListingSpec("Filtrer les projets", "Projets", "projet", "projets")
_ok = listing.ok
_query = listing.query
_tab_until = listing.tab_until
_filters = partial(listing.filters, spec=SPEC)
_results = partial(listing.results, spec=SPEC)
_status = partial(listing.status, spec=SPEC)
_listed_titles = partial(listing.listed_titles, spec=SPEC)
_active_filters = partial(listing.active_filters, spec=SPEC)
_remove_filter_link = partial(listing.remove_filter_link, spec=SPEC)
_choose = partial(listing.choose, spec=SPEC)
_submit = partial(listing.submit, spec=SPEC)
_assert_count = partial(listing.assert_count, spec=SPEC)
_assert_listed = partial(listing.assert_listed, spec=SPEC)

# --- Finding things as a reader does ----------------------------------------------------------


def _map(page: Page):
    """The SVG map (role="group"), whose départements are links."""
    return page.get_by_role("group", name=MAP_NAME, exact=True)


def _map_link(page: Page, name):
    """A département of the map, by the start of its accessible name ("Orne : 3 projets")."""
    return _map(page).get_by_role("link", name=re.compile(rf"^{re.escape(name)}\s*:"))


def _map_list(page: Page):
    """The same links as a text list, under the map."""
    return page.get_by_role("list", name=MAP_LIST_NAME, exact=True)


def _assert_whole_showcase(page: Page):
    _assert_count(page, DEMO_COUNT)
    expect(_results(page).get_by_role("heading", level=3)).to_have_count(DEMO_COUNT)
    expect(_active_filters(page)).to_have_count(0)
    expect(page.get_by_text("Effacer tous les filtres")).to_have_count(0)
    expect(_map(page).locator("[aria-current]")).to_have_count(0)
    expect(_map_list(page).locator("[aria-current]")).to_have_count(0)


def _assert_filtered_on_orne(page: Page, live_site):
    """The showcase narrowed to the Orne, from the map or from a link."""
    assert _query(page) == {"territoire": ["orne"]}, page.url
    assert urlsplit(page.url).path == SHOWCASE, page.url
    expect(page).to_have_title(re.compile(r"\(3 résultats\)"))
    _assert_count(page, len(ORNE_PROJECTS))
    _assert_listed(page, ORNE_PROJECTS)
    chip = _remove_filter_link(page, "Territoire", "Orne")
    expect(chip).to_be_visible()
    expect(chip).to_contain_text("Territoire : Orne")
    expect(_active_filters(page).get_by_role("link")).to_have_count(1)
    expect(_filters(page).get_by_role("combobox", name="Territoire", exact=True)).to_have_value(
        "orne"
    )
    # The Orne is shown as the current choice, on the map and in its list.
    expect(_map_link(page, "Orne")).to_have_attribute("aria-current", "true")
    expect(_map(page).locator("[aria-current]")).to_have_count(1)
    expect(_map_list(page).get_by_role("link", name="Orne (3 projets)")).to_have_attribute(
        "aria-current", "true"
    )


# --- 1. The path: from the pitch to a study, through the showcase and its map ---------


def test_official_follows_an_example_to_the_map_and_a_study(site_page, live_site):
    page = site_page

    # The pitch to local authorities, and its examples of supported projects.
    _ok(page.goto(PITCH))
    assert_page_basics(page)
    expect(page.locator("h1")).to_have_text(PITCH_TITLE)
    examples = page.locator("section").filter(
        has=page.get_by_role("heading", level=2, name=EXAMPLES_HEADING, exact=True)
    )
    expect(examples).to_have_count(1)
    expect(examples.get_by_role("heading", level=3).first).to_be_visible()
    more = examples.get_by_role("link", name="Voir tous les projets accompagnés", exact=True)
    expect(more).to_have_attribute("href", SHOWCASE)
    assert_no_axe_violations(page)

    # An example, to its project.
    with page.expect_navigation():
        examples.get_by_role("link", name=EXAMPLE_TITLE, exact=True).click()
    expect(page).to_have_url(live_site + EXAMPLE)
    assert_page_basics(page)
    expect(page.locator("h1")).to_have_text(EXAMPLE_TITLE)

    # Back to the whole showcase.
    with page.expect_navigation():
        page.get_by_role("link", name="Tous les projets accompagnés", exact=True).click()
    expect(page).to_have_url(live_site + SHOWCASE)
    assert_page_basics(page)
    expect(page.locator("h1")).to_have_text(SHOWCASE_TITLE)
    _assert_whole_showcase(page)
    expect(_map(page).get_by_role("link")).to_have_count(5)
    orne = _map_link(page, "Orne")
    expect(orne).to_have_count(1)
    expect(orne).to_have_accessible_name(re.compile(r"^Orne\s*:\s*3 projets$"))
    assert_no_axe_violations(page)

    # The Orne, on the map.
    with page.expect_navigation():
        orne.click()
    _assert_filtered_on_orne(page, live_site)
    assert_no_axe_violations(page)

    # A project of the Orne, and the study it relied on.
    with page.expect_navigation():
        _results(page).get_by_role("link", name=RESTAURANT_TITLE, exact=True).click()
    expect(page).to_have_url(live_site + RESTAURANT)
    assert_page_basics(page)
    expect(page.locator("h1")).to_have_text(RESTAURANT_TITLE)
    related = page.get_by_role("region", name="Publications liées", exact=True)
    study_link = related.get_by_role("link", name=ORNE_STUDY_TITLE, exact=True)
    expect(study_link).to_be_visible()
    with page.expect_navigation():
        study_link.click()
    expect(page).to_have_url(live_site + ORNE_STUDY)
    assert_page_basics(page)
    expect(page.locator("h1")).to_have_text(ORNE_STUDY_TITLE)


def test_project_pages_with_and_without_image(site_page, live_site):
    page = site_page

    # Illustrated, with key figures.
    _ok(page.goto(PROJECT_WITH_IMAGE))
    assert_page_basics(page)
    expect(page.locator("h1")).to_have_text(PROJECT_WITH_IMAGE_TITLE)
    results = page.get_by_role("region", name="Résultats", exact=True)
    expect(results.get_by_role("listitem")).to_have_count(2)
    expect(results).to_contain_text("salariés")
    # Its illustration is the image shared on social networks, and it is served.
    og_image = page.locator('meta[property="og:image"]')
    expect(og_image).to_have_count(1)
    image_url = og_image.get_attribute("content")
    response = page.request.get(image_url)
    assert response.ok, f"{image_url} : statut {response.status}"
    assert response.headers["content-type"].startswith("image/"), response.headers
    assert_no_axe_violations(page)

    # No illustration, no key figures: the card shows a placeholder.
    _ok(page.goto(PROJECT_WITHOUT_IMAGE))
    assert_page_basics(page)
    expect(page.locator("h1")).to_have_text(PROJECT_WITHOUT_IMAGE_TITLE)
    expect(page.get_by_role("region", name="Résultats", exact=True)).to_have_count(0)
    expect(page.locator('meta[property="og:image"]')).to_have_count(0)
    # Its territory links to the showcase narrowed to it.
    territory = page.locator(".project__meta").get_by_role("link")
    expect(territory).to_have_count(1)
    assert_no_axe_violations(page)

    _ok(page.goto(SHOWCASE + "?territoire=orne"))
    card = (
        _results(page)
        .locator("article")
        .filter(has=page.get_by_role("link", name=PROJECT_WITHOUT_IMAGE_TITLE, exact=True))
    )
    expect(card.locator(".project-card__placeholder")).to_have_count(1)
    expect(card.locator("img")).to_have_count(0)
    # Instead of an initial: the Orne on the small map of Normandy, and the theme's pictogram,
    # both drawn from the site's cached files (a <use> of a missing file draws nothing).
    placeholder = card.locator(".project-card__placeholder")
    expect(placeholder).to_have_text("")
    small_map = placeholder.locator("svg.territory-map")
    expect(small_map).to_have_attribute("aria-hidden", "true")
    highlighted = small_map.locator(".territory-map__departement--highlighted")
    expect(highlighted).to_have_count(1)
    expect(highlighted).to_have_attribute(
        "href", re.compile(r"/static/img/normandie-departements\.svg#dep-61$")
    )
    assert highlighted.bounding_box()["width"] > 20
    pictogram = placeholder.locator(".project-card__pictogram svg")
    expect(pictogram).to_have_attribute("aria-hidden", "true")
    expect(pictogram.locator("use")).to_have_attribute(
        "href", re.compile(r"pictograms\.svg#piggy-bank$")
    )
    assert pictogram.locator("use").bounding_box()["width"] > 10
    assert_no_axe_violations(page)


def test_map_is_large_with_readable_labels_links_list_and_credit(site_page, live_site):
    """At 1280 px the map is at least 480 px wide, its names and counts are 14 px or more as
    rendered, each département is a link, the list says the same, the credit is plain words."""
    page = site_page
    page.set_viewport_size({"width": 1280, "height": 900})
    # The first visit makes the cards' renditions (AVIF, WebP, JPEG): slow on a busy machine.
    _ok(page.goto(SHOWCASE, timeout=60_000))
    svg = page.locator(".normandy-map__svg")
    assert svg.bounding_box()["width"] >= 480
    sizes = page.evaluate(
        """() => [...document.querySelectorAll('.normandy-map__name, .normandy-map__count')]
            .map(text => parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a)"""
    )
    assert len(sizes) == 10 and min(sizes) >= 14, sizes
    for name in page.locator(".normandy-map__name").all():
        assert name.bounding_box()["height"] >= 14
    expect(_map(page).get_by_role("link")).to_have_count(5)
    expect(_map_list(page).get_by_role("link")).to_have_count(5)
    expect(_map_list(page).get_by_role("link", name="Orne (3 projets)")).to_be_visible()
    credit = page.locator(".normandy-map__credit")
    expect(credit).to_contain_text("départements de Normandie")
    expect(credit).to_contain_text("Victor Cazanave")
    expect(credit).to_contain_text("CC\u00a0BY\u00a04.0")
    expect(credit).not_to_contain_text("@svg-maps")
    # On a phone the map scales down to the column, without a horizontal scroll.
    page.set_viewport_size({"width": 375, "height": 800})
    assert svg.bounding_box()["width"] <= 375
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_project_territory_link_narrows_the_showcase(site_page, live_site):
    """A project's territory (here an intercommunality) leads back to the showcase, narrowed to
    it: the chip names it as the page does, and the filter form keeps it."""
    page = site_page
    _ok(page.goto(RESTAURANT))
    territory = page.locator(".project__meta").get_by_role("link")
    expect(territory).to_have_count(1)
    name = " ".join(territory.text_content().split())
    assert name and name != "Orne", name
    with page.expect_navigation():
        territory.click()
    assert urlsplit(page.url).path == SHOWCASE, page.url
    slug = _query(page).get("territoire", [""])[0]
    assert slug and slug != "orne", page.url
    argentan = [RESTAURANT_TITLE, "Les finances solidaires dans l'Agenda 21 d'Argentan"]
    _assert_count(page, len(argentan))
    _assert_listed(page, argentan)
    chip = _active_filters(page).get_by_role("link")
    expect(chip).to_have_count(1)
    expect(chip).to_have_accessible_name(f"Territoire : {name} (retirer ce filtre)")
    expect(_filters(page).get_by_role("combobox", name="Territoire", exact=True)).to_have_value(
        slug
    )

    # Narrowing further with the form keeps the territory.
    _choose(page, "Étape du projet", "Étude de faisabilité")
    _submit(page)
    query = _query(page)
    assert query.get("territoire") == [slug] and query.get("etape") == ["faisabilite"], page.url
    _assert_listed(page, [RESTAURANT_TITLE])


# --- 2. Keyboard -------------------------------------------------------------------------------


def test_keyboard_reaches_the_map_and_chooses_a_departement(site_page, live_site):
    page = site_page
    _ok(page.goto(SHOWCASE))
    orne = _map_link(page, "Orne")
    _tab_until(page, orne)
    expect(orne).to_be_focused()
    # The focused département is outlined (a ring drawn over the map).
    ring = page.locator(".normandy-map__ring").nth(
        _map(page)
        .get_by_role("link")
        .evaluate_all("links => links.findIndex(link => link === document.activeElement)")
    )
    expect(ring).to_be_visible()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    _assert_filtered_on_orne(page, live_site)


# --- 3. Without JavaScript ---------------------------------------------------------------------


def test_departement_list_and_filters_work_without_javascript(new_guarded_page, live_site):
    page = new_guarded_page(java_script_enabled=False)
    _ok(page.goto(SHOWCASE))
    _assert_whole_showcase(page)
    # 9 projects, 12 a page: no pagination.
    expect(page.get_by_role("navigation", name="Pagination")).to_have_count(0)

    # The text list of the départements.
    expect(_map_list(page).get_by_role("link")).to_have_count(5)
    with page.expect_navigation():
        _map_list(page).get_by_role("link", name="Manche (1 projet)", exact=True).click()
    assert _query(page) == {"territoire": ["manche"]}, page.url
    _assert_count(page, 1)
    _assert_listed(page, MANCHE_PROJECTS)
    expect(_remove_filter_link(page, "Territoire", "Manche")).to_be_visible()

    # Another département, from the list of the narrowed page.
    with page.expect_navigation():
        _map_list(page).get_by_role("link", name="Calvados (2 projets)", exact=True).click()
    assert _query(page) == {"territoire": ["calvados"]}, page.url
    _assert_count(page, len(CALVADOS_PROJECTS))
    _assert_listed(page, CALVADOS_PROJECTS)

    # The filter form narrows it by stage, and keeps the territory.
    _choose(page, "Étape du projet", "Émergence")
    _submit(page)
    query = _query(page)
    assert query.get("etape") == ["emergence"] and query.get("territoire") == ["calvados"], page.url
    _assert_count(page, len(CALVADOS_EMERGING))
    _assert_listed(page, CALVADOS_EMERGING)
    expect(_active_filters(page).get_by_role("link")).to_have_count(2)
    expect(_remove_filter_link(page, "Étape du projet", "Émergence")).to_be_visible()
    expect(
        _filters(page).get_by_role("combobox", name="Étape du projet", exact=True)
    ).to_have_value("emergence")

    # Removing the territory keeps the stage: every emerging project.
    with page.expect_navigation():
        _remove_filter_link(page, "Territoire", "Calvados").click()
    query = _query(page)
    assert "territoire" not in query and query.get("etape") == ["emergence"], page.url
    _assert_listed(page, CALVADOS_EMERGING + ["Un tiers-lieu rural dans le Perche"])


# --- 4. Bad input -----------------------------------------------------------------------------


def test_unknown_filter_values_are_ignored(site_page):
    page = site_page
    _ok(page.goto(SHOWCASE + "?territoire=bretagne&etape=fini"))
    assert_page_basics(page)
    _assert_whole_showcase(page)
    for label in ["Territoire", "Étape du projet"]:
        expect(_filters(page).get_by_role("combobox", name=label, exact=True)).to_have_value("")
    expect(page).not_to_have_title(re.compile("résultat"))
    expect(page.get_by_role("alert")).to_have_count(0)
    assert_no_axe_violations(page)


def test_page_beyond_the_last_is_not_found(site_page, guard, live_site):
    path = SHOWCASE + "?page=99"
    # Chromium reports the 404 of the document itself in the console: expected here only.
    guard.allow_console_error("status of 404", live_site + path)
    response = site_page.goto(path)
    assert response.status == 404
    assert_page_basics(site_page, title=re.compile(r"^Page introuvable"))
    expect(site_page.locator("h1")).to_have_text("Page introuvable")
    assert_no_axe_violations(site_page)
