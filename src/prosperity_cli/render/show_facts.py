"""The facts `prosperity show` lists for a target or an indicator: one row per figure,
each named for what it is (docs/methodology.md defines them)."""

from __future__ import annotations

from datetime import date

from rich.table import Table

from prosperity_cli.assessment import Assessment, owner_of
from prosperity_cli.horizons import long_term, short_term
from prosperity_cli.limits import NO_LIMIT, UNIT_LIMITS, Limit, applying
from prosperity_cli.measures import members
from prosperity_cli.model import Indicator, Observation, Registry, Target
from prosperity_cli.pace import Pace
from prosperity_cli.progress import Status, TargetFigures
from prosperity_cli.provenance import origin
from prosperity_cli.render import escape
from prosperity_cli.render.cells import target_cells, trend_text
from prosperity_cli.series import series_of
from prosperity_cli.tracked import tracked_figures
from prosperity_cli.units import format_change, format_growth, format_value


def facts(rows: list[tuple[str, str | None]]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    for label, value in rows:
        if value:
            table.add_row(label, escape.rich(value))
    return table


#: Journal entries `show` lists by default, the most recent ones; --all lists every one.


def indicator_facts(registry: Registry, indicator: Indicator, as_of: date) -> Table:
    targets = [t.id for t in registry.targets.values() if t.indicator == indicator.id]
    series = series_of(registry, indicator.id)
    values = [o.value for o in series] + [
        t.value for t in registry.targets.values() if t.indicator == indicator.id
    ]
    limit = applying(indicator.unit, indicator.limit, values)
    return facts(
        [
            ("Indicator", f"{indicator.name} ({indicator.id})"),
            ("Region", indicator.region),
            ("Unit", indicator.unit),
            ("Cadence", indicator.cadence.value),
            ("Derived", indicator.computed_from if indicator.derived else None),
            ("Measure", _measure_text(registry, indicator)),
            ("Spread", _spread_text(registry, indicator)),
            ("Publication lag", str(indicator.lag) if indicator.lag else None),
            ("Limit", _limit_text(indicator, limit)),
            ("Desired", indicator.desired.value if indicator.desired else None),
            *_trend_rows(registry, indicator, series, as_of, bool(targets)),
            ("Targets", ", ".join(targets) or "none (tracked only)"),
            *_source_rows(indicator),
        ]
    )


def _measure_text(registry: Registry, indicator: Indicator) -> str | None:
    """ "urban-rural-income-ratio, with Zhejiang, Shaoxing (prosperity compare ...)"."""
    if indicator.measure is None:
        return None
    others = [i.region or i.id for i in members(registry.indicators, indicator.measure)
              if i.id != indicator.id]  # fmt: skip
    with_others = f", with {', '.join(others)}" if others else ""
    return f"{indicator.measure}{with_others} (prosperity compare {indicator.measure})"


def _spread_text(registry: Registry, indicator: Indicator) -> str | None:
    """ "max/min of city-income across 11 regions; a period counts when all report"."""
    if indicator.spread is None:
        return None
    count = len(members(registry.indicators, indicator.spread.measure))
    return (
        f"{indicator.spread.text} across its {count} regions; a period counts when every "
        "one of them has a value for it"
    )


def _limit_text(indicator: Indicator, limit: Limit) -> str | None:
    if indicator.limit is not None:
        return f"{limit.text} (declared)"
    if limit == NO_LIMIT:
        implied = UNIT_LIMITS.get(indicator.unit)
        return f"none: a value lies outside {implied.text}, the unit's" if implied else None
    return f"{limit.text} (the unit's)"


def _trend_rows(
    registry: Registry,
    indicator: Indicator,
    series: list[Observation],
    as_of: date,
    has_targets: bool,
) -> list[tuple[str, str | None]]:
    """Eurostat's class of an indicator with `desired`, short and long term."""
    if indicator.desired is None or has_targets:
        return []
    figures = tracked_figures(
        indicator.id,
        series,
        as_of,
        indicator.desired,
        short_term(registry.defaults),
        long_term(registry.defaults),
    )
    rows: list[tuple[str, str | None]] = []
    for label, trend in (("Short term", figures.short), ("Long term", figures.long)):
        if trend is not None:
            rows.append((label, trend_text(trend)))
    if figures.momentum is not None:
        rows.append(("Momentum", figures.momentum.value))
    return rows


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


def target_facts(assessment: Assessment, figures: TargetFigures) -> Table:
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
        ("Owner", owner_of(registry, target)),
        ("Limit", figures.limit.text if figures.limit != NO_LIMIT else None),
    ]
    if pace is not None:
        fitted = f", fitted over {pace.points} values" if pace.method.fitted else ""
        rows.append(("Pace", f"{pace.ratio:.2f} ({pace.method.value}{fitted})"))
    rows += _since_baseline(figures, unit)
    if figures.short_term is not None:
        rows.append(("Short term", _short_term_text(figures, unit)))
    if figures.baseline is not None:
        rows.append(("Baseline value", format_value(figures.baseline.value, unit)))
    rows += _projection_rows(figures, unit)
    rows.append(("Notes", cells.notes or None))
    return facts(rows)


def _rates(pace: Pace, unit: str) -> tuple[str, str]:
    """The observed and required rate of a pace, as growth rates or in the unit."""
    if pace.method.compound:
        return f"{format_growth(pace.observed)}/yr", f"{format_growth(pace.required)}/yr"
    return (
        f"{format_change(pace.observed, unit)}/yr",
        f"{format_change(pace.required, unit)}/yr",
    )


def _since_baseline(figures: TargetFigures, unit: str) -> list[tuple[str, str | None]]:
    """ "+2 yuan/yr; required +3 yuan/yr": the two rates the pace ratio
    divides, both measured from the baseline (the rate still needed from the latest value
    is the row "Needed from now")."""
    pace, observed_rate = figures.pace, figures.projection.observed_rate
    in_unit = "" if observed_rate is None else f"{format_change(observed_rate, unit)}/yr"
    if pace is None:
        return [("Since baseline", in_unit)] if in_unit else []
    observed, required = _rates(pace, unit)
    also = f" ({in_unit})" if pace.method.compound and in_unit else ""
    return [("Since baseline", f"{observed}{also}; required {required}")]


def _short_term_text(figures: TargetFigures, unit: str) -> str:
    short = figures.short_term
    assert short is not None
    if short.pace is None:
        said = short.klass.label if short.klass else short.note
        return f"since {short.start.period}: {said}"
    observed, required = _rates(short.pace, unit)
    drift = f", {figures.momentum.value}" if figures.momentum else ""
    klass = short.klass.label if short.klass else "no class"
    return (
        f"{short.pace.ratio:.2f} since {short.start.period} ({klass}{drift}): {observed}; "
        f"required {required}"
    )


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
    """The method asked for, and the one used when growth rates had to fall back."""
    used = figures.pace.method if figures.pace else target.method
    if used is target.method:
        return target.method.value
    return f"{target.method.value} asked, {used.value} used (growth rates need positive values)"


def _projection_rows(figures: TargetFigures, unit: str) -> list[tuple[str, str | None]]:
    """The rate still needed, the projected value and when the goal is met."""
    projection = figures.projection
    rows: list[tuple[str, str | None]] = []
    if projection.required_rate is not None:
        rows.append(
            (
                "Needed from now",
                f"{format_change(projection.required_rate, unit)}/yr from the latest value "
                "to the deadline",
            )
        )
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
