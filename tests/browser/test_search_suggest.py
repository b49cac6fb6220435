"""Suggestions under the header search box: an ARIA combobox, driven from the keyboard.

One listbox: the completed searches first ("Rechercher"), which lead to the results page, then
the pages, which lead to the page. Every wait has an explicit timeout (`WAIT`).

The guard (see conftest) also fails each of these tests if the page loads anything from another
host (the suggestions come from the site itself) or logs a console error (a CSP violation).
"""

import re
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect

from tests.browser.helpers import HOME, assert_no_axe_violations

LABEL = "Rechercher sur le site"
ANY = re.compile(r".*")  # any value: with not_to_have_attribute, "no such attribute"
GUIDE = "Guide : créer une coopérative d'activité et d'emploi"
CREACOOP = "Créacoop 14, la coopérative d'activité et d'emploi du Calvados"
RESTAURANT = "Un restaurant d'insertion à Argentan"
RESTAURANT_URL = "/projets-accompagnes/restaurant-insertion-argentan/"
CREACOOP_URL = "/projets-accompagnes/creacoop-14/"
WAIT = 5000  # ms: nothing here waits longer


def _combobox(page):
    return page.get_by_role("combobox", name=LABEL)


def _listbox(page):
    return page.get_by_role("listbox", name="Suggestions", exact=True)


def _type_in_header_box(page, text):
    """Put the focus in the header box, then type the text key by key."""
    box = _combobox(page)
    box.focus()
    page.keyboard.type(text, delay=40)
    return box


def _open_with(page, text):
    box = _type_in_header_box(page, text)
    listbox = _listbox(page)
    expect(listbox).to_be_visible(timeout=WAIT)
    return box, listbox


def _searches(listbox):
    """The completed searches: the options labelled "Rechercher"."""
    return listbox.locator(".site-search__option--search")


def _press_down_to(page, box, option, limit=12):
    """ArrowDown until the option is the active one (aria-activedescendant)."""
    option_id = option.get_attribute("id", timeout=WAIT)
    for _ in range(limit):
        page.keyboard.press("ArrowDown")
        if box.get_attribute("aria-activedescendant", timeout=WAIT) == option_id:
            return
    raise AssertionError(f"{option_id} never became the active option")


def test_suggestions_follow_the_combobox_pattern(site_page, live_site):
    suggestion_requests = []
    site_page.on(
        "request",
        lambda request: (
            "/recherche/suggestions/" in request.url and suggestion_requests.append(request.url)
        ),
    )
    site_page.goto(HOME)
    box = _combobox(site_page)
    expect(box).to_have_attribute("aria-autocomplete", "list")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).not_to_have_attribute("aria-activedescendant", ANY)

    box, listbox = _open_with(site_page, "coop")
    listbox_id = listbox.get_attribute("id")
    expect(box).to_have_attribute("aria-controls", listbox_id)
    expect(box).to_have_attribute("aria-expanded", "true")
    options = listbox.get_by_role("option")
    # The completed searches first ("coop" → "coopératives", "coopérative", "coopératif"),
    # then the two pages.
    expect(options).to_have_count(5)
    searches = _searches(listbox)
    expect(searches).to_have_count(3)
    for index in range(3):
        expect(options.nth(index)).to_have_class(re.compile(r"\bsite-search__option--search\b"))
        expect(options.nth(index).locator(".site-search__option-type")).to_have_text("Rechercher")
    expect(options.nth(0)).to_have_accessible_name(re.compile(r"^coopérati\w+\s*, Rechercher\s*$"))
    expect(options.nth(3)).not_to_have_class(re.compile(r"site-search__option--search"))
    for name in [GUIDE, CREACOOP]:
        option = listbox.get_by_role("option", name=name, exact=False)
        expect(option).to_be_visible()
    # The typed part of each title is marked; the type of page is shown.
    expect(listbox.get_by_role("option", name=GUIDE, exact=False).locator("mark")).to_have_text(
        "coop"
    )
    expect(listbox.get_by_role("option", name=GUIDE, exact=False)).to_contain_text("Publication")
    expect(listbox.get_by_role("option", name=CREACOOP, exact=False)).to_contain_text("Projet")
    expect(site_page.get_by_role("status")).to_have_text("3 recherches et 2 pages suggérées")
    # No option is active before the arrow keys; the focus stays in the box.
    expect(box).not_to_have_attribute("aria-activedescendant", ANY)
    expect(box).to_be_focused()
    # The debounce sends no request for the first letter alone.
    queries = [parse_qs(urlsplit(url).query).get("q", [""])[0] for url in suggestion_requests]
    assert "c" not in queries and "coop" in queries, queries

    site_page.keyboard.press("ArrowDown")
    first = options.nth(0)
    first_id = first.get_attribute("id")
    expect(box).to_have_attribute("aria-activedescendant", first_id)
    expect(first).to_have_attribute("aria-selected", "true")
    expect(options.nth(1)).to_have_attribute("aria-selected", "false")
    expect(box).to_be_focused()
    assert_no_axe_violations(site_page)

    # Down, then up again: back on the first option; up past the first wraps to the last (a
    # page), down past the last to the first.
    site_page.keyboard.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", options.nth(1).get_attribute("id"))
    site_page.keyboard.press("ArrowUp")
    expect(box).to_have_attribute("aria-activedescendant", first_id)
    site_page.keyboard.press("ArrowUp")
    last = options.nth(4)
    expect(box).to_have_attribute("aria-activedescendant", last.get_attribute("id"))
    site_page.keyboard.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", first_id)
    site_page.keyboard.press("ArrowUp")

    chosen = last.locator(".site-search__option-title").inner_text()
    with site_page.expect_navigation():
        site_page.keyboard.press("Enter")
    assert urlsplit(site_page.url).path != "/recherche/"
    expect(site_page.locator("h1")).to_have_text(chosen)


