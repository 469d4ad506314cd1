"""The JSON contract of `prosperity compare`, as plain dicts; CSV uses it too.

Documented in docs/registry.md ("JSON output of compare"): only add keys.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from prosperity_cli.compare import Comparison, RegionRow, SpreadRow, Trend
from prosperity_cli.model import Indicator, Observation
from prosperity_cli.render.records import SCHEMA_VERSION, plain, rounded


def _point(observation: Observation | None) -> dict[str, Any] | None:
    if observation is None:
        return None
    return {
        "period": observation.period.text,
        "value": plain(observation.value),
        "provisional": observation.provisional,
    }


def region_record(row: RegionRow) -> dict[str, Any]:
    indicator = row.indicator
    span = row.span
    target = row.target
    return {
        "indicator": indicator.id,
        "name": indicator.name,
        "region": indicator.region,
        "rank": row.rank,
        "aligned": row.aligned,
        "latest": _point(row.latest),
        "at_reference": _point(row.at_reference),
        "span": None
        if span is None
        else {
            "from": _point(span.start),
            "to": _point(span.end),
            "change": rounded(span.change),
            "pace": rounded(span.pace),
            "pace_kind": "growth" if span.compound else "linear",
        },
        "target": None
        if target is None
        else {
            "id": target.target.id,
            "goal": target.target.goal.value,
            "value": plain(target.target.value),
            "deadline": target.target.deadline.isoformat(),
            "gap": rounded(target.gap),
            "status": target.status.value,
        },
    }


def spread_record(row: SpreadRow, of: int) -> dict[str, Any]:
    return {
        "period": row.period.text,
        "regions": list(row.regions),
        "reporting": len(row.regions),
        "of": of,
        "max_min": rounded(row.max_min),
        "max_minus_min": rounded(row.max_minus_min),
        "cv": rounded(row.cv),
    }


def trend_record(trend: Trend, of: int) -> dict[str, Any]:
    drift = trend.movement
    return {
        "regions": list(trend.regions),
        "points": [spread_record(p, of) for p in trend.points],
        "statistic": None if drift is None else drift.statistic.value,
        "direction": None if drift is None else drift.direction.value,
        "rate": None if drift is None else rounded(drift.rate),
    }


def comparison_record(comparison: Comparison) -> dict[str, Any]:
    regions = len(comparison.rows)
    return {
        "schema": SCHEMA_VERSION,
        "measure": comparison.measure,
        "unit": comparison.unit,
        "as_of": comparison.as_of.isoformat(),
        "since": comparison.since.text if comparison.since else None,
        "reference": comparison.reference.text if comparison.reference else None,
        "rank_order": "lowest-first" if comparison.lowest_first else "highest-first",
        "rank_order_reason": comparison.order_reason,
        "regions": [region_record(row) for row in comparison.rows],
        "spread": [spread_record(row, regions) for row in comparison.spreads],
        "trend": trend_record(comparison.trend, regions),
    }


def measures_record(
    measures: Mapping[str, Sequence[Indicator]], spreads: Mapping[str, Sequence[Indicator]]
) -> dict[str, Any]:
    """`prosperity compare` without a measure: each measure, its regions and its spreads."""
    return {
        "schema": SCHEMA_VERSION,
        "measures": [
            {
                "id": measure,
                "unit": group[0].unit,
                "cadence": group[0].cadence.value,
                "regions": [{"indicator": i.id, "region": i.region} for i in group],
                "spreads": [
                    {"indicator": s.id, "statistic": s.spread.statistic.value}
                    for s in spreads.get(measure, ())
                    if s.spread is not None
                ],
            }
            for measure, group in measures.items()
        ],
    }
