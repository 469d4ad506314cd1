"""Short term and long term: the values of the last few years, and whether they suffice.

Eurostat's SDG monitoring judges every indicator over the past five years (short term) and
the past fifteen (long term). Here the long term of a target is the time since its
baseline; the short term is the last `[defaults] short_term` (five years unless set) when
that is shorter. A tracked indicator's long term is the last `[defaults] long_term`
(fifteen years). docs/methodology.md, "Short term and long term" and "Minimum data".
Pure; no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence

from dateutil.relativedelta import relativedelta

from prosperity_cli.model import Defaults, Observation
from prosperity_cli.periods import Duration, years_between

SHORT_TERM = relativedelta(years=5)
LONG_TERM = relativedelta(years=15)
#: The fewest years a window's values must span to be judged, when the window is longer.
MIN_WINDOW_YEARS = 3.0


def short_term(defaults: Defaults) -> relativedelta:
    return _delta(defaults.short_term, SHORT_TERM)


def long_term(defaults: Defaults) -> relativedelta:
    return _delta(defaults.long_term, LONG_TERM)


def _delta(declared: Duration | None, default: relativedelta) -> relativedelta:
    return default if declared is None else declared.delta


def window(points: Sequence[Observation], span: relativedelta) -> list[Observation]:
    """The points whose periods end no more than `span` before the last one's end (the
    last included): the values of the last `span`. `points` are sorted by period end."""
    if not points:
        return []
    start = points[-1].period.end - span
    return [p for p in points if p.period.end >= start]


def spans_enough(points: Sequence[Observation], span: relativedelta) -> bool:
    """Do the points cover enough of the window to be judged: at least two values, at least
    MIN_WINDOW_YEARS apart (or the whole window, when it is shorter)?"""
    if len(points) < 2:
        return False
    covered = years_between(points[0].period.end, points[-1].period.end)
    whole = years_between(points[-1].period.end - span, points[-1].period.end)
    return covered >= min(MIN_WINDOW_YEARS, whole) - 1e-9
