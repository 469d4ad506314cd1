"""Converters from parsed TOML values to the model's values: one function per kind of key,
raising FieldError(message, hint) for a value of the wrong kind. schema.py names which
converter each key takes; validation.py applies them. Pure, no I/O.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from prosperity_cli.limits import Limit
from prosperity_cli.model import Derivation, Spread
from prosperity_cli.periods import (
    DURATION_FORMS,
    PERIOD_FORMS,
    Duration,
    Period,
    PeriodError,
    check_year,
    parse_duration,
    parse_period,
)
from prosperity_cli.spread import Statistic
from prosperity_cli.suggestions import did_you_mean
from prosperity_cli.units import ValueParseError, expected_forms, parse_value

#: An entry's ID: a letter or digit, then letters, digits, "-" and "_".
ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
#: A web address: http(s), then no space or control character.
URL = re.compile(r"https?://[^\s\x00-\x1f\x7f]+")
DERIVED_KEYS = ("numerator", "denominator")


class FieldError(Exception):
    """A value of the wrong kind: what is wrong, and how to fix it."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


@functools.lru_cache(maxsize=16384)
def cached_period(text: str) -> Period:
    """parse_period, once per distinct string: a journal repeats the same few periods."""
    return parse_period(text)


def describe(value: Any) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return str(value)


def text(value: Any) -> str:
    if not isinstance(value, str):
        raise FieldError(f"expected text, got {describe(value)}", "put the text in quotes")
    return value


def is_web_address(text: str) -> bool:
    """http(s), then no space or control character: what `url` accepts."""
    return URL.fullmatch(text) is not None


def url(value: Any) -> str:
    address = text(value)
    if not is_web_address(address):
        raise FieldError(
            f"{describe(address)} is not a web address",
            "write the address of the page, starting with https:// or http://",
        )
    return address


def required_text(value: Any) -> str:
    written = text(value)
    if not written.strip():
        raise FieldError("is empty", "write a value between the quotes")
    return written


def a_date(value: Any) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        try:
            return check_year(value, "date")
        except PeriodError as exc:
            raise FieldError(str(exc), "write a date within those years") from None
    if isinstance(value, datetime):
        raise FieldError(
            f"expected a date like 2025-12-31, got a date and time {value.isoformat()}",
            "drop the time of day",
        )
    if isinstance(value, str):
        try:
            date.fromisoformat(value)
        except ValueError:
            pass
        else:
            raise FieldError(
                f"expected a date like 2025-12-31, got {describe(value)}",
                "write it without quotes",
            )
    if isinstance(value, int) and not isinstance(value, bool):
        raise FieldError(
            f"expected a date like 2025-12-31, got {value}",
            f'"by {value}" means {value}-12-31: write that, without quotes',
        )
    raise FieldError(f"expected a date like 2025-12-31, got {describe(value)}", "")


def period(value: Any) -> Period:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, datetime) or not isinstance(value, str | date):
        raise FieldError(f"expected a period, got {describe(value)}", f"write {PERIOD_FORMS}")
    try:
        return cached_period(value) if isinstance(value, str) else parse_period(value)
    except PeriodError as exc:
        raise FieldError(str(exc), f"write {PERIOD_FORMS}") from None


def duration(value: Any) -> Duration:
    if not isinstance(value, str):
        raise FieldError(f"expected {DURATION_FORMS}, got {describe(value)}", "put it in quotes")
    try:
        return parse_duration(value)
    except PeriodError as exc:
        raise FieldError(str(exc), f"write {DURATION_FORMS}") from None


def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise FieldError(f"expected true or false, got {describe(value)}", "write true or false")
    return value


def tags(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(tag, str) for tag in value):
        raise FieldError(f"expected a list of text, got {describe(value)}", 'write ["a", "b"]')
    return tuple(value)


