import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prosperity_cli.units import (
    ValueParseError,
    format_change,
    format_number,
    format_value,
    parse_value,
)


@pytest.mark.parametrize(
    ("text", "unit", "value"),
    [
        ("69,987", "yuan", 69987.0),
        ("69987", "yuan", 69987.0),
        ("1,234,567.5", "yuan", 1234567.5),
        ("1.55", "ratio", 1.55),
        ("1.7:1", "ratio", 1.7),
        ("4:3", "ratio", 4 / 3),
        ("50%", "percent", 50.0),
        ("9e12", "yuan", 9e12),
        (" 83.88 ", "years", 83.88),
        (180000, "yuan", 180000.0),
        (1.7, "ratio", 1.7),
    ],
)
def test_values_are_read_as_people_type_them(text: str | float, unit: str, value: float) -> None:
    assert parse_value(text, unit) == pytest.approx(value)


@pytest.mark.parametrize(
    ("text", "unit", "fragment"),
    [
        ("abc", "yuan", "not a number"),
        ("1.7:1", "yuan", "not a number"),
        ("50%", "yuan", "percentage but the unit"),
        ("4:0", "ratio", "divides by zero"),
        ("6,99,87", "yuan", "commas in the wrong places"),
        ("nan", "yuan", "not a number"),
        ("", "yuan", "not a number"),
    ],
)
def test_bad_values_are_refused_with_what_was_expected(text: str, unit: str, fragment: str) -> None:
    with pytest.raises(ValueParseError, match=fragment):
        parse_value(text, unit)


def test_booleans_and_infinities_are_not_numbers() -> None:
    with pytest.raises(ValueParseError):
        parse_value(True, "yuan")
    with pytest.raises(ValueParseError):
        parse_value(math.inf, "yuan")


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (1.8, "ratio", "1.80:1"),
        (4 / 3, "ratio", "1.33:1"),
        (50, "percent", "50%"),
        (19.6, "percent", "19.6%"),
        (180000, "yuan", "180,000 yuan"),
        (83.88, "years", "83.88 years"),
        (4.6, "", "4.6"),
        (0.0045, "t", "0.0045 t"),
    ],
)
def test_values_are_shown_in_their_unit(value: float, unit: str, shown: str) -> None:
    assert format_value(value, unit) == shown


def test_changes_carry_a_sign_and_ratios_lose_their_colon() -> None:
    assert format_change(-0.16, "ratio") == "−0.16"
    assert format_change(2.5, "percent") == "+2.5 pp"
    assert format_change(1200, "yuan") == "+1,200 yuan"


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False))
def test_shown_numbers_read_back_within_their_rounding(value: float) -> None:
    shown = format_number(value)
    decimals = len(shown.partition(".")[2])
    assert parse_value(shown, "yuan") == pytest.approx(
        value, abs=0.5 * 10**-decimals * (1 + 1e-6) + abs(value) * 1e-12
    )


@given(st.floats(min_value=0.01, max_value=100, allow_nan=False))
def test_ratio_display_reads_back_within_rounding(value: float) -> None:
    shown = format_value(value, "ratio")
    assert parse_value(shown, "ratio") == pytest.approx(value, abs=0.005 + 1e-9)


@pytest.mark.parametrize(
    ("text", "unit", "message"),
    [
        ("1.7::1", "ratio", "'1.7::1' has more than one ':'"),
        ("1.8:", "ratio", "'1.8:' is not a number"),
        ("1e999", "yuan", "'1e999' is too large (not a finite number)"),
        (10**400, "yuan", "100000... (401 digits) is too large for a number"),
    ],
)
def test_errors_name_the_value_as_it_was_written(text: str | int, unit: str, message: str) -> None:
    with pytest.raises(ValueParseError) as raised:
        parse_value(text, unit)
    assert str(raised.value) == message
