"""Load a registry file and validate it into a `Registry`, reporting every problem at once.

This is the only module that reads the registry. Validation runs over the parsed TOML
document; line numbers are worked out only when there is a problem to report, so the
common path (a valid file) never pays for them.
"""

from __future__ import annotations

import functools
import math
import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from prosperity_cli.errors import Problem, RegistryInvalid, UsageError
from prosperity_cli.model import (
    FORMAT_VERSION,
    Defaults,
    Derivation,
    Goal,
    Grade,
    Indicator,
    Method,
    Observation,
    Plan,
    Registry,
    Target,
)
from prosperity_cli.periods import (
    DURATION_FORMS,
    MAX_YEAR,
    MIN_YEAR,
    PERIOD_FORMS,
    Cadence,
    Duration,
    Period,
    PeriodError,
    check_year,
    parse_duration,
    parse_period,
)
from prosperity_cli.units import RATIO, ValueParseError, expected_forms, parse_value

REGISTRY_NAME = "targets.toml"
REGISTRY_ENV = "PROSPERITY_REGISTRY"

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
#: A web address: http(s), then no space or control character.
_URL = re.compile(r"https?://[^\s\x00-\x1f\x7f]+")
_TEXT = ("source", "quote", "note")
#: Where a figure was read (docs/registry.md, "Provenance"); plans have `published` already.
_PROVENANCE = ("url", "publisher", "published", "locator", "grade")

#: Keys allowed in each kind of entry; required ones first, in the order of the docs.
REQUIRED: dict[str, tuple[str, ...]] = {
    "plans": ("title",),
    "indicators": ("name", "unit", "cadence"),
    "targets": ("indicator", "plan", "goal", "value", "deadline"),
    "observations": ("indicator", "period", "value"),
}
OPTIONAL: dict[str, tuple[str, ...]] = {
    "plans": ("region", *_TEXT, *_PROVENANCE, "tags"),
    "indicators": ("region", "lag", "grace", "derived", *_TEXT, *_PROVENANCE, "tags"),
    "targets": ("baseline", "method", *_TEXT, *_PROVENANCE, "derived", "tags"),
    "observations": (
        *_TEXT,
        *_PROVENANCE,
        "derived",
        "provisional",
        "revises",
        "recorded",
        "reported",
        "tags",
    ),
}
TOP_LEVEL = ("format", "defaults", "plans", "indicators", "targets", "observations")
DEFAULTS_KEYS = ("grace", "provisional_age")
#: A derived indicator needs only a name: unit defaults to ratio, cadence to its numerator's.
DERIVED_REQUIRED = ("name",)
DERIVED_KEYS = ("numerator", "denominator")

Path_ = tuple[str | int, ...]


class _FieldError(Exception):
    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


# --- finding the registry ----------------------------------------------------------------


def find_registry(explicit: Path | None, cwd: Path | None = None) -> Path:
    """--registry, else $PROSPERITY_REGISTRY, else the nearest targets.toml upwards."""
    if explicit is not None:
        return explicit
    from_env = os.environ.get(REGISTRY_ENV)
    if from_env:
        return Path(from_env)
    here = (cwd or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / REGISTRY_NAME
        if candidate.is_file():
            return candidate
    raise UsageError(
        f"no {REGISTRY_NAME} in {here} or any parent folder — pass --registry PATH "
        f"or set {REGISTRY_ENV}"
    )


#: The largest registry read: eight times the 100,000-observation benchmark (12 MB). A
#: bigger file, or a device such as /dev/zero, is refused before it can fill the memory.
MAX_REGISTRY_BYTES = 96 * 1024 * 1024


def read_registry_bytes(path: Path) -> bytes:
    """The registry's bytes, or a one-line UsageError saying why it cannot be read."""
    try:
        data = read_limited(path, MAX_REGISTRY_BYTES)
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file — check the path or pass --registry") from None
    except IsADirectoryError:
        raise UsageError(f"{path}: is a folder — pass the path of the .toml file") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read ({exc.strerror}) — check the path") from None
    if data is None:
        raise UsageError(
            f"{path}: larger than {MAX_REGISTRY_BYTES // 2**20} MiB, the largest registry "
            "prosperity reads — pass the path of a registry file"
        )
    return data


def read_limited(path: Path, limit: int) -> bytes | None:
    """The bytes of `path`, or None when there are more than `limit` of them.

    Reads at most limit + 1 bytes, so that a device (/dev/zero) cannot fill the memory, and
    opens without waiting, so that a named pipe nobody writes to reads as empty instead of
    hanging (a pipe that has a writer, such as /dev/stdin, is read to its end).
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as file:
            data = file.read(limit + 1)
    finally:
        os.close(fd)
    return None if len(data) > limit else data


def decode_registry_text(path: Path, data: bytes) -> str:
    """`data` as UTF-8 text (a UTF-8 byte order mark is accepted and left out), or a
    RegistryInvalid naming the line of the first bad byte."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise RegistryInvalid(
            [
                Problem(
                    str(path), 1, "", "is UTF-16 (its byte order mark says so)", "save it as UTF-8"
                )
            ]
        )
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise RegistryInvalid(
            [Problem(str(path), line, "", "not valid UTF-8", "save the file as UTF-8")]
        ) from None


def load_registry(path: Path) -> Registry:
    """Read and validate the registry at `path`, through the parse cache (cache.py)."""
    from prosperity_cli import cache

    return cache.load(path)


# --- parsing -------------------------------------------------------------------------------


def _toml_parser() -> Any:
    """tomli's compiled wheel parses three times faster than the standard library's tomllib
    (the same parser, interpreted) with the same result and memory; tomllib if it is absent.
    docs/performance.md has the measurements behind the choice."""
    try:
        import tomli
    except ImportError:  # pragma: no cover - tomli is a dependency; this is a safety net
        import tomllib

        return tomllib
    return tomli


def parse_document(text: str, filename: str) -> dict[str, Any]:
    """TOML text to a dict; a syntax error becomes a RegistryInvalid with line and column."""
    parser = _toml_parser()
    try:
        document: dict[str, Any] = parser.loads(text)
        return document
    except RecursionError as exc:  # tomli's own limit on nesting, or Python's
        limit = str(exc) if "allowed" in str(exc) else "nested too deeply to read"
        raise RegistryInvalid(
            [Problem(filename, None, "TOML syntax", limit, "flatten the nested arrays or tables")]
        ) from None
    except parser.TOMLDecodeError as exc:
        message = str(exc)
        found = re.search(r"\(at line (\d+), column (\d+)\)", message)
        line = int(found[1]) if found else None
        what = re.sub(r"\s*\(at line.*\)$", "", message) or "invalid TOML"
        where = f"TOML syntax, column {found[2]}" if found else "TOML syntax"
        hint = "check quotes, brackets, commas and that each key appears once"
        raise RegistryInvalid([Problem(filename, line, where, what.lower(), hint)]) from None


def parse_registry(text: str, filename: str = REGISTRY_NAME) -> Registry:
    """Validate registry text into a Registry, or raise RegistryInvalid with every problem."""
    document = parse_document(text, filename)
    checker = _Checker(document)
    registry = checker.run()
    if checker.problems:
        lines = LineIndex(text)
        raise RegistryInvalid(
            [
                Problem(filename, lines.line_of(path), _where(path), message, hint)
                for path, message, hint in checker.problems
            ]
        )
    assert registry is not None
    return registry


def extend_registry(base: Registry, tail: str, filename: str) -> Registry | None:
    """`base` plus the `[[observations]]` blocks of `tail`, text appended after base's file.

    The journal is append-only, so a file that grew by appended observations needs only
    its new blocks parsed and checked against what was already valid. Returns None when
    `tail` is anything else or has a problem: the caller then validates the whole file,
    which reports problems with their exact lines.
    """
    if not _BLOCKS_ONLY.match(tail):
        # Text before the first header would belong to the last table of the file: read
        # alone it could look valid, so the whole file must judge it.
        return None
    try:
        document = parse_document(tail, filename)
    except RegistryInvalid:
        return None
    entries = document.get("observations")
    if set(document) != {"observations"} or not isinstance(entries, list):
        return None
    if not appendable(tail, len(entries)):
        return None  # not all of them blocks (an `observations = [...]` key, say)
    checker = _Checker(document)
    added = checker._observations(base.indicators, after=base.observations)
    if checker.problems:
        return None
    return base.extended(added)


#: The header of one journal entry, as prosperity writes it.
BLOCK_HEADER = "[[observations]]"
#: Appended text that starts, after blank and comment lines, with a `[[observations]]` header.
_BLOCKS_ONLY = re.compile(r"(?:[ \t]*(?:#[^\n]*)?\r?\n)*[ \t]*\[\[[ \t]*observations[ \t]*\]\]")


def appendable(text: str, observations: int) -> bool:
    """Can a `[[observations]]` block be appended to this valid registry text, which holds
    `observations` entries?

    Only when every entry is a `[[observations]]` block: TOML cannot extend an array
    written any other way (`observations = [...]`, its key bare, quoted or escaped).
    Counting the lines that start with the header proves it (a comment that mentions it
    does not start a line). Any doubt (no entry yet, an indented header or one written
    with inner spaces, a multi-line string with such a line) answers False, and the
    caller then validates the whole text: never wrong, only slower.
    """
    headers = text.count("\n" + BLOCK_HEADER) + text.startswith(BLOCK_HEADER)
    return observations > 0 and headers == observations


def _where(path: Path_) -> str:
    """("targets", "hz-gdp", "value") -> "targets.hz-gdp.value"; observations are 1-based."""
    parts: list[str] = []
    for part in path:
        if isinstance(part, int):
            parts[-1] += f"[{part + 1}]"
        else:
            parts.append(part)
    return ".".join(parts)


def did_you_mean(word: str, choices: Iterator[str] | tuple[str, ...] | list[str]) -> str:
    """A "did you mean 'X'?" hint for a near miss, else ""."""
    import difflib  # only when there is a near miss to look for

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else ""


# --- validation ------------------------------------------------------------------------------


@dataclass
class _Checker:
    """Walks the parsed document once, converting entries and collecting problems.

    It consumes the document's observations: each parsed table is dropped once converted.
    """

    document: Mapping[str, Any]
    problems: list[tuple[Path_, str, str]] = field(default_factory=list)
    derivations: dict[str, Derivation] = field(default_factory=dict)

    def problem(self, path: Path_, message: str, hint: str = "") -> None:
        self.problems.append((path, message, hint))

    def run(self) -> Registry | None:
        self._check_top_level()
        defaults = self._defaults()
        plans = self._entries("plans", self._plan)
        indicators = self._resolve_derivations(self._entries("indicators", self._indicator))
        self.derivations.update(
            {i: ind.derived for i, ind in indicators.items() if ind.derived is not None}
        )
        observations = self._observations(indicators)
        targets = self._entries(
            "targets", lambda ident, raw: self._target(ident, raw, plans, indicators)
        )
        self._check_baselines(targets, observations)
        if self.problems:
            return None
        return Registry(
            plans=plans,
            indicators=indicators,
            targets=targets,
            observations=tuple(observations),
            defaults=defaults,
        )

    # top level

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
                f"this file is format {_describe(version)}; this prosperity reads format "
                f"{FORMAT_VERSION}",
                "upgrade prosperity, or migrate the file (see docs/registry.md)",
            )

    def _defaults(self) -> Defaults:
        raw = self.document.get("defaults", {})
        if not isinstance(raw, dict):
            self.problem(("defaults",), "expected a table", "write it as [defaults]")
            return Defaults()
        for key in raw:
            if key not in DEFAULTS_KEYS:
                hint = did_you_mean(key, DEFAULTS_KEYS) or f"allowed: {', '.join(DEFAULTS_KEYS)}"
                self.problem(("defaults", key), "unknown key", hint)
        grace = self._optional(("defaults",), raw, "grace", _duration)
        age = self._optional(("defaults",), raw, "provisional_age", _duration)
        return Defaults(grace=grace, provisional_age=age)

    def _entries(self, kind: str, build: Callable[[str, Mapping[str, Any]], Any]) -> dict[str, Any]:
        section = self.document.get(kind, {})
        if not isinstance(section, dict):
            self.problem((kind,), "expected tables", f"write each entry as [{kind}.ID]")
            return {}
        built: dict[str, Any] = {}
        for ident, raw in section.items():
            if not _ID.fullmatch(ident):
                self.problem(
                    (kind, ident), "is not a usable ID", "use letters, digits, '-' and '_' only"
                )
                continue
            if not isinstance(raw, dict):
                self.problem((kind, ident), "expected a table", f"write it as [{kind}.{ident}]")
                continue
            if not self._keys_ok((kind, ident), kind, raw):
                continue
            entry = build(ident, raw)
            if entry is not None:
                built[ident] = entry
        return built

    def _keys_ok(self, path: Path_, kind: str, raw: Mapping[str, Any]) -> bool:
        """Report unknown and missing keys; False when the entry cannot be built."""
        allowed = REQUIRED[kind] + OPTIONAL[kind]
        required = DERIVED_REQUIRED if kind == "indicators" and "derived" in raw else REQUIRED[kind]
        ok = True
        for key in raw:
            if key not in allowed:
                hint = did_you_mean(key, allowed) or f"allowed keys: {', '.join(allowed)}"
                self.problem((*path, key), "unknown key", hint)
        for key in required:
            if key not in raw:
                self.problem((*path, key), "missing", f"add {key} = {_EXAMPLES[key]}")
                ok = False
        return ok

    # field access

    def _field(
        self, path: Path_, raw: Mapping[str, Any], key: str, convert: Callable[[Any], Any]
    ) -> Any:
        try:
            return convert(raw[key])
        except _FieldError as exc:
            self.problem((*path, key), exc.message, exc.hint)
            return _INVALID

    def _optional(
        self, path: Path_, raw: Mapping[str, Any], key: str, convert: Callable[[Any], Any]
    ) -> Any:
        if key not in raw:
            return None
        value = self._field(path, raw, key, convert)
        return None if value is _INVALID else value

    def _texts(self, path: Path_, raw: Mapping[str, Any]) -> dict[str, Any]:
        """The text keys, tags and provenance every kind of entry shares, converted."""
        values: dict[str, Any] = {key: self._optional(path, raw, key, _text) for key in _TEXT}
        tags = self._optional(path, raw, "tags", _tags)
        values["tags"] = tags or ()
        values["url"] = self._optional(path, raw, "url", _url)
        values["publisher"] = self._optional(path, raw, "publisher", _required_text)
        values["published"] = self._optional(path, raw, "published", _date)
        values["locator"] = self._optional(path, raw, "locator", _required_text)
        values["grade"] = self._optional(path, raw, "grade", _enum(Grade))
        return values

    def _derived_flag(self, path: Path_, raw: Mapping[str, Any]) -> bool:
        """`derived = true` on a target or observation: a figure we computed, which must say
        how in its note."""
        derived = self._optional(path, raw, "derived", _bool) or False
        note = raw.get("note")
        if derived and not (isinstance(note, str) and note.strip()):
            self.problem(
                (*path, "derived"),
                "a derived figure needs its arithmetic",
                'add note = "computed as ..." with the published figures it comes from',
            )
        return derived

    # entries

    def _plan(self, ident: str, raw: Mapping[str, Any]) -> Plan | None:
        path: Path_ = ("plans", ident)
        title = self._field(path, raw, "title", _required_text)
        region = self._optional(path, raw, "region", _text)
        texts = self._texts(path, raw)
        if title is _INVALID:
            return None
        return Plan(ident, title, region, **texts)

    def _indicator(self, ident: str, raw: Mapping[str, Any]) -> Indicator | None:
        path: Path_ = ("indicators", ident)
        derived = self._optional(path, raw, "derived", _derivation)
        name = self._field(path, raw, "name", _required_text)
        unit = self._field(path, raw, "unit", _required_text) if "unit" in raw else RATIO
        # A derived indicator without a cadence takes its numerator's (filled in later).
        cadence = self._field(path, raw, "cadence", _enum(Cadence)) if "cadence" in raw else None
        region = self._optional(path, raw, "region", _text)
        lag = self._optional(path, raw, "lag", _duration)
        grace = self._optional(path, raw, "grace", _duration)
        texts = self._texts(path, raw)
        if _INVALID in (name, unit, cadence) or ("derived" in raw and derived is None):
            return None
        return Indicator(
            ident, name, unit, cadence or Cadence.IRREGULAR, region, lag, grace, derived, **texts
        )

    def _resolve_derivations(self, indicators: dict[str, Indicator]) -> dict[str, Indicator]:
        """Check that each derivation's inputs exist and are plain; inherit their cadence."""
        declared = self.document.get("indicators", {})
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
                        self.problem((*path, key), f"no indicator {ref!r}", hint)
                    broken = True
                elif source.derived is not None or ref == ident:
                    self.problem(
                        (*path, key),
                        f"{ref!r} is itself derived",
                        "derive only from indicators that hold observations",
                    )
                    broken = True
            if broken:
                del indicators[ident]
            elif "cadence" not in declared[ident]:
                cadence = indicators[indicator.derived.numerator].cadence
                indicators[ident] = replace(indicator, cadence=cadence)
        return indicators

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
        goal = self._field(path, raw, "goal", _enum(Goal))
        unit = indicators[indicator].unit if indicator in indicators else None
        value = self._field(path, raw, "value", _value(unit)) if unit is not None else _INVALID
        deadline = self._field(path, raw, "deadline", _date)
        baseline = self._optional(path, raw, "baseline", _period)
        method = self._optional(path, raw, "method", _enum(Method)) or Method.CAGR
        texts = self._texts(path, raw)
        derived = self._derived_flag(path, raw)
        if _INVALID in (indicator, plan, goal, value, deadline):
            return None
        return Target(
            ident,
            indicator,
            plan,
            goal,
            value,
            deadline,
            baseline,
            method,
            derived=derived,
            **texts,
        )

    def _reference(
        self,
        path: Path_,
        raw: Mapping[str, Any],
        key: str,
        kind: str,
        known: Mapping[str, Any],
    ) -> Any:
        ident = self._field(path, raw, key, _required_text)
        if ident is _INVALID:
            return _INVALID
        if ident not in known:
            declared = self.document.get(kind)
            if isinstance(declared, dict) and ident in declared:
                return _INVALID  # the entry exists but is itself invalid: reported there
            hint = did_you_mean(ident, tuple(known)) or f"declare it as [{kind}.{ident}]"
            self.problem((*path, key), f"no {kind[:-1]} {ident!r}", hint)
            return _INVALID
        return ident

    def _observations(
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
        seen: dict[str, dict[tuple[date, date], int]] = {}
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
                if not self._keys_ok(path, "observations", raw):
                    continue
                observation = self._observation(path, index, raw, indicators)
                if observation is None:
                    continue
            periods = seen.get(observation.indicator)
            if periods is None:
                periods = seen[observation.indicator] = {}
            key = observation.period.key
            if key in periods and not observation.revises:
                first = periods[key] + 1
                self.problem(
                    (*path, "period"),
                    f"{observation.indicator} already has a value for {observation.period} "
                    f"(observations[{first}])",
                    "to correct that value add `revises = true`, or delete one of them",
                )
                continue
            if observation.revises and key not in periods:
                self.problem(
                    (*path, "revises"),
                    f"nothing earlier to revise for {observation.indicator} {observation.period}",
                    "remove `revises = true`",
                )
                continue
            periods[key] = index
            built.append(observation)
        return built

    def _observation(
        self, path: Path_, index: int, raw: Mapping[str, Any], indicators: Mapping[str, Indicator]
    ) -> Observation | None:
        indicator = self._reference(path, raw, "indicator", "indicators", indicators)
        period = self._field(path, raw, "period", _period)
        unit = indicators[indicator].unit if indicator in indicators else None
        value = self._field(path, raw, "value", _value(unit)) if unit is not None else _INVALID
        provisional = self._optional(path, raw, "provisional", _bool) or False
        revises = self._optional(path, raw, "revises", _bool) or False
        recorded = self._optional(path, raw, "recorded", _date)
        reported = self._optional(path, raw, "reported", _bool) or False
        texts = self._texts(path, raw)
        derived = self._derived_flag(path, raw)
        if derived and reported:
            self.problem(
                (*path, "derived"),
                "a reported figure is the one the source states, so it is not derived",
                "remove `derived = true`, or `reported = true` if you computed the figure",
            )
            return None
        if _INVALID in (indicator, period, value):
            return None
        if not self._reported_ok(path, indicators[indicator], reported):
            return None
        return Observation(
            indicator,
            period,
            value,
            index,
            provisional=provisional,
            revises=revises,
            recorded=recorded,
            reported=reported,
            decimals=written_decimals(raw["value"]) if reported else None,
            derived=derived,
            **texts,
        )

    def _reported_ok(self, path: Path_, indicator: Indicator, reported: bool) -> bool:
        """Values of a derived indicator are computed; only published figures may be kept."""
        derived = indicator.derived
        if derived is not None and not reported:
            self.problem(
                (*path, "indicator"),
                f"{indicator.id} is derived ({derived.numerator} / {derived.denominator}); "
                "its values are computed",
                "record the two inputs instead, or add `reported = true` to keep a figure "
                "the source states, for comparison",
            )
            return False
        if derived is None and reported:
            self.problem(
                (*path, "reported"),
                f"{indicator.id} is not a derived indicator",
                "remove `reported = true`; it marks published figures of derived indicators",
            )
            return False
        return True

    def _check_baselines(
        self, targets: Mapping[str, Target], observations: list[Observation]
    ) -> None:
        wanted = {t.indicator for t in targets.values() if t.baseline is not None}
        for ident in list(wanted):
            derived = self.derivations.get(ident)
            if derived is not None:
                wanted |= {derived.numerator, derived.denominator}
        have: dict[str, set[tuple[date, date]]] = {ident: set() for ident in wanted}
        for o in observations:
            if o.indicator in wanted and not o.reported:
                have[o.indicator].add(o.period.key)
        for target in targets.values():
            if target.baseline is None:
                continue
            if target.deadline < target.baseline.end:
                self.problem(
                    ("targets", target.id, "deadline"),
                    f"{target.deadline} is before the end of the baseline period "
                    f"{target.baseline} ({target.baseline.end})",
                    "a target is measured from its baseline to its deadline: correct one of them",
                )
                continue
            if not self._has_value(target.indicator, target.baseline.key, have):
                self.problem(
                    ("targets", target.id, "baseline"),
                    f"no observation of {target.indicator} for period {target.baseline}",
                    "add that observation, or remove baseline",
                )

    def _has_value(
        self, ident: str, key: tuple[date, date], have: Mapping[str, set[tuple[date, date]]]
    ) -> bool:
        """Is there a value for `key`: observed, or computable from both inputs?"""
        derived = self.derivations.get(ident)
        if derived is None:
            return key in have[ident]
        return key in have[derived.numerator] and key in have[derived.denominator]


#: The keys the fast path handles itself; any other key takes the full checks.
_PLAIN_KEYS = frozenset(
    (*REQUIRED["observations"], *_TEXT, *_PROVENANCE, "provisional", "revises", "recorded")
)
_GRADES = {grade.value: grade for grade in Grade}


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
    if indicator is None or indicator.derived is not None:
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
        period = cached_period(period_text)
    except PeriodError:
        return None
    url, publisher, published = raw.get("url"), raw.get("publisher"), raw.get("published")
    locator, grade_text = raw.get("locator"), raw.get("grade")
    grade = _GRADES.get(grade_text) if isinstance(grade_text, str) else None
    if (
        (url is not None and (type(url) is not str or not _URL.fullmatch(url)))
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


#: Integers beyond this are too large for a float (the full checks refuse them).
_LARGEST_INT = 2**1023


def _plain_date(value: Any) -> bool:
    return type(value) is date and MIN_YEAR <= value.year <= MAX_YEAR


@functools.lru_cache(maxsize=16384)
def cached_period(text: str) -> Period:
    """parse_period, once per distinct string: a journal repeats the same few periods."""
    return parse_period(text)


class _Invalid:
    def __repr__(self) -> str:
        return "<invalid>"


_INVALID: Any = _Invalid()

_EXAMPLES = {
    "title": '"Five-year plan 2021-2025"',
    "name": '"Per capita GDP"',
    "unit": '"yuan" (or "ratio", "percent")',
    "cadence": '"annual" (or semiannual, quarterly, monthly, irregular)',
    "indicator": '"ID of an [indicators.ID] entry"',
    "plan": '"ID of a [plans.ID] entry"',
    "goal": '"at-least" (or at-most, above, below)',
    "value": "180000",
    "deadline": "2025-12-31",
    "period": '"2024" (or 2024-Q3, 2024-09, 2025-01/2025-09)',
}


# --- converters: raise _FieldError(message, hint) -------------------------------------------


def _describe(value: Any) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return str(value)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise _FieldError(f"expected text, got {_describe(value)}", "put the text in quotes")
    return value


def is_web_address(text: str) -> bool:
    """http(s), then no space or control character: what `url` accepts."""
    return _URL.fullmatch(text) is not None


def _url(value: Any) -> str:
    text = _text(value)
    if not is_web_address(text):
        raise _FieldError(
            f"{_describe(text)} is not a web address",
            "write the address of the page, starting with https:// or http://",
        )
    return text


def _required_text(value: Any) -> str:
    text = _text(value)
    if not text.strip():
        raise _FieldError("is empty", "write a value between the quotes")
    return text


def _date(value: Any) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        try:
            return check_year(value, "date")
        except PeriodError as exc:
            raise _FieldError(str(exc), "write a date within those years") from None
    if isinstance(value, datetime):
        raise _FieldError(
            f"expected a date like 2025-12-31, got a date and time {value.isoformat()}",
            "drop the time of day",
        )
    if isinstance(value, str):
        try:
            date.fromisoformat(value)
        except ValueError:
            pass
        else:
            raise _FieldError(
                f"expected a date like 2025-12-31, got {_describe(value)}",
                "write it without quotes",
            )
    if isinstance(value, int) and not isinstance(value, bool):
        raise _FieldError(
            f"expected a date like 2025-12-31, got {value}",
            f'"by {value}" means {value}-12-31: write that, without quotes',
        )
    raise _FieldError(f"expected a date like 2025-12-31, got {_describe(value)}", "")


def _period(value: Any) -> Period:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, datetime) or not isinstance(value, str | date):
        raise _FieldError(f"expected a period, got {_describe(value)}", f"write {PERIOD_FORMS}")
    try:
        return cached_period(value) if isinstance(value, str) else parse_period(value)
    except PeriodError as exc:
        raise _FieldError(str(exc), f"write {PERIOD_FORMS}") from None


def _duration(value: Any) -> Duration:
    if not isinstance(value, str):
        raise _FieldError(f"expected {DURATION_FORMS}, got {_describe(value)}", "put it in quotes")
    try:
        return parse_duration(value)
    except PeriodError as exc:
        raise _FieldError(str(exc), f"write {DURATION_FORMS}") from None


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _FieldError(f"expected true or false, got {_describe(value)}", "write true or false")
    return value


def _tags(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(tag, str) for tag in value):
        raise _FieldError(f"expected a list of text, got {_describe(value)}", 'write ["a", "b"]')
    return tuple(value)


def _value(unit: str) -> Callable[[Any], float]:
    def convert(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise _FieldError(
                f"expected a number, got {_describe(value)}", f"write {expected_forms(unit)}"
            )
        try:
            return parse_value(value, unit)
        except ValueParseError as exc:
            raise _FieldError(str(exc), f"write {expected_forms(unit)}") from None

    return convert


def _derivation(value: Any) -> Derivation:
    example = 'derived = { numerator = "urban-income", denominator = "rural-income" }'
    if not isinstance(value, dict):
        raise _FieldError(f"expected a table, got {_describe(value)}", f"write {example}")
    unknown = [key for key in value if key not in DERIVED_KEYS]
    missing = [key for key in DERIVED_KEYS if key not in value]
    if unknown or missing or not all(isinstance(value[k], str) for k in DERIVED_KEYS):
        wrong = ", ".join(unknown + [f"{k} missing" for k in missing]) or "values must be IDs"
        raise _FieldError(f"expected numerator and denominator ({wrong})", f"write {example}")
    return Derivation(value["numerator"], value["denominator"])


def written_decimals(value: Any) -> int:
    """How many decimals a value was written with: 1.55 -> 2, 2 -> 0, "1.7:1" -> 1."""
    text = repr(value) if isinstance(value, float) else str(value)
    if isinstance(value, float) and ("e" in text or "inf" in text):
        return 0
    number = re.match(r"\s*[+-]?[\d,_]*(?:\.(\d*))?", text)
    return len(number[1]) if number and number[1] else 0


def _enum(kind: type[Any]) -> Callable[[Any], Any]:
    choices = tuple(member.value for member in kind)

    def convert(value: Any) -> Any:
        if not isinstance(value, str) or value not in choices:
            near = did_you_mean(value, choices) if isinstance(value, str) else ""
            raise _FieldError(
                f"{_describe(value)} is not one of {', '.join(choices)}",
                near or f"write one of {', '.join(choices)}",
            )
        return kind(value)

    return convert


# --- line numbers, computed only when there is a problem to report --------------------------

_HEADER = re.compile(r"\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(
    r"\s*((?:\"[^\"]*\"|'[^']*'|[A-Za-z0-9_-]+)(?:\s*\.\s*(?:\"[^\"]*\"|'[^']*'|[A-Za-z0-9_-]+))*)\s*="
)


def _split_key(dotted: str) -> tuple[str, ...]:
    parts = re.findall(r"\"([^\"]*)\"|'([^']*)'|([A-Za-z0-9_-]+)", dotted)
    return tuple(a or b or c for a, b, c in parts)


class LineIndex:
    """Maps document paths such as ("targets", "x", "value") to 1-based line numbers."""

    def __init__(self, text: str, wanted: set[Path_] | None = None) -> None:
        """Index `text`; with `wanted`, stop as soon as each of those paths has a line."""
        self.lines: dict[Path_, int] = {}
        missing = set(wanted) if wanted else None
        table: Path_ = ()
        counts: dict[tuple[str, ...], int] = {}
        in_multiline: str | None = None
        # split("\n"), not splitlines(): TOML ends lines only at LF (or CRLF), while
        # splitlines() also breaks at U+2028 and friends, which may sit inside strings.
        for number, line in enumerate(text.split("\n"), start=1):
            if in_multiline:
                if line.count(in_multiline) % 2 == 1:
                    in_multiline = None
                continue
            header = _HEADER.match(line)
            if header:
                name = _split_key(header[2])
                if header[1] == "[[":
                    index = counts.get(name, 0)
                    counts[name] = index + 1
                    table = (*name, index)
                else:
                    table = name
                for end in range(1, len(table) + 1):
                    self.lines.setdefault(table[:end], number)
                if missing is not None:
                    missing.discard(table)
                    if not missing:
                        break
                continue
            key = _KEY.match(line)
            if key:
                self.lines.setdefault((*table, *_split_key(key[1])), number)
                rest = line[key.end() :]
                for quotes in ('"""', "'''"):
                    if rest.count(quotes) % 2 == 1:
                        in_multiline = quotes

    def line_of(self, path: Path_) -> int | None:
        """The line of `path`, else of its nearest enclosing entry, else None.

        A missing top-level key (`format`) is placed on line 1, where it belongs.
        """
        for end in range(len(path), 0, -1):
            found = self.lines.get(path[:end])
            if found is not None:
                return found
        return 1 if len(path) == 1 else None
