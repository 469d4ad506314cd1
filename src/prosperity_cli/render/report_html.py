"""`prosperity report --format html`: one self-contained page, no script, no network.

CSS and SVG charts are inline. Every string from the registry is escaped. Each figure of
the JSON contract is a `<data data-key="KEY" value="JSON">` element inside the target's
`<article data-id="ID">`, so scripts (and the tests) can read the numbers back.
"""

from __future__ import annotations

import json
from typing import Any

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
from prosperity_cli.rollup import GroupBy, rollup, rollups
from prosperity_cli.tracked import IndicatorFigures

#: Background and text colour of each status; the label always says it in words too.
STATUS_COLOURS = {
    Status.ACHIEVED: ("#166534", "#ffffff"),
    Status.ON_TRACK: ("#15803d", "#ffffff"),
    Status.MODERATE: ("#facc15", "#1f2937"),
    Status.INSUFFICIENT: ("#ea580c", "#ffffff"),
    Status.MOVING_AWAY: ("#b91c1c", "#ffffff"),
    Status.PENDING: ("#0e7490", "#ffffff"),
    Status.MISSED: ("#7f1d1d", "#ffffff"),
    Status.INSUFFICIENT_DATA: ("#d1d5db", "#1f2937"),
    Status.NO_BASELINE: ("#d1d5db", "#1f2937"),
    Status.NO_DATA: ("#e5e7eb", "#1f2937"),
}

BASE_CSS = """
:root { color-scheme: light; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
  color: #1f2937; background: #f9fafb; margin: 0; }
header, main, footer { max-width: 60rem; margin: 0 auto; padding: 0 1rem; }
header { padding-top: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .5rem; border-bottom: 2px solid #d1d5db; }
h3 { font-size: 1.05rem; margin: 0 0 .5rem; }
.meta, .plan-meta, .region, .id { color: #4b5563; }
.id { font-size: .85em; font-weight: normal; }
article { background: #fff; border: 1px solid #e5e7eb; border-left-width: 6px;
  border-radius: 4px; padding: .9rem 1rem; margin: 1rem 0; }
.status { display: inline-block; border-radius: 3px; padding: 0 .45em; font-weight: 600;
  font-size: .9em; white-space: nowrap; }
table { border-collapse: collapse; }
table.figures { margin: .25rem 0 .75rem; }
table.figures th { text-align: left; font-weight: 600; padding: .1rem 1rem .1rem 0;
  vertical-align: top; white-space: nowrap; }
table.figures td { padding: .1rem 0; }
table.overview { width: 100%; margin: 1rem 0; font-size: .92em; }
table.overview th, table.overview td { text-align: left; padding: .25rem .5rem;
  border-bottom: 1px solid #e5e7eb; vertical-align: top; }
td.nowrap { white-space: nowrap; }
.bar { display: flex; width: 12rem; height: .9rem; border: 1px solid #d1d5db; }
.bar span { display: block; height: 100%; }
figure.chart { margin: .5rem 0; }
figure.chart svg { width: 100%; height: auto; max-width: 48rem; }
figure.chart figcaption, .no-chart { color: #4b5563; font-size: .85em; }
blockquote { margin: .25rem 0 .75rem; padding: .25rem .75rem; border-left: 3px solid #d1d5db;
  color: #374151; background: #f3f4f6; }
.citation p { margin: .25rem 0; font-size: .9em; }
footer { color: #6b7280; font-size: .85em; padding-bottom: 2rem; }
@media print { body { background: #fff; } article { break-inside: avoid; } }
"""


def _status_css() -> str:
    rules = []
    for status, (background, text) in STATUS_COLOURS.items():
        name = status.value
        rules.append(f".status.status-{name} {{ background: {background}; color: {text}; }}")
        rules.append(f"article.status-{name} {{ border-left-color: {background}; }}")
    return "\n".join(rules)


def _e(text: str) -> str:
    return escape.html(text)


def _status(status: Status) -> str:
    return f'<span class="status status-{status.value}">{_e(status.label)}</span>'


def _value(value: Any) -> str:
    return _e(json.dumps(value, ensure_ascii=False))


def _row(row: Row) -> str:
    cells = "".join(
        f'<data data-key="{_e(part.key)}" value="{_value(part.value)}">{_e(part.text)}</data>'
        if part.key
        else _e(part.text)
        for part in row.parts
    )
    return f'<tr><th scope="row">{_e(row.label)}</th><td>{cells}</td></tr>'


def _figures(rows: list[Row]) -> str:
    return '<table class="figures">' + "".join(_row(r) for r in rows) + "</table>"


