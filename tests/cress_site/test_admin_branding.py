"""The admin shows the chamber's identity, not Wagtail's, on the login page and in the sidebar."""

import re

import pytest

from tests.cress_site.test_dashboard import dashboard, superuser  # noqa: F401

# ruff: noqa: F811

pytestmark = pytest.mark.django_db

LOGO = "/static/img/logo.svg"


def title(html):
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def test_the_login_page_bears_the_chambers_name_and_logo(client, site):
    html = client.get("/admin/login/").content.decode()
    assert title(html) == "Connexion - CRESS Normandie – administration"
    assert "<h1>Administration du site CRESS Normandie</h1>" in html
    assert f'<img src="{LOGO}"' in html
    assert "Chambre régionale de l&#x27;économie sociale et solidaire de Normandie" in html
    assert "icon-wagtail" not in html  # Wagtail's bird
    assert "Wagtail" not in title(html)
    assert 'href="/static/img/favicon.svg"' in html
    assert 'href="/static/cress_site/admin/login.css"' in html  # the logo centred


def test_the_admin_sidebar_shows_the_chambers_logo(client, superuser):
    html = dashboard(client, superuser)
    assert title(html) == "Tableau de bord - CRESS Normandie – administration"
    branding = re.search(
        r"<template data-wagtail-sidebar-branding-logo>(.*?)</template>", html, re.S
    ).group(1)
    assert f'src="{LOGO}"' in branding
    assert 'alt="CRESS Normandie"' in branding


def test_the_admin_wears_the_chambers_colours(client, superuser, settings):
    """Wagtail's purple gives way to the site's primary teal (#00594f) on every admin screen,
    the login page included."""
    colours = (settings.BASE_DIR / "cress_site/static/cress_site/admin/brand.css").read_text()
    # #00594f in the HSL parts Wagtail computes its primary colour and its darker shade from.
    for declaration in (
        "--w-color-primary-hue: 173.3;",
        "--w-color-primary-saturation: 100%;",
        "--w-color-primary-lightness: 17.5%;",
    ):
        assert declaration in colours
    stylesheet = '<link rel="stylesheet" href="/static/cress_site/admin/brand.css">'
    assert stylesheet in dashboard(client, superuser)
    client.logout()
    assert stylesheet in client.get("/admin/login/").content.decode()
