"""The output cache: a replay is exactly what was printed, and only for the very same inputs."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SMALL, Cli
from prosperity_cli import fingerprint, output_cache
from prosperity_cli.output_cache import Output, output_key, remember, replay

TABLE = "\x1b[1mIncome\x1b[0m  ≥ 1.70:1  ━━ 46 → 55 yuan\n"
FINDINGS = Output(TABLE, 1)
INPUTS: dict[str, object] = {
    "registry": "0f" * 20,
    "as_of": "2024-06-30",
    "format": "table",
    "terminal": {"width": 100, "color": "truecolor", "tty": True},
    "plans": ["p", "q"],
}


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("PROSPERITY_CACHE_DIR", str(folder))
    monkeypatch.delenv("PROSPERITY_NO_CACHE", raising=False)
    return folder


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A stand-in for the installed package folder, with one module in a sub-folder."""
    folder = tmp_path / "package"
    (folder / "render").mkdir(parents=True)
    (folder / "cli.py").write_text("print('status')\n", encoding="utf-8")
    (folder / "render" / "table.py").write_text("WIDTH = 80\n", encoding="utf-8")
    monkeypatch.setattr(fingerprint, "_package_folder", lambda: str(folder))
    return folder


def entry_of(cache_dir: Path, key: str) -> Path:
    return cache_dir / "outputs" / f"{key}.json"


def stored(cache_dir: Path, output: Output = FINDINGS) -> tuple[str, Path]:
    key = output_key("status", INPUTS)
    assert key is not None
    remember(key, output)
    return key, entry_of(cache_dir, key)


# --- replay --------------------------------------------------------------------------------


def test_a_remembered_output_is_replayed_exactly(cache_dir: Path) -> None:
    key, _ = stored(cache_dir, Output(TABLE, 1))
    assert replay(key) == Output(TABLE, 1)


def test_nothing_is_replayed_for_a_key_never_remembered(cache_dir: Path) -> None:
    stored(cache_dir)
    assert replay(output_key("status", {**INPUTS, "as_of": "2024-07-01"}) or "") is None


def test_remembering_again_replaces_the_output(cache_dir: Path) -> None:
    key, _ = stored(cache_dir, Output("old\n", 0))
    remember(key, Output("new\n", 1))
    assert replay(key) == Output("new\n", 1)


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    stdout=st.text(st.characters(exclude_categories=())),
    exit_code=st.integers(min_value=-(2**63), max_value=2**63),
)
def test_any_text_round_trips(cache_dir: Path, stdout: str, exit_code: int) -> None:
    """Lone surrogates, NUL, newlines and escapes included: the payload escapes them all."""
    remember("k" * 40, Output(stdout, exit_code))
    assert replay("k" * 40) == Output(stdout, exit_code)


# --- the key -------------------------------------------------------------------------------


def test_the_key_ignores_the_order_of_inputs(cache_dir: Path) -> None:
    reordered = {name: INPUTS[name] for name in reversed(INPUTS)}
    reordered["terminal"] = {"tty": True, "color": "truecolor", "width": 100}
    assert output_key("status", reordered) == output_key("status", INPUTS)


@pytest.mark.parametrize(
    ("command", "inputs"),
    [
        ("show", INPUTS),
        ("status", {**INPUTS, "as_of": "2024-07-01"}),
        ("status", {**INPUTS, "terminal": {"width": 101, "color": "truecolor", "tty": True}}),
        ("status", {**INPUTS, "terminal": {"width": 100, "color": "truecolor", "tty": False}}),
        ("status", {**INPUTS, "plans": ["q", "p"]}),
        ("status", {**INPUTS, "extra": None}),
        ("status", {name: value for name, value in INPUTS.items() if name != "plans"}),
        ("status", {**INPUTS, "format": "json"}),
        ("status", {**INPUTS, "terminal": {"width": 100.0, "color": "truecolor", "tty": True}}),
    ],
    ids=[
        "command",
        "value",
        "nested value",
        "nested bool",
        "list order",
        "added input",
        "missing input",
        "format",
        "float for int",
    ],
)
def test_the_key_differs_when_any_input_differs(
    cache_dir: Path, command: str, inputs: dict[str, object]
) -> None:
    assert output_key(command, inputs) != output_key("status", INPUTS)


def test_the_key_is_a_blake2_hex_digest(cache_dir: Path) -> None:
    key = output_key("status", INPUTS)
    assert key is not None
    assert len(key) == 40 and int(key, 16) >= 0


@pytest.mark.parametrize(
    ("module", "name", "value"),
    [(fingerprint, "__version__", "0.1.1"), (output_cache, "OUTPUT_FORMAT", 2)],
)
def test_a_new_version_or_entry_format_changes_the_key(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch, module: object, name: str, value: object
) -> None:
    before = output_key("status", INPUTS)
    monkeypatch.setattr(module, name, value)
    assert output_key("status", INPUTS) != before


