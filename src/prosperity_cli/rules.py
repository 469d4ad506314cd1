"""The rules of the format that a schema cannot state: they look at more than one key or
entry. Each is a small function that returns the problems it finds (a path, what is wrong,
how to fix it); validation.py calls them. Pure, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from typing import Any

from prosperity_cli.fields import DERIVED_KEYS
from prosperity_cli.line_index import Path_
from prosperity_cli.model import Derivation, Indicator, Observation, Target
from prosperity_cli.suggestions import did_you_mean

#: One problem: where it is, what is wrong, how to fix it.
Issue = tuple[Path_, str, str]
PeriodKey = tuple[date, date]


def missing_reference(
    path: Path_, ident: str, kind: str, known: Mapping[str, Any], declared: Any
) -> Issue | None:
    """A reference (`indicator = "x"`) to an entry of `kind` that is not declared; None when
    it is, or when it is declared but invalid (its own problems say so)."""
    if ident in known or (isinstance(declared, dict) and ident in declared):
        return None
    hint = did_you_mean(ident, tuple(known)) or f"declare it as [{kind}.{ident}]"
    return (path, f"no {kind[:-1]} {ident!r}", hint)


def resolve_derivations(
    indicators: dict[str, Indicator], declared: Mapping[str, Any]
) -> tuple[dict[str, Indicator], list[Issue]]:
    """Each derivation's inputs must be declared, plain indicators; a derived indicator
    without a cadence takes its numerator's. Broken derived indicators are left out."""
    issues: list[Issue] = []
    for ident, indicator in list(indicators.items()):
        if indicator.derived is None:
            continue
        path: Path_ = ("indicators", ident, "derived")
        inputs = (indicator.derived.numerator, indicator.derived.denominator)
        broken = False
        for key, ref in zip(DERIVED_KEYS, inputs, strict=True):
            source = indicators.get(ref)
            if source is None:
                if ref not in declared:
                    hint = did_you_mean(ref, tuple(indicators)) or f"declare [indicators.{ref}]"
                    issues.append(((*path, key), f"no indicator {ref!r}", hint))
                broken = True
            elif source.derived is not None or ref == ident:
                issues.append(
                    (
                        (*path, key),
                        f"{ref!r} is itself derived",
                        "derive only from indicators that hold observations",
                    )
                )
                broken = True
        if broken:
            del indicators[ident]
        elif "cadence" not in declared[ident]:
            cadence = indicators[indicator.derived.numerator].cadence
            indicators[ident] = replace(indicator, cadence=cadence)
    return indicators, issues


def arithmetic_missing(path: Path_, derived: bool, raw: Mapping[str, Any]) -> Issue | None:
    """`derived = true` marks a figure we computed: its note must say how."""
    note = raw.get("note")
    if derived and not (isinstance(note, str) and note.strip()):
        return (
            (*path, "derived"),
            "a derived figure needs its arithmetic",
            'add note = "computed as ..." with the published figures it comes from',
        )
    return None


def derived_and_reported(path: Path_) -> Issue:
    return (
        (*path, "derived"),
        "a reported figure is the one the source states, so it is not derived",
        "remove `derived = true`, or `reported = true` if you computed the figure",
    )


def reported_mismatch(path: Path_, indicator: Indicator, reported: bool) -> Issue | None:
    """Values of a derived indicator are computed; only figures a source states (reported =
    true) may be kept, and only on a derived indicator."""
    derived = indicator.derived
    if derived is not None and not reported:
        return (
            (*path, "indicator"),
            f"{indicator.id} is derived ({derived.numerator} / {derived.denominator}); "
            "its values are computed",
            "record the two inputs instead, or add `reported = true` to keep a figure "
            "the source states, for comparison",
        )
    if derived is None and reported:
        return (
            (*path, "reported"),
            f"{indicator.id} is not a derived indicator",
            "remove `reported = true`; it marks published figures of derived indicators",
        )
    return None


def journal_clash(
    path: Path_, observation: Observation, periods: Mapping[PeriodKey, int]
) -> Issue | None:
    """A second value for a period needs `revises = true`; a revision needs a first value.
    `periods` holds the position of each period's earlier value of the same indicator."""
    key = observation.period.key
    if key in periods and not observation.revises:
        first = periods[key] + 1
        return (
            (*path, "period"),
            f"{observation.indicator} already has a value for {observation.period} "
            f"(observations[{first}])",
            "to correct that value add `revises = true`, or delete one of them",
        )
    if observation.revises and key not in periods:
        return (
            (*path, "revises"),
            f"nothing earlier to revise for {observation.indicator} {observation.period}",
            "remove `revises = true`",
        )
    return None


def beyond_limit(path: Path_, value: float, indicator: Indicator) -> Issue | None:
    """A value outside the `limit` its indicator declares (a share above 100)."""
    limit = indicator.limit
    if limit is None or limit.contains(value):
        return None
    return (
        (*path, "value"),
        f"{value:g} is outside the limit of {indicator.id} ({limit.text})",
        "correct the value, or the indicator's limit",
    )


def baseline_issues(
    targets: Mapping[str, Target],
    observations: list[Observation],
    derivations: Mapping[str, Derivation],
) -> list[Issue]:
    """A baseline is a period with a value (for a derived indicator, of both inputs), and a
    deadline comes after the end of the baseline period."""
    wanted = {t.indicator for t in targets.values() if t.baseline is not None}
    for ident in list(wanted):
        derived = derivations.get(ident)
        if derived is not None:
            wanted |= {derived.numerator, derived.denominator}
    have: dict[str, set[PeriodKey]] = {ident: set() for ident in wanted}
    for o in observations:
        if o.indicator in wanted and not o.reported:
            have[o.indicator].add(o.period.key)

    def has_value(ident: str, key: PeriodKey) -> bool:
        derived = derivations.get(ident)
        if derived is None:
            return key in have[ident]
        return key in have[derived.numerator] and key in have[derived.denominator]

    issues: list[Issue] = []
    for target in targets.values():
        if target.baseline is None:
            continue
        if target.deadline < target.baseline.end:
            issues.append(
                (
                    ("targets", target.id, "deadline"),
                    f"{target.deadline} is before the end of the baseline period "
                    f"{target.baseline} ({target.baseline.end})",
                    "a target is measured from its baseline to its deadline: correct one of them",
                )
            )
        elif not has_value(target.indicator, target.baseline.key):
            issues.append(
                (
                    ("targets", target.id, "baseline"),
                    f"no observation of {target.indicator} for period {target.baseline}",
                    "add that observation, or remove baseline",
                )
            )
    return issues
