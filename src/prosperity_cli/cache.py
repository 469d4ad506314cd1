"""A cache of parsed, validated registries, so an unchanged file is not parsed again.

Entries live in the user's cache folder ($PROSPERITY_CACHE_DIR, else $XDG_CACHE_HOME or
~/.cache, then "prosperity"), one JSON file per registry content, named by its BLAKE2
hash: JSON because loading it cannot run code (unlike pickle). An entry is used only when
its hash, size and prosperity version match the file read now; anything else (a changed,
truncated or corrupt entry) is ignored and rebuilt, never trusted.

The journal is append-only, so a file that only grew by `[[observations]]` blocks (after
`add-observation`, or `cat >>`) is loaded from the entry of its old content plus its new
blocks, checked against it. Each path keeps a pointer to the content last cached for it.
Set PROSPERITY_NO_CACHE=1 to bypass the cache entirely.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from datetime import date
from pathlib import Path
from typing import Any

from prosperity_cli import __version__
from prosperity_cli.model import (
    Defaults,
    Derivation,
    Goal,
    Indicator,
    Method,
    Observation,
    Plan,
    Registry,
    Target,
)
from prosperity_cli.periods import Cadence, Duration, parse_duration
from prosperity_cli.registry import (
    appendable,
    cached_period,
    decode_registry_text,
    extend_registry,
    parse_registry,
    read_registry_bytes,
)

CACHE_FORMAT = 1
#: Appended text beyond which a grown file gets an entry of its own (else its old entry
#: plus the appended blocks, parsed again each run, is cheaper than re-encoding it all).
REBASE_AFTER_BYTES = 256 * 1024


def cache_dir() -> Path | None:
    """Where entries live, or None when caching is off."""
    if os.environ.get("PROSPERITY_NO_CACHE"):
        return None
    explicit = os.environ.get("PROSPERITY_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "prosperity"


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=20).hexdigest()


def load(path: Path) -> Registry:
    """The registry at `path`: from the cache when its content is known, else parsed."""
    data = read_registry_bytes(path)
    return registry_of(path, data)


def registry_of(path: Path, data: bytes) -> Registry:
    """The registry whose file at `path` holds `data` (already read)."""
    folder = cache_dir()
    text = decode_registry_text(path, data)
    if folder is None:
        return parse_registry(text, str(path))
    whole = digest(data)
    hit = _read_entry(folder, whole, len(data))
    if hit is not None:
        return hit
    extended = _from_prefix(folder, path, data, text)
    if extended is not None:
        registry, tail = extended
        # Re-encoding the whole entry costs more than re-checking a short tail next time.
        if tail >= REBASE_AFTER_BYTES:
            _save(folder, path, whole, len(data), registry)
        return registry
    registry = parse_registry(text, str(path))
    if appendable(text):
        _save(folder, path, whole, len(data), registry)
    return registry


def _from_prefix(folder: Path, path: Path, data: bytes, text: str) -> tuple[Registry, int] | None:
    """The registry of a file that only grew since it was cached (old entry + new blocks),
    with the size of what grew."""
    pointer = _read_json(_pointer_file(folder, path))
    if not isinstance(pointer, dict):
        return None
    size, known = pointer.get("size"), pointer.get("hash")
    if not isinstance(size, int) or not isinstance(known, str) or not 0 < size < len(data):
        return None
    if digest(data[:size]) != known or data[size - 1 : size] != b"\n":
        return None
    base = _read_entry(folder, known, size)
    if base is None:
        return None
    extended = extend_registry(base, data[size:].decode("utf-8"), str(path))
    return None if extended is None else (extended, len(data) - size)


# --- entries on disk -----------------------------------------------------------------------


def _entry_file(folder: Path, content_hash: str) -> Path:
    return folder / f"{content_hash}.json"


def _pointer_file(folder: Path, path: Path) -> Path:
    where = os.path.realpath(path).encode("utf-8", "surrogateescape")
    return folder / "paths" / f"{digest(where)}.json"


def _read_json(file: Path) -> Any:
    try:
        return json.loads(file.read_bytes())
    except (OSError, ValueError):
        return None


def _read_entry(folder: Path, content_hash: str, size: int) -> Registry | None:
    """The cached registry of this content, or None unless every check passes.

    An entry is a header line (format, version, the registry file's hash and size, and
    the hash of the payload) and a payload line: a damaged or edited payload fails its
    hash and is never decoded.
    """
    try:
        raw = _entry_file(folder, content_hash).read_bytes()
        header_line, _, payload = raw.partition(b"\n")
        header = json.loads(header_line)
        expected = {
            "format": CACHE_FORMAT,
            "version": __version__,
            "hash": content_hash,
            "size": size,
            "payload": digest(payload),
        }
        if header != expected:
            return None
        return decode_registry(json.loads(payload))
    except (OSError, KeyError, TypeError, ValueError, IndexError, AttributeError):
        return None  # missing, corrupt or foreign: rebuilt from the file


def _save(folder: Path, path: Path, content_hash: str, size: int, registry: Registry) -> None:
    """Write the entry and the path's pointer; a cache that cannot be written is skipped."""
    payload = _dumps(encode_registry(registry))
    header = {
        "format": CACHE_FORMAT,
        "version": __version__,
        "hash": content_hash,
        "size": size,
        "payload": digest(payload),
    }
    pointer = {"size": size, "hash": content_hash}
    with contextlib.suppress(OSError):
        write_atomically(_entry_file(folder, content_hash), _dumps(header) + b"\n" + payload)
        write_atomically(_pointer_file(folder, path), _dumps(pointer))


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def write_atomically(file: Path, data: bytes) -> None:
    import tempfile  # only on a cache miss

    file.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=file.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(temp, file)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


