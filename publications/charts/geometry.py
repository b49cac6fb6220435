"""The geometry of a bar chart: the viewBox, the ticks and each bar with its label and value."""

import dataclasses
import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from .numbers import (
    MAX_DECIMALS,
    MAX_TICKS,
    MIN_TICKS,
    decimal_places,
    format_number,
    nice_scale,
    tick_label,
    to_decimal,
    with_unit,
)
from .text import (
    FONT_SIZE,
    NARROW_NBSP,
    NBSP,
    number_width,
    text_width,
    tick_width,
    truncate,
)

HORIZONTAL = "horizontal"
VERTICAL = "vertical"

GAP = 8
VALUE_OFFSET = 6  # between the end of a bar and its value
SHORT_UNIT_LENGTH = 3  # "%", "€", "k€", "ETP": written after every number drawn on the chart

# Horizontal bars
ROW_HEIGHT = 36
BAR_THICKNESS = 22
LABEL_SHARE = 0.35  # the labels get at most this share of the width

# Columns
PLOT_HEIGHT = 260
COLUMN_SHARE = 0.6  # the share of its slot a column fills
MAX_COLUMN_WIDTH = 72
MAX_ROTATED_LABEL = 180  # the longest a slanted label may be, in user units

# The compact chart shown instead in narrow containers (phones), text kept legible
COMPACT_WIDTH = 400
MAX_COMPACT_COLUMNS = 12  # more columns than this become horizontal bars when compact

KINDS = {HORIZONTAL: "Graphique en barres horizontales", VERTICAL: "Graphique en colonnes"}


def _round(number):
    """A coordinate rounded to 2 decimals, an int when it is whole (shorter SVG)."""
    number = round(number, 2)
    return int(number) if number == int(number) else number


@dataclass(frozen=True)
class ChartText:
    """A text drawn on the chart, at (x, y) on its baseline."""

    text: str
    x: float
    y: float
    anchor: str = "start"  # SVG text-anchor: start, middle or end
    angle: int = 0  # rotation around (x, y), in degrees (negative: anticlockwise)
    full_text: str = ""  # the whole text, when `text` had to be shortened

    def __post_init__(self):
        object.__setattr__(self, "x", _round(self.x))
        object.__setattr__(self, "y", _round(self.y))
        if not self.full_text:
            object.__setattr__(self, "full_text", self.text)

    @property
    def truncated(self):
        return self.text != self.full_text

    @property
    def transform(self):
        """The SVG transform attribute ("" when the text is level)."""
        return f"rotate({self.angle} {self.x} {self.y})" if self.angle else ""


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float

    def __post_init__(self):
        for name in ("x1", "y1", "x2", "y2"):
            object.__setattr__(self, name, _round(getattr(self, name)))


@dataclass(frozen=True)
class Tick:
    value: Decimal
    label: ChartText | None  # None when it would touch its neighbours' (0 is always labelled)
    gridline: Line


@dataclass(frozen=True)
class Bar:
    label: str  # as typed, never shortened
    value: Decimal
    formatted_value: str  # "12 345,5", without unit (the data table's column says it)
    title: str  # "Calvados : 12 345 emplois", the bar's <title>
    x: float
    y: float
    width: float
    height: float
    label_text: ChartText  # the label as drawn, maybe shortened
    value_text: ChartText  # the value as drawn, with the unit if short

    def __post_init__(self):
        for name in ("x", "y", "width", "height"):
            object.__setattr__(self, name, _round(getattr(self, name)))

    @property
    def negative(self):
        return self.value < 0


@dataclass(frozen=True)
class BarChart:
    orientation: str  # HORIZONTAL or VERTICAL
    width: float
    height: float
    unit: str
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    baseline: Line  # the zero line the bars start from
    axis_title: ChartText | None  # the unit, when too long to follow every number
    description: str  # every label and value in words, for the <desc>
    font_size: int = FONT_SIZE  # tick labels and axis title: one smaller

    @property
    def tick_font_size(self):
        return self.font_size - 1

    @property
    def view_box(self):
        return f"0 0 {_round(self.width)} {_round(self.height)}"


@dataclass(frozen=True)
class _Item:
    label: str
    value: Decimal
    formatted: str
    drawn: str  # the value as drawn on the chart


