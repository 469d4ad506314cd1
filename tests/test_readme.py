"""The README's two set-up commands stay true: CI runs the second one verbatim."""

from __future__ import annotations

import re

from conftest import REPO


def setup_commands() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_readme_has_exactly_two_setup_commands() -> None:
    commands = setup_commands()
    assert len(commands) == 2
    assert commands[0].endswith("prosperity status")
    assert "pytest" in commands[1] and "ruff" in commands[1] and "mypy" in commands[1]


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert setup_commands()[1] in ci.splitlines()


def test_the_scorecard_is_a_real_status_output() -> None:
    """Every line of the README's abridged scorecard is a line of the command it shows."""
    import os
    import subprocess
    import sys

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("```text\n$ ", 1)[1].split("\n```", 1)[0]
    command, *shown = block.splitlines()
    env_part, _, args = command.partition(" prosperity ")
    width = env_part.removeprefix("COLUMNS=")
    env = dict(os.environ, COLUMNS=width, NO_COLOR="1", TERM="dumb")
    done = subprocess.run(
        [sys.executable, "-m", "prosperity_cli", *args.split(), "-r", str(REPO / "targets.toml")],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    real = [line.rstrip() for line in done.stdout.splitlines()]
    missing = [line for line in shown if line not in (" ...", "") and line not in real]
    assert not missing
