"""Method depth: derived ratios, projections, provisional values and the edge cases."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from conftest import SMALL, Cli
from prosperity_cli.model import Goal, Method, Observation, Target
from prosperity_cli.periods import parse_period
from prosperity_cli.progress import Status, evaluate
from prosperity_cli.registry import parse_registry
from prosperity_cli.series import effective, series_of

DERIVED = """\
format = 1

[plans.p]
title = "Plan"

[indicators.urban]
name = "Urban income"
unit = "yuan"
cadence = "quarterly"

[indicators.rural]
name = "Rural income"
unit = "yuan"
cadence = "quarterly"

[indicators.gap]
name = "Urban:rural ratio"
derived = { numerator = "urban", denominator = "rural" }

[targets.gap-2025]
indicator = "gap"
plan = "p"
goal = "at-most"
value = 1.5
deadline = 2025-12-31

[[observations]]
indicator = "urban"
period = "2025-01/2025-09"
value = 69987

[[observations]]
indicator = "rural"
period = "2025-01/2025-09"
value = 45183

[[observations]]
indicator = "gap"
period = "2025-01/2025-09"
value = 1.55
reported = true
"""


def status_json(cli: Cli, path: Path, as_of: str) -> dict:
    result = cli("status", "--registry", path, "--format", "json", "--as-of", as_of)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


# --- derived indicators -------------------------------------------------------------------


def test_derived_values_are_computed_from_both_inputs() -> None:
    registry = parse_registry(DERIVED)
    [value] = series_of(registry, "gap")
    assert value.value == pytest.approx(69987 / 45183)
    assert registry.indicators["gap"].unit == "ratio"
    assert registry.indicators["gap"].cadence.value == "quarterly"


def test_derived_values_use_the_newest_revision_of_each_input() -> None:
    text = DERIVED + (
        '\n[[observations]]\nindicator = "rural"\nperiod = "2025-01/2025-09"\n'
        "value = 46000\nrevises = true\n"
    )
    [value] = series_of(parse_registry(text), "gap")
    assert value.value == pytest.approx(69987 / 46000)


def test_a_period_with_only_one_input_has_no_derived_value() -> None:
    text = DERIVED + '\n[[observations]]\nindicator = "urban"\nperiod = "2025-Q4"\nvalue = 1\n'
    assert len(series_of(parse_registry(text), "gap")) == 1


def test_derived_values_cannot_be_added_by_hand(cli: Cli, write_registry) -> None:
    path = write_registry(DERIVED.replace("reported = true\n", ""))
    result = cli("status", "--registry", path)
    assert result.exit_code == 2
    assert "gap is derived (urban / rural); its values are computed" in result.stderr
    assert "reported = true" in result.stderr


def test_derivation_must_name_existing_plain_indicators(cli: Cli, write_registry) -> None:
    path = write_registry(DERIVED.replace('denominator = "rural"', 'denominator = "rurall"'))
    result = cli("status", "--registry", path)
    assert result.exit_code == 2
    assert "indicators.gap.derived.denominator: no indicator 'rurall'" in result.stderr
    assert "did you mean 'rural'" in result.stderr


def test_reported_value_within_rounding_agrees(cli: Cli, write_registry) -> None:
    """69,987 / 45,183 = 1.549, shown 1.55:1: agrees with the stated 1.55."""
    result = cli("check", "--registry", write_registry(DERIVED), "--as-of", "2025-10-01")
    assert "reported-mismatch" not in result.stdout


def test_reported_value_beyond_rounding_is_a_warning(cli: Cli, write_registry) -> None:
    path = write_registry(DERIVED.replace("value = 1.55\n", "value = 1.56\n"))
    result = cli("check", "--registry", path, "--as-of", "2025-10-01", "--format", "json")
    kinds = [f["kind"] for f in json.loads(result.stdout)["findings"]]
    assert kinds == ["reported-mismatch"]
    assert result.exit_code == 0


def test_status_uses_the_computed_value(cli: Cli, write_registry) -> None:
    data = status_json(cli, write_registry(DERIVED), "2025-10-01")
    assert data["targets"][0]["latest"]["value"] == pytest.approx(69987 / 45183)
    assert data["targets"][0]["status"] == "no-baseline"


# --- projections: the worked example of docs/methodology.md -------------------------------


def test_projection_of_the_worked_example(cli: Cli, write_registry) -> None:
    """40 (2020) -> 46 (2023), at least 55 by 2025-12-31, linear."""
    [record] = status_json(cli, write_registry(SMALL), "2024-06-30")["targets"]
    assert record["observed_rate"] == pytest.approx(2.0)  # (46 - 40) / 3 years
    assert record["required_rate"] == pytest.approx(4.5)  # (55 - 46) / 2 years
    assert record["projected"] == pytest.approx(50.0)  # 46 + 2 * 2
    assert record["reached_by"] == "2028-07-01"  # 9 / 2 = 4.5 years after 2023-12-31
    assert record["expected_progress"] == pytest.approx(0.6)  # 3 of 5 years


def test_falling_goal_needs_and_does_in_the_same_unit(cli: Cli, write_registry) -> None:
    text = SMALL + (
        '\n[targets.ratio-2025]\nindicator = "ratio"\nplan = "p"\ngoal = "at-most"\n'
        'value = 1.7\ndeadline = 2025-12-31\nbaseline = "2020"\nmethod = "linear"\n'
    )
    data = status_json(cli, write_registry(text), "2025-06-30")
    record = next(t for t in data["targets"] if t["id"] == "ratio-2025")
    assert record["observed_rate"] == pytest.approx(-0.04)  # (1.80 - 1.96) / 4
    assert record["required_rate"] == pytest.approx(-0.10)  # (1.70 - 1.80) / 1
    assert record["projected"] == pytest.approx(1.76)
    # 0.10 / 0.04 = 2.5 years after 2024-12-31, give or take a day of float rounding
    reached = date.fromisoformat(record["reached_by"])
    assert abs((reached - date(2027, 7, 1)).days) <= 1


def target(goal: Goal = Goal.AT_LEAST, value: float = 55, method: Method = Method.LINEAR):
    return Target("t", "x", "p", goal, value, date(2025, 12, 31), parse_period("2020"), method)


def run(t: Target, *points: tuple[str, float], as_of: date = date(2025, 6, 30)):
    observations = [Observation("x", parse_period(p), v, i) for i, (p, v) in enumerate(points)]
    return evaluate(t, effective(observations), as_of)


def test_cagr_projection_compounds() -> None:
    figures = run(target(method=Method.CAGR), ("2020", 40), ("2023", 46))
    rate = (46 / 40) ** (1 / 3) - 1
    assert figures.projection.projected == pytest.approx(46 * (1 + rate) ** 2)


def test_moving_away_is_never_reached() -> None:
    figures = run(target(), ("2020", 40), ("2023", 38))
    assert figures.status is Status.MOVING_AWAY
    assert figures.projection.reached_by is None


# --- edge cases ------------------------------------------------------------------------------


def test_baseline_equal_to_target_then_falling_back_is_moving_away() -> None:
    figures = run(target(value=40), ("2020", 40), ("2023", 39))
    assert figures.progress is None
    assert figures.status is Status.MOVING_AWAY


def test_baseline_equal_to_target_and_still_met_is_achieved() -> None:
    assert run(target(value=40), ("2020", 40), ("2023", 41)).status is Status.ACHIEVED


def test_latest_beyond_target() -> None:
    figures = run(target(), ("2020", 40), ("2023", 61))
    assert figures.progress is not None and figures.progress > 1
    assert figures.gap is not None and figures.gap < 0
    assert figures.projection.required_rate == 0.0


def test_single_observation_has_no_pace() -> None:
    figures = run(target(), ("2020", 40))
    assert figures.pace is None
    assert figures.status is Status.INSUFFICIENT_DATA
    assert "no pace yet" in " ".join(figures.notes)


def test_zero_value_under_cagr_falls_back_and_says_so() -> None:
    figures = run(target(method=Method.CAGR, value=10), ("2020", 0), ("2023", 3))
    assert figures.pace is not None and figures.pace.method is Method.LINEAR
    assert any("linear" in note for note in figures.notes)


def test_observation_after_the_deadline_decides() -> None:
    t = target()
    assert run(t, ("2020", 40), ("2026", 56), as_of=date(2027, 3, 1)).status is Status.ACHIEVED
    missed = run(t, ("2020", 40), ("2026", 50), as_of=date(2027, 3, 1))
    assert missed.status is Status.MISSED
    assert missed.projection.projected is None


def test_percent_at_100() -> None:
    t = target(value=100)
    figures = run(t, ("2020", 90), ("2023", 100))
    assert figures.status is Status.ACHIEVED
    assert figures.progress == pytest.approx(1)


def test_strict_below_5_at_exactly_5() -> None:
    t = target(goal=Goal.BELOW, value=5)
    figures = run(t, ("2020", 6), ("2023", 5))
    assert figures.status is not Status.ACHIEVED
    assert figures.gap == 0


# --- provisional values ---------------------------------------------------------------------


def test_provisional_values_are_marked_everywhere(cli: Cli, write_registry) -> None:
    path = write_registry(SMALL.replace("value = 46\n", "value = 46\nprovisional = true\n"))
    table = cli("status", "--registry", path, "--as-of", "2024-06-30").stdout
    assert "46 yuan p" in table
    data = status_json(cli, path, "2024-06-30")
    assert data["targets"][0]["latest"]["provisional"] is True
    markdown = cli("status", "-r", path, "--as-of", "2024-06-30", "--format", "markdown").stdout
    assert "46 yuan p (2023)" in markdown


def test_old_provisional_values_are_a_warning(cli: Cli, write_registry) -> None:
    text = SMALL.replace("value = 46\n", "value = 46\nprovisional = true\n")
    text = text.replace("format = 1\n", 'format = 1\n\n[defaults]\nprovisional_age = "3 months"\n')
    path = write_registry(text)
    fresh = cli("check", "-r", path, "--as-of", "2024-03-31", "--format", "json").stdout
    assert "provisional" not in [f["kind"] for f in json.loads(fresh)["findings"]]
    old = cli("check", "-r", path, "--as-of", "2024-04-01", "--format", "json").stdout
    assert "provisional" in [f["kind"] for f in json.loads(old)["findings"]]


def test_baseline_that_already_meets_the_goal_has_no_progress_and_losing_it_is_moving_away():
    """At least 35 from a baseline of 40: falling to 30 loses the goal; it is not 'on track'."""
    figures = run(target(value=35), ("2020", 40), ("2023", 30))
    assert figures.progress is None
    assert figures.pace is None
    assert figures.status is Status.MOVING_AWAY
    assert "baseline already meets the target" in figures.notes
