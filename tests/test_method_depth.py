"""Method depth II: natural limits, fitted pace, the short term, minimum data and the
classes of indicators tracked without a target (docs/methodology.md)."""

from __future__ import annotations

from datetime import date

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import assume, given
from hypothesis import strategies as st

from prosperity_cli import fit
from prosperity_cli.chart import projection_line
from prosperity_cli.horizons import SHORT_TERM
from prosperity_cli.limits import NO_LIMIT, Limit, applying
from prosperity_cli.model import Desired, Goal, Method, Observation, Target
from prosperity_cli.momentum import Momentum
from prosperity_cli.pace import fitted_pace, pace
from prosperity_cli.periods import parse_period
from prosperity_cli.progress import Status, TargetFigures, evaluate
from prosperity_cli.series import effective
from prosperity_cli.tracked import TrendClass, assess_trend, trend_class

AS_OF = date(2030, 6, 30)


def target(
    goal: Goal = Goal.AT_LEAST,
    value: float = 55,
    method: Method = Method.LINEAR,
    baseline: str = "2020",
    deadline: date = date(2030, 12, 31),
) -> Target:
    return Target("t", "x", "p", goal, value, deadline, parse_period(baseline), method)


def series(*points: tuple[str, float]) -> list[Observation]:
    return effective(Observation("x", parse_period(p), v, i) for i, (p, v) in enumerate(points))


def yearly(start: int, values: list[float]) -> list[Observation]:
    return series(*((str(start + n), v) for n, v in enumerate(values)))


def run(
    t: Target,
    observations: list[Observation],
    as_of: date = AS_OF,
    limit: Limit = NO_LIMIT,
    short: relativedelta = SHORT_TERM,
) -> TargetFigures:
    return evaluate(t, observations, as_of, limit, short)


# --- natural limits ------------------------------------------------------------------------


def test_a_linear_projection_stops_at_the_lower_limit() -> None:
    """The issue's example: 10 -> 5 toward 0 would project -5; a share stops at 0."""
    t = target(Goal.AT_MOST, 0, baseline="2020", deadline=date(2030, 12, 31))
    observations = series(("2020", 10), ("2025", 5))
    free = run(t, observations, date(2026, 1, 1))
    bounded = run(t, observations, date(2026, 1, 1), Limit(0, 100))
    assert free.projection.projected == pytest.approx(0)  # 5 - 1/yr * 5 yr = 0 exactly
    steeper = series(("2020", 10), ("2022", 5))
    # -2.5 a year from 5 (2022) for the 8 years to the deadline: 5 - 20 = -15, or 0.
    assert run(t, steeper, date(2023, 1, 1)).projection.projected == pytest.approx(-15)
    assert run(t, steeper, date(2023, 1, 1), Limit(0, 100)).projection.projected == 0
    assert bounded.projection.projected == pytest.approx(0)


def test_a_compound_projection_stops_at_the_upper_limit() -> None:
    t = target(Goal.AT_LEAST, 95, method=Method.CAGR)
    observations = series(("2020", 60), ("2024", 90))
    assert run(t, observations, date(2025, 1, 1)).projection.projected > 100
    assert run(t, observations, date(2025, 1, 1), Limit(0, 100)).projection.projected == 100


def test_a_target_at_the_limit_is_met_within_one_percent_of_the_range() -> None:
    t = target(Goal.AT_LEAST, 100, baseline="2020")
    near = run(t, series(("2020", 80), ("2024", 99.2)), date(2025, 1, 1), Limit(0, 100))
    assert near.status is Status.ACHIEVED
    assert any("near-limit rule" in note for note in near.notes)
    far = run(t, series(("2020", 80), ("2024", 98.9)), date(2025, 1, 1), Limit(0, 100))
    assert far.status is not Status.ACHIEVED
    no_limit = run(t, series(("2020", 80), ("2024", 99.2)), date(2025, 1, 1))
    assert no_limit.status is not Status.ACHIEVED


def test_without_an_upper_limit_the_margin_is_one_percent_of_the_way_to_go() -> None:
    t = target(Goal.AT_MOST, 0)
    # From 50 to 0: 1 % of the way is 0.5.
    near = run(t, series(("2020", 50), ("2024", 0.5)), date(2025, 1, 1), Limit(0, None))
    assert near.status is Status.ACHIEVED
    far = run(t, series(("2020", 50), ("2024", 0.6)), date(2025, 1, 1), Limit(0, None))
    assert far.status is not Status.ACHIEVED


def test_the_reached_by_date_aims_at_the_near_limit_threshold() -> None:
    t = target(Goal.AT_LEAST, 100, baseline="2020", deadline=date(2040, 12, 31))
    # +2 pp a year from 90 (2024-12-31): 99 (the threshold) after 4.5 years, that is
    # 2028-12-31 + 0.5 x 365 days = + 182 days; 100 would take 5 years (2029-12-31).
    figures = run(t, series(("2020", 82), ("2024", 90)), date(2025, 1, 1), Limit(0, 100))
    assert figures.projection.reached_by == date(2029, 7, 1)


def test_the_unit_limit_does_not_apply_to_values_beyond_it() -> None:
    assert applying("percent", None, [5, 50]) == Limit(0, 100)
    assert applying("percent", None, [-3, 5]) == NO_LIMIT
    assert applying("percent", Limit(-100, None), [-3]) == Limit(-100, None)
    assert applying("yuan", None, [-3]) == NO_LIMIT
    assert applying("ratio", None, [1.5]) == Limit(0, None)


@given(
    start=st.floats(1, 100),
    latest=st.floats(0, 100),
    goal_value=st.floats(0, 100),
    years=st.integers(1, 9),
    method=st.sampled_from(list(Method)),
)
def test_a_projection_never_crosses_its_limit(
    start: float, latest: float, goal_value: float, years: int, method: Method
) -> None:
    goal = Goal.AT_LEAST if goal_value > start else Goal.AT_MOST
    t = target(goal, goal_value, method=method)
    points = [("2020", start), *((str(2020 + n), latest) for n in range(1, years + 1))]
    figures = run(t, series(*points), date(2030, 1, 1), Limit(0, 100))
    projected = figures.projection.projected
    assert projected is None or 0 <= projected <= 100


# --- fitted pace ---------------------------------------------------------------------------


def test_the_least_squares_slope_of_a_line_is_its_slope() -> None:
    assert fit.slope([0, 1, 2, 3], [1, 3, 5, 7]) == pytest.approx(2)
    assert fit.slope([1, 1], [1, 2]) is None
    assert fit.growth_rate([0, 1, 2], [100, 110, 121]) == pytest.approx(0.10)
    assert fit.growth_rate([0, 1, 2], [100, 0, 121]) is None


def test_the_trend_uses_every_value_not_only_the_ends() -> None:
    # 40, 50, 42, 46: the ends say +2/yr; the fit through all four says +1/yr
    # (sum of (x - 1.5)(y - 44.5) = 5 over sum of (x - 1.5)^2 = 5).
    observations = yearly(2020, [40, 50, 42, 46])
    endpoints = run(target(method=Method.LINEAR), observations, date(2024, 6, 30))
    fitted = run(target(method=Method.LINEAR_TREND), observations, date(2024, 6, 30))
    assert endpoints.pace is not None and endpoints.pace.observed == pytest.approx(2)
    assert fitted.pace is not None and fitted.pace.observed == pytest.approx(1.0)
    assert fitted.pace.points == 4
    assert fitted.pace.required == endpoints.pace.required


def test_trend_is_log_linear_and_falls_back_for_values_that_are_not_positive() -> None:
    observations = yearly(2020, [100, 110, 121, 133.1])
    figures = run(target(value=200, method=Method.TREND), observations, date(2024, 6, 30))
    assert figures.pace is not None and figures.pace.method is Method.TREND
    assert figures.pace.observed == pytest.approx(0.10)
    negative = run(
        target(value=5, method=Method.TREND), yearly(2020, [-2, -1, 0, 1]), date(2024, 6, 30)
    )
    assert negative.pace is not None and negative.pace.method is Method.LINEAR_TREND
    assert any("linear-trend used" in note for note in negative.notes)


