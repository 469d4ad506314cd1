"""The fast path (fast_path.py): a plain `status` or `check` runs without Typer, and gives
exactly what Typer gives; every other command line is left to Typer."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import typer.main
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SMALL
from prosperity_cli import cli, fast_path
from prosperity_cli.fast_path import COMMANDS, COMPLETION_ENV, parse
from prosperity_cli.parse_errors import ClickUsage


def typer_command(name: str):  # type: ignore[no-untyped-def]
    return typer.main.get_command(cli.typer_app()).commands[name]  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_fast_path_knows_every_option_as_typer_declares_it(name: str) -> None:
    """Spellings, flags and Path values as the Typer command declares them: an option added
    to the command without being added here is still safe (the fast path leaves a command
    line it does not know to Typer), but it would never be fast, so this test says so."""
    values, flags, paths = {}, {}, set()
    for param in typer_command(name).params:
        assert param.param_type_name == "option", f"{name} {param.name}: an argument"
        assert param.envvar is None and not param.multiple and param.nargs == 1
        for spelling in (*param.opts, *param.secondary_opts):
            (flags if param.is_flag else values)[spelling] = param.name
        if param.type_descriptor.annotation is Path:
            paths.add(param.name)
    command = COMMANDS[name]
    assert (command.values, command.flags, command.paths) == (values, flags, paths)


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--version"],
        ["--help"],
        ["report"],
        ["status", "--help"],
        ["status", "--registry"],  # no value
        ["status", "--registry="],  # an empty value
        ["status", "--format", ""],
        ["status", "--as-of", "-1"],  # a value that looks like an option
        ["status", "-fjson"],  # a short option with its value attached
        ["status", "-f=json"],
        ["status", "--reg", "x.toml"],  # an abbreviation
        ["status", "x.toml"],  # an argument
        ["status", "--", "--format"],
        ["status", "--strict"],  # check's flag
        ["check", "--strict=yes"],
        ["check", "--strict", "--strict"],
        ["status", "-r", "a.toml", "--registry", "b.toml"],  # given twice
        ["status", "--plan", "p", "--plan", "q"],
    ],
)
def test_a_command_line_the_fast_path_does_not_know_is_left_to_typer(args: list[str]) -> None:
    assert parse(args) is None


def test_completion_is_left_to_typer(monkeypatch: pytest.MonkeyPatch) -> None:
    assert parse(["status"]) is not None
    monkeypatch.setenv(COMPLETION_ENV, "bash_complete")
    assert parse(["status"]) is None


def test_a_plain_command_line_is_read_as_typer_reads_it() -> None:
    command, keywords = parse(
        ["status", "-r", "t.toml", "--format=json", "--as-of", "2024-01-01", "--by", "plan"]
    ) or (None, None)
    assert command is COMMANDS["status"]
    assert keywords == {
        "registry": Path("t.toml"),
        "format_name": "json",
        "as_of": "2024-01-01",
        "by": "plan",
    }
    assert parse(["check", "--strict", "-f", "github"]) == (
        COMMANDS["check"],
        {"strict": True, "output": "github"},
    )


def _words(name: str) -> st.SearchStrategy[list[str]]:
    """Command lines of `name`, mostly well formed: its options with values good and odd,
    now and then a word of another command, a value attached, or any text at all."""
    command = COMMANDS[name]
    value = st.one_of(
        st.sampled_from(["json", "table", "2024-01-01", "t.toml", "", "-1", "a=b", "--format"]),
        st.text(max_size=5),
    )
    option = st.sampled_from(sorted(command.values))
    flag = st.sampled_from(sorted({*command.flags, "--strict", "--help", "--version"}))
    piece = st.one_of(
        st.tuples(option, value).map(list),
        st.tuples(option, value).map(lambda pair: [f"{pair[0]}={pair[1]}"]),
        flag.map(lambda word: [word]),
        st.tuples(flag, value).map(lambda pair: [f"{pair[0]}={pair[1]}"]),
        st.text(max_size=5).map(lambda word: [word]),
    )
    return st.lists(piece, max_size=5).map(lambda pieces: [w for p in pieces for w in p])


@pytest.mark.parametrize("name", sorted(COMMANDS))
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_whatever_the_fast_path_accepts_typer_reads_the_same_way(name: str, data) -> None:  # type: ignore[no-untyped-def]
    """For any command line: either the fast path leaves it to Typer, or Typer accepts it
    too and gives every keyword the same value (the ones not given: their defaults)."""
    words = data.draw(_words(name))
    parsed = parse([name, *words])
    if parsed is None:
        return
    _, keywords = parsed
    try:
        context = typer_command(name).make_context(name, list(words))
    except ClickUsage as error:  # pragma: no cover - what this test exists to catch
        pytest.fail(f"the fast path accepted what Typer refuses: {words!r} ({error})")
    defaults = {p.name: p.default for p in typer_command(name).params}
    assert context.params == {**defaults, **keywords}


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    path = tmp_path / "targets.toml"
    path.write_text(SMALL, encoding="utf-8")
    return path


PARITY = [
    ["status"],
    ["status", "--format", "json"],
    ["status", "-f", "csv"],
    ["status", "--format=markdown"],
    ["status", "--by", "plan"],
    ["status", "--by", "region", "-f", "json"],
    ["status", "--plan", "p"],
    ["status", "--plan", "nope"],
    ["status", "--region", "testland"],
    ["status", "--region", "Atlantis"],
    ["status", "--status", "on-track"],
    ["status", "--status", "bogus"],
    ["status", "--format", "yaml"],
    ["status", "--by", "colour"],
    ["status", "--as-of", "20240101"],
    ["status", "--as-of", "1066-10-14"],
    ["check"],
    ["check", "--strict"],
    ["check", "-f", "json"],
    ["check", "--format", "github"],
    ["check", "-f", "yaml"],
]


@pytest.mark.parametrize("words", PARITY, ids=" ".join)
def test_the_fast_path_prints_what_typer_prints(
    words: list[str],
    registry: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("NO_COLOR", "1")
    args = [words[0], "--registry", str(registry), "--as-of", "2026-12-01", *words[1:]]
    if "--as-of" in words[1:]:
        args = [words[0], "--registry", str(registry), *words[1:]]
    fast = fast_path.run(args)
    fast_out = capsys.readouterr()
    typer_code = cli._run_typer(args)
    typer_out = capsys.readouterr()
    assert fast is not None, "the fast path left this command line to Typer"
    assert (fast, fast_out.out, fast_out.err) == (typer_code, typer_out.out, typer_out.err)
    assert fast_out.out or fast_out.err


@pytest.mark.parametrize(
    "text, code",
    [("format = 1\n[plans.p]\n", 2), ("format = 1\nplans = [\n", 2), (SMALL, 0)],
    ids=["invalid", "not TOML", "valid"],
)
def test_an_invalid_or_missing_registry_ends_the_same_on_both_paths(
    text: str, code: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "targets.toml"
    path.write_text(text, encoding="utf-8")
    for args in (
        ["status", "-r", str(path), "-f", "json"],
        ["status", "-r", str(tmp_path / "missing.toml")],
    ):
        fast = fast_path.run(args)
        fast_out = capsys.readouterr()
        assert (fast, fast_out.out, fast_out.err) == (cli._run_typer(args), *capsys.readouterr())
    assert fast_path.run(["status", "-r", str(path), "-f", "json"]) == code


def test_a_bug_on_the_fast_path_exits_3_with_one_line(
    registry: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr("prosperity_cli.assessment.assess", broken)
    assert fast_path.run(["status", "-r", str(registry)]) == 3
    err = capsys.readouterr().err
    assert err.startswith("prosperity: internal error (ZeroDivisionError: division by zero)")
    assert err.count("\n") == 1


def _modules_after(*args: str) -> set[str]:
    """The modules a whole `prosperity` run imported (main() itself ends the process)."""
    code = (
        "import sys\n"
        "from prosperity_cli.cli import run\n"
        f"run({list(args)!r})\n"
        "print(' '.join(sys.modules), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    return set(done.stderr.split())


def test_a_plain_status_never_imports_typer(registry: Path) -> None:
    """What makes the fast path fast; a plain `status` or `check` must keep it so."""
    for args in (["status", "-r", str(registry)], ["check", "-r", str(registry), "-f", "json"]):
        assert not {"typer", "pydantic", "click"} & _modules_after(*args), args
    assert "typer" in _modules_after("status", "--help")
