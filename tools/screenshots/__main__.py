"""`make screenshots`: the whole site in pictures, to look at in a minute.

Every public page type at 1280 and 375 px (full page), the main admin screens at 1280 px
(logged in as the demo administrator), and the contributor's guide's pictures (taken by its
browser test, see guide.py), with an `index.html` contact sheet, in a folder outside git:
SCREENSHOTS_DIR, or `screenshots/` next to the checkout.

    python -m tools.screenshots [--url http://127.0.0.1:8000] [--out DIR] [--no-guide]
                                [--update-guide]

Without --url (or SITE_URL), it starts the site itself as `make run` serves it (gunicorn,
cress_site.settings.local) on a free port, and stops it at the end. Either way the pages are
found in the database of these settings (DATABASE_URL, db.sqlite3 by default): the site given
must use the same one. It only reads: the admin's background saves (autosave) and any other
form sent from the admin are cancelled before they leave the browser.
"""

import argparse
import html
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import django

from tools.screenshots.capture import screenshot
from tools.screenshots.guide import GUIDE_STATIC, GUIDE_TEST, ROOT

CHROMIUM = "/usr/bin/chromium"
WIDTHS = (1280, 375)
ADMIN_VIEWPORT = {"width": 1280, "height": 800}
SEARCH_WITH_RESULTS = "coopérative"
SEARCH_WITHOUT_RESULTS = "xylophonique"
DEMO_REGISTRANT = "camille.lefevre@example.org"


def parse_args():
    parser = argparse.ArgumentParser(prog="python -m tools.screenshots", description=__doc__)
    parser.add_argument("--url", default=os.environ.get("SITE_URL", ""))
    parser.add_argument(
        "--out", default=os.environ.get("SCREENSHOTS_DIR") or str(ROOT.parent / "screenshots")
    )
    parser.add_argument("--credentials", default=str(ROOT / ".admin-credentials"))
    parser.add_argument("--no-guide", action="store_true", help="sans les images du guide")
    parser.add_argument(
        "--update-guide",
        action="store_true",
        help="réécrire aussi les images du guide dans editorial/static/editorial/guide/",
    )
    return parser.parse_args()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url, seconds=60):
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def start_site():
    """gunicorn with the local settings on a free port: (process, base URL)."""
    port = free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "cress_site.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "cress_site.settings.local"},
    )
    url = f"http://127.0.0.1:{port}"
    wait_for(url + "/robots.txt")
    return server, url


def public_pages():
    """(name, label, address) of every public page type, found in the demo content."""
    from cress_site.models import Territory
    from directory.models import DirectoryPage, Enterprise
    from events.models import EventIndexPage, EventPage
    from home.models import ContentPage, FormPage, HomePage, PitchPage
    from projects_showcase.models import ProjectIndexPage, ProjectPage
    from publications.models import PublicationIndexPage, PublicationPage
    from territories.models import TerritoryIndexPage

    def first(model, **filters):
        return model.objects.live().public().filter(**filters).order_by("path").first()

    library, agenda, projects = (
        first(PublicationIndexPage),
        first(EventIndexPage),
        first(ProjectIndexPage),
    )
    event = first(EventPage, registration_enabled=True) or first(EventPage)
    pages = [
        ("accueil", "Accueil", first(HomePage).url),
        ("argumentaire", "Argumentaire pour les collectivités", first(PitchPage).url),
        ("page-de-contenu", "Page de contenu", first(ContentPage).url),
        ("formulaire", "Page formulaire", first(FormPage).url),
        ("publications", "Bibliothèque de l'Observatoire", library.url),
        ("publications-filtrees", "Bibliothèque filtrée (études)", library.url + "?type=etude"),
        ("publication", "Publication", first(PublicationPage).url),
        ("agenda", "Agenda", agenda.url),
        ("evenement", "Événement", event.url),
        ("inscription", "Formulaire d'inscription", event.url + "inscription/"),
        ("agenda-mois", "Agenda : grille du mois", agenda.url + "mois/"),
        ("agenda-archives", "Agenda : archives", agenda.url + "archives/"),
        ("projets", "Projets accompagnés", projects.url),
        ("projet", "Projet", first(ProjectPage).url),
        ("recherche", "Recherche avec résultats", f"/recherche/?q={SEARCH_WITH_RESULTS}"),
        ("recherche-entreprises", "Recherche : entreprises et territoires", "/recherche/?q=caen"),
        ("recherche-vide", "Recherche sans résultat", f"/recherche/?q={SEARCH_WITHOUT_RESULTS}"),
        ("404", "Page introuvable (404)", "/cette-page-n-existe-pas/"),
    ]
    directory, portraits = first(DirectoryPage), first(TerritoryIndexPage)
    if directory is not None:
        unit = Enterprise.objects.public().order_by("name").first()
        pages += [
            ("annuaire", "Annuaire des entreprises de l'ESS", directory.url),
            ("annuaire-filtre", "Annuaire filtré", directory.url + "?famille=cooperative"),
        ]
        if unit is not None:
            pages.append(("entreprise", "Fiche d'une entreprise", unit.get_absolute_url()))
    if portraits is not None:
        calvados = Territory.objects.get(kind="departement", code="14")
        caen = Territory.objects.filter(kind="commune", code="14118").first()
        pages += [
            ("territoires", "Portraits de territoires", portraits.url),
            ("portrait-departement", "Portrait du Calvados", portraits.url + calvados.slug + "/"),
        ]
        if caen is not None and caen.parent is not None:
            epci = caen.parent
            pages.append(
                ("portrait-epci", "Portrait d'une intercommunalité", f"{portraits.url}{epci.slug}/")
            )
    return pages


