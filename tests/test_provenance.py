"""Provenance: where each figure was read (url, publisher, published, locator, grade),
figures we computed (`derived`), and which of two sources' values for a period counts."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import Cli
from prosperity_cli.cli import app

REGISTRY = """\
format = 1

[plans.p]
title = "Plan"
url = "https://example.org/plan"
publisher = "Example City Government"
published = 2021-07-29
grade = "official-media"

[indicators.ratio]
name = "Urban:rural income ratio"
region = "Example City"
unit = "ratio"
cadence = "annual"

[targets.ratio-2025]
indicator = "ratio"
plan = "p"
goal = "at-most"
value = 1.7
deadline = 2025-12-31
baseline = "2020"
publisher = "Example City Government"
published = 2021-07-29
locator = "plan section 2, main targets"

[[observations]]
indicator = "ratio"
period = "2020"
value = 1.96
url = "https://example.org/bulletin-2020"
publisher = "Example City Statistics Bureau"
published = 2021-03-01
locator = "section 9, incomes"
grade = "official-statistics"
"""

BULLETIN_2024 = """
[[observations]]
indicator = "ratio"
period = "2024"
value = 1.83
url = "https://example.org/bulletin-2024"
publisher = "Example City Statistics Bureau"
published = 2025-03-01
grade = "official-statistics"
"""

NEWS_2024 = """
[[observations]]
indicator = "ratio"
period = "2024"
value = 1.8
revises = true
source = "A news story quoting a professor"
grade = "official-media"
"""


@pytest.fixture
def path(write_registry) -> Path:
    return write_registry(REGISTRY)


def status_json(cli: Cli, path: Path) -> dict:
    result = cli("status", "-r", path, "--format", "json", "--as-of", "2025-06-30")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_provenance_keys_are_valid_on_every_kind_of_entry(cli: Cli, path: Path) -> None:
    result = cli("check", "-r", path, "--as-of", "2021-06-30")
    assert result.exit_code == 0, result.stdout + result.stderr


def test_json_latest_says_where_the_value_was_read(cli: Cli, path: Path) -> None:
    path.write_text(REGISTRY + BULLETIN_2024, encoding="utf-8")
    [target] = status_json(cli, path)["targets"]
    latest = target["latest"]
    assert latest["url"] == "https://example.org/bulletin-2024"
    assert latest["publisher"] == "Example City Statistics Bureau"
    assert latest["published"] == "2025-03-01"
    assert latest["grade"] == "official-statistics"
    assert latest["derived"] is False


@pytest.mark.parametrize(
    "journal",
    [
        BULLETIN_2024 + NEWS_2024,
        NEWS_2024.replace("revises = true\n", "")
        + BULLETIN_2024.replace(
            'grade = "official-statistics"', 'grade = "official-statistics"\nrevises = true'
        ),
    ],
)
def test_the_bulletin_counts_over_a_news_figure_whatever_their_order(
    cli: Cli, path: Path, journal: str
) -> None:
    path.write_text(REGISTRY + journal, encoding="utf-8")
    [target] = status_json(cli, path)["targets"]
    assert target["latest"]["value"] == 1.83
    assert target["latest"]["grade"] == "official-statistics"


def test_between_equal_grades_the_newest_revision_counts(cli: Cli, path: Path) -> None:
    census = BULLETIN_2024.replace("1.83", "1.81").replace(
        'grade = "official-statistics"', 'grade = "official-statistics"\nrevises = true'
    )
    path.write_text(REGISTRY + BULLETIN_2024 + census, encoding="utf-8")
    [target] = status_json(cli, path)["targets"]
    assert target["latest"]["value"] == 1.81


def test_show_lists_both_sources_and_says_which_counts(path: Path) -> None:
    path.write_text(REGISTRY + BULLETIN_2024 + NEWS_2024, encoding="utf-8")
    wide = CliRunner(env={"NO_COLOR": "1", "COLUMNS": "200", "TERM": "dumb"})
    args = ["show", "ratio", "-r", str(path), "--as-of", "2025-06-30", "--no-chart"]
    result = wide.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    out = " ".join(result.stdout.split())
    assert "outranked by official statistics" in out
    assert "counts" in out
    assert "A news story quoting a professor" in out
    assert "Example City Statistics Bureau, published 2025-03-01 (official statistics)" in out
    assert "https://example.org/bulletin-2024" in out


def test_show_of_a_target_gives_its_publisher_and_locator(cli: Cli, path: Path) -> None:
    result = cli("show", "ratio-2025", "-r", path, "--as-of", "2025-06-30", "--no-chart")
    out = " ".join(result.stdout.split())
    assert "Example City Government, published 2021-07-29; plan section 2, main targets" in out


DERIVED = """
[[observations]]
indicator = "ratio"
period = "2023"
value = 1.86
derived = true
note = "computed: 1.84 stated for a city, plus the 0.02 by which it is stated to be lower"
"""


def test_a_derived_value_is_marked_in_json_and_show(cli: Cli, path: Path) -> None:
    path.write_text(REGISTRY + DERIVED, encoding="utf-8")
    [target] = status_json(cli, path)["targets"]
    assert target["latest"]["derived"] is True
    shown = cli("show", "ratio-2025", "-r", path, "--as-of", "2025-06-30", "--no-chart")
    out = " ".join(shown.stdout.split())
    assert "1.86:1 (2023), derived" in out
    assert "derived (see note)" in out


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('url = "example.org/x"', 'observations[2].url: "example.org/x" is not a web address'),
        ('url = "https://exa mple.org"', "is not a web address"),
        ('grade = "official"', "did you mean 'official-media'?"),
        ('published = "2025-03-01"', "observations[2].published: expected a date"),
        ("derived = true", "observations[2].derived: a derived figure needs its arithmetic"),
        ('publisher = ""', "observations[2].publisher: is empty"),
    ],
)
def test_bad_provenance_is_one_line_with_its_place(
    cli: Cli, path: Path, line: str, message: str
) -> None:
    text = (
        REGISTRY
        + f'\n[[observations]]\nindicator = "ratio"\nperiod = "2021"\nvalue = 1.9\n{line}\n'
    )
    path.write_text(text, encoding="utf-8")
    result = cli("status", "-r", path, "--as-of", "2025-06-30")
    assert result.exit_code == 2
    [error] = result.stderr.splitlines()
    assert message in error
    assert error.startswith(f"{path}:")


def test_a_target_computed_by_us_must_show_its_arithmetic(cli: Cli, path: Path) -> None:
    path.write_text(REGISTRY.replace('baseline = "2020"', 'baseline = "2020"\nderived = true'))
    result = cli("status", "-r", path)
    assert result.exit_code == 2
    assert "targets.ratio-2025.derived: a derived figure needs its arithmetic" in result.stderr


# --- entering figures with the CLI ------------------------------------------------------------


def test_add_observation_records_where_the_value_was_read(cli: Cli, path: Path) -> None:
    result = cli(
        "add-observation", "ratio", "2024", "1.83", "-r", path,
        "--source", "Statistical bulletin 2024",
        "--url", "https://example.org/bulletin-2024",
        "--publisher", "Example City Statistics Bureau",
        "--published", "2025-03-01",
        "--locator", "section 9, incomes",
        "--grade", "official-statistics",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    [_, added] = tomllib.loads(path.read_text(encoding="utf-8"))["observations"]
    assert added["url"] == "https://example.org/bulletin-2024"
    assert added["publisher"] == "Example City Statistics Bureau"
    assert str(added["published"]) == "2025-03-01"
    assert added["locator"] == "section 9, incomes"
    assert added["grade"] == "official-statistics"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--url", "www.example.org"), "url 'www.example.org' is not a web address"),
        (("--published", "March 2025"), "published 'March 2025' is not a date"),
        (("--grade", "offical-statistics"), "did you mean 'official-statistics'?"),
        (("--derived",), "a derived value needs its arithmetic"),
    ],
)
def test_add_observation_refuses_bad_provenance_and_writes_nothing(
    cli: Cli, path: Path, args: tuple[str, ...], message: str
) -> None:
    before = path.read_bytes()
    result = cli("add-observation", "ratio", "2024", "1.83", "-r", path, *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert path.read_bytes() == before


def test_add_observation_derived_with_a_note(cli: Cli, path: Path) -> None:
    note = "computed: 69,987 / 45,183"
    result = cli(
        "add-observation", "ratio", "2024", "1.549", "-r", path, "--derived", "--note", note
    )
    assert result.exit_code == 0, result.stderr
    [_, added] = tomllib.loads(path.read_text(encoding="utf-8"))["observations"]
    assert added["derived"] is True
    assert added["note"] == note


def test_import_takes_a_bulletin_once_for_all_its_rows(
    cli: Cli, path: Path, tmp_path: Path
) -> None:
    csv = tmp_path / "bulletin.csv"
    csv.write_text(
        "indicator,period,value,locator\nratio,2021,1.94,section 9\nratio,2022,1.90,\n",
        encoding="utf-8",
    )
    result = cli(
        "import", csv, "-r", path,
        "--source", "Statistical bulletin",
        "--url", "https://example.org/b",
        "--publisher", "Example City Statistics Bureau",
        "--published", "2023-03-01",
        "--grade", "official-statistics",
        "--locator", "section 8",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    added = tomllib.loads(path.read_text(encoding="utf-8"))["observations"][1:]
    assert [o["locator"] for o in added] == ["section 9", "section 8"]  # a cell wins
    assert {o["url"] for o in added} == {"https://example.org/b"}
    assert {o["grade"] for o in added} == {"official-statistics"}


def test_import_revises_column_marks_only_its_rows(cli: Cli, path: Path, tmp_path: Path) -> None:
    csv = tmp_path / "census.csv"
    csv.write_text(
        "indicator,period,value,revises,grade,url\n"
        "ratio,2020,1.95,yes,official-statistics,https://example.org/census\n"
        "ratio,2021,1.94,,official-statistics,https://example.org/census\n",
        encoding="utf-8",
    )
    result = cli("import", csv, "-r", path)
    assert result.exit_code == 0, result.stderr
    added = tomllib.loads(path.read_text(encoding="utf-8"))["observations"][1:]
    assert [o.get("revises", False) for o in added] == [True, False]


def test_import_refuses_a_bad_url_cell_with_its_row(cli: Cli, path: Path, tmp_path: Path) -> None:
    csv = tmp_path / "rows.csv"
    csv.write_text("indicator,period,value,url\nratio,2021,1.94,not a url\n", encoding="utf-8")
    before = path.read_bytes()
    result = cli("import", csv, "-r", path)
    assert result.exit_code == 2
    assert f"{csv}:2: url 'not a url' is not a web address" in result.stderr
    assert path.read_bytes() == before


DERIVED_INDICATOR = """
[indicators.urban]
name = "Urban income"
unit = "yuan"
cadence = "annual"

[indicators.rural]
name = "Rural income"
unit = "yuan"
cadence = "annual"

[indicators.computed-ratio]
name = "Urban:rural ratio, computed"
derived = { numerator = "urban", denominator = "rural" }
"""


def test_add_observation_keeps_a_reported_figure_of_a_derived_indicator(
    cli: Cli, path: Path
) -> None:
    path.write_text(REGISTRY.replace("\n[targets.", DERIVED_INDICATOR + "\n[targets.", 1))
    result = cli("add-observation", "computed-ratio", "2019", "1.770", "--reported", "-r", path)
    assert result.exit_code == 0, result.stderr
    [_, added] = tomllib.loads(path.read_text(encoding="utf-8"))["observations"]
    assert added["reported"] is True
    refused = cli("add-observation", "ratio", "2019", "1.77", "--reported", "-r", path)
    assert refused.exit_code == 2
    assert "ratio is not a derived or spread indicator" in refused.stderr
