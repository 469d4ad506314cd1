"""New observations: what a person types (or a CSV row holds) checked into `[[observations]]`
entries, and a summary of what they changed in the targets' figures.

Pure: a Registry and text in, plain dicts ready for tomli-w out, or a `WriteRefused` whose
lines say what is wrong and how to fix it. `store.py` calls these under its lock, on the
registry as it is at that moment. `add-observation` and `import` share every check.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from prosperity_cli.errors import WriteRefused
from prosperity_cli.fields import is_web_address
from prosperity_cli.model import Grade, Indicator, Observation, Registry
from prosperity_cli.periods import PERIOD_FORMS, Cadence, Period, PeriodError, fits_cadence
from prosperity_cli.periods import parse_period as parse_period_text
from prosperity_cli.series import effective
from prosperity_cli.suggestions import did_you_mean
from prosperity_cli.units import ValueParseError, expected_forms, format_value, parse_value

T = TypeVar("T")

#: Integral values up to this size are written as TOML integers (69987, not 69987.0).
_EXACT_INTEGER_LIMIT = 2**53

_PERIOD_EXAMPLES = {
    Cadence.ANNUAL: "2024",
    Cadence.SEMIANNUAL: "2024-H1",
    Cadence.QUARTERLY: "2024-Q3 (or a span ending at a quarter's end, like 2025-01/2025-09)",
    Cadence.MONTHLY: "2024-09",
}


@dataclass(frozen=True, slots=True)
class ObservationText:
    """One observation as typed: every field still text, nothing checked yet."""

    indicator: str
    period: str
    value: str
    source: str | None = None
    quote: str | None = None
    note: str | None = None
    provisional: bool = False
    url: str | None = None
    publisher: str | None = None
    published: str | None = None
    locator: str | None = None
    grade: str | None = None
    derived: bool = False
    #: This one value's `revises`, from an import's column; None: the command's --revise.
    revises: bool | None = None
    #: A figure the source states for a derived indicator, kept for comparison.
    reported: bool = False


@dataclass(frozen=True, slots=True)
class AddOptions:
    """What the user allowed: `--revise`, `--force`, and the `recorded` date to write."""

    recorded: date
    revise: bool = False
    force: bool = False


@dataclass(frozen=True, slots=True)
class Refusal:
    """One reason an observation cannot be added: what is wrong, and how to fix it."""

    message: str
    hint: str = ""

    def __str__(self) -> str:
        return f"{self.message} — {self.hint}" if self.hint else self.message


class ObservationRefused(WriteRefused):
    """One or more observations were refused; nothing is written. One line per problem."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__(lines[0] if lines else "observation refused")
        self.problem_lines = lines

    def lines(self) -> list[str]:
        return list(self.problem_lines)


class Refused(Exception):
    def __init__(self, refusals: list[Refusal]) -> None:
        super().__init__(refusals)
        self.refusals = refusals


# --- one observation -----------------------------------------------------------------------


def observation_entry(
    given: ObservationText, registry: Registry, options: AddOptions
) -> dict[str, Any]:
    """The `[[observations]]` entry for `given`, or ObservationRefused naming every problem."""
    try:
        return checked_entry(given, registry, options, CountingValues(registry))[0]
    except Refused as refused:
        raise ObservationRefused([f"add-observation: {r}" for r in refused.refusals]) from None


#: What makes two observations the same: indicator and period (start, end).
ObservationKey = tuple[str, tuple[date, date]]


