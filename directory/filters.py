"""The directory's filters: the shared facets (cress_site.facets) on enterprises, and a
territory facet that goes through their active establishments.

An enterprise is in a territory when one of its active establishments is: the region (any
located establishment), a département, an intercommunalité or a commune (the establishment's
`departement`, `epci` and `commune`, copied from its commune at import). The select offers the
region and, grouped by département, each département and its intercommunalités, all counted by
the `FacetIndex`; a commune is reached by its slug from a link (an establishment's address on
an enterprise's page, a portrait) and filtered by SQL once per content generation, as the
site's own `TerritoryFacet` does for what it does not offer.

The module imports no model of its own app (directory.models builds its filter set from it):
the establishments are given to the facet as a queryset.
"""

import re

from django.db.models import Case, Count, IntegerField, When

from cress_site import cache as content_cache
from cress_site.facets import TerritoryFacet, whole_region_label

SIREN = re.compile(r"[0-9]{9}")


def siren_query(text):
    """The SIREN `text` stands for ("123456789", "123 456 789"), else None."""
    compact = re.sub(r"[\s.\u00a0\u202f]", "", text)
    return compact if SIREN.fullmatch(compact) else None


class EstablishmentTerritoryFacet(TerritoryFacet):
    """The territory of an enterprise's active establishments (see the module's docstring).

    `establishments`: a function returning the establishments that locate an enterprise (the
    active ones in a commune); `queryset`: the territories.
    """

    def __init__(self, field_name=None, *, queryset, establishments, **kwargs):
        super().__init__(field_name, queryset=queryset, **kwargs)
        self.establishments = establishments

    def _offered(self):
        """(slug, label, is the region, group) of the region, then of each département and its
        intercommunalités (group: the département's name)."""
        kinds = self.kinds
        territories = list(
            self.queryset.filter(kind__in=[kinds.REGION, kinds.DEPARTEMENT, kinds.EPCI])
            .annotate(
                rank=Case(
                    When(kind=kinds.REGION, then=0),
                    When(kind=kinds.DEPARTEMENT, then=1),
                    default=2,
                    output_field=IntegerField(),
                )
            )
            .order_by("rank", "name")
            .values("pk", "slug", "name", "kind", "departement_id", "parent_id")
        )
        departements = {t["pk"]: t for t in territories if t["kind"] == kinds.DEPARTEMENT}
        offered = [
            (t["slug"], whole_region_label(t["name"]), True, "")
            for t in territories
            if t["kind"] == kinds.REGION
        ]
        for departement in departements.values():
            group = departement["name"]
            offered.append((departement["slug"], f"{group} (tout le département)", False, group))
            for epci in territories:
                home = epci["departement_id"] or epci["parent_id"]
                if epci["kind"] == kinds.EPCI and home == departement["pk"]:
                    offered.append((epci["slug"], epci["name"], False, group))
        return offered

    def offered(self):
        return content_cache.shared(
            "directory-territory-options", self._offered, scope=content_cache.CONTENT
        )

    def options(self, counts=None):
        return [(slug, label) for slug, label, _region, _group in self.offered()]

    def groups(self):
        """Slug → the name of the département its option is grouped under ("" for the
        region)."""
        return {slug: group for slug, _label, _region, group in self.offered()}

    def indexed(self, territory):
        return territory.slug in self.groups()

    def region_slugs(self):
        return [slug for slug, _label, is_region, _group in self.offered() if is_region]

    def _establishments_in(self, territory):
        kinds = self.kinds
        establishments = self.establishments()
        if territory.kind == kinds.REGION:
            return establishments
        field = {
            kinds.DEPARTEMENT: "departement",
            kinds.EPCI: "epci",
            kinds.COMMUNE: "commune",
        }[territory.kind]
        return establishments.filter(**{field: territory})

    def filter(self, queryset, territory):
        return queryset.filter(pk__in=self._establishments_in(territory).values("enterprise_id"))

    def _located(self, queryset):
        return self.establishments().filter(enterprise__in=queryset.order_by().values("pk"))

    def counts(self, queryset):
        """Enterprises per département and intercommunalité, and the region's total."""
        located = self._located(queryset)
        counts = {}
        for key in ("departement__slug", "epci__slug"):
            rows = (
                located.filter(**{f"{key}__isnull": False})
                .order_by()
                .values(key)
                .annotate(n=Count("enterprise_id", distinct=True))
            )
            counts.update({row[key]: row["n"] for row in rows})
        regions = self.region_slugs()
        if regions:
            total = located.aggregate(n=Count("enterprise_id", distinct=True))["n"]
            counts.update(dict.fromkeys(regions, total))
        return counts

    def members(self, queryset):
        """Each located enterprise under its départements, intercommunalités and the region."""
        regions = self.region_slugs()
        rows = (
            self._located(queryset)
            .order_by()
            .values_list("enterprise_id", "departement__slug", "epci__slug")
            .distinct()
        )
        seen = set()
        for enterprise_id, departement, epci in rows:
            if departement:
                yield enterprise_id, departement
            if epci:
                yield enterprise_id, epci
            if enterprise_id not in seen:
                seen.add(enterprise_id)
                for region in regions:
                    yield enterprise_id, region
