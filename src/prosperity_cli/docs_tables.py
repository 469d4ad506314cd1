"""The key tables of docs/registry.md, generated from schema.py.

Each table sits in the document between `<!-- schema: NAME -->` and `<!-- /schema -->`;
`python -m prosperity_cli.docs_tables docs/registry.md` rewrites them, and
tests/test_schema.py fails when the document is out of date.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from prosperity_cli.schema import BOOLEAN, TABLES, Key, Table

_BLOCK = re.compile(r"(<!-- schema: (\w+) -->\n)(.*?)(<!-- /schema -->)", re.DOTALL)
#: Where the docs explain a group of keys shared by every table.
_GROUP_LINK = {
    "text": "[Text keys](#text-keys-and-tags)",
    "provenance": "[Provenance](#provenance)",
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _required(key: Key) -> str:
    if not key.required:
        return "no"
    if not key.optional_with:
        return "yes"
    return "yes (no with " + " or ".join(f"`{other}`" for other in key.optional_with) + ")"


def _example(key: Key) -> str:
    return f"`{key.example}`" if key.example else ""


def markdown_table(table: Table) -> str:
    """| Key | Type | Required | Meaning | Example | — one row per key, one per group."""
    rows = ["| Key | Type | Required | Meaning | Example |", "|---|---|---|---|---|"]
    done: set[str] = set()
    for key in table.keys:
        if key.group is None:
            meaning = _cell(key.meaning)
            rows.append(
                f"| `{key.name}` | {_cell(key.kind.doc)} | {_required(key)} | {meaning} "
                f"| {_cell(_example(key))} |"
            )
            continue
        if key.group in done:
            continue
        done.add(key.group)
        members = [k for k in table.keys if k.group == key.group]
        names = ", ".join(f"`{k.name}`" for k in members)
        meaning = table.group_meaning.get(key.group, "")
        see = f"See {_GROUP_LINK[key.group]}."
        rows.append(f"| {names} | {see} | no | {_cell(meaning)} | |")
    return "\n".join(rows) + "\n"


def group_table(group: str) -> str:
    """| Key | Type | Meaning | Example | — the keys of a group, as every table has them."""
    rows = ["| Key | Type | Meaning | Example |", "|---|---|---|---|"]
    seen: set[str] = set()
    for table in TABLES.values():
        for key in table.keys:
            in_group = (
                key.group == group
                or (group == "text" and key.name == "tags")
                or (group == "provenance" and key.name == "derived" and key.kind is BOOLEAN)
            )
            if in_group and key.name not in seen:
                seen.add(key.name)
                rows.append(
                    f"| `{key.name}` | {_cell(key.kind.doc)} | {_cell(key.meaning)} "
                    f"| {_cell(_example(key))} |"
                )
    return "\n".join(rows) + "\n"


def rewrite(document: str) -> str:
    """`document` with every marked table generated anew."""

    def fill(match: re.Match[str]) -> str:
        name = match[2]
        table = group_table(name) if name in _GROUP_LINK else markdown_table(TABLES[name])
        return match[1] + table + match[4]

    return _BLOCK.sub(fill, document)


def main(paths: list[str]) -> int:
    for name in paths:
        path = Path(name)
        text = path.read_text(encoding="utf-8")
        path.write_text(rewrite(text), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
