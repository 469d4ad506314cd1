"""`prosperity report`: which files a report is made of, and what each one holds.

HTML is one file with its charts inline; Markdown is a file plus one SVG per chart in a
folder beside it (`report.md` → `report-charts/ID.svg`). Nothing is written here: the
CLI writes the files this returns. Needs matplotlib (the `report` extra) for the charts.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

if TYPE_CHECKING:
    from prosperity_cli.assessment import Assessment, Filters
    from prosperity_cli.chart import Chart
    from prosperity_cli.compare import Comparison

# The CLI imports this module for ReportFormat when it starts, so the renderers and
# matplotlib are imported inside the functions that use them.


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


#: In place of a chart matplotlib cannot lay out (values near the largest float overflow
#: its axis arithmetic): the report says so where the chart would be.
UNDRAWABLE_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="640" height="40" viewBox="0 0 640 40">'
    '<text x="8" y="24" font-family="sans-serif" font-size="14">'
    "No chart: its values are too large to draw.</text></svg>\n"
)


#: From this many charts on, they are drawn in two processes (fork is cheap once
#: matplotlib is imported; below it, starting the workers costs more than it saves).
PARALLEL_FROM = 12


#: Charts drawn per batch (one style context; one task for a worker process).
BATCH = 4


def _draw(charts: list[Chart]) -> list[str]:
    """A batch of charts as SVG; a chart matplotlib cannot lay out gets UNDRAWABLE_SVG."""
    from prosperity_cli.render import chart_svg

    try:
        return chart_svg.render_all(charts)
    except (ValueError, OverflowError):
        drawn = []
        for chart in charts:
            try:
                drawn.append(chart_svg.render(chart))
            except (ValueError, OverflowError):
                drawn.append(UNDRAWABLE_SVG)
        return drawn


def _svgs(charts: dict[str, Chart]) -> dict[str, str]:
    """Each chart as SVG, in the order given; on two cores or more and from PARALLEL_FROM
    charts, drawn by a pool of worker processes; with a progress bar on a terminal."""
    import os

    from prosperity_cli.render import chart_svg

    chart_svg.load_matplotlib()  # before forking, so that no worker imports it again
    pending = list(charts.values())
    batches = [pending[n : n + BATCH] for n in range(0, len(pending), BATCH)]
    workers = min(os.cpu_count() or 1, 2)
    drawn: list[str] = []
    with _progress(len(pending)) as advance:
        if workers < 2 or len(pending) < PARALLEL_FROM or not _can_fork():
            for batch in batches:
                drawn += _draw(batch)
                advance(len(batch))
        else:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(workers, mp_context=context) as pool:
                for svgs in pool.map(_draw, batches):
                    drawn += svgs
                    advance(len(svgs))
    return dict(zip(charts, drawn, strict=True))


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


@contextlib.contextmanager
def _progress(total: int) -> Iterator[Callable[[int], None]]:
    """A Rich progress bar on stderr for drawing `total` charts, when stderr is a terminal
    and not under CI (CI=true); otherwise nothing is shown."""
    import os
    import sys

    if total < PARALLEL_FROM or not sys.stderr.isatty() or os.environ.get("CI"):
        yield lambda done: None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("Drawing charts", total=total)
        yield lambda done: bar.advance(task, done)


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
