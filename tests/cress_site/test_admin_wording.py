"""The admin's French wording: counts agree with their number."""

from django.template.loader import render_to_string

from wagtail.models import Page, Site

import pytest

from tests.cress_site.test_dashboard import dashboard, superuser, text  # noqa: F401

# ruff: noqa: F811

pytestmark = pytest.mark.django_db


def test_the_site_summary_counts_pages_in_lower_case_with_the_right_agreement(client, superuser):
    content = text(dashboard(client, superuser))
    site = Site.objects.get(is_default_site=True)
    total = Page.objects.descendant_of(site.root_page, inclusive=True).count()
    assert total > 1
    assert f"{total} pages créées dans {site.site_name}" in content
    assert "Pages crées" not in content


def test_one_page_is_counted_in_the_singular():
    html = render_to_string(
        "wagtailadmin/home/site_summary_pages.html",
        {"total_pages": 1, "site_name": "CRESS Normandie", "root_page": Page.objects.first()},
    )
    assert "1 page créée dans CRESS Normandie" in text(html)
