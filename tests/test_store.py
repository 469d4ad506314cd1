"""store.py, new_observations.py and csv_import.py without the CLI: blocks, appending, locking,
refusals."""

from __future__ import annotations

import fcntl
import math
import os
import tempfile
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prosperity_cli import store
from prosperity_cli.cache import load as load_registry
from prosperity_cli.csv_import import csv_entries, read_csv_rows
from prosperity_cli.errors import RegistryInvalid, WriteRefused
from prosperity_cli.new_observations import (
    AddOptions,
    ObservationRefused,
    ObservationText,
    observation_entry,
    toml_number,
)
from prosperity_cli.registry import parse_registry

REGISTRY = """\
format = 1

[plans.p]
title = "Plan"

[indicators.output]
name = "Output"
unit = "yuan"
cadence = "annual"

[indicators.ratio]
name = "Urban:rural income ratio"
unit = "ratio"
cadence = "annual"

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

# Comments everywhere, odd spacing, a trailing table rather than an observation, CRLF.
ODD_REGISTRY = (
    "# hand-kept registry  \r\n"
    "format=1   # version\r\n"
    "\r\n"
    "\r\n"
    "[ plans . p ]   # a plan\r\n"
    "title   =   'Plan'\r\n"
    "[indicators.output]\r\n"
    '  name = "Output"    # indented\r\n'
    '\tunit = "yuan"\r\n'
    'cadence = "annual"\r\n'
    "# [[observations]] in a comment\r\n"
    "[[observations]]\r\n"
    'indicator="output"\r\n'
    'period = "2020"\r\n'
    "value = 1_000   # underscores\r\n"
    "[targets.t]\r\n"
    'indicator = "output"\r\n'
    'plan = "p"\r\n'
    'goal = "at-least"\r\n'
    "value = 2000\r\n"
    "deadline = 2030-12-31\r\n"
    "# last comment, no final newline"
)

TODAY = date(2026, 1, 15)


def _options(**kwargs: Any) -> AddOptions:
    return AddOptions(recorded=TODAY, **kwargs)


def _append(path: Path, given: ObservationText, **options: Any) -> store.Appended:
    return store.append_observations(
        path, lambda current: [observation_entry(given, current, _options(**options))]
    )


@pytest.fixture
def registry_path(tmp_path: Path) -> Path:
    path = tmp_path / "targets.toml"
    path.write_text(REGISTRY, encoding="utf-8")
    return path


# --- building blocks ---------------------------------------------------------------------------


def test_block_after_a_table_is_a_new_observation_not_keys_of_that_table() -> None:
    entry = {"indicator": "output", "period": "2021", "value": 5}
    text = REGISTRY + "\n[targets.x]\nindicator = 'ratio'\n\n" + store.observation_block(entry)
    document = tomllib.loads(text)
    assert document["observations"][-1] == entry
    assert "period" not in document["targets"]["x"]


def test_block_uses_the_given_line_ending_on_every_line() -> None:
    block = store.observation_block({"indicator": "a", "note": "x\ny\r\n"}, "\r\n")
    assert block.count("\r\n") == block.count("\n") == 3
    assert tomllib.loads(block)["observations"][0]["note"] == "x\ny\r\n"


@pytest.mark.parametrize(
    ("text", "newline"),
    [
        ("a = 1\nb = 2\n", "\n"),
        ("a = 1\r\nb = 2\r\n", "\r\n"),
        ("a = 1\r\nb = 2\nc = 3\r\n", "\r\n"),
        ("a = 1\r\nb = 2\nc = 3\n", "\n"),
        ("a = 1", "\n"),
    ],
)
def test_newline_of_follows_most_lines_of_the_file(text: str, newline: str) -> None:
    assert store.newline_of(text) == newline


def test_appended_text_puts_one_blank_line_before_each_block() -> None:
    entries = [{"indicator": "a"}, {"indicator": "b"}]
    text, lines = store.appended_text("x = 1\n", entries, "\n")
    assert text == '\n[[observations]]\nindicator = "a"\n\n[[observations]]\nindicator = "b"\n'
    assert lines == (3, 6)


def test_appended_text_adds_no_second_blank_line_after_one() -> None:
    text, lines = store.appended_text("x = 1\n\n", [{"indicator": "a"}], "\n")
    assert text == '[[observations]]\nindicator = "a"\n'
    assert lines == (3,)


def test_appended_text_ends_an_unterminated_last_line_first() -> None:
    text, lines = store.appended_text("x = 1 # end", [{"indicator": "a"}], "\n")
    assert text.startswith("\n\n[[observations]]")
    assert lines == (3,)


@pytest.mark.parametrize(
    ("value", "written"), [(69987.0, 69987), (1.7, 1.7), (-5.0, -5), (1e300, 1e300), (0.0, 0)]
)
def test_integral_values_are_written_as_integers(value: float, written: float) -> None:
    result = toml_number(value)
    assert result == written and type(result) is type(written)


def test_negative_zero_keeps_its_sign() -> None:
    assert math.copysign(1.0, toml_number(-0.0)) == -1.0


# --- round trip (hypothesis) -------------------------------------------------------------------

awkward_text = st.text() | st.sampled_from(
    [
        '"',
        "'",
        "\\",
        '"""',
        "a\nb",
        "\r\n",
        "]]",
        "[[observations]]",
        "# not a comment",
        "emoji 🎉👩‍👩‍👧",
        "中文：城乡居民收入比 1.7:1",
        "\x00\x1f\x7f",
        "\u2028",
        "",
    ]
)
finite = st.floats(allow_nan=False, allow_infinity=False)


