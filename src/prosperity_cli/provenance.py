"""Where a figure comes from, in words: publisher, date, grade and place in the source.

Pure: entries of the model in, text out. `show` and the report print it beside an entry's
`source`; docs/registry.md ("Provenance") defines the keys.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

from prosperity_cli.model import Grade


class Sourced(Protocol):
    """What plans, indicators, targets and observations share about their source."""

    @property
    def publisher(self) -> str | None: ...
    @property
    def published(self) -> date | None: ...
    @property
    def locator(self) -> str | None: ...
    @property
    def grade(self) -> Grade | None: ...


def origin(entry: Sourced) -> str | None:
    """ "Zhejiang Provincial Bureau of Statistics, published 2025-03-04 (official statistics);
    section 9, income" — or None when the entry says none of it."""
    head = ", ".join(
        part
        for part in (
            entry.publisher,
            f"published {entry.published.isoformat()}" if entry.published else None,
        )
        if part
    )
    if entry.grade is not None:
        head = f"{head} ({entry.grade.label})" if head else entry.grade.label
    parts = [part for part in (head, entry.locator) if part]
    return "; ".join(parts) or None
