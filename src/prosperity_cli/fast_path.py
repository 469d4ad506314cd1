"""`status` and `check` without Typer, when their command line is plain.

Importing Typer and the pydantic it brings, then building the app, takes about 90 ms on
this machine: more than everything else an everyday `prosperity status` of a small
registry costs (docs/performance.md). When the command line is one of the commands in
COMMANDS followed only by options it declares, each given once with a value (or a flag
alone) — `prosperity status --registry targets.toml --format json` — `parse` reads it
here and the same code the Typer command calls (commands.py) runs.

Anything else is left to Typer, so that every message about a command line comes from
one parser: help, completion, the app's own options (--version), an unknown, repeated or
abbreviated option, a short option with its value attached (-fjson), a value that is
empty or begins with "-", an argument that is not an option. tests/test_fast_path.py
holds COMMANDS to what the Typer commands declare, and both ways in to the same output.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from prosperity_cli import commands


@dataclass(frozen=True, slots=True)
class Command:
    """What the fast path knows of one command: how each option is spelt on the command
    line, and the keyword of the command's function that receives it."""

    run: Callable[..., int]
    values: Mapping[str, str]
    flags: Mapping[str, str]
    paths: frozenset[str] = frozenset()  # keywords whose value Typer turns into a Path


#: --registry/-r and --as-of, which both commands take.
_COMMON = {"--registry": "registry", "-r": "registry", "--as-of": "as_of"}

COMMANDS: Mapping[str, Command] = {
    "status": Command(
        run=commands.status,
        values={
            **_COMMON,
            "--plan": "plan",
            "--region": "region",
            "--status": "status_filter",
            "--format": "format_name",
            "-f": "format_name",
            "--by": "by",
        },
        flags={},
        paths=frozenset({"registry"}),
    ),
    "check": Command(
        run=commands.check,
        values={**_COMMON, "--format": "output", "-f": "output"},
        flags={"--strict": "strict"},
        paths=frozenset({"registry"}),
    ),
}

#: Set by a shell asking Typer to complete a word: completion is Typer's alone.
COMPLETION_ENV = "_PROSPERITY_COMPLETE"


def parse(args: Sequence[str]) -> tuple[Command, dict[str, object]] | None:
    """The command and its keyword arguments, or None for a command line Typer must read."""
    if not args or args[0] not in COMMANDS or os.environ.get(COMPLETION_ENV):
        return None
    command = COMMANDS[args[0]]
    given: dict[str, object] = {}
    words = iter(args[1:])
    for word in words:
        name, equals, value = word.partition("=") if word.startswith("--") else (word, "", "")
        keyword: str | None
        parsed: object
        if name in command.flags and not equals:
            keyword, parsed = command.flags[name], True
        elif (keyword := command.values.get(name)) is not None:
            if not equals:
                value = next(words, "")
            if not value or value.startswith("-"):
                return None
            parsed = Path(value) if keyword in command.paths else value
        else:
            return None
        if keyword in given:
            return None
        given[keyword] = parsed
    return command, given


def run(args: Sequence[str]) -> int | None:
    """Run a plain command line and return its exit code; None when Typer must run it.
    An error the command raises ends as it would under Typer (guard.py)."""
    parsed = parse(args)
    if parsed is None:
        return None
    command, keywords = parsed
    try:
        return command.run(**keywords)
    except BrokenPipeError:  # the reader went away: the caller's to handle, as under Typer
        raise
    except Exception as error:
        from prosperity_cli import guard

        return guard.exit_code(error)