def value_in(unit: str) -> Callable[[Any], float]:
    def convert(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise FieldError(
                f"expected a number, got {describe(value)}", f"write {expected_forms(unit)}"
            )
        try:
            return parse_value(value, unit)
        except ValueParseError as exc:
            raise FieldError(str(exc), f"write {expected_forms(unit)}") from None

    return convert


def derivation(value: Any) -> Derivation:
    example = 'derived = { numerator = "urban-income", denominator = "rural-income" }'
    if not isinstance(value, dict):
        raise FieldError(f"expected a table, got {describe(value)}", f"write {example}")
    unknown = [key for key in value if key not in DERIVED_KEYS]
    missing = [key for key in DERIVED_KEYS if key not in value]
    if unknown or missing or not all(isinstance(value[k], str) for k in DERIVED_KEYS):
        wrong = ", ".join(unknown + [f"{k} missing" for k in missing]) or "values must be IDs"
        raise FieldError(f"expected numerator and denominator ({wrong})", f"write {example}")
    return Derivation(value["numerator"], value["denominator"])


def identifier(value: Any) -> str:
    """An ID shared between entries (a measure): a letter or digit, then letters, digits,
    "-" and "_"."""
    written = text(value)
    if not ID.fullmatch(written):
        raise FieldError(
            f"{describe(written)} is not an ID",
            'use letters, digits, "-" and "_", starting with a letter or digit',
        )
    return written


def _inline_table(value: Any, name: str, keys: tuple[str, ...], example: str) -> None:
    """`value` is a table with no key but `keys`, or a FieldError that shows `example`."""
    if not isinstance(value, dict):
        raise FieldError(f"expected a table, got {describe(value)}", f"write {example}")
    unknown = [key for key in value if key not in keys]
    if unknown:
        near = did_you_mean(unknown[0], keys)
        raise FieldError(f"unknown key {unknown[0]!r} in {name}", near or f"write {example}")


SPREAD_KEYS = ("measure", "statistic")


def spread(value: Any) -> Spread:
    """`{ measure = ID, statistic = "max/min" }` (or "max-min", "cv")."""
    example = 'spread = { measure = "city-income", statistic = "max/min" }'
    _inline_table(value, "spread", SPREAD_KEYS, example)
    missing = [key for key in SPREAD_KEYS if key not in value]
    if missing:
        raise FieldError(f"spread has no {missing[0]}", f"write {example}")
    try:
        measure = identifier(value["measure"])
        statistic = one_of(Statistic)(value["statistic"])
    except FieldError as error:
        raise FieldError(f"in spread: {error.message}", error.hint) from None
    return Spread(measure, statistic)


LIMIT_KEYS = ("lower", "upper")


def limit(value: Any) -> Limit:
    """`{ lower = 0, upper = 100 }`, either key optional; `{}` declares no limit."""
    example = "limit = { lower = 0, upper = 100 }"
    _inline_table(value, "limit", LIMIT_KEYS, example)
    bounds: dict[str, float] = {}
    for key, bound in value.items():
        if isinstance(bound, bool) or not isinstance(bound, int | float):
            raise FieldError(f"{key} is {describe(bound)}, not a number", f"write {example}")
        if not math.isfinite(float(bound)):
            raise FieldError(f"{key} is not a finite number", f"write {example}")
        bounds[key] = float(bound)
    lower, upper = bounds.get("lower"), bounds.get("upper")
    if lower is not None and upper is not None and lower >= upper:
        raise FieldError(f"lower ({bound_text(lower)}) is not below upper ({bound_text(upper)})",
                         "swap them, or fix the one that is wrong")  # fmt: skip
    return Limit(lower, upper)


def bound_text(value: float) -> str:
    return f"{value:g}"


def written_decimals(value: Any) -> int:
    """How many decimals a value was written with: 1.55 -> 2, 2 -> 0, "1.7:1" -> 1."""
    text = repr(value) if isinstance(value, float) else str(value)
    if isinstance(value, float) and ("e" in text or "inf" in text):
        return 0
    number = re.match(r"\s*[+-]?[\d,_]*(?:\.(\d*))?", text)
    return len(number[1]) if number and number[1] else 0


def one_of(kind: type[Any]) -> Callable[[Any], Any]:
    choices = tuple(member.value for member in kind)

    def convert(value: Any) -> Any:
        if not isinstance(value, str) or value not in choices:
            near = did_you_mean(value, choices) if isinstance(value, str) else ""
            raise FieldError(
                f"{describe(value)} is not one of {', '.join(choices)}",
                near or f"write one of {', '.join(choices)}",
            )
        return kind(value)

    return convert
