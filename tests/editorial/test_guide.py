"""The contributor's guide: in the admin menu of every role, its pictures all there, closed to
visitors who are not logged in."""

import itertools
import re
from html.parser import HTMLParser
from pathlib import Path

from django.contrib.staticfiles import finders
from django.test import Client

import pytest

pytestmark = pytest.mark.django_db

GUIDE_URL = "/admin/guide/"
GUIDE_TITLE = "Guide du contributeur"
# Short enough for the admin's 200 px menu, which cuts longer labels with an ellipsis.
GUIDE_MENU_LABEL = "Guide du site"
PICTURES_URL = "/static/editorial/guide/"
PICTURES_DIR = Path(__file__).resolve().parents[2] / "editorial" / "static" / "editorial" / "guide"
BROWSER_TEST = Path(__file__).resolve().parents[1] / "browser" / "test_editorial_flow.py"


class GuideParser(HTMLParser):
    """The guide's pictures, headings and table of contents, from the admin page's HTML."""

    def __init__(self):
        super().__init__()
        self.images = []
        self.headings = []
        self.ids = set()
        self.toc_links = []
        self._in_toc = False
        self._heading = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "img" and attrs.get("src", "").startswith(PICTURES_URL):
            self.images.append(attrs)
        if tag == "nav" and attrs.get("aria-label") == "Sommaire du guide":
            self._in_toc = True
        if tag == "a" and self._in_toc:
            self.toc_links.append(attrs.get("href", ""))
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = [int(tag[1]), ""]

    def handle_endtag(self, tag):
        if tag == "nav":
            self._in_toc = False
        if self._heading and tag == f"h{self._heading[0]}":
            self.headings.append((self._heading[0], " ".join(self._heading[1].split())))
            self._heading = None

    def handle_data(self, data):
        if self._heading:
            self._heading[1] += data


def read_guide(client):
    response = client.get(GUIDE_URL)
    assert response.status_code == 200
    parser = GuideParser()
    parser.feed(response.content.decode())
    return response, parser


@pytest.fixture
def editor_guide(editor_client):
    return read_guide(editor_client)


@pytest.mark.parametrize("role", ["editor_client", "moderator_client", "administrator_client"])
def test_every_role_finds_the_guide_in_the_admin_menu(role, request):
    client = request.getfixturevalue(role)
    dashboard = client.get("/admin/")
    assert dashboard.status_code == 200
    # The sidebar is drawn by JavaScript from this JSON: the item's label and address.
    assert f'"label": "{GUIDE_MENU_LABEL}"' in dashboard.content.decode()
    assert f'"url": "{GUIDE_URL}"' in dashboard.content.decode()
    _response, parser = read_guide(client)
    assert (1, GUIDE_TITLE) in parser.headings


def test_the_guide_walks_through_each_task(editor_guide):
    response, parser = editor_guide
    assert '<html lang="fr"' in response.content.decode()
    sections = [text for level, text in parser.headings if level == 2]
    for task in (
        "les rôles",
        "Publier une étude avec son PDF",
        "Relecture et validation",
        "Annoncer un événement avec inscriptions",
        "Une réunion qui revient chaque mois",
        "Présenter un projet accompagné",
        "Recommander une page dans la recherche",
    ):
        assert any(task in section for section in sections), (task, sections)
    content = response.content.decode()
    for label in (
        "Document principal (PDF)",
        "Observatoire",
        "Soumettre à Relecture et publication",
        "Inscriptions sur le site",
        "Liste d'attente",
        "Répétition",
        "Nombre de fois",
        "Exceptions à la série",
        "Forme juridique",
        "Terme(s)/phrase de recherche",
        "Demander des modifications",
    ):
        assert label.replace("'", "&#x27;") in content or label in content, label


def test_headings_follow_each_other_and_the_contents_lead_to_them(editor_guide):
    _response, parser = editor_guide
    levels = [level for level, _text in parser.headings]
    guide_levels = levels[levels.index(1) :]
    assert guide_levels.count(1) == 1
    # No level skipped on the way down (h2 then h3, never h2 then h4).
    assert all(b <= a + 1 for a, b in itertools.pairwise(guide_levels))
    assert parser.toc_links, "le sommaire n'a aucun lien"
    for href in parser.toc_links:
        assert href.startswith("#") and href[1:] in parser.ids, href


def test_every_picture_of_the_guide_exists_and_is_described(editor_guide):
    _response, parser = editor_guide
    assert len(parser.images) >= 10
    names = []
    for image in parser.images:
        name = image["src"].removeprefix(PICTURES_URL)
        names.append(name)
        assert (PICTURES_DIR / name).is_file(), name
        # Found by the static files finders: collected for production.
        assert finders.find(f"editorial/guide/{name}"), name
        assert len(image.get("alt", "").strip()) > 40, f"{name} : texte alternatif trop court"
    assert len(set(names)) == len(names), "une image est montrée deux fois"
    # Every picture in the folder is shown, and taken by the browser test (which rewrites them).
    assert sorted(path.name for path in PICTURES_DIR.glob("*.png")) == sorted(names)
    browser_test = BROWSER_TEST.read_text()
    for name in names:
        assert f'"{name}"' in browser_test, f"{name} n'est pas prise par {BROWSER_TEST.name}"


def test_visitors_who_are_not_logged_in_are_sent_to_the_login_page():
    response = Client().get(GUIDE_URL)
    assert response.status_code == 302
    assert response["Location"] == f"/admin/login/?next={GUIDE_URL}"


def test_the_guide_says_a_draft_is_saved_before_the_editor_types(editor_guide):
    """Wagtail 8 autosaves the form: the page exists as a draft ("Brouillon") as soon as the
    form opens, and nothing is public until it is published."""
    response, _parser = editor_guide
    content = response.content.decode()
    note = re.search(
        r'<div class="guide__note" id="publication-brouillon-automatique">(.*?)</div>',
        content,
        re.S,
    )
    assert note, "la note sur le brouillon automatique manque"
    text = " ".join(re.sub(r"<[^>]+>", " ", note.group(1)).split()).replace("&#x27;", "'")
    assert "enregistre automatiquement" in text
    assert "avant même que vous ayez tapé" in text
    assert "Brouillon" in text
    assert "Rien n'est publié" in text
