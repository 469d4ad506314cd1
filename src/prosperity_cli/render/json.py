"""`status --format json`: the documented contract (see records.py)."""

from __future__ import annotations

import json

from prosperity_cli.assessment import Assessment
from prosperity_cli.render import escape
from prosperity_cli.render.records import assessment_record


def render(assessment: Assessment) -> str:
    """Strict JSON (allow_nan=False: records.py turns what a number cannot hold into null),
    with every character a terminal could act on written as an escape."""
    text = json.dumps(assessment_record(assessment), ensure_ascii=False, indent=2, allow_nan=False)
    return escape.json_output(text) + "\n"
