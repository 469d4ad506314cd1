"""The JSON Schema of the registry format, generated from schema.py.

Editors read it (taplo, Even Better TOML: `.taplo.toml` at the repository's root points at
the copy shipped in the package) for completion, hover text and red squiggles; `prosperity
schema` prints it. It says what a single entry may hold; the rules between entries
(references, baselines, duplicates) are only `prosperity check`'s.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from prosperity_cli.fields import ID
from prosperity_cli.schema import DEFAULTS, ENTRY_TABLES, FORMAT_KEY, OBSERVATIONS, Key, Table

SCHEMA_ID = "https://prosperity-cli.example/registry-format-1.schema.json"
#: The copy shipped in the package, written by `generate()` and checked by a test.
SHIPPED = Path(__file__).with_name("registry.schema.json")


def _property(key: Key) -> dict[str, Any]:
    return {"description": key.meaning, **key.kind.json}


def _object(table: Table) -> dict[str, Any]:
    """An entry of `table`: its keys, none other, the required ones required."""
    schema: dict[str, Any] = {
        "type": "object",
        "description": table.meaning,
        "properties": {key.name: _property(key) for key in table.keys},
        "additionalProperties": False,
    }
    always = [k.name for k in table.keys if k.required and not k.optional_with]
    if always:
        schema["required"] = always
    conditional = [k for k in table.keys if k.required and k.optional_with]
    for others in sorted({k.optional_with for k in conditional}):
        names = [k.name for k in conditional if k.optional_with == others]
        unless = [{"required": [other]} for other in others]
        schema.setdefault("allOf", []).append(
            {"if": {"not": {"anyOf": unless}}, "then": {"required": names}}
        )
    return schema


def json_schema() -> dict[str, Any]:
    """The whole format as a JSON Schema (draft-07, the draft taplo reads)."""
    entries = {
        table.name: {
            "type": "object",
            "description": table.meaning,
            "patternProperties": {"^" + ID.pattern + "$": _object(table)},
            "additionalProperties": False,
        }
        for table in ENTRY_TABLES
        if table is not OBSERVATIONS
    }
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": SCHEMA_ID,
        "title": "prosperity registry (targets.toml), format 1",
        "description": "Plans, indicators, targets and the journal of observed values; see "
        "docs/registry.md.",
        "type": "object",
        "properties": {
            "format": _property(FORMAT_KEY),
            "defaults": _object(DEFAULTS),
            **entries,
            "observations": {
                "type": "array",
                "description": OBSERVATIONS.meaning,
                "items": _object(OBSERVATIONS),
            },
        },
        "required": ["format"],
        "additionalProperties": False,
    }


def text() -> str:
    """The schema as the shipped file holds it."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def generate() -> None:
    """Write the shipped copy (tests/test_schema.py fails when it is out of date)."""
    SHIPPED.write_text(text(), encoding="utf-8")


if __name__ == "__main__":
    generate()
