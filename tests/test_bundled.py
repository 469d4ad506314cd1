"""The bundled targets.toml: loads, cites a source and a verbatim quote for every entry."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest

from conftest import BUNDLED, REPO, Cli
from prosperity_cli.registry import load_registry

SEEDS = REPO.parent / "shared" / "seeds"


def entries() -> list[tuple[str, dict]]:
    document = tomllib.loads(BUNDLED.read_text(encoding="utf-8"))
    found = []
    for kind in ("plans", "indicators", "targets"):
        found += [(f"{kind}.{ident}", raw) for ident, raw in document[kind].items()]
    found += [(f"observations[{n + 1}]", raw) for n, raw in enumerate(document["observations"])]
    return found


def test_bundled_registry_is_valid() -> None:
    registry = load_registry(BUNDLED)
    assert len(registry.targets) == 15
    assert {t.plan for t in registry.targets.values()} == {
        "hangzhou-2021-2025",
        "shaoxing-2025-2028",
    }


@pytest.mark.parametrize(("where", "raw"), entries(), ids=[w for w, _ in entries()])
def test_every_entry_has_a_source_and_a_quote(where: str, raw: dict) -> None:
    assert raw.get("source", "").strip(), f"{where} has no source"
    assert raw.get("quote", "").strip(), f"{where} has no quote"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/seeds is not beside the checkout")
@pytest.mark.parametrize(("where", "raw"), entries(), ids=[w for w, _ in entries()])
def test_every_quote_is_verbatim_in_the_seed_it_cites(where: str, raw: dict) -> None:
    cited = re.findall(r"shared/seeds/([\w.]+\.txt)", raw["source"])
    assert cited, f"{where} does not name its seed file"
    texts = [(SEEDS / name).read_text(encoding="utf-8") for name in cited]
    assert any(raw["quote"] in text for text in texts), f"{where}: quote not found verbatim"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/seeds is not beside the checkout")
def test_every_observed_number_appears_in_its_quote() -> None:
    for where, raw in entries():
        if not where.startswith("observations"):
            continue
        shown = f"{raw['value']:,}".removesuffix(".0")
        digits = {shown, shown.replace(",", ""), f"{raw['value']:.2f}"}
        assert any(d in raw["quote"] for d in digits), f"{where}: {shown} not in its quote"


def test_bundled_status_says_plainly_that_hangzhou_has_no_data(cli: Cli) -> None:
    result = cli("status", "--registry", BUNDLED, "--format", "json", "--as-of", "2026-11-29")
    data = json.loads(result.stdout)
    hangzhou = [t for t in data["targets"] if t["region"] == "Hangzhou"]
    assert len(hangzhou) == 13
    assert {t["status"] for t in hangzhou} == {"no-data"}
    tracked = {i["id"]: i for i in data["indicators"]}
    zj = tracked["zj-urban-rural-income-ratio"]
    assert (zj["previous"]["value"], zj["latest"]["value"]) == (1.96, 1.8)


def test_bundled_table_renders_at_80_columns(cli: Cli) -> None:
    result = cli("status", "--registry", BUNDLED, "--as-of", "2026-11-29")
    assert result.exit_code == 0, result.stderr
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    assert "15 targets: 15 no data" in result.stdout


def test_bundled_registry_path_exists() -> None:
    assert Path(BUNDLED).is_file()
