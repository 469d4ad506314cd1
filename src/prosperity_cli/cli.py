"""The command line: parse options, call the core, render. Nothing else lives here.

Exit codes: 0 ok; 1 findings (`check`); 2 invalid registry or wrong usage.
Heavy modules (the registry loader, Rich tables) are imported inside the commands so that
`prosperity --help` stays fast.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import sys
from collections.abc import Callable
from datetime import date
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from prosperity_cli import __version__
from prosperity_cli.errors import (
    DEBUG_ENV,
    EXIT_CLOSED_PIPE,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_INVALID,
    ProsperityError,
    UsageError,
    internal_error_line,
)
from prosperity_cli.render import OutputFormat
from prosperity_cli.render.report import ReportFormat

if TYPE_CHECKING:
    from prosperity_cli.cache import RegistryFile
    from prosperity_cli.checks import Finding
    from prosperity_cli.render.findings import CheckFormat

F = TypeVar("F", bound=Callable[..., Any])

EPILOG = (
    "Exit codes: 0 = ok; 1 = findings (check: stale data, or warnings under --strict); "
    "2 = invalid registry or wrong usage; 3 = a bug of prosperity (docs/errors.md)."
)

app = typer.Typer(
    name="prosperity",
    help="Track quantified public-policy targets: progress, gap, pace and freshness, "
    "from a plain TOML registry (targets.toml).",
    epilog=EPILOG,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
)


def guarded(command: F) -> F:
    """Turn every error into its lines on stderr and its exit code: the one place.

    A user-facing error gives its own lines and code (2); anything else is a bug of ours:
    one line saying so, exit 3, and a traceback only under PROSPERITY_DEBUG=1. Every line
    is shown literally (render.escape.line), whatever text from the registry it quotes.
    """

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from prosperity_cli.parse_errors import ClickUsage
        from prosperity_cli.render import escape

        try:
            return command(*args, **kwargs)
        except ProsperityError as error:
            for line in error.lines():
                typer.echo(escape.line(line), err=True)
            raise typer.Exit(error.exit_code) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt, BrokenPipeError, ClickUsage):
            raise
        except Exception as error:
            import os

            if os.environ.get(DEBUG_ENV) == "1":
                raise
            typer.echo(escape.line(internal_error_line(error)), err=True)
            raise typer.Exit(EXIT_INTERNAL) from None

    return wrapper  # type: ignore[return-value]


E = TypeVar("E", bound=Enum)


def _choice(kind: type[E], value: str, what: str) -> E:
    """The member of `kind` named by a --format value, or a UsageError naming the choices."""
    try:
        return kind(value.strip().lower())
    except ValueError:
        choices = ", ".join(member.value for member in kind)
        raise UsageError(f"--format {value!r} is not {what} — choose one of {choices}") from None


def parse_date(text: str | None, option: str) -> date | None:
    """The date of a --as-of or --recorded value, or a UsageError that names it."""
    if text is None:
        return None
    from prosperity_cli.periods import PeriodError, check_year

    try:
        return check_year(date.fromisoformat(text), option)
    except PeriodError as exc:
        raise UsageError(f"{exc} — give a date within them") from None
    except ValueError:
        raise UsageError(f"{option} {text!r} is not a date — write it as YYYY-MM-DD") from None


def _version(show: bool) -> None:
    if show:
        typer.echo(f"prosperity {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Track quantified public-policy targets from a plain TOML registry."""


RegistryOption = Annotated[
    Path | None,
    typer.Option(
        "--registry",
        "-r",
        help="Registry file. Default: $PROSPERITY_REGISTRY, else the nearest targets.toml "
        "in this folder or a parent.",
        show_default=False,
    ),
]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Judge everything as on this date (YYYY-MM-DD), for reproducible figures. "
        "Default: today.",
        show_default=False,
    ),
]


def _load(registry: Path | None) -> Any:
    from prosperity_cli.cache import load as load_registry
    from prosperity_cli.registry_file import find_registry

    return load_registry(find_registry(registry))


def _as_of(text: str | None) -> date:
    return parse_date(text, "--as-of") or date.today()


