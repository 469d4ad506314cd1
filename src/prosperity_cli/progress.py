"""How far a target has come: progress, gap, pace and status. Pure functions, no I/O.

The definitions, with worked examples, are in docs/methodology.md; the tests check the
examples. In short, with b the baseline value, l the latest and T the target:

    progress   = (l - b) / (T - b)
    gap        = T - l for rising goals, l - T for falling ones (positive = still short)
    pace ratio = observed yearly rate (baseline -> latest) / required rate (baseline -> deadline)

The rates are in pace.py, the projection in projection.py, natural limits in limits.py,
the short term in horizons.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta

from prosperity_cli.horizons import SHORT_TERM, spans_enough, window
from prosperity_cli.limits import NO_LIMIT, Limit, near_limit_tolerance
from prosperity_cli.model import Goal, Observation, Target
from prosperity_cli.momentum import Momentum, momentum
from prosperity_cli.pace import (
    MIN_FIT_POINTS,
    MIN_FIT_YEARS,
    MODERATE_AT,
    ON_TRACK_AT,
    Pace,
    pace,
    pace_class,
    pace_from,
)
from prosperity_cli.periods import like_for_like, years_between
from prosperity_cli.projection import HORIZON_YEARS, NO_PROJECTION, Projection, project
from prosperity_cli.series import known_on, latest, latest_like
from prosperity_cli.status import PACE_CLASSES, Status
from prosperity_cli.tracked import IndicatorFigures

__all__ = [
    "HORIZON_YEARS",
    "MODERATE_AT",
    "NO_PROJECTION",
    "ON_TRACK_AT",
    "IndicatorFigures",
    "Pace",
    "Projection",
    "ShortTerm",
    "Status",
    "TargetFigures",
    "evaluate",
    "gap",
    "pace",
    "pace_class",
    "progress",
]


@dataclass(frozen=True, slots=True)
class ShortTerm:
    """The pace of the last few years (horizons.py), beside the pace since the baseline."""

    #: The first value of the window, the start of its pace.
    start: Observation
    pace: Pace | None
    #: Its pace class, or INSUFFICIENT_DATA when the window holds too little.
    klass: Status | None
    note: str = ""


@dataclass(frozen=True, slots=True)
class TargetFigures:
    """Everything `status` says about one target on one date."""

    target: Target
    as_of: date
    latest: Observation | None
    baseline: Observation | None
    progress: float | None
    gap: float | None
    pace: Pace | None
    status: Status
    days_left: int
    notes: tuple[str, ...] = ()
    projection: Projection = NO_PROJECTION
    #: The natural limit the figures respect (limits.applying).
    limit: Limit = NO_LIMIT
    short_term: ShortTerm | None = None
    momentum: Momentum | None = None

    @property
    def pace_ratio(self) -> float | None:
        return None if self.pace is None else self.pace.ratio


def progress(baseline: float, latest_value: float, target: float) -> float | None:
    """Share of the way from baseline to target; None when they coincide."""
    if target == baseline:
        return None
    return (latest_value - baseline) / (target - baseline)


def gap(latest_value: float, target: float, goal: Goal) -> float:
    """How far `latest_value` is short of `target`: positive when short, negative beyond."""
    return (target - latest_value) * goal.direction


def _baseline_observation(
    target: Target, series: Sequence[Observation], as_of: date
) -> Observation | None:
    if target.baseline is None:
        return None
    for observation in series:
        if observation.period.key == target.baseline.key and observation.period.end <= as_of:
            return observation
    return None


def evaluate(
    target: Target,
    series: Sequence[Observation],
    as_of: date,
    limit: Limit = NO_LIMIT,
    short_span: relativedelta = SHORT_TERM,
) -> TargetFigures:
    """The figures of `target` on `as_of`, from its indicator's `effective` series."""
    days_left = (target.deadline - as_of).days
    base = _baseline_observation(target, series, as_of)
    notes: list[str] = []
    now = latest(series, as_of)
    if target.baseline is not None and now is not None:
        # Progress and pace compare the latest value with the baseline: a first-three-
        # quarters figure is no later value of an annual baseline (periods.like_for_like).
        comparable = latest_like(series, as_of, target.baseline)
        if comparable is not now:
            notes.append(
                f"the latest value ({now.period}) is not comparable with the baseline "
                f"period; {comparable.period if comparable else 'no comparable value'} is used"
            )
            now = comparable
    if now is None:
        return TargetFigures(
            target, as_of, None, base, None, None, None, Status.NO_DATA, days_left, limit=limit
        )
    shortfall = gap(now.value, target.value, target.goal)
    tolerance = near_limit_tolerance(limit, target.value, base.value if base else None)
    met = _meets(target, now.value, tolerance)
    if met and not target.goal.is_met(now.value, target.value):
        notes.append(
            f"within {tolerance:g} of {target.value:g}, a limit: met by the near-limit rule"
        )
    share = pace_ = short = None
    too_little = False
    if base is None:
        notes.append(
            "no baseline set"
            if target.baseline is None
            else f"baseline {target.baseline} not yet known"
        )
    elif not _improvement_required(target, base.value):
        # Progress and pace measure a way still to go; from a baseline that already meets
        # the goal there is none (the status then says whether the goal was kept).
        notes.append(
            "baseline equals the target"
            if base.value == target.value
            else "baseline already meets the target"
        )
    else:
        share = progress(base.value, now.value, target.value)
        comparable_values = _comparable(series, as_of, base, now)
        since_base = [o for o in comparable_values if o.period.end >= base.period.end]
        pace_ = pace_from(since_base, target.value, target.deadline, target.method)
        if pace_ is not None and pace_.note:
            notes.append(pace_.note)
        if now is base:
            notes.append("only the baseline is known: no pace yet")
            too_little = True
        elif pace_ is None and target.method.fitted and _too_few_to_fit(since_base):
            notes.append(
                f"a fitted pace needs {MIN_FIT_POINTS} comparable values over "
                f"{MIN_FIT_YEARS:g} years from the baseline; {len(since_base)} known"
            )
            too_little = True
        if pace_ is not None:
            short = _short_term(target, comparable_values, base, short_span)
    status = _status(target, now, base, pace_, as_of, met, too_little)
    threshold = target.value - target.goal.direction * tolerance if tolerance else None
    projection = project(target, base, now, pace_, met, limit, threshold)
    drift = (
        momentum(PACE_CLASSES, pace_class(pace_.ratio), short.klass)
        if pace_ is not None and short is not None
        else None
    )
    return TargetFigures(
        target,
        as_of,
        now,
        base,
        share,
        shortfall,
        pace_,
        status,
        days_left,
        tuple(notes),
        projection,
        limit,
        short,
        drift,
    )


