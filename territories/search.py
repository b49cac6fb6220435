"""Portraits found by a territory's name, for the site search (wired by the search app).

`find_portraits(query, limit)` gives (territory, url) pairs: the region, départements and
intercommunalités whose name matches, then the communes whose name matches, each with the URL
of its intercommunalité's portrait (its département's without one). A territory is a
gazetteer `Place` or `Commune` (territories.gazetteer): `name`, `slug`, `kind`; a commune also
has `portrait_name`. Names match folded (accents, case, hyphens ignored) from the start of one
of their words: « lo » finds « Saint-Lô », « cote » finds « Côte de Nacre ». No query to the
database beyond the gazetteer's cached indexes.
"""

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
