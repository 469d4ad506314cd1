"""The only module that writes the registry: it appends `[[observations]]` blocks, nothing else.

The file's existing bytes are never changed: the old file is an exact prefix of the new one
(a missing final newline is the one thing added to it). The whole resulting text is validated
before anything touches the disk; it then replaces the file atomically (a temporary file in
the same folder, fsync, os.replace), so a crash leaves either the old file or the new one.
Writers take an exclusive lock on a sidecar file (`.targets.toml.lock`) and re-read the
registry under it, so two terminals or a script in a loop never lose each other's entries.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import stat
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import tomli_w

from prosperity_cli import cache
from prosperity_cli.errors import (
    Problem,
    RegistryChanged,
    RegistryInvalid,
    UsageError,
    WriteRefused,
)
from prosperity_cli.model import Registry
from prosperity_cli.registry import appendable, extend_registry, parse_registry

HEADER = "[[observations]]"
#: How long a writer waits for another one to finish before giving up.
LOCK_TIMEOUT_SECONDS = 30.0
_LOCK_POLL_SECONDS = 0.01
_FIX_FIRST = "fix the problems above first (`prosperity status` lists them too)"
_FIX_INPUT = "the registry would not be valid with the new blocks; fix the input above"

#: Called under the lock with the registry as it is then; returns the entries to append.
EntriesFor = Callable[[Registry], Sequence[Mapping[str, Any]]]


@dataclass(frozen=True, slots=True)
class Appended:
    """What an append wrote, or for a dry run what it would write."""

    path: Path
    entries: tuple[Mapping[str, Any], ...]
    text: str
    lines: tuple[int, ...]
    before: Registry
    after: Registry
    written: bool = False

    @property
    def blocks(self) -> str:
        """The appended blocks for display: LF line ends, no leading blank lines."""
        return self.text.replace("\r\n", "\n").lstrip("\n")


# --- building the text -----------------------------------------------------------------------


def newline_of(text: str) -> str:
    """The file's own line ending: CRLF when at least half its lines end so, else LF."""
    crlf = text.count("\r\n")
    return "\r\n" if crlf and 2 * crlf >= text.count("\n") else "\n"


def observation_block(entry: Mapping[str, Any], newline: str = "\n") -> str:
    """One block: our own header, then the entry's keys as tomli-w serialises them.

    tomli-w escapes newlines inside strings, so every "\\n" in its output ends a line and
    may be turned into the file's line ending.
    """
    return f"{HEADER}\n{tomli_w.dumps(dict(entry))}".replace("\n", newline)


def _separator(old: str, newline: str) -> str:
    """What goes between the old text and the first block: a final newline if it lacks
    one, then a blank line unless the file already ends with one."""
    if not old:
        return ""
    ending = "" if old.endswith("\n") else newline
    # The last line, found from the end: splitting a 10 MB file into lines to read its
    # last one cost 37 MB at the peak of add-observation.
    end = len(old) - 1 if not ending else len(old)
    last_line = old[old.rfind("\n", 0, end) + 1 : end]
    return ending if not last_line.strip() else ending + newline


def appended_text(
    old: str, entries: Sequence[Mapping[str, Any]], newline: str
) -> tuple[str, tuple[int, ...]]:
    """The text to add after `old` (blocks one blank line apart), and each header's line."""
    parts = [_separator(old, newline)]
    line = old.count("\n") + parts[0].count("\n") + 1
    header_lines = []
    for number, entry in enumerate(entries):
        if number:
            parts.append(newline)
            line += 1
        header_lines.append(line)
        block = observation_block(entry, newline)
        parts.append(block)
        line += block.count("\n")
    # Joined once: adding each block to a growing string copied it per block (quadratic).
    return "".join(parts), tuple(header_lines)


# --- planning and writing ----------------------------------------------------------------------


def preview_append(path: Path, entries_for: EntriesFor) -> Appended:
    """What `append_observations` would write, computed and validated, with nothing written."""
    return _planned(path, cache.read_file(_real(path)), entries_for)


def append_observations(path: Path, entries_for: EntriesFor) -> Appended:
    """Append one block per entry to the registry at `path`, under the writers' lock.

    `entries_for` receives the registry read under the lock, so its checks (duplicates)
    see every earlier writer's entries. Any failure leaves the file byte-for-byte as it was.
    """
    real = _real(path)
    _refuse_read_only(path, real)
    with writers_lock(real):
        file = cache.read_file(real)
        planned = _planned(path, file, entries_for)
        _replace_atomically(path, real, file, planned.text)
    return replace(planned, written=True)


def _real(path: Path) -> Path:
    """The file itself: a symlinked registry is written through, not replaced by a copy."""
    return Path(os.path.realpath(path))


