"""Fuzzing: registries built from random but plausible pieces hold the hostile-input contract.

Each example is a registry of the format's own tables and keys (and a few unknown ones),
whose values are drawn from every TOML type: text with unicode, control characters and
Rich markup, integers beyond a float, NaN and infinities, dates at the ends of the
calendar, lists and tables. Every command that reads a registry must answer it with an
exit code of 0, 1 (check only) or 2, no exception, strict JSON, no ESC byte from the
registry in its output, and the file untouched.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import Cli

HOSTILE_TEXT = st.sampled_from(
    ["[bold]x", "[/]", "\x1b[2J", "\x1b]52;c;eA==\x07", "=cmd", "<b>", "\u202e", "\x00", "a\nb"]
)
TEXT = st.one_of(st.text(max_size=12), HOSTILE_TEXT, st.sampled_from(["2020", "1.7:1", "50%"]))
NUMBERS = st.one_of(
    st.integers(-(10**30), 10**30),
    st.sampled_from([10**400, -(10**400), 0, -1]),
    st.floats(allow_nan=True, allow_infinity=True),
)
DATES = st.one_of(
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
    st.sampled_from([date(2020, 12, 31), date(2025, 12, 31)]),
)
SCALARS = st.one_of(TEXT, NUMBERS, st.booleans(), DATES)
VALUES = st.one_of(
    SCALARS, st.lists(SCALARS, max_size=3), st.dictionaries(st.sampled_from("ab"), SCALARS)
)
PERIODS = st.one_of(
    st.sampled_from(["2020", "2023", "2024-Q3", "2025-01/2025-09", "0000", "9999", "2024-13"]),
    TEXT,
    st.integers(0, 9999),
)
IDS = st.sampled_from(["i", "j", "t", "p", "x y"])


def entry(keys: list[str]) -> st.SearchStrategy[dict[str, object]]:
    """A table with some of `keys` (and now and then an unknown one), each a random value,
    the usual keys often with a plausible value."""
    plausible = {
        "indicator": IDS,
        "plan": IDS,
        "period": PERIODS,
        "value": st.one_of(NUMBERS, TEXT),
        "goal": st.sampled_from(["at-least", "at-most", "above", "below", "more"]),
        "cadence": st.sampled_from(["annual", "quarterly", "monthly", "irregular", "weekly"]),
        "unit": st.sampled_from(["yuan", "ratio", "percent", "[red]u"]),
        "deadline": DATES,
        "baseline": PERIODS,
        "lag": st.sampled_from(["3 months", "999999 years", "-1 day", "x"]),
        "grade": st.sampled_from(["official-statistics", "secondary", "best"]),
        "url": st.sampled_from(["https://example.org/a", "javascript:x", "\x1b[2J"]),
    }
    fields = {key: st.one_of(plausible.get(key, TEXT), VALUES) for key in [*keys, "unknown"]}
    return st.fixed_dictionaries({}, optional=fields)


INDICATOR_KEYS = ["name", "unit", "cadence", "region", "lag", "grace", "source", "note", "url",
                  "measure", "spread"]  # fmt: skip
TARGET_KEYS = ["indicator", "plan", "goal", "value", "deadline", "baseline", "method", "grade"]
OBSERVATION_KEYS = ["indicator", "period", "value", "revises", "provisional", "reported"]
REGISTRY = st.fixed_dictionaries(
    {"format": st.one_of(st.just(1), VALUES)},
    optional={
        "plans": st.dictionaries(IDS, entry(["title", "region", "published"]), max_size=2),
        "indicators": st.dictionaries(IDS, entry(INDICATOR_KEYS), max_size=3),
        "targets": st.dictionaries(IDS, entry(TARGET_KEYS), max_size=3),
        "observations": st.lists(entry(OBSERVATION_KEYS), max_size=5),
        "defaults": entry(["grace", "provisional_age"]),
    },
)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=REGISTRY)
def test_random_registries_hold_the_contract(tmp_path_factory, document: dict) -> None:
    path: Path = tmp_path_factory.mktemp("fuzz") / "targets.toml"
    path.write_text(tomli_w.dumps(document), encoding="utf-8")
    before = path.read_bytes()
    cli = Cli()
    for args in (
        ("status", "--as-of", "2025-06-30"),
        ("status", "--format", "json", "--as-of", "2025-06-30"),
        ("status", "--format", "csv", "--as-of", "2025-06-30"),
        ("check", "--as-of", "2025-06-30"),
        ("show", "t", "--no-chart", "--as-of", "2025-06-30"),
    ):
        result = cli(*args, "-r", path)
        assert result.exit_code in ((0, 1, 2) if args[0] == "check" else (0, 2)), (
            args,
            result.stderr,
            result.exception,
        )
        assert "\x1b" not in result.stdout and "\x1b" not in result.stderr, args
        if "json" in args and result.exit_code == 0:
            json.loads(result.stdout)
    assert path.read_bytes() == before
