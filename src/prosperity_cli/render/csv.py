"""`status --format csv`: one row per target, flat columns from the JSON record."""

from __future__ import annotations

import csv
import io

from prosperity_cli.assessment import Assessment
from prosperity_cli.render import escape
from prosperity_cli.render.records import target_record

COLUMNS = (
    "id",
    "name",
    "region",
    "plan",
    "unit",
    "goal",
    "target",
    "deadline",
    "baseline_period",
    "baseline_value",
    "latest_period",
    "latest_value",
    "latest_source",
    "progress",
    "gap",
    "pace_ratio",
    "status",
    "days_left",
    "latest_url",
)


def render(assessment: Assessment) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for figures in assessment.targets:
        record = target_record(assessment, figures)
        baseline, latest = record.pop("baseline") or {}, record.pop("latest") or {}
        record |= {
            "baseline_period": baseline.get("period"),
            "baseline_value": baseline.get("value"),
            "latest_period": latest.get("period"),
            "latest_value": latest.get("value"),
            "latest_source": latest.get("source"),
            "latest_url": latest.get("url"),
        }
        writer.writerow({key: escape.csv_cell(value) for key, value in record.items()})
    return out.getvalue()
