"""`status` as Rich tables: one per plan, then tracked indicators, then a summary line.

Readable at 80 columns and without colour: every cell says in words what colour adds.
"""

from __future__ import annotations

from rich import box
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from prosperity_cli.assessment import Assessment
from prosperity_cli.progress import Status, TargetFigures
from prosperity_cli.render import escape
from prosperity_cli.render.cells import indicator_cells, percent, summary_line, target_cells
from prosperity_cli.tracked import IndicatorFigures

STATUS_STYLE = {
    Status.ACHIEVED: "bold green",
    Status.ON_TRACK: "green",
    Status.MODERATE: "yellow",
    Status.INSUFFICIENT: "dark_orange",
    Status.MOVING_AWAY: "bold red",
    Status.PENDING: "cyan",
    Status.MISSED: "red",
    Status.INSUFFICIENT_DATA: "dim",
    Status.NO_BASELINE: "dim",
    Status.NO_DATA: "dim",
}
BAR_WIDTH = 6


def progress_bar(share: float | None) -> Text:
    """A small bar and a percentage: "████▌    40%"; clipped to the bar, not the number."""
    if share is None:
        return Text("—", style="dim")
    filled = max(0.0, min(1.0, share)) * BAR_WIDTH
    full = int(filled)
    half = "▌" if filled - full >= 0.5 and full < BAR_WIDTH else ""
    bar = ("█" * full + half).ljust(BAR_WIDTH, "·")
    return Text.assemble((bar, "green" if share >= 1 else "blue"), f" {percent(share)}")


def _two_lines(first: str | Text, second: str, style: str = "dim") -> Text:
    """`first` over `second`; registry text in either is shown literally (escape.rich)."""
    text = first.copy() if isinstance(first, Text) else escape.rich(first)
    if second:
        text.append("\n")
        text.append(escape.rich(second, style))
    return text


FRESHNESS_STYLE = {"stale": "bold red", "overdue": "yellow"}


def _latest(value: str, period: str, freshness: str) -> Text:
    """Value over period; a late series gets a word, not only a colour: "2024 stale"."""
    text = _two_lines(value, period)
    if freshness:
        text.append(f" {freshness}", style=FRESHNESS_STYLE[freshness])
    return text


def _table(title: str) -> Table:
    """The look every status table shares: a bold title, a rule under the header, no frame."""
    return Table(
        title=escape.rich(title),
        title_justify="left",
        title_style="bold",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        padding=(0, 1),
        collapse_padding=True,
    )


#: Below this width the tables cannot hold their columns: one block per target instead.
STACKED_BELOW = 80


def _name_cell(name: str, region: str, ident: str) -> Text:
    """Name, region and ID. The ID sits under the name rather than in a column of its own:
    a column of IDs crowded the deadline off tables of every width (Rich crops what
    cannot wrap when the columns' minimums exceed the terminal)."""
    text = _two_lines(name, region)
    text.append("\n")
    text.append(escape.rich(ident, "dim italic"))
    return text


def _plan_table(assessment: Assessment, plan_id: str) -> Table:
    table = _table(assessment.registry.plans[plan_id].title)
    table.add_column("Target", overflow="fold", min_width=10)
    table.add_column("Latest", overflow="fold", min_width=7)
    table.add_column("Goal", overflow="fold", min_width=7)
    table.add_column("Progress", no_wrap=True)
    table.add_column("Gap", justify="right", overflow="fold")
    table.add_column("Status", overflow="fold", min_width=9)
    table.add_column("Deadline", min_width=10, overflow="fold")
    for figures in assessment.targets:
        if figures.target.plan != plan_id:
            continue
        cells = target_cells(assessment, figures)
        style = STATUS_STYLE[cells.status]
        status = Text(cells.status.label, style=style)
        if cells.pace != "—":
            status.append(f"\npace {cells.pace}", style="dim")
            if cells.momentum:
                status.append(f", {cells.momentum}", style=MOMENTUM_STYLE[cells.momentum])
        if cells.outlook:
            status.append(f"\n{cells.outlook}", style="dim")
        ident = figures.target.id
        table.add_row(
            _name_cell(cells.name, cells.region, ident),
            _latest(cells.latest, cells.latest_period, cells.freshness),
            escape.rich(cells.goal),
            _two_lines(progress_bar(cells.progress), cells.trend),
            escape.rich(cells.gap),
            status,
            _two_lines(cells.deadline, cells.when),
        )
    return table


def _tracked_table(assessment: Assessment) -> Table:
    table = _table("Tracked indicators (no target yet)")
    table.add_column("Indicator", overflow="fold", min_width=12)
    table.add_column("Latest", overflow="fold")
    table.add_column("Previous", overflow="fold")
    table.add_column("Change", justify="right", overflow="fold")
    classed = any(figures.desired is not None for figures in assessment.tracked)
    if classed:
        table.add_column("Trend", overflow="fold", min_width=9)
    for figures in assessment.tracked:
        cells = indicator_cells(assessment, figures)
        ident = figures.indicator_id
        row = [
            _name_cell(cells.name, cells.region, ident),
            _latest(cells.latest, cells.latest_period, cells.freshness),
            escape.rich(cells.previous),
            _two_lines(cells.change, cells.trend),
        ]
        if classed:
            row.append(_trend_cell(cells.klass, cells.momentum))
        table.add_row(*row)
    return table


