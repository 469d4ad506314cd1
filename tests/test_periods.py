from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prosperity_cli.periods import (
    Cadence,
    PeriodError,
    fits_cadence,
    like_for_like,
    next_period_end,
    parse_duration,
    parse_period,
    years_between,
)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2024", date(2024, 1, 1), date(2024, 12, 31)),
        ("2024-H1", date(2024, 1, 1), date(2024, 6, 30)),
        ("2024-H2", date(2024, 7, 1), date(2024, 12, 31)),
        ("2024-Q1", date(2024, 1, 1), date(2024, 3, 31)),
        ("2024-Q3", date(2024, 7, 1), date(2024, 9, 30)),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("2023-02", date(2023, 2, 1), date(2023, 2, 28)),
        ("2024-09-30", date(2024, 9, 30), date(2024, 9, 30)),
        ("2025-01/2025-09", date(2025, 1, 1), date(2025, 9, 30)),
        ("2021/2023", date(2021, 1, 1), date(2023, 12, 31)),
    ],
)
def test_every_period_form_has_its_calendar_start_and_end(
    text: str, start: date, end: date
) -> None:
    period = parse_period(text)
    assert (period.start, period.end) == (start, end)
    assert period.text == text


def test_a_toml_date_is_taken_as_that_single_day() -> None:
    assert parse_period(date(2024, 9, 30)).key == (date(2024, 9, 30), date(2024, 9, 30))


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("24", "is not a period"),
        ("2024-13", "month 13 does not exist"),
        ("2024-Q5", "is not a period"),
        ("2024-02-30", "not a calendar date"),
        ("2025-09/2025-01", "ends before it starts"),
        ("2024/2025/2026", "more than one"),
        ("last year", "is not a period"),
    ],
)
def test_bad_periods_say_what_is_wrong(text: str, fragment: str) -> None:
    with pytest.raises(PeriodError, match=fragment):
        parse_period(text)


def test_same_period_written_two_ways_has_the_same_key() -> None:
    assert parse_period("2024").key == parse_period("2024-01/2024-12").key


@pytest.mark.parametrize(
    ("text", "cadence", "fits"),
    [
        ("2024", Cadence.ANNUAL, True),
        ("2024-Q3", Cadence.QUARTERLY, True),
        ("2024-09", Cadence.QUARTERLY, False),
        ("2025-01/2025-09", Cadence.QUARTERLY, True),
        ("2025-01/2025-08", Cadence.QUARTERLY, False),
        ("2025-01/2025-06", Cadence.SEMIANNUAL, True),
        ("2025-01/2025-09", Cadence.ANNUAL, False),
        ("2024-09", Cadence.MONTHLY, True),
        ("2024-09-30", Cadence.MONTHLY, False),
        ("2024-09-30", Cadence.IRREGULAR, True),
    ],
)
def test_periods_fit_cadences(text: str, cadence: Cadence, fits: bool) -> None:
    assert fits_cadence(parse_period(text), cadence) is fits


def test_next_period_end_keeps_month_ends() -> None:
    assert next_period_end(parse_period("2024-Q3"), Cadence.QUARTERLY) == date(2024, 12, 31)
    assert next_period_end(parse_period("2024-01"), Cadence.MONTHLY) == date(2024, 2, 29)
    assert next_period_end(parse_period("2024"), Cadence.ANNUAL) == date(2025, 12, 31)
    assert next_period_end(parse_period("2024"), Cadence.IRREGULAR) is None


def test_durations_parse_and_reject() -> None:
    assert str(parse_duration("3 months")) == "3 months"
    assert date(2025, 1, 1) + parse_duration("45 days").delta == date(2025, 2, 15)
    assert date(2025, 1, 1) + parse_duration("1 year 2 months").delta == date(2026, 3, 1)
    with pytest.raises(PeriodError, match="not a duration"):
        parse_duration("soon")
    with pytest.raises(PeriodError, match="not a duration"):
        parse_duration("3 fortnights")


def test_years_between_counts_calendar_years_exactly() -> None:
    assert years_between(date(2020, 12, 31), date(2023, 12, 31)) == 3.0
    assert years_between(date(2023, 12, 31), date(2020, 12, 31)) == -3.0
    assert years_between(date(2024, 1, 1), date(2024, 7, 2)) == pytest.approx(183 / 366)


periods = st.one_of(
    st.integers(1900, 2100).map(str),
    st.tuples(st.integers(1900, 2100), st.integers(1, 2)).map(lambda t: f"{t[0]}-H{t[1]}"),
    st.tuples(st.integers(1900, 2100), st.integers(1, 4)).map(lambda t: f"{t[0]}-Q{t[1]}"),
    st.tuples(st.integers(1900, 2100), st.integers(1, 12)).map(lambda t: f"{t[0]}-{t[1]:02d}"),
    st.dates(date(1900, 1, 1), date(2100, 12, 31)).map(date.isoformat),
)


@given(periods)
def test_period_end_is_never_before_start(text: str) -> None:
    period = parse_period(text)
    assert period.start <= period.end


@given(periods, periods)
def test_spans_cover_both_ends_when_ordered(first: str, last: str) -> None:
    a, b = parse_period(first), parse_period(last)
    if b.end < a.start:
        with pytest.raises(PeriodError):
            parse_period(f"{first}/{last}")
    else:
        span = parse_period(f"{first}/{last}")
        assert (span.start, span.end) == (a.start, b.end)


@pytest.mark.parametrize(
    ("text", "cadence", "fits"),
    [
        ("2025", Cadence.QUARTERLY, True),
        ("2025-H1", Cadence.QUARTERLY, True),
        ("2024-Q3", Cadence.MONTHLY, True),
        ("2024-H1", Cadence.ANNUAL, False),
        ("2024-09-01/2024-09-30", Cadence.QUARTERLY, False),
        ("2024-07-01/2024-09-30", Cadence.QUARTERLY, True),
    ],
)
def test_cumulative_periods_fit_when_they_cover_a_step_and_end_on_a_boundary(
    text: str, cadence: Cadence, fits: bool
) -> None:
    assert fits_cadence(parse_period(text), cadence) is fits


def test_add_duration_keeps_month_ends_and_moves_other_days_as_the_calendar_does() -> None:
    from dateutil.relativedelta import relativedelta

    from prosperity_cli.periods import add_duration

    month = relativedelta(months=1)
    assert add_duration(date(2024, 9, 30), relativedelta(months=3)) == date(2024, 12, 31)
    assert add_duration(date(2026, 1, 29), month) == date(2026, 2, 28)
    assert add_duration(date(2026, 1, 15), month) == date(2026, 2, 15)
    assert add_duration(date(2024, 2, 28), relativedelta(years=1)) == date(2025, 2, 28)
    assert add_duration(date(2024, 2, 29), relativedelta(years=1)) == date(2025, 2, 28)


@pytest.mark.parametrize(
    ("a", "b", "alike"),
    [
        ("2023", "2024", True),
        ("2023", "2024-01/2024-12", True),
        ("2024-Q2", "2024-Q3", True),
        ("2024-01/2024-09", "2025-01/2025-09", True),
        ("2024", "2025-01/2025-09", False),
        ("2024-01/2024-06", "2025-01/2025-09", False),
        ("2024-Q3", "2025-07/2025-09", True),
        ("2021/2023", "2024", False),
        ("2024", "2024-Q4", False),
    ],
)
def test_like_for_like_periods_cover_the_same_stretch_of_the_calendar(
    a: str, b: str, alike: bool
) -> None:
    assert like_for_like(parse_period(a), parse_period(b)) is alike
    assert like_for_like(parse_period(b), parse_period(a)) is alike
