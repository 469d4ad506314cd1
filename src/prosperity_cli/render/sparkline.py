"""A trend in a few characters: "▁▃▄▆█" from a series of values."""

from __future__ import annotations

from collections.abc import Sequence

BARS = "▁▂▃▄▅▆▇█"
#: The most recent points shown; older ones are dropped.
MAX_POINTS = 8


def sparkline(values: Sequence[float], width: int = MAX_POINTS) -> str:
    """One bar per value, scaled between the smallest and largest shown; "" for none."""
    shown = list(values)[-width:]
    if not shown:
        return ""
    low, high = min(shown), max(shown)
    if high == low:
        return BARS[len(BARS) // 2] * len(shown)
    steps = len(BARS) - 1
    return "".join(BARS[round((v - low) / (high - low) * steps)] for v in shown)
