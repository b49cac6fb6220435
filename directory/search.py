"""Enterprises in the site search (a section of it: cress_site.searchable, registered by
`DirectoryConfig.ready()`): public units only, by SIREN, name or acronym."""

from wagtail.search.utils import parse_query_string

from cress_site.listing import MAX_QUERY_LENGTH
from cress_site.searchable import SectionResult, register_search_section
from directory.links import directory_url, enterprise_url
from directory.models import Enterprise, matching_enterprises
from directory.scopes import DIRECTORY


def find_enterprises(query, limit=10):
    """Up to `limit` public units that `query` names (a SIREN, or words of their name or
    acronym, as the directory's own search: directory.models.matching_enterprises), by name."""
    query = " ".join((query or "").split())[:MAX_QUERY_LENGTH]
    if not query or limit <= 0:
        return []
    _filters, parsed = parse_query_string(query)
    found = matching_enterprises(Enterprise.objects.public(), parsed)
    return list(found.order_by("name", "pk")[:limit])


def enterprise_results(query, limit):
    """`find_enterprises` as a section of the site search (cress_site.searchable): each unit
    with its family and SIREN, linked to its page."""
    return [
        SectionResult(
            title=unit.name,
            url=url,
            label="Entreprise de l'ESS",
            description=f"{unit.get_family_display()} · SIREN {unit.siren_display}",
        )
        for unit in find_enterprises(query, limit)
        if (url := enterprise_url(unit))
    ]


def register():
    """Put the directory's units in the site search, "Voir tout" leading to the directory
    searched for the same words."""
    register_search_section(
        "entreprises",
        label="Entreprises de l'ESS",
        find=enterprise_results,
        scope=DIRECTORY,
        order=10,
        more_url=lambda query: directory_url(q=query),
    )
