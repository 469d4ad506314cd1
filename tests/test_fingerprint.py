"""The software fingerprint that parse-cache entries are checked against: any edited,
added or reinstalled code gets a new one, so no entry built by other code is trusted."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from prosperity_cli import fingerprint


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A stand-in for the installed package folder, with one module in a sub-folder."""
    folder = tmp_path / "package"
    (folder / "render").mkdir(parents=True)
    (folder / "cli.py").write_text("print('status')\n", encoding="utf-8")
    (folder / "render" / "table.py").write_text("WIDTH = 80\n", encoding="utf-8")
    monkeypatch.setattr(fingerprint, "_package_folder", lambda: str(folder))
    return folder


def test_the_real_package_is_fingerprinted_with_its_sub_folders() -> None:
    found = list(fingerprint._code_files(fingerprint._package_folder(), ""))
    names = {name for name, *_ in found}
    assert {"cli.py", "cache.py", "render/table.py"} <= names
    assert not any("__pycache__" in name for name in names)


def test_a_rewritten_module_changes_the_fingerprint(package: Path) -> None:
    before = fingerprint.software()
    (package / "render" / "table.py").write_text("WIDTH = 100\n", encoding="utf-8")
    assert fingerprint.software() != before


def test_a_touched_module_changes_the_fingerprint(package: Path) -> None:
    before = fingerprint.software()
    stat = (package / "cli.py").stat()
    os.utime(package / "cli.py", ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert fingerprint.software() != before


def test_an_added_module_changes_the_fingerprint(package: Path) -> None:
    before = fingerprint.software()
    (package / "render" / "csv.py").write_text("", encoding="utf-8")
    assert fingerprint.software() != before


def test_an_edit_that_keeps_size_and_mtime_still_changes_the_fingerprint(package: Path) -> None:
    module = package / "cli.py"
    before_stat = module.stat()
    before = fingerprint.software()
    # The ctime moves at the kernel's clock tick: edit until it has (a few ms at most).
    deadline = time.monotonic() + 2
    while module.stat().st_ctime_ns == before_stat.st_ctime_ns and time.monotonic() < deadline:
        time.sleep(0.001)
        module.write_text("print('STATUS')\n", encoding="utf-8")
        os.utime(module, ns=(before_stat.st_atime_ns, before_stat.st_mtime_ns))
    after_stat = module.stat()
    assert (after_stat.st_size, after_stat.st_mtime_ns) == (
        before_stat.st_size,
        before_stat.st_mtime_ns,
    )
    assert fingerprint.software() != before


def test_files_other_than_modules_do_not_change_the_fingerprint(package: Path) -> None:
    before = fingerprint.software()
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "cli.cpython-311.pyc").write_bytes(b"\0")
    (package / "notes.txt").write_text("x", encoding="utf-8")
    assert fingerprint.software() == before


def test_an_unreadable_package_gives_no_fingerprint(monkeypatch: pytest.MonkeyPatch) -> None:
    """Code that cannot be fingerprinted gets no cache entry trusted."""
    monkeypatch.setattr(fingerprint, "_package_folder", lambda: "/nonexistent/prosperity_cli")
    assert fingerprint.software() is None


def test_a_reinstalled_library_changes_the_fingerprint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An upgraded Rich draws tables differently: its folder's mtime is in the key."""
    library = tmp_path / "site" / "fancytables"
    library.mkdir(parents=True)
    (library / "__init__.py").write_text("", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.setattr(fingerprint, "SHAPED_BY", ("fancytables",))
    before = fingerprint.software()
    stat = library.stat()
    os.utime(library, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert fingerprint.software() != before