PlanOption = Annotated[
    str | None, typer.Option(help="Only targets of this plan (its ID).", show_default=False)
]
RegionOption = Annotated[
    str | None,
    typer.Option(help="Only targets in this region (case-insensitive).", show_default=False),
]
StatusOption = Annotated[
    str | None,
    typer.Option(
        "--status",
        help="Only targets with this status: achieved, on-track, moderate, insufficient, "
        "moving-away, pending, missed, no-baseline, no-data.",
        show_default=False,
    ),
]


def _filters(loaded: Any, plan: str | None, region: str | None, status: str | None) -> Any:
    """The --plan/--region/--status of `status` and `report`, checked against the registry."""
    from prosperity_cli.assessment import Filters
    from prosperity_cli.progress import Status

    chosen: Status | None = None
    if status is not None:
        try:
            chosen = Status(status)
        except ValueError:
            choices = ", ".join(s.value for s in Status)
            raise UsageError(f"--status {status!r}: expected one of {choices}") from None
    if plan is not None and plan not in loaded.plans:
        from prosperity_cli.suggestions import did_you_mean

        hint = did_you_mean(plan, tuple(loaded.plans)) or f"plans: {', '.join(loaded.plans)}"
        raise UsageError(f"--plan {plan!r}: no such plan — {hint}")
    if region is not None:
        regions = sorted(
            {
                r
                for r in (
                    *(i.region for i in loaded.indicators.values()),
                    *(p.region for p in loaded.plans.values()),
                )
                if r
            }
        )
        if region.casefold() not in {r.casefold() for r in regions}:
            from prosperity_cli.suggestions import did_you_mean

            known = ", ".join(regions) or "none: no entry names a region"
            hint = did_you_mean(region, regions) or f"regions: {known}"
            raise UsageError(f"--region {region!r}: no target or indicator in it — {hint}")
    return Filters(plan=plan, region=region, status=chosen)


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
) -> None:
    """Progress, gap, pace and deadline of every target, grouped by plan."""
    from prosperity_cli import cache
    from prosperity_cli.registry_file import find_registry

    output = _choice(OutputFormat, format_name, "an output format")
    when = _as_of(as_of)
    file = cache.read_file(find_registry(registry))
    console = _console() if output is OutputFormat.TABLE else None
    inputs = {
        **_source(file, when),
        "plan": plan,
        "region": region,
        "status": status_filter,
        "format": output.value,
        "terminal": _terminal(console),
    }

    def produce() -> Any:
        from prosperity_cli.assessment import assess
        from prosperity_cli.output_cache import Output

        loaded = cache.registry_of(file)
        assessment = assess(loaded, when, _filters(loaded, plan, region, status_filter))
        return Output(_rendered(assessment, output, console), 0)

    _print_output("status", inputs, produce)


def _source(file: Any, when: date) -> dict[str, Any]:
    """What every replayable output depends on: the registry (path and content) and the
    date it is judged on."""
    return {"registry": str(file.path), "content": file.hash, "as_of": when.isoformat()}


def _print_output(command: str, inputs: dict[str, Any], produce: Callable[[], Any]) -> int:
    """Print `command`'s output and return its exit code: replayed when nothing it depends
    on has changed (output_cache.py), else produced, printed and kept for next time."""
    from prosperity_cli import output_cache

    key = output_cache.output_key(command, inputs)
    output = output_cache.replay(key) if key is not None else None
    if output is not None:
        sys.stdout.write(output.stdout)
        return int(output.exit_code)
    output = produce()
    sys.stdout.write(output.stdout)
    if key is not None:
        output_cache.remember(key, output)
    return int(output.exit_code)


def _console() -> Any:
    from rich.console import Console

    return Console()


def _terminal(console: Any) -> dict[str, Any] | None:
    """Everything of the terminal that shapes a Rich table, as Rich itself resolved it (from
    the stream, COLUMNS, TERM, NO_COLOR, FORCE_COLOR, ...): part of the output's key."""
    if console is None:
        return None
    return {
        "width": console.width,
        "height": console.height,
        "color_system": console.color_system,
        "is_terminal": console.is_terminal,
        "is_dumb_terminal": console.is_dumb_terminal,
        "encoding": console.encoding,
        "legacy_windows": console.legacy_windows,
        "no_color": console.no_color,
    }


