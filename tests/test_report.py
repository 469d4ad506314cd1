"""`prosperity report`: valid, self-contained HTML whose every figure is the JSON contract's;
Markdown with its SVG files; the install hint without matplotlib; the filters of `status`."""

from __future__ import annotations

import json
import re
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from conftest import Cli

#: Two plans; targets with and without observations; one tracked indicator with two
#: values, one with a single value; registry strings that HTML must escape.
REGISTRY = """\
format = 1

[plans.city]
title = "City plan <2021-2025> & more"
region = "City"
source = "Plan source \\"quoted\\""
quote = "We shall <b>grow</b> & share."

[plans.county]
title = "County plan"
region = "County"

[indicators.income]
name = "Median income"
unit = "yuan"
cadence = "annual"

[indicators.ratio]
name = "Urban:rural ratio"
unit = "ratio"
cadence = "annual"

[indicators.beds]
name = "Hospital beds <script>alert(1)</script>"
unit = "beds"
cadence = "annual"

[indicators.output]
name = "County output"
unit = "yuan"
cadence = "annual"

[indicators.tracked]
name = "Tracked share"
region = "Province"
unit = "percent"
cadence = "annual"
source = "Yearbook"
quote = "The share rose to 52% in 2023."

[indicators.single]
name = "Measured once"
unit = "percent"
cadence = "annual"

[targets.income-2025]
indicator = "income"
plan = "city"
goal = "at-least"
value = 55
deadline = 2025-12-31
baseline = "2020"
method = "linear"
source = "Plan, chapter 3"
quote = "Income shall reach 55 yuan by 2025 — \\"at least\\"."

[targets.ratio-2025]
indicator = "ratio"
plan = "city"
goal = "at-most"
value = 1.7
deadline = 2025-12-31
baseline = "2020"

[targets.beds-2025]
indicator = "beds"
plan = "city"
goal = "at-least"
value = 1000
deadline = 2025-12-31

[targets.output-2028]
indicator = "output"
plan = "county"
goal = "at-least"
value = 200
deadline = 2028-12-31
baseline = "2020"

[[observations]]
indicator = "income"
period = "2020"
value = 40
source = "Bulletin 2020"

[[observations]]
indicator = "income"
period = "2023"
value = 46
source = "Bulletin 2023"
quote = "Income was 46 yuan."

[[observations]]
indicator = "ratio"
period = "2020"
value = 1.96

[[observations]]
indicator = "ratio"
period = "2024"
value = 1.8
provisional = true

[[observations]]
indicator = "output"
period = "2020"
value = 100

[[observations]]
indicator = "output"
period = "2022"
value = 121

[[observations]]
indicator = "tracked"
period = "2021"
value = 50

[[observations]]
indicator = "tracked"
period = "2023"
value = 52

[[observations]]
indicator = "single"
period = "2023"
value = 3
"""

AS_OF = "2024-06-30"
#: Targets with an observation known on AS_OF (ratio's 2024 value is not known yet).
WITH_OBSERVATIONS = {"income-2025", "ratio-2025", "output-2028"}
#: Every figure of the JSON contract that each target's article shows.
TARGET_KEYS = {
    "status",
    "latest",
    "goal",
    "target",
    "deadline",
    "days_left",
    "baseline",
    "progress",
    "expected_progress",
    "gap",
    "pace_ratio",
    "method",
    "required_rate",
    "observed_rate",
    "projected",
    "reached_by",
    "freshness",
    "next_due",
    "notes",
    "short_term",
    "owner",
}
VOID = {"meta", "br", "hr", "img", "link", "input", "col", "wbr", "source", "area", "base"}


