"""Indicators tracked without a quantified target: the latest value, the change since the
previous comparable one, and, for an indicator with `desired`, Eurostat's trend class.

Eurostat's SDG monitoring classes an indicator without a quantified target by its compound
annual growth rate in the desired direction: at least +1 % a year is significant progress,
0 to 1 % moderate progress, 0 to −1 % moderate movement away, below −1 % significant
movement away. The short term is the last five years, the long term the last fifteen
(horizons.py). docs/methodology.md, "Tracked indicators". Pure; no I/O.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum

from dateutil.relativedelta import relativedelta

from prosperity_cli.horizons import spans_enough, window
from prosperity_cli.model import Desired, Observation
from prosperity_cli.momentum import Momentum, momentum
from prosperity_cli.periods import years_between
from prosperity_cli.series import comparable_on, latest, previous

#: The growth rate (in the desired direction) that separates significant from moderate.
SIGNIFICANT_AT = 0.01


class TrendClass(Enum):
    """Eurostat's classes for an indicator without a quantified target."""

    SIGNIFICANT_PROGRESS = "significant-progress"
    MODERATE_PROGRESS = "moderate-progress"
    MODERATE_MOVEMENT_AWAY = "moderate-movement-away"
    SIGNIFICANT_MOVEMENT_AWAY = "significant-movement-away"
    INSUFFICIENT_DATA = "insufficient-data"

    @property
    def label(self) -> str:
        return self.value.replace("-", " ")


#: The classes worst first (momentum.py ranks by this order).
RANKS = (
    TrendClass.SIGNIFICANT_MOVEMENT_AWAY,
    TrendClass.MODERATE_MOVEMENT_AWAY,
    TrendClass.MODERATE_PROGRESS,
    TrendClass.SIGNIFICANT_PROGRESS,
)


def trend_class(growth: float, desired: Desired) -> TrendClass:
    """The class of a yearly growth rate, read in the desired direction."""
    toward = growth * desired.direction
    if toward >= SIGNIFICANT_AT:
        return TrendClass.SIGNIFICANT_PROGRESS
    if toward >= 0:
        return TrendClass.MODERATE_PROGRESS
    if toward >= -SIGNIFICANT_AT:
        return TrendClass.MODERATE_MOVEMENT_AWAY
    return TrendClass.SIGNIFICANT_MOVEMENT_AWAY


@dataclass(frozen=True, slots=True)
class Trend:
    """The trend of one window: from `start` to `end`, its growth rate and class."""

    start: Observation | None
    end: Observation | None
    growth: float | None
    klass: TrendClass | None
    note: str = ""


def assess_trend(points: Sequence[Observation], span: relativedelta, desired: Desired) -> Trend:
    """The trend over the last `span` of `points` (comparable values, oldest first)."""
    values = window(points, span)
    if not spans_enough(values, span):
        first, last = (values[0], values[-1]) if values else (None, None)
        return Trend(first, last, None, TrendClass.INSUFFICIENT_DATA, "too few years of data")
    start, end = values[0], values[-1]
    years = years_between(start.period.end, end.period.end)
    if start.value <= 0 or end.value <= 0:
        return Trend(start, end, None, None, "growth rates need positive values: no class")
    try:
        growth = (end.value / start.value) ** (1 / years) - 1
    except OverflowError:
        return Trend(start, end, None, None, "the growth rate is too large to compute")
    if not math.isfinite(growth):
        return Trend(start, end, None, None, "the growth rate is too large to compute")
    return Trend(start, end, growth, trend_class(growth, desired))


@dataclass(frozen=True, slots=True)
class IndicatorFigures:
    """A tracked indicator's latest value, its change since the previous comparable one,
    and, with `desired`, its short- and long-term trend."""

    indicator_id: str
    latest: Observation | None
    previous: Observation | None
    desired: Desired | None = None
    short: Trend | None = None
    long: Trend | None = None

    @property
    def change(self) -> float | None:
        if self.latest is None or self.previous is None:
            return None
        return self.latest.value - self.previous.value

    @property
    def klass(self) -> TrendClass | None:
        """The headline class: the short term's, as in Eurostat's reports."""
        return None if self.short is None else self.short.klass

    @property
    def momentum(self) -> Momentum | None:
        if self.short is None or self.long is None or self.long.start is self.short.start:
            return None  # one window holds every value: nothing to compare
        return momentum(RANKS, self.long.klass, self.short.klass)


def tracked_figures(
    indicator_id: str,
    series: Sequence[Observation],
    as_of: date,
    desired: Desired | None,
    short_span: relativedelta,
    long_span: relativedelta,
) -> IndicatorFigures:
    now, before = latest(series, as_of), previous(series, as_of)
    if desired is None:
        return IndicatorFigures(indicator_id, now, before)
    points = comparable_on(series, as_of)
    return IndicatorFigures(
        indicator_id,
        now,
        before,
        desired,
        assess_trend(points, short_span, desired),
        assess_trend(points, long_span, desired),
    )
