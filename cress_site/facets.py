"""Facets on django-filter: the filters of the listings (index pages and site search).

A listing declares its filters as a `FacetFilterSet`, a django-filter `FilterSet` whose filters
are facets: each is bound to one query-string parameter (its name in the set). django-filter
fits the declaring and the cleaning: the set builds a Django form from the declared filters,
and that form cleans the query string, field by field, so that a value a filter does not know
is left out and the others still apply (a territory's slug is cleaned into the territory).
What django-filter does not do, and this module adds:

- facet counts: for each filter, how many items each of its values would give with every
  *other* filter applied (`FacetFilter.counts`), and the options offered, which may depend on
  those counts (the years that have items);
- collections other than querysets: the search narrows and counts its cached hits in memory,
  with the same set, form and facets (search/results.py);
- no query to clean a value: the terms offered and a territory reached by its slug come from
  the shared cache (cress_site.cache), so a filtered page costs a fixed number of queries;
- counts that do not scan the catalogue at each render: a `FacetIndex`, built once per content
  generation, holds for each facet value the set of items that have it as a bitset (a Python
  int, bit i for the i-th item in the listing's default order). Any combination of filters is
  then counted with a few ANDs and popcounts on those ints (a few microseconds at 10,000 items,
  no SQL), and the page of items is read from the set bits. This is the bitmap index of
  faceted search engines (Lucene's, Solr's), written here because the listings are Django
  querysets on the site's own database and no maintained library offers it for them.

Nothing is stored on a filter or a set while it works: `FacetFilterSet.chosen()` returns the
cleaned values, and `FacetFilterSet.facets()` computes the facets from them and returns them.
The listing built from them (chips, query strings, pages) is in cress_site.listing.
"""

import hashlib
from array import array
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Case, Count, F, Q, When
from django.db.models.functions import ExtractYear

import django_filters

from cress_site import cache as content_cache
from cress_site.user_input import parse_int


class OptionField(forms.Field):
    """A query-string value, stripped, cleaned by `clean_value` (None: not a valid value)."""

    def __init__(self, *, clean_value, **kwargs):
        super().__init__(**kwargs)
        self.clean_value = clean_value

    def to_python(self, value):
        if not isinstance(value, str) or not value.strip():
            return None
        cleaned = self.clean_value(value.strip())
        if cleaned is None:
            raise ValidationError("Valeur inconnue.", code="invalid_choice")
        return cleaned


class FacetFilter(django_filters.Filter):
    """A filter that is also a facet: the values offered, and the items each would give.

    Subclasses implement `clean_value(value)` (the cleaned value of a query-string value, None
    when unknown), `filter(collection, cleaned)`, `counts(collection)` (items per query-string
    value) and `options(counts)` (the (value, label) pairs offered).
    """

    # Options without items are left out (the search shows only what its results have).
    hide_empty = False

    def __init__(self, field_name=None, *, label, all_label="Tous", **kwargs):
        super().__init__(field_name, label=label, **kwargs)
        self.all_label = all_label

    @property
    def field(self):
        return OptionField(label=self.label, required=False, clean_value=self.clean_value)

    def clean_value(self, value):
        raise NotImplementedError

    def filter(self, collection, cleaned):
        raise NotImplementedError

    def counts(self, collection):
        raise NotImplementedError

    def options(self, counts):
        raise NotImplementedError

    def members(self, queryset):
        """(pk, query-string value) pairs: each item of `queryset` with each value it is counted
        under by `counts` (a `FacetIndex` is built from them)."""
        raise NotImplementedError

    def indexed(self, cleaned):
        """Whether a `FacetIndex` knows the items of a cleaned value (else they are read from
        `filter`): every value of the facet, unless a subclass says otherwise."""
        return True

    def value_key(self, cleaned):
        """The query-string value of a cleaned value."""
        return str(cleaned)

    def value_label(self, cleaned):
        """How a valid value that is not among the options is named."""
        return self.value_key(cleaned)


