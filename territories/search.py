"""Portraits found by a territory's name: a section of the site search (cress_site.searchable,
registered by `TerritoriesConfig.ready()`).

`find_portraits(query, limit)` gives (territory, url) pairs: the region, départements and
intercommunalités whose name matches, then the communes whose name matches, each with the URL
of its intercommunalité's portrait (its département's without one). A territory is a
gazetteer `Place` or `Commune` (territories.gazetteer): `name`, `slug`, `kind`; a commune also
has `portrait_name`. Names match folded (accents, case, hyphens ignored) from the start of one
of their words: « lo » finds « Saint-Lô », « cote » finds « Côte de Nacre ». No query to the
database beyond the gazetteer's cached indexes.
"""

from urllib.parse import urlencode

from cress_site import cache as content_cache
from cress_site.models import Territory
from cress_site.searchable import SectionResult, register_search_section
from territories.gazetteer import commune_index, fold_name, portrait_places
from territories.links import index_url

MIN_LENGTH = 2
MAX_LENGTH = 100


def _matches(folded_name, folded_query):
    return f" {folded_name} ".find(f" {folded_query}") >= 0


def find_portraits(query, limit=5):
    """The portraits matching `query`, best first: (territory, url) pairs, at most `limit`."""
    folded = fold_name((query or "")[:MAX_LENGTH])
    base = index_url()
    if len(folded) < MIN_LENGTH or not base or limit <= 0:
        return []
    places = [
        place for place in portrait_places().by_slug.values() if _matches(place.folded, folded)
    ]
    kinds = {"region": 0, "departement": 1, "epci": 2}
    places.sort(key=lambda p: (p.folded != folded, kinds.get(p.kind, 3), p.folded))
    found = [(place, f"{base}{place.slug}/") for place in places]
    if len(found) < limit:
        communes = sorted(
            (
                commune
                for name, communes in commune_index().by_name.items()
                if _matches(name, folded)
                for commune in communes
                if commune.portrait_slug
            ),
            key=lambda c: (c.folded != folded, c.folded, c.code),
        )
        found += [(commune, f"{base}{commune.portrait_slug}/") for commune in communes]
    return found[:limit]


def portrait_results(query, limit):
    """`find_portraits` as a section of the site search (cress_site.searchable): a commune
    names the portrait that shows it."""
    results = []
    for place, url in find_portraits(query, limit):
        if place.kind == Territory.Kind.COMMUNE:
            label = "Commune"
            description = f"Portrait : {place.portrait_name} · {place.departement_name}"
        else:
            label = place.kind_label
            description = "Portrait de territoire"
        results.append(
            SectionResult(title=place.name, url=url, label=label, description=description)
        )
    return results


def commune_box_url(query):
    """The portraits' index with the words in its commune box: it opens the portrait of the
    commune named, or lists those that match."""
    base = index_url()
    return f"{base}?{urlencode({'commune': query})}" if base else None


def register():
    """Put the portraits in the site search, after the enterprises. They follow the
    territories and the portraits' page: the content's scope."""
    register_search_section(
        "territoires",
        label="Portraits de territoires",
        find=portrait_results,
        scope=content_cache.CONTENT,
        order=20,
        more_url=commune_box_url,
    )
