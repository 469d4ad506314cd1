"""A real browser opens the bundled registry's report: headless Chromium takes a screenshot,
which must not be blank.

Chromium comes from Debian's packages (`apt-get install chromium`); .ci/run installs it.
Without it the test is skipped, except in CI (CI=true), where it fails.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BUNDLED, Cli

CHROMIUM = Path("/usr/bin/chromium")
#: The bundled registry on this date: every target is no-data; tracked indicators have values.
AS_OF = "2026-11-29"
WIDTH, HEIGHT = 1200, 1600


def require_chromium() -> None:
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI must run the browser check (.ci/run installs it)")
    pytest.skip(reason)


def screenshot(page: Path, png: Path, profile: Path) -> None:
    command = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
        f"--screenshot={png}",
        f"--window-size={WIDTH},{HEIGHT}",
        page.resolve().as_uri(),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=180)
    assert png.is_file(), f"no screenshot (exit {result.returncode}): {result.stderr[-2000:]}"


def test_bundled_report_renders_in_headless_chromium(cli: Cli, tmp_path: Path) -> None:
    require_chromium()
    from PIL import Image

    page = tmp_path / "report.html"
    result = cli("report", "--registry", BUNDLED, "--as-of", AS_OF, "--output", page)
    assert result.exit_code == 0, result.stderr
    assert page.read_text(encoding="utf-8").count("<svg") >= 1  # a tracked indicator's chart

    png = tmp_path / "report.png"
    screenshot(page, png, tmp_path / "profile")
    with Image.open(png) as image:
        assert image.size == (WIDTH, HEIGHT)
        counts = image.convert("RGB").getcolors(maxcolors=WIDTH * HEIGHT)
    assert counts is not None
    background = max(count for count, _ in counts)
    ink = 1 - background / (WIDTH * HEIGHT)
    colours = len(counts)
    # Text, tables and status badges: a blank or error page has next to no ink or colours.
    assert ink > 0.03, f"only {ink:.1%} of the page differs from its background"
    assert colours > 50, f"only {colours} distinct colours"


def test_without_chromium_ci_fails_where_others_skip(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(sys.modules[__name__], "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must run the browser check"):
        require_chromium()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="apt-get install chromium"):
        require_chromium()
