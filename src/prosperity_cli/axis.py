"""A chart's value axis: how far it reaches, where its ticks go and how they read.

Pure arithmetic, shared by the terminal chart and the SVG chart. Ticks are round values,
1, 2, 2.5 or 5 times a power of ten, and every label of one axis has the same number of
decimals ("4.50, 4.55, 4.60", never "4.5, 4.55, 4.6").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal

from prosperity_cli.units import RATIO

#: The multiples of a power of ten a tick step may be.
STEPS = (1.0, 2.0, 2.5, 5.0)


def value_extent(values: Sequence[float], share: float) -> tuple[float, float]:
    """The drawn values widened by `share` of their span on each side; a flat series by
    `share` of its value (or by 1 around zero). OverflowError when the result is not a
    finite number: values near the largest float cannot be laid out."""
    low, high = min(values), max(values)
    margin = (high - low) * share or abs(high) * share or 1.0
    low, high = low - margin, high + margin
    if not (math.isfinite(low) and math.isfinite(high) and math.isfinite(high - low)):
        raise OverflowError("the values are too large to lay out on an axis")
    return low, high


def tick_step(low: float, high: float, count: int) -> float:
    """The smallest round step that puts at most about `count` ticks within low..high."""
    raw = (high - low) / count
    if not math.isfinite(raw) or raw <= 0:
        raise OverflowError(f"no tick step for the range {low!r}..{high!r}")
    power = 10.0 ** math.floor(math.log10(raw))
    return next(m * power for m in (*STEPS, 10.0) if m * power >= raw * (1 - 1e-12))


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round values within low..high, at most about `count` + 1 of them."""
    if high <= low:
        return [low]
    step = tick_step(low, high, count)
    first, last = math.ceil(low / step - 1e-9), math.floor(high / step + 1e-9)
    # n * step to twelve significant digits: 0.30000000000000004 is 0.3 (and -0.0 is 0.0)
    return [float(f"{n * step:.12g}") + 0.0 for n in range(first, last + 1)]


def decimals(step: float) -> int:
    """Decimals that show every multiple of `step` exactly: 0.05 -> 2, 2.5 -> 1, 500 -> 0."""
    exponent = Decimal(f"{abs(step):.12g}").normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def tick_labels(ticks: Sequence[float], unit: str) -> list[str]:
    """The labels of an axis's ticks, all with the same decimals; a ratio with two at least
    ("1.80"), to read as the ratios elsewhere do."""
    if len(ticks) < 2:
        places = 2 if unit == RATIO else decimals(ticks[0]) if ticks else 0
    else:
        places = decimals(ticks[1] - ticks[0])
        places = max(places, 2) if unit == RATIO else places
    labels = [f"{value:,.{places}f}" for value in ticks]
    return [label[1:] if label[0] == "-" and not label.strip("-0.,") else label for label in labels]
