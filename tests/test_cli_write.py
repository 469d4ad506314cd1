"""`prosperity add-observation` and `prosperity import` through Typer's runner (and, for
concurrency and real write failures, as separate processes) on small registries."""

from __future__ import annotations

import json
import math
import os
import resource
import signal
import subprocess
import sys
import tempfile
import tomllib
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import Cli
from prosperity_cli.cache import load as load_registry

REGISTRY = """\
format = 1

[plans.p]
title = "Plan"

# Annual, with a target and a baseline.
[indicators.ratio]
name = "Urban:rural income ratio"
unit = "ratio"
cadence = "annual"

[indicators.income]
name = "Rural income"
unit = "yuan"
cadence = "quarterly"

[indicators.share]
name = "Share of households"
unit = "percent"
cadence = "monthly"

[targets.ratio-2030]
indicator = "ratio"
plan = "p"
goal = "at-most"
value = 1.7
deadline = 2030-12-31
baseline = "2020"

[[observations]]
indicator = "ratio"
period = "2020"
value = 1.96
"""

#: Typer's runner, 80 columns, no colour (conftest); stdout and stderr kept apart.
_invoke = Cli()


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    path = tmp_path / "targets.toml"
    path.write_text(REGISTRY, encoding="utf-8")
    return path


def _folder_listing(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir())


def _today() -> str:
    return date.today().isoformat()


# --- add-observation -------------------------------------------------------------------------


def test_add_appends_one_block_and_confirms_with_the_target_figures(registry: Path) -> None:
    old = registry.read_bytes()
    result = _invoke(
        "add-observation", "ratio", "2024", "1.83:1", "--source", "Bulletin", "-r", registry
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("added ratio 2024 = 1.83:1 (line 35); ratio-2030: ")
    assert "progress 50%" in result.stdout
    new = registry.read_bytes()
    assert new.startswith(old)
    assert new[len(old) :].decode() == (
        "\n[[observations]]\n"
        'indicator = "ratio"\n'
        'period = "2024"\n'
        "value = 1.83\n"
        'source = "Bulletin"\n'
        f"recorded = {_today()}\n"
    )


def test_add_on_an_indicator_without_target_says_it_is_tracked_only(registry: Path) -> None:
    result = _invoke("add-observation", "income", "2025-Q3", "45,183", "-r", registry)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "added income 2025-Q3 = 45,183 yuan (line 35); no target uses income (tracked only)\n"
    )


def test_add_accepts_a_negative_value_as_typed(registry: Path) -> None:
    result = _invoke("add-observation", "share", "2024-09", "-0.5", "-r", registry)
    assert result.exit_code == 0, result.stderr
    assert load_registry(registry).observations_of("share")[0].value == -0.5


def test_add_writes_provisional_note_quote_and_recorded_date(registry: Path) -> None:
    result = _invoke(
        "add-observation",
        "share",
        "2024-09",
        "50%",
        "--provisional",
        "--quote",
        'He said "50%"',
        "--note",
        "about",
        "--as-of",
        "2024-10-20",
        "-r",
        registry,
    )
    assert result.exit_code == 0, result.stderr
    [added] = load_registry(registry).observations_of("share")
    assert (added.value, added.provisional, added.quote, added.note, str(added.recorded)) == (
        50.0,
        True,
        'He said "50%"',
        "about",
        "2024-10-20",
    )


def test_recorded_option_rejects_a_non_date(registry: Path) -> None:
    old = registry.read_bytes()
    result = _invoke(
        "add-observation", "share", "2024-09", "5", "--recorded", "May", "-r", registry
    )
    assert result.exit_code == 2
    assert "'May' is not a date" in result.stderr
    assert registry.read_bytes() == old


def test_force_records_a_period_off_the_cadence(registry: Path) -> None:
    result = _invoke("add-observation", "income", "2024-09", "1000", "--force", "-r", registry)
    assert result.exit_code == 0, result.stderr
    assert load_registry(registry).observations_of("income")[0].period.text == "2024-09"


