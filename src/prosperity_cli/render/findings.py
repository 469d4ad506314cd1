"""`prosperity check` output: text for people, JSON for scripts, GitHub workflow commands."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from prosperity_cli.checks import Finding, Severity
from prosperity_cli.errors import Problem
from prosperity_cli.render import escape


class CheckFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    GITHUB = "github"


@dataclass(frozen=True, slots=True)
class CheckReport:
    """Findings on one date, with the line of each in the registry file where known."""

    file: str
    as_of: date
    findings: Sequence[Finding]
    lines: Sequence[int | None]
    strict: bool = False

    @property
    def errors(self) -> int:
        return sum(f.severity is Severity.ERROR for f in self.findings)

    @property
    def warnings(self) -> int:
        return len(self.findings) - self.errors

    @property
    def ok(self) -> bool:
        return self.errors == 0 and not (self.strict and self.warnings)


def summary(report: CheckReport) -> str:
    verdict = "ok" if report.ok else "FAILED"
    strict = " (--strict: warnings fail)" if report.strict and report.warnings else ""
    return (
        f"{escape.line(report.file)}: {verdict} as of {report.as_of}: "
        f"{report.errors} error(s), {report.warnings} warning(s){strict}"
    )


def render_text(report: CheckReport) -> str:
    lines: list[str] = []
    for severity in Severity:
        group = [
            (f, line)
            for f, line in zip(report.findings, report.lines, strict=True)
            if f.severity is severity
        ]
        if group:
            lines.append(f"{severity.value}s:")
            for finding, line in sorted(group, key=lambda pair: pair[0].kind):
                place = f"{report.file}:{line}" if line else report.file
                lines.append(escape.line(f"  {place}: {finding.kind}: {finding.message}"))
    lines.append(summary(report))
    return "\n".join(lines) + "\n"


def _finding_record(finding: Finding, line: int | None) -> dict[str, Any]:
    return {
        "severity": finding.severity.value,
        "kind": finding.kind,
        "indicator": finding.indicator,
        "target": finding.target,
        "message": finding.message,
        "due": finding.due.isoformat() if finding.due else None,
        "line": line,
    }


def render_json(report: CheckReport) -> str:
    record = {
        "as_of": report.as_of.isoformat(),
        "ok": report.ok,
        "errors": report.errors,
        "warnings": report.warnings,
        "findings": [
            _finding_record(f, line) for f, line in zip(report.findings, report.lines, strict=True)
        ],
    }
    return escape.json_output(json.dumps(record, ensure_ascii=False, indent=2)) + "\n"


def _escape_github(text: str) -> str:
    """Workflow-command data escaping (%, CR and LF), after any control character has been
    made visible."""
    return escape.line(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _escape_property(text: str) -> str:
    """Workflow-command property escaping: also ':' and ',', which end a property."""
    return _escape_github(text).replace(":", "%3A").replace(",", "%2C")


def render_github(report: CheckReport) -> str:
    lines = []
    for finding, line in zip(report.findings, report.lines, strict=True):
        level = "error" if finding.severity is Severity.ERROR else "warning"
        where = f"file={_escape_property(report.file)}" + (f",line={line}" if line else "")
        title = f"prosperity {finding.kind}"
        lines.append(f"::{level} {where},title={title}::{_escape_github(finding.message)}")
    lines.append(summary(report))
    return "\n".join(lines) + "\n"


RENDERERS: dict[CheckFormat, Callable[[CheckReport], str]] = {
    CheckFormat.TEXT: render_text,
    CheckFormat.JSON: render_json,
    CheckFormat.GITHUB: render_github,
}


def invalid_findings(problems: Sequence[Problem]) -> tuple[list[Finding], list[int | None]]:
    """Registry problems as error findings, so every format reports them the same way."""
    findings = [
        Finding(
            Severity.ERROR,
            "invalid",
            f"{p.where}: {p.message}" + (f" — {p.hint}" if p.hint else "")
            if p.where
            else p.message + (f" — {p.hint}" if p.hint else ""),
        )
        for p in problems
    ]
    return findings, [p.line for p in problems]