#: The colour of Eurostat's class of a tracked indicator (the words always say it too).
CLASS_STYLE = {
    "significant progress": "green",
    "moderate progress": "yellow",
    "moderate movement away": "dark_orange",
    "significant movement away": "bold red",
    "insufficient data": "dim",
}
MOMENTUM_STYLE = {"slowing": "dark_orange", "accelerating": "green"}


def _trend_cell(klass: str, drift: str) -> Text:
    text = Text(klass or "—", style=CLASS_STYLE.get(klass, "dim"))
    if drift:
        text.append(f"\n{drift}", style=MOMENTUM_STYLE[drift])
    return text


def _stacked_target(assessment: Assessment, figures: TargetFigures) -> Text:
    """One target as a block of short lines, for terminals too narrow for the table."""
    cells = target_cells(assessment, figures)
    text = escape.rich(cells.name, "bold")
    if cells.region:
        text.append(escape.rich(f" — {cells.region}"))
    text.append(escape.rich(f"\n  {figures.target.id}", "dim italic"))
    latest = f"{cells.latest} ({cells.latest_period})" if cells.latest_period else cells.latest
    if cells.freshness:
        latest += f", {cells.freshness}"
    text.append(escape.rich(f"\n  latest {latest}"))
    text.append(escape.rich(f"\n  goal {cells.goal} by {cells.deadline} ({cells.when})"))
    text.append("\n  ")
    text.append(escape.rich(cells.status.label, STATUS_STYLE[cells.status]))
    said = [f"progress {cells.progress_text}", f"gap {cells.gap}"]
    if cells.pace != "—":
        said.append(f"pace {cells.pace}" + (f", {cells.momentum}" if cells.momentum else ""))
    if cells.outlook:
        said.append(cells.outlook)
    text.append(escape.rich(" · " + " · ".join(said)))
    return text


def _stacked_indicator(assessment: Assessment, figures: IndicatorFigures) -> Text:
    cells = indicator_cells(assessment, figures)
    text = escape.rich(cells.name, "bold")
    if cells.region:
        text.append(escape.rich(f" — {cells.region}"))
    text.append(escape.rich(f"\n  {figures.indicator_id}", "dim italic"))
    latest = f"{cells.latest} ({cells.latest_period})" if cells.latest_period else cells.latest
    if cells.freshness:
        latest += f", {cells.freshness}"
    text.append(escape.rich(f"\n  latest {latest}"))
    text.append(escape.rich(f"\n  previous {cells.previous} · change {cells.change}"))
    if cells.klass:
        trend = cells.klass + (f", {cells.momentum}" if cells.momentum else "")
        text.append(escape.rich(f"\n  trend {trend}"))
    return text


def _stacked(assessment: Assessment) -> list[RenderableType]:
    parts: list[RenderableType] = []
    registry = assessment.registry
    for plan_id in dict.fromkeys(f.target.plan for f in assessment.targets):
        parts.append(escape.rich(registry.plans[plan_id].title, "bold underline"))
        parts += [
            _stacked_target(assessment, figures)
            for figures in assessment.targets
            if figures.target.plan == plan_id
        ]
        parts.append(Text(""))
    if assessment.tracked:
        parts.append(Text("Tracked indicators (no target yet)", style="bold underline"))
        parts += [_stacked_indicator(assessment, figures) for figures in assessment.tracked]
        parts.append(Text(""))
    return parts


def renderable(assessment: Assessment, width: int = 80) -> RenderableType:
    """Every plan's table, the tracked indicators and a summary; below STACKED_BELOW
    columns, one block of lines per target instead of tables that cannot hold."""
    parts: list[RenderableType] = []
    if width < STACKED_BELOW:
        parts += _stacked(assessment)
    else:
        plans_shown = dict.fromkeys(f.target.plan for f in assessment.targets)
        for plan_id in plans_shown:
            parts.append(_plan_table(assessment, plan_id))
        if assessment.tracked:
            parts.append(_tracked_table(assessment))
    counts = assessment.counts()
    summary = Text(f"As of {assessment.as_of}: {summary_line(counts)}", style="bold")
    if counts[Status.NO_DATA]:
        summary.append(
            f"\n{counts[Status.NO_DATA]} with no observation yet: the registry holds no value "
            "for them (add one with `prosperity add-observation`).",
            style="none",
        )
    parts.append(summary)
    return Group(*parts)


def write(assessment: Assessment, console: Console) -> None:
    console.print(renderable(assessment, console.width))
