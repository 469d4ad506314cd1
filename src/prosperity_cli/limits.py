"""Natural limits: the range an indicator's values can take (a share lives in [0, 100]).

Projections and "reached by" dates never cross a limit, and a target set at a limit is met
once the latest value is near enough to it (the rule is in docs/methodology.md, "Natural
limits"). Pure; no I/O.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from prosperity_cli.units import PERCENT, RATIO

#: How near a target set at a limit the latest value must be to count as meeting it: this
#: share of the limits' range (1 percentage point for a percent), or, when the range is
#: open, of the way from the baseline to the target (the UN progress chart's 1 %).
NEAR_LIMIT_SHARE = 0.01


@dataclass(frozen=True, slots=True)
class Limit:
    """The values an indicator can take: lower <= value <= upper; None is unbounded."""

    lower: float | None = None
    upper: float | None = None

    def clamp(self, value: float) -> float:
        """`value`, moved to the nearest limit if it lies beyond one."""
        if self.lower is not None and value < self.lower:
            return self.lower
        if self.upper is not None and value > self.upper:
            return self.upper
        return value

    def contains(self, value: float) -> bool:
        return self.clamp(value) == value

    def at(self, value: float) -> bool:
        """Is `value` one of the limits?"""
        return value in (self.lower, self.upper)

    @property
    def span(self) -> float | None:
        if self.lower is None or self.upper is None:
            return None
        return self.upper - self.lower

    @property
    def text(self) -> str:
        """ "0 to 100", "at least 0", "at most 5", "none"."""
        if self.lower is not None and self.upper is not None:
            return f"{_number(self.lower)} to {_number(self.upper)}"
        if self.lower is not None:
            return f"at least {_number(self.lower)}"
        if self.upper is not None:
            return f"at most {_number(self.upper)}"
        return "none"


NO_LIMIT = Limit()
#: What a unit implies when the indicator declares no `limit`: a percent is a share, a
#: ratio compares two non-negative quantities. Other units say nothing; declare the limit.
UNIT_LIMITS = {PERCENT: Limit(0.0, 100.0), RATIO: Limit(0.0, None)}


def limit_of(unit: str, declared: Limit | None) -> Limit:
    """The limit that applies: the declared one, else the unit's, else none."""
    if declared is not None:
        return declared
    return UNIT_LIMITS.get(unit, NO_LIMIT)


def applying(unit: str, declared: Limit | None, values: Iterable[float]) -> Limit:
    """The limit the figures of an indicator respect: the declared one; else the unit's,
    unless a value (or a target) lies beyond it (a percent that is a growth rate can be
    negative: `prosperity check` warns, and no limit is assumed); else none."""
    if declared is not None:
        return declared
    implied = UNIT_LIMITS.get(unit, NO_LIMIT)
    if implied is NO_LIMIT or all(implied.contains(v) for v in values):
        return implied
    return NO_LIMIT


def near_limit_tolerance(limit: Limit, target: float, baseline: float | None) -> float:
    """How far from a target set at a limit a value may be and still meet it; 0 when the
    target is not at a limit (then the goal's own comparison decides)."""
    if not limit.at(target):
        return 0.0
    if limit.span is not None:
        return NEAR_LIMIT_SHARE * limit.span
    if baseline is not None and math.isfinite(baseline):
        return NEAR_LIMIT_SHARE * abs(baseline - target)
    return 0.0


def _number(value: float) -> str:
    return f"{value:g}"