def _rendered(assessment: Any, output: OutputFormat, console: Any) -> str:
    """The whole output of `status` as text (a table exactly as Rich would print it)."""
    import importlib

    from prosperity_cli.render import FORMATS

    module = importlib.import_module(f"prosperity_cli.render.{FORMATS[output]}")
    if console is None:
        text: str = module.render(assessment)
        return text
    with console.capture() as captured:
        module.write(assessment, console)
    return str(captured.get())


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

    fmt = _choice(CheckFormat, output, "a check format")
    when = _as_of(as_of)
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
    ident: Annotated[str, typer.Argument(metavar="ID", help="A target ID or an indicator ID.")],
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

    when = _as_of(as_of)
    loaded = _load(registry)
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
            help="File to write. Default: report.html or report.md in the current folder.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """A report to read offline or send: every plan and target with its figures, status
    colour, source quote and chart, and the tracked indicators.

    The charts are drawn with matplotlib: pip install 'prosperity-cli[report]'.
    """
    from prosperity_cli.render import chart_svg

    output_format = _choice(ReportFormat, format_name, "a report format")
    try:
        chart_svg.load_matplotlib()
    except ImportError:
        raise UsageError(
            f"report draws its charts with matplotlib, which is not installed: "
            f"{chart_svg.INSTALL_HINT}"
        ) from None
    from prosperity_cli.assessment import assess
    from prosperity_cli.cache import load as load_registry
    from prosperity_cli.registry_file import find_registry
    from prosperity_cli.render.report import build, default_output

    when = _as_of(as_of)
    path = find_registry(registry)
    loaded = load_registry(path)
    filters = _filters(loaded, plan, region, status_filter)
    target = output or default_output(output_format)
    files = build(assess(loaded, when, filters), filters, output_format, target, path.name)
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


RecordedOption = Annotated[
    str | None,
    typer.Option(
        "--recorded",
        "--as-of",
        metavar="DATE",
        help="Date the values were recorded (YYYY-MM-DD), written as recorded = DATE. "
        "Default: today.",
        show_default=False,
    ),
]
DryRunOption = Annotated[
    bool,
    typer.Option("--dry-run", help="Print the blocks that would be appended; write nothing."),
]
ForceOption = Annotated[
    bool,
    typer.Option("--force", help="Accept periods that do not fit their indicator's cadence."),
]


UrlOption = Annotated[
    str | None,
    typer.Option(
        help="Address (http/https) of the page the value was read on.", show_default=False
    ),
]
PublisherOption = Annotated[
    str | None,
    typer.Option(
        help="Who published the source (a statistics bureau, a newspaper).", show_default=False
    ),
]
PublishedOption = Annotated[
    str | None,
    typer.Option(
        metavar="DATE", help="Date the source was published (YYYY-MM-DD).", show_default=False
    ),
]
LocatorOption = Annotated[
    str | None,
    typer.Option(
        help='Where in the source the value is, in your own words ("section 9, incomes").',
        show_default=False,
    ),
]
GradeOption = Annotated[
    str | None,
    typer.Option(
        help="How reliable the source is: official-statistics, official-media or secondary. "
        "Of two values for one period, the better-graded one counts.",
        show_default=False,
    ),
]


def _append(path: Path, entries_for: Any, dry_run: bool) -> Any:
    """Append (or, with --dry-run, preview) the entries; print the blocks or confirmations."""
    from prosperity_cli import store
    from prosperity_cli.new_observations import confirmation_lines

    if dry_run:
        preview = store.preview_append(path, entries_for)
        count = len(preview.entries)
        typer.echo(preview.blocks, nl=False)
        typer.echo(
            f"dry run: nothing written to {path} ({count} observation"
            f"{'' if count == 1 else 's'} would start at line {preview.lines[0]})",
            err=True,
        )
        return preview
    appended = store.append_observations(path, entries_for)
    for line in confirmation_lines(
        appended.before, appended.after, appended.entries, appended.lines, date.today()
    ):
        typer.echo(line)
    return appended


# Negative values ("-0.5") must reach VALUE instead of being read as unknown options.
@app.command("add-observation", context_settings={"ignore_unknown_options": True})
@guarded
def add_observation(
    indicator: Annotated[
        str, typer.Argument(metavar="INDICATOR", help="ID of the indicator ([indicators.ID]).")
    ],
    period: Annotated[
        str,
        typer.Argument(
            metavar="PERIOD",
            help="Period of the value: 2024, 2024-H1, 2024-Q3, 2024-09, 2024-09-30, "
            "or a span such as 2025-01/2025-09.",
        ),
    ],
    value: Annotated[
        str,
        typer.Argument(
            metavar="VALUE",
            help="The value as published: 69,987, 1.55, 9e12, -0.5; 1.7:1 or 4:3 for a ratio; "
            "50% for a percent.",
        ),
    ],
    source: Annotated[
        str | None,
        typer.Option(help="Where the value was published (title, date, url).", show_default=False),
    ] = None,
    quote: Annotated[
        str | None,
        typer.Option(
            help="The sentence of the source that states the value, verbatim.", show_default=False
        ),
    ] = None,
    note: Annotated[
        str | None,
        typer.Option(
            help='Any reading you made ("around", inferred period, ...).', show_default=False
        ),
    ] = None,
    url: UrlOption = None,
    publisher: PublisherOption = None,
    published: PublishedOption = None,
    locator: LocatorOption = None,
    grade: GradeOption = None,
    derived: Annotated[
        bool,
        typer.Option(
            "--derived",
            help="The value was computed from published figures, not stated by the source; "
            "say how in --note.",
        ),
    ] = False,
    reported: Annotated[
        bool,
        typer.Option(
            "--reported",
            help="For a derived indicator: the figure the source states, kept beside the "
            "computed values for comparison (reported = true).",
        ),
    ] = False,
    provisional: Annotated[
        bool, typer.Option("--provisional", help="Mark the value as provisional.")
    ] = False,
    revise: Annotated[
        bool,
        typer.Option(
            "--revise",
            help="Record a second value for a period that has one (a correction, a census "
            "revision, another source): the block gets revises = true.",
        ),
    ] = False,
    force: ForceOption = False,
    recorded: RecordedOption = None,
    dry_run: DryRunOption = False,
    registry: RegistryOption = None,
) -> None:
    """Append one observation to the registry, keeping every existing byte of the file."""
    from prosperity_cli.new_observations import AddOptions, ObservationText, observation_entry
    from prosperity_cli.registry_file import find_registry

    options = AddOptions(
        parse_date(recorded, "--recorded") or date.today(), revise=revise, force=force
    )
    given = ObservationText(
        indicator,
        period,
        value,
        source,
        quote,
        note,
        provisional,
        url=url,
        publisher=publisher,
        published=published,
        locator=locator,
        grade=grade,
        derived=derived,
        reported=reported,
    )
    path = find_registry(registry)
    _append(path, lambda current: [observation_entry(given, current, options)], dry_run)


@app.command("import")
@guarded
def import_csv(
    csv_file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE.csv",
            help="UTF-8 CSV (with or without BOM) whose header names the columns "
            "indicator,period,value and optionally source, url, publisher, published, "
            "locator, grade, quote, note, provisional, revises, derived, reported.",
        ),
    ],
    source: Annotated[
        str | None,
        typer.Option(
            help="Source of every row whose source cell is empty (one bulletin's rows).",
            show_default=False,
        ),
    ] = None,
    url: UrlOption = None,
    publisher: PublisherOption = None,
    published: PublishedOption = None,
    locator: LocatorOption = None,
    grade: GradeOption = None,
    revise: Annotated[
        bool,
        typer.Option(
            "--revise",
            help="Every row is a second value for its period (revises = true), unless its "
            "revises cell says otherwise.",
        ),
    ] = False,
    force: ForceOption = False,
    recorded: RecordedOption = None,
    dry_run: DryRunOption = False,
    registry: RegistryOption = None,
) -> None:
    """Append every row of a CSV file in one atomic write; one bad row and nothing is added.

    --source, --url, --publisher, --published, --locator and --grade fill the matching
    cells that a row leaves empty, so a bulletin's rows can cite it once."""
    from prosperity_cli.new_observations import (
        AddOptions,
        csv_entries,
        decode_csv,
        read_csv_rows,
        with_defaults,
    )
    from prosperity_cli.registry_file import find_registry

    options = AddOptions(
        parse_date(recorded, "--recorded") or date.today(), revise=revise, force=force
    )
    from prosperity_cli.registry_file import MAX_REGISTRY_BYTES, read_limited

    try:
        data = read_limited(csv_file, MAX_REGISTRY_BYTES)
    except IsADirectoryError:
        raise UsageError(f"{csv_file}: is a folder — pass the path of the CSV file") from None
    except OSError as exc:
        raise UsageError(f"{csv_file}: cannot read ({exc.strerror}) — check the path") from None
    if data is None:
        raise UsageError(
            f"{csv_file}: larger than {MAX_REGISTRY_BYTES // 2**20} MiB — split it into "
            "smaller files"
        )
    rows = with_defaults(
        read_csv_rows(decode_csv(data, str(csv_file)), str(csv_file)),
        {
            "source": source,
            "url": url,
            "publisher": publisher,
            "published": published,
            "locator": locator,
            "grade": grade,
        },
    )
    path = find_registry(registry)
    appended = _append(path, lambda current: csv_entries(rows, current, options), dry_run)
    if not dry_run:
        count = len(appended.entries)
        plural = "" if count == 1 else "s"
        typer.echo(f"imported {count} observation{plural} from {csv_file} into {path}")


