"""New observations: what a person types (or a CSV row holds) checked into `[[observations]]`
entries, and a summary of what they changed in the targets' figures.

Pure: a Registry and text in, plain dicts ready for tomli-w out, or a `WriteRefused` whose
lines say what is wrong and how to fix it. `store.py` calls these under its lock, on the
registry as it is at that moment. `add-observation` and `import` share every check.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, TypeVar

from prosperity_cli.assessment import Filters, assess
from prosperity_cli.errors import WriteRefused
from prosperity_cli.fields import is_web_address
from prosperity_cli.model import Grade, Indicator, Observation, Registry
from prosperity_cli.periods import PERIOD_FORMS, Cadence, Period, PeriodError, fits_cadence
from prosperity_cli.periods import parse_period as parse_period_text
from prosperity_cli.render.cells import target_cells
from prosperity_cli.series import effective
from prosperity_cli.suggestions import did_you_mean
from prosperity_cli.units import ValueParseError, expected_forms, format_value, parse_value

T = TypeVar("T")

#: CSV columns of `prosperity import`: the required ones, then the optional ones.
CSV_REQUIRED = ("indicator", "period", "value")
#: The text columns an import may also give for every row at once (`import --url ...`).
CSV_SOURCE_COLUMNS = ("source", "url", "publisher", "published", "locator", "grade")
CSV_OPTIONAL = (
    *CSV_SOURCE_COLUMNS,
    "quote",
    "note",
    "provisional",
    "revises",
    "derived",
    "reported",
)
CSV_COLUMNS = CSV_REQUIRED + CSV_OPTIONAL
_TRUE = frozenset({"true", "yes", "1"})
_FALSE = frozenset({"false", "no", "0", ""})

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


class _Refused(Exception):
    def __init__(self, refusals: list[Refusal]) -> None:
        super().__init__(refusals)
        self.refusals = refusals


# --- one observation -----------------------------------------------------------------------


def observation_entry(
    given: ObservationText, registry: Registry, options: AddOptions
) -> dict[str, Any]:
    """The `[[observations]]` entry for `given`, or ObservationRefused naming every problem."""
    try:
        return _checked_entry(given, registry, options, CountingValues(registry))[0]
    except _Refused as refused:
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


def _checked_entry(
    given: ObservationText, registry: Registry, options: AddOptions, counting: CountingValues
) -> tuple[dict[str, Any], ObservationKey]:
    """The entry and its key, or _Refused with every problem found."""
    indicator = _indicator(given.indicator, registry, given.reported)
    refusals: list[Refusal] = []
    period = _collect(refusals, lambda: _period(given.period, indicator, options.force))
    value = _collect(refusals, lambda: _value(given.value, indicator))
    refusals += _text_refusals(given)
    provenance = _collect(refusals, lambda: _provenance(given))
    if period is None or value is None or provenance is None or refusals:
        raise _Refused(refusals)
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
        raise _Refused(refusals)
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


def _collect(refusals: list[Refusal], check: Callable[[], T]) -> T | None:
    """Run one check; on a refusal, note it and return None so the others still run."""
    try:
        return check()
    except _Refused as refused:
        refusals.extend(refused.refusals)
        return None


def _indicator(ident: str, registry: Registry, reported: bool) -> Indicator:
    ident = ident.strip()
    if not ident:
        hint = "give the ID of an [indicators.ID] entry"
        raise _Refused([Refusal("the indicator is empty", hint)])
    found = registry.indicators.get(ident)
    if found is None:
        hint = did_you_mean(ident, tuple(registry.indicators)) or (
            f"declare it as [indicators.{ident}] first, or check the ID in the registry"
        )
        raise _Refused([Refusal(f"no indicator {ident!r} in the registry", hint)])
    if found.derived is not None and not reported:
        inputs = f"{found.derived.numerator} / {found.derived.denominator}"
        raise _Refused(
            [
                Refusal(
                    f"{ident} is derived ({inputs}): its values are computed",
                    f"add {found.derived.numerator} and {found.derived.denominator} instead, "
                    "or pass --reported to keep the figure the source states, for comparison",
                )
            ]
        )
    if found.derived is None and reported:
        raise _Refused(
            [
                Refusal(
                    f"{ident} is not a derived indicator",
                    "drop --reported: it keeps published figures of derived indicators",
                )
            ]
        )
    return found


def _period(text: str, indicator: Indicator, force: bool) -> Period:
    if not text.strip():
        raise _Refused([Refusal("the period is empty", f"write {PERIOD_FORMS}")])
    try:
        period = parse_period_text(text)
    except PeriodError as exc:
        raise _Refused([Refusal(_reason(exc), f"write {PERIOD_FORMS}")]) from None
    if not (force or fits_cadence(period, indicator.cadence)):
        example = _PERIOD_EXAMPLES[indicator.cadence]
        raise _Refused(
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
        raise _Refused([Refusal("the value is empty", hint)])
    try:
        return parse_value(text, unit)
    except ValueParseError as exc:
        raise _Refused([Refusal(f"value {exc}", hint)]) from None


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
        raise _Refused(
            [
                Refusal(
                    f"nothing to revise: {indicator.id} has no value for {period.text}",
                    "drop --revise to add it as a new value",
                )
            ]
        )
    if current is not None and not revise:
        shown = format_value(current.value, indicator.unit)
        raise _Refused(
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


# --- CSV import ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CsvRow:
    """One data row of an import file; `line` is where the row starts (the header is line 1)."""

    line: int
    given: ObservationText


@dataclass(frozen=True, slots=True)
class CsvRows:
    """The rows of an import file, and the rows whose shape was already wrong."""

    filename: str
    rows: tuple[CsvRow, ...]
    problems: tuple[tuple[int, Refusal], ...] = ()


def decode_csv(data: bytes, filename: str) -> str:
    """The text of an import file: UTF-8, with or without a byte order mark."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ObservationRefused(
            [f"{filename}:{line}: not valid UTF-8 — save the file as CSV UTF-8"]
        ) from None


