"""Helpers for the tests of listings (cress_site.listing)."""


def summary(listing):
    """What a visitor sees of a listing: the total, each facet's options, the items and the
    active filters; two listings with the same summary look the same."""
    return (
        listing.total,
        [
            (facet.param, [(o.value, o.count, o.selected) for o in facet.options])
            for facet in listing.facets
        ],
        [item.pk for item in listing.items],
        [(active.param, active.value_label) for active in listing.active],
    )