def admin_screens():
    """(name, label, address) of the main admin screens."""
    from wagtail.models import Page

    from events.models import Registration
    from home.models import HomePage

    home = HomePage.objects.first()
    screens = [
        ("admin-tableau-de-bord", "Tableau de bord", "/admin/"),
        ("admin-explorateur", "Explorateur de pages", f"/admin/pages/{home.pk}/"),
    ]
    seen = set()
    for page in Page.objects.live().specific().order_by("path"):
        kind = type(page)
        if kind in seen or kind is Page:
            continue
        seen.add(kind)
        name = kind._meta.model_name
        screens.append(
            (
                f"admin-editeur-{name}",
                f"Éditeur : {kind._meta.verbose_name}",
                f"/admin/pages/{page.pk}/edit/",
            )
        )
    registration = Registration.objects.order_by("pk").first()
    registrations_url = "/admin/events/registration/"
    if registration is not None:
        registrations_url += f"?date={registration.occurrence_id}"
    screens += [
        ("admin-inscriptions", "Inscriptions d'un événement", registrations_url),
        ("admin-documents", "Documents", "/admin/documents/"),
        ("admin-images", "Images", "/admin/images/"),
        ("admin-fragments", "Fragments", "/admin/snippets/"),
        ("admin-territoires", "Taxonomies : territoires", "/admin/snippets/cress_site/territory/"),
        ("admin-themes", "Taxonomies : thèmes", "/admin/snippets/cress_site/theme/"),
        ("admin-entreprises", "Annuaire : entreprises", "/admin/snippets/directory/enterprise/"),
        ("admin-imports", "Annuaire : imports", "/admin/snippets/directory/importrun/"),
        (
            "admin-textes-portraits",
            "Textes des portraits",
            "/admin/snippets/territories/territoryportrait/",
        ),
        ("admin-guide", "Guide du contributeur", "/admin/guide/"),
        ("admin-donnees-personnelles", "Données personnelles", "/admin/donnees-personnelles/"),
    ]
    return screens


def read_only(route):
    """Let the admin read, never write: autosave and other forms are cancelled (the login and
    the personal data page's look-up, which only reads, go through)."""
    request = route.request
    allowed = request.url.endswith("/admin/login/") or (
        request.url.endswith("/admin/donnees-personnelles/")
        and "action=find" in (request.post_data or "")
    )
    if request.method in ("GET", "HEAD") or allowed:
        route.continue_()
    else:
        route.abort()


def settle(page):
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready")


def shoot_public(browser, base, out, pages):
    shots = []
    for width in WIDTHS:
        context = browser.new_context(base_url=base, viewport={"width": width, "height": 800})
        page = context.new_page()
        for name, _label, url in pages:
            page.goto(url)
            settle(page)
            screenshot(page, out / "public" / f"{name}-{width}.png", full_page=True)
            shots.append((name, width))
        context.close()
    return shots


