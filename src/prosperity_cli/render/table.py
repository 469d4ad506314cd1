"""`status` as Rich tables: one per plan, then tracked indicators, then a summary line.

Readable at 80 columns and without colour: every cell says in words what colour adds.
"""

from __future__ import annotations

from rich import box
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from prosperity_cli.assessment import Assessment
from prosperity_cli.progress import Status
from prosperity_cli.render import escape
from prosperity_cli.render.cells import indicator_cells, percent, summary_line, target_cells

STATUS_STYLE = {
    Status.ACHIEVED: "bold green",
    Status.ON_TRACK: "green",
    Status.MODERATE: "yellow",
    Status.INSUFFICIENT: "dark_orange",
    Status.MOVING_AWAY: "bold red",
    Status.PENDING: "cyan",
    Status.MISSED: "red",
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


def _plan_table(assessment: Assessment, plan_id: str) -> Table:
    table = _table(assessment.registry.plans[plan_id].title)
    table.add_column("Target", overflow="fold", min_width=10)
    table.add_column("Latest", overflow="fold", min_width=7)
    table.add_column("Goal", overflow="fold", min_width=7)
    table.add_column("Progress", no_wrap=True)
    table.add_column("Gap", justify="right", overflow="fold")
    table.add_column("Status", overflow="fold", min_width=9)
    table.add_column("Deadline", min_width=10, no_wrap=True)
    for figures in assessment.targets:
        if figures.target.plan != plan_id:
            continue
        cells = target_cells(assessment, figures)
        style = STATUS_STYLE[cells.status]
        status = Text(cells.status.label, style=style)
        if cells.pace != "—":
            status.append(f"\npace {cells.pace}", style="dim")
        if cells.outlook:
            status.append(f"\n{cells.outlook}", style="dim")
        table.add_row(
            _two_lines(cells.name, cells.region),
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
    for figures in assessment.tracked:
        cells = indicator_cells(assessment, figures)
        table.add_row(
            _two_lines(cells.name, cells.region),
            _latest(cells.latest, cells.latest_period, cells.freshness),
            escape.rich(cells.previous),
            _two_lines(cells.change, cells.trend),
        )
    return table


def renderable(assessment: Assessment) -> RenderableType:
    parts: list[RenderableType] = []
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
    console.print(renderable(assessment))
