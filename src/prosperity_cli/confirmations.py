"""What new observations changed: the lines `add-observation` and `import` print after a
write, the new values with their lines and every touched target's updated figures. Pure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from prosperity_cli.assessment import Filters, assess
from prosperity_cli.model import Registry
from prosperity_cli.render.cells import target_cells
from prosperity_cli.units import format_value


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
