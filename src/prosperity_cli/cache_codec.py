"""A validated registry as JSON-able parts and back: the payload of a parse-cache entry.

Column-wise, because at 100,000 observations a warm run is mostly the decoding of this
part (see encode_registry). Pure, no I/O: cache.py writes and reads the entries.
"""

from __future__ import annotations

import array
import base64
import functools
import itertools
from collections.abc import Callable, Hashable, Iterable, Iterator
from datetime import date
from typing import Any, cast

from prosperity_cli.fields import cached_period
from prosperity_cli.model import (
    Defaults,
    Derivation,
    Goal,
    Grade,
    Indicator,
    Method,
    Observation,
    Plan,
    Registry,
    Target,
)
from prosperity_cli.periods import Cadence, Duration, Period, parse_duration


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
        "defaults": [
            _duration(registry.defaults.grace),
            _duration(registry.defaults.provisional_age),
        ],
        "plans": [
            [
                p.id,
                p.title,
                p.region,
                _day(p.published),
                p.source,
                p.quote,
                p.note,
                list(p.tags),
                *_provenance(p),
            ]
            for p in registry.plans.values()
        ],
        "indicators": [
            [
                i.id,
                i.name,
                i.unit,
                i.cadence.value,
                i.region,
                _duration(i.lag),
                _duration(i.grace),
                [i.derived.numerator, i.derived.denominator] if i.derived else None,
                i.source,
                i.quote,
                i.note,
                list(i.tags),
                *_provenance(i),
                _day(i.published),
            ]
            for i in registry.indicators.values()
        ],
        "targets": [
            [
                t.id,
                t.indicator,
                t.plan,
                t.goal.value,
                t.value,
                _day(t.deadline),
                t.baseline.text if t.baseline else None,
                t.method.value,
                t.source,
                t.quote,
                t.note,
                list(t.tags),
                *_provenance(t),
                _day(t.published),
                t.derived,
            ]
            for t in registry.targets.values()
        ],
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


def _provenance(entry: Plan | Indicator | Target) -> list[str | None]:
    """The provenance every kind of entry shares (its `published` is placed by the caller)."""
    return [entry.url, entry.publisher, entry.locator, _grade(entry.grade)]


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
    grace, provisional_age = head["defaults"]
    plans = {
        row[0]: Plan(
            row[0],
            row[1],
            row[2],
            _undate(row[3]),
            row[4],
            row[5],
            row[6],
            tuple(row[7]),
            row[8],
            row[9],
            row[10],
            _ungrade(row[11]),
        )
        for row in head["plans"]
    }
    indicators = {
        row[0]: Indicator(
            row[0],
            row[1],
            row[2],
            Cadence(row[3]),
            row[4],
            _unduration(row[5]),
            _unduration(row[6]),
            Derivation(*row[7]) if row[7] else None,
            row[8],
            row[9],
            row[10],
            tuple(row[11]),
            row[12],
            row[13],
            _undate(row[16]),
            row[14],
            _ungrade(row[15]),
        )
        for row in head["indicators"]
    }
    targets = {
        row[0]: Target(
            row[0],
            row[1],
            row[2],
            Goal(row[3]),
            float(row[4]),
            date.fromisoformat(row[5]),
            cached_period(row[6]) if row[6] is not None else None,
            Method(row[7]),
            row[8],
            row[9],
            row[10],
            tuple(row[11]),
            row[12],
            row[13],
            _undate(row[16]),
            row[14],
            _ungrade(row[15]),
            bool(row[17]),
        )
        for row in head["targets"]
    }
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
        Defaults(_unduration(grace), _unduration(provisional_age)),
    )
