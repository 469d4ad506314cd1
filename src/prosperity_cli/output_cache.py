"""Replay of a command's output when none of its inputs changed.

`prosperity status` on a large registry spends most of its time assessing and drawing its
table, even when the registry itself comes from the parse cache. Run again on the same file
content, with the same options, as-of date, terminal traits and code, it necessarily prints
the same bytes, so the output is kept on disk and printed again instead.

A replayed output must be exactly what a fresh run would print, so the key hashes every
input of the output: what the caller passes (the command and its inputs), prosperity's
version and a fingerprint of its code (an edited editable install never replays output of
older code), and the Python and libraries that shape the output. Entries live in
"outputs/" of the parse cache's folder, as JSON (loading them cannot run code), checked like
the parse cache's entries: anything that does not match is ignored, never trusted.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from prosperity_cli import fingerprint
from prosperity_cli.cache import cache_dir, digest, prune, touch, write_atomically

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

OUTPUT_FORMAT = 1
#: Outputs kept; the oldest beyond it are deleted, so the folder stays small however many
#: different commands are run.
MAX_ENTRIES = 32


@dataclass(frozen=True, slots=True)
class Output:
    """What a command printed and how it ended."""

    stdout: str
    exit_code: int


def output_key(command: str, inputs: Mapping[str, object]) -> str | None:
    """The key of one command's output, or None when the output cache is off.

    A BLAKE2 digest of canonical JSON (sorted keys) of the command, its inputs (JSON-able
    values: the caller passes dates as ISO strings) and the code that computes the output.
    Also None when that code cannot be fingerprinted: an output is never replayed on trust.
    """
    if cache_dir() is None:
        return None
    software = fingerprint.software()
    if software is None:
        return None
    identity = {
        "format": OUTPUT_FORMAT,
        "software": software,
        "command": command,
        "inputs": dict(inputs),
    }
    text = json.dumps(identity, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    # surrogatepass: a path of undecodable bytes (surrogateescape) gets a key of its own
    # instead of an exception.
    return digest(text.encode("utf-8", "surrogatepass"))


def replay(key: str) -> Output | None:
    """The stored output for `key`, or None unless the entry exists and every check passes."""
    folder = cache_dir()
    if folder is None:
        return None
    entry = _entry_file(folder, key)
    try:
        raw = entry.read_bytes()
    except OSError:
        return None
    output = _decode_entry(key, raw)
    if output is not None:
        touch(entry)  # a used entry counts as new: pruning drops outputs nobody asks for
    return output


def remember(key: str, output: Output) -> None:
    """Store an output, then keep only the MAX_ENTRIES newest; a cache that cannot be
    written is skipped, as the output was printed anyway."""
    folder = cache_dir()
    if folder is None:
        return
    entry = _entry_file(folder, key)
    with contextlib.suppress(OSError):
        write_atomically(entry, _encode_entry(key, output))
        _prune(entry.parent)


# --- entries on disk -----------------------------------------------------------------------


def _entry_file(folder: Path, key: str) -> Path:
    return folder / "outputs" / f"{key}.json"


def _encode_entry(key: str, output: Output) -> bytes:
    """A header line (format, key, hash of the payload) and a payload line.

    The payload escapes non-ASCII text, so any str stdout (lone surrogates included)
    round-trips exactly.
    """
    payload = json.dumps(
        {"stdout": output.stdout, "exit_code": output.exit_code}, separators=(",", ":")
    ).encode("ascii")
    return _header(key, payload) + b"\n" + payload


def _header(key: str, payload: bytes) -> bytes:
    header = {"format": OUTPUT_FORMAT, "key": key, "payload": digest(payload)}
    return json.dumps(header, separators=(",", ":")).encode("utf-8")


def _decode_entry(key: str, raw: bytes) -> Output | None:
    """The output in an entry, or None unless its header is exactly the one expected.

    The header is compared byte for byte, so a damaged or edited payload fails its hash and
    is never decoded, and an entry of another key is never taken for this one.
    """
    header, _, payload = raw.partition(b"\n")
    if header != _header(key, payload):
        return None
    try:
        fields = json.loads(payload)
    except (ValueError, RecursionError):
        return None
    if not isinstance(fields, dict) or fields.keys() != {"stdout", "exit_code"}:
        return None
    stdout, exit_code = fields["stdout"], fields["exit_code"]
    if not isinstance(stdout, str) or type(exit_code) is not int:
        return None  # bool is an int to isinstance, and not an exit code
    return Output(stdout, exit_code)


def _prune(outputs: Path) -> None:
    """Delete the least recently used entries beyond MAX_ENTRIES."""
    prune(outputs, MAX_ENTRIES)