def shoot_admin(browser, base, out, screens, credentials):
    username, password = credentials
    context = browser.new_context(base_url=base, viewport=ADMIN_VIEWPORT)
    context.route("**/admin/**", read_only)
    page = context.new_page()
    page.goto("/admin/login/")
    settle(page)
    screenshot(page, out / "admin" / "admin-connexion.png")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    with page.expect_navigation():
        page.locator("form button[type=submit]").click()
    if "/admin/login/" in page.url:
        raise SystemExit("Connexion refusée : vérifiez l'identifiant et le mot de passe.")
    names = ["admin-connexion"]
    for name, _label, url in screens:
        page.goto(url)
        settle(page)
        if name == "admin-donnees-personnelles":
            page.locator("input[name=email]").fill(DEMO_REGISTRANT)
            with page.expect_navigation():
                page.locator("input[name=email]").press("Enter")
            settle(page)
        screenshot(page, out / "admin" / f"{name}.png", full_page=True)
        names.append(name)
    context.close()
    return names


def shoot_guide(out, update):
    """The guide's pictures, by its browser test, into `out`/guide (and into the guide itself
    with `update`). Returns the file names."""
    folder = out / "guide"
    env = {**os.environ, "GUIDE_SCREENSHOTS_DIR": str(GUIDE_STATIC if update else folder)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run(
        [sys.executable, "-m", "pytest", GUIDE_TEST, "-q", "-p", "no:cacheprovider"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    if update:
        folder.mkdir(parents=True, exist_ok=True)
        for picture in GUIDE_STATIC.glob("*.png"):
            (folder / picture.name).write_bytes(picture.read_bytes())
    return sorted(picture.name for picture in folder.glob("*.png"))


def contact_sheet(out, pages, screens, guide):
    def figure(src, caption, width=None):
        style = f' style="width:{width}px"' if width else ""
        return (
            f'<figure{style}><a href="{html.escape(src)}"><img src="{html.escape(src)}" '
            f'alt="" loading="lazy"></a><figcaption>{html.escape(caption)}</figcaption></figure>'
        )

    rows = [
        '<div class="card"><h3>{}</h3>{}{}</div>'.format(
            html.escape(label),
            figure(f"public/{name}-1280.png", f"1280 px · {url}", 280),
            figure(f"public/{name}-375.png", "375 px", 96),
        )
        for name, label, url in pages
    ]
    admin = [figure("admin/admin-connexion.png", "Connexion", 320)] + [
        figure(f"admin/{name}.png", label, 320) for name, label, _url in screens
    ]
    guide_figures = [figure(f"guide/{name}", name, 320) for name in guide]
    document = f"""<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Captures du site de la CRESS Normandie</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 1.5rem; color: #1d1d1b; }}
h2 {{ margin-top: 2.5rem; border-bottom: 2px solid #ccc; }}
.cards {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(25rem, 1fr));
  gap: 1.5rem 1rem; }}
.card, .grid {{ display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: flex-start; }}
.card h3 {{ width: 100%; font-size: 1rem; margin: 0; }}
figure {{ margin: 0; width: 320px; }}
figure img {{ width: 100%; height: 240px; object-fit: cover; object-position: top;
  border: 1px solid #bbb; }}
figcaption {{ font-size: 0.8rem; color: #555; overflow-wrap: anywhere; }}
</style></head><body>
<h1>Captures du site de la CRESS Normandie</h1>
<p>Prises le {time.strftime("%d/%m/%Y à %H:%M")}. Cliquer sur une vignette ouvre la page
entière.</p>
<h2>Pages publiques (1280 et 375 px)</h2>
<div class="cards">{"".join(rows)}</div>
<h2>Administration (1280 px)</h2>
<div class="grid">{"".join(admin)}</div>
<h2>Images du guide du contributeur</h2>
<div class="grid">{"".join(guide_figures) or "<p>Non prises (--no-guide).</p>"}</div>
</body></html>
"""
    (out / "index.html").write_text(document, encoding="utf-8")


def main():
    args = parse_args()
    out = Path(args.out).resolve()
    if out.is_relative_to(ROOT):
        raise SystemExit(f"{out} est dans le dépôt : choisissez un dossier hors de git.")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cress_site.settings.local")
    django.setup()
    credentials = Path(args.credentials).read_text(encoding="utf-8").split()[:2]
    pages, screens = public_pages(), admin_screens()

    from playwright.sync_api import sync_playwright

    server = None
    base = args.url.rstrip("/")
    if not base:
        server, base = start_site()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--headless=new", "--no-sandbox"]
            )
            shoot_public(browser, base, out, pages)
            shoot_admin(browser, base, out, screens, credentials)
            browser.close()
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
    guide = [] if args.no_guide else shoot_guide(out, args.update_guide)
    contact_sheet(out, pages, screens, guide)
    print(f"Captures : {out / 'index.html'}")


if __name__ == "__main__":
    main()