def test_an_undecodable_path_still_has_a_key_of_its_own(cache_dir: Path) -> None:
    """A file name of invalid UTF-8 reaches Python as surrogate escapes."""
    one = output_key("status", {"path": b"caf\xe9.toml".decode("utf-8", "surrogateescape")})
    other = output_key("status", {"path": b"caf\xe8.toml".decode("utf-8", "surrogateescape")})
    assert one is not None and other is not None and one != other


def test_no_key_when_the_cache_is_off(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROSPERITY_NO_CACHE", "1")
    assert output_key("status", INPUTS) is None


def test_nothing_is_stored_or_replayed_when_the_cache_is_off(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key, _ = stored(cache_dir)
    monkeypatch.setenv("PROSPERITY_NO_CACHE", "1")
    assert replay(key) is None
    remember("a" * 40, Output("x", 0))
    assert not entry_of(cache_dir, "a" * 40).exists()


# --- the code fingerprint ------------------------------------------------------------------


def test_the_real_package_is_fingerprinted_with_its_sub_folders() -> None:
    found = list(fingerprint._code_files(fingerprint._package_folder(), ""))
    names = {name for name, *_ in found}
    assert {"output_cache.py", "cache.py", "render/table.py"} <= names
    assert not any("__pycache__" in name for name in names)


def test_a_rewritten_module_changes_the_key(cache_dir: Path, package: Path) -> None:
    before = output_key("status", INPUTS)
    (package / "render" / "table.py").write_text("WIDTH = 100\n", encoding="utf-8")
    assert output_key("status", INPUTS) != before


def test_a_touched_module_changes_the_key(cache_dir: Path, package: Path) -> None:
    before = output_key("status", INPUTS)
    stat = (package / "cli.py").stat()
    os.utime(package / "cli.py", ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert output_key("status", INPUTS) != before


def test_an_added_module_changes_the_key(cache_dir: Path, package: Path) -> None:
    before = output_key("status", INPUTS)
    (package / "render" / "csv.py").write_text("", encoding="utf-8")
    assert output_key("status", INPUTS) != before


def test_an_edit_that_keeps_size_and_mtime_still_changes_the_key(
    cache_dir: Path, package: Path
) -> None:
    module = package / "cli.py"
    before_stat = module.stat()
    before = output_key("status", INPUTS)
    # The ctime moves at the kernel's clock tick: edit until it has (a few ms at most).
    deadline = time.monotonic() + 2
    while module.stat().st_ctime_ns == before_stat.st_ctime_ns and time.monotonic() < deadline:
        time.sleep(0.001)
        module.write_text("print('STATUS')\n", encoding="utf-8")
        os.utime(module, ns=(before_stat.st_atime_ns, before_stat.st_mtime_ns))
    after_stat = module.stat()
    assert (after_stat.st_size, after_stat.st_mtime_ns) == (
        before_stat.st_size,
        before_stat.st_mtime_ns,
    )
    assert output_key("status", INPUTS) != before


def test_files_other_than_modules_do_not_change_the_key(cache_dir: Path, package: Path) -> None:
    before = output_key("status", INPUTS)
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "cli.cpython-311.pyc").write_bytes(b"\0")
    (package / "notes.txt").write_text("x", encoding="utf-8")
    assert output_key("status", INPUTS) == before


def test_an_unreadable_package_gives_no_key(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Code that cannot be fingerprinted is never replayed."""
    monkeypatch.setattr(fingerprint, "_package_folder", lambda: "/nonexistent/prosperity_cli")
    assert output_key("status", INPUTS) is None


def test_a_reinstalled_library_changes_the_key(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An upgraded Rich draws tables differently: its folder's mtime is in the key."""
    library = tmp_path / "site" / "fancytables"
    library.mkdir(parents=True)
    (library / "__init__.py").write_text("", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.setattr(fingerprint, "SHAPED_BY", ("fancytables",))
    before = output_key("status", INPUTS)
    stat = library.stat()
    os.utime(library, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert output_key("status", INPUTS) != before


# --- entries that must not be trusted ------------------------------------------------------


def test_an_edited_payload_is_not_replayed(cache_dir: Path) -> None:
    key, entry = stored(cache_dir, Output("exit 1\n", 1))
    entry.write_bytes(entry.read_bytes().replace(b'"exit_code":1', b'"exit_code":0'))
    assert replay(key) is None


def test_a_payload_with_one_byte_flipped_is_not_replayed(cache_dir: Path) -> None:
    key, entry = stored(cache_dir)
    raw = bytearray(entry.read_bytes())
    raw[-5] ^= 0x01
    entry.write_bytes(bytes(raw))
    assert replay(key) is None


@pytest.mark.parametrize("keep", [0, 1, 20, 60, -1])
def test_a_truncated_entry_is_not_replayed(cache_dir: Path, keep: int) -> None:
    key, entry = stored(cache_dir)
    entry.write_bytes(entry.read_bytes()[:keep])
    assert replay(key) is None


def test_the_entry_of_another_key_is_not_replayed(cache_dir: Path) -> None:
    other = output_key("status", {**INPUTS, "as_of": "2024-07-01"})
    assert other is not None
    remember(other, Output("another day\n", 0))
    key = output_key("status", INPUTS)
    assert key is not None
    entry_of(cache_dir, key).write_bytes(entry_of(cache_dir, other).read_bytes())
    assert replay(key) is None


@pytest.mark.parametrize(
    "garbage",
    [
        b"",
        b"\n",
        b"\xff\xfe\x00garbage",
        b"[" * 100_000,
        b"null\nnull",
        b'{"format":1}\n{"stdout":"x","exit_code":0}',
    ],
)
def test_garbage_is_not_replayed(cache_dir: Path, garbage: bytes) -> None:
    key = "b" * 40
    entry = entry_of(cache_dir, key)
    entry.parent.mkdir(parents=True)
    entry.write_bytes(garbage)
    assert replay(key) is None


@pytest.mark.parametrize(
    "payload",
    [
        b'{"stdout":1,"exit_code":0}',
        b'{"stdout":"x","exit_code":"0"}',
        b'{"stdout":"x","exit_code":true}',
        b'{"stdout":"x","exit_code":1.0}',
        b'{"stdout":"x"}',
        b'{"stdout":"x","exit_code":0,"stderr":""}',
        b'["x",0]',
        b"not json",
        b"[" * 100_000,
    ],
)
def test_a_well_hashed_payload_of_the_wrong_shape_is_not_replayed(
    cache_dir: Path, payload: bytes
) -> None:
    """Even a header that vouches for it does not make a wrong payload an output."""
    key = "c" * 40
    entry = entry_of(cache_dir, key)
    entry.parent.mkdir(parents=True)
    entry.write_bytes(output_cache._header(key, payload) + b"\n" + payload)
    assert replay(key) is None


def test_a_well_formed_hand_made_entry_is_replayed(cache_dir: Path) -> None:
    """The counterpart of the test above: the checks accept what they should."""
    key, payload = "c" * 40, b'{"stdout":"x","exit_code":0}'
    entry = entry_of(cache_dir, key)
    entry.parent.mkdir(parents=True)
    entry.write_bytes(output_cache._header(key, payload) + b"\n" + payload)
    assert replay(key) == Output("x", 0)


# --- writing -------------------------------------------------------------------------------


def test_an_unwritable_cache_is_skipped_silently(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    not_a_folder = tmp_path / "cache"
    not_a_folder.write_text("a file, not a folder", encoding="utf-8")
    monkeypatch.setenv("PROSPERITY_CACHE_DIR", str(not_a_folder))
    monkeypatch.delenv("PROSPERITY_NO_CACHE", raising=False)
    key = output_key("status", INPUTS)
    assert key is not None
    remember(key, Output(TABLE, 0))
    assert replay(key) is None
    assert not_a_folder.read_text(encoding="utf-8") == "a file, not a folder"


def test_pruning_keeps_the_newest_entries(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(output_cache, "MAX_ENTRIES", 3)
    keys = [f"{n}" * 40 for n in range(5)]
    for age, key in enumerate(keys):
        remember(key, Output(f"output {age}\n", 0))
        moment = 1_700_000_000 + age
        os.utime(entry_of(cache_dir, key), (moment, moment))
    assert sorted(p.name for p in (cache_dir / "outputs").iterdir()) == sorted(
        f"{key}.json" for key in keys[2:]
    )
    assert [replay(key) for key in keys] == [
        None,
        None,
        Output("output 2\n", 0),
        Output("output 3\n", 0),
        Output("output 4\n", 0),
    ]


def test_a_replayed_entry_counts_as_new_when_pruning(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(output_cache, "MAX_ENTRIES", 2)
    for age, key in enumerate(["a" * 40, "b" * 40]):
        remember(key, Output(key, 0))
        os.utime(entry_of(cache_dir, key), (1_700_000_000 + age, 1_700_000_000 + age))
    assert replay("a" * 40) == Output("a" * 40, 0)
    remember("c" * 40, Output("c", 0))
    assert replay("a" * 40) is not None
    assert replay("b" * 40) is None


# --- through the CLI: status and check replay only what a fresh run would print -------------


def count_loads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every registry the commands build (from the parse cache or the file)."""
    from prosperity_cli import cache

    calls: list[str] = []
    real = cache.registry_of

    def spy(file):  # type: ignore[no-untyped-def]
        calls.append(str(file.path))
        return real(file)

    monkeypatch.setattr(cache, "registry_of", spy)
    return calls


STATUS = ("status", "--as-of", "2024-06-30")


@pytest.mark.parametrize(
    "command",
    [
        (*STATUS,),
        (*STATUS, "--format", "json"),
        (*STATUS, "--format", "csv"),
        (*STATUS, "--format", "markdown"),
        (*STATUS, "--plan", "p"),
    ],
)
def test_the_same_command_again_is_replayed_without_loading_the_registry(
    cli: Cli, write_registry, cache_dir: Path, monkeypatch: pytest.MonkeyPatch, command
) -> None:
    path = write_registry(SMALL)
    first = cli(*command, "-r", path)
    loads = count_loads(monkeypatch)
    again = cli(*command, "-r", path)
    assert loads == []
    assert (again.stdout, again.exit_code) == (first.stdout, first.exit_code)
    assert first.stdout


@pytest.mark.parametrize(
    "command",
    [
        ("check", "--as-of", "2030-01-01"),
        ("check", "--as-of", "2030-01-01", "--format", "github"),
        ("check", "--as-of", "2024-06-30", "--strict", "--format", "json"),
    ],
)
def test_check_is_never_replayed_so_a_forged_output_cannot_pass_the_gate(
    cli: Cli, write_registry, cache_dir: Path, monkeypatch: pytest.MonkeyPatch, command
) -> None:
    path = write_registry(SMALL)
    first = cli(*command, "-r", path)
    loads = count_loads(monkeypatch)
    again = cli(*command, "-r", path)
    assert loads == [str(path)]
    assert (again.stdout, again.exit_code) == (first.stdout, first.exit_code)
    assert not (cache_dir / "outputs").exists()


@pytest.mark.parametrize(
    "changed",
    [
        ("--as-of", "2024-07-01"),
        ("--format", "json"),
        ("--region", "Testland"),
        ("--status", "moderate"),
    ],
)
def test_any_other_option_is_computed_afresh(
    cli: Cli, write_registry, cache_dir: Path, monkeypatch: pytest.MonkeyPatch, changed
) -> None:
    path = write_registry(SMALL)
    plain = cli(*STATUS, "-r", path).stdout
    loads = count_loads(monkeypatch)
    result = cli(*STATUS, *changed, "-r", path)
    assert result.exit_code == 0
    assert loads == [str(path)]  # computed, not replayed
    assert result.stdout != plain


def test_an_edited_registry_is_never_answered_from_the_old_output(
    cli: Cli, write_registry, cache_dir: Path
) -> None:
    import json

    path = write_registry(SMALL)
    cli(*STATUS, "--format", "json", "-r", path)
    stat = path.stat()
    path.write_text(SMALL.replace("value = 46", "value = 47"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same mtime
    result = cli(*STATUS, "--format", "json", "-r", path)
    assert json.loads(result.stdout)["targets"][0]["latest"]["value"] == 47


def test_a_narrower_terminal_gets_its_own_table(cli: Cli, write_registry, cache_dir: Path) -> None:
    from typer.testing import CliRunner

    from prosperity_cli.cli import app

    path = write_registry(SMALL)
    wide = cli(*STATUS, "-r", path).stdout
    narrow_runner = CliRunner(env={"NO_COLOR": "1", "COLUMNS": "50", "TERM": "dumb"})
    narrow = narrow_runner.invoke(app, [*STATUS, "-r", str(path)]).stdout
    assert max(map(len, narrow.splitlines())) <= 50 < max(map(len, wide.splitlines()))
    assert cli(*STATUS, "-r", path).stdout == wide


def test_a_failed_command_leaves_nothing_to_replay(
    cli: Cli, write_registry, cache_dir: Path
) -> None:
    path = write_registry(SMALL)
    for _ in range(2):
        result = cli(*STATUS, "--plan", "nope", "-r", path)
        assert result.exit_code == 2
        assert "no such plan" in result.stderr
    assert not list((cache_dir / "outputs").glob("*.json"))


def test_no_replay_when_the_cache_is_off(
    cli: Cli, write_registry, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROSPERITY_NO_CACHE", "1")
    path = write_registry(SMALL)
    first = cli(*STATUS, "-r", path).stdout
    loads = count_loads(monkeypatch)
    assert cli(*STATUS, "-r", path).stdout == first
    assert loads == [str(path)]
    assert not cache_dir.exists()
