"""`prosperity compare`: a measure's regions side by side, and the spread between them, in
every output format; and, without a measure, the list of measures.

The words of every cell come from `cells` below, shared by the table and Markdown; JSON
and CSV come from comparison_record.py.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from prosperity_cli.compare import Comparison, RegionRow, SpreadRow
from prosperity_cli.model import Indicator
from prosperity_cli.render import escape
from prosperity_cli.render.comparison_record import (
    comparison_record,
    measures_record,
    region_record,
    spread_record,
)
from prosperity_cli.render.sparkline import sparkline
from prosperity_cli.spread import Statistic
from prosperity_cli.units import PERCENT, RATIO, format_change, format_growth, format_number
from prosperity_cli.units import format_value as value_text

if TYPE_CHECKING:
    from rich.console import RenderableType

# --- the words of each cell -----------------------------------------------------------------


def rank_cell(row: RegionRow) -> str:
    return "—" if row.rank is None else str(row.rank)


def region_cell(row: RegionRow) -> str:
    return row.indicator.region or row.indicator.id


def latest_cell(row: RegionRow, comparison: Comparison) -> str:
    """ "1.81:1 (2025)", and, when the region is ranked on another period, on which value."""
    if row.latest is None:
        return "no data"
    unit = comparison.unit
    text = f"{value_text(row.latest.value, unit)} ({row.latest.period})"
    if row.latest.provisional:
        text += " p"
    reference = comparison.reference
    if reference is not None and not row.aligned:
        if row.at_reference is not None:
            text += f"; ranked on {reference}: {value_text(row.at_reference.value, unit)}"
        else:
            text += f"; not ranked: no value for {reference}"
    return text


def change_cell(row: RegionRow, comparison: Comparison) -> str:
    span = row.span
    if span is None:
        since = comparison.since
        return "—" if since is None else f"no value for {since}"
    if span.end is span.start:
        return f"only {span.start.period}: nothing later to compare"
    text = format_change(span.change, comparison.unit)
    if span.end.period != (row.latest.period if row.latest else None):
        text += f" (to {span.end.period})"
    return text


def pace_cell(row: RegionRow, comparison: Comparison) -> str:
    span = row.span
    if span is None or span.pace is None:
        return "—"
    if span.compound:
        return f"{format_growth(span.pace)} a year"
    return f"{format_change(span.pace, comparison.unit)} a year"


def target_cell(row: RegionRow, comparison: Comparison) -> str:
    figures = row.target
    if figures is None:
        return "—"
    target = figures.target
    goal = f"{target.goal.symbol} {value_text(target.value, comparison.unit)} by {target.deadline}"
    gap = "" if figures.gap is None else f", gap {format_change(figures.gap, comparison.unit)}"
    return f"{goal}{gap}: {figures.status.label}"


def statistic_text(statistic: Statistic, value: float | None, unit: str) -> str:
    """A spread in its own unit: max/min "1.19", max - min in the measure's unit, CV "%"."""
    if value is None:
        return "—"
    if statistic is Statistic.MAX_MIN:
        return f"{value:.3f}"
    if statistic is Statistic.CV:
        return f"{value:.1f}%"
    if unit == RATIO:
        return f"{value:.2f}"
    if unit == PERCENT:
        return f"{format_number(value)} pp"
    return value_text(value, unit)


def regions_cell(row: SpreadRow, comparison: Comparison) -> str:
    """ "3 of 3", or "2 of 3, not Shaoxing"."""
    text = f"{len(row.regions)} of {len(comparison.rows)}"
    missing = [r.indicator.id for r in comparison.rows if r.indicator.id not in row.regions]
    return f"{text}, not {_names(comparison, missing)}" if missing else text


def spread_cells(row: SpreadRow, comparison: Comparison) -> list[str]:
    unit = comparison.unit
    return [
        str(row.period),
        regions_cell(row, comparison),
        statistic_text(Statistic.MAX_MIN, row.max_min, unit),
        statistic_text(Statistic.RANGE, row.max_minus_min, unit),
        statistic_text(Statistic.CV, row.cv, unit),
    ]


