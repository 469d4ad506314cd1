"""The domain model: plans, indicators, targets, observations, and the registry holding them.

Frozen dataclasses, no I/O. `registry.py` builds them from a file; everything else reads them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import Enum
from typing import NamedTuple

from prosperity_cli.limits import Limit
from prosperity_cli.periods import Cadence, Duration, Period
from prosperity_cli.spread import Statistic

FORMAT_VERSION = 1


class Goal(Enum):
    """What a target asks of its indicator. above/below are strict."""

    AT_LEAST = "at-least"
    AT_MOST = "at-most"
    ABOVE = "above"
    BELOW = "below"

    @property
    def direction(self) -> int:
        """+1 when the indicator should rise toward the target, -1 when it should fall."""
        return 1 if self in (Goal.AT_LEAST, Goal.ABOVE) else -1

    @property
    def symbol(self) -> str:
        return {"at-least": "≥", "at-most": "≤", "above": ">", "below": "<"}[self.value]

    def is_met(self, value: float, target: float) -> bool:
        """Does `value` meet the goal? at-least/at-most forgive float noise; strict ones don't."""
        tolerance = 1e-9 * max(1.0, abs(target))
        if self is Goal.AT_LEAST:
            return value >= target - tolerance
        if self is Goal.AT_MOST:
            return value <= target + tolerance
        if self is Goal.ABOVE:
            return value > target
        return value < target


class Grade(Enum):
    """How far a source can be relied on, best first (docs/registry.md, "Provenance")."""

    OFFICIAL_STATISTICS = "official-statistics"
    OFFICIAL_MEDIA = "official-media"
    SECONDARY = "secondary"

    @property
    def rank(self) -> int:
        """Higher is more reliable; an ungraded figure ranks 0, below every grade."""
        return {"official-statistics": 3, "official-media": 2, "secondary": 1}[self.value]

    @property
    def label(self) -> str:
        return self.value.replace("-", " ")


def grade_rank(grade: Grade | None) -> int:
    """The rank that decides which of two values for one period counts (see series.py)."""
    return 0 if grade is None else grade.rank


class Method(Enum):
    """How pace is measured: compound annual growth (default) or units per year, from the
    baseline and the latest value, or from a least-squares fit over every value between."""

    CAGR = "cagr"
    LINEAR = "linear"
    TREND = "trend"
    LINEAR_TREND = "linear-trend"

    @property
    def compound(self) -> bool:
        """Growth rates (cagr, and trend's log-linear fit) rather than units per year."""
        return self in (Method.CAGR, Method.TREND)

    @property
    def fitted(self) -> bool:
        """A fit over every value from the baseline on, rather than two points."""
        return self in (Method.TREND, Method.LINEAR_TREND)

    @property
    def linear_counterpart(self) -> Method:
        """The method used when growth rates are meaningless (a value that is not positive)."""
        return Method.LINEAR_TREND if self.fitted else Method.LINEAR


class Desired(Enum):
    """Which way an indicator should move, for one tracked without a quantified target."""

    INCREASE = "increase"
    DECREASE = "decrease"

    @property
    def direction(self) -> int:
        return 1 if self is Desired.INCREASE else -1


@dataclass(frozen=True, slots=True)
class Plan:
    id: str
    title: str
    region: str | None = None
    published: date | None = None
    source: str | None = None
    quote: str | None = None
    note: str | None = None
    tags: tuple[str, ...] = ()
    url: str | None = None
    publisher: str | None = None
    locator: str | None = None
    grade: Grade | None = None
    #: The body responsible for the plan's targets; its targets inherit it.
    owner: str | None = None


@dataclass(frozen=True, slots=True)
class Derivation:
    """An indicator computed as numerator / denominator of two other indicators."""

    numerator: str
    denominator: str


@dataclass(frozen=True, slots=True)
class Spread:
    """An indicator computed as a spread across the regions of a measure (spread.py)."""

    measure: str
    statistic: Statistic

    @property
    def text(self) -> str:
        """ "max/min of urban-rural-income-ratio"."""
        return f"{self.statistic.value} of {self.measure}"


