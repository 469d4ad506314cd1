"""What `prosperity report` says about each target and tracked indicator, in any format.

Each figure is a row of parts; a part that shows a figure of the JSON contract
(render/records.py) carries its key and value, so the HTML report can mark it up for
machines and a test can check it against `status --format json`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from prosperity_cli.assessment import Assessment, Filters
from prosperity_cli.compare import Comparison
from prosperity_cli.model import Indicator, Observation, Plan, Target
from prosperity_cli.progress import TargetFigures
from prosperity_cli.provenance import origin
from prosperity_cli.render.cells import (
    NO_VALUE,
    indicator_cells,
    percent,
    target_cells,
    trend_text,
)
from prosperity_cli.render.records import indicator_record, target_record
from prosperity_cli.tracked import IndicatorFigures, Trend
from prosperity_cli.units import format_change, format_value


@dataclass(frozen=True, slots=True)
class Part:
    """A piece of a row's text; `key` names the JSON-contract figure it shows, if any."""

    text: str
    key: str | None = None
    value: Any = None


@dataclass(frozen=True, slots=True)
class Row:
    label: str
    parts: tuple[Part, ...]

    @property
    def text(self) -> str:
        return "".join(part.text for part in self.parts)


@dataclass(frozen=True, slots=True)
class Pictures:
    """What stands for each chart in a report (inline SVG, or a link to a file), by ID."""

    targets: Mapping[str, str]
    indicators: Mapping[str, str]
    #: One chart per measure, every region on one axis.
    measures: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Report:
    """Everything a report renderer needs."""

    assessment: Assessment
    filters: Filters
    registry_name: str
    pictures: Pictures
    #: The measures compared region by region (compare.py), each in a section.
    comparisons: tuple[Comparison, ...] = ()


def _figure(record: Mapping[str, Any], key: str, text: str) -> Part:
    return Part(text, key, record[key])


def _rate(rate: float | None, unit: str) -> str:
    return NO_VALUE if rate is None else f"{format_change(rate, unit)}/yr"


def target_rows(assessment: Assessment, figures: TargetFigures) -> list[Row]:
    """Every figure of a target, each row in words, with its JSON-contract values."""
    record = target_record(assessment, figures)
    cells = target_cells(assessment, figures)
    unit = assessment.registry.indicators[figures.target.indicator].unit
    projection, pace = figures.projection, figures.pace
    latest = _figure(record, "latest", cells.latest)
    base = figures.baseline
    baseline_text = (
        f"{format_value(base.value, unit)} ({base.period})"
        if base
        else (f"{figures.target.baseline} not yet known" if figures.target.baseline else "none set")
    )
    pace_text = NO_VALUE if pace is None else f"{pace.ratio:.2f}"
    if pace is None:
        reached = NO_VALUE if projection.reached_by is None else str(projection.reached_by)
    else:
        reached = str(projection.reached_by or "never at the observed pace")
    expected = projection.expected_progress
    return [
        Row("Status", (_figure(record, "status", cells.status.label),)),
        Row(
            "Latest",
            (latest, Part(f" ({cells.latest_period})" if cells.latest_period else "")),
        ),
        Row(
            "Goal",
            (
                _figure(record, "goal", figures.target.goal.symbol),
                Part(" "),
                _figure(record, "target", format_value(figures.target.value, unit)),
                Part(" by "),
                _figure(record, "deadline", cells.deadline),
                Part(" ("),
                _figure(record, "days_left", cells.when),
                Part(")"),
            ),
        ),
        Row("Baseline", (_figure(record, "baseline", baseline_text),)),
        Row("Progress", (_figure(record, "progress", cells.progress_text),)),
        Row(
            "Expected progress",
            (
                _figure(
                    record, "expected_progress", NO_VALUE if expected is None else percent(expected)
                ),
            ),
        ),
        Row("Gap", (_figure(record, "gap", cells.gap),)),
        Row(
            "Pace",
            (
                _figure(record, "pace_ratio", pace_text),
                Part(" ("),
                _figure(record, "method", record["method"]),
                Part(" method)"),
            ),
        ),
        Row(
            "Short term",
            (_figure(record, "short_term", _short_term_text(figures)),),
        ),
        Row(
            "Needed from now",
            (
                _figure(record, "required_rate", _rate(projection.required_rate, unit)),
                Part(" from the latest value to the deadline"),
            ),
        ),
        Row(
            "Change so far",
            (
                _figure(record, "observed_rate", _rate(projection.observed_rate, unit)),
                Part(" since the baseline"),
            ),
        ),
        Row(
            "Projected at the deadline",
            (
                _figure(
                    record,
                    "projected",
                    NO_VALUE
                    if projection.projected is None
                    else format_value(projection.projected, unit),
                ),
            ),
        ),
        Row("Goal met", (_figure(record, "reached_by", reached),)),
        Row(
            "Freshness",
            (
                _figure(record, "freshness", record["freshness"].replace("-", " ")),
                Part(", next value due "),
                _figure(record, "next_due", record["next_due"] or NO_VALUE),
            ),
        ),
        Row("Owner", (_figure(record, "owner", record["owner"] or NO_VALUE),)),
        Row("Notes", (_figure(record, "notes", cells.notes or NO_VALUE),)),
    ]


