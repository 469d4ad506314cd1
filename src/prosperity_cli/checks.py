"""What `prosperity check` finds in a valid registry on one date. Pure, no I/O.

Each finding is an error (the CI gate fails) or a warning (fails only under --strict).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum

from prosperity_cli.freshness import State, freshness
from prosperity_cli.model import Registry
from prosperity_cli.progress import Status, evaluate
from prosperity_cli.series import effective
from prosperity_cli.units import format_value


class Severity(Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Finding:
    severity: Severity
    kind: str
    message: str
    indicator: str | None = None
    target: str | None = None
    due: date | None = None


def _freshness_findings(registry: Registry, as_of: date) -> list[Finding]:
    found: list[Finding] = []
    targeted: dict[str, list[str]] = {}
    for target in registry.targets.values():
        targeted.setdefault(target.indicator, []).append(target.id)
    for ident, indicator in registry.indicators.items():
        series = effective(registry.observations_of(ident))
        state = freshness(indicator, series, as_of, registry.defaults)
        targets = targeted.get(ident, [])
        if state.state is State.NO_DATA:
            if targets:
                found.append(
                    Finding(
                        Severity.WARNING,
                        "no-data",
                        f"{ident}: no observation yet (targets: {', '.join(targets)})",
                        indicator=ident,
                    )
                )
            continue
        if state.state not in (State.OVERDUE, State.STALE):
            continue
        assert state.latest is not None and state.due is not None
        shown = format_value(state.latest.value, indicator.unit)
        if state.state is State.STALE:
            message = (
                f"{ident}: the value after {state.latest.period} ({shown}) was due "
                f"{state.due}; its grace period ended {state.stale_after} — add it with "
                f"`prosperity add-observation {ident} PERIOD VALUE`"
            )
            found.append(Finding(Severity.ERROR, "stale", message, ident, None, state.due))
        else:
            message = (
                f"{ident}: the value after {state.latest.period} ({shown}) was due "
                f"{state.due}; stale after {state.stale_after}"
            )
            found.append(Finding(Severity.WARNING, "overdue", message, ident, None, state.due))
    return found


def _pending_findings(registry: Registry, as_of: date) -> list[Finding]:
    found: list[Finding] = []
    for target in registry.targets.values():
        series = effective(registry.observations_of(target.indicator))
        if evaluate(target, series, as_of).status is Status.PENDING:
            found.append(
                Finding(
                    Severity.WARNING,
                    "pending",
                    f"{target.id}: deadline {target.deadline} has passed; the verdict waits for "
                    f"a value of {target.indicator} for a period ending on or after it",
                    indicator=target.indicator,
                    target=target.id,
                )
            )
    return found


def check(registry: Registry, as_of: date) -> list[Finding]:
    """Every finding on `as_of`: errors first, then warnings, each in registry order."""
    found = _freshness_findings(registry, as_of) + _pending_findings(registry, as_of)
    return sorted(found, key=lambda f: f.severity is not Severity.ERROR)