def _citations(citations: list[Citation]) -> str:
    parts = []
    for c in citations:
        parts.append('<div class="citation">')
        if c.source:
            parts.append(f"<p><strong>{_e(c.label)} source:</strong> {_e(c.source)}</p>")
        else:
            parts.append(f"<p><strong>{_e(c.label)}:</strong></p>")
        if c.origin:
            parts.append(f"<p>{_e(c.origin)}</p>")
        if c.url:
            # Validated as http(s) with no space or control character (registry.py).
            parts.append(
                f'<p><a href="{_e(c.url)}" rel="noopener noreferrer nofollow">{_e(c.url)}</a></p>'
            )
        if c.quote:
            parts.append(f"<blockquote>{_e(c.quote)}</blockquote>")
        if c.derived:
            parts.append("<p><strong>Derived:</strong> computed from published figures.</p>")
        if c.note:
            parts.append(f"<p><strong>Note:</strong> {_e(c.note)}</p>")
        parts.append("</div>")
    return "".join(parts)


def inline_svg(svg: str, label: str) -> str:
    """An SVG document as an element of the page: no XML prolog, labelled for readers. (The
    charts hold no element IDs, so any number of them can share a page.)"""
    start = svg.index("<svg")
    return f'<svg role="img" aria-label="{_e(label)}"' + svg[start + len("<svg") :].rstrip()


def _chart(svg: str | None, label: str, missing: str) -> str:
    if svg is None:
        return f'<p class="no-chart">{_e(missing)}</p>'
    caption = f"{label} (values at the end of each period)."
    return (
        f'<figure class="chart">{inline_svg(svg, label)}'
        f"<figcaption>{_e(caption)}</figcaption></figure>"
    )


def _target(report: Report, figures: TargetFigures) -> str:
    assessment = report.assessment
    target = figures.target
    cells = target_cells(assessment, figures)
    region = f' <span class="region">— {_e(cells.region)}</span>' if cells.region else ""
    chart = _chart(
        report.pictures.targets.get(target.id),
        f"Chart of {cells.name}: observations, straight path to the target, projection",
        f"No chart: no observation of {target.indicator} known on {assessment.as_of}.",
    )
    return (
        f'<article class="target status-{figures.status.value}" id="target-{_e(target.id)}"'
        f' data-id="{_e(target.id)}">'
        f"<h3>{_status(figures.status)} {_e(cells.name)}{region}"
        f' <span class="id">({_e(target.id)})</span></h3>'
        f"{_figures(target_rows(assessment, figures))}{chart}"
        f"{_citations(target_citations(figures))}</article>"
    )


def _indicator(report: Report, figures: IndicatorFigures) -> str:
    assessment = report.assessment
    indicator = assessment.registry.indicators[figures.indicator_id]
    region = f' <span class="region">— {_e(indicator.region)}</span>' if indicator.region else ""
    chart = _chart(
        report.pictures.indicators.get(indicator.id),
        f"Chart of {indicator.name}: observations",
        f"No chart: fewer than two observations known on {assessment.as_of}.",
    )
    return (
        f'<article class="indicator" id="indicator-{_e(indicator.id)}"'
        f' data-id="{_e(indicator.id)}">'
        f"<h3>{_e(indicator.name)}{region}"
        f' <span class="id">({_e(indicator.id)})</span></h3>'
        f"{_figures(indicator_rows(assessment, figures))}{chart}"
        f"{_citations(indicator_citations(indicator, figures.latest))}</article>"
    )


def _comparison(report: Report, comparison: Comparison) -> str:
    """A measure's regions: one chart of every series, the table, the spread, the verdict."""
    from prosperity_cli.render import compare as cells

    measure = comparison.measure
    chart = _chart(
        report.pictures.measures.get(measure),
        f"Chart of {measure}: every region's values, with their own targets",
        "No chart: fewer than two regions have a value.",
    )

    def table(header: tuple[str, ...], rows: list[list[str]]) -> str:
        head = "".join(f"<th>{_e(h)}</th>" for h in header)
        body = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in r) + "</tr>" for r in rows)
        return (
            f'<table class="overview"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
        )

    regions = table(cells.HEADER, [cells.row_cells(r, comparison) for r in comparison.rows])
    spreads = ""
    if comparison.spreads:
        rows = [cells.spread_cells(s, comparison) for s in comparison.spreads]
        spreads = "<h4>Spread across the regions reporting each period</h4>"
        spreads += table(cells.SPREAD_HEADER, rows)
    return (
        f'<article class="measure" id="measure-{_e(measure)}" data-measure="{_e(measure)}">'
        f"<h3>{_e(cells.title(comparison))}</h3>{chart}{regions}"
        f'<p class="meta">{_e(cells.caption(comparison))}</p>{spreads}'
        f'<p class="verdict">{_e(cells.verdict(comparison))}</p></article>'
    )


