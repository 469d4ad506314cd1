"""Regions side by side: one measure's indicators compared on one date (`prosperity compare`).

Each region's latest value, its change and pace over a span, its rank among the regions
that report the same period, and its distance to its own target; then the spread across
regions period by period, and whether it is narrowing. The rules are in
docs/methodology.md, "Comparing regions". Pure: a registry's series in, frozen results out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from prosperity_cli.measures import measures_of
from prosperity_cli.model import Indicator, Observation, Registry
from prosperity_cli.periods import Period, like_for_like, years_between
from prosperity_cli.progress import TargetFigures
from prosperity_cli.series import known_on, latest, latest_like
from prosperity_cli.spread import Movement, cv, max_min, max_minus_min, movement

PeriodKey = tuple[date, date]


@dataclass(frozen=True, slots=True)
class Span:
    """A region's change from the span's first period to its latest comparable value."""

    start: Observation
    end: Observation
    change: float
    #: A yearly growth rate when both values are positive, else units per year; None when
    #: the span is shorter than a day.
    pace: float | None
    compound: bool


@dataclass(frozen=True, slots=True)
class RegionRow:
    indicator: Indicator
    latest: Observation | None
    #: The value for the ranking period, when the region has one.
    at_reference: Observation | None
    rank: int | None
    span: Span | None
    #: The region's own target (the next deadline, else the last one), with its figures.
    target: TargetFigures | None

    @property
    def aligned(self) -> bool:
        """Is the latest value for the ranking period (and so ranked on it)?"""
        return self.at_reference is not None and self.at_reference is self.latest


@dataclass(frozen=True, slots=True)
class SpreadRow:
    """The spread across the regions reporting one period."""

    period: Period
    #: The indicators with a value for the period, in the measure's order.
    regions: tuple[str, ...]
    max_min: float | None
    max_minus_min: float | None
    cv: float | None


@dataclass(frozen=True, slots=True)
class Trend:
    """The spread over one fixed set of regions (those with a value for the span's first
    period), at each comparable period of the span, and which way it moved."""

    regions: tuple[str, ...]
    points: tuple[SpreadRow, ...]
    movement: Movement | None


@dataclass(frozen=True, slots=True)
class Comparison:
    measure: str
    unit: str
    as_of: date
    #: Ranked regions in rank order, then the unranked in the measure's order.
    rows: tuple[RegionRow, ...]
    #: The period regions are ranked on: the latest that the most regions report.
    reference: Period | None
    #: The span's first period: given, else the earliest all regions report.
    since: Period | None
    #: Rank 1 is the lowest value (the measure should fall), else the highest.
    lowest_first: bool
    #: Why the ranking runs that way: "desired = decrease", "the targets' goals", "default".
    order_reason: str
    spreads: tuple[SpreadRow, ...]
    trend: Trend


#: Fewer regions than this reporting a period give no spread.
MIN_REGIONS = 2


def compare(
    measure: str,
    indicators: Sequence[Indicator],
    series: Mapping[str, Sequence[Observation]],
    targets: Sequence[TargetFigures],
    as_of: date,
    since: Period | None = None,
) -> Comparison:
    """Compare a measure's `indicators` (its regions) on `as_of`."""
    known = {i.id: known_on(series[i.id], as_of) for i in indicators}
    by_key = {ident: {o.period.key: o for o in values} for ident, values in known.items()}
    periods = _periods(known)
    reporting = {key: [i.id for i in indicators if key in by_key[i.id]] for key in periods}
    reference = _reference(periods, reporting)
    if since is None:
        since = _default_since(periods, reporting, indicators, by_key)
    lowest_first, reason = _order(indicators, targets)
    at_reference = {
        i.id: by_key[i.id].get(reference.key) if reference is not None else None for i in indicators
    }
    ranks = _ranks(
        {ident: o.value for ident, o in at_reference.items() if o is not None}, lowest_first
    )
    rows = [
        RegionRow(
            indicator,
            latest(known[indicator.id], as_of),
            at_reference[indicator.id],
            ranks.get(indicator.id),
            _span(known[indicator.id], as_of, since),
            _target_of(indicator.id, targets, as_of),
        )
        for indicator in indicators
    ]
    rows.sort(key=lambda row: (row.rank is None, row.rank or 0))
    spreads = tuple(
        _spread_row(periods[key], regions, by_key)
        for key, regions in reporting.items()
        if len(regions) >= MIN_REGIONS and (since is None or periods[key].end >= since.end)
    )
    unit = indicators[0].unit if indicators else ""
    trend = _trend(since, indicators, by_key, periods)
    return Comparison(
        measure, unit, as_of, tuple(rows), reference, since, lowest_first, reason, spreads, trend
    )


def comparisons(
    registry: Registry,
    series: Mapping[str, Sequence[Observation]],
    targets: Sequence[TargetFigures],
    as_of: date,
    shown: frozenset[str] | None = None,
) -> tuple[Comparison, ...]:
    """Every measure compared with its default span (for the report), or only the measures
    with an indicator in `shown`, when given."""
    return tuple(
        compare(measure, group, series, targets, as_of)
        for measure, group in measures_of(registry.indicators).items()
        if shown is None or any(i.id in shown for i in group)
    )


