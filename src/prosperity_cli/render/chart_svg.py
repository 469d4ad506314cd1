"""A chart as an SVG document, drawn with matplotlib, for `prosperity report`.

matplotlib comes with the optional `report` extra and is imported only here, inside the
functions. The output is deterministic for a given chart and matplotlib version: no date
in the metadata, and element IDs hashed with a fixed salt per chart (unique per chart, so
several charts can share one HTML page without clashing IDs).
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Sequence
from datetime import date
from types import ModuleType
from typing import Any

from prosperity_cli.chart import Chart, date_extent, tick_label, year_ticks
from prosperity_cli.measure_chart import MeasureChart
from prosperity_cli.render import escape
from prosperity_cli.units import PERCENT, RATIO, format_value

INSTALL_HINT = "pip install 'prosperity-cli[report]'"

#: Inches; shown at 100% width in the HTML report.
SIZE = (7.2, 3.6)
#: Inches a character of a 9-point value label takes (DejaVu Sans digits, generously);
#: a legend row of 8-point text; entries per legend row.
CHAR_WIDTH = 0.075
LEGEND_ROW = 0.2
LEGEND_COLUMNS = 3
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
    return render_all([chart])[0]


def render_all(charts: Sequence[Chart]) -> list[str]:
    """Each chart as SVG, in one style context: entering one copies matplotlib's whole
    settings, which for a report of 100 charts cost more than a chart."""
    matplotlib = load_matplotlib()
    with matplotlib.rc_context(STYLE):
        return [
            _svg(c.ident, c.title, c.unit, date_extent(c), functools.partial(_draw, chart=c))
            for c in charts
        ]


def _svg(
    salt: str,
    title: str,
    unit: str,
    extent: tuple[date, date],
    draw: Callable[[Any], None],
) -> str:
    """One chart: `draw` puts the series on the axes; the frame, ticks, title and legend
    are the same for every chart.

    The layout is computed here rather than by matplotlib's constrained layout, which
    draws the whole figure once more before saving it to measure it: that first draw was
    two thirds of a report's time (docs/performance.md). The margins follow from what
    they must hold: the widest value label, and the legend's rows.
    """
    matplotlib = load_matplotlib()
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    # Element IDs hash with this salt: unique per chart, the same on every run. The caller's
    # rc_context restores it.
    matplotlib.rcParams["svg.hashsalt"] = f"prosperity:{salt}"
    figure = Figure(figsize=SIZE)
    FigureCanvasSVG(figure)
    # Any: matplotlib's stubs type positions as floats, but it takes dates (its own
    # converter turns them into numbers).
    axes: Any = figure.add_subplot()
    draw(axes)
    first, last = extent
    axes.set_xlim(first, last)
    ticks = year_ticks(first, last, 12)
    axes.set_xticks(ticks, [str(d.year) for d in ticks])
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: tick_label(value, unit)))
    axes.set_ylabel(literal(axis_label(unit)))
    axes.set_title(literal(title), loc="left", fontsize=10, fontweight="bold")
    axes.grid(True, color="#e5e7eb", linewidth=0.6)
    axes.set_axisbelow(True)
    labels = [tick_label(v, unit) for v in axes.get_yticks()]
    entries = len(axes.get_legend_handles_labels()[1])
    rows = -(-entries // LEGEND_COLUMNS)
    width, height = SIZE
    left = (0.5 + CHAR_WIDTH * max((len(t) for t in labels), default=1)) / width
    bottom = (0.35 + LEGEND_ROW * rows) / height
    figure.subplots_adjust(left=left, right=0.98, top=1 - 0.32 / height, bottom=bottom)
    figure.legend(loc="lower center", bbox_to_anchor=(0.5, 0.01), ncols=LEGEND_COLUMNS,
                  frameon=False, fontsize=8)  # fmt: skip
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

    def draw(axes: Any) -> None:
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

    with load_matplotlib().rc_context(STYLE):
        return _svg(f"measure:{chart.ident}", chart.title, chart.unit, chart.extent, draw)


def _draw(axes: Any, *, chart: Chart) -> None:
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
