"""Is an indicator's data up to date? Due dates and staleness. Pure functions, no I/O.

The next value of an indicator is due at the end of its latest observed period, plus one
period of its cadence, plus its publication lag:

    annual, lag "3 months", latest period 2024  ->  due 2025-12-31 + 3 months = 2026-03-31

After the due date the indicator is `overdue` (a warning); after due + grace (the
indicator's own, else the registry's `[defaults] grace`, else one month) it is `stale`
(an error). Irregular indicators are never overdue. The rules, with examples, are in
docs/methodology.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum

from dateutil.relativedelta import relativedelta

from prosperity_cli.model import Defaults, Indicator, Observation
from prosperity_cli.periods import add_duration, next_period_end
from prosperity_cli.series import latest

DEFAULT_GRACE = relativedelta(months=1)


class State(Enum):
    FRESH = "fresh"
    OVERDUE = "overdue"
    STALE = "stale"
    NO_DATA = "no-data"
    IRREGULAR = "irregular"


@dataclass(frozen=True, slots=True)
class Freshness:
    """An indicator's freshness on one date."""

    indicator: Indicator
    state: State
    latest: Observation | None
    due: date | None
    stale_after: date | None


def due_date(indicator: Indicator, latest_observation: Observation) -> date | None:
    """When the value after `latest_observation` should be in; None for irregular series."""
    next_end = next_period_end(latest_observation.period, indicator.cadence)
    if next_end is None:
        return None
    return add_duration(next_end, indicator.lag.delta) if indicator.lag else next_end


def grace_of(indicator: Indicator, defaults: Defaults) -> relativedelta:
    """The indicator's grace, else the registry default, else one month."""
    chosen = indicator.grace or defaults.grace
    return chosen.delta if chosen else DEFAULT_GRACE


def freshness(
    indicator: Indicator, series: Sequence[Observation], as_of: date, defaults: Defaults
) -> Freshness:
    """The freshness of `indicator` on `as_of`, from its `effective` series."""
    newest = latest(series, as_of)
    if newest is None:
        return Freshness(indicator, State.NO_DATA, None, None, None)
    due = due_date(indicator, newest)
    if due is None:
        return Freshness(indicator, State.IRREGULAR, newest, None, None)
    stale_after = add_duration(due, grace_of(indicator, defaults))
    if as_of > stale_after:
        state = State.STALE
    elif as_of > due:
        state = State.OVERDUE
    else:
        state = State.FRESH
    return Freshness(indicator, state, newest, due, stale_after)