class Page(HTMLParser):
    """A strict reading: every tag closed in order; articles, figures and SVGs collected."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.errors: list[str] = []
        self.tags: list[str] = []
        #: data-id of each <article> -> {data-key: JSON value}, and its number of <svg>.
        self.figures: dict[str, dict[str, Any]] = {}
        self.texts: dict[str, dict[str, str]] = {}
        self.svgs: dict[str, int] = {}
        self._article: str | None = None
        self._figure: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        found = dict(attrs)
        if tag == "article":
            self._article = found["data-id"]
            self.figures[self._article or ""] = {}
            self.texts[self._article or ""] = {}
            self.svgs[self._article or ""] = 0
        if tag == "data" and self._article and found.get("data-key"):
            key = found["data-key"] or ""
            assert key not in self.figures[self._article], f"{key} twice"
            self.figures[self._article][key] = json.loads(found["value"] or "")
            self._figure = key
            self.texts[self._article][key] = ""
        if tag == "svg" and self._article:
            self.svgs[self._article] += 1
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)  # <path .../> inside SVG: opened and closed at once

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            self.errors.append(f"</{tag}> closes a void element")
        elif not self.open or self.open[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.open[-1] if self.open else None}>")
        else:
            self.open.pop()
        if tag == "article":
            self._article = None
        if tag == "data":
            self._figure = None

    def handle_data(self, data: str) -> None:
        if self._article and self._figure:
            self.texts[self._article][self._figure] += data


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    assert page.errors == [], page.errors[:5]
    assert page.open == [], f"never closed: {page.open}"
    return page


@pytest.fixture
def registry(write_registry) -> Path:
    return write_registry(REGISTRY)


def status_json(cli: Cli, path: Path, *args: str) -> dict[str, Any]:
    result = cli("status", "--registry", path, "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def html_report(cli: Cli, path: Path, *args: str) -> str:
    out = path.parent / "out" / "report.html"
    result = cli("report", "--registry", path, "--output", out, *args)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == f"wrote {out}"
    return out.read_text(encoding="utf-8")


def test_html_is_balanced_and_has_one_chart_per_target_with_observations(
    cli: Cli, registry: Path
) -> None:
    page = parse(html_report(cli, registry, "--as-of", AS_OF))
    assert page.tags[0] == "html"
    assert {ident: n for ident, n in page.svgs.items() if n} == {
        **dict.fromkeys(WITH_OBSERVATIONS, 1),
        "tracked": 1,  # a tracked indicator with two values
    }
    assert page.svgs["beds-2025"] == 0 and page.svgs["single"] == 0
    assert page.tags.count("svg") == len(WITH_OBSERVATIONS) + 1


def test_every_figure_matches_status_json(cli: Cli, registry: Path) -> None:
    page = parse(html_report(cli, registry, "--as-of", AS_OF))
    data = status_json(cli, registry, "--as-of", AS_OF)
    assert [t["id"] for t in data["targets"]] == [
        ident for ident in page.figures if ident not in ("tracked", "single")
    ]
    for record in data["targets"]:
        shown = page.figures[record["id"]]
        assert set(shown) == TARGET_KEYS, record["id"]
        for key, value in shown.items():
            assert value == record[key], (record["id"], key)
    for record in data["indicators"]:
        shown = page.figures[record["id"]]
        assert set(shown) == {"latest", "previous", "change", "freshness", "next_due"}
        for key, value in shown.items():
            assert value == record[key], (record["id"], key)


def test_figures_read_as_their_numbers(cli: Cli, registry: Path) -> None:
    page = parse(html_report(cli, registry, "--as-of", AS_OF))
    income, text = page.figures["income-2025"], page.texts["income-2025"]
    # 40 -> 46 of the way to 55: 40%; 2 a year observed against 3 required.
    assert income["progress"] == pytest.approx(0.4) and text["progress"] == "40%"
    assert income["gap"] == 9 and text["gap"] == "9 yuan"
    assert text["pace_ratio"] == "0.67" and text["status"] == "moderate"
    assert text["projected"] == "50 yuan" and text["latest"] == "46 yuan"


def test_html_escapes_registry_strings_and_needs_nothing_from_outside(
    cli: Cli, registry: Path
) -> None:
    html = html_report(cli, registry, "--as-of", AS_OF)
    assert "<script" not in html.lower()
    assert "Hospital beds &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "City plan &lt;2021-2025&gt; &amp; more" in html
    assert "We shall &lt;b&gt;grow&lt;/b&gt; &amp; share." in html
    assert "&quot;at least&quot;" in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", html)
    assert "@import" not in html and "url(http" not in html
    assert "<link" not in html and "<img" not in html


def test_report_is_the_same_byte_for_byte_each_time(cli: Cli, registry: Path) -> None:
    first = html_report(cli, registry, "--as-of", AS_OF)
    assert html_report(cli, registry, "--as-of", AS_OF) == first


def test_element_ids_are_unique_and_every_reference_resolves(cli: Cli, registry: Path) -> None:
    html = html_report(cli, registry, "--as-of", AS_OF)
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    assert "target-income-2025" in ids
    references = set(re.findall(r'(?:url\(#|href="#)([^")]+)', html))
    assert references <= set(ids)


def test_markdown_writes_the_svg_files_it_links(cli: Cli, registry: Path) -> None:
    out = registry.parent / "docs" / "state.md"
    result = cli("report", "-r", registry, "--as-of", AS_OF, "-f", "markdown", "-o", out)
    assert result.exit_code == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    assert sorted(links) == sorted(
        f"state-charts/{ident}.svg" for ident in (*WITH_OBSERVATIONS, "tracked")
    )
    for link in links:
        root = ET.parse(out.parent / link).getroot()
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "## City plan &lt;2021-2025&gt; &amp; more" in text
    assert "Hospital beds &lt;script&gt;alert\\(1\\)&lt;/script&gt;" not in text  # parens kept
    assert "Hospital beds &lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "| Progress | 40% |" in text
    assert "🟡 **moderate**" in text
    assert '> Income shall reach 55 yuan by 2025 — "at least".' in text


def test_report_needs_no_plotting_library(
    cli: Cli, registry: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The charts are SVG written by prosperity itself: matplotlib is neither imported nor
    needed (a None in sys.modules makes any import of it fail)."""
    for name in ("matplotlib", "numpy", "plotext"):
        monkeypatch.setitem(sys.modules, name, None)
    html = html_report(cli, registry, "--as-of", AS_OF)
    assert html.count("<svg") == len(WITH_OBSERVATIONS) + 1


