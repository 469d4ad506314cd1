"""`prosperity report`: which files a report is made of, and what each one holds.

HTML is one file with its charts inline; Markdown is a file plus one SVG per chart in a
folder beside it (`report.md` → `report-charts/ID.svg`). Nothing is written here: the
CLI writes the files this returns.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

if TYPE_CHECKING:
    from prosperity_cli.assessment import Assessment, Filters
    from prosperity_cli.chart import Chart
    from prosperity_cli.compare import Comparison

# The CLI imports this module for ReportFormat when it starts, so the renderers are
# imported inside the functions that use them.


class ReportFormat(StrEnum):
    HTML = "html"
    MARKDOWN = "markdown"


SUFFIX = {ReportFormat.HTML: ".html", ReportFormat.MARKDOWN: ".md"}


def default_output(fmt: ReportFormat) -> Path:
    """report.html or report.md, in the current folder."""
    return Path("report" + SUFFIX[fmt])


def chart_folder(output: Path) -> Path:
    """Where a Markdown report's chart files go: `report.md` → `report-charts/`."""
    return output.with_name(f"{output.stem}-charts")


#: In place of a chart whose values cannot be laid out (near the largest float, where the
#: axis arithmetic overflows): the report says so where the chart would be.
UNDRAWABLE_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="640" height="40" viewBox="0 0 640 40">'
    '<text x="8" y="24" font-family="sans-serif" font-size="14">'
    "No chart: its values are too large to draw.</text></svg>\n"
)

#: From this many charts on, a terminal shows a progress bar while they are drawn.
PROGRESS_FROM = 200


def _svgs(charts: dict[str, Chart]) -> dict[str, str]:
    """Each chart as SVG, in the order given, with a progress bar on a terminal."""
    from prosperity_cli.render import chart_svg
    from prosperity_cli.render.progress_bar import progress

    drawn: dict[str, str] = {}
    with progress("Drawing charts", len(charts), PROGRESS_FROM) as advance:
        for ident, chart in charts.items():
            try:
                drawn[ident] = chart_svg.render(chart)
            except (ValueError, OverflowError):
                drawn[ident] = UNDRAWABLE_SVG
            advance(1)
    return drawn


def _measure_svgs(comparisons: tuple[Comparison, ...], assessment: Assessment) -> dict[str, str]:
    from prosperity_cli.measure_chart import measure_chart, worth_drawing
    from prosperity_cli.render import chart_svg

    drawn = {}
    for comparison in comparisons:
        chart = measure_chart(comparison, assessment.series)
        if not worth_drawing(chart):
            continue
        try:
            drawn[comparison.measure] = chart_svg.render_measure(chart)
        except (ValueError, OverflowError):
            drawn[comparison.measure] = UNDRAWABLE_SVG
    return drawn


def _comparisons(assessment: Assessment, filters: Filters) -> tuple[Comparison, ...]:
    """The measures a report compares: all of them, or with a filter, those with a region
    whose indicator the report shows."""
    from prosperity_cli.compare import comparisons

    shown = None
    if filters.plan or filters.region or filters.status:
        shown = frozenset(
            [f.target.indicator for f in assessment.targets]
            + [f.indicator_id for f in assessment.tracked]
        )
    return comparisons(
        assessment.registry, assessment.series, assessment.targets, assessment.as_of, shown
    )


def build(
    assessment: Assessment, filters: Filters, fmt: ReportFormat, output: Path, registry_name: str
) -> dict[Path, str]:
    """Every file of the report (path → text), the report itself last."""
    from prosperity_cli.chart import report_charts
    from prosperity_cli.render import report_html, report_markdown
    from prosperity_cli.render.report_content import Pictures, Report

    charts = report_charts(assessment)
    targets, indicators = _svgs(charts.targets), _svgs(charts.indicators)
    compared = _comparisons(assessment, filters)
    measures = _measure_svgs(compared, assessment)
    if fmt is ReportFormat.HTML:
        pictures = Pictures(targets, indicators, measures)
        report = Report(assessment, filters, registry_name, pictures, compared)
        return {output: report_html.render(report)}
    folder = chart_folder(output)
    files: dict[Path, str] = {}

    def link(name: str, svg: str) -> str:
        files[folder / f"{name}.svg"] = svg
        return f"{quote(folder.name)}/{name}.svg"

    target_links = {ident: link(ident, svg) for ident, svg in targets.items()}
    # A tracked indicator may share its ID with a target: keep both files.
    indicator_links = {
        ident: link(f"indicator-{ident}" if ident in targets else ident, svg)
        for ident, svg in indicators.items()
    }
    measure_links = {m: link(f"measure-{m}", svg) for m, svg in measures.items()}
    pictures = Pictures(target_links, indicator_links, measure_links)
    report = Report(assessment, filters, registry_name, pictures, compared)
    files[output] = report_markdown.render(report)
    return files
