"""The Observatory's resource library, as a local authority uses it.

Filter the publications by territory, open a study, read its chart and its data, download its
PDF, search the text of the documents; without JavaScript, from the keyboard, with a mistyped
address, and through the Atom feed. The demo library (publications/demo.py) holds 9
publications, 12 to a page.

The guard (see conftest) also fails each of these tests if a page loads anything from another
host or logs a console error.
"""

import re
from functools import partial
from urllib.parse import parse_qs, urlsplit
from xml.etree import ElementTree

from playwright.sync_api import Page, expect

from tests.browser import listing
from tests.browser.helpers import HOME, assert_no_axe_violations, assert_page_basics
from tests.browser.listing import ListingSpec

LIBRARY = "/observatoire/"
LIBRARY_TITLE = "Observatoire : publications"
LIBRARY_SEO_TITLE = "Publications de l'Observatoire régional de l'ESS"
DEMO_COUNT = 9

ORNE_STUDY = "/observatoire/poids-ess-orne/"
ORNE_STUDY_TITLE = "Étude sur le poids de l'ESS dans l'Orne"
ORNE_CHART_TITLE = "Emplois de l'ESS dans l'Orne, par famille"
ORNE_CHART_LABELS = ["Associations", "Coopératives", "Mutuelles", "Fondations"]
# Only in the Orne study's PDF, nowhere in the pages of the site.
PDF_ONLY_WORD = "méthanisation"

STUDIES = {
    "Étude sur l'entrepreneuriat d'ESS sur l'agglomération caennaise",
    ORNE_STUDY_TITLE,
    "Les tiers-lieux de l'ESS dans l'Eure",
}
CALVADOS_STUDY = "Étude sur l'entrepreneuriat d'ESS sur l'agglomération caennaise"
CALVADOS_GUIDE = "Guide : créer une coopérative d'activité et d'emploi"

SEARCH_LABEL = "Rechercher dans les publications"
FEED_LABEL = "S'abonner au flux des publications"
ATOM = "{http://www.w3.org/2005/Atom}"

# The filter form's controls, in the order of the page.
FORM_CONTROLS = [
    "#listing-q",
    "#filtre-type",
    "#filtre-theme",
    "#filtre-territoire",
    "#filtre-annee",
    "#listing-tri",
    ".listing-filters button[type=submit]",
]


SPEC = ListingSpec("Filtrer les publications", "Publications", "publication", "publications")
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


def _resolved_href(link):
    """The absolute address a link leads to, as the browser resolves its href."""
    return link.evaluate("link => link.href")


def _focused(page: Page, selector):
    return page.evaluate(
        "selector => document.activeElement === document.querySelector(selector)", selector
    )


# --- 1. The path: filter, read, download, search --------------------------------------


