"""`status --by plan|region|owner|tag`: the roll-up (rollup.py) in every output format.

A table of groups, worst first: the targets counted by status, the share on track and a
small bar of the statuses, like Open SDG's reporting-status page. JSON is the usual record
with a `rollup` key added; CSV is one row per group.
"""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING, Any

from prosperity_cli.assessment import Assessment
from prosperity_cli.render import escape
from prosperity_cli.render.cells import percent
from prosperity_cli.render.records import assessment_record
from prosperity_cli.rollup import Group, GroupBy, rollup
from prosperity_cli.status import Status

if TYPE_CHECKING:
    from rich.console import RenderableType

#: Characters of a group's status bar.
BAR_WIDTH = 20
#: The mark each status gets in a text bar (the table colours it as well).
BAR_MARK = {
    Status.ACHIEVED: "█",
    Status.ON_TRACK: "█",
    Status.MODERATE: "▓",
    Status.INSUFFICIENT: "▒",
    Status.MOVING_AWAY: "░",
    Status.PENDING: "╌",
    Status.MISSED: "░",
    Status.INSUFFICIENT_DATA: "∘",
    Status.NO_BASELINE: "∘",
    Status.NO_DATA: "·",
}


def group_record(group: Group) -> dict[str, Any]:
    share = group.on_track_share
    return {
        "key": group.key,
        "label": group.label,
        "targets": group.total,
        "assessed": group.assessed,
        "on_track_share": None if share is None else round(share, 6) + 0.0,
        "counts": {status.value: n for status, n in group.counts.items()},
    }


def rollup_record(assessment: Assessment, by: GroupBy) -> dict[str, Any]:
    return {"by": by.value, "groups": [group_record(g) for g in rollup(assessment, by)]}


def bar_segments(group: Group, width: int = BAR_WIDTH) -> list[tuple[Status, int]]:
    """How many of `width` cells each status takes, in status order, by largest remainder
    (so the cells always add up to `width` and a status with a target gets at least one
    when there is room)."""
    total = group.total
    if not total:
        return []
    shares = [(s, group.counts[s] * width / total) for s in Status if group.counts.get(s)]
    cells = {s: max(1, int(share)) for s, share in shares}
    while sum(cells.values()) > width:
        largest = max(cells, key=lambda s: cells[s])
        cells[largest] -= 1
    by_remainder = sorted(shares, key=lambda item: item[1] - int(item[1]), reverse=True)
    for status, _ in by_remainder:
        if sum(cells.values()) >= width:
            break
        cells[status] += 1
    return [(s, cells[s]) for s, _ in shares]


def text_bar(group: Group, width: int = BAR_WIDTH) -> str:
    return "".join(BAR_MARK[s] * n for s, n in bar_segments(group, width))


def _share(group: Group) -> str:
    share = group.on_track_share
    return "—" if share is None else percent(share)


def _statuses(groups: tuple[Group, ...]) -> list[Status]:
    """The statuses some group has, in status order: the columns worth showing."""
    return [s for s in Status if any(g.counts.get(s) for g in groups)]


def renderable(assessment: Assessment, by: GroupBy) -> RenderableType:
    from rich import box
    from rich.console import Group as Stack
    from rich.table import Table
    from rich.text import Text

    from prosperity_cli.render.table import STATUS_STYLE

    groups = rollup(assessment, by)
    columns = _statuses(groups)
    table = Table(
        title=f"Targets by {by.value}, worst first",
        title_justify="left",
        title_style="bold",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,
    )
    table.add_column(by.value.capitalize(), overflow="fold", min_width=10)
    table.add_column("On track", justify="right")
    table.add_column("Statuses", no_wrap=True)
    table.add_column("Counts", overflow="fold")
    for group in groups:
        bar = Text()
        for status, cells in bar_segments(group):
            bar.append(BAR_MARK[status] * cells, style=STATUS_STYLE[status])
        counts = ", ".join(f"{group.counts[s]} {s.label}" for s in columns if group.counts.get(s))
        name = escape.rich(group.label)
        if group.label != group.key:
            name.append("\n")
            name.append(escape.rich(group.key, "dim italic"))
        share = f"{_share(group)}\nof {group.assessed}" if group.assessed else "—"
        table.add_row(name, share, bar, escape.rich(f"{group.total}: {counts}"))
    legend = Text("On track: achieved or on track, of the targets with a verdict.", style="dim")
    return Stack(table, legend)


def render_json(assessment: Assessment, by: GroupBy) -> str:
    record = assessment_record(assessment) | {"rollup": rollup_record(assessment, by)}
    text = json.dumps(record, ensure_ascii=False, indent=2, allow_nan=False)
    return escape.json_output(text) + "\n"


def render_csv(assessment: Assessment, by: GroupBy) -> str:
    out = io.StringIO()
    names = ["by", "key", "label", "targets", "assessed", "on_track_share"]
    names += [s.value for s in Status]
    writer = csv.DictWriter(out, fieldnames=names, lineterminator="\n")
    writer.writeheader()
    for group in rollup(assessment, by):
        record = group_record(group)
        row = {"by": by.value, **{k: v for k, v in record.items() if k != "counts"}}
        row |= {s.value: group.counts.get(s, 0) for s in Status}
        writer.writerow({key: escape.csv_cell(value) for key, value in row.items()})
    return out.getvalue()


def render_markdown(assessment: Assessment, by: GroupBy) -> str:
    groups = rollup(assessment, by)
    columns = _statuses(groups)
    header = [by.value.capitalize(), "Targets", "On track", "Statuses", *(s.label for s in columns)]
    lines = [f"## Targets by {by.value}, worst first", "", _row(header)]
    lines.append("|" + "|".join(["---"] * len(header)) + "|")
    for g in groups:
        counts = [str(g.counts.get(s, 0)) for s in columns]
        bar = f"`{text_bar(g)}`"
        lines.append(_row([g.label, str(g.total), _share(g), bar, *counts], raw={3}))
    lines += ["", "On track: achieved or on track, of the targets with a verdict."]
    return "\n".join(lines) + "\n"


def _row(cells: list[str], raw: set[int] | frozenset[int] = frozenset()) -> str:
    return (
        "| " + " | ".join(c if i in raw else escape.markdown(c) for i, c in enumerate(cells)) + " |"
    )
