"""Regions side by side: measures, `prosperity compare`, and targets on a spread."""

from __future__ import annotations

import csv
import io
import json
import math
import statistics
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import Cli
from prosperity_cli.spread import Direction, cv, max_min, max_minus_min, movement

AS_OF = "2025-12-01"

#: One measure in four regions. A, B and C report 2020 and 2022; A and B report 2024; C
#: reports the first three quarters of 2025 instead (a period that lines up with none); D
#: has no data yet. A has a target, which makes "higher is better" the ranking's order.
REGIONS = """\
format = 1

[plans.p]
title = "Plan"

[indicators.a]
name = "Income"
region = "A"
unit = "yuan"
cadence = "annual"
measure = "income"

[indicators.b]
name = "Income"
region = "B"
unit = "yuan"
cadence = "annual"
measure = "income"

[indicators.c]
name = "Income"
region = "C"
unit = "yuan"
cadence = "annual"
measure = "income"

[indicators.d]
name = "Income"
region = "D"
unit = "yuan"
cadence = "annual"
measure = "income"

[targets.a-2026]
indicator = "a"
plan = "p"
goal = "at-least"
value = 160
deadline = 2026-12-31
baseline = "2020"

[[observations]]
indicator = "a"
period = "2020"
value = 100

[[observations]]
indicator = "b"
period = "2020"
value = 80

[[observations]]
indicator = "c"
period = "2020"
value = 50

[[observations]]
indicator = "a"
period = "2022"
value = 120

[[observations]]
indicator = "b"
period = "2022"
value = 100

[[observations]]
indicator = "c"
period = "2022"
value = 75

[[observations]]
indicator = "a"
period = "2024"
value = 150

[[observations]]
indicator = "b"
period = "2024"
value = 130

[[observations]]
indicator = "c"
period = "2025-01/2025-09"
value = 70
"""

#: The same without D, and with targets on the max/min spread of the three: met (1.6 in
#: 2022 is at most 1.7), missed (not at most 1.5) and pending (C has no 2024 value, so the
#: spread has none either, and the 2024 deadline waits for it).
SPREAD_TARGETS = (
    REGIONS.replace(
        '[indicators.d]\nname = "Income"\nregion = "D"\nunit = "yuan"\ncadence = "annual"\n'
        'measure = "income"\n\n',
        "",
    )
    + """
[indicators.gap]
name = "Richest to poorest region"
region = "Land"
spread = { measure = "income", statistic = "max/min" }

[targets.gap-met]
indicator = "gap"
plan = "p"
goal = "at-most"
value = 1.7
deadline = 2022-12-31
baseline = "2020"
method = "linear"

[targets.gap-missed]
indicator = "gap"
plan = "p"
goal = "at-most"
value = 1.5
deadline = 2022-12-31
baseline = "2020"
method = "linear"

[targets.gap-pending]
indicator = "gap"
plan = "p"
goal = "at-most"
value = 1.5
deadline = 2024-12-31
baseline = "2020"
method = "linear"
"""
)


def _compare(cli: Cli, path: Path, *more: str) -> dict:  # type: ignore[type-arg]
    result = cli("compare", "income", "-r", path, "--as-of", AS_OF, "--format", "json", *more)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


@pytest.fixture
def regions(write_registry: Callable[[str], Path]) -> Path:
    return write_registry(REGIONS)


def test_regions_are_ranked_on_the_latest_period_most_of_them_report(
    cli: Cli, regions: Path
) -> None:
    record = _compare(cli, regions)
    assert record["reference"] == "2022"  # A, B and C report it; only A and B report 2024
    assert record["rank_order"] == "highest-first"
    assert record["rank_order_reason"] == "the targets' goals"
    rows = {row["indicator"]: row for row in record["regions"]}
    assert [r["indicator"] for r in record["regions"]] == ["a", "b", "c", "d"]
    assert [rows[i]["rank"] for i in "abcd"] == [1, 2, 3, None]
    assert rows["a"]["latest"]["period"] == "2024"
    assert rows["a"]["at_reference"]["value"] == 120