def bar_chart(
    rows: Iterable[tuple[str, object]],
    *,
    orientation: str = HORIZONTAL,
    width: float = 640,
    unit: str = "",
    font_size: int = FONT_SIZE,
) -> BarChart:
    """The geometry of a bar chart of `rows`, (label, value) pairs in display order.

    Rows whose value is None are left out. Bars start from a zero baseline, to the right (or
    up) for positive values and to the left (or down) for negative ones. `unit` follows each
    number in the description and the bars' titles; on the chart itself, it follows each
    number only when short ("%", "€"), else it is written once as the axis title.
    """
    if orientation not in KINDS:
        raise ValueError(f"Unknown orientation: {orientation!r}")
    unit = (unit or "").strip()
    pairs = [(str(label), to_decimal(value)) for label, value in rows if value is not None]
    decimals = min(MAX_DECIMALS, max((decimal_places(value) for _, value in pairs), default=0))
    short_unit = unit if len(unit) <= SHORT_UNIT_LENGTH else ""
    items = []
    for label, value in pairs:
        formatted = format_number(value, decimals)
        items.append(_Item(label, value, formatted, with_unit(formatted, short_unit)))
    axis_unit = "" if short_unit else unit
    layout = _horizontal if orientation == HORIZONTAL else _vertical
    # when the labels of the ticks would touch: fewer ticks, then "10 M" for 10 000 000
    attempts = [(n, False) for n in range(MAX_TICKS, MIN_TICKS - 1, -1)]
    attempts += [(n, True) for n in range(MAX_TICKS, MIN_TICKS - 1, -1)]
    for max_ticks, abridged in attempts:
        scale = nice_scale((value for _, value in pairs), max_ticks=max_ticks)
        tick_labels = [tick_label(tick, scale, short_unit, abridged) for tick in scale.ticks]
        width_, height, bars, ticks, baseline, axis_title = layout(
            items, scale, tick_labels, axis_unit, width=width, font_size=font_size
        )
        if _ticks_fit(ticks, orientation, font_size):
            break
    else:
        ticks = _thin_tick_labels(ticks, orientation, font_size)
    description = f"{KINDS[orientation]}{NBSP}: " + f"{NARROW_NBSP}; ".join(
        f"{item.label} {with_unit(item.formatted, unit)}" for item in items
    )
    bars = [
        Bar(
            label=item.label,
            value=item.value,
            formatted_value=item.formatted,
            title=f"{item.label}{NBSP}: {with_unit(item.formatted, unit)}",
            **geometry,
        )
        for item, geometry in zip(items, bars, strict=True)
    ]
    return BarChart(
        orientation=orientation,
        width=_round(width_),
        height=_round(height),
        unit=unit,
        bars=tuple(bars),
        ticks=tuple(ticks),
        baseline=baseline,
        axis_title=axis_title,
        description=description + ".",
        font_size=font_size,
    )


def _ticks_fit(ticks, orientation, font_size):
    """Whether the labels of neighbouring ticks stay apart."""
    if orientation == HORIZONTAL:
        room = max(tick_width(tick.label.text, font_size) for tick in ticks)
        return all(b.label.x - a.label.x >= room for a, b in itertools.pairwise(ticks))
    return all(a.label.y - b.label.y >= font_size + 2 for a, b in itertools.pairwise(ticks))


def _thin_tick_labels(ticks, orientation, font_size):
    """The ticks, those whose label would touch the previous one's (from 0 out) unlabelled."""
    if orientation == HORIZONTAL:
        room = max(tick_width(tick.label.text, font_size) for tick in ticks)
        position = [tick.label.x for tick in ticks]
    else:
        room = font_size + 2
        position = [tick.label.y for tick in ticks]
    zero = next(index for index, tick in enumerate(ticks) if tick.value == 0)
    kept = {zero}
    for direction in (1, -1):
        last = position[zero]
        for index in range(zero + direction, len(ticks) if direction > 0 else -1, direction):
            if abs(position[index] - last) >= room:
                kept.add(index)
                last = position[index]
    return [
        tick if index in kept else dataclasses.replace(tick, label=None)
        for index, tick in enumerate(ticks)
    ]


def _horizontal(items, scale, tick_labels, axis_unit, *, width, font_size):
    """Bars from left to right, one under the other, labels on their left."""
    fs = font_size
    negative_room = max((number_width(i.drawn, fs) for i in items if i.value < 0), default=0)
    positive_room = max((number_width(i.drawn, fs) for i in items if i.value >= 0), default=0)
    if negative_room:
        negative_room += VALUE_OFFSET + 2
    right_room = max(positive_room + VALUE_OFFSET + 2, tick_width(tick_labels[-1], fs) / 2 + 2)
    label_room = min(
        max((text_width(i.label, fs) for i in items), default=0),
        width * LABEL_SHARE,
        # never squeeze the bars below 40% of the width
        max(3 * fs, width * 0.6 - GAP - negative_room - right_room),
    )
    left = max(label_room + GAP + negative_room, tick_width(tick_labels[0], fs) / 2 + 2)
    right = width - right_room
    top = GAP / 2
    bottom = top + len(items) * ROW_HEIGHT

    def x_of(value):
        return left + scale.fraction(value) * (right - left)

    zero = x_of(0)
    bars = []
    for index, item in enumerate(items):
        middle = top + (index + 0.5) * ROW_HEIGHT
        text_y = middle + fs * 0.35
        end = x_of(item.value)
        if item.value < 0:
            value_text = ChartText(item.drawn, end - VALUE_OFFSET, text_y, "end")
        else:
            value_text = ChartText(item.drawn, end + VALUE_OFFSET, text_y, "start")
        bars.append(
            {
                "x": min(zero, end),
                "y": middle - BAR_THICKNESS / 2,
                "width": abs(end - zero),
                "height": BAR_THICKNESS,
                "label_text": ChartText(
                    truncate(item.label, label_room, fs),
                    label_room,
                    text_y,
                    "end",
                    full_text=item.label,
                ),
                "value_text": value_text,
            }
        )
    tick_y = bottom + 6 + fs
    ticks = [
        Tick(
            value=tick,
            label=ChartText(label, x_of(tick), tick_y, "middle"),
            gridline=Line(x_of(tick), top, x_of(tick), bottom),
        )
        for tick, label in zip(scale.ticks, tick_labels, strict=True)
    ]
    height = tick_y + 6
    axis_title = None
    if axis_unit:
        axis_title = ChartText(axis_unit, right, tick_y + fs + 6, "end")
        height = axis_title.y + 6
    baseline = Line(zero, top - 2, zero, bottom + 2)
    return width, height, bars, ticks, baseline, axis_title