def test_dry_run_prints_the_block_and_writes_nothing(registry: Path) -> None:
    old = registry.read_bytes()
    result = _invoke("add-observation", "ratio", "2024", "1.8", "--dry-run", "-r", registry)
    assert result.exit_code == 0, result.stderr
    assert registry.read_bytes() == old
    assert _folder_listing(registry) == ["targets.toml"]
    block = tomllib.loads(result.stdout)["observations"][0]
    assert (block["indicator"], block["period"], block["value"]) == ("ratio", "2024", 1.8)
    assert "dry run: nothing written" in result.stderr
    assert "line 35" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ratoi", "2024", "1.8"], "no indicator 'ratoi' in the registry — did you mean 'ratio'?"),
        (["ratio", "2024-Q5", "1.8"], "'2024-Q5' is not a period — write 2024, 2024-H1"),
        (["income", "2024-09", "1.8"], "period '2024-09' does not fit income, which is quarterly"),
        (["ratio", "2024", "1.8:"], "value '1.8:' is not a number — ratio is in 'ratio'"),
        (["ratio", "2024", "abc"], "value 'abc' is not a number — ratio is in 'ratio'"),
        (["ratio", "2020", "1.9"], "ratio already has 1.96:1 for 2020 — pass --revise"),
        (["ratio", "2021", "1.9", "--revise"], "nothing to revise: ratio has no value for 2021"),
    ],
    ids=[
        "unknown-indicator",
        "bad-period",
        "off-cadence",
        "bad-ratio",
        "bad-value",
        "duplicate",
        "revise-nothing",
    ],
)
def test_refusal_exits_2_with_one_line_and_leaves_the_file_unchanged(
    registry: Path, args: list[str], message: str
) -> None:
    old = registry.read_bytes()
    result = _invoke("add-observation", *args, "-r", registry)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stderr.count("\n") == 1
    assert result.stdout == ""
    assert registry.read_bytes() == old
    assert ".tmp" not in "".join(_folder_listing(registry))


def test_invalid_registry_is_refused_and_left_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "targets.toml"
    path.write_text(REGISTRY.replace('cadence = "monthly"', 'cadence = "weekly"'), "utf-8")
    old = path.read_bytes()
    result = _invoke("add-observation", "ratio", "2024", "1.8", "-r", path)
    assert result.exit_code == 2
    assert f'{path}:20: indicators.share.cadence: "weekly" is not one of' in result.stderr
    assert "nothing was written" in result.stderr
    assert path.read_bytes() == old


def test_unreplaceable_file_is_refused_and_left_unchanged(
    registry: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    old = registry.read_bytes()
    result = _invoke("add-observation", "ratio", "2024", "1.8", "-r", registry)
    assert result.exit_code == 2
    assert "cannot write (Permission denied), nothing was changed" in result.stderr
    assert registry.read_bytes() == old
    assert _folder_listing(registry) == [".targets.toml.lock", "targets.toml"]


def test_read_only_file_is_refused_and_left_unchanged(
    registry: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tests run as root, for whom every file is writable: pretend we are not.
    monkeypatch.setattr(os, "access", lambda path, mode, **kwargs: mode != os.W_OK)
    old = registry.read_bytes()
    result = _invoke("add-observation", "ratio", "2024", "1.8", "-r", registry)
    assert result.exit_code == 2
    assert "the file is read-only, nothing was written" in result.stderr
    assert registry.read_bytes() == old


def test_registry_that_is_a_folder_is_refused(tmp_path: Path) -> None:
    result = _invoke("add-observation", "ratio", "2024", "1.8", "-r", tmp_path)
    assert result.exit_code == 2
    assert "is a folder" in result.stderr


def _limit_file_size(limit: int) -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


def test_disk_refusing_the_write_leaves_the_file_unchanged(registry: Path) -> None:
    """A real write failure, even for root: the file-size limit makes the temp file's write fail."""
    old = registry.read_bytes()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "prosperity_cli",
            "add-observation",
            "ratio",
            "2024",
            "1.8",
            "-r",
            str(registry),
        ],
        capture_output=True,
        text=True,
        preexec_fn=lambda: _limit_file_size(len(old)),
        check=False,
    )
    assert result.returncode == 2
    assert "cannot write (File too large), nothing was changed" in result.stderr
    assert registry.read_bytes() == old
    assert _folder_listing(registry) == [".targets.toml.lock", "targets.toml"]


# --- revisions ---------------------------------------------------------------------------------


def test_revision_is_appended_and_its_value_is_used_by_status(registry: Path) -> None:
    assert _invoke("add-observation", "ratio", "2024", "1.8", "-r", registry).exit_code == 0
    revised = _invoke("add-observation", "ratio", "2024", "1.75", "--revise", "-r", registry)
    assert revised.exit_code == 0, revised.stderr
    assert "added ratio 2024 = 1.75:1 as a revision" in revised.stdout
    assert registry.read_text("utf-8").endswith(
        f"value = 1.75\nrevises = true\nrecorded = {_today()}\n"
    )

    status = _invoke("status", "-r", registry, "--format", "json", "--as-of", "2025-06-30")
    [target] = json.loads(status.stdout)["targets"]
    assert (target["latest"]["period"], target["latest"]["value"]) == ("2024", 1.75)