def test_local_authority_finds_reads_and_downloads_a_study(site_page, live_site, tmp_path):
    page = site_page
    _ok(page.goto(HOME))
    with page.expect_navigation():
        # The library's short menu label (its `menu_label`).
        page.get_by_role("navigation", name="Menu principal").get_by_role(
            "link", name="Publications", exact=True
        ).click()

    # The whole library.
    expect(page).to_have_url(live_site + LIBRARY)
    assert_page_basics(page)
    expect(page).to_have_title(re.compile(rf"^{re.escape(LIBRARY_SEO_TITLE)} – "))
    expect(page.locator("h1")).to_have_text(LIBRARY_TITLE)
    _assert_count(page, DEMO_COUNT)
    expect(_results(page).get_by_role("heading", level=3)).to_have_count(DEMO_COUNT)
    expect(_active_filters(page)).to_have_count(0)
    assert_no_axe_violations(page)

    # Filtered on the Orne.
    _choose(page, "Territoire", "Orne")
    _submit(page)
    assert _query(page).get("territoire") == ["orne"], page.url
    expect(page).to_have_title(re.compile(r"\(1 résultat\)"))
    _assert_count(page, 1)
    _assert_listed(page, [ORNE_STUDY_TITLE])
    expect(_filters(page).get_by_role("combobox", name="Territoire", exact=True)).to_have_value(
        "orne"
    )
    remove = _remove_filter_link(page, "Territoire", "Orne")
    expect(remove).to_be_visible()
    expect(remove).to_contain_text("Territoire : Orne")
    # The link's address as the browser resolves it: this page without the territory.
    remove_url = _resolved_href(remove)
    assert "territoire" not in parse_qs(urlsplit(remove_url).query), remove_url
    assert urlsplit(remove_url).path == LIBRARY, remove_url
    assert_no_axe_violations(page)

    # The study, its chart and the chart's data.
    with page.expect_navigation():
        _results(page).get_by_role("link", name=ORNE_STUDY_TITLE, exact=True).click()
    expect(page).to_have_url(live_site + ORNE_STUDY)
    assert_page_basics(page)
    expect(page.locator("h1")).to_have_text(ORNE_STUDY_TITLE)

    chart = page.get_by_role("img", name=re.compile(rf"^{re.escape(ORNE_CHART_TITLE)}\b"))
    # Two drawings (wide and compact), one shown: one image only for assistive technologies.
    expect(chart).to_have_count(1)
    expect(chart).to_be_visible()
    expect(chart.locator("> title")).to_have_text(ORNE_CHART_TITLE)
    figure = page.locator("figure").filter(has=chart)
    expect(figure).to_have_count(1)
    expect(figure.locator("figcaption")).to_have_text(ORNE_CHART_TITLE)

    details = figure.locator("details")
    summary = details.locator("summary")
    table = figure.get_by_role("table", name=ORNE_CHART_TITLE, include_hidden=True)
    expect(summary).to_have_text("Voir les données du graphique")
    expect(table).to_be_hidden()
    assert_no_axe_violations(page)

    summary.click()
    expect(details).to_have_attribute("open", "")
    expect(table).to_be_visible()
    expect(table.get_by_role("rowheader")).to_have_text(ORNE_CHART_LABELS)
    expect(table.get_by_role("cell").first).to_have_text(re.compile(r"^5\s?840$"))
    assert_no_axe_violations(page)

    # The PDF.
    download_link = page.get_by_role("link", name=re.compile(r"^Télécharger l'étude\b"))
    expect(download_link).to_have_count(1)
    expect(download_link).to_contain_text("PDF")
    with page.expect_download() as download_info:
        download_link.click()
    download = download_info.value
    assert download.failure() is None, download.failure()
    # The name of the page, not the name the storage gave the file (see the next test).
    assert download.suggested_filename == "poids-ess-orne.pdf"
    saved = tmp_path / "etude.pdf"
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF-")

    # Back in the library: a word found only inside the study's PDF.
    with page.expect_navigation():
        page.get_by_role("link", name="Toutes les publications de l'Observatoire").click()
    expect(page).to_have_url(live_site + LIBRARY)
    _assert_count(page, DEMO_COUNT)
    search = _filters(page).get_by_role("searchbox", name=SEARCH_LABEL, exact=True)
    search.fill(PDF_ONLY_WORD)
    _submit(page)
    assert _query(page).get("q") == [PDF_ONLY_WORD], page.url
    _assert_count(page, 1)
    _assert_listed(page, [ORNE_STUDY_TITLE])
    expect(_remove_filter_link(page, "Recherche", f"« {PDF_ONLY_WORD} »")).to_be_visible()
    expect(_filters(page).get_by_role("searchbox", name=SEARCH_LABEL)).to_have_value(PDF_ONLY_WORD)


