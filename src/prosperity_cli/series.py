"""One indicator's series: revisions resolved, ordered by period, read as of a date.

Pure functions; no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from prosperity_cli.model import Observation


def effective(observations: Iterable[Observation]) -> list[Observation]:
    """One value per period, the newest revision winning, sorted oldest period first.

    "Newest" is journal order: a later `[[observations]]` block for the same period
    replaces an earlier one. Sorting is by period end, then start, so when two periods
    end on the same day the shorter (more specific) one sorts last.
    """
    newest: dict[tuple[date, date], Observation] = {}
    for observation in observations:
        key = observation.period.key
        current = newest.get(key)
        if current is None or observation.index >= current.index:
            newest[key] = observation
    return sorted(newest.values(), key=lambda o: (o.period.end, o.period.start, o.index))


def known_on(series: Sequence[Observation], as_of: date) -> list[Observation]:
    """The part of an `effective` series whose periods ended on or before `as_of`."""
    return [o for o in series if o.period.end <= as_of]


def latest(series: Sequence[Observation], as_of: date) -> Observation | None:
    """The observation with the latest period end on or before `as_of`."""
    known = known_on(series, as_of)
    return known[-1] if known else None


def previous(series: Sequence[Observation], as_of: date) -> Observation | None:
    """The observation before `latest`, for "change since last value"."""
    known = known_on(series, as_of)
    return known[-2] if len(known) >= 2 else None