@settings(max_examples=150, deadline=None)
@given(
    source=st.none() | awkward_text,
    quote=st.none() | awkward_text,
    note=st.none() | awkward_text,
    value=finite,
    year=st.integers(1000, 2999),
    provisional=st.booleans(),
)
def test_added_observation_loads_back_exactly_and_old_file_is_a_prefix(
    source: str | None,
    quote: str | None,
    note: str | None,
    value: float,
    year: int,
    provisional: bool,
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "targets.toml"
        path.write_text(REGISTRY, encoding="utf-8")
        old = path.read_bytes()
        given = ObservationText("output", str(year), repr(value), source, quote, note, provisional)
        _append(path, given)
        new = path.read_bytes()
        loaded = load_registry(path).observations_of("output")

    assert new.startswith(old)
    assert len(loaded) == 1
    added = loaded[0]
    assert (added.period.text, added.value, added.provisional) == (str(year), value, provisional)
    assert math.copysign(1.0, added.value) == math.copysign(1.0, value)
    assert (added.source, added.quote, added.note, added.recorded) == (source, quote, note, TODAY)


def test_odd_crlf_registry_keeps_every_byte_and_gains_crlf_lines(tmp_path: Path) -> None:
    path = tmp_path / "targets.toml"
    path.write_bytes(ODD_REGISTRY.encode("utf-8"))
    old = path.read_bytes()
    parse_registry(ODD_REGISTRY)  # the fixture itself is a valid registry

    _append(path, ObservationText("output", "2021", "1,200", source="a\nb"))

    new = path.read_bytes()
    assert new.startswith(old)
    added = new[len(old) :]
    assert added.startswith(b"\r\n\r\n[[observations]]\r\n")
    assert added.count(b"\n") == added.count(b"\r\n")
    observations = load_registry(path).observations_of("output")
    assert [(o.period.text, o.value, o.source) for o in observations] == [
        ("2020", 1000.0, None),
        ("2021", 1200.0, "a\nb"),
    ]


# --- refusals leave the file alone ---------------------------------------------------------------


@pytest.mark.parametrize("cached", [False, True], ids=["parsed", "from-the-cache"])
def test_file_changed_by_a_hand_edit_meanwhile_is_not_overwritten(
    registry_path: Path, cached: bool
) -> None:
    """Parsed afresh, the file's text is read again while planning and the edit shows
    there; from the parse cache it is not, and the check before the swap (the file's hash,
    re-read under the lock) is what catches it."""
    from prosperity_cli import cache

    if cached:
        cache.load(registry_path)

    def edit_then_build(current: Any) -> list[dict[str, Any]]:
        registry_path.write_text(REGISTRY + "# edited by hand\n", encoding="utf-8")
        return [observation_entry(ObservationText("output", "2021", "5"), current, _options())]

    with pytest.raises(WriteRefused, match="changed while"):
        store.append_observations(registry_path, edit_then_build)
    assert registry_path.read_text(encoding="utf-8") == REGISTRY + "# edited by hand\n"


def test_failed_replace_leaves_file_and_no_temp_file(
    registry_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any) -> None:
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(store.os, "replace", refuse)
    with pytest.raises(WriteRefused, match="Read-only file system"):
        _append(registry_path, ObservationText("output", "2021", "5"))
    assert registry_path.read_text(encoding="utf-8") == REGISTRY
    assert sorted(p.name for p in registry_path.parent.iterdir()) == [
        ".targets.toml.lock",
        "targets.toml",
    ]


def test_writer_gives_up_when_another_holds_the_lock(
    registry_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store, "LOCK_TIMEOUT_SECONDS", 0.2)
    holder = os.open(store.lock_path(registry_path), os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(holder, fcntl.LOCK_EX)
        with pytest.raises(WriteRefused, match="another prosperity"):
            _append(registry_path, ObservationText("output", "2021", "5"))
    finally:
        os.close(holder)
    assert registry_path.read_text(encoding="utf-8") == REGISTRY


def test_invalid_registry_is_refused_with_its_problems(tmp_path: Path) -> None:
    path = tmp_path / "targets.toml"
    path.write_text(REGISTRY.replace('title = "Plan"', 'titel = "Plan"'), encoding="utf-8")
    old = path.read_bytes()
    with pytest.raises(RegistryInvalid) as raised:
        _append(path, ObservationText("output", "2021", "5"))
    lines = raised.value.lines()
    assert any("plans.p.titel: unknown key" in line for line in lines)
    assert lines[-1].endswith(
        "nothing was written — fix the problems above first (`prosperity status` lists them too)"
    )
    assert path.read_bytes() == old


def test_symlinked_registry_is_written_through_the_link(tmp_path: Path) -> None:
    real = tmp_path / "data" / "targets.toml"
    real.parent.mkdir()
    real.write_text(REGISTRY, encoding="utf-8")
    link = tmp_path / "targets.toml"
    link.symlink_to(real)

    _append(link, ObservationText("output", "2021", "5"))

    assert link.is_symlink()
    assert len(load_registry(real).observations_of("output")) == 1


def test_file_mode_is_kept(registry_path: Path) -> None:
    registry_path.chmod(0o640)
    _append(registry_path, ObservationText("output", "2021", "5"))
    assert registry_path.stat().st_mode & 0o777 == 0o640


def test_preview_writes_nothing_and_takes_no_lock(registry_path: Path) -> None:
    preview = store.preview_append(
        registry_path,
        lambda current: [
            observation_entry(ObservationText("output", "2021", "5"), current, _options())
        ],
    )
    assert not preview.written
    assert preview.blocks.startswith("[[observations]]\n")
    assert registry_path.read_text(encoding="utf-8") == REGISTRY
    assert not store.lock_path(registry_path).exists()


# --- checking input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (
            ObservationText("outptu", "2021", "5"),
            "no indicator 'outptu' in the registry — did you mean 'output'?",
        ),
        (ObservationText("output", "2021-Q5", "5"), "'2021-Q5' is not a period"),
        (
            ObservationText("output", "2021-09", "5"),
            "period '2021-09' does not fit output, which "
            "is annual — write a period like 2024, or pass --force",
        ),
        (
            ObservationText("output", "2021", "5 yuan"),
            "value '5 yuan' is not a number — output is in 'yuan'",
        ),
        (ObservationText("output", "2021", "50%"), "'50%' is a percentage but the unit is 'yuan'"),
        (ObservationText("ratio", "2021", "1.7:0"), "divides by zero"),
        (
            ObservationText("ratio", "2020", "1.9"),
            "ratio already has 1.96:1 for 2020 — pass --revise",
        ),
        (ObservationText("output", "", "5"), "the period is empty"),
        (
            ObservationText("output", "2021", "5", source="\udcff"),
            "the source holds bytes that are not UTF-8",
        ),
    ],
)
def test_bad_input_is_refused_with_what_and_how_to_fix(
    given: ObservationText, message: str
) -> None:
    registry = parse_registry(REGISTRY)
    with pytest.raises(ObservationRefused) as raised:
        observation_entry(given, registry, _options())
    assert message in "\n".join(raised.value.lines())


