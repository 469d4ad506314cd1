"""A chart drawn in the terminal with plotext, for `prosperity show`.

plotext comes with the optional `chart` extra and is imported only when a chart is drawn.
Every line has its own glyph, so the chart reads the same without colour (NO_COLOR, pipes).
"""

from __future__ import annotations

from datetime import date
from types import ModuleType
from typing import Any

from prosperity_cli.axis import nice_ticks, tick_labels, value_extent
from prosperity_cli.chart import Chart, Point, date_extent, year_ticks
from prosperity_cli.units import format_value

INSTALL_HINT = "pip install 'prosperity-cli[chart]'"
HEIGHT = 16
MAX_WIDTH = 100
MIN_WIDTH = 40
#: Share of the value range left free above and below the drawn values.
VALUE_MARGIN = 0.08

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
    low, high = value_extent(chart.values(), VALUE_MARGIN)
    figure.ruler("x").lim(_day(first), _day(last))
    figure.ruler("y").lim(low, high)
    years = year_ticks(first, last, max(2, width // 12))
    figure.ruler("x").ticks([_day(d) for d in years], [str(d.year) for d in years])
    values = nice_ticks(low, high)
    figure.ruler("y").ticks(values, tick_labels(values, chart.unit))

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
