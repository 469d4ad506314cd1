"""docs/cli.md is the commands' own --help, regenerated: it fails here when it is stale."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from prosperity_cli import cli_reference
from prosperity_cli.cli import app

DOC = Path(__file__).parent.parent / "docs" / "cli.md"


def test_docs_cli_md_is_up_to_date() -> None:
    assert DOC.read_text(encoding="utf-8") == cli_reference.reference(), (
        "docs/cli.md is stale — run: python -m prosperity_cli.cli_reference docs/cli.md"
    )


def test_every_command_the_help_lists_has_a_section_of_its_own() -> None:
    top = CliRunner().invoke(app, ["--help"], prog_name="prosperity", terminal_width=200).output
    listed = re.findall(r"^  ([a-z-]+)  ", top.split("Commands:")[1], flags=re.MULTILINE)
    sections = re.findall(r"^## prosperity ([a-z-]+)$", DOC.read_text("utf-8"), re.MULTILINE)
    assert len(listed) >= 7
    assert sections == listed


def test_the_reference_does_not_depend_on_the_terminal_that_generates_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    assert cli_reference.reference() == DOC.read_text(encoding="utf-8")
