"""`status --format markdown`: GitHub-flavoured tables, one per plan."""

from __future__ import annotations

from prosperity_cli.assessment import Assessment
from prosperity_cli.render import escape
from prosperity_cli.render.cells import indicator_cells, summary_line, target_cells


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(escape.markdown(c) for c in cells) + " |"


def render(assessment: Assessment) -> str:
    registry = assessment.registry
    lines: list[str] = []
    plans_shown = dict.fromkeys(f.target.plan for f in assessment.targets)
    header = ["Target", "Region", "Latest", "Goal", "Progress", "Gap", "Status", "Deadline"]
    for plan_id in plans_shown:
        lines += [f"## {escape.markdown(registry.plans[plan_id].title)}", "", _row(header)]
        lines.append("|" + "|".join(["---"] * len(header)) + "|")
        for figures in assessment.targets:
            if figures.target.plan != plan_id:
                continue
            c = target_cells(assessment, figures)
            latest = f"{c.latest} ({c.latest_period})" if c.latest_period else c.latest
            latest += f" {c.freshness}" if c.freshness else ""
            status = c.status.label + (f" (pace {c.pace})" if c.pace != "—" else "")
            status += f", {c.momentum}" if c.momentum else ""
            status += f", {c.outlook}" if c.outlook else ""
            lines.append(
                _row(
                    [
                        c.name,
                        c.region,
                        latest,
                        c.goal,
                        c.progress_text,
                        c.gap,
                        status,
                        f"{c.deadline} ({c.when})",
                    ]
                )
            )
        lines.append("")
    if assessment.tracked:
        lines += ["## Tracked indicators (no target yet)", ""]
        classed = any(tracked.desired is not None for tracked in assessment.tracked)
        header = ["Indicator", "Region", "Latest", "Previous", "Change"] + (["Trend"] * classed)
        lines.append(_row(header))
        lines.append("|" + "|".join(["---"] * len(header)) + "|")
        for tracked in assessment.tracked:
            i = indicator_cells(assessment, tracked)
            latest = f"{i.latest} ({i.latest_period})" if i.latest_period else i.latest
            latest += f" {i.freshness}" if i.freshness else ""
            row = [i.name, i.region, latest, i.previous, i.change]
            if classed:
                row.append((i.klass or "—") + (f", {i.momentum}" if i.momentum else ""))
            lines.append(_row(row))
        lines.append("")
    lines.append(f"As of {assessment.as_of}: {summary_line(assessment.counts())}")
    return "\n".join(lines) + "\n"