def _upload_new_pdf_for_the_orne_study():
    """What an editor does to correct the study's PDF: upload, from the page's document chooser,
    a new document with the same file name. The previous document stays in the library, so the
    storage saves the new file under another name (poids-ess-orne_<random>.pdf)."""
    from django.core.files.base import ContentFile

    from cress_site.models import CustomDocument
    from publications.models import PublicationPage

    study = PublicationPage.objects.get(slug="poids-ess-orne")
    with study.document.open_file() as handle:
        content = handle.read()
    corrected = CustomDocument(
        title=f"{study.title} (version corrigée)",
        file=ContentFile(content, name="poids-ess-orne.pdf"),
    )
    corrected._set_document_file_metadata()
    corrected.save()
    study.document = corrected
    study.save_revision().publish()
    return corrected


def test_download_keeps_its_name_after_a_new_upload(site_page, live_site, tmp_path):
    """The name readers get does not depend on how the storage had to name the file."""
    corrected = _upload_new_pdf_for_the_orne_study()
    page = site_page
    _ok(page.goto(ORNE_STUDY))
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"^Télécharger l'étude\b")).click()
    download = download_info.value
    assert download.failure() is None, download.failure()
    assert download.suggested_filename == "poids-ess-orne.pdf", (
        f"Nom proposé au lecteur : {download.suggested_filename!r} "
        f"(fichier enregistré sous {corrected.file.name!r})"
    )
    saved = tmp_path / "etude.pdf"
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF-")


# --- 2. Without JavaScript ---------------------------------------------------------------------


def test_filters_work_without_javascript(new_guarded_page, live_site):
    page = new_guarded_page(java_script_enabled=False)
    _ok(page.goto(LIBRARY))
    _assert_count(page, DEMO_COUNT)
    # 9 publications, 12 a page: no pagination.
    expect(page.get_by_role("navigation", name="Pagination")).to_have_count(0)

    # A type: the list narrows to the studies.
    _choose(page, "Type de publication", "Étude")
    _submit(page)
    assert _query(page).get("type") == ["etude"], page.url
    _assert_count(page, len(STUDIES))
    _assert_listed(page, STUDIES)

    # And a territory: one study of the Calvados (Caen la Mer is in the Calvados).
    _choose(page, "Territoire", "Calvados")
    _submit(page)
    query = _query(page)
    assert query.get("type") == ["etude"] and query.get("territoire") == ["calvados"], page.url
    _assert_count(page, 1)
    _assert_listed(page, [CALVADOS_STUDY])
    expect(_active_filters(page).get_by_role("link")).to_have_count(2)

    # Removing the type keeps the territory: the Calvados' study and guide.
    with page.expect_navigation():
        _remove_filter_link(page, "Type de publication", "Étude").click()
    query = _query(page)
    assert "type" not in query and query.get("territoire") == ["calvados"], page.url
    _assert_count(page, 2)
    _assert_listed(page, [CALVADOS_STUDY, CALVADOS_GUIDE])
    expect(
        _filters(page).get_by_role("combobox", name="Type de publication", exact=True)
    ).to_have_value("")
    expect(_filters(page).get_by_role("combobox", name="Territoire", exact=True)).to_have_value(
        "calvados"
    )

    # Removing the last one gives the whole library back.
    with page.expect_navigation():
        _remove_filter_link(page, "Territoire", "Calvados").click()
    assert not _query(page), page.url
    _assert_count(page, DEMO_COUNT)
    expect(_active_filters(page)).to_have_count(0)


# --- 3. Keyboard -------------------------------------------------------------------------------


