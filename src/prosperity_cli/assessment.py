"""Assess a whole registry on one date: the figures `status` shows, before any rendering.

Pure: a Registry and a date in, frozen results out.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from prosperity_cli.freshness import Freshness, freshness
from prosperity_cli.horizons import long_term, short_term
from prosperity_cli.limits import Limit, applying
from prosperity_cli.model import Indicator, Observation, Registry, Target
from prosperity_cli.progress import Status, TargetFigures, evaluate
from prosperity_cli.series import series_of
from prosperity_cli.tracked import IndicatorFigures, tracked_figures


@dataclass(frozen=True, slots=True)
class Filters:
    """Which targets to show; None means all."""

    plan: str | None = None
    region: str | None = None
    status: Status | None = None
    #: Only targets on these indicators (and only these tracked); the rest is not computed.
    indicators: frozenset[str] | None = None


@dataclass(frozen=True, slots=True)
class Assessment:
    registry: Registry
    as_of: date
    targets: tuple[TargetFigures, ...]
    tracked: tuple[IndicatorFigures, ...]
    freshness: Mapping[str, Freshness]
    #: Each indicator's effective series (revisions resolved, derived values computed).
    series: Mapping[str, list[Observation]]

    def counts(self) -> Counter[Status]:
        return Counter(figures.status for figures in self.targets)


def region_of(registry: Registry, target: Target) -> str | None:
    """A target's region: its indicator's, else its plan's."""
    indicator = registry.indicators[target.indicator]
    return indicator.region or registry.plans[target.plan].region


def _matches(registry: Registry, figures: TargetFigures, filters: Filters) -> bool:
    target = figures.target
    if filters.plan is not None and target.plan != filters.plan:
        return False
    if filters.indicators is not None and target.indicator not in filters.indicators:
        return False
    if filters.region is not None:
        region = region_of(registry, target) or ""
        if region.casefold() != filters.region.casefold():
            return False
    return filters.status is None or figures.status is filters.status


def _tracked_indicator_matches(indicator: Indicator, filters: Filters) -> bool:
    if filters.plan is not None or filters.status is not None:
        return False
    if filters.region is None:
        return True
    return (indicator.region or "").casefold() == filters.region.casefold()


def _limits(registry: Registry, series: Mapping[str, list[Observation]]) -> dict[str, Limit]:
    """Each indicator's natural limit (limits.applying), given its values and targets."""
    target_values: dict[str, list[float]] = {}
    for target in registry.targets.values():
        target_values.setdefault(target.indicator, []).append(target.value)
    return {
        ident: applying(
            registry.indicators[ident].unit,
            registry.indicators[ident].limit,
            itertools.chain((o.value for o in values), target_values.get(ident, ())),
        )
        for ident, values in series.items()
    }


def owner_of(registry: Registry, target: Target) -> str | None:
    """A target's owner: its own, else its plan's."""
    return target.owner or registry.plans[target.plan].owner


def assess(registry: Registry, as_of: date, filters: Filters | None = None) -> Assessment:
    """Figures for every target (grouped by plan, in file order) and every tracked indicator."""
    filters = filters or Filters()
    wanted = {
        ident: indicator
        for ident, indicator in registry.indicators.items()
        if filters.indicators is None or ident in filters.indicators
    }
    series = {ident: series_of(registry, ident) for ident in wanted}
    plan_order = {plan: n for n, plan in enumerate(registry.plans)}
    ordered = sorted(
        (t for t in registry.targets.values() if t.indicator in wanted),
        key=lambda t: plan_order[t.plan],
    )
    limits = _limits(registry, series)
    short_span, long_span = short_term(registry.defaults), long_term(registry.defaults)
    targets = tuple(
        figures
        for figures in (
            evaluate(t, series[t.indicator], as_of, limits[t.indicator], short_span)
            for t in ordered
        )
        if _matches(registry, figures, filters)
    )
    with_targets = {t.indicator for t in registry.targets.values()}
    tracked = tuple(
        tracked_figures(ident, series[ident], as_of, indicator.desired, short_span, long_span)
        for ident, indicator in wanted.items()
        if ident not in with_targets
        and series[ident]
        and _tracked_indicator_matches(indicator, filters)
    )
    fresh = {
        ident: freshness(indicator, series[ident], as_of, registry.defaults)
        for ident, indicator in wanted.items()
    }
    return Assessment(registry, as_of, targets, tracked, fresh, series)
