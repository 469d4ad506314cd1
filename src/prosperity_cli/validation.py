"""A parsed TOML document checked into a `Registry`, with every problem found, not the first.

Driven by schema.py: each entry's keys are checked against its table's declaration
(unknown, missing) and converted by their declared kinds; the rules between keys and
entries are rules.py's. Line numbers are not worked out here: problems carry document
paths (see line_index.py), resolved only when there is something to report.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from prosperity_cli import fields, rules
from prosperity_cli.line_index import Path_
from prosperity_cli.model import (
    FORMAT_VERSION,
    Defaults,
    Grade,
    Indicator,
    Method,
    Observation,
    Plan,
    Registry,
    Target,
)
from prosperity_cli.periods import MAX_YEAR, MIN_YEAR, Cadence, PeriodError
from prosperity_cli.schema import (
    DEFAULTS,
    INDICATORS,
    OBSERVATIONS,
    PLANS,
    TARGETS,
    TOP_LEVEL,
    Table,
)
from prosperity_cli.suggestions import did_you_mean
from prosperity_cli.units import RATIO


class _Invalid:
    def __repr__(self) -> str:
        return "<invalid>"


#: A key whose value was refused (its problem is reported); the entry is then not built.
INVALID: Any = _Invalid()


@dataclass
class Checker:
    """Walks the parsed document once, converting entries and collecting problems.

    It consumes the document's observations: each parsed table is dropped once converted.
    """

    document: Mapping[str, Any]
    problems: list[rules.Issue] = field(default_factory=list)

    def problem(self, path: Path_, message: str, hint: str = "") -> None:
        self.problems.append((path, message, hint))

    def add(self, issue: rules.Issue | None) -> None:
        if issue is not None:
            self.problems.append(issue)

    def run(self) -> Registry | None:
        self._check_top_level()
        defaults = self._defaults()
        plans = self._entries(PLANS, self._plan)
        declared = self.document.get("indicators", {})
        indicators = self._entries(INDICATORS, self._indicator)
        for resolve in (rules.resolve_derivations, rules.measure_issues, rules.resolve_spreads):
            indicators, issues = resolve(indicators, declared)
            self.problems += issues
        observations = self.observations(indicators)
        targets = self._entries(
            TARGETS, lambda ident, raw: self._target(ident, raw, plans, indicators)
        )
        self.problems += rules.baseline_issues(targets, observations, indicators)
        if self.problems:
            return None
        return Registry(
            plans=plans,
            indicators=indicators,
            targets=targets,
            observations=tuple(observations),
            defaults=defaults,
        )

    # the top level and [defaults]

    def _check_top_level(self) -> None:
        for key in self.document:
            if key not in TOP_LEVEL:
                hint = did_you_mean(key, TOP_LEVEL) or f"top-level keys are {', '.join(TOP_LEVEL)}"
                self.problem((key,), "unknown key", hint)
        version = self.document.get("format")
        if version is None:
            self.problem(("format",), "missing", f"add `format = {FORMAT_VERSION}` at the top")
        elif type(version) is not int or version != FORMAT_VERSION:
            self.problem(
                ("format",),
                f"this file is format {fields.describe(version)}; this prosperity reads format "
                f"{FORMAT_VERSION}",
                "upgrade prosperity, or migrate the file (see docs/registry.md)",
            )

    def _defaults(self) -> Defaults:
        raw = self.document.get("defaults", {})
        if not isinstance(raw, dict):
            self.problem(("defaults",), "expected a table", "write it as [defaults]")
            return Defaults()
        for key in raw:
            if key not in DEFAULTS.names:
                hint = did_you_mean(key, DEFAULTS.names) or f"allowed: {', '.join(DEFAULTS.names)}"
                self.problem(("defaults", key), "unknown key", hint)
        values = self._convert(("defaults",), raw, DEFAULTS)
        return Defaults(**_valid(values))

    # entries

    def _entries(
        self, table: Table, build: Callable[[str, Mapping[str, Any]], Any]
    ) -> dict[str, Any]:
        kind = table.name
        section = self.document.get(kind, {})
        if not isinstance(section, dict):
            self.problem((kind,), "expected tables", f"write each entry as [{kind}.ID]")
            return {}
        built: dict[str, Any] = {}
        for ident, raw in section.items():
            if not fields.ID.fullmatch(ident):
                self.problem(
                    (kind, ident), "is not a usable ID", "use letters, digits, '-' and '_' only"
                )
                continue
            if not isinstance(raw, dict):
                self.problem((kind, ident), "expected a table", f"write it as [{kind}.{ident}]")
                continue
            if not self._keys_ok((kind, ident), table, raw):
                continue
            entry = build(ident, raw)
            if entry is not None:
                built[ident] = entry
        return built

    def _keys_ok(self, path: Path_, table: Table, raw: Mapping[str, Any]) -> bool:
        """Report unknown and missing keys; False when the entry cannot be built."""
        allowed = table.names
        for key in raw:
            if key not in allowed:
                hint = did_you_mean(key, allowed) or f"allowed keys: {', '.join(allowed)}"
                self.problem((*path, key), "unknown key", hint)
        missing = [k for k in table.required(raw) if k.name not in raw]
        for required in missing:
            self.problem((*path, required.name), "missing", f"add {required.suggestion}")
        return not missing

    def _convert(self, path: Path_, raw: Mapping[str, Any], table: Table) -> dict[str, Any]:
        """Every present key that converts on its own, by its declared kind, in the order of
        the table; a refused value is INVALID (and its problem reported)."""
        values: dict[str, Any] = {}
        for key in table.keys:
            convert = key.kind.convert
            if convert is None or key.name not in raw:
                continue
            try:
                values[key.name] = convert(raw[key.name])
            except fields.FieldError as exc:
                self.problem((*path, key.name), exc.message, exc.hint)
                values[key.name] = INVALID
        return values

    def _reference(
        self, path: Path_, raw: Mapping[str, Any], key: str, kind: str, known: Mapping[str, Any]
    ) -> Any:
        try:
            ident = fields.required_text(raw[key])
        except fields.FieldError as exc:
            self.problem((*path, key), exc.message, exc.hint)
            return INVALID
        if ident in known:
            return ident
        self.add(rules.missing_reference((*path, key), ident, kind, known, self.document.get(kind)))
        return INVALID

    def _value(self, path: Path_, raw: Mapping[str, Any], unit: str | None) -> Any:
        if unit is None:
            return INVALID  # the indicator is wrong: its own problem says so
        try:
            return fields.value_in(unit)(raw["value"])
        except fields.FieldError as exc:
            self.problem((*path, "value"), exc.message, exc.hint)
            return INVALID

    def _plan(self, ident: str, raw: Mapping[str, Any]) -> Plan | None:
        values = self._convert(("plans", ident), raw, PLANS)
        if values.get("title") is INVALID:
            return None
        return Plan(ident, **_valid(values))

    def _indicator(self, ident: str, raw: Mapping[str, Any]) -> Indicator | None:
        values = self._convert(("indicators", ident), raw, INDICATORS)
        if INVALID in (values.get("name"), values.get("unit"), values.get("cadence")):
            return None
        if INVALID in (values.get("derived"), values.get("spread")):
            return None
        # A derived indicator needs no unit (a ratio) and takes its numerator's cadence; a
        # spread takes both from its measure (filled in by rules.resolve_derivations and
        # rules.resolve_spreads).
        values.setdefault("unit", RATIO)
        values.setdefault("cadence", Cadence.IRREGULAR)
        return Indicator(ident, **_valid(values))

    def _target(
        self,
        ident: str,
        raw: Mapping[str, Any],
        plans: Mapping[str, Plan],
        indicators: Mapping[str, Indicator],
    ) -> Target | None:
        path: Path_ = ("targets", ident)
        indicator = self._reference(path, raw, "indicator", "indicators", indicators)
        plan = self._reference(path, raw, "plan", "plans", plans)
        values = self._convert(path, raw, TARGETS)
        unit = indicators[indicator].unit if indicator in indicators else None
        value = self._value(path, raw, unit)
        self.add(rules.arithmetic_missing(path, values.get("derived") is True, raw))
        required = (indicator, plan, value, values.get("goal"), values.get("deadline"))
        if INVALID in required:
            return None
        self.add(rules.beyond_limit(path, value, indicators[indicator]))
        values.setdefault("method", Method.CAGR)
        return Target(ident, indicator, plan, value=value, **_valid(values))

    # the journal

    def observations(
        self, indicators: Mapping[str, Indicator], after: Sequence[Observation] = ()
    ) -> list[Observation]:
        """The journal's entries, checked; `after` are entries already validated before them."""
        section = self.document.get("observations", [])
        if not isinstance(section, list):
            self.problem(("observations",), "expected a list", "write each as [[observations]]")
            return []
        built: list[Observation] = []
        # Per indicator, each period's position: keyed by the periods' shared key tuples,
        # so checking 100,000 entries for duplicates allocates no tuple per entry.
        seen: dict[str, dict[rules.PeriodKey, int]] = {}
        if after:
            # Only the indicators of these entries can clash with earlier ones.
            named = {
                ident
                for raw in section
                if isinstance(raw, dict) and isinstance(ident := raw.get("indicator"), str)
            }
            for o in after:
                if o.indicator in named:
                    seen.setdefault(o.indicator, {})[o.period.key] = o.position
        for index, raw in enumerate(section, start=len(after)):
            # The parsed table is not needed once converted: dropping it as we go lets the
            # observations reuse its memory, instead of both being held at the peak.
            section[index - len(after)] = None
            path: Path_ = ("observations", index)
            if not isinstance(raw, dict):
                self.problem(path, "expected a table", "write it as [[observations]]")
                continue
            observation = _plain_observation(index, raw, indicators)
            if observation is None:
                # Not the common, plain shape: the full checks find and report what is wrong.
                if not self._keys_ok(path, OBSERVATIONS, raw):
                    continue
                observation = self._observation(path, index, raw, indicators)
                if observation is None:
                    continue
            periods = seen.get(observation.indicator)
            if periods is None:
                periods = seen[observation.indicator] = {}
            clash = rules.journal_clash(path, observation, periods)
            if clash is not None:
                self.problems.append(clash)
                continue
            periods[observation.period.key] = index
            if indicators[observation.indicator].limit is not None:
                self.add(
                    rules.beyond_limit(path, observation.value, indicators[observation.indicator])
                )
            built.append(observation)
        return built

    def _observation(
        self, path: Path_, index: int, raw: Mapping[str, Any], indicators: Mapping[str, Indicator]
    ) -> Observation | None:
        indicator = self._reference(path, raw, "indicator", "indicators", indicators)
        values = self._convert(path, raw, OBSERVATIONS)
        unit = indicators[indicator].unit if indicator in indicators else None
        value = self._value(path, raw, unit)
        derived, reported = values.get("derived") is True, values.get("reported") is True
        self.add(rules.arithmetic_missing(path, derived, raw))
        if derived and reported:
            self.problems.append(rules.derived_and_reported(path))
            return None
        if INVALID in (indicator, value, values.get("period")):
            return None
        mismatch = rules.reported_mismatch(path, indicators[indicator], reported)
        if mismatch is not None:
            self.problems.append(mismatch)
            return None
        decimals = fields.written_decimals(raw["value"]) if reported else None
        return Observation(
            indicator, position=index, value=value, decimals=decimals, **_valid(values)
        )


def _valid(values: Mapping[str, Any]) -> dict[str, Any]:
    """The converted values that are usable; tags default to none."""
    return {k: v for k, v in values.items() if v is not INVALID}


# --- the fast path for the journal's usual entry --------------------------------------------

_TEXT = ("source", "quote", "note")
#: The keys the fast path handles itself; any other key takes the full checks.
_PLAIN_KEYS = frozenset(
    ("indicator", "period", "value", *_TEXT, "url", "publisher", "published", "locator",
     "grade", "provisional", "revises", "recorded")
)  # fmt: skip
_GRADES = {grade.value: grade for grade in Grade}
#: Integers beyond this are too large for a float (the full checks refuse them).
_LARGEST_INT = 2**1023


def _plain_date(value: Any) -> bool:
    return type(value) is date and MIN_YEAR <= value.year <= MAX_YEAR


def _plain_observation(
    index: int, raw: Mapping[str, Any], indicators: Mapping[str, Indicator]
) -> Observation | None:
    """The fast path for the journal's usual entry; None sends it to the full checks.

    A registry may hold 100,000 observations, nearly all plain: a known indicator, a
    period string, a number, text fields. Building those directly, with periods parsed
    once per distinct string, keeps validation well below the cost of parsing the TOML.
    It accepts nothing the full checks would refuse: any doubt returns None.
    """
    if not raw.keys() <= _PLAIN_KEYS:
        return None
    indicator_id, period_text, value = raw.get("indicator"), raw.get("period"), raw.get("value")
    if not isinstance(indicator_id, str) or not isinstance(period_text, str):
        return None
    indicator = indicators.get(indicator_id)
    if indicator is None or indicator.computed:
        return None
    if type(value) is not float and type(value) is not int:
        return None
    if type(value) is int and not -_LARGEST_INT < value < _LARGEST_INT:
        return None  # beyond a float: the full checks say so
    if not math.isfinite(value):
        return None
    source, quote, note = raw.get("source"), raw.get("quote"), raw.get("note")
    provisional, revises = raw.get("provisional", False), raw.get("revises", False)
    recorded = raw.get("recorded")
    if (
        (source is not None and type(source) is not str)
        or (quote is not None and type(quote) is not str)
        or (note is not None and type(note) is not str)
        or type(provisional) is not bool
        or type(revises) is not bool
        or (recorded is not None and not _plain_date(recorded))
    ):
        return None
    try:
        period = fields.cached_period(period_text)
    except PeriodError:
        return None
    url, publisher, published = raw.get("url"), raw.get("publisher"), raw.get("published")
    locator, grade_text = raw.get("locator"), raw.get("grade")
    grade = _GRADES.get(grade_text) if isinstance(grade_text, str) else None
    if (
        (url is not None and (type(url) is not str or not fields.URL.fullmatch(url)))
        or (publisher is not None and (type(publisher) is not str or not publisher.strip()))
        or (published is not None and not _plain_date(published))
        or (locator is not None and (type(locator) is not str or not locator.strip()))
        or (grade_text is not None and grade is None)
    ):
        return None
    return Observation(
        indicator.id,  # one shared string, not one copy per observation
        period,
        float(value),
        index,
        source,
        quote,
        note,
        provisional,
        revises,
        recorded,
        (),
        False,
        None,
        url,
        publisher,
        published,
        locator,
        grade,
    )
