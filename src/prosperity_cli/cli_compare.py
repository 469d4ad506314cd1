"""`prosperity compare`: a measure's regions side by side. Parses its options, calls the core
(compare.py) and renders (render/compare.py); nothing else happens here."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from prosperity_cli import completion
from prosperity_cli.cli_options import (
    AsOfOption,
    RegistryOption,
    app,
    guarded,
)
from prosperity_cli.errors import UsageError
from prosperity_cli.option_values import as_of_date, choice, load
from prosperity_cli.render import OutputFormat

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from datetime import date

    from prosperity_cli.compare import Comparison
    from prosperity_cli.model import Indicator, Observation, Registry
    from prosperity_cli.periods import Period


@app.command()
@guarded
def compare(
    measure: Annotated[
        str | None,
        typer.Argument(
            metavar="MEASURE",
            help="A measure ID (an indicator's `measure`). Without it, the list of measures.",
            autocompletion=completion.measures,
            show_default=False,
        ),
    ] = None,
    registry: RegistryOption = None,
    as_of: AsOfOption = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="PERIOD",
            help="The first period of the span over which change, pace and the spread's "
            "direction are measured. Default: the earliest period every region reports.",
            show_default=False,
        ),
    ] = None,
    format_name: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="table (the default), json, csv or markdown.",
            show_default=False,
        ),
    ] = "table",
    spread: Annotated[
        bool,
        typer.Option("--spread", help="With --format csv: the spread per period, not the regions."),
    ] = False,
) -> None:
    """Regions side by side on one measure: latest value, change, pace, rank and own target,
    then the spread across regions and whether it is narrowing."""
    from prosperity_cli.measures import measures_of, spreads_of
    from prosperity_cli.render import compare as render

    output = choice(OutputFormat, format_name, "an output format")
    if spread and output is not OutputFormat.CSV:
        raise UsageError(
            "--spread chooses the rows of --format csv — the other formats always show the "
            "spread below the regions; add --format csv, or drop --spread"
        )
    when = as_of_date(as_of)
    loaded = load(registry)
    groups = measures_of(loaded.indicators)
    if measure is None:
        _write(render.render_measures(groups, spreads_of(loaded.indicators), output.value))
        return
    if measure not in groups:
        raise UsageError(_unknown(measure, groups))
    comparison = _compare(loaded, measure, groups[measure], when, since)
    if output is OutputFormat.TABLE:
        _write(render.renderable(comparison))
    elif output is OutputFormat.JSON:
        _write(render.render_json(comparison))
    elif output is OutputFormat.CSV:
        _write(render.render_csv(comparison, spread=spread))
    else:
        _write(render.render_markdown(comparison))


def _compare(
    loaded: Registry, measure: str, group: list[Indicator], when: date, since: str | None
) -> Comparison:
    from prosperity_cli.assessment import Filters, assess
    from prosperity_cli.compare import compare as compare_regions

    ids = frozenset(i.id for i in group)
    assessment = assess(loaded, when, Filters(indicators=ids))
    start = None if since is None else _since(since, measure, group, assessment.series)
    return compare_regions(measure, group, assessment.series, assessment.targets, when, start)


def _since(
    text: str, measure: str, group: list[Indicator], series: Mapping[str, Sequence[Observation]]
) -> Period:
    from prosperity_cli.periods import PeriodError, parse_period

    try:
        period = parse_period(text)
    except PeriodError as error:
        raise UsageError(f"--since {text!r}: {error}") from None
    reported = {o.period.key: o.period for i in group for o in series[i.id]}
    if period.key not in reported:
        known = ", ".join(str(p) for p in sorted(reported.values(), key=lambda p: (p.end, p.start)))
        raise UsageError(
            f"--since {text}: no region of {measure} has a value for {period} — "
            f"choose one of {known or 'the periods it reports (none yet)'}"
        )
    return period


def _unknown(measure: str, groups: dict[str, list[Indicator]]) -> str:
    from prosperity_cli.suggestions import did_you_mean

    if not groups:
        return (
            f"no measure {measure!r}: this registry has none — give indicators of one "
            'quantity in several regions the same `measure = "..."`'
        )
    hint = did_you_mean(measure, tuple(groups)) or f"known measures: {', '.join(groups)}"
    return f"no measure {measure!r} — {hint}"


def _write(output: object) -> None:
    if isinstance(output, str):
        sys.stdout.write(output)
        return
    from rich.console import Console

    Console().print(output)
