"""Bar charts drawn on the server as inline SVG: the geometry, as plain Python.

`bar_chart()` turns (label, value) rows into a `BarChart`: the size of the viewBox, the axis
ticks and, for each bar, its rectangle, where its label and its value go and the value written
the French way. The template (`publications/blocks/chart_block.html`) only writes these numbers
out. Nothing here knows about Django or Wagtail.

No text can be measured on the server, so the width of a text is estimated character by
character (`char_width()`: the advances of DejaVu Sans, the widest of the system fonts the
site's font stack falls on). A label too long for its room is shortened with an ellipsis; the
full label stays in the bar's <title>, in the chart's <desc> and in the data table.

All coordinates are in SVG user units; the SVG scales to the width of its container.

`geometry` lays the chart out, `numbers` writes the values and the scale, `text` estimates
widths; everything is importable from `publications.charts`.
"""

from .geometry import *  # noqa: F403
from .numbers import *  # noqa: F403
from .text import *  # noqa: F403