def _meets(target: Target, value: float, tolerance: float) -> bool:
    """The goal's comparison, or, for a target at a natural limit, near enough to it."""
    return target.goal.is_met(value, target.value) or (
        tolerance > 0 and abs(value - target.value) <= tolerance
    )


def _comparable(
    series: Sequence[Observation], as_of: date, base: Observation, now: Observation
) -> list[Observation]:
    """The values known on `as_of` up to `now` that are like for like with the baseline."""
    return [
        o
        for o in known_on(series, as_of)
        if o.period.end <= now.period.end and like_for_like(o.period, base.period)
    ]


def _too_few_to_fit(points: Sequence[Observation]) -> bool:
    if len(points) < MIN_FIT_POINTS:
        return True
    return years_between(points[0].period.end, points[-1].period.end) < MIN_FIT_YEARS


def _short_term(
    target: Target, points: Sequence[Observation], base: Observation, span: relativedelta
) -> ShortTerm | None:
    """The pace of the last `span`, when that starts after the baseline (else the short
    term is the whole time since the baseline, and the pace already says it)."""
    values = window(points, span)
    if not values or values[0].period.end <= base.period.end:
        return None
    start = values[0]
    if not spans_enough(values, span):
        return ShortTerm(start, None, Status.INSUFFICIENT_DATA, "too few years of data")
    recent = pace_from(values, target.value, target.deadline, target.method)
    if recent is None:
        if target.method.fitted and _too_few_to_fit(values):
            return ShortTerm(start, None, Status.INSUFFICIENT_DATA, "too few values to fit")
        return ShortTerm(start, None, None, "no pace")
    return ShortTerm(start, recent, pace_class(recent.ratio))


def _tolerance(target: float) -> float:
    """The float noise forgiven when comparing with a target (as `Goal.is_met` does)."""
    return 1e-9 * max(1.0, abs(target))


def _improvement_required(target: Target, baseline: float) -> bool:
    """Does the goal ask the indicator to move from its baseline (in the goal's direction)?"""
    return (target.value - baseline) * target.goal.direction > _tolerance(target.value)


def _status(
    target: Target,
    now: Observation,
    base: Observation | None,
    pace_: Pace | None,
    as_of: date,
    met: bool,
    too_little: bool,
) -> Status:
    if met:
        return Status.ACHIEVED
    if target.deadline < as_of:
        # A verdict needs a value for a period reaching the deadline; until then, pending.
        return Status.MISSED if now.period.end >= target.deadline else Status.PENDING
    if pace_ is not None:
        return pace_class(pace_.ratio)
    if base is not None and base is not now and not _improvement_required(target, base.value):
        # No change was required, yet the goal is not met now: did it get worse?
        worse = gap(now.value, target.value, target.goal) > gap(
            base.value, target.value, target.goal
        )
        return Status.MOVING_AWAY if worse else Status.INSUFFICIENT
    if too_little:
        return Status.INSUFFICIENT_DATA
    return Status.NO_BASELINE