def main() -> None:
    """Console-script entry point."""
    # A run is short and its data hold no reference cycles, while the cycle collector
    # walks every live object every few hundred allocations: with 100,000 observations
    # loaded that walk cost more than the work (decoding the cache: 1.1 s with it, 0.2 s
    # without; docs/performance.md). Reference counting still frees everything else.
    gc.disable()
    _exit_now(run(sys.argv[1:]))


def run(args: list[str]) -> int:
    """Run the command line `args` and return its exit code, holding the exit-code contract
    whatever happens: 0 ok, 1 findings, 2 usage or registry, 3 a bug of ours, 130
    interrupted, 141 a closed output pipe (docs/errors.md)."""
    from prosperity_cli.parse_errors import ClickUsage, usage_lines

    try:
        code = app(args=args, prog_name="prosperity", standalone_mode=False)
    except ClickUsage as error:  # a bad option or argument, found while parsing
        for line in usage_lines(error):
            print(line, file=sys.stderr)
        return EXIT_INVALID
    except (KeyboardInterrupt, typer.Abort):
        print("prosperity: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _silence_closed_pipe()
        return EXIT_CLOSED_PIPE
    except SystemExit as done:
        # The framework ends a run itself in one case only, even outside standalone mode:
        # a closed output pipe, as sys.exit(1), which a CI gate would read as a finding.
        return EXIT_CLOSED_PIPE if done.code == 1 else int(done.code or 0)
    except Exception as error:  # outside any command: still a bug of ours
        import os

        if os.environ.get(DEBUG_ENV) == "1":
            raise
        from prosperity_cli.render import escape

        print(escape.line(internal_error_line(error)), file=sys.stderr)
        return EXIT_INTERNAL
    return code if isinstance(code, int) else 0


def _silence_closed_pipe() -> None:
    """Point stdout at /dev/null, so that flushing what is left cannot fail again."""
    import os

    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _exit_now(code: object) -> None:
    """Flush the output and end the process without the interpreter's teardown.

    Tearing down (freeing every module and object of Typer, pydantic and Rich, with a
    last cycle collection) takes 30-70 ms on this machine, longer than most commands'
    own work (docs/performance.md); mypy ends its runs the same way. Everything a
    command writes is flushed or closed by then: files through `with` blocks, the
    writers' lock in its `finally`, and the standard streams here.
    """
    import os

    if _watched():
        raise SystemExit(code)  # let it write its results at a normal exit
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # sys.exit("message") from a library: print it; it is no finding of ours
        print(code, file=sys.stderr)
        status = EXIT_INTERNAL
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # the reader went away (a closed pipe): nothing more to say
        status = EXIT_CLOSED_PIPE if status == 0 else status
    os._exit(status)


def _watched() -> bool:
    """Is a debugger, coverage or a profiler (cProfile, pyinstrument) watching this run?
    They hook in through sys.settrace/setprofile, or from Python 3.12 sys.monitoring."""
    if sys.gettrace() is not None or sys.getprofile() is not None:
        return True
    monitoring = getattr(sys, "monitoring", None)
    return monitoring is not None and any(
        monitoring.get_tool(tool) is not None for tool in range(6)
    )
