"""A cache of parsed, validated registries, so an unchanged file is not parsed again.

Entries live in the user's cache folder ($PROSPERITY_CACHE_DIR, else $XDG_CACHE_HOME or
~/.cache, then "prosperity"), one JSON file per registry content, named by its BLAKE2
hash: JSON lines (see encode_registry) because loading them cannot run code (unlike
pickle). An entry is used only when the file's hash and size, the payload's seal (a keyed
BLAKE2 hash under this user's secret key, kept outside the cache folder: see key_file),
the machine's number layout and the software that wrote it (version and code fingerprint,
fingerprint.py) all match this run; anything else (a changed, truncated, corrupt or forged
entry, one copied from elsewhere or written by other code) is ignored and rebuilt, never
trusted. Only registries whose
every entry is a `[[observations]]` block are cached (see registry.appendable).

The journal is append-only, so a file that only grew by `[[observations]]` blocks (after
`add-observation`, or `cat >>`) is loaded from the entry of its old content plus its new
blocks, checked against it. Each path keeps a pointer to the content last cached for it.
Set PROSPERITY_NO_CACHE=1 to bypass the cache entirely.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

try:  # hashlib's own blake2b, without importing OpenSSL's bindings (2-3 ms at start-up)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python built without it
    from hashlib import blake2b

from prosperity_cli import fingerprint
from prosperity_cli.cache_codec import FLOAT, INDEX, decode_registry, encode_registry
from prosperity_cli.errors import RegistryChanged
from prosperity_cli.model import Registry
from prosperity_cli.registry import appendable, extend_registry, parse_registry
from prosperity_cli.registry_file import decode_registry_text, read_registry_bytes

CACHE_FORMAT = 4
#: Appended text beyond which a grown file gets an entry of its own (else its old entry
#: plus the appended blocks, parsed again each run, is cheaper than re-encoding it all).
REBASE_AFTER_BYTES = 256 * 1024
#: Registry entries kept; the oldest beyond this are deleted when a new one is written.
MAX_ENTRIES = 16


def cache_dir() -> Path | None:
    """Where entries live, or None when caching is off."""
    if os.environ.get("PROSPERITY_NO_CACHE"):
        return None
    explicit = os.environ.get("PROSPERITY_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "prosperity"


def key_file() -> Path:
    """Where the key that seals cache entries lives: outside the cache folder, so that a
    cache folder copied from elsewhere (another machine, a CI cache of another branch) or
    edited by hand holds no entry this user's runs accept."""
    explicit = os.environ.get("PROSPERITY_CONFIG_DIR")
    if explicit:
        return Path(explicit) / "cache.key"
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "prosperity" / "cache.key"


@functools.lru_cache(maxsize=1)
def cache_key() -> bytes | None:
    """This user's secret key (made on first use, readable by the user only), or None when
    it can be neither read nor made: then nothing is cached."""
    file = key_file()
    try:
        key = file.read_bytes()
        if len(key) == 32:
            return key
    except OSError:
        pass
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        key = os.urandom(32)
        fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(key)
        return key
    except OSError:
        return None


def digest(data: bytes | memoryview) -> str:
    return blake2b(data, digest_size=20).hexdigest()


class RegistryFile:
    """A registry file read once: its path, size and content hash, and its bytes until the
    registry is built from them.

    Mutable on purpose: `take` hands the bytes over and forgets them, so that nothing
    keeps a copy of the file alive through the parse, which is when memory peaks.
    """

    __slots__ = ("_data", "_rereadable", "appendable", "hash", "path", "size")

    def __init__(self, path: Path, data: bytes, rereadable: bool = True) -> None:
        self.path = path
        self.size = len(data)
        self.hash = digest(data)
        #: False for a pipe or a device (`-r /dev/stdin`), which reads back empty: its
        #: bytes are then kept for good instead of being read again.
        self._rereadable = rereadable
        #: Can `[[observations]]` blocks be appended to it? Known once the registry has
        #: been built: the cache holds only registries that can (see registry_of).
        self.appendable: bool | None = None
        self._data: bytes | None = data

    def take(self) -> bytes:
        """The bytes, handed over: this holder keeps no reference to them any more."""
        data = self._data if self._data is not None else self._again()
        if self._rereadable:
            self._data = None
        return data

    def peek(self) -> bytes:
        """The bytes, kept (for a look that does not hold them long)."""
        data = self._data if self._data is not None else self._again()
        self._data = data
        return data

    def text(self) -> str:
        """The file's text (this uses up the bytes, like `take`)."""
        return decode_registry_text(self.path, self.take())

    def read_again(self) -> bytes | None:
        """The file's bytes read anew, or None when it is no longer the file first read."""
        data = read_registry_bytes(self.path)
        return data if len(data) == self.size and digest(data) == self.hash else None

    def _again(self) -> bytes:
        data = self.read_again()
        if data is None:
            raise RegistryChanged(f"{self.path}: the file changed while it was read — run again")
        return data


def read_file(path: Path) -> RegistryFile:
    data = read_registry_bytes(path)
    try:
        regular = stat.S_ISREG(path.stat().st_mode)
    except OSError:
        regular = False
    return RegistryFile(path, data, rereadable=regular)


def load(path: Path) -> Registry:
    """The registry at `path`: from the cache when its content is known, else parsed."""
    return registry_of(read_file(path))


def registry_of(file: RegistryFile) -> Registry:
    """The registry in `file`, whose bytes it takes: from the cache when its content is
    known, else parsed (and then cached)."""
    folder = cache_dir()
    if folder is not None and fingerprint.software() is None:
        folder = None  # the code cannot be fingerprinted: no entry can be trusted
    path = file.path
    if folder is not None:
        # Entries exist only for registries that can be appended to, and a file grown by
        # whole [[observations]] blocks from one of them still can.
        hit = _read_entry(folder, file.hash, file.size)
        if hit is not None:
            # Another path may have cached this content: point this one at it too, so that
            # when this file grows it is loaded from the entry plus its new blocks.
            _point(folder, path, file.hash, file.size)
            touch(_entry_file(folder, file.hash))
            file.appendable = True
            return hit
        extended = _from_prefix(folder, path, file.peek())
        if extended is not None:
            registry, tail = extended
            # Re-encoding the whole entry costs more than re-checking a short tail next time.
            if tail >= REBASE_AFTER_BYTES:
                _save(folder, path, file.hash, file.size, registry)
            file.appendable = True
            return registry
    text = file.text()
    registry = parse_registry(text, str(path))
    file.appendable = appendable(text, len(registry.observations))
    del text
    if folder is not None and file.appendable:
        _save(folder, path, file.hash, file.size, registry)
    return registry


def _from_prefix(folder: Path, path: Path, data: bytes) -> tuple[Registry, int] | None:
    """The registry of a file that only grew since it was cached (old entry + new blocks),
    with the size of what grew."""
    pointer = _read_json(_pointer_file(folder, path))
    if not isinstance(pointer, dict):
        return None
    size, known = pointer.get("size"), pointer.get("hash")
    if not isinstance(size, int) or not isinstance(known, str) or not 0 < size < len(data):
        return None
    if data[size - 1 : size] != b"\n" or digest(memoryview(data)[:size]) != known:
        return None
    base = _read_entry(folder, known, size)
    if base is None:
        return None
    try:
        tail = data[size:].decode("utf-8")
    except UnicodeDecodeError:
        return None  # the full parse reports the line of the bad byte
    extended = extend_registry(base, tail, str(path))
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


def _trailer(content_hash: str, size: int, payload_hash: str) -> dict[str, Any]:
    return {
        "format": CACHE_FORMAT,
        # Numbers are stored as machine arrays (see _numbers): an entry is read back only
        # on a machine that lays them out the same way.
        "machine": [sys.byteorder, INDEX.itemsize, FLOAT.itemsize],
        # The code that validated it: an edited or upgraded prosperity, tomli or Python
        # parses again rather than trust a registry built by the code it replaced.
        "software": fingerprint.software(),
        "hash": content_hash,
        "size": size,
        "payload": payload_hash,
    }


