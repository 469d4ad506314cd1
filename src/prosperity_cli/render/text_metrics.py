"""How wide a line of text is in the charts' typeface, to lay a chart out without a renderer.

The widths are DejaVu Sans's advance widths (thousandths of an em) for the printable ASCII
characters and a few symbols the charts print, read once from the font's own tables.
A character outside the table counts as an em when East Asian wide (CJK), else as the
typeface's widest lower-case letter, so an estimate errs on the wide side. A viewer
without DejaVu Sans substitutes its own sans-serif, which is narrower, never wider.
"""

from __future__ import annotations

import unicodedata

_TABLE = "".join(chr(c) for c in range(32, 127)) + "≥≤—–…×·°"
_REGULAR = (
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636,
    636, 636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698,
    770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732,
    684, 989, 685, 611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635,
    634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592,
    525, 636, 337, 636, 838, 838, 838, 1000, 500, 1000, 838, 318, 500,
)  # fmt: skip
_BOLD = (
    348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696,
    696, 696, 696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734,
    830, 683, 683, 821, 837, 372, 372, 775, 637, 995, 837, 850, 733, 850, 770, 720, 682, 812,
    774, 1103, 771, 724, 725, 457, 365, 457, 838, 500, 500, 675, 716, 593, 716, 678, 435, 716,
    712, 343, 343, 665, 343, 1042, 712, 687, 716, 716, 493, 595, 478, 712, 652, 924, 645, 652,
    582, 712, 365, 712, 838, 838, 838, 1000, 500, 1000, 838, 380, 500,
)  # fmt: skip
_WIDTHS = {
    False: dict(zip(_TABLE, _REGULAR, strict=True)),
    True: dict(zip(_TABLE, _BOLD, strict=True)),
}
_OTHER = {False: 974, True: 1042}
ELLIPSIS = "…"


def _em(char: str, bold: bool) -> int:
    known = _WIDTHS[bold].get(char)
    if known is not None:
        return known
    return 1000 if unicodedata.east_asian_width(char) in "WF" else _OTHER[bold]


def width(text: str, size: float, *, bold: bool = False) -> float:
    """The advance width of `text` at font size `size`, in the same units as `size`."""
    return sum(_em(char, bold) for char in text) * size / 1000


def truncate(text: str, size: float, room: float, *, bold: bool = False) -> str:
    """`text`, or as much of it as fits in `room` followed by an ellipsis."""
    if width(text, size, bold=bold) <= room:
        return text
    budget = room - width(ELLIPSIS, size, bold=bold)
    kept, used = [], 0.0
    for char in text:
        used += _em(char, bold) * size / 1000
        if used > budget:
            break
        kept.append(char)
    return "".join(kept).rstrip() + ELLIPSIS


def wrap(text: str, size: float, room: float, most: int, *, bold: bool = False) -> list[str]:
    """`text` in lines that fit in `room`, broken between words (inside a word too long for
    a line, or in text without spaces such as Chinese); at most `most` lines, the last one
    truncated with an ellipsis if the text goes on."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        trial = f"{current} {word}" if current else word
        if width(trial, size, bold=bold) <= room:
            current = trial
            continue
        if current:
            lines.append(current)
        current = word
        while width(current, size, bold=bold) > room and len(current) > 1:
            cut = _fitting(current, size, room, bold)
            lines.append(current[:cut])
            current = current[cut:]
    lines.append(current)
    if len(lines) > most:
        rest = " ".join(lines[most - 1 :])
        lines = [*lines[: most - 1], truncate(rest, size, room, bold=bold)]
    return lines


def _fitting(text: str, size: float, room: float, bold: bool) -> int:
    """How many leading characters of `text` fit in `room` (one at least)."""
    used = 0.0
    for n, char in enumerate(text):
        used += _em(char, bold) * size / 1000
        if used > room:
            return max(n, 1)
    return len(text)