# --- the registry as JSON ------------------------------------------------------------------


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _undate(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def _duration(value: Duration | None) -> str | None:
    return None if value is None else value.text


def _unduration(value: str | None) -> Duration | None:
    return None if value is None else parse_duration(value)


def encode_registry(registry: Registry) -> dict[str, Any]:
    return {
        "defaults": [
            _duration(registry.defaults.grace),
            _duration(registry.defaults.provisional_age),
        ],
        "plans": [
            [p.id, p.title, p.region, _day(p.published), p.source, p.quote, p.note, list(p.tags)]
            for p in registry.plans.values()
        ],
        "indicators": [
            [
                i.id,
                i.name,
                i.unit,
                i.cadence.value,
                i.region,
                _duration(i.lag),
                _duration(i.grace),
                [i.derived.numerator, i.derived.denominator] if i.derived else None,
                i.source,
                i.quote,
                i.note,
                list(i.tags),
            ]
            for i in registry.indicators.values()
        ],
        "targets": [
            [
                t.id,
                t.indicator,
                t.plan,
                t.goal.value,
                t.value,
                _day(t.deadline),
                t.baseline.text if t.baseline else None,
                t.method.value,
                t.source,
                t.quote,
                t.note,
                list(t.tags),
            ]
            for t in registry.targets.values()
        ],
        # Positional rows: at 100,000 observations, rows load far faster than objects.
        "observations": [
            [
                o.indicator,
                o.period.text,
                o.value,
                o.source,
                o.quote,
                o.note,
                o.provisional,
                o.revises,
                _day(o.recorded),
                list(o.tags),
                o.reported,
                o.decimals,
            ]
            for o in registry.observations
        ],
    }


def decode_registry(data: dict[str, Any]) -> Registry:
    grace, provisional_age = data["defaults"]
    plans = {
        row[0]: Plan(row[0], row[1], row[2], _undate(row[3]), row[4], row[5], row[6], tuple(row[7]))
        for row in data["plans"]
    }
    indicators = {
        row[0]: Indicator(
            row[0],
            row[1],
            row[2],
            Cadence(row[3]),
            row[4],
            _unduration(row[5]),
            _unduration(row[6]),
            Derivation(*row[7]) if row[7] else None,
            row[8],
            row[9],
            row[10],
            tuple(row[11]),
        )
        for row in data["indicators"]
    }
    targets = {
        row[0]: Target(
            row[0],
            row[1],
            row[2],
            Goal(row[3]),
            float(row[4]),
            date.fromisoformat(row[5]),
            cached_period(row[6]) if row[6] is not None else None,
            Method(row[7]),
            row[8],
            row[9],
            row[10],
            tuple(row[11]),
        )
        for row in data["targets"]
    }
    # The hot loop of a warm run (100,000 rows): no call that is not needed.
    observations = tuple(
        Observation(
            row[0],
            cached_period(row[1]),
            row[2] if type(row[2]) is float else float(row[2]),
            position,
            row[3],
            row[4],
            row[5],
            row[6],
            row[7],
            None if row[8] is None else date.fromisoformat(row[8]),
            tuple(row[9]) if row[9] else (),
            row[10],
            row[11],
        )
        for position, row in enumerate(data["observations"])
    )
    return Registry(
        plans,
        indicators,
        targets,
        observations,
        Defaults(_unduration(grace), _unduration(provisional_age)),
    )
