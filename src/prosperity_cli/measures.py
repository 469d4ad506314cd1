"""Measures: one quantity (a shared `measure` ID) measured in several regions, and what an
indicator's values are computed from. Pure; no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping

from prosperity_cli.model import Indicator
from prosperity_cli.spread import Statistic
from prosperity_cli.units import PERCENT, RATIO


def measures_of(indicators: Mapping[str, Indicator]) -> dict[str, list[Indicator]]:
    """Each measure's indicators, in file order, measures sorted by ID."""
    found: dict[str, list[Indicator]] = {}
    for indicator in indicators.values():
        if indicator.measure is not None:
            found.setdefault(indicator.measure, []).append(indicator)
    return dict(sorted(found.items()))


def spreads_of(indicators: Mapping[str, Indicator]) -> dict[str, list[Indicator]]:
    """The spread indicators of each measure, in file order."""
    found: dict[str, list[Indicator]] = {}
    for indicator in indicators.values():
        if indicator.spread is not None:
            found.setdefault(indicator.spread.measure, []).append(indicator)
    return found


def members(indicators: Mapping[str, Indicator], measure: str) -> list[Indicator]:
    """The indicators of one measure, in file order."""
    return [i for i in indicators.values() if i.measure == measure]


def inputs_of(indicators: Mapping[str, Indicator], indicator: Indicator) -> tuple[str, ...]:
    """The indicators a computed indicator's values come from; () for a recorded one."""
    if indicator.derived is not None:
        return (indicator.derived.numerator, indicator.derived.denominator)
    if indicator.spread is not None:
        return tuple(i.id for i in members(indicators, indicator.spread.measure))
    return ()


def spread_unit(statistic: Statistic, measure_unit: str) -> str:
    """The unit of a spread: a ratio for max/min, the measure's unit for max - min, a
    percent for the coefficient of variation."""
    if statistic is Statistic.MAX_MIN:
        return RATIO
    if statistic is Statistic.CV:
        return PERCENT
    return measure_unit
