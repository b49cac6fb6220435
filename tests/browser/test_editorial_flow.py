"""The editorial team's path through the Wagtail admin, and the contributor's guide's pictures.

A rédacteur creates a publication, uploads its PDF from the document chooser into the
Observatoire collection and submits the page; a modérateur approves it from the dashboard and
promotes it in the site's search; an anonymous visitor then reads the page, downloads the PDF
and finds the page through the search. A second test opens the forms of a recurring event with
registrations and of a project, as an administrator.

Along the way both tests take the screenshots that illustrate the contributor's guide
(editorial/templates/editorial/guide/), with the capture code of `make screenshots`
(tools/screenshots/). A run writes them into a temporary folder, so that it leaves the checkout
as it found it; `make screenshots` has them written into its own folder, and with
`--update-guide` (UPDATE_GUIDE_SCREENSHOTS=1) into the guide's own pictures in
editorial/static/editorial/guide/, to be committed when the admin has changed (see
tools/screenshots/guide.py).
"""

import importlib
import re
from types import SimpleNamespace

from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.loader import MigrationLoader

import pytest
from playwright.sync_api import Page, expect

from cress_site.demo_pdfs import make_pdf
from editorial.collections import OBSERVATORY
from editorial.roles import ADMINISTRATORS, EDITORS, MODERATORS, WORKFLOW
from tests.browser.helpers import assert_no_axe_violations
from tools.screenshots import capture
from tools.screenshots.guide import GUIDE_COLOURS, guide_folder

GUIDE_IMAGES = guide_folder()
PASSWORD = "motdepasse-de-test"
VIEWPORT = {"width": 1280, "height": 800}
# The top of the admin's content, right of the sidebar: a listing's header and first rows.
TOP_OF_CONTENT = {"x": 200, "y": 0, "width": 1080, "height": 300}
# The admin is heavier than the public pages, and this machine is shared: generous waits.
TIMEOUT = 30_000
NAVIGATION_TIMEOUT = 60_000
PLAYWRIGHT_EXPECT_TIMEOUT = 5_000

TITLE = "Les coopératives funéraires en Normandie"
SLUG = "cooperatives-funeraires-normandie"
SUMMARY = (
    "Combien de coopératives funéraires en Normandie, qui les crée et pourquoi : un état des "
    "lieux de l'Observatoire, avec les chiffres de 2025."
)
# A word of the title, and one found only in the PDF (nowhere in the demo site).
TITLE_WORD = "funéraires"
PDF_ONLY_WORD = "thanatopraxie"
PDF_FILE_NAME = "cooperatives-funeraires-normandie.pdf"
DOCUMENT_TITLE = "Les coopératives funéraires en Normandie (étude, PDF)"
# What people type who do not know the word "coopérative": no page answers it by itself.
PROMOTED_QUERY = "pompes funèbres"
PROMOTION_TEXT = "L'étude de l'Observatoire sur les coopératives funéraires de Normandie."

SUBMIT_ACTION = f"Soumettre à {WORKFLOW}"
EDITORIAL_MIGRATIONS = ["0001_roles", "0002_collections", "0003_workflow"]
GUIDE_URL = "/admin/guide/"


# --- Setting up ------------------------------------------------------------------------------


@pytest.fixture
def editorial_site(live_site):
    """The live site with the editorial groups, collections and workflow.

    The editorial migrations create them; a browser test that ran before this one flushed the
    database, and `live_site` rebuilds only the demo site: the migrations' code is run again
    then, as tests/editorial/test_migrations.py does.
    """
    if not Group.objects.filter(name=EDITORS).exists():
        loader = MigrationLoader(None, ignore_no_migrations=True)
        historical_apps = loader.project_state(("editorial", EDITORIAL_MIGRATIONS[-1])).apps
        schema_editor = SimpleNamespace(connection=connection)
        for name in EDITORIAL_MIGRATIONS:
            module = importlib.import_module(f"editorial.migrations.{name}")
            (operation,) = module.Migration.operations
            operation.code(historical_apps, schema_editor)
    return live_site


@pytest.fixture
def make_member(django_user_model, editorial_site):
    def make(group_name, username, first_name, last_name):
        user = django_user_model.objects.create_user(
            username=username,
            email=f"{username}@cress-normandie.example",
            password=PASSWORD,
            first_name=first_name,
            last_name=last_name,
        )
        user.groups.add(Group.objects.get(name=group_name))
        return user

    return make


