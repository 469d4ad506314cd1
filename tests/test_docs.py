"""Every ```console block in docs/*.md is a real session: run it and compare the output.

A block holds `$ COMMAND` lines, each followed by the output the command prints (stdout,
then stderr; trailing spaces are ignored). Commands run from the repository root through
a shell, so pipes to standard tools (`grep`) work; a leading `prosperity` runs this
checkout's package with the current interpreter. `$ echo $?` shows the exit code of the
command before it. Blocks fenced as ```sh or ```text are not run.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import REPO

DOCS = REPO / "docs"
#: Docs whose console blocks write to a registry and print today's date, so cannot be
#: replayed: their sessions ran on a scratch copy of targets.toml.
NOT_REPLAYED: frozenset[str] = frozenset()

PROMPT = "$ "
EXIT_CODE = "echo $?"
FENCE = re.compile(r"^```console\n(.*?)^```[ \t]*$", re.DOTALL | re.MULTILINE)


@dataclass(frozen=True)
class Step:
    command: str
    expected: tuple[str, ...]


@dataclass(frozen=True)
class Block:
    doc: str
    line: int
    steps: tuple[Step, ...]

    @property
    def id(self) -> str:
        return f"{self.doc}:{self.line}"


def parse_block(text: str) -> tuple[Step, ...]:
    """The steps of a console block: each `$ ` line and the output lines after it."""
    steps: list[Step] = []
    command: str | None = None
    output: list[str] = []
    for line in text.splitlines():
        if line.startswith(PROMPT):
            if command is not None:
                steps.append(Step(command, tuple(output)))
            command, output = line[len(PROMPT) :], []
        elif command is None:
            raise ValueError(f"output before the first command: {line!r}")
        else:
            output.append(line.rstrip())
    if command is not None:
        steps.append(Step(command, tuple(output)))
    return tuple(steps)


def console_blocks(docs: Path = DOCS) -> list[Block]:
    """Every console block of the replayed docs, with the line of its opening fence."""
    blocks = []
    for path in sorted(docs.glob("*.md")):
        if path.name in NOT_REPLAYED:
            continue
        text = path.read_text(encoding="utf-8")
        for match in FENCE.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            blocks.append(Block(path.name, line, parse_block(match[1])))
    return blocks


def shell_command(command: str) -> str:
    """`command` with a leading `prosperity` run as `python -m prosperity_cli`."""
    if command.startswith("prosperity "):
        return f'"{sys.executable}" -m prosperity_cli {command[len("prosperity ") :]}'
    return command


def environment() -> dict[str, str]:
    """A fixed terminal: 80 columns, no colour; no registry from the environment."""
    env = dict(os.environ)
    for name in ("PROSPERITY_REGISTRY", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        env.pop(name, None)
    env.update(COLUMNS="80", LINES="50", NO_COLOR="1", TERM="dumb", PYTHONIOENCODING="utf-8")
    return env


def run(command: str) -> tuple[list[str], int]:
    """The output lines of `command` (stdout, then stderr), right-stripped, and its exit code."""
    result = subprocess.run(
        shell_command(command),
        shell=True,
        cwd=REPO,
        env=environment(),
        capture_output=True,
        encoding="utf-8",
        check=False,
    )
    lines = (result.stdout + result.stderr).splitlines()
    return [line.rstrip() for line in lines], result.returncode


def replay(steps: tuple[Step, ...]) -> list[tuple[Step, list[str], int]]:
    """Run every step; `echo $?` prints the exit code of the step before it."""
    results = []
    code = 0
    for step in steps:
        if step.command == EXIT_CODE:
            results.append((step, [str(code)], code))
            continue
        lines, code = run(step.command)
        results.append((step, lines, code))
    return results


def needs_date(command: str, code: int) -> bool:
    """Does the output of `command` depend on the date? `check` always prints it; other
    commands use it unless they stop at an invalid registry or a usage error (exit 2)."""
    words = command.split()
    if words[:1] != ["prosperity"]:
        return False
    return words[1:2] == ["check"] or code != 2


def _snapshot() -> dict[Path, bytes]:
    """The files a console block must neither change nor add: the registries it reads."""
    paths = [REPO / "targets.toml", *(DOCS / "examples").iterdir()]
    return {path: path.read_bytes() for path in paths if path.is_file()}


BLOCKS = console_blocks()

#: A ```toml block, or a ```text block with line numbers, right after a line that names a
#: file in docs/examples/ shows that file.
SHOWN = re.compile(r"^```(toml|text)\n(.*?)^```[ \t]*$", re.DOTALL | re.MULTILINE)
EXAMPLE = re.compile(r"docs/examples/([\w.-]+\.toml)")
NUMBERED = re.compile(r" *\d+\t?(.*)")


def shown_examples(docs: Path = DOCS) -> list[tuple[str, str, str]]:
    """(doc:line, example file name, the file as the doc shows it) for every shown example."""
    shown = []
    for path in sorted(docs.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        for match in SHOWN.finditer(text):
            before = text[: match.start()].rstrip().rpartition("\n")[2]
            name = EXAMPLE.search(before)
            if name is None:
                continue
            body = match[2]
            if match[1] == "text":
                lines = [NUMBERED.fullmatch(line) for line in body.splitlines()]
                assert all(lines), f"{path.name}: expected numbered lines"
                body = "".join(f"{m[1]}\n" for m in lines if m)
            line = text.count("\n", 0, match.start()) + 1
            shown.append((f"{path.name}:{line}", name[1], body))
    return shown


def test_the_docs_have_console_blocks() -> None:
    assert {block.doc for block in BLOCKS} >= {"methodology.md", "registry.md"}
    assert all(block.steps for block in BLOCKS)


@pytest.mark.parametrize("block", [pytest.param(b, id=b.id) for b in BLOCKS])
def test_console_block(block: Block) -> None:
    before = _snapshot()
    for step, lines, code in replay(block.steps):
        command = step.command
        assert "jq" not in command.split(), f"{block.id}: jq is not available everywhere"
        assert not needs_date(command, code) or "--as-of" in command, (
            f"{block.id}: `{command}` depends on today's date; pin it with --as-of"
        )
        assert lines == list(step.expected), f"{block.id}: $ {command}"
    assert _snapshot() == before, f"{block.id} changed a file"


@pytest.mark.parametrize(
    ("name", "body"), [pytest.param(n, b, id=f"{where}:{n}") for where, n, b in shown_examples()]
)
def test_shown_example_is_the_file(name: str, body: str) -> None:
    assert body == (DOCS / "examples" / name).read_text(encoding="utf-8")
