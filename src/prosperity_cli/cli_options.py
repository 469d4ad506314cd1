"""The Typer app and what its commands share: the one error guard, the common options and
their parsing. The commands live in cli_read.py and cli_write.py; cli.py runs them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from prosperity_cli import __version__, completion
from prosperity_cli.errors import (
    DEBUG_ENV,
    EXIT_INTERNAL,
    ProsperityError,
    UsageError,
    internal_error_line,
)

if TYPE_CHECKING:
    from prosperity_cli.assessment import Filters
    from prosperity_cli.model import Registry

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
    add_completion=True,
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


def choice(kind: type[E], value: str, what: str, option: str = "--format") -> E:
    """The member of `kind` named by an option's value, or a UsageError naming the choices."""
    try:
        return kind(value.strip().lower())
    except ValueError:
        choices = ", ".join(member.value for member in kind)
        raise UsageError(f"{option} {value!r} is not {what} — choose one of {choices}") from None


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
        metavar="PATH",
        help="Registry file. Default: $PROSPERITY_REGISTRY, else the nearest targets.toml "
        "in this folder or a parent.",
        show_default=False,
    ),
]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help="Judge everything as on this date (YYYY-MM-DD), for reproducible figures. "
        "Default: today.",
        show_default=False,
    ),
]


def load(registry: Path | None) -> Registry:
    """The registry that --registry names (or the one found), through the parse cache."""
    from prosperity_cli.cache import load as load_registry
    from prosperity_cli.registry_file import find_registry

    return load_registry(find_registry(registry))


def as_of_date(text: str | None) -> date:
    return parse_date(text, "--as-of") or date.today()


PlanOption = Annotated[
    str | None,
    typer.Option(
        metavar="PLAN",
        help="Only targets of this plan (its ID).",
        show_default=False,
        autocompletion=completion.plans,
    ),
]
RegionOption = Annotated[
    str | None,
    typer.Option(
        metavar="REGION",
        help="Only targets in this region (case-insensitive).",
        show_default=False,
        autocompletion=completion.regions,
    ),
]
StatusOption = Annotated[
    str | None,
    typer.Option(
        "--status",
        metavar="STATUS",
        help="Only targets with this status: achieved, on-track, moderate, insufficient, "
        "moving-away, pending, missed, insufficient-data, no-baseline, no-data.",
        show_default=False,
    ),
]


def filters(loaded: Registry, plan: str | None, region: str | None, status: str | None) -> Filters:
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
