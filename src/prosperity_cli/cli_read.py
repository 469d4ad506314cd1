"""The commands that read a registry: status, check, show, report, schema. Each parses its
options, calls the core and renders; nothing else happens here. What `status` and `check`
do is in commands.py, which the fast path (fast_path.py) runs too."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from prosperity_cli import commands, completion
from prosperity_cli.cli_options import (
    EPILOG,
    AsOfOption,
    PlanOption,
    RegionOption,
    RegistryOption,
    StatusOption,
    app,
    guarded,
)
from prosperity_cli.errors import UsageError
from prosperity_cli.option_values import as_of_date, choice, filters, load
from prosperity_cli.render.report import ReportFormat


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
    commands.status(registry, as_of, plan, region, status_filter, format_name, by)


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
    raise typer.Exit(commands.check(registry, as_of, strict, output))


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
