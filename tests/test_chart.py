"""The chart model (chart.py) with exact numbers, and the terminal chart of `prosperity show`."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest

from conftest import SMALL, Cli
from prosperity_cli.assessment import assess
from prosperity_cli.chart import (
    ObservedPoint,
    Point,
    chart_of_indicator,
    chart_of_target,
    date_extent,
    report_charts,
    year_ticks,
)
from prosperity_cli.registry import parse_registry
from prosperity_cli.render import chart_terminal

#: Compound growth: 100 in 2020, 121 in 2022 (10% a year), 200 wanted by the end of 2026.
CAGR = """\
format = 1

[plans.p]
title = "Plan"

[indicators.output]
name = "Output"
unit = "yuan"
cadence = "annual"

[targets.output-2026]
indicator = "output"
plan = "p"
goal = "at-least"
value = 200
deadline = 2026-12-31
baseline = "2020"

[targets.unbased]
indicator = "output"
plan = "p"
goal = "at-least"
value = 200
deadline = 2026-12-31

[indicators.empty]
name = "Nothing yet"
unit = "yuan"
cadence = "annual"

[targets.empty-2026]
indicator = "empty"
plan = "p"
goal = "at-least"
value = 1
deadline = 2026-12-31

[indicators.once]
name = "Measured once"
unit = "percent"
cadence = "annual"

[indicators.twice]
name = "Measured twice"
region = "Z"
unit = "ratio"
cadence = "annual"

[[observations]]
indicator = "output"
period = "2020"
value = 100

[[observations]]
indicator = "output"
period = "2022"
value = 121
provisional = true

[[observations]]
indicator = "once"
period = "2022"
value = 50

[[observations]]
indicator = "twice"
period = "2021"
value = 2.0

[[observations]]
indicator = "twice"
period = "2023"
value = 1.8

