"""Finding, reading and decoding the registry file: from a path to a parsed TOML document.

The only module that reads a registry from disk. It bounds what it reads (a size limit; a
named pipe is never waited on), decodes UTF-8 and parses TOML, turning every failure into
one line that says what is wrong and where.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from prosperity_cli.errors import Problem, RegistryInvalid, UsageError

REGISTRY_NAME = "targets.toml"
REGISTRY_ENV = "PROSPERITY_REGISTRY"


def find_registry(explicit: Path | None, cwd: Path | None = None) -> Path:
    """--registry, else $PROSPERITY_REGISTRY, else the nearest targets.toml upwards."""
    if explicit is not None:
        return explicit
    from_env = os.environ.get(REGISTRY_ENV)
    if from_env:
        return Path(from_env)
    here = (cwd or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / REGISTRY_NAME
        if candidate.is_file():
            return candidate
    raise UsageError(
        f"no {REGISTRY_NAME} in {here} or any parent folder — pass --registry PATH "
        f"or set {REGISTRY_ENV}"
    )


#: The largest registry read: eight times the 100,000-observation benchmark (12 MB). A
#: bigger file, or a device such as /dev/zero, is refused before it can fill the memory.
MAX_REGISTRY_BYTES = 96 * 1024 * 1024


def read_registry_bytes(path: Path) -> bytes:
    """The registry's bytes, or a one-line UsageError saying why it cannot be read."""
    try:
        data = read_limited(path, MAX_REGISTRY_BYTES)
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file — check the path or pass --registry") from None
    except IsADirectoryError:
        raise UsageError(f"{path}: is a folder — pass the path of the .toml file") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read ({exc.strerror}) — check the path") from None
    if data is None:
        raise UsageError(
            f"{path}: larger than {MAX_REGISTRY_BYTES // 2**20} MiB, the largest registry "
            "prosperity reads — pass the path of a registry file"
        )
    return data


def read_limited(path: Path, limit: int) -> bytes | None:
    """The bytes of `path`, or None when there are more than `limit` of them.

    Reads at most limit + 1 bytes, so that a device (/dev/zero) cannot fill the memory, and
    opens without waiting, so that a named pipe nobody writes to reads as empty instead of
    hanging (a pipe that has a writer, such as /dev/stdin, is read to its end).
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as file:
            data = file.read(limit + 1)
    finally:
        os.close(fd)
    return None if len(data) > limit else data


def decode_registry_text(path: Path, data: bytes) -> str:
    """`data` as UTF-8 text (a UTF-8 byte order mark is accepted and left out), or a
    RegistryInvalid naming the line of the first bad byte."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise RegistryInvalid(
            [
                Problem(
                    str(path), 1, "", "is UTF-16 (its byte order mark says so)", "save it as UTF-8"
                )
            ]
        )
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise RegistryInvalid(
            [Problem(str(path), line, "", "not valid UTF-8", "save the file as UTF-8")]
        ) from None


def _toml_parser() -> Any:
    """tomli's compiled wheel parses three times faster than the standard library's tomllib
    (the same parser, interpreted) with the same result and memory; tomllib if it is absent.
    docs/performance.md has the measurements behind the choice."""
    try:
        import tomli
    except ImportError:  # pragma: no cover - tomli is a dependency; this is a safety net
        import tomllib

        return tomllib
    return tomli


def parse_document(text: str, filename: str) -> dict[str, Any]:
    """TOML text to a dict; a syntax error becomes a RegistryInvalid with line and column."""
    parser = _toml_parser()
    try:
        document: dict[str, Any] = parser.loads(text)
        return document
    except RecursionError as exc:  # tomli's own limit on nesting, or Python's
        limit = str(exc) if "allowed" in str(exc) else "nested too deeply to read"
        raise RegistryInvalid(
            [Problem(filename, None, "TOML syntax", limit, "flatten the nested arrays or tables")]
        ) from None
    except parser.TOMLDecodeError as exc:
        message = str(exc)
        found = re.search(r"\(at line (\d+), column (\d+)\)", message)
        line = int(found[1]) if found else None
        what = re.sub(r"\s*\(at line.*\)$", "", message) or "invalid TOML"
        where = f"TOML syntax, column {found[2]}" if found else "TOML syntax"
        hint = "check quotes, brackets, commas and that each key appears once"
        raise RegistryInvalid([Problem(filename, line, where, what.lower(), hint)]) from None
