"""The report's charts as SVG: what a target's, an indicator's and a measure's chart show.

Until 0.1 the report drew its charts with matplotlib; importing it alone took longer than
a whole report of the bundled registry takes now (docs/performance.md), and a line chart
needs none of its generality. Each chart here is a list of layers, in the colours and line
styles matplotlib drew; render/svg_plot.py lays them out and writes the SVG. Every
observation's marker has a tooltip with its period and value.
"""

from __future__ import annotations

from prosperity_cli.chart import Chart, ObservedPoint, date_extent
from prosperity_cli.measure_chart import MeasureChart
from prosperity_cli.render.svg_plot import (
    DASH_DOT,
    DASHED,
    DOTTED,
    FINE_DOTS,
    Dot,
    Layer,
    Marker,
    Stroke,
    plot,
)
from prosperity_cli.units import format_value

OBSERVED_COLOUR = "#1f4e9c"
PATH_COLOUR = "#6b7280"
PROJECTION_COLOUR = "#d97706"
TARGET_COLOUR = "#15803d"
DEADLINE_COLOUR = "#b91c1c"

# --- the two kinds of chart ----------------------------------------------------------------


def render(chart: Chart) -> str:
    """A target's or indicator's chart as a standalone SVG document."""
    return plot(chart.title, chart.unit, date_extent(chart), _layers(chart))


def _tip(point: ObservedPoint, unit: str, prefix: str = "") -> str:
    provisional = " (provisional)" if point.provisional else ""
    return f"{prefix}{point.period}: {format_value(point.value, unit)}{provisional}"


def _layers(chart: Chart) -> list[Layer]:
    layers = []
    if chart.target is not None and chart.goal is not None:
        goal = f"{chart.goal.symbol} {format_value(chart.target, chart.unit)}"
        stroke = Stroke(TARGET_COLOUR, 1.0, DASH_DOT)
        layers.append(Layer(f"target {goal}", stroke, level=chart.target))
    if chart.deadline is not None:
        stroke = Stroke(DEADLINE_COLOUR, 1.0, FINE_DOTS)
        layers.append(Layer(f"deadline {chart.deadline}", stroke, day=chart.deadline))
    for points, label, stroke in (
        (chart.path, "straight path from the baseline", Stroke(PATH_COLOUR, 1.2, DASHED)),
        (chart.projection, "at the observed pace", Stroke(PROJECTION_COLOUR, 1.6, DOTTED)),
    ):
        if points:
            layers.append(
                Layer(label, stroke, dots=tuple(Dot(p.when, p.value, "") for p in points))
            )
    unit = chart.unit
    observed = tuple(Dot(o.when, o.value, _tip(o, unit)) for o in chart.observations)
    marker = Marker("o", OBSERVED_COLOUR)
    layers.append(Layer("observed", Stroke(OBSERVED_COLOUR, 1.2), marker, observed))
    provisional = tuple(
        Dot(o.when, o.value, _tip(o, unit)) for o in chart.observations if o.provisional
    )
    if provisional:
        hollow = Marker("o", OBSERVED_COLOUR, fill="#ffffff")
        layers.append(Layer("provisional", None, hollow, provisional))
    return layers


#: One colour and marker per region (Okabe and Ito's colour-blind-safe palette); the
#: markers tell the lines apart in grey too.
REGION_STYLES = (
    ("#0072B2", "o"), ("#E69F00", "s"), ("#009E73", "^"), ("#CC79A7", "D"),
    ("#56B4E9", "v"), ("#D55E00", "P"), ("#000000", "X"), ("#F0E442", "*"),
)  # fmt: skip


def render_measure(chart: MeasureChart) -> str:
    """A measure's regions on one axis, each with its own target as a dash-dot line."""
    layers = []
    for n, line in enumerate(chart.lines):
        colour, shape = REGION_STYLES[n % len(REGION_STYLES)]
        if line.points:
            dots = tuple(
                Dot(p.when, p.value, _tip(p, chart.unit, f"{line.label}, ")) for p in line.points
            )
            layers.append(Layer(line.label, Stroke(colour, 1.3), Marker(shape, colour), dots))
        if line.target is not None and line.goal is not None:
            goal = f"{line.goal.symbol} {format_value(line.target, chart.unit)}"
            stroke = Stroke(colour, 0.9, DASH_DOT)
            layers.append(Layer(f"{line.label} target {goal}", stroke, level=line.target))
    return plot(chart.title, chart.unit, chart.extent, layers)
