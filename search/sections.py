"""The results of the search's sections: what is not a page (cress_site.searchable,
`register_search_section`), found by each section's own function.

A section's results for a query are kept in the "search" cache for the current generation of
the section's scopes and of `CONTENT` (the addresses its results link to), with its "Voir tout"
address: the same words searched again, by anyone, cost no query until what the section shows
changes. A registration (the places left) leaves a section that does not follow them cached.
"""

import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings

from cress_site import cache as content_cache
from cress_site.searchable import SectionResult, search_sections

logger = logging.getLogger(__name__)

# On the search page: the first results of each section, above the pages.
PAGE_LIMIT = 5
# In the header's suggestions: a few per section, after the pages.
SUGGESTION_LIMIT = 2


@dataclass(frozen=True)
class SectionResults:
    """A section's results for a query, as shown."""

    key: str
    label: str
    results: tuple  # of SectionResult
    more_url: str | None = None


def _scopes(section):
    scopes = content_cache.resolve(section.scope)
    return content_cache.resolve((content_cache.CONTENT, *scopes))


def _cache_key(section, query, limit):
    # Sections match without regard to case, as the search does: "ESS" is "ess" searched again.
    words = " ".join(query.casefold().split())
    digest = hashlib.sha256(words.encode()).hexdigest()
    return f"search-section:{section.key}:{limit}:{digest}"


def _found(section, query, limit):
    """What the section's functions give, checked: (results, more url); None when they fail
    (not kept: the next search asks again)."""
    try:
        results = tuple(result for result in section.find(query, limit) or () if _shown(result))[
            :limit
        ]
        more_url = section.more_url(query) if section.more_url and results else None
    except Exception:
        logger.exception("The search section %s failed for a query", section.key)
        return None
    return results, more_url or None


def _shown(result):
    return isinstance(result, SectionResult) and result.title and result.url


def find_in_sections(query, limit):
    """Each registered section's results for `query` (at most `limit` each), the sections
    without any left out, in the sections' order."""
    found = []
    for section in search_sections():
        results, more_url = content_cache.shared(
            _cache_key(section, query, limit),
            lambda section=section: _found(section, query, limit),
            timeout=settings.SEARCH_CACHE_SECONDS,
            cache_alias="search",
            scope=_scopes(section),
        ) or ((), None)
        if results:
            found.append(SectionResults(section.key, section.label, results, more_url))
    return found
