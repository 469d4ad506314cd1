"""The value axis (axis.py) and the text widths the SVG layout is computed from."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prosperity_cli.axis import decimals, nice_ticks, tick_labels, value_extent
from prosperity_cli.render import text_metrics

finite = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False)


def test_nice_ticks_are_round_numbers_within_the_range() -> None:
    assert nice_ticks(37.3, 57.7) == [40, 45, 50, 55]
    assert nice_ticks(1.78, 1.98) == [1.8, 1.85, 1.9, 1.95]
    assert nice_ticks(58_200, 86_700, 7) == [60_000, 65_000, 70_000, 75_000, 80_000, 85_000]


@given(st.lists(finite, min_size=1, max_size=30))
def test_ticks_lie_within_the_extent_and_are_multiples_of_one_round_step(
    values: list[float],
) -> None:
    low, high = value_extent(values, 0.05)
    assert low < min(values) <= max(values) < high
    ticks = nice_ticks(low, high, 7)
    assert 1 <= len(ticks) <= 8
    assert all(low - 1e-9 * abs(low) <= t <= high + 1e-9 * abs(high) for t in ticks)
    if len(ticks) > 1:
        step = ticks[1] - ticks[0]
        mantissa = step / 10 ** math.floor(math.log10(step))
        assert any(math.isclose(mantissa, m, rel_tol=1e-6) for m in (1, 2, 2.5, 5, 10))


def test_a_flat_series_gets_room_around_its_value() -> None:
    assert value_extent([50.0, 50.0], 0.05) == (47.5, 52.5)
    assert value_extent([0.0], 0.05) == (-1.0, 1.0)


def test_a_range_beyond_the_largest_float_cannot_be_laid_out() -> None:
    with pytest.raises(OverflowError):
        value_extent([-1.7e308, 1.7e308], 0.05)


def test_labels_of_one_axis_share_their_decimals() -> None:
    assert tick_labels([4.5, 4.55, 4.6], "percent") == ["4.50", "4.55", "4.60"]
    assert tick_labels([1.8, 1.9, 2.0], "ratio") == ["1.80", "1.90", "2.00"]
    assert tick_labels([60_000, 65_000], "yuan") == ["60,000", "65,000"]
    assert tick_labels([-0.5, 0.0, 0.5], "percent") == ["-0.5", "0.0", "0.5"]
    assert tick_labels([-0.004, 0.496], "yuan") == ["0.0", "0.5"]  # never "-0.0"
    assert decimals(2.5) == 1 and decimals(0.05) == 2 and decimals(500) == 0


def test_text_widths_are_dejavu_sans_advances() -> None:
    assert text_metrics.width("0", 10) == pytest.approx(6.36)
    assert text_metrics.width("0", 10, bold=True) == pytest.approx(6.96)
    assert text_metrics.width("城市", 10) == pytest.approx(20.0)  # an em each


@given(st.text(alphabet="abc XYZ 城乡0,", max_size=120), st.floats(min_value=20, max_value=400))
def test_wrapped_lines_fit_and_keep_every_character(text: str, room: float) -> None:
    lines = text_metrics.wrap(text, 12, room, most=100)
    for line in lines:
        assert len(line) == 1 or text_metrics.width(line, 12) <= room + 1e-9
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


@given(st.text(max_size=80), st.floats(min_value=20, max_value=400))
def test_truncated_text_fits_or_is_kept_whole(text: str, room: float) -> None:
    shown = text_metrics.truncate(text, 12, room)
    assert shown == text or (shown.endswith("…") and text_metrics.width(shown, 12) <= room + 1e-9)
