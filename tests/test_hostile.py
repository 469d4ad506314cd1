"""The contract under hostile input, held by real processes (docs/errors.md).

Every registry of tests/hostile/registries/, every command line of
tests/hostile/arguments.toml and a few special files (a folder, a named pipe, /dev/zero, a
file over the size limit, a symlink loop, a long line) run through the commands that read
them. Whatever they hold: the exit code is 0, 1 (only `check`, a finding) or 2; no Python
traceback; the registry is byte-for-byte as it was; JSON output parses; and no ESC byte
from the registry reaches standard output or standard error.

The processes run a few at a time (they are independent), once per session.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import BUNDLED

HOSTILE = Path(__file__).parent / "hostile"
REGISTRIES = sorted((HOSTILE / "registries").glob("*.toml"))
ARGUMENTS = tomllib.loads((HOSTILE / "arguments.toml").read_text(encoding="utf-8"))["case"]
AS_OF = ("--as-of", "2025-06-30")
#: What every registry of the corpus is run through.
COMMANDS = (
    ("status", *AS_OF),
    ("status", "--format", "json", *AS_OF),
    ("status", "--format", "csv", *AS_OF),
    ("status", "--format", "markdown", *AS_OF),
    ("check", "--format", "github", *AS_OF),
    ("show", "t", "--no-chart", *AS_OF),
)
#: Each corpus registry also goes through these, which are slower (matplotlib, the chart).
SLOW_COMMANDS = (("show", "i", *AS_OF), ("check", "--format", "json", *AS_OF))


@dataclass(frozen=True)
class Run:
    name: str
    args: tuple[str, ...]
    code: int
    stdout: bytes
    stderr: bytes
    changed: bool


def _run(
    name: str, registry: Path, args: tuple[str, ...], workdir: Path, colour: bool = False
) -> Run:
    workdir.mkdir(parents=True)
    is_file = registry.is_file() and not registry.is_symlink()
    path = workdir / "targets.toml" if is_file else registry
    if is_file:
        shutil.copyfile(registry, path)
    before = path.read_bytes() if is_file else None
    env = dict(os.environ, COLUMNS="80", PROSPERITY_NO_CACHE="1")
    env.pop("PROSPERITY_DEBUG", None)
    if colour:  # a colour terminal: Rich writes escape sequences of its own
        env.update(FORCE_COLOR="1", TERM="xterm-256color")
        env.pop("NO_COLOR", None)
    done = subprocess.run(
        [sys.executable, "-m", "prosperity_cli", *args, "--registry", str(path)],
        cwd=workdir,
        env=env,
        capture_output=True,
        timeout=120,
        check=False,
    )
    changed = before is not None and path.read_bytes() != before
    return Run(name, args, done.returncode, done.stdout, done.stderr, changed)


def _special_files(root: Path) -> Iterator[tuple[str, Path]]:
    folder = root / "a-folder"
    folder.mkdir(parents=True)
    yield "folder", folder
    fifo = root / "a-fifo.toml"
    os.mkfifo(fifo)
    yield "fifo-without-writer", fifo
    yield "dev-zero", Path("/dev/zero")
    yield "dev-null", Path("/dev/null")
    big = root / "oversized.toml"
    with big.open("wb") as out:
        out.truncate(97 * 2**20)  # over the 96 MiB limit; sparse, so cheap
    yield "oversized", big
    loop = root / "loop.toml"
    loop.symlink_to(loop)
    yield "symlink-loop", loop
    long_line = root / "long-line.toml"
    long_line.write_text('format = 1\n[plans.p]\ntitle = "' + "x" * 2_000_000 + '"\n')
    yield "long-line", long_line
    yield "missing", root / "missing.toml"


def _cases(root: Path) -> list[tuple[str, Path, tuple[str, ...]]]:
    cases = []
    for registry in REGISTRIES:
        for n, command in enumerate(COMMANDS + SLOW_COMMANDS):
            cases.append((f"{registry.stem} {n}", registry, command))
    for name, special in _special_files(root / "special"):
        cases.append((name, special, ("status", *AS_OF)))
        cases.append((f"{name} check", special, ("check", *AS_OF)))
    for case in ARGUMENTS:
        source = case.get("registry", "01-plain.toml")
        registry = BUNDLED if source == "bundled" else HOSTILE / "registries" / source
        args = tuple(case["args"])
        if "csv" in case:
            csv = root / "csv" / f"{case['name']}.csv"
            csv.parent.mkdir(exist_ok=True)
            csv.write_text(case["csv"], encoding="utf-8")
            args = tuple(str(csv) if a == "{csv}" else a for a in args)
        cases.append((f"args {case['name']}", registry, args))
    return cases


@pytest.fixture(scope="session")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    root = tmp_path_factory.mktemp("hostile")
    cases = _cases(root)
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        done = pool.map(
            lambda case: _run(case[0], case[1], case[2], root / "work" / str(hash(case[0]))),
            cases,
        )
        return {run.name: run for run in done}


def test_the_corpus_is_large_enough() -> None:
    assert len(REGISTRIES) >= 60
    assert len(ARGUMENTS) >= 30


def _names() -> list[str]:
    names = [f"{r.stem} {n}" for r in REGISTRIES for n in range(len(COMMANDS + SLOW_COMMANDS))]
    specials = ["folder", "fifo-without-writer", "dev-zero", "dev-null", "oversized"]
    specials += ["symlink-loop", "long-line", "missing"]
    names += [n for s in specials for n in (s, f"{s} check")]
    return names + [f"args {case['name']}" for case in ARGUMENTS]


@pytest.mark.parametrize("name", _names())
def test_the_contract_holds(runs: dict[str, Run], name: str) -> None:
    run = runs[name]
    said = run.stderr.decode("utf-8", "replace")
    assert b"Traceback" not in run.stderr, said
    assert run.code in (0, 1, 2), f"exit {run.code}: {said}"
    if run.code == 1:
        assert run.args[0] == "check", f"exit 1 is only check's finding: {said}"
    assert not run.changed, "the registry changed"
    assert b"\x1b" not in run.stdout, "an ESC byte reached stdout"
    assert b"\x1b" not in run.stderr, "an ESC byte reached stderr"
    if "json" in run.args and run.stdout:
        json.loads(run.stdout)  # strict: NaN or Infinity would fail here


#: Sequences the corpus hides in registry text; none may reach a colour terminal as such.
PLANTED = (b"\x1b[2J", b"\x1b]52;", b"\x1b]8;;https://evil", b"\x1b[31mred", b"\x1b[8m")


@pytest.mark.parametrize(
    "registry", [r for r in REGISTRIES if r.stem.split("-", 1)[1].startswith("esc")], ids=str
)
@pytest.mark.parametrize("command", [("status", *AS_OF), ("show", "t", *AS_OF)], ids=str)
def test_planted_sequences_never_reach_a_colour_terminal(
    tmp_path: Path, registry: Path, command: tuple[str, ...]
) -> None:
    run = _run(registry.stem, registry, command, tmp_path / "work", colour=True)
    assert run.code in (0, 2)
    for sequence in PLANTED:
        assert sequence not in run.stdout and sequence not in run.stderr