def test_a_period_that_lines_up_with_no_other_is_shown_marked_and_not_ranked_on(
    cli: Cli, regions: Path
) -> None:
    record = _compare(cli, regions)
    c = next(row for row in record["regions"] if row["indicator"] == "c")
    assert c["latest"] == {"period": "2025-01/2025-09", "value": 70, "provisional": False}
    assert c["aligned"] is False
    assert c["at_reference"]["value"] == 75  # ranked on its 2022 value, not on 2025-Q1-Q3
    # Its change runs to its latest value like for like with the span's start (2022).
    assert c["span"]["to"]["period"] == "2022"
    table = cli("compare", "income", "-r", regions, "--as-of", AS_OF)
    assert "ranked on 2022: 75 yuan" in " ".join(table.stdout.split())


def test_a_region_with_no_data_is_listed_last_without_a_rank(cli: Cli, regions: Path) -> None:
    record = _compare(cli, regions)
    d = record["regions"][-1]
    assert (d["indicator"], d["rank"], d["latest"], d["span"]) == ("d", None, None, None)
    table = cli("compare", "income", "-r", regions, "--as-of", AS_OF)
    assert "no data" in table.stdout


def test_equal_values_share_a_rank(cli: Cli, write_registry: Callable[[str], Path]) -> None:
    tied = REGIONS.replace('period = "2022"\nvalue = 100', 'period = "2022"\nvalue = 120')
    record = _compare(cli, write_registry(tied))
    assert [(r["indicator"], r["rank"]) for r in record["regions"][:3]] == [
        ("a", 1),
        ("b", 1),
        ("c", 3),
    ]


def test_change_and_pace_run_from_the_earliest_period_the_most_regions_share(
    cli: Cli, regions: Path
) -> None:
    record = _compare(cli, regions)
    # No period has all four regions (D has none); 2020 and 2022 have three, and from 2020
    # those three share two periods: the longer run.
    assert record["since"] == "2020"
    a = record["regions"][0]
    assert a["span"]["change"] == 50
    assert a["span"]["pace"] == pytest.approx(1.5 ** (1 / 4) - 1, abs=1e-6)
    assert a["span"]["pace_kind"] == "growth"


def test_since_chooses_the_span(cli: Cli, regions: Path) -> None:
    record = _compare(cli, regions, "--since", "2022")
    a = record["regions"][0]
    assert (a["span"]["from"]["period"], a["span"]["change"]) == ("2022", 30)
    assert [row["period"] for row in record["spread"]] == ["2022", "2024"]


def test_the_spread_of_each_shared_period_and_its_direction(cli: Cli, regions: Path) -> None:
    record = _compare(cli, regions)
    spread = {row["period"]: row for row in record["spread"]}
    assert list(spread) == ["2020", "2022", "2024"]  # 2025-01/2025-09: C alone
    assert spread["2020"]["regions"] == ["a", "b", "c"]
    assert (spread["2024"]["reporting"], spread["2024"]["of"]) == (2, 4)
    assert spread["2020"]["max_min"] == 2.0
    assert spread["2022"]["max_min"] == 1.6
    assert spread["2022"]["max_minus_min"] == 45
    expected_cv = 100 * statistics.pstdev([120, 100, 75]) / statistics.mean([120, 100, 75])
    assert spread["2022"]["cv"] == pytest.approx(expected_cv, abs=1e-6)
    trend = record["trend"]
    assert trend["regions"] == ["a", "b", "c"]
    assert [p["period"] for p in trend["points"]] == ["2020", "2022"]
    assert (trend["statistic"], trend["direction"]) == ("cv", "narrowing")
    table = " ".join(cli("compare", "income", "-r", regions, "--as-of", AS_OF).stdout.split())
    assert "Narrowing: CV 26.8% → 18.7% from 2020 to 2022" in table
    assert "2 of 4, not C and D" in table


