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
  the shared cache (cress_site.cache), so a filtered page costs a fixed number of queries.

Nothing is stored on a filter or a set while it works: `FacetFilterSet.chosen()` returns the
cleaned values, and `FacetFilterSet.facets()` computes the facets from them and returns them.
The listing built from them (chips, query strings, pages) is in cress_site.listing.
"""

import hashlib
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

    def counts(self, queryset):
        """Items per département (through their own territories), and the region's total."""
        prefix = self.field_name
        located = queryset.order_by().filter(**{f"{prefix}__isnull": False})
        departement_slug = Case(
            When(**{f"{prefix}__kind": self.kinds.DEPARTEMENT}, then=F(f"{prefix}__slug")),
            default=F(f"{prefix}__departement__slug"),
        )
        rows = (
            located.annotate(listing_departement=departement_slug)
            .values("listing_departement")
            .annotate(n=Count("pk", distinct=True))
        )
        counts = {row["listing_departement"]: row["n"] for row in rows}
        regions = self.region_slugs()
        if regions:
            region_total = located.aggregate(n=Count("pk", distinct=True))["n"]
            counts.update(dict.fromkeys(regions, region_total))
        return counts

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

    def facets(self, base, chosen, total):
        """Each filter's options with their counts, every other filter applied to `base`.

        A valid value the filter does not offer (a commune reached by a link) is offered too,
        so that the form keeps it and its chip names it; its count, every filter applied, is
        the listing's `total`.
        """
        facets = []
        for name, facet_filter in self.filters.items():
            counts = facet_filter.counts(self.narrow(base, chosen, leave_out=name))
            offered = list(facet_filter.options(counts))
            selected = facet_filter.value_key(chosen[name]) if name in chosen else None
            options = [
                FacetOption(value, label, counts.get(value, 0), value == selected)
                for value, label in offered
                if not facet_filter.hide_empty or counts.get(value) or value == selected
            ]
            if selected is not None and selected not in {value for value, _label in offered}:
                options.append(
                    FacetOption(selected, facet_filter.value_label(chosen[name]), total, True)
                )
            facets.append(Facet(name, facet_filter.label, facet_filter.all_label, options))
        return facets


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
