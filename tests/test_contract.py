"""The exit-code and output contract of docs/errors.md, one rule at a time."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import SMALL, Cli
from prosperity_cli import store
from prosperity_cli.chart import Point
from prosperity_cli.cli import app
from prosperity_cli.render import escape
from prosperity_cli.render.chart_terminal import thinned


@pytest.fixture
def small(write_registry) -> Path:
    return write_registry(SMALL)


def run(*args: str, env: dict[str, str] | None = None, **kw) -> subprocess.CompletedProcess:
    full = dict(os.environ, **(env or {}))
    return subprocess.run(
        [sys.executable, "-m", "prosperity_cli", *args], capture_output=True, env=full, **kw
    )


# --- exit codes ------------------------------------------------------------------------------


def test_a_bug_of_ours_exits_3_with_one_line_and_no_traceback(
    cli: Cli, small: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prosperity_cli import assessment

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise ZeroDivisionError("planted")

    monkeypatch.setattr(assessment, "assess", broken)
    result = cli("status", "-r", small, "--format", "json", "--as-of", "2024-06-30")
    assert result.exit_code == 3
    [line] = result.stderr.splitlines()
    assert line.startswith("prosperity: internal error (ZeroDivisionError: planted)")
    assert "this is a bug in prosperity" in line and "PROSPERITY_DEBUG=1" in line


def test_prosperity_debug_shows_the_traceback(small: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from prosperity_cli import assessment

    monkeypatch.setattr(assessment, "assess", lambda *a, **k: 1 / 0)
    monkeypatch.setenv("PROSPERITY_DEBUG", "1")
    result = CliRunner().invoke(app, ["status", "-r", str(small), "--format", "json"])
    assert isinstance(result.exception, ZeroDivisionError)


def test_a_closed_output_pipe_is_not_exit_1(small: Path) -> None:
    """`check | head -0`: the reader goes away; the code must not read as a finding."""
    shell = f'"{sys.executable}" -m prosperity_cli status -r "{small}" --as-of 2024-06-30'
    done = subprocess.run(
        ["bash", "-c", f"{shell} --format json | head -c 0; echo ${{PIPESTATUS[0]}}"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.stdout.strip() in {"0", "141"}
    assert "Traceback" not in done.stderr


def test_a_parse_error_is_our_own_line_with_the_argument_shown_literally() -> None:
    done = run("status", "--\x1b[2Jx", text=True)
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == (
        "prosperity status: No such option: --\\x1b[2Jx — see `prosperity status --help`"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("status", "--format", "xml"), "--format 'xml' is not an output format — choose one "
         "of table, json, csv, markdown"),
        (("check", "--format", "yaml"), "--format 'yaml' is not a check format — choose one "
         "of text, json, github"),
        (("status", "--as-of", "9999-12-31"), "--as-of 9999-12-31 is outside years 1000 to "
         "2999 — give a date within them"),
    ],
)  # fmt: skip
def test_bad_options_are_named_in_our_own_words(
    cli: Cli, small: Path, args: tuple[str, ...], message: str
) -> None:
    result = cli(*args, "-r", small)
    assert result.exit_code == 2
    assert result.stderr.strip() == message


# --- output kinds ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("\x1b[31mred", "\\x1b[31mred"),
        ("bell\x07", "bell\\x07"),
        ("c1 \x9b2J", "c1 \\x9b2J"),
        ("rtl \u202eabc", "rtl \\u202eabc"),
        ("tab\tand\nline", "tab and\nline"),
        ("plain 中文 ✓", "plain 中文 ✓"),
    ],
)
def test_terminal_text_shows_control_characters_as_escapes(text: str, shown: str) -> None:
    assert escape.terminal(text) == shown


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+1", "'+1"),
        ("-2+3", "'-2+3"),
        ("@cmd", "'@cmd"),
        ("\tx", "' x"),
        ("\rx", "'\\x0dx"),
        ("Hangzhou", "Hangzhou"),
        (-0.5, -0.5),
    ],
)
def test_csv_cells_never_start_a_formula(cell: object, safe: object) -> None:
    assert escape.csv_cell(cell) == safe


def test_markdown_text_has_no_tag_link_or_cell_break() -> None:
    shown = escape.markdown("<script>x</script> [a](javascript:b) ![i](u) | c")
    assert "<" not in shown and "](" not in shown.replace("\\](", "")
    assert shown == ("&lt;script&gt;x&lt;/script&gt; \\[a\\](javascript:b) \\!\\[i\\](u) \\| c")


def test_json_output_escapes_what_json_dumps_leaves() -> None:
    text = json.dumps({"a": "\x9b\u202e\x7f"}, ensure_ascii=False)
    safe = escape.json_output(text)
    assert json.loads(safe) == {"a": "\x9b\u202e\x7f"}
    assert all(ch not in safe for ch in "\x9b\u202e\x7f")


def test_rich_markup_in_a_title_is_shown_as_typed(cli: Cli, write_registry) -> None:
    path = write_registry(SMALL.replace('title = "Test plan"', 'title = "[bold]Plan[/] [/]"'))
    result = cli("status", "-r", path, "--as-of", "2024-06-30")
    assert result.exit_code == 0, result.stderr
    assert "[bold]Plan[/] [/]" in result.stdout


# --- the status table ------------------------------------------------------------------------


def test_target_ids_are_under_their_names(cli: Cli, small: Path) -> None:
    out = cli("status", "-r", small, "--as-of", "2024-06-30").stdout
    assert "income-2025" in out


def test_a_narrow_terminal_gets_one_block_per_target(small: Path) -> None:
    narrow = CliRunner(env={"NO_COLOR": "1", "COLUMNS": "50", "TERM": "dumb"})
    out = narrow.invoke(app, ["status", "-r", str(small), "--as-of", "2024-06-30"]).stdout
    assert max(len(line) for line in out.splitlines()) <= 50
    assert "  goal ≥ 55 yuan by 2025-12-31 (549 d left)" in out
    assert "  income-2025" in out


@pytest.mark.parametrize("width", [80, 100, 133, 200])
def test_every_deadline_is_shown_whole_at_any_table_width(small: Path, width: int) -> None:
    runner = CliRunner(env={"NO_COLOR": "1", "COLUMNS": str(width), "TERM": "dumb"})
    out = runner.invoke(app, ["status", "-r", str(small), "--as-of", "2024-06-30"]).stdout
    assert "2025-12-31" in out


# --- validation and check ------------------------------------------------------------------


def test_a_deadline_before_the_baseline_is_invalid(cli: Cli, write_registry) -> None:
    path = write_registry(SMALL.replace("deadline = 2025-12-31", "deadline = 2019-06-30"))
    result = cli("status", "-r", path)
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"{path}:18: targets.income-2025.deadline: 2019-06-30 is before the end of the baseline "
        "period 2020 (2020-12-31) — a target is measured from its baseline to its deadline: "
        "correct one of them"
    )


def test_check_warns_of_a_period_off_its_cadence_with_its_line(cli: Cli, write_registry) -> None:
    path = write_registry(
        SMALL + '\n[[observations]]\nindicator = "income"\nperiod = "2024-Q2"\nvalue = 47\n'
    )
    result = cli("check", "-r", path, "--as-of", "2024-07-01")
    assert f"{path}:47: off-cadence: income 2024-Q2: the period does not fit" in result.stdout


def test_a_killed_writes_temporary_file_is_reported_and_then_removed(cli: Cli, small: Path) -> None:
    leftover = small.with_name(f".{small.name}.abcd1234.tmp")
    leftover.write_text("half a registry")
    checked = cli("check", "-r", small, "--as-of", "2024-06-30")
    assert f"leftover-file: {leftover.name}: a temporary file left" in checked.stdout
    assert "warning" in checked.stdout
    added = cli("add-observation", "income", "2024", "47", "-r", small)
    assert added.exit_code == 0, added.stderr
    assert not leftover.exists()
    assert store.temp_files(small) == []


def test_github_annotations_name_the_file_from_the_repository_root(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "data").mkdir()
    registry = repo / "data" / "targets.toml"
    registry.write_text(SMALL)
    done = run("check", "-r", str(registry), "--format", "github", "--as-of", "2030-01-01",
               text=True, cwd=tmp_path)  # fmt: skip
    assert "::error file=data/targets.toml,line=" in done.stdout


def test_a_report_that_cannot_be_written_leaves_the_old_one_whole(
    cli: Cli, small: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = tmp_path / "report.html"
    report.write_text("the previous report")
    from prosperity_cli import cache

    real = cache.atomic_file

    @contextlib.contextmanager
    def failing(file: Path):  # type: ignore[no-untyped-def]
        with real(file) as out:
            out.write(b"<html>half")
            raise OSError(28, "No space left on device")
        yield out  # pragma: no cover

    monkeypatch.setattr(cache, "atomic_file", failing)
    result = cli("report", "-r", small, "-o", report, "--as-of", "2024-06-30")
    assert result.exit_code == 2
    assert "No space left on device" in result.stderr
    assert report.read_text() == "the previous report"
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"] == []


# --- the chart -------------------------------------------------------------------------------


def test_a_long_series_is_thinned_for_the_terminal_but_keeps_its_ends_and_peaks() -> None:
    from datetime import date, timedelta

    points = tuple(
        Point(date(1900, 1, 1) + timedelta(days=n), 1000.0 if n == 777 else float(n % 10))
        for n in range(50_000)
    )
    kept = thinned(points, 200)
    assert len(kept) <= 210
    assert kept[0] == points[0] and kept[-1] == points[-1]
    assert points[777] in kept
    assert list(kept) == sorted(kept, key=lambda p: p.when)


def test_show_never_says_a_strict_goal_is_met_when_exactly_at_its_value(
    cli: Cli, write_registry
) -> None:
    text = SMALL.replace('goal = "at-least"', 'goal = "above"').replace("value = 55", "value = 46")
    path = write_registry(text)
    shown = cli("show", "income-2025", "-r", path, "--as-of", "2024-06-30", "--no-chart").stdout
    assert (
        " ".join(shown.split()).count("Goal met not yet: the latest value is exactly the target")
        == 1
    )
    status = json.loads(cli("status", "-r", path, "-f", "json", "--as-of", "2024-06-30").stdout)
    assert status["targets"][0]["status"] != "achieved"
    assert status["targets"][0]["reached_by"] is None
