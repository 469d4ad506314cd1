"""Values as people write them and as we show them, per unit.

Units are "ratio" (1.7 shown as 1.70:1; "1.7:1" and "4:3" accepted), "percent" (50 shown
as 50%; "50%" accepted), or free text such as "yuan" or "years" (shown after the number).
Pure functions; no I/O.
"""

from __future__ import annotations

import math
import re

RATIO = "ratio"
PERCENT = "percent"

_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_GROUPED = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")


class ValueParseError(ValueError):
    """A value that does not parse; the message says what was expected."""


def _number(text: str, written: str) -> float:
    """The number in `text`, one part of the value as `written` (named in any error)."""
    text = text.strip().replace("_", "")
    if "," in text:
        if not _GROUPED.fullmatch(text):
            raise ValueParseError(f"{written!r} has commas in the wrong places")
        text = text.replace(",", "")
    if not _NUMBER.fullmatch(text):
        raise ValueParseError(f"{written!r} is not a number")
    value = float(text)
    if not math.isfinite(value):
        raise ValueParseError(f"{written!r} is too large (not a finite number)")
    return value


def parse_value(text: str | int | float, unit: str) -> float:
    """A value typed by a person, in the indicator's unit, as a float.

    Accepts "69,987", "69987", "9e12"; "1.7:1" and "4:3" for ratios; "50%" for percent.
    Errors name the value as it was written and say what is wrong with it; what is
    expected instead is `expected_forms(unit)`, for the caller's hint.
    """
    if isinstance(text, bool):
        raise ValueParseError(f"{text!r} is a boolean, not a number")
    if isinstance(text, int | float):
        try:
            value = float(text)
        except OverflowError:
            raise ValueParseError(f"{_short(int(text))} is too large for a number") from None
        if not math.isfinite(value):
            raise ValueParseError(f"{text!r} is not a finite number")
        return value
    raw = text.strip()
    if unit == RATIO and ":" in raw:
        left, _, right = raw.partition(":")
        if ":" in right:
            raise ValueParseError(f"{raw!r} has more than one ':'")
        numerator, denominator = _number(left, raw), _number(right, raw)
        if denominator == 0:
            raise ValueParseError(f"{raw!r} divides by zero")
        return numerator / denominator
    if raw.endswith("%"):
        if unit != PERCENT:
            raise ValueParseError(f"{raw!r} is a percentage but the unit is {unit!r}")
        return _number(raw[:-1], raw)
    return _number(raw, raw)


def _short(number: int) -> str:
    """A huge integer named briefly: its first digits and how many there are."""
    digits = str(abs(number))
    return f"{'-' if number < 0 else ''}{digits[:6]}... ({len(digits)} digits)"


def expected_forms(unit: str) -> str:
    """What a value in this unit may look like, for error messages."""
    if unit == RATIO:
        return "a number or a ratio like 1.7, 1.7:1 or 4:3"
    if unit == PERCENT:
        return "a number or a percentage like 50 or 50%"
    return "a number like 69987, 69,987 or 9e12"


def _decimals(value: float) -> int:
    """Decimals needed to show `value` faithfully, at most 2 (4 below 1 in magnitude)."""
    limit = 4 if 0 < abs(value) < 1 else 2
    for places in range(limit + 1):
        if math.isclose(round(value, places), value, rel_tol=0, abs_tol=10 ** -(limit + 3)):
            return places
    return limit


def format_number(value: float) -> str:
    """69987 -> "69,987"; 83.88 -> "83.88"; 4.6 -> "4.6"."""
    places = _decimals(value)
    text = f"{value:,.{places}f}"
    return "0" if text in {"-0", "-0.0", "-0.00"} else text


def format_value(value: float, unit: str) -> str:
    """A value for display in its unit: "1.80:1", "50%", "180,000 yuan"."""
    if unit == RATIO:
        return f"{value:.2f}:1"
    if unit == PERCENT:
        return f"{format_number(value)}%"
    return f"{format_number(value)} {unit}" if unit else format_number(value)


def format_change(value: float, unit: str) -> str:
    """A difference in the unit ("+0.10", "-2 pp", "+1,200 yuan"); ratios have no ":1"."""
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    magnitude = abs(value)
    if unit == RATIO:
        return f"{sign}{magnitude:.2f}"
    if unit == PERCENT:
        return f"{sign}{format_number(magnitude)} pp"
    return (
        f"{sign}{format_number(magnitude)} {unit}" if unit else f"{sign}{format_number(magnitude)}"
    )


def format_growth(rate: float) -> str:
    """A yearly growth rate as a signed percentage: 0.0211 -> "+2.11%", -0.01 -> "−1.00%"."""
    sign = "+" if rate > 0 else ("−" if rate < 0 else "±")
    return f"{sign}{abs(rate):.2%}"
