"""What `prosperity check` finds in a valid registry on one date. Pure, no I/O.

Each finding is an error (the CI gate fails) or a warning (fails only under --strict).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum

from dateutil.relativedelta import relativedelta

from prosperity_cli.freshness import State, freshness
from prosperity_cli.limits import NO_LIMIT, UNIT_LIMITS, applying
from prosperity_cli.measures import inputs_of, measures_of
from prosperity_cli.model import Indicator, Observation, Registry
from prosperity_cli.periods import Cadence, add_duration, fits_cadence
from prosperity_cli.progress import Status, evaluate
from prosperity_cli.series import reported_of, series_of
from prosperity_cli.units import format_value

DEFAULT_PROVISIONAL_AGE = relativedelta(months=12)


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
    #: The observation it is about (its position in the journal), for its line.
    observation: int | None = None


Series = Mapping[str, list[Observation]]


def _freshness_findings(registry: Registry, series: Series, as_of: date) -> list[Finding]:
    found: list[Finding] = []
    targeted: dict[str, list[str]] = {}
    for target in registry.targets.values():
        targeted.setdefault(target.indicator, []).append(target.id)
    for ident, indicator in registry.indicators.items():
        state = freshness(indicator, series[ident], as_of, registry.defaults)
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
        # A derived series is late when an input is, and the input's finding says so; it
        # needs its own only when its inputs are up to date but report different periods.
        if indicator.computed and _an_input_is_late(registry, series, indicator, as_of):
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


def _an_input_is_late(
    registry: Registry, series: Series, indicator: Indicator, as_of: date
) -> bool:
    inputs = inputs_of(registry.indicators, indicator)
    late = (State.OVERDUE, State.STALE)
    return any(
        freshness(registry.indicators[i], series[i], as_of, registry.defaults).state in late
        for i in inputs
    )


def _pending_findings(registry: Registry, series: Series, as_of: date) -> list[Finding]:
    found: list[Finding] = []
    for target in registry.targets.values():
        if evaluate(target, series[target.indicator], as_of).status is Status.PENDING:
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


def _reported_findings(registry: Registry, series: Series, as_of: date) -> list[Finding]:
    """A derived value that disagrees with the figure the source states, beyond its rounding."""
    found: list[Finding] = []
    for ident, indicator in registry.indicators.items():
        if not indicator.computed:
            continue
        computed = {o.period.key: o for o in series[ident]}
        for stated in reported_of(registry, ident):
            mine = computed.get(stated.period.key)
            if mine is None or stated.period.end > as_of:
                continue
            if not agrees(mine.value, stated.value, stated.decimals or 0):
                found.append(
                    Finding(
                        Severity.WARNING,
                        "reported-mismatch",
                        f"{ident} {stated.period}: computed {mine.value:.6g} "
                        f"({indicator.computed_from}) "
                        f"but the source states {stated.value:g} — check both inputs and the "
                        "stated figure",
                        indicator=ident,
                    )
                )
    return found


def agrees(computed: float, stated: float, decimals: int) -> bool:
    """Does `computed` round to `stated` as written (1.549 agrees with 1.55)?"""
    tolerance: float = 0.5 * 10.0**-decimals * (1 + 1e-9)
    return abs(computed - stated) <= tolerance


def _provisional_findings(registry: Registry, series: Series, as_of: date) -> list[Finding]:
    """Provisional values kept longer than `[defaults] provisional_age` (default 12 months)."""
    age = registry.defaults.provisional_age
    delta = age.delta if age else DEFAULT_PROVISIONAL_AGE
    found: list[Finding] = []
    for ident, indicator in registry.indicators.items():
        if indicator.computed:
            continue
        for observation in series[ident]:
            since = observation.recorded or observation.period.end
            if observation.provisional and since <= as_of and add_duration(since, delta) < as_of:
                found.append(
                    Finding(
                        Severity.WARNING,
                        "provisional",
                        f"{ident} {observation.period}: still provisional "
                        f"{'since it was recorded' if observation.recorded else 'after its period'}"
                        f" on {since} — add the final value with --revise",
                        indicator=ident,
                    )
                )
    return found


def _cadence_findings(registry: Registry, series: Series, as_of: date) -> list[Finding]:
    """Observations whose period does not fit their indicator's cadence (a monthly figure in
    an annual series): accepted by the format, but due dates count from the cadence."""
    found: list[Finding] = []
    fits: dict[tuple[tuple[date, date], Cadence], bool] = {}
    for observation in registry.observations:
        cadence = registry.indicators[observation.indicator].cadence
        key = (observation.period.key, cadence)
        fit = fits.get(key)
        if fit is None:
            fit = fits[key] = fits_cadence(observation.period, cadence)
        if not fit:
            found.append(
                Finding(
                    Severity.WARNING,
                    "off-cadence",
                    f"{observation.indicator} {observation.period}: the period does not fit the "
                    f"indicator's {cadence.value} cadence — correct the period, or set the "
                    "indicator's cadence to the one its source publishes",
                    indicator=observation.indicator,
                    observation=observation.position,
                )
            )
    return found


def _method_findings(registry: Registry, series: Series, as_of: date) -> list[Finding]:
    """Method keys that contradict the data: a percent beyond 0-100 without its own limit
    (its projections are then unbounded), a target against the indicator's `desired`."""
    found: list[Finding] = []
    for ident, indicator in registry.indicators.items():
        implied = UNIT_LIMITS.get(indicator.unit)
        if indicator.limit is None and implied is not None:
            values = [o.value for o in series[ident]]
            values += [t.value for t in registry.targets.values() if t.indicator == ident]
            if applying(indicator.unit, None, values) is NO_LIMIT:
                found.append(
                    Finding(
                        Severity.WARNING,
                        "beyond-unit-limit",
                        f"{ident}: a value lies outside {implied.text}, the range a "
                        f"{indicator.unit} implies, so no limit is assumed — declare the "
                        "indicator's own, e.g. limit = { lower = -100 } for a growth rate",
                        indicator=ident,
                    )
                )
    for target in registry.targets.values():
        desired = registry.indicators[target.indicator].desired
        if desired is not None and desired.direction != target.goal.direction:
            found.append(
                Finding(
                    Severity.WARNING,
                    "desired-contradicts-goal",
                    f"{target.id}: the goal ({target.goal.value}) asks {target.indicator} to "
                    f"move against its desired = {desired.value!r} — correct one of them",
                    indicator=target.indicator,
                    target=target.id,
                )
            )
    return found