@pytest.fixture
def admin_page(new_guarded_page):
    """Factory: a new browser (its own cookies), desktop size, watched by the guard.

    Actions and assertions wait up to 30 seconds (an upload reads the PDF and draws its cover
    before it answers), then Playwright's 5 seconds again for the next tests.
    """

    def make():
        page = new_guarded_page(viewport=VIEWPORT)
        page.set_default_timeout(TIMEOUT)
        page.set_default_navigation_timeout(NAVIGATION_TIMEOUT)
        return page

    expect.set_options(timeout=TIMEOUT)
    yield make
    expect.set_options(timeout=PLAYWRIGHT_EXPECT_TIMEOUT)


# Wagtail saves a page's form in the background about a second after each change (autosave).
# The live server's database, SQLite in memory with a shared cache, fails a request that comes
# while another one writes ("database table is locked") where a database file would make it
# wait: before its first click that sends a request of its own, the test pauses autosave and
# lets a save in progress finish (the rest of the form is saved when the page is submitted).
# This script, run in every page, follows the saves through Wagtail's events.
AUTOSAVE_WATCH = """
window.guideAutosave = {saving: false};
document.addEventListener("w-autosave:save", () => { window.guideAutosave.saving = true; });
for (const done of ["w-autosave:success", "w-autosave:error"]) {
    document.addEventListener(done, () => { window.guideAutosave.saving = false; });
}
"""


def pause_autosave(page: Page):
    page.locator("form[data-controller~=w-autosave]").evaluate(
        "form => form.setAttribute('data-w-autosave-active-value', 'false')"
    )
    page.wait_for_function("() => !window.guideAutosave.saving")


