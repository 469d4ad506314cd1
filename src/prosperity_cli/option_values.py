"""What the commands make of their options' text: a choice, a date, the registry, the
filters. Plain functions with no Typer, shared by the Typer commands and the fast path
(fast_path.py); each wrong value is a UsageError that names the option."""

from __future__ import annotations

from datetime import date
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from prosperity_cli.errors import UsageError

if TYPE_CHECKING:
    from prosperity_cli.assessment import Filters
    from prosperity_cli.model import Registry

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


def as_of_date(text: str | None) -> date:
    return parse_date(text, "--as-of") or date.today()


def load(registry: Path | None) -> Registry:
    """The registry that --registry names (or the one found), through the parse cache."""
    from prosperity_cli.cache import load as load_registry
    from prosperity_cli.registry_file import find_registry

    return load_registry(find_registry(registry))


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
