"""What a measure's chart shows, as plain data: every region's series on one axis, with
each region's own target. Pure: no I/O, no plotting (render/chart_svg.py draws it).

Only periods like for like with the ranking period are drawn (annual values beside annual
values): a first-three-quarters figure plotted among years would read as a fall. The table
under the chart shows the others.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from prosperity_cli.chart import ObservedPoint
from prosperity_cli.compare import Comparison
from prosperity_cli.model import Goal, Observation
from prosperity_cli.periods import like_for_like
from prosperity_cli.series import known_on


@dataclass(frozen=True, slots=True)
class RegionLine:
    label: str
    points: tuple[ObservedPoint, ...]
    target: float | None = None
    goal: Goal | None = None


@dataclass(frozen=True, slots=True)
class MeasureChart:
    ident: str
    title: str
    unit: str
    as_of: date
    lines: tuple[RegionLine, ...]

    @property
    def extent(self) -> tuple[date, date]:
        """The time axis: every drawn date, widened by 1/30 of the span (at least 15 days),
        as for a target's chart."""
        days = [p.when for line in self.lines for p in line.points]
        margin = timedelta(days=max((max(days) - min(days)).days // 30, 15))
        return min(days) - margin, max(days) + margin


def measure_chart(
    comparison: Comparison, series: Mapping[str, Sequence[Observation]]
) -> MeasureChart:
    reference = comparison.reference
    lines = []
    for row in comparison.rows:
        known = known_on(series[row.indicator.id], comparison.as_of)
        shown = [o for o in known if reference is None or like_for_like(o.period, reference)]
        target = row.target.target if row.target is not None else None
        lines.append(
            RegionLine(
                row.indicator.region or row.indicator.id,
                tuple(
                    ObservedPoint(o.period.end, o.value, o.provisional, o.period.text)
                    for o in shown
                ),
                target.value if target is not None else None,
                target.goal if target is not None else None,
            )
        )
    title = f"{comparison.measure}: {len(comparison.rows)} regions"
    return MeasureChart(comparison.measure, title, comparison.unit, comparison.as_of, tuple(lines))


def worth_drawing(chart: MeasureChart) -> bool:
    """Two regions with a point each at least: one region is no comparison."""
    return sum(1 for line in chart.lines if line.points) >= 2