@given(
    start=st.floats(-50, 50),
    step=st.floats(-5, 5),
    count=st.integers(3, 10),
    goal_value=st.floats(-200, 200),
)
def test_the_linear_trend_of_exactly_linear_data_equals_the_linear_pace(
    start: float, step: float, count: int, goal_value: float
) -> None:
    values = [start + step * n for n in range(count)]
    assume(abs(goal_value - start) > 1e-3)
    observations = yearly(2000, values)
    goal = Goal.AT_LEAST if goal_value > start else Goal.AT_MOST
    t = target(goal, goal_value, baseline="2000", deadline=date(2040, 12, 31))
    two = pace(start, date(2000, 12, 31), values[-1], date(2000 + count - 1, 12, 31),
               goal_value, t.deadline, Method.LINEAR)  # fmt: skip
    fitted = fitted_pace(observations, goal_value, t.deadline, Method.LINEAR_TREND)
    assert (two is None) == (fitted is None)
    if two is not None and fitted is not None:
        assert fitted.observed == pytest.approx(two.observed, abs=1e-9)
        assert fitted.ratio == pytest.approx(two.ratio, rel=1e-9, abs=1e-9)


@given(start=st.floats(1, 1000), growth=st.floats(-0.5, 0.5), count=st.integers(3, 10))
def test_the_trend_of_exactly_geometric_data_equals_the_cagr_pace(
    start: float, growth: float, count: int
) -> None:
    values = [start * (1 + growth) ** n for n in range(count)]
    t = target(Goal.AT_LEAST, start * 3, baseline="2000", deadline=date(2040, 12, 31))
    two = pace(start, date(2000, 12, 31), values[-1], date(2000 + count - 1, 12, 31),
               t.value, t.deadline, Method.CAGR)  # fmt: skip
    fitted = fitted_pace(yearly(2000, values), t.value, t.deadline, Method.TREND)
    assert two is not None and fitted is not None
    assert fitted.observed == pytest.approx(two.observed, rel=1e-6, abs=1e-9)


# --- minimum data ----------------------------------------------------------------------------


def test_only_the_baseline_known_is_insufficient_data_not_no_baseline() -> None:
    figures = run(target(), yearly(2020, [40]), date(2021, 6, 30))
    assert figures.status is Status.INSUFFICIENT_DATA


def test_a_fit_needs_three_values_over_two_years() -> None:
    before = date(2022, 6, 30)
    assert run(target(method=Method.LINEAR_TREND), yearly(2020, [40, 44]), before).status is (
        Status.INSUFFICIENT_DATA
    )
    quarters = series(("2021-Q1", 40), ("2021-Q2", 41), ("2021-Q3", 42))
    quarterly = target(method=Method.LINEAR_TREND, baseline="2021-Q1")
    figures = run(quarterly, quarters, date(2022, 1, 1))
    assert figures.status is Status.INSUFFICIENT_DATA
    assert any("3 comparable values over 2 years" in note for note in figures.notes)
    enough = run(target(method=Method.LINEAR_TREND), yearly(2020, [40, 42, 44]), date(2023, 6, 30))
    assert enough.pace is not None and enough.status is not Status.INSUFFICIENT_DATA


# --- short term and long term --------------------------------------------------------------


def test_the_short_term_pace_covers_the_last_years_and_says_slowing() -> None:
    # Fast from 2010 to 2018, flat since. Long term: (91 - 10) / 12 = 6.75 a year against
    # (110 - 10) / 15 = 6.67, on track. Short term, from 80 (2017): 11 / 5 = 2.2 against
    # (110 - 80) / 8 = 3.75, a ratio of 0.59: insufficient.
    values = [10, 20, 30, 40, 50, 60, 70, 80, 90, 90, 90, 91, 91]
    t = target(Goal.AT_LEAST, 110, baseline="2010", deadline=date(2025, 12, 31))
    figures = run(t, yearly(2010, values), date(2023, 6, 30))
    assert figures.status is Status.ON_TRACK
    short = figures.short_term
    assert short is not None and short.start.period.text == "2017"
    assert short.klass is Status.INSUFFICIENT
    assert figures.momentum is Momentum.SLOWING


def test_accelerating_when_the_recent_class_is_better() -> None:
    # Flat to 2017, then 70 % of the way in five years. Long term: 70 / 12 against 100 / 15,
    # 0.875: moderate. Short term, from 10 (2017): 70 / 5 against 100 / 8, 1.12: on track.
    values = [10, 10, 10, 10, 10, 10, 10, 10, 24, 38, 52, 66, 80]
    t = target(Goal.AT_LEAST, 110, baseline="2010", deadline=date(2025, 12, 31))
    figures = run(t, yearly(2010, values), date(2023, 6, 30))
    assert figures.momentum is Momentum.ACCELERATING


def test_no_short_term_when_the_baseline_is_within_it() -> None:
    figures = run(target(), yearly(2020, [40, 42, 44]), date(2023, 6, 30))
    assert figures.short_term is None and figures.momentum is None