def test_default_output_is_report_html_in_the_current_folder(
    cli: Cli, registry: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(registry.parent)
    result = cli("report", "-r", registry, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    assert (registry.parent / "report.html").is_file()
    result = cli("report", "-r", registry, "--as-of", AS_OF, "--format", "markdown")
    assert (registry.parent / "report.md").is_file()
    assert (registry.parent / "report-charts" / "income-2025.svg").is_file()


def test_refuses_to_overwrite_the_registry(cli: Cli, registry: Path) -> None:
    before = registry.read_bytes()
    result = cli("report", "-r", registry, "-o", registry)
    assert result.exit_code == 2
    assert "is the registry itself" in result.stderr
    assert registry.read_bytes() == before


@pytest.mark.parametrize(
    "args",
    [
        ("--as-of", "2021-06-30"),
        ("--as-of", AS_OF, "--plan", "county"),
        ("--as-of", AS_OF, "--status", "moderate"),
        ("--as-of", AS_OF, "--region", "county"),
    ],
)
def test_report_shows_what_status_shows(cli: Cli, registry: Path, args: tuple[str, ...]) -> None:
    page = parse(html_report(cli, registry, *args))
    data = status_json(cli, registry, *args)
    shown = [ident for ident in page.figures if ident not in ("tracked", "single")]
    assert shown == [t["id"] for t in data["targets"]]
    assert [i for i in page.figures if i in ("tracked", "single")] == [
        i["id"] for i in data["indicators"]
    ]
    for record in data["targets"]:
        assert page.figures[record["id"]]["status"] == record["status"]


def test_as_of_is_in_the_report(cli: Cli, registry: Path) -> None:
    html = html_report(cli, registry, "--as-of", "2021-06-30")
    assert '<time datetime="2021-06-30">' in html
    page = parse(html)
    assert page.figures["income-2025"]["latest"]["period"] == "2020"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--status", "sideways"), "--status 'sideways': expected one of achieved"),
        (("--plan", "cty"), "--plan 'cty': no such plan"),
    ],
)
def test_filters_are_checked_as_status_checks_them(
    cli: Cli, registry: Path, args: tuple[str, ...], message: str
) -> None:
    for command in ("status", "report"):
        result = cli(command, "-r", registry, *args)
        assert result.exit_code == 2, command
        assert message in result.stderr, command
