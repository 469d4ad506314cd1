"""Shell completion of the registry's IDs: targets, indicators, plans, measures, regions.

Typer's own completion (`prosperity --install-completion`, `--show-completion`, for bash,
zsh, fish and PowerShell) calls these while a command line is typed. Each reads the
registry the line names (`--registry`, else the one `status` would find) through the parse
cache, and offers nothing rather than an error when there is none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import typer  # at run time: Typer reads the completers' annotations

if TYPE_CHECKING:
    from prosperity_cli.model import Registry


def _registry(ctx: typer.Context) -> Registry | None:
    from prosperity_cli.cache import load
    from prosperity_cli.errors import ProsperityError
    from prosperity_cli.registry_file import find_registry

    named = ctx.params.get("registry")
    try:
        return load(find_registry(Path(named) if named else None))
    except ProsperityError:
        return None


def _matching(names: Iterable[str], incomplete: str) -> list[str]:
    return sorted({name for name in names if name.startswith(incomplete)})


def _completer(pick: Callable[[Registry], Iterable[str]]) -> Callable[..., list[str]]:
    def complete(ctx: typer.Context, incomplete: str) -> list[str]:
        registry = _registry(ctx)
        return [] if registry is None else _matching(pick(registry), incomplete)

    return complete


targets_and_indicators = _completer(lambda r: (*r.targets, *r.indicators))
indicators = _completer(lambda r: r.indicators)
plans = _completer(lambda r: r.plans)
measures = _completer(lambda r: {i.measure for i in r.indicators.values() if i.measure})
regions = _completer(
    lambda r: {x for x in (*(i.region for i in r.indicators.values()),
                           *(p.region for p in r.plans.values())) if x}
)  # fmt: skip
