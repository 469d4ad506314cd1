"""How far a target has come: progress, gap, pace and status. Pure functions, no I/O.

The definitions, with worked examples, are in docs/methodology.md; the tests check the
examples. In short, with b the baseline value, l the latest and T the target:

    progress   = (l - b) / (T - b)
    gap        = T - l for rising goals, l - T for falling ones (positive = still short)
    pace ratio = observed yearly rate (baseline -> latest) / required rate (baseline -> deadline)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum

from prosperity_cli.model import Goal, Method, Observation, Target
from prosperity_cli.periods import add_years, years_between
from prosperity_cli.series import latest, latest_like


class Status(Enum):
    """Where a target stands; the order is the order of the summary line."""

    ACHIEVED = "achieved"
    ON_TRACK = "on-track"
    MODERATE = "moderate"
    INSUFFICIENT = "insufficient"
    MOVING_AWAY = "moving-away"
    PENDING = "pending"
    MISSED = "missed"
    NO_BASELINE = "no-baseline"
    NO_DATA = "no-data"

    @property
    def label(self) -> str:
        return self.value.replace("-", " ")


#: Pace-ratio thresholds of Eurostat's SDG monitoring (also used by Statistics Canada
#: through Open SDG); see docs/methodology.md.
ON_TRACK_AT = 0.95
MODERATE_AT = 0.6


@dataclass(frozen=True, slots=True)
class Pace:
    """Observed and required yearly rates, in the method actually used."""

    observed: float
    required: float
    ratio: float
    method: Method
    note: str = ""


@dataclass(frozen=True, slots=True)
class Projection:
    """Where the observed pace leads, and what it would take (docs/methodology.md)."""

    #: Change per year in the indicator's unit, baseline -> latest.
    observed_rate: float | None
    #: Change per year in the indicator's unit needed from the latest value to the deadline.
    required_rate: float | None
    #: The value at the deadline if the observed pace (the target's method) continues.
    projected: float | None
    #: When the goal is met at the observed pace (None: never at that pace).
    reached_by: date | None
    #: Share of the time from baseline to deadline elapsed at the latest period's end.
    expected_progress: float | None


NO_PROJECTION = Projection(None, None, None, None, None)
#: Beyond this horizon "reached by" is reported as never.
HORIZON_YEARS = 200


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


def _linear_rate(start: float, end: float, years: float) -> float:
    return (end - start) / years


def _compound_rate(start: float, end: float, years: float) -> float:
    return float((end / start) ** (1 / years) - 1)


def pace(
    baseline_value: float,
    baseline_end: date,
    latest_value: float,
    latest_end: date,
    target: float,
    deadline: date,
    method: Method,
) -> Pace | None:
    """Observed rate (baseline -> latest) over required rate (baseline -> deadline).

    None when either span of time is not positive or no change is required. With
    `cagr`, a value that is not positive makes compound growth meaningless: the linear
    rates are used instead and the returned note says so.
    """
    observed_years = years_between(baseline_end, latest_end)
    required_years = years_between(baseline_end, deadline)
    if observed_years <= 0 or required_years <= 0 or target == baseline_value:
        return None
    used, note = method, ""
    if method is Method.CAGR and min(baseline_value, latest_value, target) <= 0:
        used, note = Method.LINEAR, "cagr needs positive values; linear pace used"
    rate = _compound_rate if used is Method.CAGR else _linear_rate
    try:
        observed = rate(baseline_value, latest_value, observed_years)
        required = rate(baseline_value, target, required_years)
        ratio = observed / required
    except (OverflowError, ZeroDivisionError):
        return None  # growth beyond what a number holds: no pace (docs/methodology.md)
    if not math.isfinite(ratio):
        return None
    return Pace(observed, required, ratio, used, note)


def pace_class(ratio: float) -> Status:
    """Eurostat/UN classes: >= 0.95 on track, >= 0.6 moderate, >= 0 insufficient."""
    if ratio >= ON_TRACK_AT:
        return Status.ON_TRACK
    if ratio >= MODERATE_AT:
        return Status.MODERATE
    if ratio >= 0:
        return Status.INSUFFICIENT
    return Status.MOVING_AWAY


def _baseline_observation(
    target: Target, series: Sequence[Observation], as_of: date
) -> Observation | None:
    if target.baseline is None:
        return None
    for observation in series:
        if observation.period.key == target.baseline.key and observation.period.end <= as_of:
            return observation
    return None


def evaluate(target: Target, series: Sequence[Observation], as_of: date) -> TargetFigures:
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
        return TargetFigures(target, as_of, None, base, None, None, None, Status.NO_DATA, days_left)
    shortfall = gap(now.value, target.value, target.goal)
    share = pace_ = None
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
        pace_ = pace(
            base.value,
            base.period.end,
            now.value,
            now.period.end,
            target.value,
            target.deadline,
            target.method,
        )
        if pace_ is not None and pace_.note:
            notes.append(pace_.note)
        if now is base:
            notes.append("only the baseline is known: no pace yet")
    status = _status(target, now, base, pace_, as_of)
    projection = project(target, base, now, pace_)
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
    )


def project(
    target: Target, base: Observation | None, now: Observation, pace_: Pace | None
) -> Projection:
    """Rates in the indicator's unit, the projected value and the date the goal is met."""
    met = target.goal.is_met(now.value, target.value)
    remaining = years_between(now.period.end, target.deadline)
    required = 0.0 if met else (target.value - now.value) / remaining if remaining > 0 else None
    if base is None or base is now:
        return Projection(None, required, None, now.period.end if met else None, None)
    elapsed = years_between(base.period.end, now.period.end)
    observed = (now.value - base.value) / elapsed if elapsed > 0 else None
    horizon = years_between(base.period.end, target.deadline)
    expected = min(1.0, elapsed / horizon) if horizon > 0 else None
    if pace_ is None:
        return Projection(observed, required, None, now.period.end if met else None, expected)
    try:
        projected: float | None = _advance(now.value, pace_, remaining) if remaining >= 0 else None
    except OverflowError:
        projected = None  # the observed growth overflows a number by the deadline
    reached = now.period.end if met else _reached_by(target, now, pace_)
    return Projection(observed, required, projected, reached, expected)


