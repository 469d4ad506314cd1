"""The registry's index of observations by indicator, built once and carried over."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from prosperity_cli.model import Indicator, Observation, Registry
from prosperity_cli.periods import Cadence, parse_period

INDICATORS = {ident: Indicator(ident, ident, "yuan", Cadence.ANNUAL) for ident in "abc"}
_entries = st.lists(st.tuples(st.sampled_from("abc"), st.integers(2000, 2030)), max_size=20)


def journal(entries: list[tuple[str, int]], start: int = 0) -> tuple[Observation, ...]:
    return tuple(
        Observation(ident, parse_period(str(year)), float(year), start + n)
        for n, (ident, year) in enumerate(entries)
    )


@given(_entries, _entries, st.booleans())
def test_an_extended_registry_is_the_registry_of_the_whole_journal(
    first: list[tuple[str, int]], then: list[tuple[str, int]], indexed_before: bool
) -> None:
    base = Registry({}, INDICATORS, {}, journal(first))
    if indexed_before:
        base.observations_of("a")  # builds the index that `extended` carries over
    grown = base.extended(journal(then, start=len(first)))
    whole = Registry({}, INDICATORS, {}, journal(first) + journal(then, start=len(first)))
    assert grown == whole
    for ident in "abcz":
        assert grown.observations_of(ident) == whole.observations_of(ident)
    for ident in "abc":  # the base is untouched, its index included
        assert base.observations_of(ident) == [o for o in journal(first) if o.indicator == ident]
