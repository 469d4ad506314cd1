"""`prosperity import FILE.csv`: rows of a CSV file checked into `[[observations]]` entries,
every bad row named as FILE:ROW, and nothing added unless every row is good.

Pure: text in, entries out (store.py writes them). Each row is checked exactly as
`add-observation` checks what is typed (new_observations.py).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from prosperity_cli.model import Registry
from prosperity_cli.new_observations import (
    AddOptions,
    CountingValues,
    ObservationKey,
    ObservationRefused,
    ObservationText,
    Refusal,
    Refused,
    checked_entry,
    collect,
)
from prosperity_cli.suggestions import did_you_mean

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
        except Refused as refused:
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
        raise Refused(
            [
                Refusal(
                    f"{len(cells)} cells but the header names {len(columns)} columns",
                    "put cells that contain commas in double quotes",
                )
            ]
        )
    row = dict(zip(columns, cells, strict=False))
    refusals: list[Refusal] = []
    provisional = collect(refusals, lambda: _yes_no("provisional", row.get("provisional", "")))
    derived = collect(refusals, lambda: _yes_no("derived", row.get("derived", "")))
    reported = collect(refusals, lambda: _yes_no("reported", row.get("reported", "")))
    revises = row.get("revises", "")
    revision = collect(refusals, lambda: _yes_no("revises", revises)) if revises.strip() else None
    if refusals:
        raise Refused(refusals)
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
    raise Refused(
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


#: Rows checked between two calls of csv_entries's `advance` (a progress bar's step).
ADVANCE_EVERY = 1000


def csv_entries(
    rows: CsvRows,
    registry: Registry,
    options: AddOptions,
    advance: Callable[[int], None] = lambda rows: None,
) -> list[dict[str, Any]]:
    """An entry per row, or ObservationRefused naming every bad row as FILE:ROW.
    `advance(n)` is told every ADVANCE_EVERY rows (and at the end) how many were checked."""
    problems = list(rows.problems)
    entries: list[dict[str, Any]] = []
    first_row_of: dict[ObservationKey, int] = {}
    counting = CountingValues(registry)
    for number, row in enumerate(rows.rows, 1):
        if number % ADVANCE_EVERY == 0:
            advance(ADVANCE_EVERY)
        try:
            entry, key = checked_entry(row.given, registry, options, counting)
        except Refused as refused:
            problems.extend((row.line, r) for r in refused.refusals)
            continue
        if key in first_row_of:
            problems.append((row.line, _repeated_row(first_row_of[key])))
            continue
        first_row_of[key] = row.line
        entries.append(entry)
    advance(len(rows.rows) % ADVANCE_EVERY)
    if problems:
        problems.sort(key=lambda problem: problem[0])
        raise ObservationRefused([f"{rows.filename}:{line}: {r}" for line, r in problems])
    return entries


def _repeated_row(first_line: int) -> Refusal:
    return Refusal(f"same indicator and period as row {first_line}", "keep one of the two rows")