def test_period_and_value_problems_are_reported_together() -> None:
    with pytest.raises(ObservationRefused) as raised:
        observation_entry(
            ObservationText("output", "20x", "x"), parse_registry(REGISTRY), _options()
        )
    assert len(raised.value.lines()) == 2


def test_force_accepts_a_period_off_the_cadence() -> None:
    entry = observation_entry(
        ObservationText("output", "2021-09", "5"), parse_registry(REGISTRY), _options(force=True)
    )
    assert entry["period"] == "2021-09"


def test_revision_of_a_recorded_period_gets_revises_true() -> None:
    entry = observation_entry(
        ObservationText("ratio", "2020", "1.95"), parse_registry(REGISTRY), _options(revise=True)
    )
    assert entry["revises"] is True


def test_revise_without_an_earlier_value_is_refused() -> None:
    with pytest.raises(ObservationRefused, match="nothing to revise"):
        observation_entry(
            ObservationText("ratio", "2021", "1.9"), parse_registry(REGISTRY), _options(revise=True)
        )


def test_same_period_written_differently_counts_as_a_duplicate() -> None:
    with pytest.raises(ObservationRefused, match="already has"):
        observation_entry(
            ObservationText("ratio", "2020-01/2020-12", "1.9"),
            parse_registry(REGISTRY),
            _options(force=True),
        )


