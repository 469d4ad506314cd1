"""Line numbers of a registry's keys and entries, for error messages and annotations.

Worked out only when there is something to report, so that a valid file never pays for
them: one pass over the text, stopping as soon as every wanted path has its line.
"""

from __future__ import annotations

import re

#: A place in the parsed document: ("targets", "hz-gdp", "value"), ("observations", 3).
Path_ = tuple[str | int, ...]


def where(path: Path_) -> str:
    """("targets", "hz-gdp", "value") -> "targets.hz-gdp.value"; observations are 1-based."""
    parts: list[str] = []
    for part in path:
        if isinstance(part, int):
            parts[-1] += f"[{part + 1}]"
        else:
            parts.append(part)
    return ".".join(parts)


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
