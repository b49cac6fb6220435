"""The facets of the listings (cress_site.facets): cleaned values returned, nothing stored."""

from django.http import QueryDict

import pytest

from publications.models import PublicationFilters, PublicationPage

pytestmark = pytest.mark.django_db


def test_chosen_values_are_cleaned_and_unknown_ones_left_out():
    filters = PublicationFilters(
        QueryDict("type=etude&annee=2022&territoire=%20orne%20&theme=inconnu"),
        queryset=PublicationPage.objects.live(),
    )
    chosen = filters.chosen()
    assert set(chosen) == {"type", "annee", "territoire"}
    assert chosen["type"] == "etude" and chosen["annee"] == 2022
    assert chosen["territoire"].slug == "orne"  # the territory itself, from its slug
    assert filters.params(chosen) == {"type": "etude", "annee": "2022", "territoire": "orne"}


def test_filters_keep_nothing_of_what_they_cleaned_or_counted():
    filters = PublicationFilters(
        QueryDict("territoire=orne&annee=2022"), queryset=PublicationPage.objects.live()
    )
    before = {name: dict(vars(f)) for name, f in filters.filters.items()}
    chosen = filters.chosen()
    facets = filters.facets(PublicationPage.objects.live(), chosen, total=1)
    assert {name: dict(vars(f)) for name, f in filters.filters.items()} == before
    years = next(facet for facet in facets if facet.param == "annee")
    # The years offered are the years that have items, with every other filter applied.
    assert [(o.value, o.count, o.selected) for o in years.options] == [("2022", 1, True)]


def test_a_valid_value_not_offered_is_kept_with_the_listing_s_count(client):
    listing = client.get("/observatoire/", {"annee": "1999"}).context["listing"]
    assert listing.total == 0
    years = [(o.value, o.count, o.selected) for o in listing.options["annee"]]
    # The years that have items first, then the one asked for, with the listing's count.
    assert years[-1] == ("1999", 0, True)
    assert years[0] == ("2025", 2, False)
    assert [(a.param, a.value_label) for a in listing.active] == [("annee", "1999")]