@dataclass(frozen=True, slots=True)
class Indicator:
    id: str
    name: str
    unit: str
    cadence: Cadence
    region: str | None = None
    lag: Duration | None = None
    grace: Duration | None = None
    derived: Derivation | None = None
    source: str | None = None
    quote: str | None = None
    note: str | None = None
    tags: tuple[str, ...] = ()
    url: str | None = None
    publisher: str | None = None
    published: date | None = None
    locator: str | None = None
    grade: Grade | None = None
    #: Which way the indicator should move (for a class without a quantified target).
    desired: Desired | None = None
    #: The values it can take, when declared; see limits.limit_of for the unit's default.
    limit: Limit | None = None
    #: The shared quantity this indicator measures in its region (`prosperity compare`).
    measure: str | None = None
    #: Computed as a spread across a measure's regions.
    spread: Spread | None = None

    @property
    def computed(self) -> bool:
        """Are its values computed (derived or spread) rather than recorded?"""
        return self.derived is not None or self.spread is not None

    @property
    def computed_from(self) -> str:
        """How its values are computed: "a / b", "max/min of m"; "" for a recorded one."""
        if self.derived is not None:
            return f"{self.derived.numerator} / {self.derived.denominator}"
        if self.spread is not None:
            return self.spread.text
        return ""


@dataclass(frozen=True, slots=True)
class Target:
    id: str
    indicator: str
    plan: str
    goal: Goal
    value: float
    deadline: date
    baseline: Period | None = None
    method: Method = Method.CAGR
    source: str | None = None
    quote: str | None = None
    note: str | None = None
    tags: tuple[str, ...] = ()
    url: str | None = None
    publisher: str | None = None
    published: date | None = None
    locator: str | None = None
    grade: Grade | None = None
    #: The target value was computed from published figures (the arithmetic is in `note`).
    derived: bool = False
    #: The body responsible; None inherits the plan's.
    owner: str | None = None


class Observation(NamedTuple):
    """One entry of the journal; `position` is its place among all observations (0-based).

    A NamedTuple rather than a frozen dataclass like the rest of the model: equally
    immutable, but built in C. A registry may hold 100,000 observations, and building them
    as frozen dataclasses (one object.__setattr__ per field) took 0.4 s of every run.
    """

    indicator: str
    period: Period
    value: float
    position: int = 0
    source: str | None = None
    quote: str | None = None
    note: str | None = None
    provisional: bool = False
    revises: bool = False
    recorded: date | None = None
    tags: tuple[str, ...] = ()
    reported: bool = False
    #: For a `reported` value: how many decimals it was written with (its rounding).
    decimals: int | None = None
    url: str | None = None
    publisher: str | None = None
    published: date | None = None
    locator: str | None = None
    grade: Grade | None = None
    #: Computed from published figures rather than stated by the source (see `note`).
    derived: bool = False


@dataclass(frozen=True, slots=True)
class Defaults:
    """Registry-wide defaults under `[defaults]`."""

    grace: Duration | None = None
    provisional_age: Duration | None = None
    #: The span of the short-term pace (default five years, Eurostat's short term).
    short_term: Duration | None = None
    #: The span of a tracked indicator's long-term trend (default fifteen years).
    long_term: Duration | None = None


@dataclass(frozen=True, slots=True)
class Registry:
    """A loaded, validated registry. Observations keep file order (the journal order)."""

    plans: Mapping[str, Plan]
    indicators: Mapping[str, Indicator]
    targets: Mapping[str, Target]
    observations: tuple[Observation, ...]
    defaults: Defaults = field(default_factory=Defaults)
    format: int = FORMAT_VERSION
    #: Each indicator's observations in file order; built on first use (see _by_indicator).
    _series: dict[str, list[Observation]] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def observations_of(self, indicator_id: str) -> list[Observation]:
        """Every observation of one indicator, in file order, revisions included."""
        return list(self._by_indicator().get(indicator_id, ()))

    def extended(self, added: Sequence[Observation]) -> Registry:
        """This registry with `added` appended to its journal (already validated).

        The index by indicator is carried over, with only the touched indicators' lists
        copied: appending one observation to 100,000 does not index them all again.
        """
        grown = replace(self, observations=(*self.observations, *added))
        if self._series is not None:
            series = dict(self._series)
            copied: set[str] = set()
            for observation in added:
                ident = observation.indicator
                if ident not in copied:  # each touched list copied once, then extended
                    series[ident] = list(series.get(ident, ()))
                    copied.add(ident)
                series[ident].append(observation)
            object.__setattr__(grown, "_series", series)
        return grown

    def _by_indicator(self) -> dict[str, list[Observation]]:
        series = self._series
        if series is None:
            series = {}
            for observation in self.observations:
                series.setdefault(observation.indicator, []).append(observation)
            object.__setattr__(self, "_series", series)
        return series