def test_csv_gives_the_regions_or_with_spread_the_periods(cli: Cli, regions: Path) -> None:
    def rows(*more: str) -> list[dict[str, str]]:
        result = cli("compare", "income", "-r", regions, "--as-of", AS_OF, "-f", "csv", *more)
        return list(csv.DictReader(io.StringIO(result.stdout)))

    regions_rows = rows()
    ranks = [(r["indicator"], r["rank"]) for r in regions_rows]
    assert ranks == [("a", "1"), ("b", "2"), ("c", "3"), ("d", "")]
    assert regions_rows[0]["reference_period"] == "2022"
    spread = rows("--spread")
    assert [(r["period"], r["regions"], r["max_min"]) for r in spread][:2] == [
        ("2020", "a b c", "2.0"),
        ("2022", "a b c", "1.6"),
    ]


def test_markdown_has_both_tables_and_the_verdict(cli: Cli, regions: Path) -> None:
    text = cli("compare", "income", "-r", regions, "--as-of", AS_OF, "-f", "markdown").stdout
    assert "| Rank | Region | Indicator |" in text
    assert "| 2022 | 3 of 4, not D | 1.600 |" in text
    assert "Narrowing: CV" in text


def test_without_a_measure_the_measures_are_listed(cli: Cli, regions: Path) -> None:
    table = cli("compare", "-r", regions)
    assert table.exit_code == 0
    assert "income" in table.stdout and "A (a)" in table.stdout
    record = json.loads(cli("compare", "-r", regions, "-f", "json").stdout)
    assert record["measures"][0]["id"] == "income"
    assert [r["indicator"] for r in record["measures"][0]["regions"]] == ["a", "b", "c", "d"]


def test_an_unknown_measure_or_since_is_a_usage_error(cli: Cli, regions: Path) -> None:
    unknown = cli("compare", "incom", "-r", regions)
    assert unknown.exit_code == 2
    assert "no measure 'incom'" in unknown.stderr and "income" in unknown.stderr
    since = cli("compare", "income", "-r", regions, "--since", "2019")
    assert since.exit_code == 2
    assert "no region of income has a value for 2019" in since.stderr
    assert "2020, 2022" in since.stderr
    garbled = cli("compare", "income", "-r", regions, "--since", "last year")
    assert garbled.exit_code == 2 and "--since 'last year'" in garbled.stderr


def test_registry_text_is_shown_literally(cli: Cli, write_registry: Callable[[str], Path]) -> None:
    hostile = REGIONS.replace('region = "A"', 'region = "[bold]A[/] \\u001b[2J"')
    result = cli("compare", "income", "-r", write_registry(hostile), "--as-of", AS_OF)
    assert result.exit_code == 0
    assert "[bold]A[/]" in result.stdout and "\x1b" not in result.stdout


# --- targets on the spread ------------------------------------------------------------------


def test_a_target_on_a_spread_is_met_missed_or_pending(
    cli: Cli, write_registry: Callable[[str], Path]
) -> None:
    result = cli("status", "-r", write_registry(SPREAD_TARGETS), "--as-of", AS_OF, "-f", "json")
    assert result.exit_code == 0, result.stderr
    statuses = {t["id"]: t["status"] for t in json.loads(result.stdout)["targets"]}
    assert statuses == {
        "a-2026": statuses["a-2026"],
        "gap-met": "achieved",
        "gap-missed": "missed",
        "gap-pending": "pending",
    }
    latest = next(t for t in json.loads(result.stdout)["targets"] if t["id"] == "gap-met")
    assert latest["latest"]["period"] == "2022" and latest["latest"]["value"] == 1.6
    assert latest["unit"] == "ratio"


