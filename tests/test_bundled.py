"""The bundled targets.toml: it loads, and every entry says where it comes from.

Entries taken from a seed document (shared/seeds/) carry `source` naming the seed file and a
`quote` found verbatim in it. Every other entry carries `url`, `publisher` and `published`
(or a note saying that its page shows no date) and no `quote`: no sentence of an outside
source is copied into the project. docs/data.md lists the sources.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from conftest import BUNDLED, REPO, Cli
from prosperity_cli.cache import load as load_registry

SEEDS = REPO.parent / "shared" / "seeds"
SEED_FILE = re.compile(r"shared/seeds/([\w.]+\.txt)")
UNDATED = "The page shows no date"
DATA_DOC = REPO / "docs" / "data.md"
#: The date the README's scorecard and docs/data.md were computed for.
JUDGED_ON = "2026-12-01"


def entries() -> list[tuple[str, dict]]:
    document = tomllib.loads(BUNDLED.read_text(encoding="utf-8"))
    found = []
    for kind in ("plans", "indicators", "targets"):
        found += [(f"{kind}.{ident}", raw) for ident, raw in document[kind].items()]
    found += [(f"observations[{n + 1}]", raw) for n, raw in enumerate(document["observations"])]
    return found


def from_a_seed(raw: dict) -> bool:
    return bool(SEED_FILE.search(raw.get("source", "")))


ALL = entries()
SEEDED = [(w, r) for w, r in ALL if from_a_seed(r)]
OTHERS = [(w, r) for w, r in ALL if not from_a_seed(r)]


def test_bundled_registry_is_valid() -> None:
    registry = load_registry(BUNDLED)
    assert {t.plan for t in registry.targets.values()} == {
        "zhejiang-2021-2025",
        "zhejiang-2022-2027",
        "hangzhou-2021-2025",
        "shaoxing-2025-2028",
    }


def test_both_kinds_of_entry_are_present() -> None:
    assert len(SEEDED) > 30
    assert len(OTHERS) > 80


@pytest.mark.parametrize(("where", "raw"), SEEDED, ids=[w for w, _ in SEEDED])
def test_a_seed_entry_has_a_source_and_a_quote(where: str, raw: dict) -> None:
    assert raw.get("quote", "").strip(), f"{where} has no quote"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/seeds is not beside the checkout")
@pytest.mark.parametrize(("where", "raw"), SEEDED, ids=[w for w, _ in SEEDED])
def test_every_quote_is_verbatim_in_the_seed_it_cites(where: str, raw: dict) -> None:
    texts = [
        (SEEDS / name).read_text(encoding="utf-8") for name in SEED_FILE.findall(raw["source"])
    ]
    assert any(raw["quote"] in text for text in texts), f"{where}: quote not found verbatim"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/seeds is not beside the checkout")
def test_every_observed_number_from_a_seed_appears_in_its_quote() -> None:
    for where, raw in SEEDED:
        if not where.startswith("observations"):
            continue
        shown = f"{raw['value']:,}".removesuffix(".0")
        digits = {shown, shown.replace(",", ""), f"{raw['value']:.2f}"}
        assert any(d in raw["quote"] for d in digits), f"{where}: {shown} not in its quote"


@pytest.mark.parametrize(("where", "raw"), OTHERS, ids=[w for w, _ in OTHERS])
def test_every_other_entry_says_where_it_was_read_and_copies_nothing(where: str, raw: dict) -> None:
    assert raw.get("url", "").startswith(("https://", "http://")), f"{where} has no url"
    assert raw.get("publisher", "").strip(), f"{where} has no publisher"
    assert raw.get("grade") in {"official-statistics", "official-media", "secondary"}, where
    assert "published" in raw or UNDATED in raw.get("note", ""), (
        f"{where} has no published date and no note saying its page shows none"
    )
    assert "quote" not in raw, f"{where}: quotes are for the seed documents only"
    if where.startswith("observations"):
        assert raw.get("locator", "").strip(), f"{where} has no locator"


@pytest.mark.parametrize(
    ("where", "raw"), [(w, r) for w, r in ALL if r.get("derived") is True], ids=lambda x: str(x)
)
def test_every_derived_figure_gives_its_arithmetic(where: str, raw: dict) -> None:
    assert raw.get("note", "").startswith("Derived:"), f"{where}: say how it was computed"


def test_every_source_address_is_listed_in_docs_data() -> None:
    listed = DATA_DOC.read_text(encoding="utf-8")
    missing = sorted(
        {raw["url"] for _, raw in ALL if "url" in raw} - set(re.findall(r"<(http[^>]+)>", listed))
    )
    assert not missing, f"docs/data.md does not list: {missing}"


def status_json(cli: Cli) -> dict:
    result = cli("status", "--registry", BUNDLED, "--format", "json", "--as-of", JUDGED_ON)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_status_gives_at_least_ten_targets_a_latest_value(cli: Cli) -> None:
    with_value = [t for t in status_json(cli)["targets"] if t["latest"] is not None]
    assert len(with_value) >= 10


def test_the_2021_2025_verdicts_the_readme_reports(cli: Cli) -> None:
    targets = {t["id"]: t for t in status_json(cli)["targets"]}
    assert targets["zj-urban-rural-income-ratio-2025"]["status"] == "achieved"
    assert targets["zj-per-capita-gdp-2025"]["status"] == "achieved"
    assert targets["zj-per-capita-disposable-income-2025"]["status"] == "pending"
    assert targets["hz-urban-rural-income-ratio-2025"]["status"] == "pending"
    assert targets["hz-per-capita-gdp-2025"]["status"] == "no-data"


def test_a_bulletin_figure_counts_over_the_seeds_rounded_one(cli: Cli) -> None:
    targets = {t["id"]: t for t in status_json(cli)["targets"]}
    latest_2024 = cli("status", "-r", BUNDLED, "--format", "json", "--as-of", "2025-06-30")
    gdp = {t["id"]: t for t in json.loads(latest_2024.stdout)["targets"]}["zj-gdp-2027"]["latest"]
    assert (gdp["period"], gdp["value"], gdp["grade"]) == ("2024", 9.0131, "official-statistics")
    assert targets["zj-gdp-2027"]["latest"]["period"] == "2025"


def test_bundled_table_renders_at_80_columns(cli: Cli) -> None:
    result = cli("status", "--registry", BUNDLED, "--as-of", JUDGED_ON)
    assert result.exit_code == 0, result.stderr
    assert max(len(line) for line in result.stdout.splitlines()) <= 80


@pytest.mark.parametrize(("as_of", "code"), [("2021-01-31", 0), (JUDGED_ON, 1)])
def test_check_on_the_bundled_registry_as_docs_ci_says(as_of: str, code: int) -> None:
    """docs/ci.md: fresh at the end of January 2021; stale series as of the date judged on."""
    result = subprocess.run(
        [sys.executable, "-m", "prosperity_cli", "check", "-r", str(BUNDLED), "--as-of", as_of],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == code, result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_bundled_registry_path_exists() -> None:
    assert Path(BUNDLED).is_file()
