"""Where the observed pace leads: the projected value, the date the goal is met, and the
rates in the indicator's unit. Projections never cross the indicator's natural limit
(limits.py). docs/methodology.md, "Projection" and "Natural limits". Pure; no I/O.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from prosperity_cli.limits import NO_LIMIT, Limit
from prosperity_cli.model import Observation, Target
from prosperity_cli.pace import Pace
from prosperity_cli.periods import add_years, years_between

#: Beyond this horizon "reached by" is reported as never.
HORIZON_YEARS = 200


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


def project(
    target: Target,
    base: Observation | None,
    now: Observation,
    pace_: Pace | None,
    met: bool,
    limit: Limit = NO_LIMIT,
    threshold: float | None = None,
) -> Projection:
    """Rates in the indicator's unit, the projected value and the date the goal is met.

    `met` says whether the latest value meets the goal; `threshold` is the value that
    meets it when that is not the target itself (a target at a limit, met near it).
    """
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
        projected = limit.clamp(advance(now.value, pace_, remaining)) if remaining >= 0 else None
    except OverflowError:
        projected = None  # the observed growth overflows a number by the deadline
    goal = target.value if threshold is None else threshold
    reached = now.period.end if met else _reached_by(target, now, pace_, goal, threshold)
    return Projection(observed, required, projected, reached, expected)


def advance(value: float, pace_: Pace, years: float) -> float:
    """`value` carried `years` ahead at the observed pace (before any limit)."""
    if pace_.method.compound:
        return float(value * (1 + pace_.observed) ** years)
    return value + pace_.observed * years


def _reached_by(
    target: Target, now: Observation, pace_: Pace, goal: float, threshold: float | None
) -> date | None:
    """When `goal` is reached if the observed pace continues; None if never. The target
    lies within the limits, so the path reaches it before it could cross one."""
    rate, start = pace_.observed, now.value
    if rate == 0:
        return None
    try:
        if pace_.method.compound:
            if rate <= -1 or goal / start <= 0:
                return None
            years = math.log(goal / start) / math.log(1 + rate)
        else:
            years = (goal - start) / rate
    except (OverflowError, ZeroDivisionError, ValueError):
        return None
    if not math.isfinite(years) or years < 0 or years > HORIZON_YEARS:
        return None
    if years == 0 and threshold is None and not target.goal.is_met(start, goal):
        return None  # exactly at a strict target: reaching the value does not meet it
    return add_years(now.period.end, years)
