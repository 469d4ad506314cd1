"""Human-readable cells shared by the table and Markdown renderers."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from prosperity_cli.assessment import Assessment, region_of
from prosperity_cli.freshness import State
from prosperity_cli.model import Observation
from prosperity_cli.momentum import Momentum
from prosperity_cli.progress import Status, TargetFigures
from prosperity_cli.render.sparkline import sparkline
from prosperity_cli.series import comparable_on
from prosperity_cli.tracked import IndicatorFigures, Trend
from prosperity_cli.units import format_change, format_growth, format_value

NO_VALUE = "—"


PROVISIONAL_MARK = " p"


def percent(share: float) -> str:
    """0.4 -> "40%"; a share that rounds to zero is "0%", never "-0%"."""
    text = f"{share:.0%}"
    return "0%" if text == "-0%" else text


def shown(observation: Observation, unit: str) -> str:
    """A value in its unit, with "p" after it when provisional: "1.80:1 p"."""
    text = format_value(observation.value, unit)
    return text + PROVISIONAL_MARK if observation.provisional else text


def outlook(figures: TargetFigures) -> str:
    """When the goal is met at the observed pace: "→ 2027-06", or "→ never"."""
    projection = figures.projection
    if figures.status is Status.ACHIEVED or figures.pace is None:
        return ""
    if projection.reached_by is None:
        return "→ never"
    return f"→ {projection.reached_by:%Y-%m}"


@dataclass(frozen=True, slots=True)
class TargetCells:
    name: str
    region: str
    latest: str
    latest_period: str
    goal: str
    progress: float | None
    progress_text: str
    gap: str
    status: Status
    pace: str
    deadline: str
    when: str
    notes: str
    freshness: str
    outlook: str
    trend: str
    #: "slowing" or "accelerating" when the short-term class differs, else "".
    momentum: str


def momentum_word(drift: Momentum | None) -> str:
    """The word a table shows for a change of class: nothing when steady or unknown."""
    return "" if drift is None or drift is Momentum.STEADY else drift.value


def target_cells(assessment: Assessment, figures: TargetFigures) -> TargetCells:
    registry = assessment.registry
    target = figures.target
    indicator = registry.indicators[target.indicator]
    unit = indicator.unit
    latest = figures.latest
    if figures.days_left > 0:
        when = f"{figures.days_left} d left"
    elif figures.days_left == 0:
        when = "due today"
    else:
        when = "passed"
    return TargetCells(
        name=indicator.name,
        region=region_of(registry, target) or "",
        latest=shown(latest, unit) if latest else "no data",
        latest_period=latest.period.text if latest else "",
        goal=f"{target.goal.symbol} {format_value(target.value, unit)}",
        progress=figures.progress,
        progress_text=NO_VALUE if figures.progress is None else percent(figures.progress),
        gap=NO_VALUE if figures.gap is None else format_change(figures.gap, unit).lstrip("+"),
        status=figures.status,
        pace=NO_VALUE if figures.pace_ratio is None else f"{figures.pace_ratio:.2f}",
        deadline=target.deadline.isoformat(),
        when=when,
        notes="; ".join(figures.notes),
        freshness=freshness_marker(assessment, target.indicator),
        outlook=outlook(figures),
        trend=trend(assessment, target.indicator),
        momentum=momentum_word(figures.momentum),
    )


def trend(assessment: Assessment, indicator_id: str) -> str:
    """A sparkline of the values known on the assessment's date that are like for like with
    the latest (series.comparable_on); "" for fewer than two."""
    known = comparable_on(assessment.series[indicator_id], assessment.as_of)
    return sparkline([o.value for o in known]) if len(known) >= 2 else ""


def freshness_marker(assessment: Assessment, indicator_id: str) -> str:
    """ "stale" or "overdue" when the indicator's next value is late, else ""."""
    state = assessment.freshness[indicator_id].state
    return state.value if state in (State.OVERDUE, State.STALE) else ""


@dataclass(frozen=True, slots=True)
class IndicatorCells:
    name: str
    region: str
    latest: str
    latest_period: str
    previous: str
    change: str
    freshness: str
    trend: str
    #: Eurostat's class of the short-term trend, for an indicator with `desired`; else "".
    klass: str
    momentum: str


def indicator_cells(assessment: Assessment, figures: IndicatorFigures) -> IndicatorCells:
    indicator = assessment.registry.indicators[figures.indicator_id]
    unit = indicator.unit
    latest, previous = figures.latest, figures.previous
    change = figures.change
    return IndicatorCells(
        name=indicator.name,
        region=indicator.region or "",
        latest=shown(latest, unit) if latest else NO_VALUE,
        latest_period=latest.period.text if latest else "",
        previous=f"{shown(previous, unit)} ({previous.period})" if previous else NO_VALUE,
        change=NO_VALUE if change is None else format_change(change, unit),
        freshness=freshness_marker(assessment, figures.indicator_id),
        trend=trend(assessment, figures.indicator_id),
        klass=figures.klass.label if figures.klass else "",
        momentum=momentum_word(figures.momentum),
    )


def trend_text(trend: Trend) -> str:
    """ "2019 to 2024: +1.36%/yr, significant progress" — one window of a tracked trend."""
    span = f"{trend.start.period} to {trend.end.period}: " if trend.start and trend.end else ""
    growth = f"{format_growth(trend.growth)}/yr, " if trend.growth is not None else ""
    klass = trend.klass.label if trend.klass else trend.note
    extra = f" ({trend.note})" if trend.note and trend.klass else ""
    return f"{span}{growth}{klass}{extra}"


def summary_line(counts: Counter[Status]) -> str:
    """ "15 targets: 2 achieved, 1 on track, 12 no data"."""
    total = sum(counts.values())
    parts = [f"{counts[status]} {status.label}" for status in Status if counts[status]]
    noun = "target" if total == 1 else "targets"
    return f"{total} {noun}: {', '.join(parts)}" if parts else f"{total} {noun}"
