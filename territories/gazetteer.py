"""The territories a portrait is made for, and the communes the « Votre commune » box finds.

Both are read in one query per content generation (cress_site.cache: a territory saved starts
a new one) and kept in the shared cache:

- `portrait_places()`: the region, the départements and the intercommunalités (EPCI), the
  territories that have a portrait, by slug;
- `commune_index()`: every commune by its folded name and by its postal codes, with the slug
  of the territory whose portrait shows it (its EPCI, else its département).

Names are compared folded (`fold_name`): lower case, without accents, hyphens, apostrophes or
repeated spaces, « St » and « Ste » read as « Saint » and « Sainte »: « saint-lo », « SAINT LÔ »
and « St-Lô » are one name.
"""

import re
import unicodedata
from dataclasses import dataclass

from cress_site import cache as content_cache
from cress_site.models import Territory

Kind = Territory.Kind
PORTRAIT_KINDS = (Kind.REGION, Kind.DEPARTEMENT, Kind.EPCI)

NOT_A_LETTER = re.compile(r"[^a-z0-9]+")
ABBREVIATIONS = {"st": "saint", "ste": "sainte"}


def fold_name(text):
    """`text` as names are compared: « Saint-Lô » → "saint lo", « St Lo » → "saint lo"."""
    text = (text or "").lower().replace("œ", "oe").replace("æ", "ae")
    text = "".join(
        char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char)
    )
    words = NOT_A_LETTER.sub(" ", text).split()
    return " ".join(ABBREVIATIONS.get(word, word) for word in words)


@dataclass(frozen=True)
class Place:
    """A territory with a portrait (region, département, EPCI), as pages need it."""

    pk: int
    slug: str
    name: str
    kind: str
    code: str
    departement_id: int | None  # an EPCI's; None for the region and a département
    folded: str

    @property
    def kind_label(self):
        return Kind(self.kind).label

    @property
    def is_region(self):
        return self.kind == Kind.REGION

    @property
    def is_departement(self):
        return self.kind == Kind.DEPARTEMENT

    @property
    def is_epci(self):
        return self.kind == Kind.EPCI

    def __str__(self):
        return self.name


@dataclass(frozen=True)
class Commune:
    """A commune, with the place whose portrait shows it."""

    pk: int
    slug: str
    name: str
    code: str
    postcodes: tuple[str, ...]
    portrait_slug: str | None  # its EPCI's, else its département's
    portrait_name: str
    departement_name: str

    kind = Kind.COMMUNE

    @property
    def folded(self):
        return fold_name(self.name)

    def __str__(self):
        return self.name


@dataclass(frozen=True)
class Places:
    by_slug: dict
    by_pk: dict

    @property
    def region(self):
        return next((place for place in self.by_slug.values() if place.is_region), None)

    @property
    def departements(self):
        return sorted(
            (place for place in self.by_slug.values() if place.is_departement),
            key=lambda place: place.folded,
        )

    def epcis_of(self, departement):
        return sorted(
            (
                place
                for place in self.by_slug.values()
                if place.is_epci and place.departement_id == departement.pk
            ),
            key=lambda place: place.folded,
        )

    def departement_of(self, place):
        """The département a place is compared with: its own (itself for a département)."""
        if place.is_departement:
            return place
        return self.by_pk.get(place.departement_id)


def _read_places():
    rows = Territory.objects.filter(kind__in=PORTRAIT_KINDS).values_list(
        "pk", "slug", "name", "kind", "code", "departement_id"
    )
    places = [
        Place(pk, slug, name, kind, code, departement_id, fold_name(name))
        for pk, slug, name, kind, code, departement_id in rows
    ]
    return Places(
        by_slug={place.slug: place for place in places},
        by_pk={place.pk: place for place in places},
    )


def portrait_places():
    """The `Places` with a portrait (one query per content generation)."""
    return content_cache.shared("territories:places", _read_places, scope=content_cache.CONTENT)


@dataclass(frozen=True)
class CommuneIndex:
    by_name: dict  # folded name -> [Commune]
    by_postcode: dict  # "14000" -> [Commune]
    by_slug: dict  # slug -> Commune


def _read_communes():
    rows = (
        Territory.objects.filter(kind=Kind.COMMUNE)
        .order_by("name", "code")
        .values_list(
            "pk",
            "slug",
            "name",
            "code",
            "postcodes",
            "parent__kind",
            "parent__slug",
            "parent__name",
            "departement__slug",
            "departement__name",
        )
    )
    by_name, by_postcode, by_slug = {}, {}, {}
    for row in rows:
        pk, slug, name, code, postcodes, parent_kind, parent_slug, parent_name = row[:8]
        dep_slug, dep_name = row[8:]
        if parent_kind == Kind.EPCI:
            portrait, portrait_name = parent_slug, parent_name
        else:
            portrait, portrait_name = dep_slug, dep_name or ""
        codes = tuple(
            code.strip() for code in (postcodes or "").split(",") if code.strip().isdigit()
        )
        commune = Commune(pk, slug, name, code, codes, portrait, portrait_name, dep_name or "")
        by_name.setdefault(fold_name(name), []).append(commune)
        for postcode in codes:
            by_postcode.setdefault(postcode, []).append(commune)
        by_slug[slug] = commune
    return CommuneIndex(by_name, by_postcode, by_slug)


def commune_index():
    """The `CommuneIndex` (one query per content generation)."""
    return content_cache.shared("territories:communes", _read_communes, scope=content_cache.CONTENT)