[[observations]]
indicator = "twice"
period = "2025"
value = 1.7
"""


def target_chart_on(text: str, ident: str, as_of: date):  # type: ignore[no-untyped-def]
    assessment = assess(parse_registry(text), as_of)
    figures = next(f for f in assessment.targets if f.target.id == ident)
    return chart_of_target(assessment, figures)


def test_linear_target_chart_has_path_target_deadline_and_straight_projection() -> None:
    chart = target_chart_on(SMALL, "income-2025", date(2024, 6, 30))
    assert chart.title == "Median income — Testland"
    assert chart.unit == "yuan"
    assert chart.observations == (
        ObservedPoint(date(2020, 12, 31), 40.0, False, "2020"),
        ObservedPoint(date(2023, 12, 31), 46.0, False, "2023"),
    )
    assert chart.path == (Point(date(2020, 12, 31), 40.0), Point(date(2025, 12, 31), 55.0))
    # 2 a year observed (40 -> 46 in 3 years), carried 2 years from the end of 2023.
    assert chart.projection == (Point(date(2023, 12, 31), 46.0), Point(date(2025, 12, 31), 50.0))
    assert chart.target == 55.0
    assert chart.deadline == date(2025, 12, 31)


def test_cagr_projection_samples_the_compound_curve_to_the_projected_value() -> None:
    chart = target_chart_on(CAGR, "output-2026", date(2023, 6, 30))
    expected = [
        (date(2022, 12, 31), 121.0),
        (date(2023, 8, 31), 128.93787064875988),  # 2/3 of a year at 10%
        (date(2024, 5, 1), 137.3964833672425),
        (date(2024, 12, 31), 146.41),
        (date(2025, 8, 31), 156.0148234849995),
        (date(2026, 5, 2), 166.24974487436344),
        (date(2026, 12, 31), 177.1561),  # = progress's projected value
    ]
    assert [p.when for p in chart.projection] == [when for when, _ in expected]
    assert [p.value for p in chart.projection] == pytest.approx(
        [value for _, value in expected], rel=1e-12
    )
    assert chart.path == (Point(date(2020, 12, 31), 100.0), Point(date(2026, 12, 31), 200.0))
    assert chart.observations[-1].provisional


def test_no_baseline_means_no_path_and_no_projection() -> None:
    chart = target_chart_on(CAGR, "unbased", date(2023, 6, 30))
    assert chart.path == () and chart.projection == ()
    assert len(chart.observations) == 2 and chart.target == 200.0


def test_baseline_not_yet_known_on_the_as_of_date_draws_no_path() -> None:
    chart = target_chart_on(CAGR, "output-2026", date(2020, 6, 30))
    assert chart.observations == () and chart.path == ()


def test_no_projection_from_a_value_at_the_deadline() -> None:
    at_deadline = SMALL + '\n[[observations]]\nindicator = "income"\nperiod = "2025"\nvalue = 52\n'
    chart = target_chart_on(at_deadline, "income-2025", date(2026, 6, 30))
    assert chart.projection == ()
    assert chart.path  # where it should have gone is still drawn


def test_projection_after_the_deadline_still_shows_where_the_pace_led() -> None:
    chart = target_chart_on(SMALL, "income-2025", date(2026, 6, 30))
    assert chart.projection[-1] == Point(date(2025, 12, 31), 50.0)


def test_observations_after_the_as_of_date_are_left_out() -> None:
    chart = target_chart_on(SMALL, "income-2025", date(2023, 12, 30))
    assert [o.period for o in chart.observations] == ["2020"]


def test_indicator_chart_has_observations_only() -> None:
    assessment = assess(parse_registry(CAGR), date(2024, 6, 30))
    chart = chart_of_indicator(assessment, "twice")
    assert chart.title == "Measured twice — Z"
    assert [(o.when, o.value) for o in chart.observations] == [
        (date(2021, 12, 31), 2.0),
        (date(2023, 12, 31), 1.8),
    ]
    assert chart.path == () and chart.projection == ()
    assert chart.target is None and chart.deadline is None


def test_report_charts_skip_targets_without_data_and_indicators_with_one_value() -> None:
    charts = report_charts(assess(parse_registry(CAGR), date(2026, 6, 30)))
    assert set(charts.targets) == {"output-2026", "unbased"}
    assert set(charts.indicators) == {"twice"}


def test_time_axis_spans_every_drawn_date_with_a_margin() -> None:
    chart = target_chart_on(SMALL, "income-2025", date(2024, 6, 30))
    # 2020-12-31 .. 2025-12-31 is 1826 days; a 30th of it is 60 days each side.
    assert date_extent(chart) == (date(2020, 11, 1), date(2026, 3, 1))


def test_year_ticks_thin_out_to_fit() -> None:
    assert year_ticks(date(2020, 6, 1), date(2023, 6, 1), 5) == [
        date(2020, 12, 31),
        date(2021, 12, 31),
        date(2022, 12, 31),
    ]
    assert year_ticks(date(2000, 1, 1), date(2030, 1, 1), 7) == [
        date(y, 12, 31) for y in (2000, 2005, 2010, 2015, 2020, 2025)
    ]


# ---- the terminal chart -------------------------------------------------------------


@pytest.fixture
def small(write_registry) -> Path:
    return write_registry(SMALL)


def test_show_draws_the_chart_within_80_columns_without_colour(cli: Cli, small: Path) -> None:
    result = cli("show", "income-2025", "--registry", small, "--as-of", "2024-06-30")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "\x1b[" not in out
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "● observed" in out and "· straight path from the baseline" in out
    assert "+ at the observed pace" in out and "─ target ≥ 55 yuan" in out
    assert "│ deadline 2025-12-31" in out
    plot = [line for line in out.splitlines() if "┤" in line or "│" in line]
    assert sum("●" in line for line in plot) == 2  # one glyph per observation
    assert any(line.startswith("40┤") for line in plot)


def test_show_no_chart_leaves_it_out(cli: Cli, small: Path) -> None:
    result = cli("show", "income-2025", "-r", small, "--as-of", "2024-06-30", "--no-chart")
    assert result.exit_code == 0, result.stderr
    assert "● observed" not in result.stdout and "No chart" not in result.stdout


def test_show_without_plotext_says_how_to_install_it(
    cli: Cli, small: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "plotext", None)
    result = cli("show", "income-2025", "-r", small, "--as-of", "2024-06-30")
    assert result.exit_code == 0, result.stderr
    assert "pip install 'prosperity-cli[chart]'" in result.stdout
    assert "Progress" in result.stdout  # the rest is all there


def test_show_explains_a_missing_chart(cli: Cli, write_registry) -> None:  # type: ignore[no-untyped-def]
    path = write_registry(CAGR)
    result = cli("show", "empty-2026", "-r", path, "--as-of", "2024-06-30")
    assert "No chart: it needs an observation known on 2024-06-30." in result.stdout
    result = cli("show", "once", "-r", path, "--as-of", "2024-06-30")
    assert "No chart: it needs two observations" in result.stdout


def test_show_draws_an_indicator_on_its_own(cli: Cli, small: Path) -> None:
    result = cli("show", "ratio", "-r", small, "--as-of", "2025-06-30")
    assert result.exit_code == 0, result.stderr
    assert "1.80┤" in result.stdout and "target" not in result.stdout.split("Urban:rural ratio")[-1]


def test_terminal_chart_has_colour_only_when_asked() -> None:
    chart = target_chart_on(SMALL, "income-2025", date(2024, 6, 30))
    assert "\x1b[" in chart_terminal.render(chart, 80, colour=True)
    plain = chart_terminal.render(chart, 80, colour=False)
    assert "\x1b[" not in plain
    assert max(len(line) for line in plain.splitlines()) <= 80


def test_legend_wraps_between_entries() -> None:
    chart = target_chart_on(SMALL, "income-2025", date(2024, 6, 30))
    lines = chart_terminal.legend(chart, 40).splitlines()
    assert all(len(line) <= 40 for line in lines)
    assert "+ at the observed pace" in lines


def test_help_imports_no_plotting_library() -> None:
    code = textwrap.dedent(
        """
        import sys
        from prosperity_cli.cli import app  # main() would end the process
        for args in (['--help'], ['show', '--help'], ['report', '--help']):
            sys.argv = ['prosperity', *args]
            try:
                app()
            except SystemExit:
                pass
        loaded = [m for m in ('matplotlib', 'plotext', 'numpy') if m in sys.modules]
        print('LOADED', loaded, file=sys.stderr)
        """
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "LOADED []" in result.stderr, result.stderr