def test_a_short_window_with_too_few_years_is_insufficient_data() -> None:
    # The window's only values are 2022 and 2023 (one year apart; three required).
    observations = series(("2010", 10), ("2022", 50), ("2023", 55))
    t = target(Goal.AT_LEAST, 100, baseline="2010", deadline=date(2030, 12, 31))
    figures = run(t, observations, date(2024, 6, 30))
    assert figures.short_term is not None
    assert figures.short_term.klass is Status.INSUFFICIENT_DATA
    assert figures.momentum is None


# --- tracked indicators: Eurostat's classes ------------------------------------------------


@pytest.mark.parametrize(
    ("growth", "desired", "expected"),
    [
        (0.0100, Desired.INCREASE, TrendClass.SIGNIFICANT_PROGRESS),
        (0.0099, Desired.INCREASE, TrendClass.MODERATE_PROGRESS),
        (0.0, Desired.INCREASE, TrendClass.MODERATE_PROGRESS),
        (-0.0001, Desired.INCREASE, TrendClass.MODERATE_MOVEMENT_AWAY),
        (-0.0100, Desired.INCREASE, TrendClass.MODERATE_MOVEMENT_AWAY),
        (-0.0101, Desired.INCREASE, TrendClass.SIGNIFICANT_MOVEMENT_AWAY),
        (-0.0100, Desired.DECREASE, TrendClass.SIGNIFICANT_PROGRESS),
        (0.0150, Desired.DECREASE, TrendClass.SIGNIFICANT_MOVEMENT_AWAY),
        (0.0050, Desired.DECREASE, TrendClass.MODERATE_MOVEMENT_AWAY),
    ],
)
def test_each_class_boundary(growth: float, desired: Desired, expected: TrendClass) -> None:
    assert trend_class(growth, desired) is expected


def test_a_tracked_trend_is_the_cagr_of_its_window() -> None:
    points = yearly(2015, [100, 101, 102, 104, 105, 110.5, 112, 115])
    trend = assess_trend(points, relativedelta(years=5), Desired.INCREASE)
    assert trend.start is not None and trend.start.period.text == "2017"
    assert trend.growth == pytest.approx((115 / 102) ** (1 / 5) - 1)
    assert trend.klass is TrendClass.SIGNIFICANT_PROGRESS


def test_a_tracked_trend_needs_three_years_of_data() -> None:
    trend = assess_trend(
        yearly(2022, [100, 101, 103, 104]), relativedelta(years=5), Desired.INCREASE
    )
    assert trend.klass is TrendClass.SIGNIFICANT_PROGRESS
    short = assess_trend(yearly(2024, [100, 103]), relativedelta(years=5), Desired.INCREASE)
    assert short.klass is TrendClass.INSUFFICIENT_DATA


def test_growth_rates_need_positive_values() -> None:
    trend = assess_trend(yearly(2020, [-1, 0, 1, 2]), relativedelta(years=5), Desired.INCREASE)
    assert trend.klass is None and "positive" in trend.note


# --- the chart's projection line respects the limit --------------------------------------


def test_a_linear_projection_line_bends_where_it_meets_the_limit() -> None:
    t = target(Goal.AT_MOST, 0, baseline="2020")
    figures = run(t, series(("2020", 10), ("2022", 5)), date(2023, 1, 1), Limit(0, 100))
    line = projection_line(figures)
    # -2.5 a year from 5 at 2022-12-31 reaches 0 two years later, then stays there.
    assert [(p.when, p.value) for p in line] == [
        (date(2022, 12, 31), 5),
        (date(2024, 12, 31), 0),
        (date(2030, 12, 31), 0),
    ]


@given(start=st.floats(1, 99), latest=st.floats(1, 99), method=st.sampled_from(list(Method)))
def test_no_point_of_a_projection_line_crosses_the_limit(
    start: float, latest: float, method: Method
) -> None:
    goal = Goal.AT_LEAST if latest >= start else Goal.AT_MOST
    t = target(goal, 100 if goal is Goal.AT_LEAST else 0, method=method)
    points = series(("2020", start), ("2021", (start + latest) / 2), ("2023", latest))
    figures = run(t, points, date(2024, 6, 30), Limit(0, 100))
    assert all(0 <= p.value <= 100 for p in projection_line(figures))
