"""The Typer app and what its commands share: the error guard and the common options.
The commands live in cli_read.py, cli_write.py and cli_compare.py; what their options'
values mean is in option_values.py; cli.py runs them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from prosperity_cli import __version__, completion, guard

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
    """Run a Typer command through the error guard (guard.py): every error becomes its
    lines on stderr and its exit code; Typer's own exits and a parse error pass through."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from prosperity_cli.parse_errors import ClickUsage

        try:
            return command(*args, **kwargs)
        except (typer.Exit, typer.Abort, KeyboardInterrupt, BrokenPipeError, ClickUsage):
            raise
        except Exception as error:
            raise typer.Exit(guard.exit_code(error)) from None

    return wrapper  # type: ignore[return-value]


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
