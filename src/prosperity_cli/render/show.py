"""`prosperity show ID`: one target or indicator in full."""

from __future__ import annotations

from datetime import date

from rich import box
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from prosperity_cli.assessment import Assessment, assess
from prosperity_cli.model import Indicator, Registry
from prosperity_cli.progress import TargetFigures
from prosperity_cli.render.cells import target_cells
from prosperity_cli.series import effective
from prosperity_cli.units import format_change, format_value


def _facts(rows: list[tuple[str, str | None]]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    for label, value in rows:
        if value:
            table.add_row(label, value)
    return table


def _observations_table(registry: Registry, indicator: Indicator, as_of: date) -> RenderableType:
    observations = registry.observations_of(indicator.id)
    if not observations:
        return Text("No observations yet.", style="italic")
    used = {o.index for o in effective(observations)}
    ordered = sorted(observations, key=lambda o: (o.period.end, o.period.start, o.index))
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, title="Observations", title_justify="left")
    table.add_column("Period", no_wrap=True)
    table.add_column("Value", justify="right")
    table.add_column("Flags", overflow="fold")
    table.add_column("Source / note", overflow="fold", ratio=1)
    for o in ordered:
        flags = []
        if o.revises:
            flags.append("revision")
        if o.index not in used:
            flags.append("superseded")
        if o.provisional:
            flags.append("provisional")
        if o.period.end > as_of:
            flags.append("after as-of")
        if o.recorded:
            flags.append(f"recorded {o.recorded}")
        detail = "\n".join(part for part in (o.source, o.note and f"note: {o.note}") if part)
        table.add_row(
            o.period.text, format_value(o.value, indicator.unit), ", ".join(flags), detail
        )
    return table


def _indicator_facts(registry: Registry, indicator: Indicator) -> Table:
    targets = [t.id for t in registry.targets.values() if t.indicator == indicator.id]
    return _facts(
        [
            ("Indicator", f"{indicator.name} ({indicator.id})"),
            ("Region", indicator.region),
            ("Unit", indicator.unit),
            ("Cadence", indicator.cadence.value),
            ("Publication lag", str(indicator.lag) if indicator.lag else None),
            ("Targets", ", ".join(targets) or "none (tracked only)"),
            ("Source", indicator.source),
            ("Quote", f"“{indicator.quote}”" if indicator.quote else None),
            ("Note", indicator.note),
        ]
    )


def _target_facts(assessment: Assessment, figures: TargetFigures) -> Table:
    registry = assessment.registry
    target = figures.target
    indicator = registry.indicators[target.indicator]
    cells = target_cells(assessment, figures)
    unit = indicator.unit
    pace = figures.pace
    rows: list[tuple[str, str | None]] = [
        ("Target", target.id),
        ("Plan", f"{registry.plans[target.plan].title} ({target.plan})"),
        ("Goal", f"{indicator.name}: {cells.goal} by {target.deadline} ({cells.when})"),
        ("Baseline", str(target.baseline) if target.baseline else "none set"),
        ("Method", target.method.value),
        ("Source", target.source),
        ("Quote", f"“{target.quote}”" if target.quote else None),
        ("Note", target.note),
        ("Latest", f"{cells.latest} ({cells.latest_period})" if figures.latest else "no data"),
        ("Progress", cells.progress_text),
        ("Gap", cells.gap),
        ("Status", cells.status.label),
    ]
    if pace is not None:
        if pace.method.value == "cagr":
            rates = f"observed {pace.observed:+.2%}/yr vs required {pace.required:+.2%}/yr"
        else:
            rates = (
                f"observed {format_change(pace.observed, unit)}/yr vs required "
                f"{format_change(pace.required, unit)}/yr"
            )
        rows.append(("Pace", f"{pace.ratio:.2f} ({pace.method.value}: {rates})"))
    if figures.baseline is not None:
        rows.append(("Baseline value", format_value(figures.baseline.value, unit)))
    rows.append(("Notes", cells.notes or None))
    return _facts(rows)


def write_show(registry: Registry, ident: str, as_of: date, console: Console) -> None:
    """Print the target or indicator `ident` (the CLI has checked that it exists)."""
    parts: list[RenderableType] = []
    if ident in registry.targets:
        assessment = assess(registry, as_of)
        figures = next(f for f in assessment.targets if f.target.id == ident)
        parts.append(_target_facts(assessment, figures))
        indicator = registry.indicators[figures.target.indicator]
    else:
        indicator = registry.indicators[ident]
    parts.append(Text(""))
    parts.append(_indicator_facts(registry, indicator))
    parts.append(Text(""))
    parts.append(_observations_table(registry, indicator, as_of))
    parts.append(Text(f"As of {as_of}.", style="dim"))
    console.print(Group(*parts))