def test_enter_without_choosing_runs_a_full_search(site_page):
    site_page.goto(HOME)
    _open_with(site_page, "coop")
    with site_page.expect_navigation():
        site_page.keyboard.press("Enter")
    url = urlsplit(site_page.url)
    assert url.path == "/recherche/"
    assert parse_qs(url.query) == {"q": ["coop"]}
    expect(site_page.locator("#search-results-title")).to_contain_text("pour « coop »")
    expect(_combobox(site_page)).to_have_value("coop")
    expect(_listbox(site_page)).to_be_hidden()


def test_escape_closes_then_clears(site_page):
    site_page.goto(HOME)
    box, listbox = _open_with(site_page, "coop")
    site_page.keyboard.press("ArrowDown")

    site_page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).not_to_have_attribute("aria-activedescendant", ANY)
    expect(box).to_have_value("coop")
    expect(box).to_be_focused()

    # The arrow keys open the list again, on the first (down) or last (up) option.
    site_page.keyboard.press("ArrowUp")
    expect(listbox).to_be_visible()
    last_id = listbox.get_by_role("option").last.get_attribute("id")
    expect(box).to_have_attribute("aria-activedescendant", last_id)

    site_page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    site_page.keyboard.press("Escape")
    expect(box).to_have_value("")
    expect(listbox).to_be_hidden()
    expect(box).to_be_focused()


def test_tab_closes_the_list_and_moves_on(site_page):
    site_page.goto(HOME)
    box, listbox = _open_with(site_page, "coop")
    site_page.keyboard.press("ArrowDown")
    site_page.keyboard.press("Tab")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(
        site_page.locator(".site-search").get_by_role("button", name="Rechercher")
    ).to_be_focused()


def test_clicking_outside_closes_the_list(site_page):
    site_page.goto(HOME)
    box, listbox = _open_with(site_page, "coop")
    site_page.locator("h1").click()
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")


def test_elision_and_click_on_a_suggestion(site_page, live_site):
    site_page.goto(HOME)
    _box, listbox = _open_with(site_page, "l'insert")
    option = listbox.get_by_role("option", name=RESTAURANT, exact=False)
    expect(option.locator("mark")).to_have_text("insert")
    option.click()
    expect(site_page).to_have_url(live_site + RESTAURANT_URL)
    expect(site_page.locator("h1")).to_have_text(RESTAURANT)


def test_no_match_is_announced(site_page):
    site_page.goto(HOME)
    box = _type_in_header_box(site_page, "zzzyyyxxx")
    expect(site_page.get_by_role("status")).to_have_text("Aucune suggestion")
    expect(_listbox(site_page)).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")


def test_list_fits_a_small_screen(new_guarded_page):
    page = new_guarded_page(viewport={"width": 320, "height": 640})
    page.goto(HOME)
    page_width = page.evaluate("document.documentElement.scrollWidth")
    _box, listbox = _open_with(page, "ess")
    options = listbox.get_by_role("option")
    expect(options).to_have_count(9)  # "essentiels", then 8 pages
    box = listbox.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 320, box
    # The open list makes the page no wider than it was.
    assert page.evaluate("document.documentElement.scrollWidth") == page_width
    for index in range(9):
        option_box = options.nth(index).bounding_box()
        assert option_box["height"] >= 24 and option_box["width"] >= 24, option_box
    page.keyboard.press("ArrowDown")
    assert_no_axe_violations(page)


def test_without_javascript_the_form_still_searches(new_guarded_page):
    page = new_guarded_page(java_script_enabled=False)
    page.goto(HOME)
    box = page.get_by_role("searchbox", name=LABEL)
    expect(box).not_to_have_attribute("role", "combobox")
    box.fill("coopérative")
    with page.expect_navigation():
        box.press("Enter")
    url = urlsplit(page.url)
    assert url.path == "/recherche/"
    assert parse_qs(url.query) == {"q": ["coopérative"]}
    expect(page.locator("#search-results-title")).to_contain_text("pour « coopérative »")
    expect(page.get_by_role("listbox")).to_have_count(0)


