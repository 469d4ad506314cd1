"""The parse cache: same answers as a fresh parse, never trusted when it does not match."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import BUNDLED, SMALL, Cli
from prosperity_cli import cache, fields, registry
from prosperity_cli.model import Grade
from prosperity_cli.registry import parse_registry


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of the test's own: these tests run a command twice to see the second
    one served from the parsed registry."""
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
    parts = [json.loads(json.dumps(part)) for part in cache.encode_registry(original)]
    assert cache.decode_registry(parts) == original


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
        lambda text: text.replace(f'"format":{cache.CACHE_FORMAT}', '"format":99', 1),
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


def test_only_a_journal_of_blocks_is_appendable() -> None:
    assert registry.appendable(SMALL, 4)
    assert registry.appendable("# keep every [[observations]] at the end\n" + SMALL, 4)
    bundled = BUNDLED.read_text(encoding="utf-8")  # its comments mention the header too
    assert registry.appendable(bundled, len(parse_registry(bundled).observations))
    inline = '{} = [{{indicator = "income", period = "2020", value = 40}}]\n'
    for key in ("observations", '"observations"', "'observations'", '"\\u006fbservations"'):
        assert not registry.appendable(f"format = 1\n{inline.format(key)}", 1), key
    assert not registry.appendable("format = 1\nobservations = []\n", 0)
    assert not registry.appendable(SMALL.replace("[[observations]]", "[[ observations ]]"), 4)


@pytest.mark.parametrize("key", ['"observations"', "observations"])
def test_an_inline_journal_is_never_appended_to_even_from_the_cache(
    cli: Cli, write_registry, cache_dir: Path, key: str
) -> None:
    """`[[observations]]` after `observations = [...]` is invalid TOML: refused every time."""
    inline = f'{key} = [{{indicator = "income", period = "2020", value = 40}}]\n'
    text = SMALL.split("[[observations]]")[0].replace("format = 1\n", "format = 1\n" + inline)
    path = write_registry(text)
    assert cli("status", "-r", path).exit_code == 0
    for _ in range(2):  # the second time with the registry in the cache
        added = cli("add-observation", "income", "2021", "41", "-r", path)
        assert added.exit_code == 2
        assert "nothing was written" in added.stderr
        assert path.read_text(encoding="utf-8") == text


_texts = st.none() | st.text(max_size=12)
_observation_fields = st.tuples(
    st.sampled_from(["a", "b", "c"]),
    st.sampled_from(["2020", "2021-Q3", "2022-07", "2025-01/2025-09", "2024-06-30"]),
    st.floats(allow_nan=False, allow_infinity=False),
    _texts,
    _texts,
    _texts,
    st.booleans(),
    st.booleans(),
    st.none() | st.dates(),
    st.lists(st.text(max_size=5), max_size=2).map(tuple),
    st.booleans(),
    st.none() | st.integers(0, 6),
    _texts,  # url
    _texts,  # publisher
    st.none() | st.dates(),  # published
    _texts,  # locator
    st.none() | st.sampled_from(list(Grade)),
    st.booleans(),  # derived
)


@given(st.lists(_observation_fields, max_size=30))
def test_any_journal_survives_the_columnar_encoding(rows: list[tuple[Any, ...]]) -> None:
    from prosperity_cli.model import Indicator, Observation, Registry
    from prosperity_cli.periods import Cadence

    indicators = {ident: Indicator(ident, ident, "yuan", Cadence.ANNUAL) for ident in "abc"}
    observations = tuple(
        Observation(ident, fields.cached_period(period), value, position, *rest)
        for position, (ident, period, value, *rest) in enumerate(rows)
    )
    original = Registry({}, indicators, {}, observations)
    parts = [json.loads(cache._dumps(part)) for part in cache.encode_registry(original)]
    decoded = cache.decode_registry(parts)
    assert decoded == original
    assert [o.position for o in decoded.observations] == list(range(len(rows)))


