"""The social and solidarity economy of a territory in figures, from the directory.

Only what the directory shows is counted: the active establishments (`active=True`) of the
units the public may see (`enterprise__is_public=True`), located in a département of Normandy,
so that a figure and the directory filtered on it (`directory.links.directory_url`) agree.
Establishments are counted by their unit's family, by their own sector (their NAF section) and
by their own size band; creations by the year the establishment was created
(`Establishment.created_on`: an establishment opened in the territory, whatever the age of its
unit, which may be older and elsewhere), among those still active.

Every territory's figures come from the same few GROUP BY queries over the whole region
(`read_breakdown`, five queries), added up once for each place and kept in the shared cache
for the directory's generation (an import or a correction starts a new one): a portrait then
costs no query for its figures, whatever the number of establishments.
"""

import dataclasses
import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count
from django.db.models.functions import ExtractYear

from cress_site import cache as content_cache
from directory.choices import Family, Sector, SizeBand
from directory.links import directory_url
from directory.models import DIRECTORY, Establishment
from publications.charts import NBSP, format_number

YEARS = 10  # creations: this year and the nine before
EMPLOYMENT_NOTE = (
    "Établissements employeurs : ceux qui déclarent au moins un salarié. Salariés : "
    "estimation d'après les tranches d'effectif des établissements (du bas au haut de chaque "
    "tranche)."
)

# INSEE's size bands as (fewest, most) employees; "NN" (not an employer or unknown) has none.
BAND_EMPLOYEES = {
    SizeBand.ZERO: (0, 0),
    SizeBand.FROM_1: (1, 2),
    SizeBand.FROM_3: (3, 5),
    SizeBand.FROM_6: (6, 9),
    SizeBand.FROM_10: (10, 19),
    SizeBand.FROM_20: (20, 49),
    SizeBand.FROM_50: (50, 99),
    SizeBand.FROM_100: (100, 199),
    SizeBand.FROM_200: (200, 249),
    SizeBand.FROM_250: (250, 499),
    SizeBand.FROM_500: (500, 999),
    SizeBand.FROM_1000: (1000, 1999),
    SizeBand.FROM_2000: (2000, 4999),
    SizeBand.FROM_5000: (5000, 9999),
    SizeBand.FROM_10000: (10000, 10000),
}
NOT_EMPLOYERS = {SizeBand.NONE, SizeBand.ZERO}


def counted_establishments():
    """The establishments the portraits count (see the module's docstring)."""
    return Establishment.objects.filter(
        enterprise__is_public=True, active=True, departement__isnull=False
    )


REGION_KEY = ("region", None)


def area_key(place):
    """The key of `place`'s counts in a `Breakdown`."""
    if place.is_region:
        return REGION_KEY
    return (place.kind, place.pk)


@dataclass
class AreaCounts:
    """The counts of one place (a portrait's territory, its département or the region)."""

    place: object = None
    total: int = 0
    units: int = 0
    employers: int = 0
    employees_low: int = 0
    employees_high: int = 0
    by_family: Counter = field(default_factory=Counter)
    by_sector: Counter = field(default_factory=Counter)
    by_band: Counter = field(default_factory=Counter)
    by_year: Counter = field(default_factory=Counter)
    # employer establishments and the employees' range, by ("famille", family) and by
    # ("secteur", sector)
    employers_by: Counter = field(default_factory=Counter)
    employees_low_by: Counter = field(default_factory=Counter)
    employees_high_by: Counter = field(default_factory=Counter)

    def add(self, family, sector, band, n):
        low, high = BAND_EMPLOYEES.get(band, (0, 0))
        employer = band not in NOT_EMPLOYERS
        self.total += n
        self.by_family[family] += n
        self.by_sector[sector] += n
        self.by_band[band] += n
        self.employers += n if employer else 0
        self.employees_low += low * n
        self.employees_high += high * n
        for key in (("famille", family), ("secteur", sector)):
            self.employers_by[key] += n if employer else 0
            self.employees_low_by[key] += low * n
            self.employees_high_by[key] += high * n


