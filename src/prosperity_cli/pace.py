"""Pace: the observed yearly rate against the rate the target requires, and its class.

Two kinds of method (model.Method): from two points, the baseline and the latest value
(`cagr`, `linear`), or from a least-squares fit over every comparable value from the
baseline on (`trend`, log-linear; `linear-trend`). The required rate is always the one
that leads from the first point to the target by the deadline. docs/methodology.md, "Pace"
and "Pace classes", has the definitions and worked examples. Pure; no I/O.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from prosperity_cli import fit
from prosperity_cli.model import Method, Observation
from prosperity_cli.periods import years_between
from prosperity_cli.status import Status

#: Pace-ratio thresholds of Eurostat's SDG monitoring (also used by Statistics Canada
#: through Open SDG); see docs/methodology.md.
ON_TRACK_AT = 0.95
MODERATE_AT = 0.6
#: The fewest values a fitted pace is computed from, and the fewest years they must span
#: (docs/methodology.md, "Minimum data"): a line through two points is the two-point pace.
MIN_FIT_POINTS = 3
MIN_FIT_YEARS = 2.0


@dataclass(frozen=True, slots=True)
class Pace:
    """Observed and required yearly rates, in the method actually used."""

    observed: float
    required: float
    ratio: float
    method: Method
    note: str = ""
    #: How many values the observed rate was computed from.
    points: int = 2


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
    if method.compound and min(baseline_value, latest_value, target) <= 0:
        used, note = Method.LINEAR, "cagr needs positive values; linear pace used"
    rate = _compound_rate if used.compound else _linear_rate
    try:
        observed = rate(baseline_value, latest_value, observed_years)
        required = rate(baseline_value, target, required_years)
        ratio = observed / required
    except (OverflowError, ZeroDivisionError):
        return None  # growth beyond what a number holds: no pace (docs/methodology.md)
    if not math.isfinite(ratio):
        return None
    return Pace(observed, required, ratio, used, note)


def fitted_pace(
    points: Sequence[Observation], target: float, deadline: date, method: Method
) -> Pace | None:
    """The pace of a least-squares fit over `points` (the first is the start, the baseline
    for a target) against the rate required from the first point to the target.

    `trend` fits ln(value) on time, so its observed rate is a yearly growth rate compared
    with the required CAGR; with a value (or the target) that is not positive it fits the
    values themselves, as `linear-trend` does, and the note says so. None with fewer than
    MIN_FIT_POINTS values or MIN_FIT_YEARS years, or when no change is required.
    """
    if len(points) < MIN_FIT_POINTS:
        return None
    start = points[0]
    xs = [years_between(start.period.end, p.period.end) for p in points]
    values = [p.value for p in points]
    required_years = years_between(start.period.end, deadline)
    if xs[-1] < MIN_FIT_YEARS or required_years <= 0 or target == start.value:
        return None
    used, note = method, ""
    if method.compound and min(*values, target) <= 0:
        used, note = Method.LINEAR_TREND, "trend needs positive values; linear-trend used"
    try:
        if used.compound:
            observed = fit.growth_rate(xs, values)
            required = _compound_rate(start.value, target, required_years)
        else:
            observed = fit.slope(xs, values)
            required = _linear_rate(start.value, target, required_years)
        if observed is None:
            return None
        ratio = observed / required
    except (OverflowError, ZeroDivisionError):
        return None
    if not math.isfinite(ratio):
        return None
    return Pace(observed, required, ratio, used, note, points=len(points))


def pace_from(
    points: Sequence[Observation], target: float, deadline: date, method: Method
) -> Pace | None:
    """The pace over `points` (first to last, comparable values) in `method`."""
    if len(points) < 2:
        return None
    if method.fitted:
        return fitted_pace(points, target, deadline, method)
    first, last = points[0], points[-1]
    return pace(
        first.value, first.period.end, last.value, last.period.end, target, deadline, method
    )


def pace_class(ratio: float) -> Status:
    """Eurostat/UN classes: >= 0.95 on track, >= 0.6 moderate, >= 0 insufficient."""
    if ratio >= ON_TRACK_AT:
        return Status.ON_TRACK
    if ratio >= MODERATE_AT:
        return Status.MODERATE
    if ratio >= 0:
        return Status.INSUFFICIENT
    return Status.MOVING_AWAY
