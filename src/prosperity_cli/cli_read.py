"""The commands that read a registry: status, check, show, report, schema. Each parses its
options, calls the core and renders; nothing else happens here."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from prosperity_cli import completion
from prosperity_cli.cli_options import (
    EPILOG,
    AsOfOption,
    PlanOption,
    RegionOption,
    RegistryOption,
    StatusOption,
    app,
    as_of_date,
    choice,
    filters,
    guarded,
    load,
)
from prosperity_cli.errors import EXIT_INVALID, UsageError
from prosperity_cli.render import OutputFormat
from prosperity_cli.render.report import ReportFormat

if TYPE_CHECKING:
    from rich.console import Console

    from prosperity_cli.assessment import Assessment
    from prosperity_cli.cache import RegistryFile
    from prosperity_cli.checks import Finding
    from prosperity_cli.render.findings import CheckFormat
    from prosperity_cli.rollup import GroupBy


@app.command()
@guarded
def status(
    registry: RegistryOption = None,
    as_of: AsOfOption = None,
    plan: PlanOption = None,
    region: RegionOption = None,
    status_filter: StatusOption = None,
    format_name: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="table (for people, the default), json (the documented contract for "
            "scripts), csv or markdown.",
            show_default=False,
        ),
    ] = "table",
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            metavar="GROUP",
            help="Instead of every target, one summary: the statuses counted per plan, "
            "region, owner or tag, worst first.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Progress, gap, pace and deadline of every target, grouped by plan."""
    from prosperity_cli.assessment import assess
    from prosperity_cli.rollup import GroupBy

    output = choice(OutputFormat, format_name, "an output format")
    grouping = None if by is None else choice(GroupBy, by, "a grouping", "--by")
    when = as_of_date(as_of)
    loaded = load(registry)
    assessment = assess(loaded, when, filters(loaded, plan, region, status_filter))
    if grouping is not None:
        _write_rollup(assessment, grouping, output)
        return
    if output is OutputFormat.TABLE:
        from prosperity_cli.render import table

        table.write(assessment, console())
        return
    sys.stdout.write(render_text(assessment, output))


def _write_rollup(assessment: Assessment, by: GroupBy, output: OutputFormat) -> None:
    from prosperity_cli.render import summary

    if output is OutputFormat.TABLE:
        console().print(summary.renderable(assessment, by))
        return
    render = {
        OutputFormat.JSON: summary.render_json,
        OutputFormat.CSV: summary.render_csv,
        OutputFormat.MARKDOWN: summary.render_markdown,
    }[output]
    sys.stdout.write(render(assessment, by))


def console() -> Console:
    from rich.console import Console

    return Console()


def render_text(assessment: Assessment, output: OutputFormat) -> str:
    """`status` as JSON, CSV or Markdown text (render/FORMATS names each format's module)."""
    import importlib

    from prosperity_cli.render import FORMATS

    module = importlib.import_module(f"prosperity_cli.render.{FORMATS[output]}")
    text: str = module.render(assessment)
    return text


@app.command(epilog=EPILOG)
@guarded
def check(
    registry: RegistryOption = None,
    as_of: AsOfOption = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Fail (exit 1) on warnings too, not only errors.")
    ] = False,
    output: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="text (for people, the default), json (for scripts) or github (workflow "
            "commands that annotate the registry's lines on a pull request).",
            show_default=False,
        ),
    ] = "text",
) -> None:
    """The CI gate: validate the registry and the freshness of every indicator.

    Exit 0 when there is no error (warnings allowed), 1 when data are stale (or, with
    --strict, on any warning), 2 when the registry is invalid or the command misused.
    """
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
    raise typer.Exit(code)


def _check_output(
    file: RegistryFile, when: date, strict: bool, fmt: CheckFormat
) -> tuple[str, int]:
    """What `check` prints, and its exit code."""
    from prosperity_cli import cache, store
    from prosperity_cli.checks import check as find
    from prosperity_cli.errors import EXIT_FINDINGS, EXIT_OK, RegistryInvalid
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


