"""`prosperity show ID`: one target or indicator in full."""

from __future__ import annotations

from collections import Counter
from datetime import date

from rich import box
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from prosperity_cli.assessment import Filters, assess
from prosperity_cli.chart import Chart, chart_of_target, indicator_chart, worth_drawing
from prosperity_cli.checks import agrees as agrees_within
from prosperity_cli.model import Indicator, Observation, Registry, grade_rank
from prosperity_cli.provenance import origin
from prosperity_cli.render import escape
from prosperity_cli.render.show_facts import indicator_facts, target_facts
from prosperity_cli.series import effective, reported_of, series_of
from prosperity_cli.units import format_value

SHOWN_OBSERVATIONS = 40


def _observations_table(
    registry: Registry, indicator: Indicator, as_of: date, limit: int | None
) -> RenderableType:
    if indicator.computed:
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
        needed = (
            "both inputs need"
            if indicator.spread is None
            else f"every region of {indicator.spread.measure} needs"
        )
        return Text(f"No values yet: {needed} a value for the same period.", style="italic")
    return table


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
    try:
        drawn = chart_terminal.render(chart, console.width, colour)
    except OverflowError:  # values near the largest float: no axis can hold them
        return Text("No chart: its values are too large to draw.", style="dim")
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
        parts.append(target_facts(assessment, figures))
        indicator = registry.indicators[figures.target.indicator]
        chart = chart_of_target(assessment, figures)
    else:
        indicator = registry.indicators[ident]
        chart = indicator_chart(indicator, series_of(registry, ident), as_of)
    parts.append(Text(""))
    parts.append(indicator_facts(registry, indicator, as_of))
    parts.append(Text(""))
    limit = None if every_observation else SHOWN_OBSERVATIONS
    parts.append(_observations_table(registry, indicator, as_of, limit))
    if with_chart:
        parts += [Text(""), _chart(chart, console), Text("")]
    parts.append(Text(f"As of {as_of}.", style="dim"))
    console.print(Group(*parts))