def read_csv_rows(text: str, filename: str) -> CsvRows:
    """Split import text into rows; a bad header refuses the whole file at once."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    records = _records(reader, filename)
    if not records:
        raise ObservationRefused([f"{filename}:1: the file is empty — {_header_hint()}"])
    columns = _columns(records[0][1], filename)
    rows: list[CsvRow] = []
    problems: list[tuple[int, Refusal]] = []
    for line, cells in records[1:]:
        if not any(cell.strip() for cell in cells):
            continue
        try:
            rows.append(CsvRow(line, _row(columns, cells)))
        except _Refused as refused:
            problems.extend((line, r) for r in refused.refusals)
    if not rows and not problems:
        raise ObservationRefused(
            [f"{filename}: no rows below the header — add one row per observation"]
        )
    return CsvRows(filename, tuple(rows), tuple(problems))


def _records(reader: Any, filename: str) -> list[tuple[int, list[str]]]:
    """Every record with the line it starts on (a quoted cell may span lines)."""
    records: list[tuple[int, list[str]]] = []
    last_line = 0
    try:
        for cells in reader:
            records.append((last_line + 1, cells))
            last_line = reader.line_num
    except csv.Error as exc:
        raise ObservationRefused(
            [f"{filename}:{reader.line_num}: {exc} — check the quotes on that line"]
        ) from None
    return records


def _header_hint() -> str:
    required, optional = ",".join(CSV_REQUIRED), ", ".join(CSV_OPTIONAL)
    return f"the first line must name the columns {required}, and any of {optional}"


def _columns(cells: list[str], filename: str) -> tuple[str, ...]:
    """The header's column names, or ObservationRefused listing what is wrong with it."""
    names = tuple(cell.strip().lower() for cell in cells)
    if not set(names) & set(CSV_COLUMNS):
        raise ObservationRefused([f"{filename}:1: no header row — {_header_hint()}"])
    problems = []
    for name in names:
        if name not in CSV_COLUMNS:
            hint = did_you_mean(name, CSV_COLUMNS) or f"columns are {', '.join(CSV_COLUMNS)}"
            problems.append(f"{filename}:1: unknown column {name!r} — {hint}")
    problems += [
        f"{filename}:1: column {name!r} appears {names.count(name)} times — keep one"
        for name in dict.fromkeys(names)
        if names.count(name) > 1
    ]
    problems += [
        f"{filename}:1: missing column {name!r} — {_header_hint()}"
        for name in CSV_REQUIRED
        if name not in names
    ]
    if problems:
        raise ObservationRefused(problems)
    return names


def _row(columns: tuple[str, ...], cells: list[str]) -> ObservationText:
    if len(cells) > len(columns):
        raise _Refused(
            [
                Refusal(
                    f"{len(cells)} cells but the header names {len(columns)} columns",
                    "put cells that contain commas in double quotes",
                )
            ]
        )
    row = dict(zip(columns, cells, strict=False))
    refusals: list[Refusal] = []
    provisional = _collect(refusals, lambda: _yes_no("provisional", row.get("provisional", "")))
    derived = _collect(refusals, lambda: _yes_no("derived", row.get("derived", "")))
    reported = _collect(refusals, lambda: _yes_no("reported", row.get("reported", "")))
    revises = row.get("revises", "")
    revision = _collect(refusals, lambda: _yes_no("revises", revises)) if revises.strip() else None
    if refusals:
        raise _Refused(refusals)
    return ObservationText(
        indicator=row.get("indicator", ""),
        period=row.get("period", ""),
        value=row.get("value", ""),
        source=row.get("source") or None,
        quote=row.get("quote") or None,
        note=row.get("note") or None,
        provisional=bool(provisional),
        url=row.get("url") or None,
        publisher=row.get("publisher") or None,
        published=row.get("published") or None,
        locator=row.get("locator") or None,
        grade=row.get("grade") or None,
        derived=bool(derived),
        revises=revision,
        reported=bool(reported),
    )


