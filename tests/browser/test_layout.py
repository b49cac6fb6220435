"""The layout holds on every public page type: no sideways scroll on a 320 px phone, the main
menu on one row from 1024 px, and the small-screen menu driven by the keyboard alone.

One test walks every page type (each browser test reloads the demo site afterwards: one per
page type would be slow); its message lists every page that fails, not just the first.
"""

from datetime import date

from wagtail.models import Page, get_page_models

from playwright.sync_api import expect

from events.models import EventIndexPage
from tests.browser.helpers import HOME

NARROWEST = {"width": 320, "height": 640}
SMALL_SCREEN = {"width": 375, "height": 700}
# The first visit of a listing makes its image renditions: slow on a busy machine.
GOTO_TIMEOUT = 30_000
NOT_FOUND = "/cette-page-n-existe-pas/"
WIDE_SCREENS = [{"width": 1280, "height": 800}, {"width": 1024, "height": 768}]


def public_page_urls():
    """One URL per public page type: the first live, public page of each page model, the
    agenda's month grid and archives, search results, and the "not found" page."""
    urls = {}
    for model in get_page_models():
        if model is Page:
            continue
        page = model.objects.live().public().order_by("path").first()
        if page is not None:
            urls[model.__name__] = page.url
    agenda = EventIndexPage.objects.live().public().first()
    if agenda is not None:
        urls["EventIndexPage (mois)"] = f"{agenda.url}{date.today():%Y/%m}/"
        urls["EventIndexPage (archives)"] = f"{agenda.url}archives/"
    urls["Recherche"] = "/recherche/?q=cooperative"
    urls["Page introuvable"] = NOT_FOUND
    return urls


# The elements that stick out of the viewport on either side, left out those inside a box that
# clips or scrolls its overflow (a wide table in its scrolling frame) and the visually hidden
# ones (1 px, clipped).
OVERFLOW = """
() => {
  const width = document.documentElement.clientWidth;
  const clipped = (element) => {
    for (let parent = element.parentElement; parent && parent !== document.body;
         parent = parent.parentElement) {
      if (getComputedStyle(parent).overflowX !== 'visible') return true;
    }
    return false;
  };
  const describe = (element) => element.tagName.toLowerCase()
    + (element.id ? '#' + element.id : '')
    + (element.classList.length ? '.' + [...element.classList].join('.') : '');
  const wide = [];
  for (const element of document.body.querySelectorAll('*')) {
    const box = element.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;
    if (box.right <= width + 1 && box.left >= -1) continue;
    if (clipped(element)) continue;
    wide.push(`${describe(element)} (${Math.round(box.left)} → ${Math.round(box.right)} px)`);
  }
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    wide: wide.slice(0, 5),
  };
}
"""


def test_no_page_type_scrolls_sideways_at_320_px(new_guarded_page, guard, live_site):
    guard.allow_console_error("status of 404", live_site + NOT_FOUND)
    page = new_guarded_page(viewport=NARROWEST)
    problems = []
    urls = public_page_urls()
    assert len(urls) >= 12, urls
    for name, url in urls.items():
        page.goto(url, timeout=GOTO_TIMEOUT)
        result = page.evaluate(OVERFLOW)
        if result["scrollWidth"] > result["innerWidth"] or result["wide"]:
            problems.append(
                f"{name} ({url}) : largeur {result['scrollWidth']} px pour "
                f"{result['innerWidth']} px ; trop larges : {', '.join(result['wide'])}"
            )
    assert not problems, "Défilement horizontal à 320 px :\n" + "\n".join(problems)


def menu_rows(page):
    """The distinct top offsets of the main menu's entries (one value: one row)."""
    return page.locator(".main-nav__item").evaluate_all(
        "items => [...new Set(items.map(item => Math.round(item.getBoundingClientRect().top)))]"
    )


def test_main_menu_holds_one_row_from_1024_px(new_guarded_page, guard, live_site):
    guard.allow_console_error("status of 404", live_site + NOT_FOUND)
    problems = []
    urls = public_page_urls()
    for viewport in WIDE_SCREENS:
        page = new_guarded_page(viewport=viewport)
        for name, url in urls.items():
            page.goto(url, timeout=GOTO_TIMEOUT)
            expect(page.locator(".main-nav__item").first).to_be_visible()
            assert page.locator(".main-nav__item").count() >= 6
            rows = menu_rows(page)
            if len(rows) != 1:
                problems.append(f"{viewport['width']} px, {name} ({url}) : {len(rows)} rangées")
    assert not problems, "Le menu principal passe sur plusieurs rangées :\n" + "\n".join(problems)


def test_small_screen_menu_opens_and_closes_by_keyboard(new_guarded_page):
    page = new_guarded_page(viewport=SMALL_SCREEN)
    page.goto(HOME)
    toggle = page.get_by_role("button", name="Menu")
    menu_list = page.locator("#menu-principal-liste")
    expect(toggle).to_have_attribute("aria-controls", "menu-principal-liste")

    # Tab from the top of the page to the button, past the skip link, brand and search.
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('main-nav__toggle')"):
            break
    expect(toggle).to_be_focused()
    expect(menu_list).to_be_hidden()

    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(menu_list).to_be_visible()
    page.keyboard.press("Tab")
    expect(menu_list.get_by_role("link", name="Accueil")).to_be_focused()

    page.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(menu_list).to_be_hidden()
    expect(toggle).to_be_focused()

    page.keyboard.press("Space")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(menu_list).to_be_visible()
    page.keyboard.press("Space")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(menu_list).to_be_hidden()