def test_keyboard_searches_filters_and_removes_a_filter(site_page, live_site):
    page = site_page
    _ok(page.goto(LIBRARY))
    search = _filters(page).get_by_role("searchbox", name=SEARCH_LABEL, exact=True)
    _tab_until(page, search)

    # The search field, the selects and the button, one Tab after the other.
    for selector in FORM_CONTROLS[1:]:
        page.keyboard.press("Tab")
        assert _focused(page, selector), (
            f"La tabulation n'atteint pas {selector} après le champ précédent "
            f"(focus sur {page.evaluate('() => document.activeElement.outerHTML')[:200]})."
        )
    expect(_filters(page).get_by_role("button", name=listing.SUBMIT_LABEL)).to_be_focused()

    # Search from the keyboard: Enter in the field sends the form.
    page.keyboard.press("Shift+Tab")
    for _ in FORM_CONTROLS[1:-1]:
        page.keyboard.press("Shift+Tab")
    expect(search).to_be_focused()
    page.keyboard.type(PDF_ONLY_WORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert _query(page).get("q") == [PDF_ONLY_WORD], page.url
    _assert_listed(page, [ORNE_STUDY_TITLE])

    # The filter chip is reached with Tab and removed with Enter.
    chip = _remove_filter_link(page, "Recherche", f"« {PDF_ONLY_WORD} »")
    _tab_until(page, chip)
    expect(chip).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert not _query(page), page.url
    expect(page).to_have_url(re.compile(rf"^{re.escape(live_site + LIBRARY)}\??$"))
    _assert_count(page, DEMO_COUNT)
    expect(_active_filters(page)).to_have_count(0)


# --- 4. Bad input -----------------------------------------------------------------------------


def test_unknown_filter_values_are_ignored(site_page):
    page = site_page
    _ok(page.goto(LIBRARY + "?type=roman&territoire=bretagne"))
    assert_page_basics(page)
    _assert_count(page, DEMO_COUNT)
    expect(_results(page).get_by_role("heading", level=3)).to_have_count(DEMO_COUNT)
    expect(_active_filters(page)).to_have_count(0)
    expect(page.get_by_text("Effacer tous les filtres")).to_have_count(0)
    for label in ["Type de publication", "Territoire"]:
        expect(_filters(page).get_by_role("combobox", name=label, exact=True)).to_have_value("")
    expect(page).not_to_have_title(re.compile("résultat"))
    expect(page.locator('meta[name="robots"]')).to_have_count(0)
    expect(page.get_by_role("alert")).to_have_count(0)


def test_page_beyond_the_last_is_not_found(site_page, guard, live_site):
    path = LIBRARY + "?page=99"
    # Chromium reports the 404 of the document itself in the console: expected here only.
    guard.allow_console_error("status of 404", live_site + path)
    response = site_page.goto(path)
    assert response.status == 404
    assert_page_basics(site_page, title=re.compile(r"^Page introuvable"))
    expect(site_page.locator("h1")).to_have_text("Page introuvable")
    assert_no_axe_violations(site_page)


# --- 5. The Atom feed --------------------------------------------------------------------------


def _fetch_feed(page: Page, link):
    href = _resolved_href(link)
    response = page.request.get(href)
    assert response.ok, f"{href} : statut {response.status}"
    content_type = response.headers["content-type"]
    assert content_type.split(";")[0].strip() == "application/atom+xml", content_type
    feed = ElementTree.fromstring(response.body())
    assert feed.tag == f"{ATOM}feed", feed.tag
    return href, [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]


def test_feed_link_gives_an_atom_feed(site_page):
    page = site_page
    _ok(page.goto(LIBRARY))
    link = page.get_by_role("link", name=FEED_LABEL, exact=True)
    expect(link).to_be_visible()
    href, titles = _fetch_feed(page, link)
    assert urlsplit(href).path == LIBRARY + "flux/"
    assert len(titles) == DEMO_COUNT
    assert ORNE_STUDY_TITLE in titles

    # With filters, the feed follows them.
    _ok(page.goto(LIBRARY + "?territoire=orne"))
    link = page.get_by_role("link", name=f"{FEED_LABEL} (avec ces filtres)", exact=True)
    href, titles = _fetch_feed(page, link)
    assert parse_qs(urlsplit(href).query) == {"territoire": ["orne"]}
    assert titles == [ORNE_STUDY_TITLE]
