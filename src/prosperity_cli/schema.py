"""The registry format, declared once: every table, key, kind of value, default and meaning.

Validation (validation.py) converts each key by its declared kind and reports unknown and
missing keys from these declarations; the JSON Schema that editors read (`prosperity schema`,
json_schema.py) and the key tables of docs/registry.md (docs_tables.py) are generated from
them. Rules that need more than one key or entry (references, baselines, duplicates,
derivations) are small named functions in rules.py.

Pure data and small functions; no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from prosperity_cli import fields
from prosperity_cli.model import FORMAT_VERSION, Desired, Goal, Grade, Method
from prosperity_cli.periods import MAX_YEAR, MIN_YEAR, Cadence
from prosperity_cli.spread import Statistic

#: A JSON Schema fragment.
JSON = dict[str, Any]


@dataclass(frozen=True)
class Kind:
    """A kind of value: how the docs name it, its JSON Schema, and its converter (None when
    the conversion needs context, such as the indicator's unit for a value)."""

    doc: str
    json: JSON
    convert: Callable[[Any], Any] | None = None


_ID_PATTERN = "^" + fields.ID.pattern + "$"
_DATE: JSON = {"type": "string", "format": "date"}
_PERIOD_TEXT = (
    r"^\s*\d{4}(-(H[12]|Q[1-4]|\d{2}(-\d{2})?))?"
    r"(\s*/\s*\d{4}(-(H[12]|Q[1-4]|\d{2}(-\d{2})?))?)?\s*$"
)


def _choices(kind: type[Any]) -> Kind:
    values = [member.value for member in kind]
    doc = "one of " + ", ".join(f"`{v}`" for v in values)
    return Kind(doc, {"enum": values}, fields.one_of(kind))


TEXT = Kind("text", {"type": "string"}, fields.text)
NONEMPTY = Kind("text, not empty", {"type": "string", "pattern": r"\S"}, fields.required_text)
URL = Kind(
    "text: a web address starting with `https://` or `http://`, without spaces",
    {"type": "string", "pattern": "^" + fields.URL.pattern + "$"},
    fields.url,
)
DATE = Kind("TOML date, no quotes", _DATE, fields.a_date)
PERIOD = Kind(
    "period",
    {
        "anyOf": [
            {"type": "string", "pattern": _PERIOD_TEXT},
            {"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR},
            _DATE,
        ]
    },
    fields.period,
)
DURATION = Kind(
    "duration (text)",
    {"type": "string", "pattern": r"^\s*\d+\s*[A-Za-z]+"},
    fields.duration,
)
BOOLEAN = Kind("`true` or `false`", {"type": "boolean"}, fields.boolean)
TAGS = Kind("list of text", {"type": "array", "items": {"type": "string"}}, fields.tags)
VALUE = Kind("number, or text in the indicator's unit", {"type": ["number", "string"]})
INDICATOR_ID = Kind("text: an indicator ID", {"type": "string", "pattern": _ID_PATTERN})
PLAN_ID = Kind("text: a plan ID", {"type": "string", "pattern": _ID_PATTERN})
DERIVATION = Kind(
    "inline table `{ numerator = ID, denominator = ID }`",
    {
        "type": "object",
        "properties": {
            key: {"type": "string", "pattern": _ID_PATTERN} for key in fields.DERIVED_KEYS
        },
        "required": list(fields.DERIVED_KEYS),
        "additionalProperties": False,
    },
    fields.derivation,
)
MEASURE = Kind(
    "text: an ID shared by the indicators of one quantity",
    {"type": "string", "pattern": _ID_PATTERN},
    fields.identifier,
)
SPREAD = Kind(
    'inline table `{ measure = ID, statistic = "max/min" }` (or `"max-min"`, `"cv"`)',
    {
        "type": "object",
        "properties": {
            "measure": {"type": "string", "pattern": _ID_PATTERN},
            "statistic": {"enum": [s.value for s in Statistic]},
        },
        "required": list(fields.SPREAD_KEYS),
        "additionalProperties": False,
    },
    fields.spread,
)
LIMIT = Kind(
    "inline table `{ lower = NUMBER, upper = NUMBER }`, either optional",
    {
        "type": "object",
        "properties": {key: {"type": "number"} for key in fields.LIMIT_KEYS},
        "additionalProperties": False,
    },
    fields.limit,
)
GOAL, METHOD, CADENCE, GRADE, DESIRED = (
    _choices(k) for k in (Goal, Method, Cadence, Grade, Desired)
)


@dataclass(frozen=True)
class Key:
    """One key of a table: its kind, whether it is required, and what it means."""

    name: str
    kind: Kind
    meaning: str
    required: bool = False
    #: Not required when one of these other keys is present (a derived indicator needs no
    #: unit).
    optional_with: tuple[str, ...] = ()
    #: A complete line showing the key in use, for the docs and for "missing" hints.
    example: str = ""
    #: Keys shown as one row of the docs tables (they mean the same in every table).
    group: str | None = None
    #: The value a "missing" error suggests, when it differs from the example's.
    missing: str = ""

    @property
    def suggestion(self) -> str:
        """What to add when the key is missing: "value = 180000"."""
        return f"{self.name} = {self.missing}" if self.missing else self.example


@dataclass(frozen=True)
class Table:
    """One kind of entry: `[plans.ID]`, `[[observations]]`, `[defaults]`."""

    name: str
    header: str
    meaning: str
    keys: tuple[Key, ...]
    #: What a group row of the docs says in this table.
    group_meaning: Mapping[str, str] = field(default_factory=dict)

    def key(self, name: str) -> Key:
        return next(k for k in self.keys if k.name == name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(k.name for k in self.keys)

    def required(self, raw: Mapping[str, Any]) -> tuple[Key, ...]:
        """The keys an entry must have, given the keys it has."""
        return tuple(
            k
            for k in self.keys
            if k.required and not any(other in raw for other in k.optional_with)
        )


def _texts() -> tuple[Key, ...]:
    group = "text"
    return (
        Key("source", TEXT, "Where the entry comes from: title and date of the publication.",
            example='source = "Zhejiang statistical bulletin 2024"', group=group),
        Key("quote", TEXT, "The sentence of the source the entry rests on, verbatim.",
            group=group),
        Key("note", TEXT, "Anything a reader needs to know: readings, inferred dates, "
            'qualifiers such as "surpassed" or "around".', group=group),
    )  # fmt: skip


def _provenance(with_published: bool = True) -> tuple[Key, ...]:
    group = "provenance"
    keys = [
        Key("url", URL, "The page the figure was read on.",
            example='url = "https://tjj.zj.gov.cn/..."', group=group),
        Key("publisher", NONEMPTY, "Who published the source: a statistics bureau, a "
            "government, a newspaper.", group=group),
        Key("published", DATE, "When the source was published.",
            example="published = 2025-03-04", group=group),
        Key("locator", NONEMPTY, "Where in the source the figure is, in your own words.",
            example='locator = "section 10, incomes"', group=group),
        Key("grade", GRADE, "How far the source can be relied on; of two values for one "
            "period, the better-graded one counts.", example='grade = "official-statistics"',
            group=group),
    ]  # fmt: skip
    return tuple(k for k in keys if with_published or k.name != "published")


TAGS_KEY = Key("tags", TAGS, "Free labels. A single string is an error.",
               example='tags = ["income", "gap"]')  # fmt: skip
DERIVED_FLAG = Key(
    "derived",
    BOOLEAN,
    "The figure was computed from published figures rather than stated (say how in `note`).",
    example="derived = true",
)

DEFAULTS = Table(
    "defaults",
    "[defaults]",
    "Registry-wide defaults.",
    (
        Key("grace", DURATION, "Time after a value falls due before the indicator counts as "
            "stale, for indicators without their own `grace`. Without it the grace is one "
            "month.", example='grace = "1 month"'),
        Key("provisional_age", DURATION, "How long a value may stay `provisional` before "
            "`prosperity check` warns that the final value is missing. Counted from the "
            "observation's `recorded` date, else from the end of its period. Without it, 12 "
            "months.", example='provisional_age = "6 months"'),
        Key("short_term", DURATION, "The span of the short-term pace, measured back from the "
            "latest value. Without it, 5 years (Eurostat's short term). See "
            "[Short term and long term](methodology.md#short-term-and-long-term).",
            example='short_term = "3 years"'),
        Key("long_term", DURATION, "How far back a tracked indicator's long-term trend "
            "reaches. Without it, 15 years (Eurostat's long term).",
            example='long_term = "10 years"'),
    ),
)  # fmt: skip

PLANS = Table(
    "plans",
    "[plans.ID]",
    "Plans or programmes that set targets.",
    (
        Key("title", NONEMPTY, "The plan's title.", required=True,
            example='title = "Hangzhou five-year plan (2021-2025)"',
            missing='"Five-year plan 2021-2025"'),
        Key("region", TEXT, "The region the plan covers. A target's region falls back to it.",
            example='region = "Hangzhou"'),
        Key("published", DATE, "When the plan was published or announced, or, when the plan "
            "is known from a later report, that report's date (say which in `note`).",
            example="published = 2021-07-29"),
        Key("owner", NONEMPTY, "The body responsible for the plan's targets (a government, a "
            "department). Its targets inherit it; `status --by owner` groups by it.",
            example='owner = "Zhejiang Provincial Government"'),
        *_texts(),
        *_provenance(with_published=False),
        TAGS_KEY,
    ),
    {"provenance": "Where the plan was read."},
)  # fmt: skip

INDICATORS = Table(
    "indicators",
    "[indicators.ID]",
    "What is measured, in one region.",
    (
        Key("name", NONEMPTY, "What is measured. Targets are shown under this name.",
            required=True, example='name = "Per capita GDP"', missing='"Per capita GDP"'),
        Key("unit", NONEMPTY, '`"ratio"` (shown `1.70:1`), `"percent"` (shown `50%`), or free '
            'text shown after the number (`"yuan"`, `"years"`, `"trillion yuan"`). The two '
            "special units are lower case and exact. See [Values](#values).",
            required=True, optional_with=("derived", "spread"), example='unit = "yuan"',
            missing='"yuan" (or "ratio", "percent")'),
        Key("cadence", CADENCE, "How often a value is published. See [Cadences](#cadences).",
            required=True, optional_with=("derived", "spread"),
            example='cadence = "annual"',
            missing='"annual" (or semiannual, quarterly, monthly, irregular)'),
        Key("region", TEXT, "The region measured.", example='region = "Zhejiang"'),
        Key("lag", DURATION, "Publication lag: how long after a period ends its value "
            "appears. Default: none.", example='lag = "3 months"'),
        Key("grace", DURATION, "Overrides `[defaults] grace` for this indicator.",
            example='grace = "2 weeks"'),
        Key("derived", DERIVATION, "Makes the indicator the ratio of two other indicators. See "
            "[Derived indicators](#derived-indicators).",
            example='derived = { numerator = "sx-urban-income", denominator = "sx-rural-income" }'),
        Key("measure", MEASURE, "The quantity measured, named by an ID that the indicators "
            "of the same quantity in other regions share (same unit). `prosperity compare` "
            "sets them side by side. See [Measures](#measures).",
            example='measure = "urban-rural-income-ratio"'),
        Key("spread", SPREAD, "Makes the indicator the spread across a measure's regions: "
            "highest over lowest (`max/min`), highest minus lowest (`max-min`) or the "
            "coefficient of variation in percent (`cv`). See [Measures](#measures).",
            example='spread = { measure = "city-income", statistic = "max/min" }'),
        Key("desired", DESIRED, "Which way the indicator should move. An indicator with it and "
            "no target gets a trend class. See [Tracked indicators](methodology.md#tracked-"
            "indicators).", example='desired = "increase"'),
        Key("limit", LIMIT, "The values the indicator can take. Without it, `percent` is 0 to "
            "100, `ratio` at least 0, other units unbounded; `limit = {}` declares none. "
            "Projections never cross it. See [Natural limits](methodology.md#natural-limits).",
            example="limit = { lower = 0 }"),
        *_texts(),
        *_provenance(),
        TAGS_KEY,
    ),
    {"provenance": "Where the indicator's definition was read."},
)  # fmt: skip

TARGETS = Table(
    "targets",
    "[targets.ID]",
    "A goal for one indicator under one plan.",
    (
        Key("indicator", INDICATOR_ID, "The indicator the goal is about. Must be declared as "
            "`[indicators.ID]`.", required=True, example='indicator = "hz-per-capita-gdp"',
            missing='"ID of an [indicators.ID] entry"'),
        Key("plan", PLAN_ID, "The plan that sets the goal. Must be declared as `[plans.ID]`.",
            required=True, example='plan = "hangzhou-2021-2025"',
            missing='"ID of a [plans.ID] entry"'),
        Key("goal", GOAL, "The comparison the latest value must pass. `above` and `below` are "
            "strict: a value equal to the target does not meet them.", required=True,
            example='goal = "at-least"', missing='"at-least" (or at-most, above, below)'),
        Key("value", VALUE, "The target value. See [Values](#values).", required=True,
            example="value = 180000"),
        Key("deadline", DATE, 'The date by which the goal is to be met. "By 2025" means '
            "`2025-12-31`; a bare year (`deadline = 2025`) is an error that says so.",
            required=True, example="deadline = 2025-12-31"),
        Key("baseline", PERIOD, "The period of an observation of the same indicator, used as "
            "the starting point of progress and pace. The observation must exist in the file.",
            example='baseline = "2020"'),
        Key("method", METHOD, "How pace is measured: compound annual growth rates (`cagr`, "
            "the default) or units per year (`linear`) from the baseline to the latest value, "
            "or a least-squares fit over every value from the baseline on: log-linear "
            "(`trend`) or linear (`linear-trend`). See [Pace](methodology.md#pace).",
            example='method = "linear"'),
        Key("owner", NONEMPTY, "The body responsible for the target, when it is not the "
            "plan's `owner`.", example='owner = "Hangzhou Bureau of Statistics"'),
        *_texts(),
        *_provenance(),
        DERIVED_FLAG,
        TAGS_KEY,
    ),
    {"provenance": "Where the target was read."},
)  # fmt: skip

OBSERVATIONS = Table(
    "observations",
    "[[observations]]",
    "The journal of observed values.",
    (
        Key("indicator", INDICATOR_ID, "The indicator observed. Must be declared.",
            required=True, example='indicator = "zj-gdp"',
            missing='"ID of an [indicators.ID] entry"'),
        Key("period", PERIOD, "The period the value is for. Text, a bare year or a TOML date. "
            "See [Periods](#periods).", required=True, example='period = "2025-01/2025-09"',
            missing='"2024" (or 2024-Q3, 2024-09, 2025-01/2025-09)'),
        Key("value", VALUE, "The observed value. See [Values](#values).", required=True,
            example='value = "69,987"', missing="180000"),
        *_texts(),
        *_provenance(),
        DERIVED_FLAG,
        Key("provisional", BOOLEAN, "The source calls the value preliminary. Default `false`.",
            example="provisional = true"),
        Key("revises", BOOLEAN, "A second value for a period that has one: a correction, a "
            "revision, another source's figure. Default `false`.", example="revises = true"),
        Key("recorded", DATE, "The day the value was entered in the registry.",
            example="recorded = 2025-02-07"),
        Key("reported", BOOLEAN, "Only on a [derived indicator](#derived-indicators): the "
            "figure the source states, kept for comparison and not used in figures. On any "
            "other indicator it is an error. Default `false`.", example="reported = true"),
        TAGS_KEY,
    ),
    {"provenance": "Where the value was read; `grade` decides which of two values for one "
     "period counts."},
)  # fmt: skip

#: The tables of entries, in the order validation reads them.
ENTRY_TABLES = (PLANS, INDICATORS, TARGETS, OBSERVATIONS)
TABLES = {t.name: t for t in (DEFAULTS, *ENTRY_TABLES)}
#: The top level: `format`, then one key per table.
TOP_LEVEL = ("format", "defaults", "plans", "indicators", "targets", "observations")
FORMAT_KEY = Key(
    "format",
    Kind("integer", {"const": FORMAT_VERSION}),
    f"The format version. Must be `{FORMAT_VERSION}`.",
    required=True,
    example=f"format = {FORMAT_VERSION}",
)
