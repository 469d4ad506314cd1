"""Shell completion (Typer's own) offers the registry's IDs while a command line is typed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BUNDLED, SMALL

PROSPERITY = [sys.executable, "-c", "from prosperity_cli.cli import main; main()"]


def complete(words: str, cwd: Path, shell: str = "bash") -> list[str]:
    """What `shell` would offer for the last word of `words`, through Typer's protocol."""
    env = dict(os.environ, _PROSPERITY_COMPLETE=f"complete_{shell}")
    env.pop("PROSPERITY_REGISTRY", None)
    if shell == "bash":
        cword = len(words.split()) - (0 if words.endswith(" ") else 1)
        env.update(COMP_WORDS=words, COMP_CWORD=str(cword))
    else:
        env.update(_TYPER_COMPLETE_ARGS=words, _TYPER_COMPLETE_FISH_ACTION="get-args")
    done = subprocess.run(PROSPERITY, env=env, cwd=cwd, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    if shell == "zsh":  # _arguments '*: :(("a" "b"))' — one quoted value per line
        return [line.split('"')[1] for line in done.stdout.splitlines() if '"' in line]
    return done.stdout.split()


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_show_completes_target_and_indicator_ids_of_the_registry_named(
    tmp_path: Path, shell: str
) -> None:
    offered = complete(f"prosperity show -r {BUNDLED} zj-per-capita-g", tmp_path, shell)
    assert offered == ["zj-per-capita-gdp", "zj-per-capita-gdp-2025", "zj-per-capita-gdp-2027"]


def test_plans_and_regions_come_from_the_registry_found_in_the_folder(tmp_path: Path) -> None:
    (tmp_path / "targets.toml").write_text(SMALL, encoding="utf-8")
    assert complete("prosperity status --plan ", tmp_path) == ["p"]
    assert complete("prosperity status --region Test", tmp_path) == ["Testland"]


def test_compare_completes_the_measures(tmp_path: Path) -> None:
    assert complete(f"prosperity compare -r {BUNDLED} urban-", tmp_path) == [
        "urban-per-capita-disposable-income",
        "urban-rural-income-ratio",
    ]


def test_add_observation_completes_indicators_only(tmp_path: Path) -> None:
    (tmp_path / "targets.toml").write_text(SMALL, encoding="utf-8")
    assert complete("prosperity add-observation ", tmp_path) == ["income", "ratio"]


@pytest.mark.parametrize("text", ["format = 2\n", "not toml ["])
def test_a_broken_registry_offers_nothing_and_prints_no_error(tmp_path: Path, text: str) -> None:
    (tmp_path / "targets.toml").write_text(text, encoding="utf-8")
    assert complete("prosperity show ", tmp_path) == []


def test_a_missing_registry_offers_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.toml"
    assert complete(f"prosperity show -r {missing} ", tmp_path) == []


@pytest.mark.parametrize(
    ("shell", "marker"),
    [
        ("bash", "complete -o default -F"),
        ("zsh", "#compdef prosperity"),
        ("fish", "complete --command"),
    ],
)
def test_the_completion_script_is_printed_for_each_shell(shell: str, marker: str) -> None:
    # Typer detects the running shell; this variable makes it take the shell as an argument.
    env = dict(os.environ, _TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION="1")
    done = subprocess.run(
        [*PROSPERITY, "--show-completion", shell], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert marker in done.stdout
    assert "_PROSPERITY_COMPLETE" in done.stdout