def _short_term_text(figures: TargetFigures) -> str:
    """ "0.40 since 2021: insufficient, slowing", or "—" without a short term."""
    short = figures.short_term
    if short is None:
        return NO_VALUE
    ratio = f"{short.pace.ratio:.2f} " if short.pace else ""
    said = short.klass.label if short.klass else short.note
    drift = f", {figures.momentum.value}" if figures.momentum else ""
    return f"{ratio}since {short.start.period}: {said}{drift}"


def _trend_text(trend: Trend | None) -> str:
    return NO_VALUE if trend is None else trend_text(trend)


def indicator_rows(assessment: Assessment, figures: IndicatorFigures) -> list[Row]:
    """Every figure of a tracked indicator, each row in words, with its JSON values."""
    record = indicator_record(assessment, figures)
    cells = indicator_cells(assessment, figures)
    return [
        Row(
            "Latest",
            (
                _figure(record, "latest", cells.latest),
                Part(f" ({cells.latest_period})" if cells.latest_period else ""),
            ),
        ),
        Row("Previous", (_figure(record, "previous", cells.previous),)),
        Row("Change", (_figure(record, "change", cells.change),)),
        *(
            [
                Row(
                    "Trend",
                    (
                        _figure(record, "class", cells.klass or NO_VALUE),
                        Part(f", {cells.momentum}" if cells.momentum else ""),
                    ),
                ),
                Row("Short term", (_figure(record, "short_term", _trend_text(figures.short)),)),
                Row("Long term", (_figure(record, "long_term", _trend_text(figures.long)),)),
            ]
            if figures.desired is not None
            else []
        ),
        Row(
            "Freshness",
            (
                _figure(record, "freshness", record["freshness"].replace("-", " ")),
                Part(", next value due "),
                _figure(record, "next_due", record["next_due"] or NO_VALUE),
            ),
        ),
    ]


def filters_text(filters: Filters) -> str:
    """ "plan p, status on-track", or "" when nothing is filtered."""
    shown = [
        f"{name} {value}"
        for name, value in (
            ("plan", filters.plan),
            ("region", filters.region),
            ("status", filters.status.value if filters.status else None),
        )
        if value is not None
    ]
    return ", ".join(shown)


@dataclass(frozen=True, slots=True)
class Citation:
    """Where something comes from: the source, its sentence verbatim, and any reading made."""

    label: str
    source: str | None
    quote: str | None
    note: str | None = None
    #: Publisher, date, grade and place in the source (provenance.origin).
    origin: str | None = None
    url: str | None = None
    derived: bool = False


def _citation(label: str, entry: Plan | Indicator | Target | Observation) -> Citation:
    return Citation(
        label,
        entry.source,
        entry.quote,
        entry.note,
        origin(entry),
        entry.url,
        getattr(entry, "derived", False) is True,
    )


def _cited(citations: list[Citation]) -> list[Citation]:
    """The citations that say something, each source, quote and address given once only."""
    seen: set[str] = set()
    kept = []
    for c in citations:
        source = None if c.source in seen else c.source
        quote = None if c.quote in seen else c.quote
        url = None if c.url in seen else c.url
        said = source or c.origin
        seen.update(text for text in (c.source, c.quote, c.url) if text)
        if said or quote or c.note or url:
            kept.append(replace(c, source=source, quote=quote, url=url))
    return kept


def _latest_citation(latest: Observation | None) -> list[Citation]:
    if latest is None:
        return []
    return [_citation(f"Latest value ({latest.period})", latest)]


def target_citations(figures: TargetFigures) -> list[Citation]:
    """The target's source and quote, then its latest value's."""
    return _cited([_citation("Target", figures.target), *_latest_citation(figures.latest)])


def indicator_citations(indicator: Indicator, latest: Observation | None) -> list[Citation]:
    """The indicator's source and quote, then its latest value's."""
    return _cited([_citation("Indicator", indicator), *_latest_citation(latest)])


def plan_citations(plan: Plan) -> list[Citation]:
    return _cited([_citation("Plan", plan)])
