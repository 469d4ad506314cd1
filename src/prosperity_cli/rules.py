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
from prosperity_cli.limits import Limit
from prosperity_cli.line_index import Path_
from prosperity_cli.measures import inputs_of, measures_of, spread_unit
from prosperity_cli.model import Indicator, Observation, Target
from prosperity_cli.periods import add_duration
from prosperity_cli.spread import Statistic
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
            elif source.computed or ref == ident:
                issues.append(
                    (
                        (*path, key),
                        f"{ref!r} is itself derived"
                        if source.spread is None
                        else f"{ref!r} is itself computed ({source.computed_from})",
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


def measure_issues(
    indicators: dict[str, Indicator], declared: Mapping[str, Any]
) -> tuple[dict[str, Indicator], list[Issue]]:
    """A measure is one quantity in one unit, compared across regions: each of its
    indicators names a region, no region twice, all in one unit. A spread is computed over
    another measure, so it has none itself. Indicators that break these rules are left out.
    """
    issues: list[Issue] = []
    broken: set[str] = set()
    for measure, group in measures_of(indicators).items():
        units = {i.unit for i in group}
        regions: dict[str, str] = {}
        for indicator in group:
            path: Path_ = ("indicators", indicator.id)
            if indicator.spread is not None:
                issues.append(((*path, "measure"), "a spread indicator has no measure of its "
                               "own", "remove `measure`, or `spread`"))  # fmt: skip
                broken.add(indicator.id)
                continue
            if len(units) > 1:
                others = sorted({f"{i.unit!r} ({i.id})" for i in group if i.unit != indicator.unit})
                where = "unit" if "unit" in declared.get(indicator.id, {}) else "measure"
                issues.append(
                    (
                        (*path, where),
                        f"measure {measure!r} is in {indicator.unit!r} here but in "
                        f"{', '.join(others)}",
                        "a measure is one quantity in one unit: convert the values, or give "
                        "one of them another measure",
                    )
                )
                broken.add(indicator.id)
            if not indicator.region:
                issues.append(((*path, "measure"), f"measure {measure!r} compares regions, "
                               "and this indicator names none", 'add region = "..."'))  # fmt: skip
                broken.add(indicator.id)
                continue
            first = regions.setdefault(indicator.region.casefold(), indicator.id)
            if first != indicator.id:
                issues.append(
                    (
                        (*path, "region"),
                        f"measure {measure!r} already has {first} for {indicator.region}",
                        "one indicator per region in a measure: give one of them another measure",
                    )
                )
                broken.add(indicator.id)
    for ident in broken:
        del indicators[ident]
    return indicators, issues


def resolve_spreads(
    indicators: dict[str, Indicator], declared: Mapping[str, Any]
) -> tuple[dict[str, Indicator], list[Issue]]:
    """A spread is over a measure some indicators declare; it takes its unit from the
    statistic (spread_unit), its cadence and lag from the measure's indicators (the
    longest lag), and a limit from the statistic (max/min at least 1, the others at least
    0). Broken spreads are left out."""
    issues: list[Issue] = []
    groups = measures_of(indicators)
    for ident, indicator in list(indicators.items()):
        spread = indicator.spread
        if spread is None:
            continue
        raw = declared.get(ident, {})
        path: Path_ = ("indicators", ident, "spread")
        if indicator.derived is not None:
            issues.append((path, "an indicator is derived or a spread, not both",
                           "remove `derived` or `spread`"))  # fmt: skip
            del indicators[ident]
            continue
        group = groups.get(spread.measure)
        if not group:
            hint = did_you_mean(spread.measure, tuple(groups)) or (
                f'add measure = "{spread.measure}" to the indicators it spreads across'
            )
            issues.append(((*path, "measure"), f"no indicator has measure {spread.measure!r}",
                           hint))  # fmt: skip
            del indicators[ident]
            continue
        unit = spread_unit(spread.statistic, group[0].unit)
        if "unit" in raw and indicator.unit != unit:
            issues.append(
                (
                    ("indicators", ident, "unit"),
                    f"a {spread.statistic.value} spread of {spread.measure} is in {unit!r}, "
                    f"not {indicator.unit!r}",
                    "remove `unit`: a spread's unit follows from its statistic",
                )
            )
            del indicators[ident]
            continue
        lags = [i.lag for i in group if i.lag is not None]
        indicators[ident] = replace(
            indicator,
            unit=unit,
            cadence=indicator.cadence if "cadence" in raw else group[0].cadence,
            lag=indicator.lag if "lag" in raw else _longest(lags),
            limit=indicator.limit if "limit" in raw else _spread_limit(spread.statistic),
        )
    return indicators, issues


def _longest(lags: list[Any]) -> Any:
    """The longest of some durations (None for none), compared on one day."""
    day = date(2000, 1, 1)
    return max(lags, key=lambda lag: add_duration(day, lag.delta), default=None)


def _spread_limit(statistic: Statistic) -> Limit:
    return Limit(lower=1.0) if statistic is Statistic.MAX_MIN else Limit(lower=0.0)


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
    """Values of a derived or spread indicator are computed; only figures a source states
    (reported = true) may be kept, and only on such an indicator."""
    if indicator.computed and not reported:
        what = "derived" if indicator.derived is not None else "a spread"
        inputs = "the two inputs" if indicator.derived is not None else "each region's value"
        return (
            (*path, "indicator"),
            f"{indicator.id} is {what} ({indicator.computed_from}); its values are computed",
            f"record {inputs} instead, or add `reported = true` to keep a figure "
            "the source states, for comparison",
        )
    if not indicator.computed and reported:
        return (
            (*path, "reported"),
            f"{indicator.id} is not a derived or spread indicator",
            "remove `reported = true`; it marks published figures of computed indicators",
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
    indicators: Mapping[str, Indicator],
) -> list[Issue]:
    """A baseline is a period with a value (for a computed indicator, of every input: both
    of a derivation, every region of a spread), and a deadline comes after the end of the
    baseline period."""
    inputs = {
        ident: inputs_of(indicators, indicator)
        for ident, indicator in indicators.items()
        if indicator.computed
    }
    wanted = {t.indicator for t in targets.values() if t.baseline is not None}
    pending = list(wanted)
    while pending:  # a spread's regions may be derived: two levels at most
        for source in inputs.get(pending.pop(), ()):
            if source not in wanted:
                wanted.add(source)
                pending.append(source)
    have: dict[str, set[PeriodKey]] = {ident: set() for ident in wanted}
    for o in observations:
        if o.indicator in wanted and not o.reported:
            have[o.indicator].add(o.period.key)

    def has_value(ident: str, key: PeriodKey) -> bool:
        sources = inputs.get(ident)
        if sources is None:
            return key in have[ident]
        return bool(sources) and all(has_value(source, key) for source in sources)

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
            lacking = [s for s in inputs.get(target.indicator, ())
                       if not has_value(s, target.baseline.key)]  # fmt: skip
            issues.append(
                (
                    ("targets", target.id, "baseline"),
                    f"no observation of {target.indicator} for period {target.baseline}"
                    + (f", computed from {', '.join(lacking)}, which " if lacking else "")
                    + ("has none" if len(lacking) == 1 else "have none" if lacking else ""),
                    "add that observation, or remove baseline",
                )
            )
    return issues