class CountingValues:
    """The value that counts for each (indicator, period) of a registry, indexed once per
    indicator on first use: checking 20,000 imported rows against 50,000 observations
    looks each one up instead of scanning the journal per row."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self._by_indicator: dict[str, dict[tuple[date, date], Observation]] = {}

    def get(self, indicator: str, period: Period) -> Observation | None:
        index = self._by_indicator.get(indicator)
        if index is None:
            counting = effective(self.registry.observations_of(indicator))
            index = self._by_indicator[indicator] = {o.period.key: o for o in counting}
        return index.get(period.key)


def checked_entry(
    given: ObservationText, registry: Registry, options: AddOptions, counting: CountingValues
) -> tuple[dict[str, Any], ObservationKey]:
    """The entry and its key, or Refused with every problem found."""
    indicator = _indicator(given.indicator, registry, given.reported)
    refusals: list[Refusal] = []
    period = collect(refusals, lambda: _period(given.period, indicator, options.force))
    value = collect(refusals, lambda: _value(given.value, indicator))
    refusals += _text_refusals(given)
    provenance = collect(refusals, lambda: _provenance(given))
    if period is None or value is None or provenance is None or refusals:
        raise Refused(refusals)
    wants_revision = options.revise if given.revises is None else given.revises
    revises = _revision(indicator, period, counting, wants_revision)
    entry = _entry(given, indicator, period, value, revises, options, provenance)
    return entry, (indicator.id, period.key)


def _provenance(given: ObservationText) -> dict[str, Any]:
    """The provenance keys of the entry, checked as the registry would check them."""
    refusals: list[Refusal] = []
    keys: dict[str, Any] = {}
    if given.url is not None:
        if is_web_address(given.url):
            keys["url"] = given.url
        else:
            refusals.append(
                Refusal(
                    f"url {given.url!r} is not a web address",
                    "give the address of the page, starting with https:// or http://",
                )
            )
    for key in ("publisher",):
        text = getattr(given, key)
        if text is not None and text.strip():
            keys[key] = text
    if given.published is not None:
        try:
            keys["published"] = date.fromisoformat(given.published.strip())
        except ValueError:
            refusals.append(
                Refusal(
                    f"published {given.published!r} is not a date",
                    "write the date the source was published as YYYY-MM-DD",
                )
            )
    if given.locator is not None and given.locator.strip():
        keys["locator"] = given.locator
    if given.grade is not None:
        grades = tuple(grade.value for grade in Grade)
        word = given.grade.strip()
        if word in grades:
            keys["grade"] = word
        else:
            hint = did_you_mean(word, grades) or f"write one of {', '.join(grades)}"
            refusals.append(
                Refusal(f"grade {given.grade!r} is not one of {', '.join(grades)}", hint)
            )
    if given.derived and given.reported:
        refusals.append(
            Refusal(
                "a reported value is the figure the source states, so it is not derived",
                "drop --derived, or --reported if you computed the figure",
            )
        )
    if given.derived:
        if given.note is None or not given.note.strip():
            refusals.append(
                Refusal(
                    "a derived value needs its arithmetic",
                    'add --note "computed as ..." with the published figures it comes from',
                )
            )
        keys["derived"] = True
    if refusals:
        raise Refused(refusals)
    return keys


def _entry(
    given: ObservationText,
    indicator: Indicator,
    period: Period,
    value: float,
    revises: bool,
    options: AddOptions,
    provenance: Mapping[str, Any],
) -> dict[str, Any]:
    """The entry in the order of the docs; optional keys only when they say something."""
    entry: dict[str, Any] = {
        "indicator": indicator.id,
        "period": period.text,
        "value": toml_number(value),
    }
    if given.source is not None:
        entry["source"] = given.source
    entry.update({key: provenance[key] for key in _SOURCE_KEYS if key in provenance})
    texts = {"quote": given.quote, "note": given.note}
    entry.update({key: text for key, text in texts.items() if text is not None})
    if provenance.get("derived"):
        entry["derived"] = True
    if given.reported:
        entry["reported"] = True
    if given.provisional:
        entry["provisional"] = True
    if revises:
        entry["revises"] = True
    entry["recorded"] = options.recorded
    return entry


_SOURCE_KEYS = ("url", "publisher", "published", "locator", "grade")


def collect(refusals: list[Refusal], check: Callable[[], T]) -> T | None:
    """Run one check; on a refusal, note it and return None so the others still run."""
    try:
        return check()
    except Refused as refused:
        refusals.extend(refused.refusals)
        return None


def _indicator(ident: str, registry: Registry, reported: bool) -> Indicator:
    ident = ident.strip()
    if not ident:
        hint = "give the ID of an [indicators.ID] entry"
        raise Refused([Refusal("the indicator is empty", hint)])
    found = registry.indicators.get(ident)
    if found is None:
        hint = did_you_mean(ident, tuple(registry.indicators)) or (
            f"declare it as [indicators.{ident}] first, or check the ID in the registry"
        )
        raise Refused([Refusal(f"no indicator {ident!r} in the registry", hint)])
    if found.derived is not None and not reported:
        inputs = f"{found.derived.numerator} / {found.derived.denominator}"
        raise Refused(
            [
                Refusal(
                    f"{ident} is derived ({inputs}): its values are computed",
                    f"add {found.derived.numerator} and {found.derived.denominator} instead, "
                    "or pass --reported to keep the figure the source states, for comparison",
                )
            ]
        )
    if found.spread is not None and not reported:
        raise Refused(
            [
                Refusal(
                    f"{ident} is a spread ({found.spread.text}): its values are computed",
                    f"add each region's value of {found.spread.measure} instead, or pass "
                    "--reported to keep the figure the source states, for comparison",
                )
            ]
        )
    if not found.computed and reported:
        raise Refused(
            [
                Refusal(
                    f"{ident} is not a derived or spread indicator",
                    "drop --reported: it keeps published figures of computed indicators",
                )
            ]
        )
    return found


def _period(text: str, indicator: Indicator, force: bool) -> Period:
    if not text.strip():
        raise Refused([Refusal("the period is empty", f"write {PERIOD_FORMS}")])
    try:
        period = parse_period_text(text)
    except PeriodError as exc:
        raise Refused([Refusal(_reason(exc), f"write {PERIOD_FORMS}")]) from None
    if not (force or fits_cadence(period, indicator.cadence)):
        example = _PERIOD_EXAMPLES[indicator.cadence]
        raise Refused(
            [
                Refusal(
                    f"period {period.text!r} does not fit {indicator.id}, which is "
                    f"{indicator.cadence.value}",
                    f"write a period like {example}, or pass --force to record it anyway",
                )
            ]
        )
    return period


def _value(text: str, indicator: Indicator) -> float:
    unit = indicator.unit
    hint = f"{indicator.id} is in {unit!r}: write {expected_forms(unit)}"
    if not text.strip():
        raise Refused([Refusal("the value is empty", hint)])
    try:
        return parse_value(text, unit)
    except ValueParseError as exc:
        raise Refused([Refusal(f"value {exc}", hint)]) from None


def _reason(exc: ValueError) -> str:
    """The parser's message without its "; expected ..." tail, which the hint repeats."""
    return str(exc).partition("; expected")[0]


