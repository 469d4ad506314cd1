"""Least-squares fits over a series: the slope of a line, or of a line through the logs.

Regression-based assessments (UNECE, ESCAP) estimate a pace from every value, not only the
first and the last; docs/methodology.md, "Fitted pace", has the formulas and an example.
Pure; no I/O.
"""

from __future__ import annotations

import math
from collections.abc import Sequence


def slope(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """The ordinary least-squares slope of ys on xs; None unless two xs differ.

    Computed on centred values (x - mean x), which keeps the sums small and exact for
    exactly linear data.
    """
    n = len(xs)
    if n != len(ys) or n < 2:
        return None
    mean_x = math.fsum(xs) / n
    mean_y = math.fsum(ys) / n
    spread = math.fsum((x - mean_x) ** 2 for x in xs)
    if spread == 0:
        return None
    return math.fsum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread


def growth_rate(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """The yearly growth rate of a log-linear fit, exp(slope of ln y on x) - 1; None unless
    every y is positive and two xs differ."""
    if any(y <= 0 for y in ys):
        return None
    fitted = slope(xs, [math.log(y) for y in ys])
    if fitted is None:
        return None
    try:
        return math.expm1(fitted)
    except OverflowError:
        return None
