"""`prosperity show ID`: one target or indicator in full."""

from __future__ import annotations

from collections import Counter
from datetime import date

from rich import box
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from prosperity_cli.assessment import Assessment, Filters, assess
from prosperity_cli.chart import Chart, chart_of_target, indicator_chart, worth_drawing
from prosperity_cli.checks import agrees as agrees_within
from prosperity_cli.model import Indicator, Observation, Registry, Target, grade_rank
from prosperity_cli.progress import Status, TargetFigures
from prosperity_cli.provenance import origin
from prosperity_cli.render import escape
from prosperity_cli.render.cells import target_cells
from prosperity_cli.series import effective, reported_of, series_of
from prosperity_cli.units import format_change, format_growth, format_value


def _facts(rows: list[tuple[str, str | None]]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    for label, value in rows:
        if value:
            table.add_row(label, escape.rich(value))
    return table


#: Journal entries `show` lists by default, the most recent ones; --all lists every one.
SHOWN_OBSERVATIONS = 40


def _observations_table(
    registry: Registry, indicator: Indicator, as_of: date, limit: int | None
) -> RenderableType:
    if indicator.derived is not None:
        return _derived_table(registry, indicator, as_of)
    observations = registry.observations_of(indicator.id)
    if not observations:
        return Text("No observations yet.", style="italic")
    counting = {o.period.key: o for o in effective(o for o in observations if not o.reported)}
    ordered = sorted(observations, key=lambda o: (o.period.end, o.period.start, o.position))
    left_out = max(0, len(ordered) - limit) if limit is not None else 0
    entries = Counter(o.period.key for o in observations)
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, title="Observations", title_justify="left")
    table.add_column("Period", no_wrap=True)
    table.add_column("Value", justify="right")
    table.add_column("Flags", overflow="fold")
    table.add_column("Source / note", overflow="fold", ratio=1)
    if left_out:
        table.caption = f"{left_out:,} earlier entries not shown (--all lists them)"
        table.caption_justify = "left"
    for o in ordered[left_out:]:
        flags = _flags(o, counting.get(o.period.key), entries[o.period.key] > 1, as_of)
        detail = "\n".join(
            part for part in (o.source, origin(o), o.url, o.note and f"note: {o.note}") if part
        )
        table.add_row(
            *map(escape.rich, (o.period.text, format_value(o.value, indicator.unit))),
            ", ".join(flags),
            escape.rich(detail),
        )
    return table


def _flags(o: Observation, counts: Observation | None, contested: bool, as_of: date) -> list[str]:
    """What to know about one journal entry: whether its value is the one that counts
    (and why not), and how it was made."""
    flags = []
    if o.revises:
        flags.append("revision")
    if counts is not None and counts is not o:
        if grade_rank(counts.grade) > grade_rank(o.grade):
            better = counts.grade.label if counts.grade else "a better source"
            flags.append(f"outranked by {better}")
        else:
            flags.append("superseded")
    elif contested and not o.reported:
        flags.append("counts")
    if o.derived:
        flags.append("derived (see note)")
    if o.provisional:
        flags.append("provisional")
    if o.period.end > as_of:
        flags.append("after as-of")
    if o.recorded:
        flags.append(f"recorded {o.recorded}")
    return flags


def _derived_table(registry: Registry, indicator: Indicator, as_of: date) -> RenderableType:
    """Computed values beside the figures the sources state for the same periods."""
    computed = series_of(registry, indicator.id)
    stated = {o.period.key: o for o in reported_of(registry, indicator.id)}
    table = Table(
        box=box.SIMPLE_HEAD, pad_edge=False, title="Computed values", title_justify="left"
    )
    table.add_column("Period", no_wrap=True)
    table.add_column("Computed", justify="right")
    table.add_column("Reported", justify="right")
    table.add_column("Agrees", overflow="fold")
    for o in computed:
        report = stated.pop(o.period.key, None)
        agrees = ""
        if report is not None:
            agrees = "yes" if agrees_within(o.value, report.value, report.decimals or 0) else "NO"
        table.add_row(
            escape.rich(o.period.text),
            escape.rich(
                f"{o.value:.4f}"
                if indicator.unit == "ratio"
                else format_value(o.value, indicator.unit)
            ),
            escape.rich(format_value(report.value, indicator.unit) if report else ""),
            agrees,
        )
    for report in stated.values():
        table.add_row(
            escape.rich(report.period.text),
            "no inputs",
            escape.rich(format_value(report.value, indicator.unit)),
            "",
        )
    if not computed and not stated:
        return Text("No values yet: both inputs need a value for the same period.", style="italic")
    return table


def _indicator_facts(registry: Registry, indicator: Indicator) -> Table:
    targets = [t.id for t in registry.targets.values() if t.indicator == indicator.id]
    return _facts(
        [
            ("Indicator", f"{indicator.name} ({indicator.id})"),
            ("Region", indicator.region),
            ("Unit", indicator.unit),
            ("Cadence", indicator.cadence.value),
            (
                "Derived",
                f"{indicator.derived.numerator} / {indicator.derived.denominator}"
                if indicator.derived
                else None,
            ),
            ("Publication lag", str(indicator.lag) if indicator.lag else None),
            ("Targets", ", ".join(targets) or "none (tracked only)"),
            *_source_rows(indicator),
        ]
    )