def test_a_spread_needs_every_region_of_its_measure(
    cli: Cli, write_registry: Callable[[str], Path]
) -> None:
    # With D in the measure and no value of D anywhere, no period has every region: a
    # baseline cannot be set, and the spread has no value.
    spread = SPREAD_TARGETS[SPREAD_TARGETS.index("[indicators.gap]") :]
    refused = cli("check", "-r", write_registry(REGIONS + spread))
    assert refused.exit_code == 2
    assert (
        "no observation of gap for period 2020, computed from d, which has none" in refused.stdout
    )
    registry = write_registry(REGIONS + spread.replace('baseline = "2020"\n', ""))
    record = json.loads(cli("status", "-r", registry, "--as-of", AS_OF, "-f", "json").stdout)
    gap = next(t for t in record["targets"] if t["id"] == "gap-met")
    assert (gap["latest"], gap["status"]) == (None, "no-data")
    shown = cli("show", "gap", "-r", registry, "--as-of", AS_OF, "--no-chart").stdout
    assert "every region of income needs a value" in " ".join(shown.split())


def test_a_spread_is_computed_so_it_takes_no_observation(
    cli: Cli, write_registry: Callable[[str], Path]
) -> None:
    recorded = (
        SPREAD_TARGETS + '\n[[observations]]\nindicator = "gap"\nperiod = "2022"\nvalue = 1.6\n'
    )
    result = cli("check", "-r", write_registry(recorded), "--as-of", AS_OF)
    assert result.exit_code == 2
    assert "gap is a spread (max/min of income); its values are computed" in result.stdout
    path = write_registry(SPREAD_TARGETS)
    before = path.read_bytes()
    refused = cli("add-observation", "gap", "2024", "1.3", "-r", path)
    assert refused.exit_code == 2 and "gap is a spread" in refused.stderr
    assert path.read_bytes() == before
    kept = cli("add-observation", "gap", "2022", "1.7", "--reported", "-r", path)
    assert kept.exit_code == 0, kept.stderr
    check = cli("check", "-r", path, "--as-of", AS_OF)
    assert "gap 2022: computed 1.6 (max/min of income) but the source states 1.7" in " ".join(
        check.stdout.split()
    )


# --- validation ---------------------------------------------------------------------------


def _errors(cli: Cli, path: Path) -> list[str]:
    result = cli("check", "-r", path)
    assert result.exit_code == 2, result.stdout
    return [line.strip() for line in result.stdout.splitlines() if ": indicators." in line]


def test_a_measure_in_two_units_is_refused_at_each_indicator(
    cli: Cli, write_registry: Callable[[str], Path]
) -> None:
    mixed = REGIONS.replace('region = "B"\nunit = "yuan"', 'region = "B"\nunit = "percent"')
    errors = _errors(cli, write_registry(mixed))
    on_b = [e for e in errors if "indicators.b.unit" in e]
    on_a = [e for e in errors if "indicators.a.unit" in e]
    assert on_b and ":16:" in on_b[0] and "'yuan' (a)" in on_b[0]
    assert on_a and ":9:" in on_a[0] and "'percent' (b)" in on_a[0]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (('region = "B"\n', ""), "compares regions, and this indicator names none"),
        (('region = "B"', 'region = "a"'), "already has a for a"),
        (
            (
                'measure = "income"\n\n[indicators.d]',
                'measure = "income"\n\n[indicators.s]\n'
                'name = "S"\nspread = { measure = "incme", statistic = "cv" }\n\n[indicators.d]',
            ),
            "no indicator has measure 'incme' — did you mean 'income'",
        ),
        (
            (
                'measure = "income"\n\n[indicators.d]',
                'measure = "income"\n\n[indicators.s]\n'
                'name = "S"\nunit = "yuan"\nspread = { measure = "income", statistic = "cv" }\n\n'
                "[indicators.d]",
            ),
            "a cv spread of income is in 'percent', not 'yuan'",
        ),
        (
            (
                'measure = "income"\n\n[indicators.d]',
                'measure = "income"\n\n[indicators.s]\n'
                'name = "S"\nspread = { measure = "income", statistic = "median" }\n\n'
                "[indicators.d]",
            ),
            '"median" is not one of max/min, max-min, cv',
        ),
    ],
)
def test_broken_measures_and_spreads_are_refused(
    cli: Cli, write_registry: Callable[[str], Path], change: tuple[str, str], expected: str
) -> None:
    broken = REGIONS.replace(*change, 1)
    assert broken != REGIONS
    errors = _errors(cli, write_registry(broken))
    assert any(expected in e for e in errors), errors