# --- hypothesis: whatever is typed comes back exactly -----------------------------------------

typed_text = st.text() | st.sampled_from(
    ['"quoted"', "back\\slash", "two\nlines", "]]", "# hash", "🎉", "城乡居民收入比", "--source"]
)


@settings(max_examples=60, deadline=None)
@given(
    source=typed_text,
    quote=typed_text,
    note=typed_text,
    value=st.floats(allow_nan=False, allow_infinity=False),
)
def test_typed_text_and_value_load_back_exactly(
    source: str, quote: str, note: str, value: float
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "targets.toml"
        path.write_text(REGISTRY, encoding="utf-8")
        old = path.read_bytes()
        result = _invoke(
            "add-observation",
            "income",
            "2024-Q1",
            repr(value),
            "--source",
            source,
            "--quote",
            quote,
            "--note",
            note,
            "-r",
            path,
        )
        assert result.exit_code == 0, result.stderr
        assert path.read_bytes().startswith(old)
        [added] = load_registry(path).observations_of("income")
    assert (added.source, added.quote, added.note) == (source, quote, note)
    assert added.value == value
    assert math.copysign(1.0, added.value) == math.copysign(1.0, value)


# --- concurrency --------------------------------------------------------------------------------


def _add_in_process(registry: Path, period: str, value: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k != "PROSPERITY_REGISTRY"}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "prosperity_cli",
            "add-observation",
            "share",
            period,
            value,
            "-r",
            str(registry),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _finished(process: subprocess.Popen[str]) -> tuple[int, str]:
    """The exit code and stderr of a process, once it has ended."""
    _, stderr = process.communicate(timeout=120)
    return process.returncode, stderr


def test_twenty_processes_appending_at_once_lose_nothing(registry: Path) -> None:
    old = registry.read_bytes()
    periods = [f"{2024 + n // 12}-{n % 12 + 1:02d}" for n in range(20)]
    processes = [_add_in_process(registry, period, str(n)) for n, period in enumerate(periods)]
    outcomes = [_finished(process) for process in processes]

    assert outcomes == [(0, "")] * 20
    assert registry.read_bytes().startswith(old)
    added = load_registry(registry).observations_of("share")
    assert sorted((o.period.text, o.value) for o in added) == sorted(
        (period, float(n)) for n, period in enumerate(periods)
    )
    assert _folder_listing(registry) == [".targets.toml.lock", "targets.toml"]


def test_processes_adding_the_same_period_at_once_store_it_once(registry: Path) -> None:
    processes = [_add_in_process(registry, "2024-09", str(n)) for n in range(8)]
    codes = [_finished(process)[0] for process in processes]
    assert sorted(codes) == [0] + [2] * 7
    assert len(load_registry(registry).observations_of("share")) == 1


# --- import -------------------------------------------------------------------------------------


def _csv(tmp_path: Path, text: str, *, bom: bool = False, name: str = "new.csv") -> Path:
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


GOOD_CSV = (
    "indicator,period,value,source,quote,provisional\n"
    'ratio,2024,1.8:1,Bulletin,"He said ""1.8"", then left",\n'
    'income,2025-01/2025-09,"45,183",Report,,yes\n'
    "share,2024-09,50%,,,\n"
)


def test_import_appends_every_row_in_one_write(registry: Path, tmp_path: Path) -> None:
    old = registry.read_bytes()
    result = _invoke("import", _csv(tmp_path, GOOD_CSV), "-r", registry)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[:3] == [
        "added ratio 2024 = 1.80:1 (line 35)",
        "added income 2025-01/2025-09 = 45,183 yuan (line 43)",
        "added share 2024-09 = 50% (line 51)",
    ]
    assert "ratio-2030: latest 1.80:1 (2024)" in result.stdout
    assert result.stdout.endswith(
        f"imported 3 observations from {tmp_path / 'new.csv'} into {registry}\n"
    )
    assert registry.read_bytes().startswith(old)
    loaded = load_registry(registry)
    assert loaded.observations_of("ratio")[-1].quote == 'He said "1.8", then left'
    assert loaded.observations_of("income")[0].provisional is True
    assert loaded.observations_of("share")[0].value == 50.0


def test_import_with_one_bad_row_adds_nothing_and_names_that_row(
    registry: Path, tmp_path: Path
) -> None:
    text = GOOD_CSV.replace("share,2024-09,50%", "share,2024-09,fifty")
    csv_file = _csv(tmp_path, text)
    old = registry.read_bytes()
    result = _invoke("import", csv_file, "-r", registry)
    assert result.exit_code == 2
    assert result.stderr == (
        f"{csv_file}:4: value 'fifty' is not a number — share is in 'percent': "
        "write a number or a percentage like 50 or 50%\n"
    )
    assert registry.read_bytes() == old


def test_import_lists_every_bad_row(registry: Path, tmp_path: Path) -> None:
    text = (
        "indicator,period,value\n"
        "ratio,2020,1.9\n"  # already recorded
        "ratio,2024,1.8\n"
        "ratio,2024,1.7\n"  # same as line 3
        "incme,2024-Q1,5\n"  # unknown indicator
        "share,2024-Q1,5,extra\n"  # too many cells
    )
    csv_file = _csv(tmp_path, text)
    result = _invoke("import", csv_file, "-r", registry)
    assert result.exit_code == 2
    rows = [line.split(": ", 1)[0] for line in result.stderr.splitlines()]
    assert rows == [f"{csv_file}:{n}" for n in (2, 4, 5, 6)]
    assert "same indicator and period as row 3" in result.stderr
    assert "did you mean 'income'?" in result.stderr


def test_import_reads_utf8_with_bom_and_crlf(registry: Path, tmp_path: Path) -> None:
    csv_file = _csv(tmp_path, "indicator,period,value,note\r\nratio,2024,1.8,城乡 🎉\r\n", bom=True)
    result = _invoke("import", csv_file, "-r", registry)
    assert result.exit_code == 0, result.stderr
    assert load_registry(registry).observations_of("ratio")[-1].note == "城乡 🎉"


def test_import_row_numbers_count_lines_of_multiline_cells(registry: Path, tmp_path: Path) -> None:
    csv_file = _csv(
        tmp_path, 'indicator,period,value,quote\nratio,2024,1.8,"one\ntwo"\n\nratio,x,1\n'
    )
    result = _invoke("import", csv_file, "-r", registry)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{csv_file}:5: 'x' is not a period")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("ratio,2024,1.8\n", ":1: no header row — the first line must name the columns"),
        ("indicator,period,valeu\n", ":1: unknown column 'valeu' — did you mean 'value'?"),
        ("indicator,period\n", ":1: missing column 'value'"),
        ("indicator,period,value\n", ": no rows below the header"),
        ("", ":1: the file is empty"),
    ],
)
def test_import_refuses_a_file_without_a_usable_header(
    registry: Path, tmp_path: Path, text: str, message: str
) -> None:
    old = registry.read_bytes()
    result = _invoke("import", _csv(tmp_path, text), "-r", registry)
    assert result.exit_code == 2
    assert message in result.stderr
    assert registry.read_bytes() == old