def _periods(known: Mapping[str, Sequence[Observation]]) -> dict[PeriodKey, Period]:
    """Every period any region reports, oldest end first (then the longer period first)."""
    found = {o.period.key: o.period for values in known.values() for o in values}
    return dict(sorted(found.items(), key=lambda item: (item[1].end, item[1].start)))


def _reference(
    periods: Mapping[PeriodKey, Period], reporting: Mapping[PeriodKey, list[str]]
) -> Period | None:
    """The latest of the periods that the most regions report (at least two); None when no
    two regions share a period."""
    most = max((len(r) for r in reporting.values()), default=0)
    if most < MIN_REGIONS:
        return None
    shared = [periods[key] for key, regions in reporting.items() if len(regions) == most]
    return shared[-1]


def _default_since(
    periods: Mapping[PeriodKey, Period],
    reporting: Mapping[PeriodKey, list[str]],
    indicators: Sequence[Indicator],
    by_key: Mapping[str, Mapping[PeriodKey, Observation]],
) -> Period | None:
    """The earliest period every region reports. When none is, of the periods that the
    most regions report (at least two), the one from which those regions share the most
    comparable periods (the longest spread to follow), the earliest on a tie."""
    most = max((len(r) for r in reporting.values()), default=0)
    if most < MIN_REGIONS:
        return None
    candidates = [periods[key] for key, r in reporting.items() if len(r) == most]
    if most == len(indicators):
        return candidates[0]
    runs = [len(_trend(p, indicators, by_key, periods).points) for p in candidates]
    return candidates[runs.index(max(runs))]


def _order(indicators: Sequence[Indicator], targets: Sequence[TargetFigures]) -> tuple[bool, str]:
    """Does rank 1 go to the lowest value? When the indicators' `desired` agree, they say;
    else the direction of their targets' goals when those agree; else the highest first."""
    desired = {i.desired for i in indicators if i.desired is not None}
    if len(desired) == 1:
        (way,) = desired
        return way.direction < 0, f"desired = {way.value}"
    ids = {i.id for i in indicators}
    directions = {f.target.goal.direction for f in targets if f.target.indicator in ids}
    if len(directions) == 1:
        (direction,) = directions
        return direction < 0, "the targets' goals"
    return False, "default"


def _ranks(values: Mapping[str, float], lowest_first: bool) -> dict[str, int]:
    """Competition ranking ("1, 2, 2, 4"): equal values share a rank."""
    ordered = sorted(values.values(), reverse=not lowest_first)
    return {ident: ordered.index(value) + 1 for ident, value in values.items()}


def _span(values: Sequence[Observation], as_of: date, since: Period | None) -> Span | None:
    """From the value for `since` to the latest value like for like with it."""
    if since is None:
        return None
    start = next((o for o in values if o.period.key == since.key), None)
    end = latest_like(values, as_of, since)
    if start is None or end is None:
        return None
    years = years_between(start.period.end, end.period.end)  # 0 when `since` is the latest
    compound = start.value > 0 and end.value > 0
    pace: float | None = None
    if years > 0:
        if compound:
            pace = float((end.value / start.value) ** (1 / years) - 1)
        else:
            pace = (end.value - start.value) / years
    return Span(start, end, end.value - start.value, pace, compound)


def _target_of(
    indicator_id: str, targets: Sequence[TargetFigures], as_of: date
) -> TargetFigures | None:
    """The region's target whose deadline comes next; when all have passed, the last."""
    own = sorted(
        (f for f in targets if f.target.indicator == indicator_id),
        key=lambda f: f.target.deadline,
    )
    upcoming = [f for f in own if f.target.deadline >= as_of]
    if upcoming:
        return upcoming[0]
    return own[-1] if own else None


def _spread_row(
    period: Period, regions: Sequence[str], by_key: Mapping[str, Mapping[PeriodKey, Observation]]
) -> SpreadRow:
    values = [by_key[ident][period.key].value for ident in regions]
    return SpreadRow(period, tuple(regions), max_min(values), max_minus_min(values), cv(values))


def _trend(
    since: Period | None,
    indicators: Sequence[Indicator],
    by_key: Mapping[str, Mapping[PeriodKey, Observation]],
    periods: Mapping[PeriodKey, Period],
) -> Trend:
    """The spread over the regions with a value for `since`, at each period like for like
    with it from `since` on in which all of them report."""
    if since is None:
        return Trend((), (), None)
    regions = tuple(i.id for i in indicators if since.key in by_key[i.id])
    if len(regions) < MIN_REGIONS:
        return Trend(regions, (), None)
    points = tuple(
        _spread_row(period, regions, by_key)
        for key, period in periods.items()
        if period.end >= since.end
        and like_for_like(period, since)
        and all(key in by_key[ident] for ident in regions)
    )
    years = [years_between(since.end, p.period.end) for p in points]
    drift = movement(years, [p.cv for p in points], [p.max_minus_min for p in points])
    return Trend(regions, points, drift)
