"""How far apart regions are: the spread statistics of one period's values, and which way
the spread moved over a span (narrowing, widening, flat).

docs/methodology.md, "Comparing regions", has the definitions and a worked example.
Pure; no I/O.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from prosperity_cli.fit import growth_rate, slope

#: A spread moving by less than this share of its first value per year is flat. Eurostat's
#: thresholds for indicators without targets use the same order of magnitude (1 % a year);
#: see methodology.md.
FLAT_SHARE = 0.01


class Statistic(Enum):
    """A spread across regions: the highest over the lowest value, the highest minus the
    lowest, or the coefficient of variation (population standard deviation over mean)."""

    MAX_MIN = "max/min"
    RANGE = "max-min"
    CV = "cv"

    @property
    def label(self) -> str:
        return {"max/min": "max/min", "max-min": "max − min", "cv": "CV"}[self.value]


def max_min(values: Sequence[float]) -> float | None:
    """Highest / lowest; None unless every value is positive (a ratio of signs means
    nothing) and there are two values."""
    if len(values) < 2 or min(values) <= 0:
        return None
    ratio = max(values) / min(values)
    return ratio if math.isfinite(ratio) else None


def max_minus_min(values: Sequence[float]) -> float | None:
    """Highest - lowest; None for fewer than two values."""
    if len(values) < 2:
        return None
    gap = max(values) - min(values)
    return gap if math.isfinite(gap) else None


def cv(values: Sequence[float]) -> float | None:
    """The coefficient of variation in percent: population standard deviation / mean x 100.

    The regions compared are all there are, not a sample of them, hence the population
    deviation (divided by n, not n - 1). None unless the mean is positive and there are two
    values.
    """
    n = len(values)
    if n < 2:
        return None
    mean = math.fsum(values) / n
    if not math.isfinite(mean) or mean <= 0:
        return None
    variance = math.fsum((v - mean) ** 2 for v in values) / n
    result = 100 * math.sqrt(variance) / mean
    return result if math.isfinite(result) else None


STATISTICS = {Statistic.MAX_MIN: max_min, Statistic.RANGE: max_minus_min, Statistic.CV: cv}


def statistic(kind: Statistic, values: Sequence[float]) -> float | None:
    return STATISTICS[kind](values)


class Direction(Enum):
    NARROWING = "narrowing"
    WIDENING = "widening"
    FLAT = "flat"


@dataclass(frozen=True, slots=True)
class Movement:
    """Which way a spread moved: its yearly change (a growth rate for the CV, units per
    year for max - min) and the direction that change means."""

    statistic: Statistic
    direction: Direction
    #: The CV's yearly growth rate (log-linear fit), or max - min's slope in units a year.
    rate: float


def movement(
    years: Sequence[float], cvs: Sequence[float | None], ranges: Sequence[float | None]
) -> Movement | None:
    """The direction of a spread measured at `years` (fractional years, oldest first).

    The CV is used when it exists at every point (the mean is positive): it counts every
    region and does not grow with the level, as convergence studies measure "sigma
    convergence". Otherwise max - min. A least-squares fit over every point gives the yearly
    change; within FLAT_SHARE of the first value a year it is flat. None for fewer than two
    points, or two points in the same year.
    """
    if len(years) < 2:
        return None
    if all(c is not None for c in cvs):
        points = [c for c in cvs if c is not None]
        if all(c > 0 for c in points):
            rate = growth_rate(years, points)
            if rate is None:
                return None
            return Movement(Statistic.CV, _direction(rate, FLAT_SHARE), rate)
        if all(c == 0 for c in points):
            return Movement(Statistic.CV, Direction.FLAT, 0.0)
    if any(r is None for r in ranges):
        return None
    gaps = [r for r in ranges if r is not None]
    fitted = slope(years, gaps)
    if fitted is None:
        return None
    threshold = FLAT_SHARE * abs(gaps[0]) if gaps[0] else 0.0
    return Movement(Statistic.RANGE, _direction(fitted, threshold), fitted)


def _direction(rate: float, threshold: float) -> Direction:
    if rate < -threshold:
        return Direction.NARROWING
    if rate > threshold:
        return Direction.WIDENING
    return Direction.FLAT