class ChoiceFacet(FacetFilter):
    """A filter on a model field with fixed choices (a TextChoices field)."""

    def __init__(self, field_name, *, choices, **kwargs):
        super().__init__(field_name, **kwargs)
        self.choices = list(choices)

    def clean_value(self, value):
        return value if value in dict(self.choices) else None

    def options(self, counts):
        return self.choices

    def filter(self, queryset, value):
        return queryset.filter(**{self.field_name: value})

    def counts(self, queryset):
        rows = queryset.order_by().values(self.field_name).annotate(n=Count("pk"))
        return {row[self.field_name]: row["n"] for row in rows}

    def members(self, queryset):
        return queryset.order_by().values_list("pk", self.field_name)


class TermFacet(FacetFilter):
    """A filter on a many-to-many relation to a taxonomy, chosen by the term's slug."""

    def __init__(self, field_name, *, queryset, **kwargs):
        super().__init__(field_name, **kwargs)
        self.queryset = queryset

    def options(self, counts=None):
        # Taxonomy terms change rarely, and a change starts a new generation of their scope.
        key = hashlib.sha256(str(self.queryset.query).encode()).hexdigest()[:16]
        scope = getattr(self.queryset.model, "cache_scope", content_cache.CONTENT)
        return content_cache.shared(
            f"filter-options:{key}",
            lambda: [(item.slug, str(item)) for item in self.queryset.all()],
            scope=(content_cache.CONTENT, scope),
        )

    def clean_value(self, value):
        return value if value in dict(self.options()) else None

    def filter(self, queryset, value):
        return queryset.filter(**{f"{self.field_name}__slug": value})

    def counts(self, queryset):
        key = f"{self.field_name}__slug"
        rows = (
            queryset.order_by()
            .filter(**{f"{key}__isnull": False})
            .values(key)
            .annotate(n=Count("pk", distinct=True))
        )
        return {row[key]: row["n"] for row in rows}

    def members(self, queryset):
        key = f"{self.field_name}__slug"
        return queryset.order_by().filter(**{f"{key}__isnull": False}).values_list("pk", key)


def whole_region_label(name):
    """The option for a whole region: "Toute la Normandie" ("Toute l'Occitanie")."""
    article = "l'" if name[:1] and name[0].lower() in "aeiouyéèêîïôâ" else "la "
    return f"Toute {article}{name}"


class TerritoryFacet(FacetFilter):
    """A filter on the territory taxonomy: a département also finds what its communes and
    intercommunalités have, the region finds everything located in Normandy.

    `queryset` gives the territories (cress_site.models.Territory). The options offered are the
    region and its départements; any other territory can still be reached by its slug (from a
    link on a detail page), and is cleaned into the territory itself.
    """

    def __init__(self, field_name, *, queryset, **kwargs):
        super().__init__(field_name, **kwargs)
        self.queryset = queryset

    @property
    def kinds(self):
        return self.queryset.model.Kind

    def _offered(self):
        """(slug, label, is the region) of the region and its départements, region first."""
        kinds = self.kinds
        region_first = Case(When(kind=kinds.REGION, then=0), default=1)
        territories = self.queryset.filter(kind__in=[kinds.REGION, kinds.DEPARTEMENT]).order_by(
            region_first, "name"
        )
        return [
            (
                territory.slug,
                whole_region_label(territory.name)
                if territory.kind == kinds.REGION
                else territory.name,
                territory.kind == kinds.REGION,
            )
            for territory in territories
        ]

    def offered(self):
        return content_cache.shared("territory-options", self._offered, scope=content_cache.CONTENT)

    def options(self, counts=None):
        return [(slug, label) for slug, label, _region in self.offered()]

    def clean_value(self, value):
        # A territory is found once per content generation (saving one starts a new one); an
        # unknown slug is looked up each time, and not kept.
        key = hashlib.sha256(value.encode()).hexdigest()[:24]
        return content_cache.shared(
            f"territory:{key}",
            lambda: self.queryset.filter(slug=value).first(),
            scope=content_cache.CONTENT,
        )

    def value_key(self, territory):
        return territory.slug

    def value_label(self, territory):
        return territory.name

    def filter(self, queryset, territory):
        kinds = self.kinds
        prefix = self.field_name
        if territory.kind == kinds.REGION:
            condition = Q(**{f"{prefix}__isnull": False})
        elif territory.kind == kinds.DEPARTEMENT:
            condition = Q(**{prefix: territory}) | Q(**{f"{prefix}__departement": territory})
        elif territory.kind == kinds.EPCI:
            condition = Q(**{prefix: territory}) | Q(**{f"{prefix}__parent": territory})
        else:
            condition = Q(**{prefix: territory})
        return queryset.filter(pk__in=queryset.filter(condition).values("pk"))

    def _located(self, queryset):
        """`queryset`'s located items, annotated with the slug of their département."""
        prefix = self.field_name
        departement_slug = Case(
            When(**{f"{prefix}__kind": self.kinds.DEPARTEMENT}, then=F(f"{prefix}__slug")),
            default=F(f"{prefix}__departement__slug"),
        )
        return (
            queryset.order_by()
            .filter(**{f"{prefix}__isnull": False})
            .annotate(listing_departement=departement_slug)
        )

    def counts(self, queryset):
        """Items per département (through their own territories), and the region's total."""
        located = self._located(queryset)
        rows = located.values("listing_departement").annotate(n=Count("pk", distinct=True))
        counts = {row["listing_departement"]: row["n"] for row in rows}
        regions = self.region_slugs()
        if regions:
            region_total = located.aggregate(n=Count("pk", distinct=True))["n"]
            counts.update(dict.fromkeys(regions, region_total))
        return counts

    def members(self, queryset):
        """Each located item under its département, and under the region offered."""
        regions = self.region_slugs()
        for pk, departement in self._located(queryset).values_list("pk", "listing_departement"):
            if departement:
                yield pk, departement
            for region in regions:
                yield pk, region

    def indexed(self, territory):
        # The region and the départements; another territory (an intercommunalité, a commune
        # reached by a link) is filtered by `filter`.
        return territory.slug in {slug for slug, _label, _region in self.offered()}

    def region_slugs(self):
        """The slugs of the regions offered (their option counts everything located)."""
        return [slug for slug, _label, is_region in self.offered() if is_region]


