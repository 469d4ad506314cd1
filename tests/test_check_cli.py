"""`prosperity check`: exit codes, output formats and the bundled registry's gate."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SMALL, Cli

# SMALL's latest values: income 2023 and ratio 2024, both annual, no lag:
# income is due 2024-12-31 and stale after 2025-01-31; ratio 2025-12-31 / 2026-01-31.


@pytest.fixture
def small(write_registry) -> Path:
    return write_registry(SMALL)


def check_json(cli: Cli, path: Path, *args: str) -> tuple[int, dict]:
    result = cli("check", "--registry", path, "--format", "json", *args)
    return result.exit_code, json.loads(result.stdout)


def test_fresh_registry_exits_0(cli: Cli, small: Path) -> None:
    result = cli("check", "--registry", small, "--as-of", "2024-12-31")
    assert result.exit_code == 0, result.output
    assert "ok as of 2024-12-31: 0 error(s), 0 warning(s)" in result.stdout


def test_overdue_is_a_warning_and_exits_0(cli: Cli, small: Path) -> None:
    code, data = check_json(cli, small, "--as-of", "2025-01-01")
    assert code == 0
    assert data["ok"] is True
    [finding] = data["findings"]
    assert finding == {
        "severity": "warning",
        "kind": "overdue",
        "indicator": "income",
        "target": None,
        "message": finding["message"],
        "due": "2024-12-31",
        "line": SMALL.splitlines().index("[indicators.income]") + 1,
    }


def test_warnings_fail_under_strict(cli: Cli, small: Path) -> None:
    result = cli("check", "--registry", small, "--as-of", "2025-01-01", "--strict")
    assert result.exit_code == 1
    assert "FAILED" in result.stdout


def test_stale_data_is_an_error_and_exits_1(cli: Cli, small: Path) -> None:
    code, data = check_json(cli, small, "--as-of", "2025-02-01")
    assert code == 1
    assert data["ok"] is False
    assert [(f["severity"], f["kind"], f["indicator"]) for f in data["findings"]] == [
        ("error", "stale", "income")
    ]


def test_pending_target_after_deadline_is_reported(cli: Cli, small: Path) -> None:
    _, data = check_json(cli, small, "--as-of", "2026-01-15")
    kinds = {(f["kind"], f["target"]) for f in data["findings"]}
    assert ("pending", "income-2025") in kinds


def test_target_without_observations_is_no_data_warning(cli: Cli, write_registry) -> None:
    text = SMALL.replace(
        '[[observations]]\nindicator = "income"\nperiod = "2023"\nvalue = 46\n', ""
    )
    text = text.replace('baseline = "2020"\n', "").replace(
        '[[observations]]\nindicator = "income"\nperiod = "2020"\nvalue = 40\n', ""
    )
    _, data = check_json(cli, write_registry(text), "--as-of", "2025-06-30")
    assert [(f["kind"], f["indicator"]) for f in data["findings"]] == [("no-data", "income")]


def test_invalid_registry_exits_2_in_every_format(cli: Cli, write_registry) -> None:
    path = write_registry(SMALL.replace('plan = "p"', 'plan = "q"'))
    for fmt in ("text", "json", "github"):
        result = cli("check", "--registry", path, "--format", fmt)
        assert result.exit_code == 2, fmt
        assert "no plan 'q'" in result.stdout
        assert "Traceback" not in result.output


def test_github_annotations_point_at_the_right_line(cli: Cli, small: Path) -> None:
    result = cli("check", "--registry", small, "--as-of", "2025-02-01", "--format", "github")
    first = result.stdout.splitlines()[0]
    line = SMALL.splitlines().index("[indicators.income]") + 1
    assert first.startswith(f"::error file={small},line={line},title=prosperity stale::income:")


def test_github_annotation_for_an_invalid_field(cli: Cli, write_registry) -> None:
    text = SMALL.replace('goal = "at-least"', 'goal = "more"')
    result = cli("check", "--registry", write_registry(text), "--format", "github")
    line = text.splitlines().index('goal = "more"') + 1
    assert f",line={line},title=prosperity invalid::targets.income-2025.goal" in result.stdout


def test_bad_format_and_date_are_usage_errors(cli: Cli, small: Path) -> None:
    assert cli("check", "--registry", small, "--format", "yaml").exit_code == 2
    assert cli("check", "--registry", small, "--as-of", "2025-13-01").exit_code == 2


def test_status_marks_stale_rows(cli: Cli, small: Path) -> None:
    result = cli("status", "--registry", small, "--as-of", "2025-02-01")
    assert "2023 stale" in result.stdout
    data = json.loads(
        cli("status", "--registry", small, "--as-of", "2025-02-01", "--format", "json").stdout
    )
    assert data["targets"][0]["freshness"] == "stale"
    assert data["targets"][0]["next_due"] == "2024-12-31"


def test_derived_series_late_only_through_mismatched_periods_is_reported(
    cli: Cli, write_registry
) -> None:
    """Both inputs are fresh, but they never share a period: the ratio itself goes stale."""
    text = """\
format = 1

[indicators.urban]
name = "Urban"
unit = "yuan"
cadence = "quarterly"

[indicators.rural]
name = "Rural"
unit = "yuan"
cadence = "quarterly"

[indicators.ratio]
name = "Ratio"
derived = { numerator = "urban", denominator = "rural" }

[[observations]]
indicator = "urban"
period = "2024-Q4"
value = 2

[[observations]]
indicator = "rural"
period = "2024-Q4"
value = 1

[[observations]]
indicator = "urban"
period = "2025-Q1"
value = 2

[[observations]]
indicator = "rural"
period = "2024-10/2025-03"
value = 1
"""
    result = cli("check", "-r", write_registry(text), "--as-of", "2025-04-15", "--format", "json")
    findings = json.loads(result.stdout)["findings"]
    assert [(f["kind"], f["indicator"]) for f in findings] == [("overdue", "ratio")]


def test_a_registry_read_from_a_pipe_is_read_once(tmp_path: Path) -> None:
    """`-r /dev/stdin` reads back empty: line numbers must come from the bytes read."""
    environment = {**os.environ, "PROSPERITY_NO_CACHE": "1"}
    check = ["check", "-r", "/dev/stdin", "--as-of", "2030-01-01", "--format", "json"]
    result = subprocess.run(
        [sys.executable, "-m", "prosperity_cli", *check],
        input=SMALL,
        capture_output=True,
        text=True,
        env=environment,
    )
    assert result.returncode == 1, result.stderr
    findings = json.loads(result.stdout)["findings"]
    assert findings
    assert all(finding["line"] for finding in findings)
