"""The registrations list never cuts a word: status words stay whole, an address wraps only
after its "@" or before a dot of its domain, and the action buttons wrap instead of
overflowing."""

import re

from django.contrib.staticfiles import finders

import pytest

from tests.events.test_admin import INDEX_URL, add, admin, event, occurrence, superuser  # noqa: F401

# ruff: noqa: F811

pytestmark = pytest.mark.django_db

STYLESHEET = "events/admin/registrations.css"


def rules(css, selector):
    """The declarations of the rules whose selector list holds `selector`."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    return " ".join(
        body
        for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", css)
        if selector in [part.strip() for part in selectors.split(",")]
    )


def test_the_list_loads_its_stylesheet(admin, occurrence):
    add(occurrence, "Alice Martin")
    html = admin.get(INDEX_URL).content.decode()
    assert f'href="/static/{STYLESHEET}' in html


def test_the_stylesheet_keeps_words_whole_and_buttons_inside_their_cell():
    path = finders.find(STYLESHEET)
    assert path
    with open(path, encoding="utf-8") as file:
        css = file.read()
    assert "word-break: normal" in rules(css, ".listing td.title")
    assert "overflow-wrap: normal" in rules(css, ".listing td.title")
    assert "white-space: nowrap" in rules(css, ".listing td.field-status")
    assert "flex-wrap: wrap" in rules(css, ".listing td.field-name .actions")
    assert "white-space: nowrap" in rules(css, ".listing td.field-name .actions .button")


def test_an_address_may_wrap_only_after_its_at_sign_and_before_a_dot(admin, occurrence):
    add(occurrence, "Alice Martin", email="alice.martin@mairie.caen.example")
    html = admin.get(INDEX_URL).content.decode()
    cell = re.search(r'<td class="field-email_address[^"]*">(.*?)</td>', html, re.S).group(1)
    assert cell == "alice.martin@<wbr>mairie<wbr>.caen<wbr>.example"