def _text_refusals(given: ObservationText) -> list[Refusal]:
    """Text that cannot be stored as UTF-8 (undecodable bytes on the command line)."""
    refusals = []
    for key in ("source", "quote", "note", "publisher", "locator"):
        text = getattr(given, key)
        if text is not None and not _is_utf8(text):
            refusals.append(
                Refusal(f"the {key} holds bytes that are not UTF-8", "retype it as UTF-8 text")
            )
    return refusals


def _is_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _revision(indicator: Indicator, period: Period, counting: CountingValues, revise: bool) -> bool:
    """Whether the entry is a revision; refuses a silent second value and an empty revision."""
    current = counting.get(indicator.id, period)
    if current is None and revise:
        raise Refused(
            [
                Refusal(
                    f"nothing to revise: {indicator.id} has no value for {period.text}",
                    "drop --revise to add it as a new value",
                )
            ]
        )
    if current is not None and not revise:
        shown = format_value(current.value, indicator.unit)
        raise Refused(
            [
                Refusal(
                    f"{indicator.id} already has {shown} for {current.period.text}",
                    "pass --revise to record a correction, a revision or another source's figure",
                )
            ]
        )
    return revise


def toml_number(value: float) -> int | float:
    """Integral values as TOML integers (69987), others as floats; -0.0 keeps its sign."""
    negative_zero = value == 0 and math.copysign(1.0, value) < 0
    if value.is_integer() and abs(value) < _EXACT_INTEGER_LIMIT and not negative_zero:
        return int(value)
    return value
