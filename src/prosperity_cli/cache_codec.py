"""A validated registry as JSON-able parts and back: the payload of a parse-cache entry.

Column-wise, because at 100,000 observations a warm run is mostly the decoding of this
part (see encode_registry). Pure, no I/O: cache.py writes and reads the entries.
"""

from __future__ import annotations

import array
import base64
import dataclasses
import functools
import itertools
import typing
from collections.abc import Callable, Hashable, Iterable, Iterator
from datetime import date
from enum import Enum
from typing import Any, TypeVar, cast

from prosperity_cli.fields import cached_period
from prosperity_cli.limits import Limit
from prosperity_cli.model import (
    Defaults,
    Derivation,
    Grade,
    Indicator,
    Observation,
    Plan,
    Registry,
    Spread,
    Target,
)
from prosperity_cli.periods import Duration, Period, parse_duration
from prosperity_cli.spread import Statistic


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _undate(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def _duration(value: Duration | None) -> str | None:
    return None if value is None else value.text


@functools.lru_cache(maxsize=256)
def _unduration(value: str | None) -> Duration | None:
    """Memoised: hundreds of indicators repeat the same few lags ("15 days")."""
    return None if value is None else parse_duration(value)


def encode_registry(registry: Registry) -> Iterator[Any]:
    """The registry as JSON-able parts, one per line of an entry: first everything but the
    observations, then the observations column by column.

    Columns, because at 100,000 observations a warm run is mostly the decoding of this
    part: each column is a table of its distinct values and, per observation, an index
    into it ([table, rows]; rows is null when every observation has the table's only
    value). A journal repeats the same few indicators, periods and sources, so this is
    several times smaller than one row per observation, decodes to shared objects instead
    of 100,000 copies of the same strings, and mostly decodes small integers.
    """
    observations = registry.observations
    yield {
        "defaults": _entry(registry.defaults),
        "plans": [_entry(p) for p in registry.plans.values()],
        "indicators": [_entry(i) for i in registry.indicators.values()],
        "targets": [_entry(t) for t in registry.targets.values()],
        "observations": len(observations),
    }
    yield _dictionary(o.indicator for o in observations)
    yield _dictionary(o.period.text for o in observations)
    yield _numbers(FLOAT, [o.value for o in observations])
    yield _dictionary(o.source for o in observations)
    yield _dictionary(o.quote for o in observations)
    yield _dictionary(o.note for o in observations)
    yield _dictionary(o.provisional for o in observations)
    yield _dictionary(o.revises for o in observations)
    yield _dictionary(_day(o.recorded) for o in observations)
    yield _dictionary(o.tags for o in observations)
    yield _dictionary(o.reported for o in observations)
    yield _dictionary(o.decimals for o in observations)
    yield _dictionary(o.url for o in observations)
    yield _dictionary(o.publisher for o in observations)
    yield _dictionary(_day(o.published) for o in observations)
    yield _dictionary(o.locator for o in observations)
    yield _dictionary(_grade(o.grade) for o in observations)
    yield _dictionary(o.derived for o in observations)


#: The kinds of entry stored field by field (in `dataclasses.fields` order).
Entry = TypeVar("Entry", Defaults, Plan, Indicator, Target)


def _entry(entry: Defaults | Plan | Indicator | Target) -> list[Any]:
    """An entry as the JSON-able value of each of its fields, in declaration order."""
    return [_plain(getattr(entry, f.name)) for f in dataclasses.fields(entry)]


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Period | Duration):
        return value.text
    if isinstance(value, Derivation):
        return [value.numerator, value.denominator]
    if isinstance(value, Limit):
        return [value.lower, value.upper]
    if isinstance(value, Spread):
        return [value.measure, value.statistic.value]
    if isinstance(value, tuple):
        return list(value)
    return value


def _unentry(kind: type[Entry], row: list[Any]) -> Entry:
    """The entry of `kind` from its `_entry` row."""
    return kind(*(convert(value) for convert, value in zip(_converters(kind), row, strict=True)))


_CONVERTERS: dict[str, tuple[Callable[[Any], Any], ...]] = {}


def _converters(kind: type[Any]) -> tuple[Callable[[Any], Any], ...]:
    """For each field of `kind`, the function that turns its JSON value back into it."""
    found = _CONVERTERS.get(kind.__name__)
    if found is None:
        hints = typing.get_type_hints(kind)
        found = tuple(_converter(hints[f.name]) for f in dataclasses.fields(kind))
        _CONVERTERS[kind.__name__] = found
    return found


