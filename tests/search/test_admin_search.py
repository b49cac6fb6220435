"""Searches in the admin's lists, whatever their filters and sort."""

from django.urls import reverse

from wagtail.models import ReferenceIndex

import pytest

from cress_site.factories import ImageFactory

pytestmark = pytest.mark.django_db


def test_images_are_searched_within_the_usage_count_filter(admin_client, home_page):
    used = ImageFactory(title="Forum régional, salle comble")
    unused = ImageFactory(title="Forum régional, salle vide")
    home_page.listing_image = used
    home_page.save_revision().publish()
    ReferenceIndex.create_or_update_for_object(home_page)
    response = admin_client.get(
        reverse("wagtailimages:index"), {"q": "forum", "usage_count_min": "1"}
    )
    assert response.status_code == 200
    listed = set(response.context["page_obj"].object_list)
    assert used in listed and unused not in listed


@pytest.mark.parametrize("url_name", ["wagtailimages:index", "wagtaildocs:index"])
@pytest.mark.parametrize("bounds", [{"usage_count_min": "0"}, {"usage_count_max": "3"}])
def test_searching_images_and_documents_with_a_usage_count_filter(admin_client, url_name, bounds):
    response = admin_client.get(reverse(url_name), {"q": "ess", **bounds})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/admin/snippets/cress_site/territory/",
        "/admin/snippets/cress_site/theme/",
    ],
)
@pytest.mark.parametrize("ordering", ["name", "-name", "code", "slug", "kind"])
def test_taxonomies_found_by_a_search_are_sorted_by_their_columns(admin_client, url, ordering):
    response = admin_client.get(url, {"q": "calvados emploi", "ordering": ordering})
    assert response.status_code == 200
