"""The JSON contract of `status --format json`, as plain dicts; CSV and Markdown use it too.

Changing a key here changes a documented contract (docs/registry.md, "JSON output"):
only add keys.
"""

from __future__ import annotations

import math
from typing import Any

from prosperity_cli.assessment import Assessment, owner_of, region_of
from prosperity_cli.limits import NO_LIMIT, Limit
from prosperity_cli.model import Observation
from prosperity_cli.progress import ShortTerm, TargetFigures
from prosperity_cli.tracked import IndicatorFigures, Trend

SCHEMA_VERSION = 1


def rounded(value: float | None, places: int = 6) -> float | None:
    """The value to six places; None for None and for what JSON cannot hold (inf, NaN: see
    `_unrepresentable`)."""
    if value is None or not math.isfinite(value):
        return None
    # "+ 0.0" turns -0.0 into 0.0, which reads better in JSON.
    return round(value, places) + 0.0


def _unrepresentable(**figures: float | None) -> list[str]:
    """Notes naming the figures that overflowed a number (so are null in the record)."""
    return [
        f"{name} is too large to be represented, so it is null"
        for name, value in figures.items()
        if value is not None and not math.isfinite(value)
    ]


def plain(value: float) -> float | int:
    """46.0 -> 46, so integral values read as people wrote them; others unchanged."""
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def _point(observation: Observation | None, with_source: bool) -> dict[str, Any] | None:
    if observation is None:
        return None
    point: dict[str, Any] = {"period": observation.period.text, "value": plain(observation.value)}
    if with_source:
        point["source"] = observation.source
    point["provisional"] = observation.provisional
    if with_source:
        point |= {
            "url": observation.url,
            "publisher": observation.publisher,
            "published": observation.published.isoformat() if observation.published else None,
            "grade": observation.grade.value if observation.grade else None,
            "derived": observation.derived,
        }
    return point


def target_record(assessment: Assessment, figures: TargetFigures) -> dict[str, Any]:
    registry = assessment.registry
    target = figures.target
    indicator = registry.indicators[target.indicator]
    return {
        "id": target.id,
        "name": indicator.name,
        "region": region_of(registry, target),
        "unit": indicator.unit,
        "goal": target.goal.value,
        "target": plain(target.value),
        "deadline": target.deadline.isoformat(),
        "baseline": _point(figures.baseline, with_source=False),
        "latest": _point(figures.latest, with_source=True),
        "progress": rounded(figures.progress),
        "gap": rounded(figures.gap),
        "pace_ratio": rounded(figures.pace_ratio),
        "status": figures.status.value,
        "days_left": figures.days_left,
        "plan": target.plan,
        "indicator": target.indicator,
        "method": figures.pace.method.value if figures.pace else target.method.value,
        "notes": [
            *figures.notes,
            *_unrepresentable(
                progress=figures.progress,
                gap=figures.gap,
                pace_ratio=figures.pace_ratio,
                observed_rate=figures.projection.observed_rate,
                required_rate=figures.projection.required_rate,
                projected=figures.projection.projected,
            ),
        ],
        **_freshness(assessment, target.indicator),
        **_projection(figures),
        "owner": owner_of(registry, target),
        "limit": _limit(figures.limit),
        "short_term": _short_term(figures.short_term),
        "momentum": figures.momentum.value if figures.momentum else None,
        "measure": indicator.measure,
        "spread": None
        if indicator.spread is None
        else {
            "measure": indicator.spread.measure,
            "statistic": indicator.spread.statistic.value,
        },
    }


def _limit(limit: Limit) -> dict[str, Any] | None:
    if limit == NO_LIMIT:
        return None
    return {"lower": _bound(limit.lower), "upper": _bound(limit.upper)}


def _bound(value: float | None) -> float | int | None:
    return None if value is None else plain(value)


def _short_term(short: ShortTerm | None) -> dict[str, Any] | None:
    """The pace of the last few years (docs/methodology.md, "Short term and long term")."""
    if short is None:
        return None
    pace = short.pace
    return {
        "from": short.start.period.text,
        "pace_ratio": rounded(pace.ratio) if pace else None,
        "observed": rounded(pace.observed) if pace else None,
        "required": rounded(pace.required) if pace else None,
        "class": short.klass.value if short.klass else None,
        "note": short.note or None,
    }


def _trend(trend: Trend | None) -> dict[str, Any] | None:
    """A tracked indicator's trend over one window (docs/methodology.md)."""
    if trend is None:
        return None
    return {
        "from": trend.start.period.text if trend.start else None,
        "to": trend.end.period.text if trend.end else None,
        "growth": rounded(trend.growth),
        "class": trend.klass.value if trend.klass else None,
        "note": trend.note or None,
    }


def _projection(figures: TargetFigures) -> dict[str, Any]:
    projection = figures.projection
    return {
        "observed_rate": rounded(projection.observed_rate),
        "required_rate": rounded(projection.required_rate),
        "projected": rounded(projection.projected),
        "reached_by": projection.reached_by.isoformat() if projection.reached_by else None,
        "expected_progress": rounded(projection.expected_progress),
    }


def _freshness(assessment: Assessment, indicator_id: str) -> dict[str, Any]:
    state = assessment.freshness[indicator_id]
    return {
        "freshness": state.state.value,
        "next_due": state.due.isoformat() if state.due else None,
    }


def indicator_record(assessment: Assessment, figures: IndicatorFigures) -> dict[str, Any]:
    indicator = assessment.registry.indicators[figures.indicator_id]
    return {
        "id": indicator.id,
        "name": indicator.name,
        "region": indicator.region,
        "unit": indicator.unit,
        "latest": _point(figures.latest, with_source=True),
        "previous": _point(figures.previous, with_source=False),
        "change": rounded(figures.change),
        "notes": _unrepresentable(change=figures.change),
        **_freshness(assessment, indicator.id),
        "desired": figures.desired.value if figures.desired else None,
        "class": figures.klass.value if figures.klass else None,
        "short_term": _trend(figures.short),
        "long_term": _trend(figures.long),
        "momentum": figures.momentum.value if figures.momentum else None,
        "measure": indicator.measure,
    }


def assessment_record(assessment: Assessment) -> dict[str, Any]:
    counts = assessment.counts()
    return {
        "schema": SCHEMA_VERSION,
        "as_of": assessment.as_of.isoformat(),
        "targets": [target_record(assessment, f) for f in assessment.targets],
        "indicators": [indicator_record(assessment, f) for f in assessment.tracked],
        "summary": {status.value: n for status, n in counts.items()},
    }
