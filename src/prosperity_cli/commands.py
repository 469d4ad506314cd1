"""What `status` and `check` do once their options are parsed, free of Typer: the Typer
commands (cli_read.py) and the fast path (fast_path.py) run this same code, so the two
ways in cannot drift apart. Each parses its options' values, calls the core and renders.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from prosperity_cli.option_values import as_of_date, choice, filters, load

if TYPE_CHECKING:
    from prosperity_cli.assessment import Assessment
    from prosperity_cli.cache import RegistryFile
    from prosperity_cli.checks import Finding
    from prosperity_cli.render import OutputFormat
    from prosperity_cli.render.findings import CheckFormat
    from prosperity_cli.rollup import GroupBy


def status(
    registry: Path | None = None,
    as_of: str | None = None,
    plan: str | None = None,
    region: str | None = None,
    status_filter: str | None = None,
    format_name: str = "table",
    by: str | None = None,
) -> int:
    """`prosperity status`: every target's figures, or with `by` one summary per group."""
    from prosperity_cli.assessment import assess
    from prosperity_cli.render import OutputFormat

    output = choice(OutputFormat, format_name, "an output format")
    grouping = None
    if by is not None:
        from prosperity_cli.rollup import GroupBy

        grouping = choice(GroupBy, by, "a grouping", "--by")
    when = as_of_date(as_of)
    loaded = load(registry)
    assessment = assess(loaded, when, filters(loaded, plan, region, status_filter))
    if grouping is not None:
        _write_rollup(assessment, grouping, output)
    elif output is OutputFormat.TABLE:
        from rich.console import Console

        from prosperity_cli.render import table

        table.write(assessment, Console())
    else:
        sys.stdout.write(_render_text(assessment, output))
    return 0


def _write_rollup(assessment: Assessment, by: GroupBy, output: OutputFormat) -> None:
    from prosperity_cli.render import OutputFormat, summary

    if output is OutputFormat.TABLE:
        from rich.console import Console

        Console().print(summary.renderable(assessment, by))
        return
    render = {
        OutputFormat.JSON: summary.render_json,
        OutputFormat.CSV: summary.render_csv,
        OutputFormat.MARKDOWN: summary.render_markdown,
    }[output]
    sys.stdout.write(render(assessment, by))


def _render_text(assessment: Assessment, output: OutputFormat) -> str:
    """`status` as JSON, CSV or Markdown text (render/FORMATS names each format's module)."""
    import importlib

    from prosperity_cli.render import FORMATS

    module = importlib.import_module(f"prosperity_cli.render.{FORMATS[output]}")
    text: str = module.render(assessment)
    return text


def check(
    registry: Path | None = None,
    as_of: str | None = None,
    strict: bool = False,
    output: str = "text",
) -> int:
    """`prosperity check`, the CI gate: its report on stdout, and its exit code."""
    from prosperity_cli import cache
    from prosperity_cli.registry_file import find_registry
    from prosperity_cli.render.findings import CheckFormat

    fmt = choice(CheckFormat, output, "a check format")
    when = as_of_date(as_of)
    # The gate is computed on every run, never replayed from the output cache: a cache
    # restored from another branch or edited by hand cannot pass stale data (docs/ci.md).
    file = cache.read_file(find_registry(registry))
    stdout, code = _check_output(file, when, strict, fmt)
    sys.stdout.write(stdout)
    return code


def _check_output(
    file: RegistryFile, when: date, strict: bool, fmt: CheckFormat
) -> tuple[str, int]:
    """What `check` prints, and its exit code."""
    from prosperity_cli import cache, store
    from prosperity_cli.checks import check as find
    from prosperity_cli.errors import EXIT_FINDINGS, EXIT_INVALID, EXIT_OK, RegistryInvalid
    from prosperity_cli.line_index import LineIndex
    from prosperity_cli.render.findings import RENDERERS, CheckFormat, CheckReport, invalid_findings

    path = _annotated_path(file.path) if fmt is CheckFormat.GITHUB else str(file.path)
    try:
        loaded = cache.registry_of(file)
    except RegistryInvalid as invalid:
        findings, lines = invalid_findings(invalid.problems)
        report = CheckReport(path, when, findings, lines, strict)
        return RENDERERS[fmt](report), EXIT_INVALID
    leftovers = [p.name for p in store.temp_files(file.path)]
    findings = find(loaded, when, leftovers)
    paths = [_path_of(f) for f in findings]
    index = LineIndex(file.text(), wanted={p for p in paths if p}) if findings else None
    lines = [index.line_of(p) if index and p else None for p in paths]
    report = CheckReport(path, when, findings, lines, strict)
    return RENDERERS[fmt](report), EXIT_OK if report.ok else EXIT_FINDINGS


def _path_of(finding: Finding) -> tuple[str | int, ...]:
    """Where in the registry a finding points: its observation, target or indicator."""
    if finding.observation is not None:
        return ("observations", finding.observation)
    if finding.target:
        return ("targets", finding.target)
    return ("indicators", finding.indicator) if finding.indicator else ()


def _annotated_path(path: Path) -> str:
    """The registry as GitHub names files in a pull request: relative to the repository's
    root (the nearest folder above it with a .git), else to the working directory, else as
    given."""
    import os

    real = Path(os.path.realpath(path))
    for folder in real.parents:
        if (folder / ".git").exists():
            return real.relative_to(folder).as_posix()
    try:
        return real.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)
