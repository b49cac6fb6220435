"""What the « Votre commune » box finds: a commune by its name or its postal code.

`find(text)` answers a `Lookup`: the communes found (one: the page redirects to its portrait;
several: homonyms, or a postal code shared by several communes, to choose from), or the
territories with a portrait whose name matches when no commune does, or a French message
saying why nothing was searched or found. Nothing here queries the database beyond the
gazetteer's cached indexes.
"""

import re
from dataclasses import dataclass, field

from territories.gazetteer import commune_index, fold_name, portrait_places

MAX_LENGTH = 80
MIN_PREFIX = 3  # letters typed before names starting with them are offered
MAX_MATCHES = 30
POSTCODE = re.compile(r"\d{5}")
DIGITS = re.compile(r"[\d\s]+")


@dataclass
class Lookup:
    query: str
    communes: list = field(default_factory=list)
    places: list = field(default_factory=list)
    message: str = ""
    truncated: bool = False  # more than MAX_MATCHES found

    @property
    def single(self):
        """The only commune found, if exactly one and no territory."""
        if len(self.communes) == 1 and not self.places:
            return self.communes[0]
        return None


def find(text):
    """The `Lookup` of what was typed in the box (`text`, as received)."""
    query = (text or "").strip()
    if not query:
        return Lookup(query, message="Indiquez le nom ou le code postal de votre commune.")
    if len(query) > MAX_LENGTH:
        return Lookup(
            query[:MAX_LENGTH],
            message=f"Ce texte est trop long ({len(query)} caractères) : indiquez le nom ou "
            f"le code postal d'une commune, en {MAX_LENGTH} caractères au plus.",
        )
    index = commune_index()
    if DIGITS.fullmatch(query):
        postcode = re.sub(r"\s", "", query)
        if not POSTCODE.fullmatch(postcode):
            return Lookup(query, message="Un code postal compte 5 chiffres, par exemple 14000.")
        communes = index.by_postcode.get(postcode, [])
        if not communes:
            return Lookup(
                query,
                message=f"Aucune commune de Normandie n'a le code postal {postcode}. "
                "Vérifiez-le, ou indiquez le nom de la commune.",
            )
        return Lookup(query, communes=list(communes))
    folded = fold_name(query)
    if not folded or folded.isdigit():
        return Lookup(
            query,
            message="Indiquez le nom d'une commune (par exemple Saint-Lô) ou son code postal "
            "(5 chiffres).",
        )
    communes = list(index.by_name.get(folded, []))
    if not communes and len(folded.replace(" ", "")) >= MIN_PREFIX:
        communes = [
            commune
            for name, found in sorted(index.by_name.items())
            if name.startswith(folded + " ") or (len(folded) >= 4 and name.startswith(folded))
            for commune in found
        ]
    places = []
    if not communes:
        places = sorted(
            (
                place
                for place in portrait_places().by_slug.values()
                if place.folded == folded
                or (len(folded) >= MIN_PREFIX and f" {folded}" in f" {place.folded}")
            ),
            key=lambda place: place.folded,
        )
    if not communes and not places:
        return Lookup(
            query,
            message=f"Aucune commune de Normandie ne s'appelle «\u00a0{query}\u00a0». Vérifiez "
            "l'orthographe, ou indiquez son code postal.",
        )
    found = Lookup(query, communes=communes[:MAX_MATCHES], places=places[:MAX_MATCHES])
    found.truncated = len(communes) > MAX_MATCHES or len(places) > MAX_MATCHES
    return found
