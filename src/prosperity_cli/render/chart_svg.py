"""A chart as an SVG document, drawn with matplotlib, for `prosperity report`.

matplotlib comes with the optional `report` extra and is imported only here, inside the
functions. The output is deterministic for a given chart and matplotlib version: no date
in the metadata, and element IDs hashed with a fixed salt per chart (unique per chart, so
several charts can share one HTML page without clashing IDs).
"""

from __future__ import annotations

import io
from types import ModuleType
from typing import Any

from prosperity_cli.chart import Chart, date_extent, tick_label, year_ticks
from prosperity_cli.measure_chart import MeasureChart
from prosperity_cli.render import escape
from prosperity_cli.units import PERCENT, RATIO, format_value

INSTALL_HINT = "pip install 'prosperity-cli[report]'"

#: Inches; shown at 100% width in the HTML report.
SIZE = (7.2, 3.6)
OBSERVED_COLOUR = "#1f4e9c"
PATH_COLOUR = "#6b7280"
PROJECTION_COLOUR = "#d97706"
TARGET_COLOUR = "#15803d"
DEADLINE_COLOUR = "#b91c1c"

STYLE = {
    # Text stays text (smaller, searchable). matplotlib measures it in DejaVu Sans, which it
    # ships; the SVG names that family, and a viewer without it uses its own sans-serif.
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 9.0,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def load_matplotlib() -> ModuleType:
    """matplotlib, or ImportError when the `report` extra is not installed."""
    import matplotlib

    return matplotlib


def literal(text: str) -> str:
    """Text matplotlib shows as written: "$" would otherwise start mathtext, and a control
    character would reach the SVG (and matplotlib's warnings on the terminal) as it is."""
    return escape.terminal(text).replace("$", r"\$")


def axis_label(unit: str) -> str:
    """The value axis's label: the unit, in words for ratios and percentages."""
    if unit == RATIO:
        return "ratio (x:1)"
    if unit == PERCENT:
        return "percent"
    return unit


def render(chart: Chart) -> str:
    """The chart as a standalone SVG document."""
    matplotlib = load_matplotlib()
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    with matplotlib.rc_context({**STYLE, "svg.hashsalt": f"prosperity:{chart.ident}"}):
        figure = Figure(figsize=SIZE, layout="constrained")
        FigureCanvasSVG(figure)
        # Any: matplotlib's stubs type positions as floats, but it takes dates (its own
        # converter turns them into numbers).
        axes: Any = figure.add_subplot()
        _draw(axes, chart)
        first, last = date_extent(chart)
        unit = chart.unit
        axes.set_xlim(first, last)
        ticks = year_ticks(first, last, 12)
        axes.set_xticks(ticks, [str(d.year) for d in ticks])
        axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: tick_label(value, unit)))
        axes.set_ylabel(literal(axis_label(chart.unit)))
        axes.set_title(literal(chart.title), loc="left", fontsize=10, fontweight="bold")
        axes.grid(True, color="#e5e7eb", linewidth=0.6)
        axes.set_axisbelow(True)
        figure.legend(loc="outside lower center", ncols=3, frameon=False, fontsize=8)
        out = io.StringIO()
        figure.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()


#: One colour and marker per region (Okabe and Ito's colour-blind-safe palette); the
#: markers tell the lines apart in grey too.
REGION_STYLES = (
    ("#0072B2", "o"), ("#E69F00", "s"), ("#009E73", "^"), ("#CC79A7", "D"),
    ("#56B4E9", "v"), ("#D55E00", "P"), ("#000000", "X"), ("#F0E442", "*"),
)  # fmt: skip


def render_measure(chart: MeasureChart) -> str:
    """A measure's regions on one axis, each with its own target as a dash-dot line."""
    matplotlib = load_matplotlib()
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    with matplotlib.rc_context({**STYLE, "svg.hashsalt": f"prosperity:measure:{chart.ident}"}):
        figure = Figure(figsize=SIZE, layout="constrained")
        FigureCanvasSVG(figure)
        axes: Any = figure.add_subplot()
        for n, line in enumerate(chart.lines):
            colour, marker = REGION_STYLES[n % len(REGION_STYLES)]
            if line.points:
                axes.plot([p.when for p in line.points], [p.value for p in line.points],
                          color=colour, marker=marker, markersize=5, linewidth=1.3,
                          label=literal(line.label))  # fmt: skip
            if line.target is not None and line.goal is not None:
                goal = f"{line.goal.symbol} {format_value(line.target, chart.unit)}"
                axes.axhline(line.target, color=colour, linewidth=0.9, linestyle="-.",
                             label=literal(f"{line.label} target {goal}"))  # fmt: skip
        first, last = chart.extent
        unit = chart.unit
        axes.set_xlim(first, last)
        ticks = year_ticks(first, last, 12)
        axes.set_xticks(ticks, [str(d.year) for d in ticks])
        axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: tick_label(value, unit)))
        axes.set_ylabel(literal(axis_label(chart.unit)))
        axes.set_title(literal(chart.title), loc="left", fontsize=10, fontweight="bold")
        axes.grid(True, color="#e5e7eb", linewidth=0.6)
        axes.set_axisbelow(True)
        figure.legend(loc="outside lower center", ncols=3, frameon=False, fontsize=8)
        out = io.StringIO()
        figure.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()


def _draw(axes: Any, chart: Chart) -> None:
    if chart.target is not None and chart.goal is not None:
        goal = f"{chart.goal.symbol} {format_value(chart.target, chart.unit)}"
        axes.axhline(
            chart.target,
            color=TARGET_COLOUR,
            linewidth=1,
            linestyle="-.",
            label=literal(f"target {goal}"),
        )
    if chart.deadline is not None:
        axes.axvline(
            chart.deadline,
            color=DEADLINE_COLOUR,
            linewidth=1,
            linestyle=(0, (1, 2)),
            label=f"deadline {chart.deadline}",
        )
    if chart.path:
        axes.plot(
            [p.when for p in chart.path],
            [p.value for p in chart.path],
            color=PATH_COLOUR,
            linewidth=1.2,
            linestyle="--",
            label="straight path from the baseline",
        )
    if chart.projection:
        axes.plot(
            [p.when for p in chart.projection],
            [p.value for p in chart.projection],
            color=PROJECTION_COLOUR,
            linewidth=1.6,
            linestyle=":",
            label="at the observed pace",
        )
    points = chart.observations
    axes.plot(
        [o.when for o in points],
        [o.value for o in points],
        color=OBSERVED_COLOUR,
        linewidth=1.2,
        marker="o",
        markersize=5,
        label="observed",
    )
    provisional = [o for o in points if o.provisional]
    if provisional:
        axes.plot(
            [o.when for o in provisional],
            [o.value for o in provisional],
            linestyle="none",
            marker="o",
            markersize=5,
            markerfacecolor="white",
            markeredgecolor=OBSERVED_COLOUR,
            label="provisional",
        )