def _names(comparison: Comparison, idents: Sequence[str]) -> str:
    regions = {row.indicator.id: region_cell(row) for row in comparison.rows}
    names = [regions.get(ident, ident) for ident in idents]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def verdict(comparison: Comparison) -> str:
    """One line: which way the spread moved over the span, over which regions, or why it
    cannot be said."""
    trend, since = comparison.trend, comparison.since
    if since is None:
        return "No period is reported by two regions: no spread to follow."
    if len(trend.regions) < 2:
        return f"Only {len(trend.regions)} region reports {since}: no spread to follow from it."
    drift = trend.movement
    if drift is None:
        return (
            f"Since {since}, {_names(comparison, trend.regions)} share only one comparable "
            "period: too few to tell which way the spread moves."
        )
    first, last = trend.points[0], trend.points[-1]
    stat = drift.statistic
    start = first.cv if stat is Statistic.CV else first.max_minus_min
    end = last.cv if stat is Statistic.CV else last.max_minus_min
    unit = comparison.unit
    rate = (
        f"{format_growth(drift.rate)} a year"
        if stat is Statistic.CV
        else f"{statistic_text(stat, drift.rate, unit)} a year"
    )
    return (
        f"{drift.direction.value.capitalize()}: {stat.label} "
        f"{statistic_text(stat, start, unit)} → {statistic_text(stat, end, unit)} from "
        f"{first.period} to {last.period} ({rate}), across {_names(comparison, trend.regions)}."
    )


def trend_sparkline(comparison: Comparison) -> str:
    trend = comparison.trend
    if trend.movement is None:
        return ""
    stat = trend.movement.statistic
    values = [p.cv if stat is Statistic.CV else p.max_minus_min for p in trend.points]
    return sparkline([v for v in values if v is not None])


def caption(comparison: Comparison) -> str:
    reference = comparison.reference
    if reference is None:
        return "Not ranked: no period is reported by two regions."
    reporting = sum(1 for row in comparison.rows if row.at_reference is not None)
    order = "lowest" if comparison.lowest_first else "highest"
    why = "" if comparison.order_reason == "default" else f", {comparison.order_reason}"
    return (
        f"Ranked on {reference} ({reporting} of {len(comparison.rows)} regions); "
        f"rank 1 is the {order}{why}."
    )


HEADER = ("Rank", "Region", "Indicator", "Latest", "Change", "Pace", "Own target")
SPREAD_HEADER = ("Period", "Regions", "max/min", "max − min", "CV")


def row_cells(row: RegionRow, comparison: Comparison) -> list[str]:
    return [
        rank_cell(row),
        region_cell(row),
        row.indicator.id,
        latest_cell(row, comparison),
        change_cell(row, comparison),
        pace_cell(row, comparison),
        target_cell(row, comparison),
    ]


def title(comparison: Comparison) -> str:
    since = f", change since {comparison.since}" if comparison.since else ""
    return f"{comparison.measure}: {len(comparison.rows)} regions on {comparison.as_of}{since}"


# --- the Rich table -------------------------------------------------------------------------