def test_import_refuses_a_file_that_is_not_utf8(registry: Path, tmp_path: Path) -> None:
    csv_file = tmp_path / "latin1.csv"
    csv_file.write_bytes("indicator,period,value,note\nratio,2024,1.8,café\n".encode("latin-1"))
    result = _invoke("import", csv_file, "-r", registry)
    assert result.exit_code == 2
    assert f"{csv_file}:2: not valid UTF-8" in result.stderr


def test_import_of_a_missing_file_is_refused(registry: Path, tmp_path: Path) -> None:
    result = _invoke("import", tmp_path / "nope.csv", "-r", registry)
    assert result.exit_code == 2
    assert "nope.csv: cannot read (No such file or directory)" in result.stderr


def test_import_dry_run_shows_the_blocks_and_writes_nothing(registry: Path, tmp_path: Path) -> None:
    old = registry.read_bytes()
    result = _invoke("import", _csv(tmp_path, GOOD_CSV), "--dry-run", "-r", registry)
    assert result.exit_code == 0, result.stderr
    assert registry.read_bytes() == old
    assert len(tomllib.loads(result.stdout)["observations"]) == 3
    assert "3 observations would start at line 35" in result.stderr


def test_import_revise_applies_to_every_row(registry: Path, tmp_path: Path) -> None:
    result = _invoke(
        "import",
        _csv(tmp_path, "indicator,period,value\nratio,2020,1.95\n"),
        "--revise",
        "-r",
        registry,
    )
    assert result.exit_code == 0, result.stderr
    [original, revision] = load_registry(registry).observations_of("ratio")
    assert (original.value, revision.value, revision.revises) == (1.96, 1.95, True)