def log_in(page: Page, user):
    page.goto("/admin/login/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def guide_link(page: Page):
    return page.locator("#wagtail-sidebar").get_by_role("link", name="Guide du site")


# --- The guide's pictures --------------------------------------------------------------------


def screenshot(target, name, **options):
    """Save a PNG of the page or of one element for the guide, in 256 colours (a few dozen KB).

    `target` is a Page (the viewport, or `clip`) or a Locator (that element only).
    """
    capture.screenshot(target, GUIDE_IMAGES / name, colours=GUIDE_COLOURS, **options)


def form_section_screenshot(page: Page, section, name, until=None, margin=16):
    """A section of a long form, full width right of the sidebar, without the form's action
    bar (see capture.form_section_clip)."""
    screenshot(
        page,
        name,
        clip=capture.form_section_clip(page, section, VIEWPORT, until=until, margin=margin),
        style="footer.footer { visibility: hidden !important; }",
    )


def region(locator, margin=16):
    """A clip around an element in the window, widened by `margin`, within the window."""
    return capture.region(locator, VIEWPORT, margin=margin)


# --- 1. From the rédacteur's draft to the public page ---------------------------------------


def test_editor_submits_a_study_the_moderator_approves_and_the_public_finds_it(
    admin_page, make_member, editorial_site, tmp_path, mailoutbox
):
    from publications.models import PublicationIndexPage, PublicationPage

    editor = make_member(EDITORS, "camille", "Camille", "Rédactrice")
    moderator = make_member(MODERATORS, "dominique", "Dominique", "Modératrice")

    # The rédacteur's dashboard, and the guide in the admin menu.
    page = admin_page()
    page.add_init_script(AUTOSAVE_WATCH)
    log_in(page, editor)
    expect(page.get_by_role("heading", name="Prochains événements")).to_be_visible()
    screenshot(page, "01-tableau-de-bord.png")

    # The guide is in the rédacteur's menu (it is read at the end of the next test, once all its
    # pictures have been taken).
    expect(guide_link(page)).to_have_attribute("href", GUIDE_URL)

    # The library's page in the explorer, and its "add a child page" button.
    library = PublicationIndexPage.objects.get()
    page.goto(f"/admin/pages/{library.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(library.title)
    add_child = page.get_by_role("link", name="Ajouter une sous-page")
    expect(add_child).to_be_visible()
    screenshot(page, "02-ajouter-une-sous-page.png", clip=TOP_OF_CONTENT)
    with page.expect_navigation():
        add_child.click()
    # A library holds only publications: Wagtail opens their form directly.
    expect(page).to_have_url(re.compile(r"/admin/pages/add/publications/publicationpage/\d+/$"))

    # The form: title, summary, references.
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_summary").fill(SUMMARY)
    page.locator("#id_kind").select_option(label="Étude")
    page.locator("#id_partners").fill("Union régionale des SCOP, Région Normandie")
    page.locator("#id_title").scroll_into_view_if_needed()
    screenshot(page, "03-formulaire-publication.png")

    # The PDF, uploaded from the document chooser into the Observatoire collection.
    pdf_path = tmp_path / PDF_FILE_NAME
    pdf_path.write_bytes(
        make_pdf(
            TITLE,
            [
                [
                    "Les coopératives funéraires proposent des obsèques à prix coûtant, "
                    "gouvernées par leurs sociétaires.",
                    f"Elles forment aussi leurs salariés à la {PDF_ONLY_WORD}.",
                ],
                ["Méthode : enquête auprès des structures, données 2025."],
            ],
            author="Observatoire régional de l'ESS",
        )
    )
    files_panel = page.locator("#panel-child-contenu-fichiers-section")
    # The changes above are saved as a draft by now, or about to be: the rest is saved when the
    # page is submitted.
    pause_autosave(page)
    files_panel.get_by_role("button", name="Choisir un document").click()
    chooser = page.get_by_role("dialog")
    expect(chooser.get_by_role("heading", name="Choisir un document")).to_be_visible()
    chooser.get_by_role("tab", name="Transférer").click()
    chooser.locator("#id_document-chooser-upload-file").set_input_files(pdf_path)
    chooser.locator("#id_document-chooser-upload-title").fill(DOCUMENT_TITLE)
    collection = chooser.locator("#id_document-chooser-upload-collection")
    # Observatoire is the collection proposed for a new document.
    expect(collection.locator("option:checked")).to_have_text(OBSERVATORY)
    screenshot(chooser, "04-televerser-le-pdf.png")
    chooser.get_by_role("button", name="Transférer").click()
    expect(chooser).to_be_hidden()
    expect(files_panel).to_contain_text(DOCUMENT_TITLE)
    form_section_screenshot(page, files_panel, "05-fichiers-publication.png")

    # The address of the page, on the Promotion tab.
    page.get_by_role("tab", name="Promotion").click()
    page.locator("#id_slug").fill(SLUG)
    page.get_by_role("tab", name="Contenu").click()

    # Submitted for moderation: the rédacteur cannot publish.
    page.get_by_role("button", name="Plus d'actions").click()
    submit = page.get_by_role("button", name=SUBMIT_ACTION)
    expect(submit).to_be_visible()
    expect(page.get_by_role("button", name="Publier")).to_have_count(0)
    # The bottom of the form, with the menu open above the save button.
    top = max(submit.bounding_box()["y"] - 180, 0)
    screenshot(
        page,
        "06-soumettre-a-la-moderation.png",
        clip={"x": 200, "y": top, "width": 1080, "height": VIEWPORT["height"] - top},
    )
    with page.expect_navigation():
        submit.click()
    message = page.locator(".messages")
    # "créée et soumise pour modération", or "soumise…" when autosave had created the draft.
    expect(message).to_contain_text(TITLE)
    expect(message).to_contain_text("soumise pour modération")
    row = page.get_by_role("row").filter(has_text=TITLE)
    expect(row).to_contain_text(re.compile("en cours de modération", re.IGNORECASE))
    screenshot(page, "07-page-soumise.png", clip=TOP_OF_CONTENT)

    publication = PublicationPage.objects.get(slug=SLUG)
    assert not publication.live
    assert publication.document.collection.name == OBSERVATORY
    assert publication.document.file.name.endswith(".pdf")
    # The modérateurs are told by e-mail.
    assert [message.to for message in mailoutbox] == [[moderator.email]]
    page.context.close()

    # The modérateur approves it from the dashboard.
    page = admin_page()
    log_in(page, moderator)
    queue = page.locator("#awaiting-review-section")
    expect(queue.get_by_role("heading", name="En attente de votre vérification")).to_be_visible()
    queue_row = queue.get_by_role("row").filter(has_text=TITLE)
    expect(queue_row).to_contain_text("Camille")
    queue_row.get_by_role("button", name="Actions").click()
    approve = page.get_by_role("button", name="Approuver", exact=True)
    expect(approve).to_be_visible()
    expect(page.get_by_role("button", name="Demander des modifications")).to_be_visible()
    clip = region(queue, margin=8)
    menu_box = page.get_by_role("link", name="Prévisualisation").bounding_box()
    clip["height"] = min(
        max(clip["height"], menu_box["y"] + menu_box["height"] + 16 - clip["y"]),
        VIEWPORT["height"] - clip["y"],
    )
    clip["width"] = VIEWPORT["width"] - clip["x"]
    screenshot(page, "08-validation-moderateur.png", clip=clip)
    with page.expect_navigation():
        approve.click()
    publication.refresh_from_db()
    assert publication.live
    assert not publication.workflow_in_progress

    # …and promotes it in the site's search, for words the page does not contain.
    page.goto("/admin/searchpicks/add/")
    page.locator("#id_query_string").fill(PROMOTED_QUERY)
    page.get_by_role("button", name="Ajouter un résultat de recherche mis en avant").click()
    page.get_by_role("button", name="Choisissez une page").click()
    page_chooser = page.get_by_role("dialog")
    page_chooser.get_by_role("textbox", name="Terme de recherche").fill(TITLE_WORD)
    page_chooser.get_by_role("link", name=TITLE).click()
    expect(page_chooser).to_be_hidden()
    page.locator("#id_editors_picks-0-description").fill(PROMOTION_TEXT)
    # The whole form, right of the sidebar.
    page.evaluate("window.scrollTo(0, 0)")
    height = page.evaluate("document.documentElement.scrollHeight")
    screenshot(
        page,
        "09-resultat-mis-en-avant.png",
        full_page=True,
        clip={"x": 200, "y": 0, "width": 1080, "height": height},
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Créer").click()
    expect(page.locator(".messages")).to_contain_text(PROMOTED_QUERY)
    page.context.close()

    # Anyone: the page, its PDF, the search.
    page = admin_page()
    page.goto("/observatoire/")
    with page.expect_navigation():
        page.get_by_role("link", name=TITLE, exact=True).click()
    expect(page.locator("h1")).to_have_text(TITLE)
    download = page.get_by_role("link", name=re.compile(r"^Télécharger l'étude\b"))
    response = page.request.get(download.evaluate("link => link.href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")

    for word in (TITLE_WORD, PDF_ONLY_WORD):
        page.goto(f"/recherche/?q={word}")
        results = page.locator(".search-results")
        expect(results.get_by_role("link", name=TITLE, exact=True).first).to_be_visible()

    page.goto(f"/recherche/?q={PROMOTED_QUERY}")
    promoted = page.get_by_role("region", name="Recommandé par la CRESS")
    expect(promoted.get_by_role("link", name=TITLE, exact=True)).to_be_visible()
    expect(promoted).to_contain_text(PROMOTION_TEXT)
    promoted.scroll_into_view_if_needed()
    screenshot(promoted, "10-recherche-recommandee.png")


# --- 2. The forms of events and projects -----------------------------------------------------


def test_the_event_and_project_forms_as_the_guide_shows_them(
    admin_page, make_member, editorial_site
):
    from events.models import EventPage
    from projects_showcase.models import ProjectPage

    administrator = make_member(ADMINISTRATORS, "alex", "Alex", "Administrateur")
    # The demo's monthly information meeting: a series with registrations and exceptions.
    meeting = EventPage.objects.exclude(repeat="").filter(date_changes__isnull=False).first()
    assert meeting is not None and meeting.registration_enabled
    project = ProjectPage.objects.order_by("path").first()

    page = admin_page()
    log_in(page, administrator)

    page.goto(f"/admin/pages/{meeting.pk}/edit/")
    registrations = page.locator("#panel-child-contenu-inscriptions-section")
    expect(registrations.get_by_role("checkbox", name="Inscriptions sur le site")).to_be_checked()
    form_section_screenshot(page, registrations, "11-evenement-inscriptions.png")

    repeat = page.locator("#panel-child-contenu-repetition-section")
    expect(repeat.locator("#id_repeat")).not_to_have_value("")
    form_section_screenshot(page, repeat, "12-evenement-repetition.png")

    exceptions = page.locator(
        "#panel-child-contenu-exceptions_a_la_serie_dates_annulees_deplacees_ou_retirees-section"
    )
    expect(exceptions.locator("[id^=id_date_changes-][id$=-original_date]").first).to_be_visible()
    form_section_screenshot(
        page,
        exceptions,
        "13-evenement-exceptions.png",
        until=exceptions.locator("#inline_child_date_changes-0"),
    )

    page.goto(f"/admin/pages/{project.pk}/edit/")
    project_panel = page.locator("#panel-child-contenu-le_projet-section")
    expect(project_panel.locator("#id_legal_form")).to_be_visible()
    page.locator("#panel-child-contenu-summary-section").scroll_into_view_if_needed()
    screenshot(page, "14-formulaire-projet.png")

    # The guide, from the admin menu, with every picture this file has just taken.
    with page.expect_navigation():
        guide_link(page).click()
    expect(page).to_have_url(re.compile(rf"{GUIDE_URL}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Guide du contributeur")
    toc = page.get_by_role("navigation", name="Sommaire du guide")
    expect(toc.get_by_role("link")).to_have_count(8)
    pictures = page.locator(".guide img")
    expect(pictures).to_have_count(14)
    # A missing or broken file fails here.
    widths = page.evaluate(
        """() => Promise.all([...document.querySelectorAll(".guide img")].map(
            img => img.decode().then(() => img.naturalWidth)
        ))"""
    )
    assert all(width > 0 for width in widths), widths
    assert_no_axe_violations(page)
