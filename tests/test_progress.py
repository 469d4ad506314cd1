from datetime import date

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from prosperity_cli.model import Goal, Method, Observation, Target
from prosperity_cli.periods import parse_period
from prosperity_cli.progress import Status, evaluate, gap, pace, pace_class, progress
from prosperity_cli.series import effective


def obs(period: str, value: float, index: int = 0, revises: bool = False) -> Observation:
    return Observation("x", parse_period(period), value, index, revises=revises)


def target(
    goal: Goal = Goal.AT_LEAST,
    value: float = 55,
    deadline: date = date(2025, 12, 31),
    baseline: str | None = "2020",
    method: Method = Method.LINEAR,
) -> Target:
    return Target(
        "t",
        "x",
        "p",
        goal,
        value,
        deadline,
        parse_period(baseline) if baseline else None,
        method,
    )


def series(*points: tuple[str, float]) -> list[Observation]:
    return effective(obs(p, v, i) for i, (p, v) in enumerate(points))


def test_the_worked_example_of_the_methodology() -> None:
    """40 (2020) -> 46 (2023) toward at least 55 by 2025-12-31."""
    figures = evaluate(target(), series(("2020", 40), ("2023", 46)), date(2024, 6, 30))
    assert figures.progress == pytest.approx(0.40)
    assert figures.gap == pytest.approx(9)
    assert figures.pace is not None
    assert figures.pace.observed == pytest.approx(2.0)
    assert figures.pace.required == pytest.approx(3.0)
    assert figures.pace_ratio == pytest.approx(2 / 3)
    assert figures.status is Status.MODERATE
    assert figures.days_left == (date(2025, 12, 31) - date(2024, 6, 30)).days


def test_cagr_pace_compares_compound_growth_rates() -> None:
    figures = evaluate(
        target(method=Method.CAGR), series(("2020", 40), ("2023", 46)), date(2024, 6, 30)
    )
    observed = (46 / 40) ** (1 / 3) - 1
    required = (55 / 40) ** (1 / 5) - 1
    assert figures.pace is not None
    assert figures.pace_ratio == pytest.approx(observed / required)
    assert figures.pace.method is Method.CAGR


def test_falling_goal_progress_gap_and_pace() -> None:
    """Urban:rural ratio 1.96 (2020) -> 1.80 (2024) toward at most 1.7 by 2025."""
    t = target(goal=Goal.AT_MOST, value=1.7)
    figures = evaluate(t, series(("2020", 1.96), ("2024", 1.80)), date(2025, 3, 1))
    assert figures.progress == pytest.approx(0.16 / 0.26)
    assert figures.gap == pytest.approx(0.10)
    assert figures.pace_ratio == pytest.approx((0.16 / 4) / (0.26 / 5))
    assert figures.status is Status.MODERATE


def test_cagr_falls_back_to_linear_when_a_value_is_not_positive() -> None:
    t = target(value=10, method=Method.CAGR)
    figures = evaluate(t, series(("2020", -5), ("2023", 1)), date(2024, 1, 1))
    assert figures.pace is not None
    assert figures.pace.method is Method.LINEAR
    assert "linear" in " ".join(figures.notes)


def test_no_observation_means_no_data_whatever_the_date() -> None:
    for day in (date(2021, 1, 1), date(2030, 1, 1)):
        assert evaluate(target(), [], day).status is Status.NO_DATA


def test_meeting_the_goal_is_achieved_even_beyond_the_target() -> None:
    figures = evaluate(target(), series(("2020", 40), ("2023", 60)), date(2024, 1, 1))
    assert figures.status is Status.ACHIEVED
    assert figures.progress == pytest.approx(20 / 15)
    assert figures.gap == pytest.approx(-5)


def test_strict_goal_at_exactly_the_value_is_not_met() -> None:
    t = target(goal=Goal.BELOW, value=5, baseline=None)
    assert evaluate(t, series(("2024", 5)), date(2025, 1, 1)).status is not Status.ACHIEVED
    assert evaluate(t, series(("2024", 4.9)), date(2025, 1, 1)).status is Status.ACHIEVED