def _source_rows(entry: Indicator | Target) -> list[tuple[str, str | None]]:
    """Source, where it was read, its quote and note: the same rows for every entry."""
    derived = getattr(entry, "derived", False) is True
    return [
        ("Source", entry.source),
        ("Published by", origin(entry)),
        ("Address", entry.url),
        ("Quote", f"“{entry.quote}”" if entry.quote else None),
        ("Derived", "yes: computed from published figures (see the note)" if derived else None),
        ("Note", entry.note),
    ]


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
        ("Method", _method(target, figures)),
        *_source_rows(target),
        ("Latest", _latest_row(cells.latest, cells.latest_period, figures)),
        ("Progress", cells.progress_text),
        ("Gap", cells.gap),
        ("Status", cells.status.label),
    ]
    if pace is not None:
        if pace.method.value == "cagr":
            rates = (
                f"observed {format_growth(pace.observed)}/yr vs required "
                f"{format_growth(pace.required)}/yr"
            )
        else:
            rates = (
                f"observed {format_change(pace.observed, unit)}/yr vs required "
                f"{format_change(pace.required, unit)}/yr"
            )
        rows.append(("Pace", f"{pace.ratio:.2f} ({pace.method.value}: {rates})"))
    if figures.baseline is not None:
        rows.append(("Baseline value", format_value(figures.baseline.value, unit)))
    rows += _projection_rows(figures, unit)
    rows.append(("Notes", cells.notes or None))
    return _facts(rows)


def _latest_row(value: str, period: str, figures: TargetFigures) -> str:
    """ "1.70:1 (2025), official statistics, derived" — the latest value and what it rests on."""
    latest = figures.latest
    if latest is None:
        return "no data"
    said = [f"{value} ({period})"]
    if latest.grade is not None:
        said.append(latest.grade.label)
    if latest.derived:
        said.append("derived")
    return ", ".join(said)


def _method(target: Target, figures: TargetFigures) -> str:
    """The method asked for, and the one used when cagr had to fall back to linear."""
    used = figures.pace.method if figures.pace else target.method
    if used is target.method:
        return target.method.value
    return f"{target.method.value} asked, {used.value} used (cagr needs positive values)"


def _projection_rows(figures: TargetFigures, unit: str) -> list[tuple[str, str | None]]:
    """ "needs −0.10/yr, doing −0.04/yr", the projected value and when the goal is met."""
    projection = figures.projection
    rows: list[tuple[str, str | None]] = []
    if projection.required_rate is not None:
        doing = (
            f", doing {format_change(projection.observed_rate, unit)}/yr"
            if projection.observed_rate is not None
            else ""
        )
        rows.append(("Rate", f"needs {format_change(projection.required_rate, unit)}/yr{doing}"))
    if projection.expected_progress is not None:
        rows.append(
            (
                "Expected progress",
                f"{projection.expected_progress:.0%} (share of the baseline-to-deadline time "
                "elapsed when the latest period ended)",
            )
        )
    if projection.projected is not None:
        rows.append(
            (
                "Projected",
                f"{format_value(projection.projected, unit)} at the deadline at this pace",
            )
        )
    if figures.status is Status.ACHIEVED:
        rows.append(
            (
                "Goal met",
                f"yes: the latest value ({figures.latest.period}) meets it"
                if figures.latest
                else "yes",
            )
        )
    elif figures.gap == 0:
        rows.append(
            (
                "Goal met",
                "not yet: the latest value is exactly the target, which a strict goal "
                f"({figures.target.goal.value}) does not count",
            )
        )
    elif figures.pace is not None or projection.reached_by is not None:
        reached = projection.reached_by
        rows.append(
            (
                "Met at this pace",
                f"{reached} (the goal is not met yet)" if reached else "never at the observed pace",
            )
        )
    return rows


def _chart(chart: Chart, console: Console) -> RenderableType:
    """The terminal chart with its legend, or one line saying why there is none."""
    if not worth_drawing(chart):
        needed = "an observation" if chart.target is not None else "two observations"
        return Text(f"No chart: it needs {needed} known on {chart.as_of}.", style="dim")
    from prosperity_cli.render import chart_terminal

    try:
        chart_terminal.load_plotext()
    except (ImportError, OSError):  # not installed, or its compiled kernel does not load
        return Text(
            "No chart: plotext is not installed — "
            f"{chart_terminal.INSTALL_HINT} (or pass --no-chart).",
            style="dim",
        )
    colour = console.color_system is not None and not console.no_color
    drawn = chart_terminal.render(chart, console.width, colour)
    plot = Text.from_ansi(drawn) if colour else Text(drawn)
    plot.no_wrap = True
    return Group(
        escape.rich(chart.title, style="bold"),
        plot,
        escape.rich(chart_terminal.legend(chart, console.width), style="dim"),
    )


def write_show(
    registry: Registry,
    ident: str,
    as_of: date,
    console: Console,
    with_chart: bool = True,
    every_observation: bool = False,
) -> None:
    """Print the target or indicator `ident` (the CLI has checked that it exists), with its
    chart unless `with_chart` is false, and its most recent journal entries (all of them
    with `every_observation`)."""
    parts: list[RenderableType] = []
    if ident in registry.targets:
        # Only this target's indicator is computed, not the whole registry.
        only = Filters(indicators=frozenset({registry.targets[ident].indicator}))
        assessment = assess(registry, as_of, only)
        figures = next(f for f in assessment.targets if f.target.id == ident)
        parts.append(_target_facts(assessment, figures))
        indicator = registry.indicators[figures.target.indicator]
        chart = chart_of_target(assessment, figures)
    else:
        indicator = registry.indicators[ident]
        chart = indicator_chart(indicator, series_of(registry, ident), as_of)
    parts.append(Text(""))
    parts.append(_indicator_facts(registry, indicator))
    parts.append(Text(""))
    limit = None if every_observation else SHOWN_OBSERVATIONS
    parts.append(_observations_table(registry, indicator, as_of, limit))
    if with_chart:
        parts += [Text(""), _chart(chart, console), Text("")]
    parts.append(Text(f"As of {as_of}.", style="dim"))
    console.print(Group(*parts))
