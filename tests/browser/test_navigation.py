"""Finding one's way: main menu, breadcrumbs, keyboard, small screens, no JavaScript."""

from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect

from tests.browser.helpers import (
    ABOUT,
    ABOUT_TITLE,
    HOME,
    PITCH,
    PITCH_TITLE,
    assert_no_axe_violations,
)

SMALL_SCREEN = {"width": 375, "height": 700}
# The demo's short menu labels (the pages' `menu_label`).
PITCH_MENU_LABEL = "Collectivités"
ABOUT_MENU_LABEL = "À propos"


def _main_menu(page):
    return page.get_by_role("navigation", name="Menu principal")


def _focused(page, selector):
    """True when the element matching `selector` has the keyboard focus."""
    return page.evaluate(
        "selector => document.activeElement === document.querySelector(selector)", selector
    )


def test_main_menu_leads_to_the_pitch_page(site_page, live_site):
    site_page.goto(HOME)
    _main_menu(site_page).get_by_role("link", name=PITCH_MENU_LABEL).click()

    expect(site_page).to_have_url(live_site + PITCH)
    expect(site_page.locator("h1")).to_have_text(PITCH_TITLE)
    menu = _main_menu(site_page)
    expect(menu.get_by_role("link", name=PITCH_MENU_LABEL)).to_have_attribute(
        "aria-current", "page"
    )
    # One current page only.
    expect(menu.locator("[aria-current]")).to_have_count(1)

    breadcrumbs = site_page.get_by_role("navigation", name="Fil d'Ariane")
    expect(breadcrumbs.get_by_role("link", name="Accueil", exact=True)).to_have_attribute(
        "href", "/"
    )
    expect(breadcrumbs.locator('[aria-current="page"]')).to_have_text(PITCH_TITLE)


def test_main_menu_marks_the_home_page_as_current(site_page):
    site_page.goto(HOME)
    menu = _main_menu(site_page)
    expect(menu.get_by_role("link", name="Accueil")).to_have_attribute("aria-current", "page")
    expect(menu.locator("[aria-current]")).to_have_count(1)


def test_skip_link_is_the_first_tab_stop_and_moves_to_the_content(site_page, live_site):
    site_page.goto(HOME)
    site_page.keyboard.press("Tab")

    skip_link = site_page.get_by_role("link", name="Aller au contenu")
    expect(skip_link).to_be_focused()
    # Visible once focused (it is moved off-screen otherwise).
    expect(skip_link).to_be_in_viewport()

    site_page.keyboard.press("Enter")

    expect(site_page).to_have_url(live_site + HOME + "#contenu")
    expect(site_page.locator("main#contenu")).to_be_focused()
    # The next Tab continues inside the content, not in the header.
    site_page.keyboard.press("Tab")
    assert site_page.evaluate(
        "() => document.querySelector('main#contenu').contains(document.activeElement)"
    ), "Après le lien d'évitement, la tabulation ne continue pas dans le contenu principal."


def test_keyboard_reaches_the_search_box_and_searches(site_page, live_site):
    site_page.goto(HOME)
    search_box = site_page.get_by_role("combobox", name="Rechercher sur le site")
    for _ in range(5):
        site_page.keyboard.press("Tab")
        if _focused(site_page, "#site-search-q"):
            break
    expect(search_box).to_be_focused()

    site_page.keyboard.type("collectivités")
    with site_page.expect_navigation():
        site_page.keyboard.press("Enter")

    url = urlsplit(site_page.url)
    assert url.path == "/recherche/"
    assert parse_qs(url.query) == {"q": ["collectivités"]}
    expect(site_page.locator("#search-results-title")).to_contain_text("pour « collectivités »")
    expect(site_page.get_by_role("combobox", name="Rechercher sur le site")).to_have_value(
        "collectivités"
    )


def test_small_screen_menu_toggle(new_guarded_page):
    page = new_guarded_page(viewport=SMALL_SCREEN)
    page.goto(HOME)
    toggle = page.get_by_role("button", name="Menu")
    menu_list = page.locator("#menu-principal-liste")

    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(menu_list).to_be_hidden()

    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(menu_list).to_be_visible()
    expect(menu_list.get_by_role("link", name=PITCH_MENU_LABEL)).to_be_visible()
    assert_no_axe_violations(page)

    # From inside the open menu, Escape closes it and gives the focus back to the button.
    page.keyboard.press("Tab")
    expect(menu_list.get_by_role("link").first).to_be_focused()
    page.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(menu_list).to_be_hidden()
    expect(toggle).to_be_focused()

    # The button opens the menu again, from the keyboard too.
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(menu_list).to_be_visible()


def test_small_screen_menu_stays_open_on_wide_screens(new_guarded_page):
    """Growing the window past the breakpoint shows the list and hides the button."""
    page = new_guarded_page(viewport=SMALL_SCREEN)
    page.goto(HOME)
    page.get_by_role("button", name="Menu").click()
    page.set_viewport_size({"width": 1280, "height": 800})
    expect(page.locator(".main-nav__toggle")).to_be_hidden()
    expect(page.locator("#menu-principal-liste")).to_be_visible()
    page.set_viewport_size(SMALL_SCREEN)
    expect(page.get_by_role("button", name="Menu")).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#menu-principal-liste")).to_be_hidden()


def test_main_menu_without_javascript(new_guarded_page, live_site):
    page = new_guarded_page(java_script_enabled=False, viewport=SMALL_SCREEN)
    page.goto(HOME)
    menu = _main_menu(page)
    # No toggle button without the script: the whole list is there.
    expect(page.locator(".main-nav__toggle")).to_be_hidden()
    for name in ["Accueil", PITCH_MENU_LABEL, ABOUT_MENU_LABEL, "Contact", "Être accompagné"]:
        expect(menu.get_by_role("link", name=name, exact=True)).to_be_visible()

    menu.get_by_role("link", name=ABOUT_MENU_LABEL).click()
    expect(page).to_have_url(live_site + ABOUT)
    expect(page.locator("h1")).to_have_text(ABOUT_TITLE)
    expect(_main_menu(page).get_by_role("link", name=ABOUT_MENU_LABEL)).to_have_attribute(
        "aria-current", "page"
    )


LAYOUT_SHIFT = """
() => new Promise((resolve) => {
  let total = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) { if (!entry.hadRecentInput) total += entry.value; }
  }).observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(total), 500);
})
"""


def test_small_screen_page_does_not_jump_when_the_script_runs(new_guarded_page):
    """The menu is collapsed from the first paint (the .js class is set in <head>), not after
    site.js has run: nothing below it moves (Lighthouse's cumulative layout shift)."""
    page = new_guarded_page(viewport=SMALL_SCREEN)
    # site.js arrives late, as on a slow connection.
    page.route("**/js/site*.js", lambda route: (page.wait_for_timeout(300), route.continue_()))
    page.goto(HOME, wait_until="load")
    expect(page.get_by_role("button", name="Menu")).to_have_attribute("aria-expanded", "false")
    assert page.evaluate(LAYOUT_SHIFT) < 0.01
