"""The admin in French for the communications staff, down to the login form's labels and the
title of a taxonomy's create page."""

import re

from django.test import Client

import pytest

pytestmark = pytest.mark.django_db


def label_of(html, field_id):
    match = re.search(rf'<label[^>]*for="{field_id}"[^>]*>(.*?)</label>', html, re.S)
    assert match, field_id
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split()).rstrip("*").strip()


def test_the_login_form_labels_its_fields_in_french():
    html = Client().get("/admin/login/").content.decode()
    assert label_of(html, "id_password") == "Mot de passe"
    assert label_of(html, "id_username") == "Nom d’utilisateur"
    assert "Password" not in html


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("/admin/snippets/cress_site/territory/add/", "Ajouter un territoire"),
        ("/admin/snippets/cress_site/theme/add/", "Ajouter un thème"),
        ("/admin/snippets/events/audience/add/", "Ajouter un public"),
    ],
)
def test_a_taxonomys_create_page_is_titled_in_french(admin_client, url, title):
    response = admin_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    window_title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert window_title.strip().startswith(f"{title} - ")
    heading = re.search(r'<h2[^>]*id="header-title"[^>]*>(.*?)</h2>', html, re.S).group(1)
    assert " ".join(re.sub(r"<[^>]+>", " ", heading).split()) == title
    # The last breadcrumb, and no "Nouveau: Territoire" or "Nouvel(le) : Territoire" anywhere.
    assert re.search(rf'href="">\s*{re.escape(title)}\s*</a>', html)
    assert "Nouveau:" not in html
    assert "Nouvel(le)" not in html