def _plan_header(plan: Plan) -> str:
    facts = [
        fact for fact in (plan.region, plan.published and f"published {plan.published}") if fact
    ]
    meta = f'<p class="plan-meta">{_e(" · ".join(facts))}</p>' if facts else ""
    return f"<h2>{_e(plan.title)}</h2>{meta}{_citations(plan_citations(plan))}"


def _overview(report: Report) -> str:
    rows = []
    for figures in report.assessment.targets:
        cells = target_cells(report.assessment, figures)
        name = f"{cells.name} — {cells.region}" if cells.region else cells.name
        latest = f"{cells.latest} ({cells.latest_period})" if cells.latest_period else cells.latest
        rows.append(
            f'<tr><td><a href="#target-{_e(figures.target.id)}">{_e(name)}</a></td>'
            f"<td>{_status(figures.status)}</td><td>{_e(cells.progress_text)}</td>"
            f'<td class="nowrap">{_e(latest)}</td><td>{_e(cells.goal)}</td>'
            f'<td class="nowrap">{_e(cells.deadline)}</td></tr>'
        )
    if not rows:
        return '<p class="no-targets">No target matches.</p>'
    head = (
        "<tr><th>Target</th><th>Status</th><th>Progress</th><th>Latest</th><th>Goal</th>"
        "<th>Deadline</th></tr>"
    )
    return f'<table class="overview"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'


def _rollup(report: Report, by: GroupBy) -> str:
    """One roll-up (rollup.py) as a table with a status bar per group, worst first."""
    rows = []
    for group in rollup(report.assessment, by):
        said = ", ".join(f"{n} {s.label}" for s, n in group.counts.items())
        segments = "".join(
            f'<span class="status-{s.value}" style="width:{100 * n / group.total:.4g}%;'
            f'background:{STATUS_COLOURS[s][0]}" title="{_e(f"{n} {s.label}")}"></span>'
            for s, n in group.counts.items()
        )
        share = group.on_track_share
        rows.append(
            f"<tr><td>{_e(group.label)}</td><td>{group.total}</td>"
            f"<td>{_e('—' if share is None else percent(share))}</td>"
            f'<td><div class="bar" role="img" aria-label="{_e(said)}">{segments}</div></td>'
            f"<td>{_e(said)}</td></tr>"
        )
    head = (
        f"<tr><th>{_e(by.value.capitalize())}</th><th>Targets</th><th>On track</th>"
        "<th>Statuses</th><th>Counts</th></tr>"
    )
    return (
        f'<h2 id="by-{by.value}">Targets by {by.value}, worst first</h2>'
        f'<table class="overview"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'
        '<p class="meta">On track: achieved or on track, of the targets with a verdict.</p>'
    )


def render(report: Report) -> str:
    """The whole report as one HTML document."""
    assessment = report.assessment
    as_of = assessment.as_of.isoformat()
    filtered = filters_text(report.filters)
    meta = f'As of <time datetime="{as_of}">{as_of}</time> · registry {_e(report.registry_name)}'
    if filtered:
        meta += f" · only {_e(filtered)}"
    body = [
        "<header><h1>Prosperity report</h1>",
        f'<p class="meta">{meta}</p>',
        f'<p class="summary">{_e(summary_line(assessment.counts()))}</p></header><main>',
        _overview(report),
        *(_rollup(report, by) for by in rollups(assessment)),
    ]
    registry = assessment.registry
    for plan_id in dict.fromkeys(f.target.plan for f in assessment.targets):
        body.append(f'<section class="plan" id="plan-{_e(plan_id)}">')
        body.append(_plan_header(registry.plans[plan_id]))
        body += [_target(report, f) for f in assessment.targets if f.target.plan == plan_id]
        body.append("</section>")
    if assessment.tracked:
        body.append('<section class="tracked"><h2>Tracked indicators (no target yet)</h2>')
        body += [_indicator(report, f) for f in assessment.tracked]
        body.append("</section>")
    if report.comparisons:
        body.append('<section class="measures"><h2>Regions side by side</h2>')
        body += [_comparison(report, c) for c in report.comparisons]
        body.append("</section>")
    body.append(
        f"</main><footer>Made with prosperity {_e(__version__)} from "
        f"{_e(report.registry_name)}, as of {as_of}. Progress, gap, pace and projections are "
        "computed as docs/methodology.md describes.</footer>"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="prosperity {_e(__version__)}">\n'
        f"<title>Prosperity report — as of {as_of}</title>\n"
        f"<style>{BASE_CSS}{_status_css()}\n</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )
