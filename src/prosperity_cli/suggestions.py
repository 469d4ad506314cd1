"""\"Did you mean\" hints for near misses: a mistyped key, ID, goal or option value."""

from __future__ import annotations

from collections.abc import Iterable


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A "did you mean 'X'?" hint for a near miss, else ""."""
    import difflib  # only when there is a near miss to look for

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else ""
