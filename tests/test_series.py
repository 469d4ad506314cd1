"""A series read as of a date: the binary search agrees with reading it all."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from prosperity_cli.model import Observation
from prosperity_cli.periods import like_for_like, parse_period
from prosperity_cli.series import effective, known_on, latest, previous

PERIODS = ["2023", "2023-H2", "2023-Q4", "2023-12", "2023-12-31", "2024-Q1", "2024-01/2024-06"]
_journal = st.lists(st.sampled_from(PERIODS), max_size=15)
_day = st.dates(min_value=date(2023, 1, 1), max_value=date(2024, 12, 31))


@given(_journal, _day)
def test_reading_as_of_a_date_matches_the_definition(periods: list[str], as_of: date) -> None:
    journal = [Observation("x", parse_period(text), float(n), n) for n, text in enumerate(periods)]
    series = effective(journal)
    known = [o for o in series if o.period.end <= as_of]
    assert known_on(series, as_of) == known
    assert latest(series, as_of) == (known[-1] if known else None)
    alike = [o for o in known[:-1] if like_for_like(o.period, known[-1].period)] if known else []
    assert previous(series, as_of) == (alike[-1] if alike else None)
    # one value per period, the newest revision, shorter periods last on a shared end
    assert [(o.period.end, o.period.start) for o in series] == sorted(
        {(o.period.end, o.period.start) for o in journal}
    )
    for o in series:
        assert o.position == max(j.position for j in journal if j.period.key == o.period.key)


def test_a_year_to_date_figure_is_compared_with_the_same_months_only() -> None:
    journal = [
        Observation("x", parse_period(text), value, n)
        for n, (text, value) in enumerate(
            [
                ("2023-01/2023-09", 60.0),
                ("2023", 80.0),
                ("2024-01/2024-06", 42.0),
                ("2024-01/2024-09", 66.0),
            ]
        )
    ]
    series = effective(journal)
    found = previous(series, date(2024, 12, 1))
    assert found is not None
    assert found.period.text == "2023-01/2023-09"
