"""The main menu's short labels: an editor sets one beside "Afficher dans les menus"; the menu
shows it, else the page's title, without a query more than before."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import get_page_models

import pytest

from cress_site.models import MenuLabelMixin
from cress_site.models.pages import MENU_LABEL_MAX_LENGTH
from cress_site.templatetags.site_tags import menu_entries
from home.models import ContentPage, HomePage

pytestmark = pytest.mark.django_db

PITCH_URL = "/collectivites-soutenir-lentrepreneuriat-dess/"


def menu_links(client):
    content = client.get("/").content.decode()
    menu = content.split('id="menu-principal-liste"')[1].split("</ul>")[0]
    return dict(re.findall(r'href="([^"]+)"[^>]*>([^<]+)</a>', menu))


def test_every_page_type_the_home_page_holds_has_a_menu_label():
    children = [
        model
        for model in get_page_models()
        if "home.HomePage"
        in [f"{m._meta.app_label}.{m.__name__}" for m in model.allowed_parent_page_models()]
    ]
    assert children
    for model in children:
        assert issubclass(model, MenuLabelMixin), model
        field = model._meta.get_field("menu_label")
        assert field.blank and field.max_length == MENU_LABEL_MAX_LENGTH


def _field_groups(panel):
    """The field names of each group of panels under `panel`, at every depth."""
    children = getattr(panel, "children", [])
    groups = [[getattr(child, "field_name", None) for child in children]]
    for child in children:
        groups += _field_groups(child)
    return groups


def test_the_label_sits_beside_show_in_menus_in_the_promote_tab():
    promote = next(
        tab for tab in ContentPage.get_edit_handler().children if tab.heading == "Promotion"
    )
    assert ["show_in_menus", "menu_label"] in _field_groups(promote)


def test_the_menu_shows_the_label_else_the_title(client, home_page):
    links = menu_links(client)
    # The demo sets short labels where titles are long…
    assert links[PITCH_URL] == "Collectivités"
    assert links["/a-propos/"] == "À propos"
    # …and none where the title is short.
    assert links["/contact/"] == "Contact"
    assert links["/agenda/"] == "Agenda"


def test_a_new_label_shows_once_published(client, home_page):
    about = ContentPage.objects.get(slug="a-propos")
    menu_links(client)  # cached for the current content generation
    about.menu_label = "La chambre"
    about.save_revision().publish()
    assert menu_links(client)["/a-propos/"] == "La chambre"
    about.menu_label = ""
    about.save_revision().publish()
    assert menu_links(client)["/a-propos/"] == about.title


def test_labels_are_read_in_the_same_query_as_the_menu(rf, home_page):
    site = HomePage.objects.get().get_site()
    request = rf.get("/")
    menu_entries(site, request)  # the view restrictions, read once per request
    with CaptureQueriesContext(connection) as queries:
        entries = menu_entries(site, request)
    assert len(queries) == 1
    assert "Collectivités" in [label for _pk, _path, label, _url in entries]