@app.command()
@guarded
def show(
    ident: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help="A target ID or an indicator ID.",
            autocompletion=completion.targets_and_indicators,
        ),
    ],
    registry: RegistryOption = None,
    as_of: AsOfOption = None,
    no_chart: Annotated[
        bool,
        typer.Option(
            "--no-chart",
            help="Leave out the chart (drawn with plotext when installed: "
            "pip install 'prosperity-cli[chart]').",
        ),
    ] = False,
    every_observation: Annotated[
        bool,
        typer.Option("--all", help="List every journal entry, not only the 40 most recent."),
    ] = False,
) -> None:
    """One target or indicator in full: definition, source quote, observations, figures,
    and a chart of the observations, the path to the target and the projection."""
    from rich.console import Console

    from prosperity_cli.render.show import write_show

    when = as_of_date(as_of)
    loaded = load(registry)
    if ident not in loaded.targets and ident not in loaded.indicators:
        from prosperity_cli.suggestions import did_you_mean

        known = (*loaded.targets, *loaded.indicators)
        hint = did_you_mean(ident, known) or "run `prosperity status` to see the IDs"
        raise UsageError(f"no target or indicator {ident!r} — {hint}")
    write_show(
        loaded, ident, when, Console(), with_chart=not no_chart, every_observation=every_observation
    )


@app.command()
@guarded
def report(
    registry: RegistryOption = None,
    as_of: AsOfOption = None,
    plan: PlanOption = None,
    region: RegionOption = None,
    status_filter: StatusOption = None,
    format_name: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="html (the default): one self-contained page (inline CSS and SVG charts, "
            "no script); markdown: a .md file and its charts as SVG files in a folder "
            "beside it.",
            show_default=False,
        ),
    ] = "html",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="PATH",
            help="File to write. Default: report.html or report.md in the current folder.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """A report to read offline or send: every plan and target with its figures, status
    colour, source quote and chart, and the tracked indicators.
    """
    output_format = choice(ReportFormat, format_name, "a report format")
    from prosperity_cli.assessment import assess
    from prosperity_cli.cache import load as load_registry
    from prosperity_cli.registry_file import find_registry
    from prosperity_cli.render.report import build, default_output

    when = as_of_date(as_of)
    path = find_registry(registry)
    loaded = load_registry(path)
    chosen = filters(loaded, plan, region, status_filter)
    target = output or default_output(output_format)
    files = build(assess(loaded, when, chosen), chosen, output_format, target, path.name)
    _write_report(files, path)
    charts = len(files) - 1
    typer.echo(f"wrote {target}" + (f" and {charts} SVG file(s) beside it" if charts else ""))


def _write_report(files: dict[Path, str], registry: Path) -> None:
    """Write every file of a report; refuse, before writing anything, to replace the registry."""
    import os

    for path in files:
        if path.exists() and os.path.samefile(path, registry):
            raise UsageError(f"{path} is the registry itself; choose another --output")
        if path.is_dir():
            raise UsageError(f"{path} is a folder; give a file name with --output")
    from prosperity_cli.cache import write_atomically

    for path, text in files.items():
        try:
            # A temporary file renamed over the old one: a full disk or a kill leaves the
            # previous report whole.
            write_atomically(path, text.encode("utf-8"))
        except OSError as exc:
            raise UsageError(f"{path}: cannot write ({exc.strerror}) — check the path") from None


@app.command()
@guarded
def schema() -> None:
    """Print the JSON Schema of the registry format, for editors and validators.

    Editors that use taplo (VS Code's Even Better TOML, Helix, Zed) read it through a
    .taplo.toml or a `#:schema` comment at the top of the file: completion, hover text and
    errors while you type. It checks each entry on its own; `prosperity check` also checks
    references, baselines and duplicates."""
    from importlib.resources import files

    sys.stdout.write(files("prosperity_cli").joinpath("registry.schema.json").read_text("utf-8"))
