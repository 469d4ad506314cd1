"""`prosperity status` and `show` through the CLI runner, on small registries."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from conftest import SMALL, Cli
from prosperity_cli.render import FORMATS, OutputFormat

CONTRACT_KEYS = {
    "id",
    "name",
    "region",
    "unit",
    "goal",
    "target",
    "deadline",
    "baseline",
    "latest",
    "progress",
    "gap",
    "pace_ratio",
    "status",
    "days_left",
}


@pytest.fixture
def small(write_registry) -> Path:
    return write_registry(SMALL)


def status_json(cli: Cli, path: Path, *args: str) -> dict:
    result = cli("status", "--registry", path, "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_json_output_keeps_the_documented_contract(cli: Cli, small: Path) -> None:
    data = status_json(cli, small, "--as-of", "2024-06-30")
    assert data["as_of"] == "2024-06-30"
    [record] = data["targets"]
    assert set(record) >= CONTRACT_KEYS
    assert record["id"] == "income-2025"
    assert record["baseline"] == {"period": "2020", "value": 40, "provisional": False}
    assert record["latest"] == {
        "period": "2023",
        "value": 46,
        "source": None,
        "provisional": False,
        "url": None,
        "publisher": None,
        "published": None,
        "grade": None,
        "derived": False,
    }
    assert record["progress"] == pytest.approx(0.4)
    assert record["gap"] == pytest.approx(9)
    assert record["pace_ratio"] == pytest.approx(2 / 3, abs=1e-6)
    assert record["status"] == "moderate"
    assert record["days_left"] == 549


def test_tracked_indicators_appear_under_indicators(cli: Cli, small: Path) -> None:
    data = status_json(cli, small, "--as-of", "2025-06-30")
    [ratio] = data["indicators"]
    assert ratio["id"] == "ratio"
    assert ratio["latest"]["value"] == pytest.approx(1.8)
    assert ratio["previous"] == {"period": "2020", "value": 1.96, "provisional": False}
    assert ratio["change"] == pytest.approx(-0.16)


def test_as_of_makes_figures_reproducible(cli: Cli, small: Path) -> None:
    early = status_json(cli, small, "--as-of", "2021-06-30")["targets"][0]
    assert early["latest"]["period"] == "2020"
    assert early["status"] == "insufficient-data"
    assert status_json(cli, small, "--as-of", "2019-06-30")["targets"][0]["status"] == "no-data"


def test_table_fits_80_columns_and_says_everything_in_words(cli: Cli, small: Path) -> None:
    result = cli("status", "--registry", small, "--as-of", "2024-06-30")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "\x1b[" not in out  # NO_COLOR
    for text in (
        "Test plan",
        "Median income",
        "46 yuan",
        "≥ 55 yuan",
        "40%",
        "moderate",
        "pace 0.67",
        "2025-12-31",
        "549 d left",
        "Urban:rural ratio",
        "1.96:1",
        "1 target: 1 moderate",
    ):
        assert text in out, text


def test_summary_counts_targets_per_status(cli: Cli, write_registry) -> None:
    text = (
        SMALL
        + """