def _read_entry(folder: Path, content_hash: str, size: int) -> Registry | None:
    """The cached registry of this content, or None unless every check passes.

    An entry is a payload of JSON lines (see encode_registry) and a last line, the
    trailer: format, prosperity version, the registry file's hash and size, and the hash
    of the payload. A damaged or edited payload fails its hash and is never decoded.
    """
    try:
        raw = _entry_file(folder, content_hash).read_bytes()
        cut = raw.rindex(b"\n", 0, len(raw) - 1) + 1
        payload = raw[:cut]
        key = cache_key()
        if key is None:
            return None
        seal = blake2b(payload, digest_size=20, key=key).hexdigest()
        if json.loads(raw[cut:]) != _trailer(content_hash, size, seal):
            return None
        return decode_registry([json.loads(line) for line in payload.splitlines()])
    except (OSError, KeyError, TypeError, ValueError, IndexError, AttributeError):
        return None  # missing, corrupt or foreign: rebuilt from the file


def _save(folder: Path, path: Path, content_hash: str, size: int, registry: Registry) -> None:
    """Write the entry and the path's pointer; a cache that cannot be written is skipped.

    The entry is written line by line, so no more than one part of it (the largest is
    one column of the observations) is held in memory at once.
    """
    with contextlib.suppress(OSError):
        with atomic_file(_entry_file(folder, content_hash)) as out:
            key = cache_key()
            if key is None:
                return
            hasher = blake2b(digest_size=20, key=key)
            for part in encode_registry(registry):
                line = _dumps(part) + b"\n"
                hasher.update(line)
                out.write(line)
            out.write(_dumps(_trailer(content_hash, size, hasher.hexdigest())) + b"\n")
        _prune(folder)
        _point(folder, path, content_hash, size)


def _point(folder: Path, path: Path, content_hash: str, size: int) -> None:
    """Record that `path` last held this content (unless it already says so)."""
    pointer = {"size": size, "hash": content_hash}
    file = _pointer_file(folder, path)
    if _read_json(file) != pointer:
        with contextlib.suppress(OSError):
            write_atomically(file, _dumps(pointer))


def _prune(folder: Path) -> None:
    """Delete the least recently used entries beyond MAX_ENTRIES: each registry content
    ever cached would otherwise stay on disk for good."""
    prune(folder, MAX_ENTRIES)


#: The name of a cache entry: a content hash. Nothing else in a folder is ever deleted,
#: even when the cache is pointed at a folder that holds other files.
_ENTRY_NAME = re.compile(r"[0-9a-f]{40}\.json")


def prune(folder: Path, keep: int) -> None:
    """Delete the entries of `folder` beyond the `keep` most recently used (by mtime: a
    hit touches its entry). Another run pruning at the same time is harmless."""
    entries: list[tuple[int, str]] = []
    with os.scandir(folder) as found:
        for entry in found:
            if _ENTRY_NAME.fullmatch(entry.name):
                with contextlib.suppress(OSError):  # deleted meanwhile by another run
                    entries.append((entry.stat().st_mtime_ns, entry.path))
    entries.sort(reverse=True)
    for _, path in entries[keep:]:
        with contextlib.suppress(OSError):
            os.unlink(path)


def touch(file: Path) -> None:
    """Mark an entry as just used, for pruning."""
    with contextlib.suppress(OSError):
        os.utime(file)


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def write_atomically(file: Path, data: bytes) -> None:
    with atomic_file(file) as out:
        out.write(data)


@contextlib.contextmanager
def atomic_file(file: Path) -> Iterator[BinaryIO]:
    """A new file written under a temporary name in the same folder, renamed over `file`
    once complete: readers see the old file or the whole new one, never a part."""
    import tempfile  # only on a cache miss

    file.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=file.parent, prefix=".", suffix=".tmp")
    umask = os.umask(0)
    os.umask(umask)
    os.fchmod(fd, 0o666 & ~umask)  # as open() would create it, not mkstemp's 0600
    try:
        with os.fdopen(fd, "wb") as out:
            yield out
        os.replace(temp, file)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
