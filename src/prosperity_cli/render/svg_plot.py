"""A line plot as an SVG document: the layout and drawing behind the report's charts.

render/chart_svg.py says what a chart shows, as layers (a line, a level, a date, each with
its legend entry); this module lays them out and writes the SVG: title, grid, the layers
in order, axes with their ticks, the legend. It draws what matplotlib drew for 0.1: the
same size (7.2 × 3.6 inches at 100 units an inch), line styles, markers and fonts, with
the layout computed from DejaVu Sans's character widths (render/text_metrics.py). The
output is deterministic, holds no element IDs (several plots share one HTML page) and no
registry text unescaped. Every marker with a tooltip carries it as an SVG <title>.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape as _xml

from prosperity_cli.axis import nice_ticks, tick_labels, value_extent
from prosperity_cli.chart import year_ticks
from prosperity_cli.render import escape, text_metrics
from prosperity_cli.units import PERCENT, RATIO

#: The drawing, in SVG user units (100 an inch); PT is a typographic point in those units.
WIDTH, HEIGHT = 720.0, 360.0
PT = 100 / 72
TICK_SIZE, TITLE_SIZE, LEGEND_SIZE = 9 * PT, 10 * PT, 8 * PT
FONT = "'DejaVu Sans', 'Bitstream Vera Sans', Verdana, sans-serif"
#: Share of the value range left free above and below the drawn values.
VALUE_MARGIN = 0.05
#: At most about this many value ticks, and year ticks.
VALUE_TICKS, YEAR_TICKS = 7, 12
TITLE_LINES = 2
LEGEND_COLUMNS = 3
TICK_LENGTH = 3.5 * PT
PAD = 8.0

GRID_COLOUR = "#e5e7eb"
AXIS_COLOUR = "#1f2937"

#: matplotlib's dash patterns, in multiples of the line's width.
DASH_DOT, DASHED, DOTTED, FINE_DOTS = (6.4, 1.6, 1.0, 1.6), (3.7, 1.6), (1.0, 1.65), (1.0, 2.0)


@dataclass(frozen=True, slots=True)
class Stroke:
    colour: str
    width: float  # points
    dashes: tuple[float, ...] = ()  # multiples of the width; () is a solid line


@dataclass(frozen=True, slots=True)
class Marker:
    shape: str  # one of SHAPES
    colour: str
    fill: str | None = None  # None: filled with `colour`
    size: float = 5.0  # points across


@dataclass(frozen=True, slots=True)
class Dot:
    """A point of a line: where it is, and its tooltip."""

    when: date
    value: float
    tip: str


@dataclass(frozen=True, slots=True)
class Layer:
    """One legend entry: a line through `dots`, or a line across the whole plot at `level`
    (a value) or on `day` (a date)."""

    label: str
    stroke: Stroke | None = None
    marker: Marker | None = None
    dots: tuple[Dot, ...] = ()
    level: float | None = None
    day: date | None = None


# --- layout and drawing --------------------------------------------------------------------


def axis_label(unit: str) -> str:
    """The value axis's label: the unit, in words for ratios and percentages."""
    if unit == RATIO:
        return "ratio (x:1)"
    if unit == PERCENT:
        return "percent"
    return unit


def text(value: str) -> str:
    """Registry text as SVG character data: no control character, no markup, one line."""
    return _xml(escape.line(value), quote=True)


