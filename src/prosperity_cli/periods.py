"""Reporting periods: parse "2024", "2024-H1", "2024-Q3", "2024-09", "2024-09-30" and
cumulative spans such as "2025-01/2025-09"; their start and end dates; cadences.

Pure functions and frozen values; no I/O.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import Enum

from dateutil.relativedelta import relativedelta


class PeriodError(ValueError):
    """A period string that does not parse; the message says what was expected."""


class Cadence(Enum):
    """How often an indicator is published."""

    ANNUAL = "annual"
    SEMIANNUAL = "semiannual"
    QUARTERLY = "quarterly"
    MONTHLY = "monthly"
    IRREGULAR = "irregular"

    @property
    def step(self) -> relativedelta | None:
        """One period of this cadence, or None for irregular series."""
        return _STEPS.get(self)

    @property
    def months(self) -> int | None:
        return _MONTHS.get(self)


_MONTHS = {Cadence.ANNUAL: 12, Cadence.SEMIANNUAL: 6, Cadence.QUARTERLY: 3, Cadence.MONTHLY: 1}
_STEPS = {cadence: relativedelta(months=n) for cadence, n in _MONTHS.items()}

#: Period kinds, in the order of the spec.
YEAR, HALF, QUARTER, MONTH, DAY, SPAN = "year", "half", "quarter", "month", "day", "span"
_KIND_OF_CADENCE = {
    Cadence.ANNUAL: YEAR,
    Cadence.SEMIANNUAL: HALF,
    Cadence.QUARTERLY: QUARTER,
    Cadence.MONTHLY: MONTH,
}

PERIOD_FORMS = "2024, 2024-H1, 2024-Q3, 2024-09, 2024-09-30 or a span like 2025-01/2025-09"

#: The years the tool computes with: every date of a registry (periods, deadlines, ...)
#: and --as-of lie in them, and durations are at most MAX_DURATION_YEARS, so that a due
#: date, a grace period or a projection 200 years out stays a valid calendar date.
MIN_YEAR, MAX_YEAR = 1000, 2999
MAX_DURATION_YEARS = 100
YEARS_ALLOWED = f"years {MIN_YEAR} to {MAX_YEAR}"


def check_year(day: date, what: str) -> date:
    """`day`, or a PeriodError when its year is outside the years the tool computes with."""
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise PeriodError(f"{what} {day.isoformat()} is outside {YEARS_ALLOWED}")
    return day


_YEAR = re.compile(r"(\d{4})")
_HALF = re.compile(r"(\d{4})-H([12])")
_QUARTER = re.compile(r"(\d{4})-Q([1-4])")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


@dataclass(frozen=True, slots=True, order=True)
class Period:
    """A reporting period: every period has a first and a last day (both inclusive).

    Ordering is by end date, then start date, so sorting puts the most recent last.
    """

    end: date
    start: date
    text: str
    kind: str
    #: Identity of the period: "2024" and "2024-01/2024-12" are the same period. Stored,
    #: not computed per use: periods are shared, so 100,000 observations keyed by
    #: (indicator, period) share a few hundred of these tuples instead of making their own.
    key: tuple[date, date] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", (self.start, self.end))

    def __str__(self) -> str:
        return self.text


def like_for_like(a: Period, b: Period) -> bool:
    """Are the values of `a` and `b` the same kind of figure, so that one can be compared
    with the other? A year-to-date figure ("2025-01/2025-09") is not comparable with a
    full year's, nor with a half year's: only with the same months of another year.

    Two single periods are like for like when they are of one kind (two years, two
    quarters); as soon as one is a span, they must cover the same stretch of the calendar
    (same first and last month and day, and as many years).
    """
    if a.kind != SPAN and b.kind != SPAN:
        return a.kind == b.kind
    return _shape(a) == _shape(b)


def _shape(period: Period) -> tuple[int, int, int, int, int]:
    start, end = period.start, period.end
    return (start.month, start.day, end.month, end.day, end.year - start.year)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _single(text: str) -> Period:
    if m := re.match(r"(\d{4})", text):
        year = int(m[1])
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise PeriodError(f"{text!r} is outside {YEARS_ALLOWED}")
    if m := _YEAR.fullmatch(text):
        year = int(m[1])
        return Period(date(year, 12, 31), date(year, 1, 1), text, YEAR)
    if m := _HALF.fullmatch(text):
        year, half = int(m[1]), int(m[2])
        first = 1 + 6 * (half - 1)
        return Period(_month_end(year, first + 5), date(year, first, 1), text, HALF)
    if m := _QUARTER.fullmatch(text):
        year, quarter = int(m[1]), int(m[2])
        first = 1 + 3 * (quarter - 1)
        return Period(_month_end(year, first + 2), date(year, first, 1), text, QUARTER)
    if m := _MONTH.fullmatch(text):
        year, month = int(m[1]), int(m[2])
        if not 1 <= month <= 12:
            raise PeriodError(f"month {month:02d} does not exist in {text!r}")
        return Period(_month_end(year, month), date(year, month, 1), text, MONTH)
    if m := _DAY.fullmatch(text):
        try:
            day = date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError as exc:
            raise PeriodError(f"{text!r} is not a calendar date ({exc})") from None
        return Period(day, day, text, DAY)
    raise PeriodError(f"{text!r} is not a period; expected {PERIOD_FORMS}")


def parse_period(text: str | date) -> Period:
    """Parse a period string (or a TOML date, taken as that single day)."""
    if isinstance(text, date):
        text = text.isoformat()
    text = text.strip()
    if "/" not in text:
        return _single(text)
    first_text, _, last_text = text.partition("/")
    if "/" in last_text:
        raise PeriodError(f"{text!r} has more than one '/'; a span is FIRST/LAST")
    first, last = _single(first_text.strip()), _single(last_text.strip())
    if last.end < first.start:
        raise PeriodError(f"span {text!r} ends before it starts; write the earlier period first")
    return Period(last.end, first.start, text, SPAN)


def fits_cadence(period: Period, cadence: Cadence) -> bool:
    """True when a value for `period` is what an indicator of `cadence` publishes.

    A period of the cadence's own kind fits; a longer, cumulative period fits when it ends
    where one of the cadence's periods ends ("2025-01/2025-09" and "2025" fit quarterly;
    "2024-09" does not). Irregular indicators accept any period.
    """
    if cadence is Cadence.IRREGULAR:
        return True
    if period.kind == _KIND_OF_CADENCE[cadence]:
        return True
    step = cadence.step
    assert step is not None and cadence.months is not None
    ends_on_month_end = period.end == _month_end(period.end.year, period.end.month)
    ends_on_boundary = ends_on_month_end and period.end.month % cadence.months == 0
    # Cumulative figures ("2025-01/2025-09", or a whole year of a quarterly series) cover at
    # least one period of the cadence; a single month of a quarterly series does not.
    covers_a_step = add_duration(period.start - timedelta(days=1), step) <= period.end
    return ends_on_boundary and covers_a_step


def add_duration(day: date, step: relativedelta) -> date:
    """`day` moved by `step`, keeping month ends at month ends.

    2024-09-30 + 3 months is 2024-12-31 (not the 30th): from a month end we step from the
    day after and come back one day, so period ends map to period ends. Any other day
    moves as the calendar does (2026-01-29 + 1 month is 2026-02-28).
    """
    if day == _month_end(day.year, day.month):
        return day + timedelta(days=1) + step - timedelta(days=1)
    return day + step


def next_period_end(period: Period, cadence: Cadence) -> date | None:
    """The end of the period that follows `period` in a series of this cadence."""
    step = cadence.step
    return None if step is None else add_duration(period.end, step)


def years_between(earlier: date, later: date) -> float:
    """Calendar years from `earlier` to `later`, negative if reversed.

    Whole years are counted on the calendar (2020-12-31 to 2023-12-31 is exactly 3.0);
    the remainder is the share of the following year's days.
    """
    if later < earlier:
        return -years_between(later, earlier)
    whole = relativedelta(later, earlier).years
    anchor = earlier + relativedelta(years=whole)
    following = earlier + relativedelta(years=whole + 1)
    return whole + (later - anchor).days / (following - anchor).days


_DURATION = re.compile(r"(\d+)\s*(day|week|month|quarter|year)s?")
DURATION_FORMS = 'a duration like "3 months", "45 days", "2 weeks" or "1 year"'


@dataclass(frozen=True, slots=True)
class Duration:
    """A span of calendar time as written in the registry ("3 months")."""

    text: str
    delta: relativedelta

    def __str__(self) -> str:
        return self.text


def parse_duration(text: str) -> Duration:
    """Parse "3 months", "45 days", "1 year 2 months"; "0 days" is allowed."""
    parts = text.strip().lower().replace(",", " ").split()
    joined = " ".join(parts)
    matches = list(_DURATION.finditer(joined))
    if not matches or "".join(m[0] for m in matches).replace(" ", "") != joined.replace(" ", ""):
        raise PeriodError(f"{text!r} is not a duration; expected {DURATION_FORMS}")
    delta = relativedelta()
    days = 0
    for m in matches:
        n, unit = int(m[1]), m[2]
        days += n * {"day": 1, "week": 7, "month": 31, "quarter": 92, "year": 366}[unit]
        if days > MAX_DURATION_YEARS * 366:
            raise PeriodError(f"{text!r} is longer than {MAX_DURATION_YEARS} years")
        if unit == "day":
            delta += relativedelta(days=n)
        elif unit == "week":
            delta += relativedelta(weeks=n)
        elif unit == "month":
            delta += relativedelta(months=n)
        elif unit == "quarter":
            delta += relativedelta(months=3 * n)
        else:
            delta += relativedelta(years=n)
    return Duration(text.strip(), delta)


def add_years(day: date, years: float) -> date:
    """`day` moved forward by a fractional number of calendar years (inverse of years_between)."""
    whole = int(years // 1)
    anchor = day + relativedelta(years=whole)
    following = day + relativedelta(years=whole + 1)
    return anchor + timedelta(days=round((years - whole) * (following - anchor).days))