def _converter(hint: Any) -> Callable[[Any], Any]:
    """The decoder of one field's type (`X | None` decodes X and keeps null)."""
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    optional = type(None) in typing.get_args(hint)
    kind = args[0] if optional and len(args) == 1 else hint
    if kind is date:
        convert: Callable[[Any], Any] = date.fromisoformat
    elif kind is Period:
        convert = cached_period
    elif kind is Duration:
        convert = _unduration
    elif kind is Derivation or kind is Limit:
        convert = functools.partial(_splat, kind)
    elif kind is Spread:
        convert = _unspread
    elif isinstance(kind, type) and issubclass(kind, Enum):
        convert = kind
    elif typing.get_origin(kind) is tuple:
        convert = tuple
    elif kind is float:
        convert = float
    else:
        return _same
    return _or_none(convert) if optional else convert


def _unspread(values: list[Any]) -> Spread:
    return Spread(values[0], Statistic(values[1]))


def _splat(kind: Callable[..., Any], values: list[Any]) -> Any:
    return kind(*values)


def _same(value: Any) -> Any:
    return value


def _or_none(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def decode(value: Any) -> Any:
        return None if value is None else convert(value)

    return decode


def _grade(grade: Grade | None) -> str | None:
    return None if grade is None else grade.value


def _ungrade(value: str | None) -> Grade | None:
    return None if value is None else Grade(value)


def _dictionary(values: Iterable[Hashable]) -> list[Any]:
    """A column as [its distinct values, each row's index among them (null if only one)]."""
    table: dict[Hashable, int] = {}
    rows = [table.setdefault(value, len(table)) for value in values]
    return [list(table), None if len(table) == 1 else _numbers(INDEX, rows)]


def _undictionary(part: list[Any], count: int, convert: Callable[[Any], Any] | None = None) -> Any:
    """A column from [table, rows]: `count` values, each the same object per distinct value."""
    table, rows = part
    if convert is not None:
        table = [convert(value) for value in table]
    if rows is None:
        return itertools.repeat(table[0], count)
    return list(map(table.__getitem__, _unnumbers(INDEX, rows)))


#: Row indexes and values as machine arrays in base64 text: decoding 100,000 numbers
#: from JSON took most of a warm load; from bytes it is a copy.
INDEX = array.array("I" if array.array("I").itemsize == 4 else "L")
FLOAT = array.array("d")


def _numbers(kind: array.array[Any], values: list[Any]) -> str:
    return base64.b64encode(array.array(kind.typecode, values).tobytes()).decode("ascii")


def _unnumbers(kind: array.array[Any], text: str) -> list[Any]:
    numbers = array.array(kind.typecode)
    numbers.frombytes(base64.b64decode(text, validate=True))
    return numbers.tolist()


def _tags(values: list[str]) -> tuple[str, ...]:
    return tuple(values)


def _period(text: str) -> Period:
    return cached_period(text)


def decode_registry(parts: list[Any]) -> Registry:
    """The registry from the parts of encode_registry, each decoded from its JSON line."""
    head, columns = parts[0], parts[1:]
    plans = {row[0]: _unentry(Plan, row) for row in head["plans"]}
    indicators = {row[0]: _unentry(Indicator, row) for row in head["indicators"]}
    targets = {row[0]: _unentry(Target, row) for row in head["targets"]}
    count = head["observations"]
    indicator, period, value, source, quote, note = columns[:6]
    provisional, revises, recorded, tags, reported, decimals = columns[6:12]
    url, publisher, published, locator, grade, derived = columns[12:]
    rows = zip(
        _undictionary(indicator, count),
        _undictionary(period, count, _period),
        _unnumbers(FLOAT, value),
        range(count),
        _undictionary(source, count),
        _undictionary(quote, count),
        _undictionary(note, count),
        _undictionary(provisional, count),
        _undictionary(revises, count),
        _undictionary(recorded, count, _undate),
        _undictionary(tags, count, _tags),
        _undictionary(reported, count),
        _undictionary(decimals, count),
        _undictionary(url, count),
        _undictionary(publisher, count),
        _undictionary(published, count, _undate),
        _undictionary(locator, count),
        _undictionary(grade, count, _ungrade),
        _undictionary(derived, count),
        strict=True,
    )
    # The hot loop of a warm run: tuple.__new__ over zipped columns runs entirely in C.
    # Positions are the journal order, which is the order of the tuple (see _Checker).
    observations = cast(
        "tuple[Observation, ...]", tuple(map(tuple.__new__, itertools.repeat(Observation), rows))
    )
    return Registry(
        plans,
        indicators,
        targets,
        observations,
        _unentry(Defaults, head["defaults"]),
    )