def test_suggestion_then_search_then_facet(site_page, live_site):
    """The whole path: pick a suggestion, then run a full search and narrow it with a facet."""
    site_page.goto(HOME)
    box, listbox = _open_with(site_page, "coop")
    site_page.keyboard.press("ArrowUp")  # the last option: a page
    active = box.get_attribute("aria-activedescendant")
    target = listbox.locator(f"#{active}").inner_text()
    with site_page.expect_navigation():
        site_page.keyboard.press("Enter")
    expect(site_page.get_by_role("heading", level=1)).to_contain_text(target.split("\n")[0][:20])

    box = _type_in_header_box(site_page, "emploi")
    expect(_listbox(site_page)).to_be_visible()
    with site_page.expect_navigation():
        site_page.keyboard.press("Enter")  # no option chosen: the full search
    assert urlsplit(site_page.url).path == "/recherche/"
    results = site_page.locator(".search-result__title")
    expect(results.first).to_be_visible()
    everything = results.count()

    site_page.get_by_label("Type de contenu").select_option("publication")
    with site_page.expect_navigation():
        site_page.get_by_role("button", name="Afficher les résultats").click()
    assert parse_qs(urlsplit(site_page.url).query)["type"] == ["publication"]
    links = site_page.locator(".search-result__title a")
    expect(links.first).to_be_visible()
    hrefs = links.evaluate_all("links => links.map(link => link.getAttribute('href'))")
    assert hrefs and all(href.startswith("/observatoire/") for href in hrefs), hrefs
    assert len(hrefs) <= everything
    expect(
        site_page.get_by_role("link", name=re.compile("Type de contenu : Publications"))
    ).to_be_visible()
    assert_no_axe_violations(site_page)


def test_a_completed_search_is_chosen_from_the_keyboard(site_page, live_site):
    site_page.goto(HOME)
    box, listbox = _open_with(site_page, "cooperativ")
    first = listbox.get_by_role("option").first
    expect(first).to_have_class(re.compile(r"\bsite-search__option--search\b"), timeout=WAIT)
    expect(first).to_contain_text("coopérative", timeout=WAIT)
    expect(first.locator(".site-search__option-type")).to_have_text("Rechercher", timeout=WAIT)
    completed = first.locator(".site-search__option-title").inner_text(timeout=WAIT)
    # The pages come after the searches.
    expect(listbox.get_by_role("option", name=CREACOOP, exact=False)).to_be_visible(timeout=WAIT)

    site_page.keyboard.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", first.get_attribute("id"), timeout=WAIT)
    with site_page.expect_navigation(timeout=WAIT):
        site_page.keyboard.press("Enter")
    url = urlsplit(site_page.url)
    assert url.path == "/recherche/"
    assert parse_qs(url.query) == {"q": [completed]}
    assert "coopérative" in completed
    expect(_combobox(site_page)).to_have_value(completed, timeout=WAIT)
    expect(site_page.locator("#search-results-title")).to_contain_text(
        f"pour «\u202f{completed}\u202f»", timeout=WAIT
    )
    expect(site_page.locator(".search-result").first).to_be_visible(timeout=WAIT)
    expect(_listbox(site_page)).to_be_hidden(timeout=WAIT)


def test_clicking_a_completed_search_runs_it(site_page):
    site_page.goto(HOME)
    _box, listbox = _open_with(site_page, "méthan")
    option = _searches(listbox).first
    expect(option).to_contain_text("méthanisation", timeout=WAIT)
    with site_page.expect_navigation(timeout=WAIT):
        option.click(timeout=WAIT)
    url = urlsplit(site_page.url)
    assert (url.path, parse_qs(url.query)) == ("/recherche/", {"q": ["méthanisation"]})
    expect(site_page.locator(".search-result").first).to_be_visible(timeout=WAIT)


def test_the_start_of_a_page_title_leads_to_the_page(site_page, live_site):
    site_page.goto(HOME)
    box, listbox = _open_with(site_page, "Créaco")
    option = listbox.get_by_role("option", name=CREACOOP, exact=False)
    expect(option).to_be_visible(timeout=WAIT)
    expect(option.locator(".site-search__option-type")).to_have_text("Projet", timeout=WAIT)
    _press_down_to(site_page, box, option)
    expect(option).to_have_attribute("aria-selected", "true", timeout=WAIT)
    with site_page.expect_navigation(timeout=WAIT):
        site_page.keyboard.press("Enter")
    expect(site_page).to_have_url(live_site + CREACOOP_URL, timeout=WAIT)
    expect(site_page.locator("h1")).to_have_text(CREACOOP, timeout=WAIT)


def test_escape_closes_the_searches_and_pages(site_page):
    site_page.goto(HOME)
    box, listbox = _open_with(site_page, "cooperativ")
    expect(_searches(listbox).first).to_be_visible(timeout=WAIT)
    site_page.keyboard.press("ArrowDown")
    site_page.keyboard.press("Escape")
    expect(listbox).to_be_hidden(timeout=WAIT)
    expect(box).to_have_attribute("aria-expanded", "false", timeout=WAIT)
    expect(box).not_to_have_attribute("aria-activedescendant", ANY, timeout=WAIT)
    expect(box).to_have_value("cooperativ", timeout=WAIT)
    expect(box).to_be_focused(timeout=WAIT)