def _yes_no(column: str, text: str) -> bool:
    word = text.strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise _Refused(
        [
            Refusal(
                f"{column} {text!r} is not true or false",
                "write true, false, yes, no, 1, 0, or leave it empty",
            )
        ]
    )


def with_defaults(rows: CsvRows, defaults: Mapping[str, str | None]) -> CsvRows:
    """Every row with the source columns it leaves empty taken from `defaults` (the
    `import --source/--url/...` options): a whole bulletin's rows cite it once."""
    given: dict[str, Any] = {key: value for key, value in defaults.items() if value is not None}
    if not given:
        return rows
    filled = tuple(
        CsvRow(
            row.line,
            replace(
                row.given,
                **{key: value for key, value in given.items() if getattr(row.given, key) is None},
            ),
        )
        for row in rows.rows
    )
    return replace(rows, rows=filled)


def csv_entries(rows: CsvRows, registry: Registry, options: AddOptions) -> list[dict[str, Any]]:
    """An entry per row, or ObservationRefused naming every bad row as FILE:ROW."""
    problems = list(rows.problems)
    entries: list[dict[str, Any]] = []
    first_row_of: dict[ObservationKey, int] = {}
    counting = CountingValues(registry)
    for row in rows.rows:
        try:
            entry, key = _checked_entry(row.given, registry, options, counting)
        except _Refused as refused:
            problems.extend((row.line, r) for r in refused.refusals)
            continue
        if key in first_row_of:
            problems.append((row.line, _repeated_row(first_row_of[key])))
            continue
        first_row_of[key] = row.line
        entries.append(entry)
    if problems:
        problems.sort(key=lambda problem: problem[0])
        raise ObservationRefused([f"{rows.filename}:{line}: {r}" for line, r in problems])
    return entries


def _repeated_row(first_line: int) -> Refusal:
    return Refusal(f"same indicator and period as row {first_line}", "keep one of the two rows")


# --- what the new values changed -----------------------------------------------------------


def confirmation_lines(
    before: Registry,
    after: Registry,
    entries: Sequence[Mapping[str, Any]],
    lines: Sequence[int],
    as_of: date,
) -> list[str]:
    """What was added (with its line) and the updated figures of every target it touches.

    One entry gives one line per target: `added X 2025 = 1.75:1 (line 451); T: ...`.
    Several entries give a line per entry, then a line per target.
    """
    added = [_added(after, entry, line) for entry, line in zip(entries, lines, strict=True)]
    touched = {str(entry["indicator"]) for entry in entries}
    targets = _target_lines(before, after, touched, as_of)
    if len(added) == 1:
        indicator = next(iter(touched))
        return [f"{added[0]}; {t}" for t in targets] or [
            f"{added[0]}; no target uses {indicator} (tracked only)"
        ]
    return added + targets


def _added(registry: Registry, entry: Mapping[str, Any], line: int) -> str:
    unit = registry.indicators[str(entry["indicator"])].unit
    shown = format_value(float(entry["value"]), unit)
    kind = " as a revision" if entry.get("revises") else ""
    return f"added {entry['indicator']} {entry['period']} = {shown}{kind} (line {line})"


def _target_lines(
    before: Registry, after: Registry, indicators: set[str], as_of: date
) -> list[str]:
    only = Filters(indicators=frozenset(indicators))
    old, new = assess(before, as_of, only), assess(after, as_of, only)
    old_cells = {f.target.id: target_cells(old, f) for f in old.targets}
    lines = []
    for figures in new.targets:
        if figures.target.indicator not in indicators:
            continue
        cells, was = target_cells(new, figures), old_cells[figures.target.id]
        progress = _with_previous(cells.progress_text, was.progress_text)
        status = _with_previous(cells.status.label, was.status.label)
        latest = f"{cells.latest} ({cells.latest_period})" if figures.latest else cells.latest
        lines.append(f"{figures.target.id}: latest {latest}, progress {progress}, {status}")
    return lines


def _with_previous(now: str, was: str) -> str:
    return now if now == was else f"{now} (was {was})"
