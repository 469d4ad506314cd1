"""A chart drawn in the terminal with plotext, for `prosperity show`.

plotext comes with the optional `chart` extra and is imported only when a chart is drawn.
Every line has its own glyph, so the chart reads the same without colour (NO_COLOR, pipes).
"""

from __future__ import annotations

import math
from datetime import date
from types import ModuleType
from typing import Any

from prosperity_cli.chart import Chart, Point, date_extent, tick_label, year_ticks
from prosperity_cli.units import format_value

INSTALL_HINT = "pip install 'prosperity-cli[chart]'"
HEIGHT = 16
MAX_WIDTH = 100
MIN_WIDTH = 40

#: (glyph, plotext colour) of each element; the legend shows the same glyphs.
OBSERVED = ("●", "blue")
PROVISIONAL = ("○", "blue")
PATH = ("·", "green")
PROJECTION = ("+", "orange")
TARGET_COLOUR = "green"
DEADLINE_COLOUR = "red"
SEPARATOR = "   "


def load_plotext() -> ModuleType:
    """plotext, or ImportError when the `chart` extra is not installed."""
    import importlib

    return importlib.import_module("plotext")


def _day(when: date) -> str:
    return when.isoformat()


def value_extent(values: list[float]) -> tuple[float, float]:
    """The drawn values widened by 8% of their span on each side (a flat series by 5%)."""
    low, high = min(values), max(values)
    margin = (high - low) * 0.08 or abs(high) * 0.05 or 1.0
    return low - margin, high + margin


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """At most about `count` round values (1, 2, 2.5 or 5 times a power of ten) within low..high."""
    if high <= low:
        return [low]
    raw = (high - low) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.ceil(low / step) * step
    ticks = []
    value = first
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10) + 0.0)
        value += step
    return ticks


def _signal(
    figure: Any, plotext: ModuleType, points: tuple[Point, ...], style: tuple[str, str]
) -> Any:
    glyph, colour = style
    xs = [_day(p.when) for p in points]
    return figure.signal(xs, [p.value for p in points], marker=plotext.marker(glyph, colour))


def thinned(points: tuple[Point, ...], most: int) -> tuple[Point, ...]:
    """At most about `most` of `points`, evenly spread, the first and the last kept: a
    terminal has a few dozen columns, and drawing 50,000 points in them took seconds to
    show the same picture. In each run of points dropped, the lowest and the highest are
    kept, so no peak disappears."""
    if len(points) <= most:
        return points
    step = -(-len(points) // (most // 2 or 1))
    kept: list[Point] = []
    for start in range(0, len(points), step):
        run = points[start : start + step]
        low = min(run, key=lambda p: p.value)
        high = max(run, key=lambda p: p.value)
        kept += sorted({low, high}, key=lambda p: p.when)
    if kept[0] != points[0]:
        kept.insert(0, points[0])
    if kept[-1] != points[-1]:
        kept.append(points[-1])
    return tuple(kept)


def render(chart: Chart, width: int, colour: bool) -> str:
    """The chart as text `width` columns wide (ANSI colours when `colour`)."""
    plotext = load_plotext()
    figure = plotext.figure
    figure.clear.all()
    figure.theme("simple")
    figure.date().activate(form="%Y-%m-%d")
    width = max(MIN_WIDTH, min(width, MAX_WIDTH))
    figure.plot_size(width, HEIGHT)

    first, last = date_extent(chart)
    low, high = value_extent(chart.values())
    figure.ruler("x").lim(_day(first), _day(last))
    figure.ruler("y").lim(low, high)
    years = year_ticks(first, last, max(2, width // 12))
    figure.ruler("x").ticks([_day(d) for d in years], [str(d.year) for d in years])
    values = nice_ticks(low, high)
    figure.ruler("y").ticks(values, [tick_label(v, chart.unit) for v in values])

    if chart.target is not None:
        figure.line(chart.target, orientation=0, relative=True, pixel=TARGET_COLOUR)
    if chart.deadline is not None:
        figure.line(_day(chart.deadline), orientation=1, relative=True, pixel=DEADLINE_COLOUR)
    if chart.path:
        figure.draw(_signal(figure, plotext, chart.path, PATH).lines())
    if chart.projection:
        figure.draw(_signal(figure, plotext, chart.projection, PROJECTION).lines())
    for provisional, style in ((False, OBSERVED), (True, PROVISIONAL)):
        points = tuple(
            Point(o.when, o.value) for o in chart.observations if o.provisional is provisional
        )
        if points:
            figure.draw(_signal(figure, plotext, thinned(points, 2 * width), style))
    return str(figure.build().string(colorless=not colour))


def legend(chart: Chart, width: int) -> str:
    """Lines of at most `width` columns naming each glyph drawn: "● observed   · straight
    path from the baseline   ..."; an entry is never split across lines."""
    parts = []
    if any(not o.provisional for o in chart.observations):
        parts.append(f"{OBSERVED[0]} observed")
    if any(o.provisional for o in chart.observations):
        parts.append(f"{PROVISIONAL[0]} provisional")
    if chart.path:
        parts.append(f"{PATH[0]} straight path from the baseline")
    if chart.projection:
        parts.append(f"{PROJECTION[0]} at the observed pace")
    if chart.target is not None and chart.goal is not None:
        parts.append(f"─ target {chart.goal.symbol} {format_value(chart.target, chart.unit)}")
    if chart.deadline is not None:
        parts.append(f"│ deadline {chart.deadline}")
    lines: list[str] = []
    for part in parts:
        if lines and len(lines[-1]) + len(SEPARATOR) + len(part) <= width:
            lines[-1] += SEPARATOR + part
        else:
            lines.append(part)
    return "\n".join(lines)
