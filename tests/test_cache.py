"""The parse cache: same answers as a fresh parse, never trusted when it does not match."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import BUNDLED, SMALL, Cli
from prosperity_cli import cache, registry
from prosperity_cli.registry import parse_registry


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("PROSPERITY_CACHE_DIR", str(folder))
    return folder


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.json"))


def count_full_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = cache.parse_registry

    def spy(text: str, filename: str = "targets.toml"):  # type: ignore[no-untyped-def]
        calls.append(filename)
        return real(text, filename)

    monkeypatch.setattr(cache, "parse_registry", spy)
    return calls


@pytest.mark.parametrize("text", [SMALL, BUNDLED.read_text(encoding="utf-8")])
def test_encoding_round_trips_a_registry(text: str) -> None:
    original = parse_registry(text)
    assert cache.decode_registry(json.loads(json.dumps(cache.encode_registry(original)))) == (
        original
    )


def test_second_run_is_served_from_the_cache_with_identical_output(
    cli: Cli, write_registry, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_registry(SMALL)
    cold = cli("status", "-r", path, "--as-of", "2024-06-30").stdout
    assert len(entries(cache_dir)) == 1
    parses = count_full_parses(monkeypatch)
    warm = cli("status", "-r", path, "--as-of", "2024-06-30").stdout
    assert parses == []
    assert warm == cold


def test_an_edited_file_is_seen_at_once(cli: Cli, write_registry, cache_dir: Path) -> None:
    path = write_registry(SMALL)
    cli("status", "-r", path, "--as-of", "2024-06-30")
    path.write_text(SMALL.replace("value = 46", "value = 52"), encoding="utf-8")
    result = cli("status", "-r", path, "--format", "json", "--as-of", "2024-06-30")
    assert json.loads(result.stdout)["targets"][0]["latest"]["value"] == 52


def test_an_edit_that_keeps_size_and_mtime_is_still_seen(
    cli: Cli, write_registry, cache_dir: Path
) -> None:
    import os

    path = write_registry(SMALL)
    cli("status", "-r", path)
    stat = path.stat()
    path.write_text(SMALL.replace("value = 46", "value = 47"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    result = cli("status", "-r", path, "--format", "json", "--as-of", "2024-06-30")
    assert json.loads(result.stdout)["targets"][0]["latest"]["value"] == 47


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],
        lambda text: "not json",
        lambda text: text.replace('"format":1', '"format":99', 1),
        lambda text: text.replace('"income"', '"nothing"'),
        lambda text: json.dumps({"format": 1, "registry": []}),
    ],
    ids=["truncated", "not-json", "other-format", "inconsistent", "wrong-shape"],
)
def test_a_corrupt_entry_is_ignored_and_rebuilt(
    cli: Cli, write_registry, cache_dir: Path, damage
) -> None:
    path = write_registry(SMALL)
    expected = cli("status", "-r", path, "--format", "json", "--as-of", "2024-06-30").stdout
    [entry] = entries(cache_dir)
    entry.write_text(damage(entry.read_text(encoding="utf-8")), encoding="utf-8")
    again = cli("status", "-r", path, "--format", "json", "--as-of", "2024-06-30")
    assert again.exit_code == 0, again.stderr
    assert again.stdout == expected


def test_appended_observations_are_checked_without_a_full_parse(
    cli: Cli, write_registry, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_registry(SMALL)
    cli("status", "-r", path)
    added = cli("add-observation", "income", "2024", "50", "-r", path, "--recorded", "2025-01-01")
    assert added.exit_code == 0, added.stderr
    parses = count_full_parses(monkeypatch)
    via_cache = cache.load(path)
    assert parses == []
    assert via_cache == parse_registry(path.read_text(encoding="utf-8"), str(path))


def test_an_invalid_appended_block_is_reported_by_a_full_parse(
    cli: Cli, write_registry, cache_dir: Path
) -> None:
    path = write_registry(SMALL)
    cli("status", "-r", path)
    with path.open("a", encoding="utf-8") as out:
        out.write('\n[[observations]]\nindicator = "income"\nperiod = "2023"\nvalue = 1\n')
    result = cli("status", "-r", path)
    assert result.exit_code == 2
    assert "income already has a value for 2023" in result.stderr


def test_no_cache_when_disabled(
    cli: Cli, write_registry, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROSPERITY_NO_CACHE", "1")
    assert cli("status", "-r", write_registry(SMALL)).exit_code == 0
    assert not cache_dir.exists()


def test_inline_observations_are_never_extended(write_registry) -> None:
    assert registry.appendable(SMALL)
    assert not registry.appendable('format = 1\nobservations = [{indicator = "x"}]\n')