def renderable(comparison: Comparison) -> RenderableType:
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    table = Table(
        title=escape.terminal(title(comparison)),
        title_justify="left",
        title_style="bold",
        caption=escape.terminal(caption(comparison)),
        caption_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    for name in HEADER:
        if name != "Indicator":  # shown under the region, as `status` shows target IDs
            table.add_column(name, overflow="fold", justify="right" if name == "Rank" else "left")
    for row in comparison.rows:
        rank, region, ident, *rest = row_cells(row, comparison)
        place = escape.rich(region)
        place.append("\n")
        place.append(escape.rich(ident, "dim italic"))
        table.add_row(escape.rich(rank), place, *(escape.rich(cell) for cell in rest))
    parts: list[RenderableType] = [table]
    if comparison.spreads:
        spreads = Table(
            title="Spread across the regions reporting each period",
            title_justify="left",
            box=box.SIMPLE_HEAD,
            pad_edge=False,
        )
        for name in SPREAD_HEADER:
            spreads.add_column(name, justify="right" if name in SPREAD_HEADER[2:] else "left")
        for spread in comparison.spreads:
            spreads.add_row(*(escape.rich(c) for c in spread_cells(spread, comparison)))
        parts.append(spreads)
    line = Text(escape.terminal(verdict(comparison)))
    spark = trend_sparkline(comparison)
    if spark:
        line = Text(spark + "  ", style="cyan") + line
    parts.append(line)
    return Group(*parts)


# --- JSON, CSV, Markdown --------------------------------------------------------------------


def _json(record: Mapping[str, Any]) -> str:
    text = json.dumps(record, ensure_ascii=False, indent=2, allow_nan=False)
    return escape.json_output(text) + "\n"


def render_json(comparison: Comparison) -> str:
    return _json(comparison_record(comparison))


REGION_COLUMNS = (
    "measure", "rank", "indicator", "region", "latest_period", "latest_value",
    "reference_period", "reference_value", "since_period", "since_value", "span_end_period",
    "span_end_value", "change", "pace", "pace_kind", "target", "target_goal", "target_value",
    "target_deadline", "target_gap", "target_status",
)  # fmt: skip
SPREAD_COLUMNS = (
    "measure", "period", "regions", "reporting", "of", "max_min", "max_minus_min", "cv",
)  # fmt: skip


def render_csv(comparison: Comparison, spread: bool = False) -> str:
    """One row per region; with `spread`, one row per period of the spread instead."""
    out = io.StringIO()
    columns = SPREAD_COLUMNS if spread else REGION_COLUMNS
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    if spread:
        rows = [
            spread_record(s, len(comparison.rows)) | {"measure": comparison.measure}
            for s in comparison.spreads
        ]
        for row in rows:
            row["regions"] = " ".join(row["regions"])
    else:
        rows = [_flat(region_record(r), comparison) for r in comparison.rows]
    for row in rows:
        writer.writerow({key: escape.csv_cell(row.get(key)) for key in columns})
    return out.getvalue()


def _flat(record: dict[str, Any], comparison: Comparison) -> dict[str, Any]:
    latest, at_reference = record["latest"] or {}, record["at_reference"] or {}
    span = record["span"] or {}
    start, end = span.get("from") or {}, span.get("to") or {}
    target = record["target"] or {}
    return {
        "measure": comparison.measure,
        "rank": record["rank"],
        "indicator": record["indicator"],
        "region": record["region"],
        "latest_period": latest.get("period"),
        "latest_value": latest.get("value"),
        "reference_period": comparison.reference.text if comparison.reference else None,
        "reference_value": at_reference.get("value"),
        "since_period": start.get("period"),
        "since_value": start.get("value"),
        "span_end_period": end.get("period"),
        "span_end_value": end.get("value"),
        "change": span.get("change"),
        "pace": span.get("pace"),
        "pace_kind": span.get("pace_kind"),
        "target": target.get("id"),
        "target_goal": target.get("goal"),
        "target_value": target.get("value"),
        "target_deadline": target.get("deadline"),
        "target_gap": target.get("gap"),
        "target_status": target.get("status"),
    }


def _md_row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(escape.markdown(c) for c in cells) + " |"


def _md_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = [_md_row(header), "|" + "|".join(["---"] * len(header)) + "|"]
    return lines + [_md_row(r) for r in rows]


def markdown_lines(comparison: Comparison, heading: str = "##") -> list[str]:
    lines = [f"{heading} {escape.markdown(title(comparison))}", ""]
    lines += _md_table(HEADER, [row_cells(r, comparison) for r in comparison.rows])
    lines += ["", escape.markdown(caption(comparison)), ""]
    if comparison.spreads:
        lines += [f"{heading}# Spread across the regions reporting each period", ""]
        lines += _md_table(SPREAD_HEADER, [spread_cells(s, comparison) for s in comparison.spreads])
        lines.append("")
    spark = trend_sparkline(comparison)
    lines.append((f"`{spark}` " if spark else "") + escape.markdown(verdict(comparison)))
    return lines


def render_markdown(comparison: Comparison) -> str:
    return "\n".join(markdown_lines(comparison)) + "\n"


# --- the list of measures -------------------------------------------------------------------


def _measure_rows(
    measures: Mapping[str, Sequence[Indicator]], spreads: Mapping[str, Sequence[Indicator]]
) -> list[list[str]]:
    return [
        [
            measure,
            group[0].unit,
            ", ".join(f"{i.region} ({i.id})" for i in group),
            ", ".join(s.id for s in spreads.get(measure, ())) or "—",
        ]
        for measure, group in measures.items()
    ]


_MEASURE_HEADER = ("Measure", "Unit", "Regions", "Spread indicators")


def render_measures(
    measures: Mapping[str, Sequence[Indicator]],
    spreads: Mapping[str, Sequence[Indicator]],
    output: str,
) -> str | RenderableType:
    """The measures in `output` ("table" gives a Rich renderable, the others text)."""
    if output == "json":
        return _json(measures_record(measures, spreads))
    rows = _measure_rows(measures, spreads)
    if output == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["measure", "unit", "regions", "spreads"])
        for measure, group in measures.items():
            cells = [measure, group[0].unit, " ".join(i.id for i in group)]
            cells.append(" ".join(s.id for s in spreads.get(measure, ())))
            writer.writerow([escape.csv_cell(c) for c in cells])
        return out.getvalue()
    if output == "markdown":
        return "\n".join(["## Measures", "", *_md_table(_MEASURE_HEADER, rows)]) + "\n"
    from rich import box
    from rich.table import Table

    if not rows:
        return escape.rich(
            "No measures yet: give indicators of one quantity in several regions the same "
            '`measure = "..."` (docs/registry.md, "Measures").'
        )
    table = Table(title="Measures", title_justify="left", title_style="bold",
                  box=box.SIMPLE_HEAD, pad_edge=False)  # fmt: skip
    for name in _MEASURE_HEADER:
        table.add_column(name, overflow="fold")
    for row in rows:
        table.add_row(*(escape.rich(cell) for cell in row))
    return table