def test_the_bundled_measures_compare(cli: Cli) -> None:
    from conftest import BUNDLED

    listed = json.loads(cli("compare", "-r", BUNDLED, "-f", "json").stdout)
    ids = {m["id"]: m for m in listed["measures"]}
    assert {"urban-rural-income-ratio", "per-capita-disposable-income"} <= set(ids)
    regions = {r["region"] for r in ids["urban-rural-income-ratio"]["regions"]}
    assert regions == {"Zhejiang", "Hangzhou", "Shaoxing"}
    result = cli("compare", "per-capita-disposable-income", "-r", BUNDLED, "--as-of",
                 "2026-12-01", "--since", "2019", "-f", "json")  # fmt: skip
    assert result.exit_code == 0
    assert json.loads(result.stdout)["trend"]["direction"] in {"narrowing", "widening", "flat"}


# --- the statistics -------------------------------------------------------------------------

positive = st.floats(min_value=1e-3, max_value=1e9, allow_nan=False)


@given(st.lists(positive, min_size=2, max_size=12), st.randoms())
def test_max_min_is_at_least_one_and_ignores_the_order_of_regions(
    values: list[float], random: object
) -> None:
    ratio = max_min(values)
    assert ratio is not None and ratio >= 1
    shuffled = list(values)
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    assert max_min(shuffled) == ratio
    assert max_minus_min(shuffled) == max_minus_min(values)
    first, second = cv(values), cv(shuffled)
    assert first is not None and second is not None
    assert math.isclose(first, second, rel_tol=1e-9, abs_tol=1e-9)


def test_statistics_need_two_values_and_positive_ones_for_ratios() -> None:
    assert max_min([5.0]) is None and cv([5.0]) is None and max_minus_min([5.0]) is None
    assert max_min([-1.0, 2.0]) is None
    assert cv([-1.0, 1.0]) is None  # a mean of zero
    assert max_minus_min([-1.0, 2.0]) == 3.0
    assert cv([2.0, 2.0]) == 0.0


def test_a_spread_within_one_percent_a_year_is_flat() -> None:
    # CV from 10 to 9.95 over one year: -0.5 %, flat; to 9.8 (-2 %): narrowing.
    assert movement([0, 1], [10.0, 9.95], [1.0, 1.0]).direction is Direction.FLAT  # type: ignore[union-attr]
    assert movement([0, 1], [10.0, 9.8], [1.0, 1.0]).direction is Direction.NARROWING  # type: ignore[union-attr]
    assert movement([0, 1], [10.0, 10.2], [1.0, 1.0]).direction is Direction.WIDENING  # type: ignore[union-attr]
    # Without a CV (values around zero), max - min decides.
    drift = movement([0, 2], [None, None], [4.0, 2.0])
    assert drift is not None and drift.statistic.value == "max-min"
    assert drift.direction is Direction.NARROWING and drift.rate == -1.0
    assert movement([0], [1.0], [1.0]) is None


def test_the_report_has_a_section_per_measure(cli: Cli, regions: Path, tmp_path: Path) -> None:
    html_file, md_file = tmp_path / "r.html", tmp_path / "r.md"
    assert cli("report", "-r", regions, "--as-of", AS_OF, "-o", html_file).exit_code == 0
    html = html_file.read_text(encoding="utf-8")
    section = html[html.index('<article class="measure"') :]
    assert 'data-measure="income"' in section
    assert '<svg role="img" aria-label="Chart of income' in section
    assert "Narrowing: CV 26.8% → 18.7%" in section
    assert (
        cli("report", "-r", regions, "--as-of", AS_OF, "-f", "markdown", "-o", md_file).exit_code
        == 0
    )
    markdown = md_file.read_text(encoding="utf-8")
    assert "## Regions side by side" in markdown
    assert "(r-charts/measure-income.svg)" in markdown
    assert (tmp_path / "r-charts" / "measure-income.svg").read_text().startswith("<?xml")