def _advance(value: float, pace_: Pace, years: float) -> float:
    if pace_.method is Method.CAGR:
        return float(value * (1 + pace_.observed) ** years)
    return value + pace_.observed * years


def _reached_by(target: Target, now: Observation, pace_: Pace) -> date | None:
    """When the target value is reached if the observed pace continues; None if never."""
    rate, start, goal = pace_.observed, now.value, target.value
    if rate == 0:
        return None
    try:
        if pace_.method is Method.CAGR:
            if rate <= -1 or goal / start <= 0:
                return None
            years = math.log(goal / start) / math.log(1 + rate)
        else:
            years = (goal - start) / rate
    except (OverflowError, ZeroDivisionError, ValueError):
        return None
    if not math.isfinite(years) or years < 0 or years > HORIZON_YEARS:
        return None
    if years == 0 and not target.goal.is_met(start, goal):
        return None  # exactly at a strict target: reaching the value does not meet it
    return add_years(now.period.end, years)


def _tolerance(target: float) -> float:
    """The float noise forgiven when comparing with a target (as `Goal.is_met` does)."""
    return 1e-9 * max(1.0, abs(target))


def _improvement_required(target: Target, baseline: float) -> bool:
    """Does the goal ask the indicator to move from its baseline (in the goal's direction)?"""
    return (target.value - baseline) * target.goal.direction > _tolerance(target.value)


def _status(
    target: Target, now: Observation, base: Observation | None, pace_: Pace | None, as_of: date
) -> Status:
    if target.goal.is_met(now.value, target.value):
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
    return Status.NO_BASELINE


@dataclass(frozen=True, slots=True)
class IndicatorFigures:
    """A tracked indicator's latest value and its change since the previous one."""

    indicator_id: str
    latest: Observation | None
    previous: Observation | None

    @property
    def change(self) -> float | None:
        if self.latest is None or self.previous is None:
            return None
        return self.latest.value - self.previous.value