[targets.ratio-2025]
indicator = "ratio"
plan = "p"
goal = "at-most"
value = 1.7
deadline = 2025-12-31
"""
    )
    result = cli("status", "--registry", write_registry(text), "--as-of", "2024-06-30")
    assert "2 targets: 1 moderate, 1 no baseline" in result.stdout


def test_csv_has_one_row_per_target(cli: Cli, small: Path) -> None:
    result = cli("status", "--registry", small, "--format", "csv", "--as-of", "2024-06-30")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["id"] for r in rows] == ["income-2025"]
    assert rows[0]["latest_value"] == "46"
    assert rows[0]["status"] == "moderate"


def test_markdown_is_a_table_per_plan(cli: Cli, small: Path) -> None:
    result = cli("status", "--registry", small, "--format", "markdown", "--as-of", "2024-06-30")
    assert "## Test plan" in result.stdout
    assert "| Median income | Testland | 46 yuan (2023) | ≥ 55 yuan | 40% |" in result.stdout


def test_every_output_format_has_a_renderer() -> None:
    import importlib

    assert set(FORMATS) == set(OutputFormat)
    for module in FORMATS.values():
        importlib.import_module(f"prosperity_cli.render.{module}")


@pytest.mark.parametrize(
    ("option", "value", "count"),
    [
        ("--plan", "p", 1),
        ("--region", "testland", 1),
        ("--status", "moderate", 1),
        ("--status", "achieved", 0),
    ],
)
def test_filters_select_targets(cli: Cli, small: Path, option: str, value: str, count: int) -> None:
    data = status_json(cli, small, "--as-of", "2024-06-30", option, value)
    assert len(data["targets"]) == count


def test_bad_filter_values_are_usage_errors(cli: Cli, small: Path) -> None:
    for args in (("--status", "great"), ("--plan", "pp"), ("--as-of", "yesterday")):
        result = cli("status", "--registry", small, *args)
        assert result.exit_code == 2, args
        assert "Traceback" not in result.output


def test_show_prints_a_target_in_full(cli: Cli, small: Path) -> None:
    result = cli("show", "income-2025", "--registry", small, "--as-of", "2024-06-30")
    assert result.exit_code == 0, result.stderr
    for text in (
        "Test plan (p)",
        "≥ 55 yuan by 2025-12-31",
        "Progress",
        "40%",
        "0.67 (linear)",
        "+2 yuan/yr; required +3 yuan/yr",
        "Needed from now",
        "2020",
        "2023",
    ):
        assert text in result.stdout, text


def test_show_lists_revisions_of_an_indicator(cli: Cli, write_registry) -> None:
    text = (
        SMALL
        + '\n[[observations]]\nindicator = "ratio"\nperiod = "2024"\nvalue = 1.79\nrevises = true\n'
    )
    result = cli("show", "ratio", "--registry", write_registry(text), "--as-of", "2025-06-30")
    assert result.exit_code == 0, result.stderr
    assert "superseded" in result.stdout
    assert "revision" in result.stdout
    assert "1.79:1" in result.stdout


def test_show_unknown_id_suggests_a_near_one(cli: Cli, small: Path) -> None:
    result = cli("show", "income-2052", "--registry", small)
    assert result.exit_code == 2
    assert "did you mean 'income-2025'" in result.stderr


def test_version(cli: Cli) -> None:
    from prosperity_cli import __version__

    result = cli("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"prosperity {__version__}"


def test_assessing_some_indicators_computes_only_those() -> None:
    from datetime import date

    from prosperity_cli.assessment import Filters, assess
    from prosperity_cli.registry import parse_registry

    registry = parse_registry(SMALL)
    only = assess(registry, date(2025, 6, 30), Filters(indicators=frozenset({"ratio"})))
    assert only.targets == ()
    assert [t.indicator_id for t in only.tracked] == ["ratio"]
    assert set(only.series) == {"ratio"}
    full = assess(registry, date(2025, 6, 30))
    assert [f.target.id for f in full.targets] == ["income-2025"]


def test_a_real_process_ends_with_all_its_output_and_its_exit_code(write_registry) -> None:
    """main() ends the process without the interpreter's teardown: nothing may be lost."""
    import subprocess
    import sys

    path = write_registry(SMALL)
    command = [sys.executable, "-m", "prosperity_cli", "status", "-r", str(path)]
    done = subprocess.run([*command, "--format", "json"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["targets"][0]["id"] == "income-2025"
    refused = subprocess.run([*command, "--plan", "nope"], capture_output=True, text=True)
    assert refused.returncode == 2
    assert refused.stderr.startswith("--plan 'nope': no such plan")


def test_a_profiled_run_still_exits_normally(write_registry, tmp_path: Path) -> None:
    """The fast exit steps aside when a profiler watches, so that it can write its results."""
    import subprocess
    import sys

    profile = tmp_path / "status.prof"
    profiler = [sys.executable, "-m", "cProfile", "-o", str(profile)]
    command = ["-m", "prosperity_cli", "status", "-r", str(write_registry(SMALL)), "-f", "json"]
    done = subprocess.run([*profiler, *command], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["targets"][0]["id"] == "income-2025"
    assert profile.stat().st_size > 0


def test_a_region_that_matches_nothing_names_the_known_regions(cli: Cli, small: Path) -> None:
    result = cli("status", "--registry", small, "--region", "Elsewhere")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "--region 'Elsewhere': no target or indicator in it — regions: Testland"
    )