@dataclass(frozen=True)
class Breakdown:
    """The counts of the region, of each département and of each EPCI (`area_key`), as the
    directory is now: read once per directory generation."""

    areas: dict

    def counts(self, place):
        """A copy of `place`'s counts (empty ones if it has none), naming it."""
        found = self.areas.get(area_key(place))
        return dataclasses.replace(found, place=place) if found else AreaCounts(place)


def _keys(departement_id, epci_id):
    keys = [REGION_KEY, ("departement", departement_id)]
    if epci_id is not None:
        keys.append(("epci", epci_id))
    return keys


def read_breakdown():
    """The `Breakdown` of the directory as it is now: five GROUP BY queries, added up for each
    place in Python (their rows are a few per EPCI, family, sector and size band, whatever the
    number of establishments)."""
    establishments = counted_establishments().order_by()
    rows = establishments.values_list(
        "departement_id", "epci_id", "enterprise__family", "sector", "size_band"
    ).annotate(n=Count("pk"))
    years = (
        establishments.filter(created_on__isnull=False)
        .annotate(year=ExtractYear("created_on"))
        .values_list("departement_id", "epci_id", "year")
        .annotate(n=Count("pk"))
    )
    areas = {}
    for departement_id, epci_id, family, sector, band, n in rows:
        for key in _keys(departement_id, epci_id):
            areas.setdefault(key, AreaCounts()).add(family, sector or "", band, n)
    for departement_id, epci_id, year, n in years:
        for key in _keys(departement_id, epci_id):
            areas.setdefault(key, AreaCounts()).by_year[year] += n
    units = Count("enterprise_id", distinct=True)
    by_epci = establishments.filter(epci__isnull=False).values_list("epci_id").annotate(n=units)
    by_departement = establishments.values_list("departement_id").annotate(n=units)
    unit_counts = [(("epci", pk), n) for pk, n in by_epci]
    unit_counts += [(("departement", pk), n) for pk, n in by_departement]
    unit_counts.append((REGION_KEY, establishments.aggregate(n=units)["n"]))
    for key, n in unit_counts:
        if key in areas:
            areas[key].units = n
    return Breakdown(areas)


def breakdown():
    """The current `Breakdown`, from the shared cache (kept per directory generation)."""
    return content_cache.shared("territories:breakdown", read_breakdown, scope=DIRECTORY)


def share(part, whole):
    """`part` of `whole` in per cent, one decimal (None when `whole` is 0)."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def format_share(value):
    return "–" if value is None else f"{format_number(value, 1)}{NBSP}%"


@dataclass(frozen=True)
class Cell:
    count: int
    share: Decimal | None

    @property
    def count_text(self):
        return format_number(self.count)

    @property
    def share_text(self):
        return format_share(self.share)


def employees_range(low, high):
    """An estimated number of employees: "12 à 40", or "12" when the bands say exactly."""
    if low == high:
        return format_number(low)
    return f"{format_number(low)} à {format_number(high)}"


@dataclass(frozen=True)
class Employment:
    """The employer establishments of a row, and their employees' range (estimated from the
    size bands), in the portrait's territory."""

    employers: int
    low: int
    high: int

    @property
    def employees_text(self):
        return employees_range(self.low, self.high)


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    url: str | None  # the directory filtered on the portrait's territory and this row
    cells: tuple  # one `Cell` per area compared
    employment: Employment | None = None  # by family and by sector


@dataclass(frozen=True)
class Table:
    """A breakdown of the establishments, for the chart (first area's counts) and its table."""

    slug: str  # names the chart's element ids
    title: str
    key_label: str  # the heading of the first column
    rows: tuple
    areas: tuple  # the places compared, the portrait's first
    total_label: str = "Total"
    note: str = ""
    shares: bool = True  # whether shares are written (not for years)
    employment: bool = False  # whether the rows have their `Employment`

    @property
    def chart_rows(self):
        return [(row.label, row.cells[0].count) for row in self.rows]


