"""What a chart of a target or an indicator shows, as plain data. Pure: no I/O, no plotting.

A target's chart has the observations known on the as-of date, the straight path from the
baseline to the target at the deadline (where the indicator should be), the target line,
the deadline, and the projection from the latest value to the deadline at the observed
pace (docs/methodology.md). The renderers (render/chart_terminal.py, render/chart_svg.py)
only draw what is here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from prosperity_cli.assessment import Assessment, region_of
from prosperity_cli.model import Goal, Indicator, Observation
from prosperity_cli.periods import add_years, years_between
from prosperity_cli.progress import TargetFigures
from prosperity_cli.projection import advance
from prosperity_cli.series import known_on

#: Segments of a compound-growth projection: enough for the curve to read as a curve.
CAGR_SEGMENTS = 6
#: A tracked indicator is charted from this many observations: one point is no trend.
MIN_INDICATOR_POINTS = 2


@dataclass(frozen=True, slots=True)
class Point:
    """A value on a date: a corner of a line."""

    when: date
    value: float


@dataclass(frozen=True, slots=True)
class ObservedPoint:
    """An observation, placed at the end of its period."""

    when: date
    value: float
    provisional: bool
    period: str


@dataclass(frozen=True, slots=True)
class Chart:
    """Everything one chart draws. Lines are empty tuples where they do not apply."""

    ident: str
    title: str
    unit: str
    as_of: date
    observations: tuple[ObservedPoint, ...]
    #: Baseline to (deadline, target value): where the indicator should be on each date.
    path: tuple[Point, ...] = ()
    #: From the latest value to the deadline, if the observed pace continues.
    projection: tuple[Point, ...] = ()
    target: float | None = None
    goal: Goal | None = None
    deadline: date | None = None

    def dates(self) -> list[date]:
        """Every date drawn, for the extent of the time axis."""
        drawn = [o.when for o in self.observations]
        drawn += [p.when for p in (*self.path, *self.projection)]
        return drawn + ([self.deadline] if self.deadline else [])

    def values(self) -> list[float]:
        """Every value drawn, for the extent of the value axis."""
        drawn = [o.value for o in self.observations]
        drawn += [p.value for p in (*self.path, *self.projection)]
        return drawn + ([self.target] if self.target is not None else [])


def date_extent(chart: Chart) -> tuple[date, date]:
    """The time axis: every drawn date, widened by 1/30 of the span (at least 15 days)."""
    dates = chart.dates()
    margin = timedelta(days=max((max(dates) - min(dates)).days // 30, 15))
    return min(dates) - margin, max(dates) + margin


def year_ticks(first: date, last: date, most: int) -> list[date]:
    """Year ends from `first` to `last`, every 1, 2, 5, 10, 20 or 50 years: at most `most`
    where a step allows. Period ends are where values are drawn, so a value for 2024
    sits on the tick labelled 2024."""
    shown: list[date] = []
    for step in (1, 2, 5, 10, 20, 50):
        shown = [date(y, 12, 31) for y in range(first.year, last.year + 1) if y % step == 0]
        shown = [d for d in shown if first <= d <= last]
        if len(shown) <= most:
            break
    return shown


def observed_points(series: Sequence[Observation], as_of: date) -> tuple[ObservedPoint, ...]:
    """The observations of an `effective` series known on `as_of`, oldest first."""
    return tuple(
        ObservedPoint(o.period.end, o.value, o.provisional, o.period.text)
        for o in known_on(series, as_of)
    )


def straight_path(figures: TargetFigures) -> tuple[Point, ...]:
    """Baseline to the target at the deadline; () while the baseline value is unknown."""
    base, target = figures.baseline, figures.target
    if base is None or base.period.end >= target.deadline:
        return ()
    return (Point(base.period.end, base.value), Point(target.deadline, target.value))


def projection_line(figures: TargetFigures) -> tuple[Point, ...]:
    """The latest value carried to the deadline at the observed pace; () without a pace.

    A linear pace is a straight line to `projection.projected`, bent where it meets the
    natural limit (limits.py) and flat along it after; compound growth is sampled at
    CAGR_SEGMENTS + 1 evenly spaced times, each held within the limit, ending exactly at
    `projection.projected`.
    """
    pace, now, projected = figures.pace, figures.latest, figures.projection.projected
    deadline = figures.target.deadline
    if pace is None or now is None or projected is None or now.period.end >= deadline:
        return ()
    start = Point(now.period.end, now.value)
    end = Point(deadline, projected)
    years = years_between(now.period.end, deadline)
    limit = figures.limit
    if not pace.method.compound:
        unbounded = advance(now.value, pace, years)
        if limit.contains(unbounded) or pace.observed == 0:
            return (start, end)
        bound = limit.clamp(unbounded)
        meets = add_years(now.period.end, (bound - now.value) / pace.observed)
        return (start, Point(meets, bound), end)
    inner = (
        Point(
            add_years(now.period.end, years * k / CAGR_SEGMENTS),
            limit.clamp(advance(now.value, pace, years * k / CAGR_SEGMENTS)),
        )
        for k in range(1, CAGR_SEGMENTS)
    )
    return (start, *inner, end)


def _title(indicator: Indicator, region: str | None) -> str:
    return f"{indicator.name} — {region}" if region else indicator.name


def target_chart(
    figures: TargetFigures,
    indicator: Indicator,
    series: Sequence[Observation],
    region: str | None = None,
) -> Chart:
    """The chart of one target on its figures' as-of date, from its indicator's series."""
    target = figures.target
    return Chart(
        ident=target.id,
        title=_title(indicator, region),
        unit=indicator.unit,
        as_of=figures.as_of,
        observations=observed_points(series, figures.as_of),
        path=straight_path(figures),
        projection=projection_line(figures),
        target=target.value,
        goal=target.goal,
        deadline=target.deadline,
    )


def indicator_chart(indicator: Indicator, series: Sequence[Observation], as_of: date) -> Chart:
    """The chart of an indicator on its own: its observations known on `as_of`."""
    return Chart(
        ident=indicator.id,
        title=_title(indicator, indicator.region),
        unit=indicator.unit,
        as_of=as_of,
        observations=observed_points(series, as_of),
    )


def chart_of_target(assessment: Assessment, figures: TargetFigures) -> Chart:
    """The chart of one target of an assessment."""
    registry = assessment.registry
    indicator = registry.indicators[figures.target.indicator]
    region = region_of(registry, figures.target)
    return target_chart(figures, indicator, assessment.series[indicator.id], region)


def chart_of_indicator(assessment: Assessment, ident: str) -> Chart:
    """The chart of one indicator of an assessment, without any target."""
    indicator = assessment.registry.indicators[ident]
    return indicator_chart(indicator, assessment.series[ident], assessment.as_of)


def worth_drawing(chart: Chart) -> bool:
    """A target's chart needs one observation; an indicator's, MIN_INDICATOR_POINTS."""
    needed = 1 if chart.target is not None else MIN_INDICATOR_POINTS
    return len(chart.observations) >= needed


@dataclass(frozen=True, slots=True)
class ReportCharts:
    """The charts a report shows, by ID: targets with an observation, tracked indicators
    with at least MIN_INDICATOR_POINTS."""

    targets: dict[str, Chart]
    indicators: dict[str, Chart]


def report_charts(assessment: Assessment) -> ReportCharts:
    targets = (chart_of_target(assessment, f) for f in assessment.targets)
    tracked = (chart_of_indicator(assessment, f.indicator_id) for f in assessment.tracked)
    return ReportCharts(
        {c.ident: c for c in targets if worth_drawing(c)},
        {c.ident: c for c in tracked if worth_drawing(c)},
    )
