"""One indicator's series: revisions resolved, ordered by period, read as of a date.

Pure functions; no I/O.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Sequence
from datetime import date

from prosperity_cli.measures import members
from prosperity_cli.model import Indicator, Observation, Registry, grade_rank
from prosperity_cli.periods import Period, like_for_like
from prosperity_cli.spread import statistic


def counts_over(challenger: Observation, current: Observation) -> bool:
    """Does `challenger` count instead of `current`, a value for the same period?

    The better-graded source wins (official statistics over official media over secondary
    over ungraded); between sources of one grade, the newer entry in the journal (a
    revision) wins. With no grades at all this is simply "the newest revision wins".
    """
    mine, theirs = grade_rank(challenger.grade), grade_rank(current.grade)
    if mine != theirs:
        return mine > theirs
    return challenger.position >= current.position


def effective(observations: Iterable[Observation]) -> list[Observation]:
    """One value per period, the one that counts (see `counts_over`), oldest period first.

    Sorting is by period end, then start, so when two periods end on the same day the
    shorter (more specific) one sorts last.
    """
    newest: dict[tuple[date, date], Observation] = {}
    for observation in observations:
        key = observation.period.key
        current = newest.get(key)
        if current is None or counts_over(observation, current):
            newest[key] = observation
    # One value per period key, so (end, start) never ties: no need for the position.
    return sorted(newest.values(), key=_end_then_start)


def _end_then_start(observation: Observation) -> tuple[date, date]:
    period = observation.period
    return (period.end, period.start)


def _known_count(series: Sequence[Observation], as_of: date) -> int:
    """How many of an `effective` series' periods ended on or before `as_of` (the series is
    sorted by period end, so a binary search finds it)."""
    return bisect.bisect_right(series, as_of, key=_end_of)


def _end_of(observation: Observation) -> date:
    return observation.period.end


def known_on(series: Sequence[Observation], as_of: date) -> list[Observation]:
    """The part of an `effective` series whose periods ended on or before `as_of`."""
    return list(series[: _known_count(series, as_of)])


def latest(series: Sequence[Observation], as_of: date) -> Observation | None:
    """The observation with the latest period end on or before `as_of`."""
    known = _known_count(series, as_of)
    return series[known - 1] if known else None


def previous(series: Sequence[Observation], as_of: date) -> Observation | None:
    """The last observation before `latest` that is like for like with it (periods.py:
    a first-three-quarters figure compares with an earlier one, not with a full year),
    for "change since the last comparable value"."""
    known = _known_count(series, as_of)
    if known < 2:
        return None
    newest = series[known - 1].period
    for observation in reversed(series[: known - 1]):
        if like_for_like(observation.period, newest):
            return observation
    return None


def latest_like(series: Sequence[Observation], as_of: date, period: Period) -> Observation | None:
    """The latest observation on `as_of` whose period is like for like with `period`."""
    for observation in reversed(series[: _known_count(series, as_of)]):
        if like_for_like(observation.period, period):
            return observation
    return None


def comparable_on(series: Sequence[Observation], as_of: date) -> list[Observation]:
    """The values known on `as_of` that are like for like with the latest: a trend's points."""
    known = known_on(series, as_of)
    if not known:
        return known
    newest = known[-1].period
    return [o for o in known if like_for_like(o.period, newest)]


def series_of(registry: Registry, indicator_id: str) -> list[Observation]:
    """The `effective` series of an indicator; a derived one is computed from its inputs.

    A derived value exists for every period in which both inputs have a value (the newest
    revision of each) and the quotient is a finite number (no zero denominator, no
    overflow); it is provisional when either input is.
    """
    indicator = registry.indicators[indicator_id]
    if indicator.spread is not None:
        return _spread_series(registry, indicator)
    derived = indicator.derived
    if derived is None:
        return effective(registry.observations_of(indicator_id))
    numerators = {o.period.key: o for o in effective(registry.observations_of(derived.numerator))}
    computed = []
    for denominator in effective(registry.observations_of(derived.denominator)):
        numerator = numerators.get(denominator.period.key)
        if numerator is None or denominator.value == 0:
            continue
        if not math.isfinite(numerator.value / denominator.value):
            continue  # overflows a number (1e308 / 1e-308): no value, as for a zero
        computed.append(
            Observation(
                indicator_id,
                numerator.period,
                numerator.value / denominator.value,
                max(numerator.position, denominator.position),
                source=f"computed: {derived.numerator} / {derived.denominator}",
                provisional=numerator.provisional or denominator.provisional,
            )
        )
    return sorted(computed, key=_end_then_start)


def _spread_series(registry: Registry, indicator: Indicator) -> list[Observation]:
    """A spread's values: one for each period in which every region of the measure has a
    value (the same period exactly: a first-three-quarters figure does not stand in for
    a year), provisional when any region's is."""
    assert indicator.spread is not None
    regions = members(registry.indicators, indicator.spread.measure)
    columns = [{o.period.key: o for o in series_of(registry, r.id)} for r in regions]
    if not columns:
        return []
    computed = []
    for key, first in columns[0].items():
        row = [first, *(column[key] for column in columns[1:] if key in column)]
        if len(row) < len(columns):
            continue
        value = statistic(indicator.spread.statistic, [o.value for o in row])
        if value is None:
            continue  # max/min of a value that is not positive, a mean of zero: no value
        computed.append(
            Observation(
                indicator.id,
                first.period,
                value,
                max(o.position for o in row),
                source=f"computed: {indicator.spread.text} ({len(row)} regions)",
                provisional=any(o.provisional for o in row),
            )
        )
    return sorted(computed, key=_end_then_start)


def reported_of(registry: Registry, indicator_id: str) -> list[Observation]:
    """The figures a source states for a derived indicator (`reported = true`), per period."""
    return effective(o for o in registry.observations_of(indicator_id) if o.reported)