class YearFacet(FacetFilter):
    """A filter on the year of a date field; the options are the years that have items."""

    def __init__(self, field_name, *, minimum=1900, maximum=2200, **kwargs):
        super().__init__(field_name, **kwargs)
        self.minimum, self.maximum = minimum, maximum

    def clean_value(self, value):
        return parse_int(value, minimum=self.minimum, maximum=self.maximum)

    def options(self, counts):
        return [(year, year) for year in sorted(counts, key=int, reverse=True)]

    def filter(self, queryset, year):
        return queryset.filter(**{f"{self.field_name}__year": year})

    def counts(self, queryset):
        rows = (
            queryset.order_by()
            .annotate(listing_year=ExtractYear(self.field_name))
            .values("listing_year")
            .annotate(n=Count("pk"))
        )
        return {str(row["listing_year"]): row["n"] for row in rows if row["listing_year"]}

    def members(self, queryset):
        return (
            queryset.order_by()
            .annotate(listing_year=ExtractYear(self.field_name))
            .values_list("pk", "listing_year")
        )


class FacetFilterSet(django_filters.FilterSet):
    """A set of facet filters, named after their query-string parameters, in the order shown."""

    def chosen(self):
        """The valid values asked for, cleaned, by parameter; unknown values are left out."""
        form = self.form
        form.is_valid()
        cleaned = getattr(form, "cleaned_data", {})  # none when no query string was given
        return {name: cleaned[name] for name in self.filters if cleaned.get(name) is not None}

    def narrow(self, collection, chosen, *, leave_out=None):
        """`collection` with every chosen value applied (but the `leave_out` filter's)."""
        for name, value in chosen.items():
            if name != leave_out:
                collection = self.filters[name].filter(collection, value)
        return collection

    def params(self, chosen):
        """The query-string values of the chosen values."""
        return {name: self.filters[name].value_key(value) for name, value in chosen.items()}

    def facets(self, base, chosen, total, counts=None):
        """Each filter's options with their counts, every other filter applied to `base`
        (`counts`, {parameter: {value: count}}, when they are known already: see `FacetIndex`).

        A valid value the filter does not offer (a commune reached by a link) is offered too,
        so that the form keeps it and its chip names it; its count, every filter applied, is
        the listing's `total`.
        """
        facets = []
        for name, facet_filter in self.filters.items():
            if counts is not None:
                value_counts = counts[name]
            else:
                value_counts = facet_filter.counts(self.narrow(base, chosen, leave_out=name))
            offered = list(facet_filter.options(value_counts))
            selected = facet_filter.value_key(chosen[name]) if name in chosen else None
            options = [
                FacetOption(value, label, value_counts.get(value, 0), value == selected)
                for value, label in offered
                if not facet_filter.hide_empty or value_counts.get(value) or value == selected
            ]
            if selected is not None and selected not in {value for value, _label in offered}:
                options.append(
                    FacetOption(selected, facet_filter.value_label(chosen[name]), total, True)
                )
            facets.append(Facet(name, facet_filter.label, facet_filter.all_label, options))
        return facets


