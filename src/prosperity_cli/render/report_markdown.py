"""`prosperity report --format markdown`: the HTML report's content as GitHub Markdown.

Charts are SVG files beside the Markdown file (render/report.py writes them); here they
are image links. A coloured circle stands for the status colour, beside its name.
"""

from __future__ import annotations

from prosperity_cli import __version__
from prosperity_cli.compare import Comparison
from prosperity_cli.model import Plan
from prosperity_cli.progress import Status, TargetFigures
from prosperity_cli.render import escape
from prosperity_cli.render.cells import percent, summary_line, target_cells
from prosperity_cli.render.report_content import (
    Citation,
    Report,
    Row,
    filters_text,
    indicator_citations,
    indicator_rows,
    plan_citations,
    target_citations,
    target_rows,
)
from prosperity_cli.render.summary import text_bar
from prosperity_cli.rollup import GroupBy, rollup, rollups
from prosperity_cli.tracked import IndicatorFigures

STATUS_MARK = {
    Status.ACHIEVED: "🟢",
    Status.ON_TRACK: "🟢",
    Status.MODERATE: "🟡",
    Status.INSUFFICIENT: "🟠",
    Status.MOVING_AWAY: "🔴",
    Status.PENDING: "🔵",
    Status.MISSED: "🔴",
    Status.INSUFFICIENT_DATA: "⚪",
    Status.NO_BASELINE: "⚪",
    Status.NO_DATA: "⚪",
}


def text(value: str) -> str:
    """A registry string as literal Markdown text: HTML and Markdown syntax escaped."""
    return escape.markdown(value)


def _status(status: Status) -> str:
    return f"{STATUS_MARK[status]} **{status.label}**"


def _figures(rows: list[Row]) -> list[str]:
    lines = ["| Figure | Value |", "|---|---|"]
    lines += [f"| {text(row.label)} | {text(row.text)} |" for row in rows]
    return [*lines, ""]


def _citations(citations: list[Citation]) -> list[str]:
    lines: list[str] = []
    for c in citations:
        lines.append(
            f"**{text(c.label)} source:** {text(c.source)}" if c.source else f"**{text(c.label)}:**"
        )
        lines.append("")
        if c.origin:
            lines += [text(c.origin), ""]
        if c.url:
            lines += [f"Address: {text(c.url)}", ""]
        if c.quote:
            lines += [f"> {text(c.quote)}", ""]
        if c.derived:
            lines += ["*Derived:* computed from published figures.", ""]
        if c.note:
            lines += [f"*Note:* {text(c.note)}", ""]
    return lines


def _chart(link: str | None, label: str, missing: str) -> list[str]:
    if link is None:
        return [f"*{text(missing)}*", ""]
    return [f"![{text(label)}]({link})", ""]


def _target(report: Report, figures: TargetFigures) -> list[str]:
    assessment = report.assessment
    target = figures.target
    cells = target_cells(assessment, figures)
    region = f" — {text(cells.region)}" if cells.region else ""
    return [
        f"### {text(cells.name)}{region} (`{target.id}`)",
        "",
        _status(figures.status),
        "",
        *_figures(target_rows(assessment, figures)),
        *_chart(
            report.pictures.targets.get(target.id),
            f"Chart of {cells.name}: observations, straight path to the target, projection",
            f"No chart: no observation of {target.indicator} known on {assessment.as_of}.",
        ),
        *_citations(target_citations(figures)),
    ]


def _indicator(report: Report, figures: IndicatorFigures) -> list[str]:
    assessment = report.assessment
    indicator = assessment.registry.indicators[figures.indicator_id]
    region = f" — {text(indicator.region)}" if indicator.region else ""
    return [
        f"### {text(indicator.name)}{region} (`{indicator.id}`)",
        "",
        *_figures(indicator_rows(assessment, figures)),
        *_chart(
            report.pictures.indicators.get(indicator.id),
            f"Chart of {indicator.name}: observations",
            f"No chart: fewer than two observations known on {assessment.as_of}.",
        ),
        *_citations(indicator_citations(indicator, figures.latest)),
    ]


def _plan(plan: Plan) -> list[str]:
    facts = [
        fact for fact in (plan.region, plan.published and f"published {plan.published}") if fact
    ]
    lines = [f"## {text(plan.title)}", ""]
    if facts:
        lines += [text(" · ".join(facts)), ""]
    return lines + _citations(plan_citations(plan))


def _overview(report: Report) -> list[str]:
    if not report.assessment.targets:
        return ["No target matches.", ""]
    lines = [
        "| Target | Status | Progress | Latest | Goal | Deadline |",
        "|---|---|---|---|---|---|",
    ]
    for figures in report.assessment.targets:
        c = target_cells(report.assessment, figures)
        name = f"{c.name} — {c.region}" if c.region else c.name
        latest = f"{c.latest} ({c.latest_period})" if c.latest_period else c.latest
        lines.append(
            f"| {text(name)} | {_status(figures.status)} | {text(c.progress_text)} | "
            f"{text(latest)} | {text(c.goal)} | {c.deadline} |"
        )
    return [*lines, ""]


def _rollup(report: Report, by: GroupBy) -> list[str]:
    lines = [
        f"## Targets by {by.value}, worst first",
        "",
        f"| {by.value.capitalize()} | Targets | On track | Statuses | Counts |",
        "|---|---|---|---|---|",
    ]
    for group in rollup(report.assessment, by):
        said = ", ".join(f"{n} {s.label}" for s, n in group.counts.items())
        share = group.on_track_share
        lines.append(
            f"| {text(group.label)} | {group.total} | {'—' if share is None else percent(share)}"
            f" | `{text_bar(group)}` | {text(said)} |"
        )
    return [*lines, "", "On track: achieved or on track, of the targets with a verdict.", ""]


def _comparison(report: Report, comparison: Comparison) -> list[str]:
    from prosperity_cli.render.compare import markdown_lines

    lines = markdown_lines(comparison, heading="###")
    link = report.pictures.measures.get(comparison.measure)
    if link is not None:
        alt = f"Chart of {comparison.measure}: every region's values"
        lines[2:2] = [f"![{text(alt)}]({link})", ""]
    return [*lines, ""]


def render(report: Report) -> str:
    """The whole report as one Markdown document linking its chart files."""
    assessment = report.assessment
    meta = f"As of {assessment.as_of} · registry {text(report.registry_name)}"
    filtered = filters_text(report.filters)
    if filtered:
        meta += f" · only {text(filtered)}"
    lines = [
        "# Prosperity report",
        "",
        meta,
        "",
        f"**{text(summary_line(assessment.counts()))}**",
        "",
        *_overview(report),
    ]
    for by in rollups(assessment):
        lines += _rollup(report, by)
    registry = assessment.registry
    for plan_id in dict.fromkeys(f.target.plan for f in assessment.targets):
        lines += _plan(registry.plans[plan_id])
        for figures in assessment.targets:
            if figures.target.plan == plan_id:
                lines += _target(report, figures)
    if assessment.tracked:
        lines += ["## Tracked indicators (no target yet)", ""]
        for tracked in assessment.tracked:
            lines += _indicator(report, tracked)
    if report.comparisons:
        lines += ["## Regions side by side", ""]
        for comparison in report.comparisons:
            lines += _comparison(report, comparison)
    lines.append(
        f"*Made with prosperity {__version__} from {text(report.registry_name)}, as of "
        f"{assessment.as_of}. Progress, gap, pace and projections are computed as "
        "docs/methodology.md describes.*"
    )
    return "\n".join(lines) + "\n"
