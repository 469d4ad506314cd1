"""`status --format json`: the documented contract (see records.py)."""

from __future__ import annotations

import json

from prosperity_cli.assessment import Assessment
from prosperity_cli.render.records import assessment_record


def render(assessment: Assessment) -> str:
    return json.dumps(assessment_record(assessment), ensure_ascii=False, indent=2) + "\n"