@dataclass(frozen=True)
class Portrait:
    """Everything the portrait shows in figures."""

    place: object
    areas: tuple  # AreaCounts: the place, then its département (for an EPCI), then the region
    tables: tuple
    total_url: str | None

    @property
    def counts(self):
        return self.areas[0]

    @property
    def employees_text(self):
        return employees_range(self.counts.employees_low, self.counts.employees_high)

    @property
    def is_empty(self):
        return not self.counts.total


def _row(place, areas, key, label, counter_name, param, value=None):
    cells = tuple(
        Cell(getattr(area, counter_name)[key], share(getattr(area, counter_name)[key], area.total))
        for area in areas
    )
    params = {"territoire": place.slug}
    if param:
        params[param] = value if value is not None else key
    employment = None
    if counter_name in ("by_family", "by_sector"):
        first, by = areas[0], (param, key)
        employment = Employment(
            first.employers_by[by], first.employees_low_by[by], first.employees_high_by[by]
        )
    return Row(key, label, directory_url(**params), cells, employment)


def build_portrait(place, places, data=None, today=None):
    """The `Portrait` of `place` (a gazetteer `Place`) among `places` (the `Places`)."""
    data = breakdown() if data is None else data
    compared = [place]
    if place.is_epci:
        departement = places.departement_of(place)
        if departement is not None:
            compared.append(departement)
    if not place.is_region and places.region is not None:
        compared.append(places.region)
    areas = tuple(data.counts(area) for area in compared)
    names = tuple(area.place for area in areas)
    families = tuple(
        _row(place, areas, value, label, "by_family", "famille")
        for value, label in Family.choices
        if any(area.by_family[value] for area in areas[:1])
    )
    sectors = sorted(
        (
            _row(place, areas, value, label, "by_sector", "secteur")
            for value, label in Sector.choices
            if areas[0].by_sector[value]
        ),
        key=lambda row: (-row.cells[0].count, row.key),
    )
    if areas[0].by_sector[""]:
        unknown = _row(place, areas, "", "Secteur non renseigné", "by_sector", "secteur")
        sectors.append(dataclasses.replace(unknown, url=None))  # the directory has no such filter
    bands = tuple(
        _row(place, areas, value, label, "by_band", "effectif")
        for value, label in SizeBand.choices
        if areas[0].by_band[value]
    )
    this_year = (today or datetime.date.today()).year
    years = tuple(
        Row(
            str(year),
            str(year),
            None,
            tuple(Cell(area.by_year[year], None) for area in areas),
        )
        for year in range(this_year - YEARS + 1, this_year + 1)
    )
    tables = (
        Table(
            "familles",
            "Établissements par famille de l'ESS",
            "Famille",
            families,
            names,
            note=EMPLOYMENT_NOTE,
            employment=True,
        ),
        Table(
            "secteurs",
            "Établissements par secteur d'activité",
            "Secteur",
            tuple(sectors),
            names,
            note=EMPLOYMENT_NOTE,
            employment=True,
        ),
        Table(
            "effectifs",
            "Établissements par tranche d'effectif salarié",
            "Tranche d'effectif",
            bands,
            names,
            note="Tranches d'effectif salarié des établissements (INSEE) ; « non employeur ou "
            "effectif inconnu » regroupe les établissements sans salarié déclaré.",
        ),
        Table(
            "creations",
            f"Établissements créés par année, de {this_year - YEARS + 1} à {this_year}",
            "Année",
            years,
            names,
            note="Établissements encore en activité, par année de création de l'établissement "
            "(et non de l'entreprise, qui peut être plus ancienne ou située ailleurs).",
            shares=False,
        ),
    )
    return Portrait(place, areas, tables, directory_url(territoire=place.slug))
