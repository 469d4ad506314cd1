"""The report's charts as SVG (render/chart_svg.py): well-formed, laid out within the
drawing, every registry string escaped, every point with its tooltip."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prosperity_cli.chart import Chart, ObservedPoint, Point
from prosperity_cli.measure_chart import MeasureChart, RegionLine
from prosperity_cli.model import Goal
from prosperity_cli.render import chart_svg, svg_plot, text_metrics
from prosperity_cli.render.report import UNDRAWABLE_SVG, _svgs

NS = {"svg": "http://www.w3.org/2000/svg"}


def observed(*values: float, first_year: int = 2019, provisional_last: bool = False) -> tuple:
    last = len(values) - 1
    return tuple(
        ObservedPoint(date(first_year + n, 12, 31), v, provisional_last and n == last,
                      str(first_year + n))
        for n, v in enumerate(values)
    )  # fmt: skip


RATIO_CHART = Chart(
    ident="ratio-2025",
    title="Urban:rural income ratio — Zhejiang",
    unit="ratio",
    as_of=date(2026, 11, 29),
    observations=observed(2.01, 1.96, 1.94, 1.9, 1.86, 1.8, 1.81, provisional_last=True),
    path=(Point(date(2020, 12, 31), 1.96), Point(date(2025, 12, 31), 1.9)),
    projection=(Point(date(2024, 12, 31), 1.8), Point(date(2025, 12, 31), 1.78)),
    target=1.9,
    goal=Goal.BELOW,
    deadline=date(2025, 12, 31),
)


def parse(svg: str) -> ET.Element:
    assert svg.startswith('<?xml version="1.0" encoding="utf-8"?>\n<svg ')
    return ET.fromstring(svg.encode())


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]


def plot_box(root: ET.Element) -> tuple[float, float, float, float]:
    """left, top, right, bottom of the plot, read from the spines' path ("Mx,yVbHr")."""
    spines = next(p for p in root.iter("{http://www.w3.org/2000/svg}path") if "V" in
                  p.get("d", "") and "H" in p.get("d", "") and p.get("fill") == "none")  # fmt: skip
    left, top, bottom, right = map(float, re.findall(r"-?[\d.]+", spines.get("d", "")))
    return left, top, right, bottom


def test_a_target_chart_has_its_title_axes_legend_and_a_tooltip_per_observation() -> None:
    root = parse(chart_svg.render(RATIO_CHART))
    assert root.get("viewBox") == "0 0 720 360"
    assert root.find("svg:title", NS).text == RATIO_CHART.title  # type: ignore[union-attr]
    shown = texts(root)
    assert RATIO_CHART.title in shown and "ratio (x:1)" in shown
    assert {"1.80", "1.90", "2.00"} <= set(shown)  # value ticks, two decimals for a ratio
    assert {"2019", "2025"} <= set(shown)  # year ticks
    assert {"target < 1.90:1", "deadline 2025-12-31", "straight path from the baseline",
            "at the observed pace", "observed", "provisional"} <= set(shown)  # fmt: skip
    tips = [t.text for t in root.iter("{http://www.w3.org/2000/svg}title")][1:]
    assert "2019: 2.01:1" in tips and tips.count("2025: 1.81:1 (provisional)") == 2


def test_every_point_lies_inside_the_plot() -> None:
    root = parse(chart_svg.render(RATIO_CHART))
    left, top, right, bottom = plot_box(root)
    circles = list(root.iter("{http://www.w3.org/2000/svg}circle"))
    inside = [c for c in circles if float(c.get("cy", 0)) < bottom]  # the legend's are below
    assert len(inside) == len(RATIO_CHART.observations) + 1  # and the provisional one again
    for c in inside:
        assert left <= float(c.get("cx", 0)) <= right and top <= float(c.get("cy", 0))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(min_value=-1e9, max_value=1e9), min_size=1, max_size=12),
       st.text(max_size=200))  # fmt: skip
def test_any_series_and_title_make_a_valid_svg_within_the_drawing(
    values: list[float], title: str
) -> None:
    chart = Chart("x", title, "yuan", date(2026, 1, 1), observed(*values))
    root = parse(chart_svg.render(chart))
    left, top, right, bottom = plot_box(root)
    assert 0 < left < right <= 720 and 0 < top < bottom < 360
    for c in root.iter("{http://www.w3.org/2000/svg}circle"):
        assert 0 <= float(c.get("cx", 0)) <= 720 and 0 <= float(c.get("cy", 0)) <= 360


def test_registry_text_is_escaped_and_controls_made_visible() -> None:
    hostile = Chart("x", 'Beds <script>alert("1")</script> & \x1b[31mred', "yuan <b>",
                    date(2026, 1, 1), observed(1, 2))  # fmt: skip
    svg = chart_svg.render(hostile)
    assert "<script" not in svg and "<b>" not in svg and "\x1b" not in svg
    root = parse(svg)
    assert root.find("svg:title", NS).text == 'Beds <script>alert("1")</script> & \\x1b[31mred'  # type: ignore[union-attr]


def test_long_legend_labels_fall_into_fewer_columns_and_stay_on_the_drawing() -> None:
    lines = tuple(
        RegionLine(f"Region number {n} with a rather long name", observed(1 + n, 2 + n),
                   3.0 + n, Goal.AT_LEAST)
        for n in range(9)
    )  # fmt: skip
    chart = MeasureChart("m", "m: 9 regions", "yuan", date(2026, 1, 1), lines)
    root = parse(chart_svg.render_measure(chart))
    legend = root.findall("svg:g", NS)[-1]
    for label in legend.iter("{http://www.w3.org/2000/svg}text"):
        end = float(label.get("x", 0)) + text_metrics.width(label.text or "", svg_plot.LEGEND_SIZE)
        assert end <= 720
    # every region's marker shape is drawn: 8 styles, the ninth region repeats the first
    assert len(legend.findall("svg:g", NS)) == 9


def test_the_same_chart_gives_the_same_bytes() -> None:
    assert chart_svg.render(RATIO_CHART) == chart_svg.render(RATIO_CHART)


def test_values_beyond_any_axis_get_the_undrawable_notice_in_the_report() -> None:
    huge = Chart("huge", "Huge", "yuan", date(2026, 1, 1), observed(-1.7e308, 1.7e308))
    with pytest.raises(OverflowError):
        chart_svg.render(huge)
    drawn = _svgs({"huge": huge, "ratio": RATIO_CHART})
    assert drawn["huge"] == UNDRAWABLE_SVG and drawn["ratio"] == chart_svg.render(RATIO_CHART)