class FacetIndex:
    """The items of a listing in its default order, and for each facet value the items that
    have it, as a bitset: a Python int whose bit i stands for the i-th item.

    Built from a queryset and a `FacetFilterSet` (one query for the items, one per facet) once
    per content generation and kept in the shared cache: a few dozen ints of N bits and an
    array of N ids. A listing then counts every facet for any combination of filters with
    ANDs and popcounts (`count`), and reads the page it shows by its ids (`page_ids`), with
    no query that reads the whole catalogue.
    """

    def __init__(self, filterset, queryset, ordering):
        ids = list(queryset.order_by(*ordering).values_list("pk", flat=True))
        self.ids = array("q", ids)
        self.all = (1 << len(ids)) - 1
        self.values = {}
        for name, facet_filter in filterset.filters.items():
            positions = {}
            for pk, value in facet_filter.members(queryset):
                if value is not None:
                    positions.setdefault(str(value), []).append(pk)
            self.values[name] = {value: self.bits_of(pks) for value, pks in positions.items()}

    def __getstate__(self):
        state = dict(self.__dict__)
        state.pop("_positions", None)  # rebuilt from the ids when needed
        return state

    @property
    def positions(self):
        """Item id → bit."""
        if "_positions" not in self.__dict__:
            self._positions = {pk: i for i, pk in enumerate(self.ids)}
        return self._positions

    def bits_of(self, ids):
        """The bitset of the items `ids` (ids the index does not hold are left out)."""
        positions = self.positions
        buffer = bytearray((len(self.ids) + 7) // 8)
        for pk in ids:
            i = positions.get(pk)
            if i is not None:
                buffer[i >> 3] |= 1 << (i & 7)
        return int.from_bytes(buffer, "little")

    def value_bits(self, name, value):
        """The items with the query-string value `value` of the facet `name`."""
        return self.values[name].get(value, 0)

    def count(self, chosen_bits, within):
        """({parameter: {value: count}}, total, items) for the items of `within` (a bitset)
        with the chosen values' bitsets applied (`chosen_bits`, by parameter): each facet
        counted with every other filter applied, as `FacetFilterSet.facets` does."""
        counts = {}
        for name, values in self.values.items():
            mask = within
            for other, bits in chosen_bits.items():
                if other != name:
                    mask &= bits
            counts[name] = {}
            for value, bits in values.items():
                count = (mask & bits).bit_count()
                if count:  # as SQL counts them: the values that have items
                    counts[name][value] = count
        items = within
        for bits in chosen_bits.values():
            items &= bits
        return counts, items.bit_count(), items

    def page_ids(self, items, offset, limit, reverse=False):
        """The ids of `items` (a bitset) from `offset`, `limit` of them, in the index's order
        (or the reverse order)."""
        found = []
        skip = offset
        data = items.to_bytes((len(self.ids) + 7) // 8, "little")
        byte_indexes = range(len(data) - 1, -1, -1) if reverse else range(len(data))
        bits = (7, 6, 5, 4, 3, 2, 1, 0) if reverse else (0, 1, 2, 3, 4, 5, 6, 7)
        for byte_index in byte_indexes:
            byte = data[byte_index]
            if not byte:
                continue
            ones = byte.bit_count()
            if skip >= ones:
                skip -= ones
                continue
            for bit in bits:
                if byte >> bit & 1:
                    if skip:
                        skip -= 1
                        continue
                    found.append(self.ids[byte_index * 8 + bit])
                    if len(found) == limit:
                        return found
        return found


@dataclass
class FacetOption:
    value: str
    label: str
    count: int = 0
    selected: bool = False


@dataclass
class Facet:
    """One filter as shown: its parameter, its labels and its options with their counts."""

    param: str
    label: str
    all_label: str
    options: list