def _n(value: float) -> str:
    """A coordinate, to a hundredth of a unit (a ten-thousandth of an inch)."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


@dataclass(frozen=True, slots=True)
class _Frame:
    """Where the plot sits on the drawing, and how values and dates map onto it."""

    left: float
    right: float
    top: float
    bottom: float
    first: date
    last: date
    low: float
    high: float

    def x(self, when: date) -> float:
        span = (self.last - self.first).days or 1
        return self.left + (when - self.first).days / span * (self.right - self.left)

    def y(self, value: float) -> float:
        return self.bottom - (value - self.low) / (self.high - self.low) * (self.bottom - self.top)


def plot(title: str, unit: str, extent: tuple[date, date], layers: Sequence[Layer]) -> str:
    """The document: title, grid, the layers in order, axes with their ticks, legend.

    OverflowError when the values cannot be laid out (near the largest float)."""
    values = [d.value for layer in layers for d in layer.dots]
    values += [layer.level for layer in layers if layer.level is not None]
    low, high = value_extent(values, VALUE_MARGIN)
    ticks = nice_ticks(low, high, VALUE_TICKS)
    labels = tick_labels(ticks, unit)
    first, last = extent
    years = year_ticks(first, last, YEAR_TICKS)

    label_room = WIDTH * 0.4
    widest = max(text_metrics.width(label, TICK_SIZE) for label in labels)
    left = PAD + TICK_SIZE * 1.4 + PAD + min(widest, label_room) + TICK_LENGTH + 4
    right = WIDTH - 14
    heading = text_metrics.wrap(
        escape.line(title), TITLE_SIZE, right - left, TITLE_LINES, bold=True
    )
    legend = _legend_rows(layers, WIDTH - 2 * PAD)
    top = PAD + len(heading) * TITLE_SIZE * 1.25 + 6
    bottom = HEIGHT - PAD - len(legend) * LEGEND_SIZE * 1.6 - TICK_LENGTH - TICK_SIZE * 1.6
    frame = _Frame(left, right, top, bottom, first, last, low, high)

    out = [
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_n(WIDTH)}" height="{_n(HEIGHT)}" '
        f'viewBox="0 0 {_n(WIDTH)} {_n(HEIGHT)}" font-family="{FONT}">',
        f"<title>{text(title)}</title>",
        f'<rect width="{_n(WIDTH)}" height="{_n(HEIGHT)}" fill="#ffffff"/>',
    ]
    out += _grid(frame, ticks, years)
    for layer in layers:
        out += _layer(frame, layer)
    out += _axes(frame, ticks, labels, years, label_room, unit)
    for n, line in enumerate(heading):
        baseline = PAD + TITLE_SIZE * (1 + 1.25 * n)
        out.append(
            f'<text x="{_n(left)}" y="{_n(baseline)}" font-size="{_n(TITLE_SIZE)}" '
            f'font-weight="bold">{_xml(line)}</text>'
        )
    out += _legend(legend, HEIGHT - PAD - len(legend) * LEGEND_SIZE * 1.6)
    out.append("</svg>\n")
    return "\n".join(out)


def _grid(frame: _Frame, ticks: Sequence[float], years: Sequence[date]) -> list[str]:
    d = [f"M{_n(frame.left)},{_n(frame.y(v))}H{_n(frame.right)}" for v in ticks]
    d += [f"M{_n(frame.x(y))},{_n(frame.top)}V{_n(frame.bottom)}" for y in years]
    return [f'<path d="{"".join(d)}" stroke="{GRID_COLOUR}" stroke-width="{_n(0.6 * PT)}"/>']


def _stroke_attributes(stroke: Stroke) -> str:
    width = stroke.width * PT
    attributes = f'fill="none" stroke="{stroke.colour}" stroke-width="{_n(width)}"'
    if stroke.dashes:
        dashes = ",".join(_n(d * width) for d in stroke.dashes)
        return f'{attributes} stroke-dasharray="{dashes}"'
    return f'{attributes} stroke-linejoin="round" stroke-linecap="round"'


def _layer(frame: _Frame, layer: Layer) -> list[str]:
    out = []
    if layer.stroke is not None:
        if layer.level is not None:
            y = _n(frame.y(layer.level))
            d = f"M{_n(frame.left)},{y}H{_n(frame.right)}"
        elif layer.day is not None:
            x = _n(frame.x(layer.day))
            d = f"M{x},{_n(frame.top)}V{_n(frame.bottom)}"
        else:
            d = "M" + "L".join(f"{_n(frame.x(p.when))},{_n(frame.y(p.value))}" for p in layer.dots)
        out.append(f'<path d="{d}" {_stroke_attributes(layer.stroke)}/>')
    if layer.marker is not None and layer.dots:
        out += _markers(
            layer.marker, [(frame.x(p.when), frame.y(p.value), p.tip) for p in layer.dots]
        )
    return out


def _markers(marker: Marker, at: Sequence[tuple[float, float, str]]) -> list[str]:
    fill = marker.fill or marker.colour
    out = [f'<g fill="{fill}" stroke="{marker.colour}" stroke-width="{_n(PT)}">']
    for x, y, tip in at:
        tag, attributes = _shape(marker, x, y)
        body = f"><title>{text(tip)}</title></{tag}>" if tip else "/>"
        out.append(f"<{tag} {attributes}{body}")
    out.append("</g>")
    return out


#: A plus sign's twelve corners, two units across; "P" draws it, "X" turns it by 45°.
_PLUS = (
    (-1 / 3, -1), (1 / 3, -1), (1 / 3, -1 / 3), (1, -1 / 3), (1, 1 / 3), (1 / 3, 1 / 3),
    (1 / 3, 1), (-1 / 3, 1), (-1 / 3, 1 / 3), (-1, 1 / 3), (-1, -1 / 3), (-1 / 3, -1 / 3),
)  # fmt: skip
_TURN = math.sqrt(0.5) / 2  # a 45° turn and a halving

#: Each marker's outline around (0, 0), about a unit across; "o" is a circle.
SHAPES: dict[str, tuple[tuple[float, float], ...]] = {
    "s": ((-0.42, -0.42), (0.42, -0.42), (0.42, 0.42), (-0.42, 0.42)),
    "^": ((0.0, -0.55), (0.5, 0.35), (-0.5, 0.35)),
    "v": ((0.0, 0.55), (0.5, -0.35), (-0.5, -0.35)),
    "D": ((0.0, -0.5), (0.38, 0.0), (0.0, 0.5), (-0.38, 0.0)),
    "P": tuple((x / 2, y / 2) for x, y in _PLUS),
    "X": tuple(((x - y) * _TURN, (x + y) * _TURN) for x, y in _PLUS),
    "*": tuple(
        (radius * math.sin(math.pi * k / 5), -radius * math.cos(math.pi * k / 5))
        for k, radius in enumerate((0.6, 0.24) * 5)
    ),
}


def _shape(marker: Marker, x: float, y: float) -> tuple[str, str]:
    """The element that draws one marker at (x, y): its tag and attributes."""
    size = marker.size * PT
    if marker.shape == "o":
        return "circle", f'cx="{_n(x)}" cy="{_n(y)}" r="{_n(size / 2)}"'
    corners = "L".join(
        f"{_n(x + dx * size)},{_n(y + dy * size)}" for dx, dy in SHAPES[marker.shape]
    )
    return "path", f'd="M{corners}Z"'


def _axes(
    frame: _Frame,
    ticks: Sequence[float],
    labels: Sequence[str],
    years: Sequence[date],
    label_room: float,
    unit: str,
) -> list[str]:
    left, bottom = frame.left, frame.bottom
    spines = f"M{_n(left)},{_n(frame.top)}V{_n(bottom)}H{_n(frame.right)}"
    marks = [f"M{_n(left)},{_n(frame.y(v))}h{_n(-TICK_LENGTH)}" for v in ticks]
    marks += [f"M{_n(frame.x(y))},{_n(bottom)}v{_n(TICK_LENGTH)}" for y in years]
    out = [
        f'<path d="{spines}" fill="none" stroke="{AXIS_COLOUR}" stroke-width="{_n(0.8 * PT)}"/>',
        f'<path d="{"".join(marks)}" stroke="{AXIS_COLOUR}" stroke-width="{_n(0.8 * PT)}"/>',
        f'<g font-size="{_n(TICK_SIZE)}" fill="{AXIS_COLOUR}">',
    ]
    x = left - TICK_LENGTH - 4
    for value, label in zip(ticks, labels, strict=True):
        shown = text_metrics.truncate(label, TICK_SIZE, label_room)
        y = frame.y(value) + TICK_SIZE * 0.35
        out.append(f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="end">{_xml(shown)}</text>')
    y = bottom + TICK_LENGTH + TICK_SIZE * 1.15
    for year in years:
        out.append(
            f'<text x="{_n(frame.x(year))}" y="{_n(y)}" text-anchor="middle">{year.year}</text>'
        )
    name = text_metrics.truncate(escape.line(axis_label(unit)), TICK_SIZE, bottom - frame.top)
    cx, cy = PAD + TICK_SIZE, (frame.top + bottom) / 2
    out.append(
        f'<text x="{_n(cx)}" y="{_n(cy)}" text-anchor="middle" '
        f'transform="rotate(-90 {_n(cx)} {_n(cy)})">{_xml(name)}</text>'
    )
    out.append("</g>")
    return out


# --- the legend ----------------------------------------------------------------------------

#: A legend entry's sample line and the gap after it, and the gap between columns (em).
SAMPLE, SAMPLE_GAP, COLUMN_GAP = 2.0, 0.8, 2.0


def _legend_rows(layers: Sequence[Layer], room: float) -> list[list[tuple[Layer, str, float]]]:
    """The entries in rows of up to LEGEND_COLUMNS (fewer when they would not fit), each
    with its label (truncated to the room when alone) and the column width it needs."""
    em = LEGEND_SIZE
    entries = [(layer, escape.line(layer.label)) for layer in layers]
    for columns in range(min(LEGEND_COLUMNS, len(entries)), 0, -1):
        widths = _column_widths(entries, columns)
        if sum(widths) + COLUMN_GAP * em * (columns - 1) <= room or columns == 1:
            break
    room_for_text = room - (SAMPLE + SAMPLE_GAP) * em
    rows = []
    for start in range(0, len(entries), columns):
        row = []
        for n, (layer, label) in enumerate(entries[start : start + columns]):
            shown = text_metrics.truncate(label, em, room_for_text)
            row.append((layer, shown, min(widths[n], room)))
        rows.append(row)
    return rows


def _column_widths(entries: Sequence[tuple[Layer, str]], columns: int) -> list[float]:
    em = LEGEND_SIZE
    widths = [0.0] * columns
    for n, (_, label) in enumerate(entries):
        need = (SAMPLE + SAMPLE_GAP) * em + text_metrics.width(label, em)
        widths[n % columns] = max(widths[n % columns], need)
    return widths


def _legend(rows: Sequence[Sequence[tuple[Layer, str, float]]], top: float) -> list[str]:
    if not rows:
        return []
    em = LEGEND_SIZE
    widths = [max(row[n][2] for row in rows if n < len(row)) for n in range(len(rows[0]))]
    total = sum(widths) + COLUMN_GAP * em * (len(widths) - 1)
    out = [f'<g font-size="{_n(em)}" fill="{AXIS_COLOUR}">']
    for r, row in enumerate(rows):
        y = top + em * (1.6 * r + 0.8)
        x = max((WIDTH - total) / 2, PAD)
        for n, (layer, label, _) in enumerate(row):
            out += _sample(layer, x, y)
            tx = x + (SAMPLE + SAMPLE_GAP) * em
            out.append(f'<text x="{_n(tx)}" y="{_n(y + em * 0.35)}">{_xml(label)}</text>')
            x += widths[n] + COLUMN_GAP * em
    out.append("</g>")
    return out


def _sample(layer: Layer, x: float, y: float) -> list[str]:
    """The entry's line (and marker) as drawn on the plot, SAMPLE ems long."""
    length = SAMPLE * LEGEND_SIZE
    out = []
    if layer.stroke is not None:
        d = f"M{_n(x)},{_n(y)}h{_n(length)}"
        out.append(f'<path d="{d}" {_stroke_attributes(layer.stroke)}/>')
    if layer.marker is not None:
        out += _markers(layer.marker, [(x + length / 2, y, "")])
    return out
