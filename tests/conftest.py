"""Shared helpers: small registries written inline, and a CLI runner with a fixed width."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from prosperity_cli.cli import app

REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "targets.toml"

#: A small valid registry: one plan, one target with a baseline, one tracked indicator.
SMALL = """\
format = 1

[plans.p]
title = "Test plan"
region = "Testland"

[indicators.income]
name = "Median income"
region = "Testland"
unit = "yuan"
cadence = "annual"

[targets.income-2025]
indicator = "income"
plan = "p"
goal = "at-least"
value = 55
deadline = 2025-12-31
baseline = "2020"
method = "linear"

[indicators.ratio]
name = "Urban:rural ratio"
unit = "ratio"
cadence = "annual"

[[observations]]
indicator = "income"
period = "2020"
value = 40

[[observations]]
indicator = "income"
period = "2023"
value = 46

[[observations]]
indicator = "ratio"
period = "2020"
value = 1.96

[[observations]]
indicator = "ratio"
period = "2024"
value = "1.8:1"
"""


@pytest.fixture(autouse=True)
def _isolated_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Give every test (and its subprocesses) a cache folder of its own, out of the user's:
    a test that patches prosperity's code must never be answered with an output that
    another test cached."""
    monkeypatch.setenv("PROSPERITY_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    # The key that seals cache entries, out of the user's config folder too; one for the
    # whole session (cache.cache_key is read once per process).
    monkeypatch.setenv("PROSPERITY_CONFIG_DIR", str(tmp_path_factory.getbasetemp() / "config"))


@pytest.fixture
def write_registry(tmp_path: Path) -> Callable[[str], Path]:
    """Write registry text (dedented) to tmp_path/targets.toml and return its path."""

    def write(text: str) -> Path:
        path = tmp_path / "targets.toml"
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write


class Cli:
    """Runs the app through Typer's runner, 80 columns wide, without colour."""

    def __init__(self) -> None:
        self.runner = CliRunner(env={"NO_COLOR": "1", "COLUMNS": "80", "TERM": "dumb"})

    def __call__(self, *args: str | Path):  # type: ignore[no-untyped-def]
        return self.runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def cli() -> Cli:
    return Cli()
