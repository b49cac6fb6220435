"""The site shell every page shares: head, header, navigation, breadcrumbs, footer."""

import json
import re
from html.parser import HTMLParser

from django.template.loader import render_to_string

import pytest

from cress_site.models import OrganisationSettings

pytestmark = pytest.mark.django_db

PITCH_URL = "/collectivites-soutenir-lentrepreneuriat-dess/"


class _Collector(HTMLParser):
    """Collects attributes of the tags the assertions below look at."""

    def __init__(self):
        super().__init__()
        self.tags = []
        self.scripts = []
        self._in_script = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = dict(attrs)

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None

    def handle_data(self, data):
        if self._in_script is not None and data.strip():
            self.scripts.append((self._in_script, data))

    def find(self, tag, **attrs):
        return [
            a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())
        ]


def parse(response):
    collector = _Collector()
    collector.feed(response.content.decode())
    return collector


def test_every_page_has_the_shell(client):
    html = parse(client.get(PITCH_URL))
    assert html.find("html")[0]["lang"] == "fr"
    assert html.find("a", **{"class": "skip-link", "href": "#contenu"})
    assert html.find("main", id="contenu")
    assert html.find("nav", **{"aria-label": "Menu principal"})
    assert html.find("form", role="search", action="/recherche/")
    assert html.find("nav", **{"aria-label": "Fil d'Ariane"})
    assert html.find("footer")


def test_main_menu_lists_pages_shown_in_menus(client, home_page):
    content = client.get("/").content.decode()
    menu = content.split('id="menu-principal-liste"')[1].split("</ul>")[0]
    assert "Collectivités\u00a0: soutenir l'entrepreneuriat d'ESS" in menu.replace("&#x27;", "'")
    assert "Demande d&#x27;accompagnement" in menu
    assert "Mentions légales" not in menu  # not shown in menus

    pitch = (
        home_page.get_children().get(slug="collectivites-soutenir-lentrepreneuriat-dess").specific
    )
    pitch.show_in_menus = False
    pitch.save_revision().publish()  # as an editor does: the cached menu goes with it
    assert (
        "soutenir l&#x27;entrepreneuriat"
        not in client.get("/")
        .content.decode()
        .split('id="menu-principal-liste"')[1]
        .split("</ul>")[0]
    )


def test_current_menu_item_and_breadcrumbs(client):
    content = client.get(PITCH_URL).content.decode()
    assert re.search(rf'href="{PITCH_URL}"\s+aria-current="page"', content)
    crumbs = content.split('aria-label="Fil d\'Ariane"')[1].split("</nav>")[0]
    assert '<a href="/">Accueil</a>' in crumbs
    assert 'aria-current="page">Collectivités' in crumbs


def test_head_has_title_description_canonical_and_opengraph(client):
    html = parse(client.get(PITCH_URL))
    content = client.get(PITCH_URL).content.decode()
    assert (
        "<title>Entrepreneuriat d&#x27;ESS et collectivités territoriales – CRESS Normandie</title>"
        in content
    )
    assert html.find("meta", name="description")[0]["content"].startswith("Les plus-values")
    canonical = html.find("link", rel="canonical")[0]["href"]
    assert canonical.endswith(PITCH_URL) and canonical.startswith("http")
    og = {a["property"]: a["content"] for a in html.find("meta") if "property" in a}
    assert og["og:title"] == "Entrepreneuriat d'ESS et collectivités territoriales"
    assert og["og:locale"] == "fr_FR"
    assert og["og:url"] == canonical
    assert og["og:image"].startswith("http") and og["og:image"].endswith(".jpg")


def test_home_page_has_organization_json_ld(client):
    html = parse(client.get("/"))
    ld = [
        json.loads(data)
        for attrs, data in html.scripts
        if attrs.get("type") == "application/ld+json"
    ]
    assert len(ld) == 1
    assert ld[0]["@type"] == "Organization"
    assert ld[0]["name"] == OrganisationSettings.load().name
    assert ld[0]["address"]["addressLocality"] == "Caen"
    # Other pages do not repeat it.
    assert "application/ld+json" not in client.get(PITCH_URL).content.decode()


def test_json_ld_cannot_break_out_of_its_script(client):
    organisation = OrganisationSettings.load()
    organisation.name = "CRESS </script><script>alert(1)</script>"
    organisation.save()
    content = client.get("/").content.decode()
    assert "</script><script>alert(1)" not in content
    assert "\\u003C/script\\u003E" in content


def test_footer_shows_contact_details_and_legal_links(client):
    content = client.get("/").content.decode()
    footer = content.split("<footer")[1]
    assert "12 rue de la Coopération" in footer
    assert 'href="tel:0200000000"' in footer
    assert 'href="mailto:contact@cress-normandie.example"' in footer
    for title in ("Mentions légales", "Déclaration d&#x27;accessibilité", "Données personnelles"):
        assert title in footer
    assert "partiellement conforme" in footer


def test_unpublished_legal_page_disappears_from_footer(client):
    organisation = OrganisationSettings.load()
    organisation.legal_notice_page.unpublish()
    assert "Mentions légales" not in client.get("/").content.decode().split("<footer")[1]


def test_404_is_french_and_keeps_the_shell(client):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "Page introuvable" in content
    assert 'lang="fr"' in content
    assert 'id="menu-principal-liste"' in content


def test_500_page_renders_without_a_request():
    content = render_to_string("500.html")
    assert "Le site rencontre un problème" in content
    assert 'lang="fr"' in content


def test_robots_and_sitemap(client):
    robots = client.get("/robots.txt")
    assert robots["Content-Type"].startswith("text/plain")
    assert "Disallow: /admin/" in robots.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in robots.content.decode()

    sitemap = client.get("/sitemap.xml").content.decode()
    assert PITCH_URL in sitemap
    assert "/mentions-legales/" in sitemap


def test_favicon_redirects_to_a_static_file(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].startswith("/static/img/favicon")


@pytest.mark.parametrize("url", ["/", PITCH_URL, "/a-propos/", "/contact/", "/recherche/?q=ess"])
def test_no_asset_or_link_loads_from_another_host(client, url):
    html = parse(client.get(url))
    for tag, attrs in html.tags:
        for attribute in ("src", "srcset"):
            if attribute in attrs:
                assert not re.search(r"(^|\s|,)(https?:)?//", attrs[attribute]), (tag, attrs)
        if tag == "link" and attrs.get("rel") in ("stylesheet", "icon", "preload"):
            assert not re.match(r"(https?:)?//", attrs["href"]), attrs


def test_each_page_has_one_canonical_link(client):
    """The agenda's archives name their own address, not the agenda's."""
    for url in ("/agenda/", "/agenda/archives/", PITCH_URL):
        html = client.get(url).content.decode()
        canonicals = re.findall(r'<link rel="canonical" href="([^"]+)">', html)
        assert len(canonicals) == 1, (url, canonicals)
        assert canonicals[0].endswith(url)
