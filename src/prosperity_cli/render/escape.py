"""Registry text made safe for each kind of output: one helper per kind, used by every renderer.

A registry is data written by anyone. Nothing in it may reach a terminal as a control
sequence (ESC, CSI, OSC: colours, screen clears, clipboard writes, hyperlinks), Rich as
markup, a spreadsheet as a formula, or Markdown and HTML as tags or links. Each helper
turns one string into literal text of its kind; renderers never print registry text
without one of them.
"""

from __future__ import annotations

import html as _html
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.text import Text

#: Characters a terminal may act on, or that reorder what it shows: C0 controls but line
#: feed (a tab, which moves the cursor, becomes a space), DEL, C1 controls (8-bit CSI,
#: OSC, ...), bidirectional overrides and isolates, and the Unicode line and paragraph
#: separators.
_CONTROL = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]"
)
_CONTROL_OR_BREAK = re.compile(_CONTROL.pattern[:-1] + "\t\n]")
#: The first characters that make a spreadsheet read a cell as a formula (OWASP).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Markdown's inline syntax, escaped with a backslash so that it shows as typed: code,
#: emphasis, links and images ("[", "]", "!"), table cells, headings, strike-through. "<"
#: and "&" become HTML entities, so no tag or autolink can form.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|#!~])")
#: JSON's own escapes cover C0 controls; these others pass through json.dumps verbatim.
_JSON_UNESCAPED = re.compile("[\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match[0])
    if code == 0x09:
        return " "
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal(text: str) -> str:
    """`text` with every control character shown as an escape (ESC as \\x1b): nothing in it
    can act on a terminal. Line feeds are kept; a tab becomes a space."""
    return _CONTROL.sub(_visible, text)


def line(text: str) -> str:
    """Like `terminal`, and on one line: a line feed is shown as \\x0a (for message lines)."""
    return _CONTROL_OR_BREAK.sub(_visible, text)


def rich(text: str, style: str = "") -> Text:
    """A Rich Text of `text` as it is: never parsed as markup, no control character."""
    from rich.text import Text

    return Text(terminal(text), style=style)


def csv_cell(value: object) -> object:
    """A CSV cell that no spreadsheet runs: text starting like a formula gets a leading
    apostrophe (OWASP's advice), and control characters are shown as escapes. Numbers and
    other values are left as they are."""
    if not isinstance(value, str):
        return value
    safe = terminal(value)
    return "'" + safe if value.startswith(_FORMULA_START) else safe


def markdown(text: str) -> str:
    """`text` as literal Markdown on one line: no HTML tag, link, image or table cell break."""
    flat = " ".join(line(text).split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", _html.escape(flat, quote=False))


def html(text: str) -> str:
    """`text` as literal HTML text or attribute value, control characters shown as escapes."""
    return _html.escape(terminal(text), quote=True)


def json_output(text: str) -> str:
    """JSON text with the characters json.dumps leaves as they are (DEL, C1 controls,
    bidirectional controls) written as \\u escapes: the same JSON value, safe to print."""
    return _JSON_UNESCAPED.sub(lambda m: f"\\u{ord(m[0]):04x}", text)
