"""Momentum: does the short-term pace tell the same story as the long-term one?

When the class of the last few years differs from the class since the baseline (or over
the long term), the series is `accelerating` (a better class lately) or `slowing` (a worse
one); `steady` when they agree. Pure; no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from typing import TypeVar


class Momentum(Enum):
    ACCELERATING = "accelerating"
    SLOWING = "slowing"
    STEADY = "steady"


Class = TypeVar("Class")


def momentum(ranks: Sequence[Class], long: Class | None, short: Class | None) -> Momentum | None:
    """Compare two classes by their place in `ranks` (worst first); None unless both are
    ranked classes."""
    if long is None or short is None or long not in ranks or short not in ranks:
        return None
    change = ranks.index(short) - ranks.index(long)
    if change > 0:
        return Momentum.ACCELERATING
    if change < 0:
        return Momentum.SLOWING
    return Momentum.STEADY
