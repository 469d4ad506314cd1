"""A registry's text validated into a `Registry`, every problem reported at once.

The steps live in their own modules: registry_file.py reads and parses the file,
schema.py declares the format, validation.py checks a document against it (with the rules
of rules.py), line_index.py finds the lines of what is wrong. This module joins them, and
knows how the append-only journal lets a grown file be checked by its new blocks alone.
Loading through the parse cache is cache.load.
"""

from __future__ import annotations

import re

from prosperity_cli.errors import Problem, RegistryInvalid
from prosperity_cli.line_index import LineIndex, where
from prosperity_cli.model import Registry
from prosperity_cli.registry_file import REGISTRY_NAME, parse_document
from prosperity_cli.validation import Checker


def parse_registry(text: str, filename: str = REGISTRY_NAME) -> Registry:
    """Validate registry text into a Registry, or raise RegistryInvalid with every problem."""
    document = parse_document(text, filename)
    checker = Checker(document)
    registry = checker.run()
    if checker.problems:
        lines = LineIndex(text)
        raise RegistryInvalid(
            [
                Problem(filename, lines.line_of(path), where(path), message, hint)
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
    checker = Checker(document)
    added = checker.observations(base.indicators, after=base.observations)
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
