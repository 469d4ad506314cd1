"""The registry keys of method depth II (owner, desired, limit, the trend methods, the
short and long term): how they are validated, checked and kept by the parse cache."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Cli
from prosperity_cli import cache
from prosperity_cli.limits import Limit
from prosperity_cli.model import Desired, Method
from prosperity_cli.registry import parse_registry
from prosperity_cli.render import report_html, report_markdown, summary, table
from prosperity_cli.status import Status

KEYS = """\
format = 1

[defaults]
short_term = "3 years"
long_term = "10 years"

[plans.p]
title = "Plan"
owner = "Planning office"

[indicators.share]
name = "Coverage"
unit = "percent"
cadence = "annual"
desired = "increase"
limit = { lower = 0, upper = 100 }

[indicators.growth]
name = "Index growth"
unit = "percent"
cadence = "annual"
limit = { lower = -100 }

[targets.share-2030]
indicator = "share"
plan = "p"
goal = "at-least"
value = 90
deadline = 2030-12-31
baseline = "2020"
method = "trend"
owner = "Health bureau"

[[observations]]
indicator = "share"
period = "2020"
value = 60

[[observations]]
indicator = "growth"
period = "2020"
value = -4
"""


def test_the_keys_are_read_into_the_model() -> None:
    registry = parse_registry(KEYS)
    share = registry.indicators["share"]
    assert share.desired is Desired.INCREASE and share.limit == Limit(0, 100)
    assert registry.indicators["growth"].limit == Limit(-100, None)
    target = registry.targets["share-2030"]
    assert target.method is Method.TREND and target.owner == "Health bureau"
    assert registry.plans["p"].owner == "Planning office"
    assert str(registry.defaults.short_term) == "3 years"


def test_the_parse_cache_keeps_every_new_key() -> None:
    original = parse_registry(KEYS)
    parts = [json.loads(json.dumps(part)) for part in cache.encode_registry(original)]
    assert cache.decode_registry(parts) == original


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("value = 60", "value = 120"), "120 is outside the limit of share (0 to 100)"),
        (("value = 90\n", "value = 101\n"), "101 is outside the limit of share (0 to 100)"),
        (("upper = 100 }", "upper = 0 }"), "lower (0) is not below upper (0)"),
        (("limit = { lower = -100 }", "limit = { lowr = -100 }"), "unknown key 'lowr' in limit"),
        (
            ("limit = { lower = -100 }", 'limit = { lower = "zero" }'),
            'lower is "zero", not a number',
        ),
        (('desired = "increase"', 'desired = "up"'), '"up" is not one of increase, decrease'),
        (('method = "trend"', 'method = "regression"'), "not one of cagr, linear, trend"),
        (('owner = "Health bureau"', 'owner = ""'), "owner"),
        (('short_term = "3 years"', 'short_term = "soon"'), "not a duration"),
    ],
)
def test_a_wrong_value_is_one_error_line_with_its_place(
    cli: Cli, write_registry: Callable[[str], Path], change: tuple[str, str], message: str
) -> None:
    old, new = change
    assert old in KEYS
    path = write_registry(KEYS.replace(old, new, 1))
    result = cli("check", "-r", path, "--as-of", "2021-06-30")
    said = result.stdout + result.stderr
    assert result.exit_code == 2, said
    assert message in said
    assert f"{path}:" in said and "Traceback" not in said


def test_check_warns_of_a_percent_beyond_its_range_and_of_a_goal_against_desired(
    cli: Cli, write_registry: Callable[[str], Path]
) -> None:
    text = KEYS.replace("limit = { lower = -100 }\n", "").replace(
        'goal = "at-least"\nvalue = 90', 'goal = "at-most"\nvalue = 50'
    )
    result = cli("check", "-r", write_registry(text), "--as-of", "2021-06-30")
    said = result.stdout + result.stderr
    assert "beyond-unit-limit: growth: a value lies outside 0 to 100" in said
    assert "declare the indicator's own, e.g. limit = { lower = -100 }" in said
    assert "desired-contradicts-goal: share-2030" in said


def test_every_status_has_a_style_a_colour_a_mark_and_a_bar() -> None:
    for styles in (table.STATUS_STYLE, report_html.STATUS_COLOURS, report_markdown.STATUS_MARK):
        assert set(styles) == set(Status)
    assert set(summary.BAR_MARK) == set(Status)