def _planned(path: Path, file: cache.RegistryFile, entries_for: EntriesFor) -> Appended:
    filename = str(path)
    before = _checked(lambda: cache.registry_of(file), filename, _FIX_FIRST)
    entries = tuple(entries_for(before))
    if not entries:
        raise UsageError(f"{filename}: nothing to add")
    try:
        old = file.text()
    except RegistryChanged:
        raise _changed_meanwhile(path) from None
    text, lines = appended_text(old, entries, newline_of(old))
    # Appending to a valid journal needs only the new blocks checked against it: the cost
    # of a write does not grow with the file beyond reading it once. Anything unusual
    # (a file that cannot take an appended block) gets the whole new text validated.
    can_append = (
        file.appendable
        if file.appendable is not None
        else appendable(old, len(before.observations))
    )
    extended = extend_registry(before, text, filename) if can_append else None
    after = extended or _checked(lambda: parse_registry(old + text, filename), filename, _FIX_INPUT)
    return Appended(path, entries, text, lines, before, after)


def _checked(validate: Callable[[], Registry], filename: str, hint: str) -> Registry:
    """The registry `validate` returns, or its RegistryInvalid ending "nothing was written"."""
    try:
        return validate()
    except RegistryInvalid as invalid:
        done = Problem(filename, None, "", "nothing was written", hint)
        raise RegistryInvalid([*invalid.problems, done]) from None


def _refuse_read_only(path: Path, real: Path) -> None:
    if real.exists() and not os.access(real, os.W_OK):
        raise WriteRefused(
            f"{path}: the file is read-only, nothing was written — make it writable "
            f"(chmod u+w {path}) to add observations"
        )


def _replace_atomically(path: Path, real: Path, file: cache.RegistryFile, added: str) -> None:
    """Write the file's bytes + added to a temp file beside it, fsync it, and swap it in."""
    try:
        tail = added.encode("utf-8")
    except UnicodeEncodeError:
        raise WriteRefused(
            f"{path}: the new text is not valid UTF-8, nothing was written — retype it"
        ) from None
    try:
        # Read again under the lock: the file may have been edited by hand meanwhile.
        old = file.read_again()
        if old is None:
            raise _changed_meanwhile(path)
        _write_and_swap(real, old, tail)
    except OSError as exc:
        raise WriteRefused(
            f"{path}: cannot write ({exc.strerror or exc}), nothing was changed — check free "
            "space and that the file and its folder are writable"
        ) from None


def _changed_meanwhile(path: Path) -> WriteRefused:
    return WriteRefused(
        f"{path}: the file changed while the observation was prepared, nothing was "
        "written — run the command again"
    )


def _temp_prefix(registry: Path) -> str:
    return f".{registry.name}."


def temp_files(registry: Path) -> list[Path]:
    """Temporary files of ours beside `registry`: a write was killed before its rename."""
    prefix = _temp_prefix(registry)
    pattern = re.compile(re.escape(prefix) + r"[A-Za-z0-9_]{8}\.tmp")
    try:
        with os.scandir(registry.parent) as entries:
            return sorted(registry.parent / e.name for e in entries if pattern.fullmatch(e.name))
    except OSError:
        return []


def _remove_temp_files(registry: Path) -> None:
    """Delete what a killed write left. Called under the writers' lock, so no other write
    of ours can be under way: every such file is stale."""
    for leftover in temp_files(registry):
        with contextlib.suppress(OSError):
            leftover.unlink()


def _write_and_swap(real: Path, *parts: bytes) -> None:
    status = real.stat()
    _remove_temp_files(real)
    fd, temp = tempfile.mkstemp(dir=real.parent, prefix=_temp_prefix(real), suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            _keep_mode_and_owner(out.fileno(), status)
            for part in parts:  # not joined: that would be one more copy of the file
                out.write(part)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, real)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    _sync_folder(real.parent)


def _keep_mode_and_owner(fd: int, status: os.stat_result) -> None:
    os.fchmod(fd, stat.S_IMODE(status.st_mode))
    if (status.st_uid, status.st_gid) != (os.geteuid(), os.getegid()):
        with contextlib.suppress(OSError):  # only root may give a file away; keep ours then
            os.fchown(fd, status.st_uid, status.st_gid)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable; not every file system lets a folder be fsynced."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# --- the writers' lock -------------------------------------------------------------------------


def lock_path(registry: Path) -> Path:
    """The sidecar lock file: `.targets.toml.lock` beside `targets.toml`."""
    return registry.with_name(f".{registry.name}.lock")


@contextlib.contextmanager
def writers_lock(registry: Path, timeout: float | None = None) -> Iterator[None]:
    """Hold the exclusive lock of `registry`'s writers; released when the block ends.

    The lock is on a sidecar file because the registry itself is replaced by each write,
    and a lock on a replaced file protects nothing. The sidecar file is left in place:
    deleting it would let a waiting writer lock a file nobody else sees.
    """
    sidecar = lock_path(registry)
    wait = LOCK_TIMEOUT_SECONDS if timeout is None else timeout
    try:
        fd = os.open(sidecar, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise WriteRefused(
            f"{sidecar}: cannot create the lock file ({exc.strerror}), nothing was written "
            "— check that the registry's folder is writable"
        ) from None
    try:
        _acquire(fd, registry, wait)
        yield
    finally:
        os.close(fd)


def _acquire(fd: int, registry: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise WriteRefused(
                    f"{registry}: another prosperity has been writing it for {timeout:g} s, "
                    "nothing was written — try again when it has finished"
                ) from None
            time.sleep(_LOCK_POLL_SECONDS)