def test_past_deadline_without_a_deadline_value_is_pending_then_missed() -> None:
    t = target()
    early = series(("2020", 40), ("2024", 50))
    assert evaluate(t, early, date(2026, 2, 1)).status is Status.PENDING
    late = series(("2020", 40), ("2024", 50), ("2025", 52))
    assert evaluate(t, late, date(2026, 4, 1)).status is Status.MISSED


def test_status_follows_the_latest_value_when_a_goal_is_lost_again() -> None:
    s = series(("2020", 40), ("2022", 56), ("2023", 50))
    assert evaluate(target(), s, date(2022, 12, 31)).status is Status.ACHIEVED
    assert evaluate(target(), s, date(2023, 12, 31)).status is not Status.ACHIEVED


def test_as_of_hides_values_whose_period_has_not_ended() -> None:
    figures = evaluate(target(), series(("2020", 40), ("2023", 46)), date(2023, 12, 30))
    assert figures.latest is not None and figures.latest.period.text == "2020"
    assert figures.status is Status.INSUFFICIENT_DATA


def test_without_a_baseline_there_is_no_progress_or_pace() -> None:
    figures = evaluate(target(baseline=None), series(("2023", 46)), date(2024, 1, 1))
    assert figures.progress is None
    assert figures.pace is None
    assert figures.gap == pytest.approx(9)
    assert figures.status is Status.NO_BASELINE


def test_a_later_revision_replaces_the_earlier_value() -> None:
    s = effective([obs("2020", 40, 0), obs("2023", 46, 1), obs("2023", 49, 2, revises=True)])
    assert [o.value for o in s] == [40, 49]


@pytest.mark.parametrize(
    ("ratio", "status"),
    [
        (1.2, Status.ON_TRACK),
        (0.95, Status.ON_TRACK),
        (0.94, Status.MODERATE),
        (0.6, Status.MODERATE),
        (0.59, Status.INSUFFICIENT),
        (0.0, Status.INSUFFICIENT),
        (-0.01, Status.MOVING_AWAY),
    ],
)
def test_pace_classes_follow_eurostat_thresholds(ratio: float, status: Status) -> None:
    assert pace_class(ratio) is status


finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)


@given(finite, finite)
def test_progress_is_zero_at_baseline_and_one_at_target(baseline: float, goal: float) -> None:
    assume(abs(goal - baseline) > 1e-6)
    assert progress(baseline, baseline, goal) == 0
    assert progress(baseline, goal, goal) == pytest.approx(1)


@given(finite, finite)
def test_gap_is_positive_exactly_when_short(latest: float, goal: float) -> None:
    for direction in (Goal.AT_LEAST, Goal.AT_MOST):
        short = not direction.is_met(latest, goal)
        value = gap(latest, goal, direction)
        if short:
            assert value > 0
        else:
            assert value <= 1e-9 * max(1.0, abs(goal))


@given(
    st.floats(min_value=0.1, max_value=1e6),
    st.floats(min_value=0.1, max_value=1e6),
    st.sampled_from(list(Method)),
)
def test_reaching_the_target_on_schedule_is_exactly_on_pace(
    baseline: float, goal: float, method: Method
) -> None:
    assume(abs(goal / baseline - 1) > 1e-3)
    result = pace(
        baseline, date(2020, 12, 31), goal, date(2025, 12, 31), goal, date(2025, 12, 31), method
    )
    assert result is not None
    assert result.ratio == pytest.approx(1)


def test_a_part_year_figure_is_not_read_as_the_next_value_of_an_annual_baseline() -> None:
    figures = evaluate(
        target(value=80),
        series(("2020", 40), ("2023", 46), ("2024-01/2024-09", 37)),
        date(2025, 1, 1),
    )
    assert figures.latest is not None and figures.latest.period.text == "2023"
    assert figures.progress == pytest.approx(0.15)
    assert any("2024-01/2024-09" in note for note in figures.notes)


def test_without_a_comparable_value_only_the_baseline_is_known() -> None:
    figures = evaluate(
        target(value=80), series(("2020", 40), ("2024-01/2024-06", 25)), date(2025, 1, 1)
    )
    assert figures.latest is not None and figures.latest.period.text == "2020"