def test_a_copy_of_a_cached_file_grows_without_a_full_parse(
    write_registry, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = write_registry(SMALL)
    cache.load(original)
    copy = original.with_name("copy.toml")
    copy.write_text(SMALL, encoding="utf-8")
    cache.load(copy)  # the same content: served from the original's entry
    with copy.open("a", encoding="utf-8") as out:
        out.write('\n[[observations]]\nindicator = "income"\nperiod = "2019"\nvalue = 30\n')
    parses = count_full_parses(monkeypatch)
    grown = cache.load(copy)
    assert parses == []
    assert grown == parse_registry(copy.read_text(encoding="utf-8"), str(copy))


def test_the_least_recently_used_entries_are_pruned_and_nothing_else(
    write_registry, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    monkeypatch.setattr(cache, "MAX_ENTRIES", 2)
    path = write_registry(SMALL)
    contents = [SMALL.replace("value = 46", f"value = {value}") for value in (46, 47, 48)]
    names = []
    for moment, text in enumerate(contents[:2]):
        path.write_text(text, encoding="utf-8")
        cache.load(path)
        names.append(f"{cache.digest(path.read_bytes())}.json")
        os.utime(cache_dir / names[-1], (1_700_000_000 + moment,) * 2)
    (cache_dir / "notes.json").write_text("{}", encoding="utf-8")  # not ours: kept
    path.write_text(contents[0], encoding="utf-8")
    cache.load(path)  # a hit: the first entry is now the most recently used
    path.write_text(contents[2], encoding="utf-8")
    cache.load(path)
    kept = sorted(p.name for p in cache_dir.glob("*.json"))
    assert kept == sorted([names[0], f"{cache.digest(path.read_bytes())}.json", "notes.json"])
    assert cache.load(path) == parse_registry(path.read_text(encoding="utf-8"), str(path))


@pytest.mark.parametrize(
    "tail",
    [
        'observations = [{indicator = "income", period = "2019", value = 30}]\n',
        'observations.indicator = "income"\n',
        "value = 30\n",
    ],
    ids=["inline-array", "dotted-key", "bare-key"],
)
def test_a_tail_that_is_no_block_of_its_own_is_judged_with_the_whole_file(
    write_registry, cache_dir: Path, tail: str
) -> None:
    """Appended text that is not a `[[observations]]` block belongs to the table before it:
    read alone it could look valid, so it must be judged by parsing the whole file."""
    path = write_registry(SMALL)
    cache.load(path)
    with path.open("a", encoding="utf-8") as out:
        out.write(tail)
    with pytest.raises(registry.RegistryInvalid) as via_cache:
        cache.load(path)
    with pytest.raises(registry.RegistryInvalid) as fresh:
        parse_registry(path.read_text(encoding="utf-8"), str(path))
    assert [str(p) for p in via_cache.value.problems] == [str(p) for p in fresh.value.problems]


@pytest.mark.parametrize("indicator", ['["income"]', '{ id = "income" }'])
def test_an_appended_block_of_any_shape_gets_an_error_line_not_a_traceback(
    cli: Cli, write_registry, cache_dir: Path, indicator: str
) -> None:
    path = write_registry(SMALL)
    cli("status", "-r", path)
    with path.open("a", encoding="utf-8") as out:
        out.write(f'\n[[observations]]\nindicator = {indicator}\nperiod = "2019"\nvalue = 1\n')
    result = cli("check", "-r", path)
    assert result.exit_code == 2
    assert "observations[5].indicator" in result.stdout


def test_an_edited_prosperity_parses_again(
    write_registry, cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A registry validated by older code is not trusted after the code changed, even at
    the same version (an editable install being worked on)."""
    from prosperity_cli import fingerprint

    package = tmp_path / "package"
    package.mkdir()
    (package / "registry.py").write_text("RULES = 1\n", encoding="utf-8")
    monkeypatch.setattr(fingerprint, "_package_folder", lambda: str(package))
    path = write_registry(SMALL)
    cache.load(path)
    (package / "registry.py").write_text("RULES = 22\n", encoding="utf-8")
    parses = count_full_parses(monkeypatch)
    cache.load(path)
    assert parses == [str(path)]


def test_a_forged_entry_with_a_correct_plain_hash_is_not_trusted(
    cli: Cli, write_registry, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Someone who rewrites an entry (a changed value) and recomputes an unkeyed hash, as
    a forger without the user's key would, gets a full parse and the file's own figures."""
    import hashlib

    path = write_registry(SMALL)
    cli("status", "-r", path, "--as-of", "2024-06-30")
    [entry] = entries(cache_dir)
    lines = entry.read_bytes().splitlines(keepends=True)
    payload = b"".join(lines[:-1]).replace(b"Median income", b"Forged income")
    trailer = json.loads(lines[-1])
    trailer["payload"] = hashlib.blake2b(payload, digest_size=20).hexdigest()
    entry.write_bytes(payload + json.dumps(trailer).encode() + b"\n")
    parses = count_full_parses(monkeypatch)
    result = cli("status", "-r", path, "--as-of", "2024-06-30", "--format", "json")
    assert parses == [str(path)]
    assert json.loads(result.stdout)["targets"][0]["name"] == "Median income"


def test_an_entry_sealed_with_another_key_is_not_trusted(
    cli: Cli, write_registry, cache_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = write_registry(SMALL)
    cli("status", "-r", path, "--as-of", "2024-06-30")
    monkeypatch.setenv("PROSPERITY_CONFIG_DIR", str(tmp_path / "another-machine"))
    cache.cache_key.cache_clear()
    try:
        parses = count_full_parses(monkeypatch)
        cli("status", "-r", path, "--as-of", "2024-06-30")
        assert parses == [str(path)]
    finally:
        cache.cache_key.cache_clear()