def _measure_findings(registry: Registry, series: Series, as_of: date) -> list[Finding]:
    """A measure whose regions publish at different cadences: accepted, but only the
    periods they share are compared, so say so once per measure."""
    found: list[Finding] = []
    for measure, group in measures_of(registry.indicators).items():
        cadences: dict[str, list[str]] = {}
        for indicator in group:
            cadences.setdefault(indicator.cadence.value, []).append(indicator.id)
        if len(cadences) > 1:
            listed = "; ".join(f"{c}: {', '.join(ids)}" for c, ids in cadences.items())
            found.append(
                Finding(
                    Severity.WARNING,
                    "measure-cadence",
                    f"measure {measure!r} mixes cadences ({listed}) — `prosperity compare` "
                    "compares only the periods its regions share",
                    indicator=group[-1].id,
                )
            )
    return found


def _leftover_findings(temp_files: Sequence[str]) -> list[Finding]:
    return [
        Finding(
            Severity.WARNING,
            "leftover-file",
            f"{name}: a temporary file left by an interrupted write — the registry is intact; "
            "the next add-observation removes it, or delete it",
        )
        for name in temp_files
    ]


def check(registry: Registry, as_of: date, temp_files: Sequence[str] = ()) -> list[Finding]:
    """Every finding on `as_of`: errors first, then warnings, each in registry order.

    `temp_files` names temporary files of an interrupted write found beside the registry.
    """
    series = {ident: series_of(registry, ident) for ident in registry.indicators}
    found = [
        finding
        for collect in (
            _freshness_findings,
            _pending_findings,
            _reported_findings,
            _provisional_findings,
            _cadence_findings,
            _method_findings,
            _measure_findings,
        )
        for finding in collect(registry, series, as_of)
    ]
    found += _leftover_findings(temp_files)
    return sorted(found, key=lambda f: f.severity is not Severity.ERROR)
