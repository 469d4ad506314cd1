"""Progress bars on long work: on a terminal's stderr only, never under CI=true or in a
pipe, and never on stdout. The processes run with stderr on a pseudo-terminal."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from prosperity_cli.render import progress_bar

ROWS = 6000
CHARTS = 210


def run_on_a_terminal(args: list[str], ci: bool, cwd: Path) -> tuple[int, bytes, bytes]:
    """Run the CLI with stderr on a pseudo-terminal; return its exit code, stdout, stderr."""
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env.update({"TERM": "xterm", "COLUMNS": "100"} | ({"CI": "true"} if ci else {}))
    leader, follower = pty.openpty()
    out = cwd / "stdout.txt"  # a file, not a pipe: nothing blocks while the terminal is read
    with out.open("wb") as stdout:
        done = subprocess.Popen(
            [sys.executable, "-m", "prosperity_cli", *args],
            stdout=stdout, stderr=follower, stdin=subprocess.DEVNULL, env=env, cwd=cwd,
        )  # fmt: skip
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: the process is gone
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    return done.wait(timeout=120), out.read_bytes(), shown


@pytest.fixture
def many_rows(tmp_path: Path) -> tuple[Path, Path]:
    registry = tmp_path / "targets.toml"
    registry.write_text('format = 1\n\n[indicators.x]\nname = "X"\nunit = "yuan"\n'
                        'cadence = "irregular"\n')  # fmt: skip
    rows = tmp_path / "rows.csv"
    first = date(1990, 1, 1)
    lines = [f"x,{first + timedelta(days=n)},{n},Bulletin" for n in range(ROWS)]
    rows.write_text("indicator,period,value,source\n" + "\n".join(lines) + "\n")
    return registry, rows


@pytest.mark.parametrize("ci", [False, True])
def test_import_of_many_rows_shows_a_bar_on_a_terminal_but_not_under_ci(
    many_rows: tuple[Path, Path], ci: bool
) -> None:
    registry, rows = many_rows
    args = ["import", str(rows), "-r", str(registry), "--recorded", "2026-01-01"]
    code, stdout, stderr = run_on_a_terminal(args, ci, registry.parent)
    assert code == 0, stderr
    assert stdout.decode().endswith(f"imported {ROWS} observations from {rows} into {registry}\n")
    assert (b"Checking rows" in stderr) is not ci
    assert b"Checking rows" not in stdout


def test_a_report_of_many_charts_shows_a_bar_on_a_terminal(tmp_path: Path) -> None:
    parts = ["format = 1\n"]
    for n in range(CHARTS):
        parts.append(f'[indicators.i{n}]\nname = "I {n}"\nunit = "yuan"\ncadence = "annual"\n')
    for n in range(CHARTS):
        for year in (2023, 2024):
            parts.append(f'[[observations]]\nindicator = "i{n}"\nperiod = "{year}"\n'
                         f'value = {n + year}\nsource = "S"\n')  # fmt: skip
    registry = tmp_path / "targets.toml"
    registry.write_text("\n".join(parts))
    args = ["report", "-r", str(registry), "--as-of", "2026-01-01", "-o", "r.html"]
    code, stdout, stderr = run_on_a_terminal(args, False, tmp_path)
    assert code == 0, stderr
    assert b"Drawing charts" in stderr and b"Drawing charts" not in stdout
    assert (tmp_path / "r.html").read_text().count("<svg") == CHARTS


def test_no_bar_for_little_work_a_pipe_or_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert progress_bar.wanted(10, 10) and not progress_bar.wanted(9, 10)
    monkeypatch.setenv("CI", "true")
    assert not progress_bar.wanted(10, 10)
    monkeypatch.delenv("CI")
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False)
    assert not progress_bar.wanted(10, 10)
