"""Due dates and staleness at the boundaries, for every cadence."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from prosperity_cli.freshness import State, due_date, freshness
from prosperity_cli.model import Defaults, Indicator, Observation
from prosperity_cli.periods import Cadence, parse_duration, parse_period


def indicator(cadence: Cadence, lag: str | None = None, grace: str | None = None) -> Indicator:
    return Indicator(
        "x",
        "X",
        "yuan",
        cadence,
        lag=parse_duration(lag) if lag else None,
        grace=parse_duration(grace) if grace else None,
    )


def obs(period: str) -> Observation:
    return Observation("x", parse_period(period), 1.0)


def state_on(ind: Indicator, period: str, day: date) -> State:
    return freshness(ind, [obs(period)], day, Defaults()).state


def test_the_documented_example_annual_lag_3_months() -> None:
    assert due_date(indicator(Cadence.ANNUAL, "3 months"), obs("2024")) == date(2026, 3, 31)


# (cadence, lag, latest period, due, stale after with the default one-month grace)
BOUNDARIES = [
    (Cadence.ANNUAL, "3 months", "2024", date(2026, 3, 31), date(2026, 4, 30)),
    (Cadence.ANNUAL, None, "2023", date(2024, 12, 31), date(2025, 1, 31)),
    (Cadence.SEMIANNUAL, "2 months", "2024-H2", date(2025, 8, 31), date(2025, 9, 30)),
    (Cadence.QUARTERLY, "45 days", "2024-Q3", date(2025, 2, 14), date(2025, 3, 14)),
    (Cadence.QUARTERLY, None, "2025-01/2025-09", date(2025, 12, 31), date(2026, 1, 31)),
    (Cadence.MONTHLY, "1 month", "2024-01", date(2024, 3, 31), date(2024, 4, 30)),
    (Cadence.MONTHLY, None, "2024-01", date(2024, 2, 29), date(2024, 3, 31)),
    (Cadence.MONTHLY, None, "2023-01", date(2023, 2, 28), date(2023, 3, 31)),
    (Cadence.MONTHLY, "20 days", "2024-02", date(2024, 4, 20), date(2024, 5, 20)),
]


@pytest.mark.parametrize(("cadence", "lag", "period", "due", "stale_after"), BOUNDARIES)
def test_state_around_due_and_grace(
    cadence: Cadence, lag: str | None, period: str, due: date, stale_after: date
) -> None:
    ind = indicator(cadence, lag)
    day = timedelta(days=1)
    result = freshness(ind, [obs(period)], due, Defaults())
    assert (result.due, result.stale_after) == (due, stale_after)
    assert state_on(ind, period, due - day) is State.FRESH
    assert state_on(ind, period, due) is State.FRESH
    assert state_on(ind, period, due + day) is State.OVERDUE
    assert state_on(ind, period, stale_after) is State.OVERDUE
    assert state_on(ind, period, stale_after + day) is State.STALE


def test_grace_comes_from_the_indicator_then_the_defaults() -> None:
    ind = indicator(Cadence.ANNUAL, None, grace="10 days")
    assert freshness(ind, [obs("2023")], date(2025, 1, 1), Defaults()).stale_after == date(
        2025, 1, 10
    )
    plain = indicator(Cadence.ANNUAL)
    wide = Defaults(grace=parse_duration("3 months"))
    assert freshness(plain, [obs("2023")], date(2025, 1, 1), wide).stale_after == date(2025, 3, 31)


def test_irregular_indicators_are_never_stale() -> None:
    assert state_on(indicator(Cadence.IRREGULAR), "2001", date(2040, 1, 1)) is State.IRREGULAR


def test_no_observation_is_no_data() -> None:
    assert freshness(indicator(Cadence.ANNUAL), [], date(2025, 1, 1), Defaults()).state is (
        State.NO_DATA
    )


def test_only_periods_ended_by_as_of_count() -> None:
    series = [obs("2023"), obs("2024")]
    early = freshness(indicator(Cadence.ANNUAL), series, date(2024, 6, 1), Defaults())
    assert early.latest is not None and early.latest.period.text == "2023"
    assert early.due == date(2024, 12, 31)