def _vertical(items, scale, tick_labels, axis_unit, *, width, font_size):
    """Columns side by side, labels under them (slanted, or upright, when they do not fit)."""
    fs = font_size
    count = max(1, len(items))
    left = max(tick_width(label, fs) for label in tick_labels) + GAP
    right = width - 4
    shown = [item.label for item in items]
    label_widths = [text_width(label, fs) for label in shown]
    value_widths = [number_width(item.drawn, fs) for item in items]

    slot = (right - left) / count
    labels_level = max(label_widths, default=0) <= slot - 4
    label_angle = 0
    if not labels_level:
        label_angle = -45 if slot * math.sqrt(0.5) >= fs + 2 else -90
        shown = [truncate(label, MAX_ROTATED_LABEL, fs) for label in shown]
        label_widths = [text_width(label, fs) for label in shown]
    if label_angle == -45:
        # a slanted label runs down to the left of its column: keep the first ones inside
        for _ in range(3):
            needed = max(
                w * math.sqrt(0.5) + 2 - (index + 0.5) * slot
                for index, w in enumerate(label_widths)
            )
            if needed <= left:
                break
            left = needed
            slot = (right - left) / count
    values_level = max(value_widths, default=0) <= slot - 4

    positive = [w for w, item in zip(value_widths, items, strict=True) if item.value >= 0]
    negative = [w for w, item in zip(value_widths, items, strict=True) if item.value < 0]
    if values_level:
        top_room = fs + VALUE_OFFSET + 2
        bottom_room = fs + VALUE_OFFSET + 2 if negative else 0
    else:
        top_room = max(positive, default=0) + VALUE_OFFSET + 2
        bottom_room = max(negative, default=0) + VALUE_OFFSET + 2 if negative else 0
    top_room = max(top_room, fs)  # room for the top tick label

    axis_title = ChartText(axis_unit, 0, fs, "start") if axis_unit else None
    plot_top = (fs + GAP if axis_title else 0) + top_room
    plot_bottom = plot_top + PLOT_HEIGHT
    plot_bottom_room = max(bottom_room, fs / 2)  # room for the bottom tick label

    def y_of(value):
        return plot_bottom - scale.fraction(value) * PLOT_HEIGHT

    zero = y_of(0)
    column = min(slot * COLUMN_SHARE, MAX_COLUMN_WIDTH)
    labels_top = plot_bottom + plot_bottom_room + 6
    bars = []
    for index, item in enumerate(items):
        centre = left + (index + 0.5) * slot
        end = y_of(item.value)
        if values_level and item.value < 0:
            value_text = ChartText(item.drawn, centre, end + VALUE_OFFSET + fs * 0.8, "middle")
        elif values_level:
            value_text = ChartText(item.drawn, centre, end - VALUE_OFFSET, "middle")
        elif item.value < 0:
            value_text = ChartText(item.drawn, centre + fs * 0.35, end + VALUE_OFFSET, "end", -90)
        else:
            value_text = ChartText(item.drawn, centre + fs * 0.35, end - VALUE_OFFSET, "start", -90)
        if labels_level:
            label_text = ChartText(item.label, centre, labels_top + fs * 0.8, "middle")
        elif label_angle == -45:
            label_text = ChartText(
                shown[index], centre + fs * 0.25, labels_top + 2, "end", -45, full_text=item.label
            )
        else:
            label_text = ChartText(
                shown[index], centre + fs * 0.35, labels_top, "end", -90, full_text=item.label
            )
        bars.append(
            {
                "x": centre - column / 2,
                "y": min(zero, end),
                "width": column,
                "height": abs(end - zero),
                "label_text": label_text,
                "value_text": value_text,
            }
        )
    if labels_level:
        labels_height = fs + 4
    elif label_angle == -45:
        labels_height = max(label_widths, default=0) * math.sqrt(0.5) + fs
    else:
        labels_height = max(label_widths, default=0) + 2
    ticks = [
        Tick(
            value=tick,
            label=ChartText(label, left - GAP, y_of(tick) + fs * 0.35, "end"),
            gridline=Line(left, y_of(tick), right, y_of(tick)),
        )
        for tick, label in zip(scale.ticks, tick_labels, strict=True)
    ]
    height = labels_top + labels_height + 6
    baseline = Line(left - 2, zero, right, zero)
    return width, height, bars, ticks, baseline, axis_title
