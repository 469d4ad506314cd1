"""What prosperity's results depend on besides their inputs: its own code and the libraries
that shape them. The parse cache checks its entries against it, so that an upgraded library or an
edited editable install never gets an answer computed by the code it replaced.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator

try:  # hashlib's own blake2b, without importing OpenSSL's bindings (2-3 ms at start-up)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python built without it
    from hashlib import blake2b

from prosperity_cli import __version__

#: Third-party packages whose code shapes what prosperity computes and prints: Rich draws
#: the tables, dateutil does the date arithmetic, tomli parses the registry.
SHAPED_BY = ("rich", "dateutil", "tomli")


def software() -> dict[str, object] | None:
    """prosperity's version, a fingerprint of its code and of the Python and libraries it
    runs on (about 40 stat calls, well under a millisecond); None when any of it cannot be
    read, so that nothing is answered from a cache on trust."""
    try:
        return {"version": __version__, "code": code_fingerprint(), "runtime": runtime()}
    except (OSError, ValueError, ImportError):
        return None


def code_fingerprint() -> str:
    """A digest of prosperity's own code: relative path, size, mtime and ctime of each .py file.

    Stats, no reading (about 40 of them), so it is cheap on every run. The ctime, which no
    tool can set back, catches a file replaced with one of the same size and mtime (`cp -p`,
    `rsync -t`, a wheel built with a fixed SOURCE_DATE_EPOCH).
    """
    files = sorted(_code_files(_package_folder(), ""))
    return _digest(json.dumps(files, ensure_ascii=False).encode("utf-8", "surrogatepass"))


def _package_folder() -> str:
    """The folder of the installed package (a function, so tests can point it elsewhere)."""
    return os.path.dirname(os.path.abspath(__file__))


def _code_files(folder: str, prefix: str) -> Iterator[tuple[str, int, int, int]]:
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.name != "__pycache__":
                    yield from _code_files(entry.path, f"{prefix}{entry.name}/")
            elif entry.name.endswith(".py"):
                stat = entry.stat()
                yield f"{prefix}{entry.name}", stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns


def runtime() -> list[object]:
    """The Python and the libraries that shape the output, so that a Rich upgraded in place
    never replays tables drawn by the old one.

    One stat per library: pip and uv replace a package's folder when they install it, so
    the folder's mtime stands for the installed version, without importing anything.
    """
    from importlib.util import find_spec  # not an import of the libraries themselves

    parts: list[object] = [sys.version]
    for name in SHAPED_BY:
        spec = find_spec(name)
        if spec is None or spec.origin is None:
            parts.append([name, None])
            continue
        package = spec.submodule_search_locations is not None
        where = os.path.dirname(spec.origin) if package else spec.origin
        parts.append([name, where, os.stat(where).st_mtime_ns])
    return parts


def _digest(data: bytes) -> str:
    return blake2b(data, digest_size=20).hexdigest()