@pytest.mark.parametrize(
    ("text", "unit_value"),
    [("69,987", 69987.0), ("9e12", 9e12), ("-0.5", -0.5)],
)
def test_values_are_read_as_people_type_them(text: str, unit_value: float) -> None:
    entry = observation_entry(
        ObservationText("output", "2021", text), parse_registry(REGISTRY), _options()
    )
    assert entry["value"] == unit_value


@pytest.mark.parametrize(("text", "ratio"), [("1.7:1", 1.7), ("4:3", 4 / 3), ("1.55", 1.55)])
def test_ratio_values_accept_colon_forms(text: str, ratio: float) -> None:
    entry = observation_entry(
        ObservationText("ratio", "2021", text), parse_registry(REGISTRY), _options()
    )
    assert entry["value"] == ratio


def test_csv_rows_report_every_bad_row_in_line_order() -> None:
    text = (
        "indicator,period,value,provisional\n"
        "output,2021,5,\n"
        "outptu,2022,5,\n"
        "output,2021,6,\n"
        "output,2023,5,maybe\n"
        "ratio,2020,1.9,no\n"
    )
    rows = read_csv_rows(text, "in.csv")
    with pytest.raises(ObservationRefused) as raised:
        csv_entries(rows, parse_registry(REGISTRY), _options())
    lines = raised.value.lines()
    assert [line.split(": ")[0] for line in lines] == [
        "in.csv:3",
        "in.csv:4",
        "in.csv:5",
        "in.csv:6",
    ]
    assert "same indicator and period as row 2" in lines[1]
    assert "provisional 'maybe' is not true or false" in lines[2]


def test_derived_indicator_is_refused_with_its_inputs() -> None:
    registry = parse_registry(
        REGISTRY
        + '\n[indicators.per-head]\nname = "Output per head"\n'
        + 'derived = { numerator = "output", denominator = "ratio" }\n'
    )
    with pytest.raises(ObservationRefused) as raised:
        observation_entry(ObservationText("per-head", "2021", "5"), registry, _options())
    assert raised.value.lines() == [
        "add-observation: per-head is derived (output / ratio): its values are computed "
        "— add output and ratio instead, or pass --reported to keep the figure the source "
        "states, for comparison"
    ]


@given(st.text(alphabet="ab \t\r\n", max_size=12), st.sampled_from(["\n", "\r\n"]))
def test_the_separator_depends_only_on_the_last_line(old: str, newline: str) -> None:
    """A blank line goes between the file and the first block unless the file already ends
    with one; a missing final newline is added first."""
    separator = store._separator(old, newline)
    if not old:
        assert separator == ""
        return
    ending = "" if old.endswith("\n") else newline
    last_line = (old + ending).split("\n")[-2]  # the definition, at any cost
    assert separator == (ending if not last_line.strip() else ending + newline)
