from hypothesis import given
from hypothesis import strategies as st

from prosperity_cli.render.sparkline import BARS, sparkline


def test_rising_series_rises() -> None:
    assert sparkline([1, 2, 3]) == "▁▅█"


def test_flat_series_is_level_and_empty_series_is_empty() -> None:
    assert sparkline([5, 5]) == "▅▅"
    assert sparkline([]) == ""


def test_only_the_most_recent_points_are_kept() -> None:
    assert sparkline(list(range(20)), width=4) == "▁▃▆█"


@given(st.lists(st.floats(-1e9, 1e9), min_size=1, max_size=30))
def test_one_bar_per_point_with_extremes_at_the_ends(values: list[float]) -> None:
    line = sparkline(values)
    shown = values[-8:]
    assert len(line) == len(shown)
    assert set(line) <= set(BARS)
    if max(shown) > min(shown):
        assert line[shown.index(max(shown))] == "█"
        assert line[shown.index(min(shown))] == "▁"
