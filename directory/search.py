"""Enterprises for the site search (the integrator plugs `find_enterprises` into its
registry): public units only, by SIREN, name or acronym."""

from wagtail.search.utils import parse_query_string

from cress_site.listing import MAX_QUERY_LENGTH
from directory.models import Enterprise, matching_enterprises


def find_enterprises(query, limit=10):
    """Up to `limit` public units that `query` names (a SIREN, or words of their name or
    acronym, as the directory's own search: directory.models.matching_enterprises), by name."""
    query = " ".join((query or "").split())[:MAX_QUERY_LENGTH]
    if not query or limit <= 0:
        return []
    _filters, parsed = parse_query_string(query)
    found = matching_enterprises(Enterprise.objects.public(), parsed)
    return list(found.order_by("name", "pk")[:limit])
