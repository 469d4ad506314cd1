"""Every kind of registry problem: one line with file, line and field, exit code 2."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import SMALL, Cli


def replace(old: str, new: str, text: str = SMALL) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def line_of(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if fragment in line)


CASES = [
    # (what is wrong, registry text, expected where, message fragment, line fragment)
    (
        "toml syntax",
        replace('title = "Test plan"', 'title = "Test plan'),
        "TOML syntax",
        "",
        'title = "Test plan',
    ),
    (
        "missing required field",
        replace('goal = "at-least"\n', ""),
        "targets.income-2025.goal",
        "missing",
        "[targets.income-2025]",
    ),
    (
        "wrong type: quoted date",
        replace("deadline = 2025-12-31", 'deadline = "2025-12-31"'),
        "targets.income-2025.deadline",
        "write it without quotes",
        "deadline =",
    ),
    (
        "wrong type: year as deadline",
        replace("deadline = 2025-12-31", "deadline = 2025"),
        "targets.income-2025.deadline",
        "2025-12-31",
        "deadline =",
    ),
    (
        "unknown key with a near miss",
        replace("deadline = 2025-12-31", "deadline = 2025-12-31\nmethd = 'linear'"),
        "targets.income-2025.methd",
        "did you mean 'method'",
        "methd =",
    ),
    (
        "unknown goal",
        replace('goal = "at-least"', 'goal = "atleast"'),
        "targets.income-2025.goal",
        "did you mean 'at-least'",
        "goal =",
    ),
    (
        "unknown cadence",
        replace('cadence = "annual"', 'cadence = "yearly"'),
        "indicators.income.cadence",
        "not one of",
        'cadence = "yearly"',
    ),
    (
        "reference to a missing indicator",
        replace('indicator = "income"\nplan', 'indicator = "incme"\nplan'),
        "targets.income-2025.indicator",
        "did you mean 'income'",
        'indicator = "incme"',
    ),
    (
        "reference to a missing plan",
        replace('plan = "p"', 'plan = "q"'),
        "targets.income-2025.plan",
        "no plan 'q'",
        'plan = "q"',
    ),
    (
        "baseline with no observation",
        replace('baseline = "2020"', 'baseline = "2019"'),
        "targets.income-2025.baseline",
        "no observation of income for period 2019",
        "baseline =",
    ),
    (
        "bad period syntax",
        replace('period = "2023"', 'period = "2023-Q5"'),
        "observations[2].period",
        "is not a period",
        'period = "2023-Q5"',
    ),
    (
        "bad ratio string",
        replace('value = "1.8:1"', 'value = "1.8::1"'),
        "observations[4].value",
        "ratio like 1.7",
        'value = "1.8::1"',
    ),
    (
        "observation of an unknown indicator",
        replace('indicator = "ratio"\nperiod = "2024"', 'indicator = "ratios"\nperiod = "2024"'),
        "observations[4].indicator",
        "did you mean 'ratio'",
        'indicator = "ratios"',
    ),
    (
        "duplicate observation",
        SMALL
        + '\n[[observations]]\nindicator = "ratio"\nperiod = "2024-01/2024-12"\nvalue = 1.7\n',
        "observations[5].period",
        "already has a value for",
        'period = "2024-01/2024-12"',
    ),
    (
        "format from the future",
        replace("format = 1", "format = 2"),
        "format",
        "reads format 1",
        "format = 2",
    ),
]


@pytest.mark.parametrize(
    ("kind", "text", "where", "fragment", "line_fragment"), CASES, ids=[c[0] for c in CASES]
)
def test_each_problem_is_one_line_with_place_and_exit_2(
    cli: Cli,
    write_registry: Callable[[str], Path],
    kind: str,
    text: str,
    where: str,
    fragment: str,
    line_fragment: str,
) -> None:
    path = write_registry(text)
    before = path.read_bytes()
    result = cli("status", "--registry", path, "--as-of", "2024-01-01")
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    expected_line = line_of(text, line_fragment)
    assert lines[0].startswith(f"{path}:{expected_line}: {where}"), lines[0]
    assert fragment in lines[0]
    assert "Traceback" not in result.output
    assert path.read_bytes() == before


def test_every_problem_is_reported_not_only_the_first(cli: Cli, write_registry) -> None:
    text = replace('goal = "at-least"', 'goal = "most"')
    text = replace('period = "2023"', 'period = "2023-Q9"', text)
    text = replace('cadence = "annual"', 'cadence = "yearly"', text)
    result = cli("status", "--registry", write_registry(text))
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 3


def test_problem_lines_follow_the_documented_shape(cli: Cli, write_registry) -> None:
    result = cli("status", "--registry", write_registry(replace('plan = "p"', 'plan = "q"')))
    assert re.fullmatch(
        r"\S+targets\.toml:\d+: targets\.income-2025\.plan: .+ — .+\n", result.stderr
    )


def test_missing_registry_file_is_a_usage_error(cli: Cli, tmp_path: Path) -> None:
    result = cli("status", "--registry", tmp_path / "nope.toml")
    assert result.exit_code == 2
    assert "no such file" in result.stderr


def test_registry_is_found_in_a_parent_folder(
    cli: Cli, write_registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_registry(SMALL)
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    monkeypatch.chdir(nested)
    monkeypatch.delenv("PROSPERITY_REGISTRY", raising=False)
    result = cli("status", "--format", "json", "--as-of", "2024-01-01")
    assert result.exit_code == 0, result.stderr
    assert '"income-2025"' in result.stdout


def test_environment_variable_names_the_registry(
    cli: Cli, write_registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_registry(SMALL)
    monkeypatch.chdir(tmp_path.parent)
    monkeypatch.setenv("PROSPERITY_REGISTRY", str(path))
    assert cli("status", "--format", "csv").exit_code == 0


def test_an_entry_that_is_not_a_table_is_reported(cli: Cli, write_registry) -> None:
    text = replace('[plans.p]\ntitle = "Test plan"\nregion = "Testland"\n', '[plans]\np = "x"\n')
    result = cli("status", "--registry", write_registry(text))
    assert result.exit_code == 2
    assert "plans.p: expected a table" in result.stderr


def test_format_must_be_the_integer_1(cli: Cli, write_registry) -> None:
    for bad in ("true", "1.0", '"1"'):
        result = cli(
            "status", "--registry", write_registry(replace("format = 1", f"format = {bad}"))
        )
        assert result.exit_code == 2, bad
        assert ":1: format:" in result.stderr


def test_misspelled_table_and_missing_format_have_line_numbers(cli: Cli, write_registry) -> None:
    text = replace("format = 1\n", "").replace("[indicators.ratio]", "[indicator.ratio]")
    result = cli("status", "--registry", write_registry(text))
    lines = result.stderr.strip().splitlines()
    assert any(":1: format: missing" in line for line in lines)
    header = text.splitlines().index("[indicator.ratio]") + 1
    assert any(f":{header}: indicator: unknown key" in line for line in lines)
