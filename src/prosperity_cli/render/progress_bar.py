"""A progress bar on stderr for long work (`report` drawing charts, `import` checking rows).

Shown only when stderr is a terminal, CI is not set (CI=true) and there is enough work to
wait for; otherwise nothing is printed and Rich's progress machinery is never imported.
The bar is transient: it is gone when the work is done, and stdout never sees it.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator


def wanted(total: int, least: int) -> bool:
    """Is a bar worth showing for `total` steps of work, here and now?"""
    return total >= least and sys.stderr.isatty() and not os.environ.get("CI")


@contextlib.contextmanager
def progress(description: str, total: int, least: int) -> Iterator[Callable[[int], None]]:
    """Yields `advance(steps)`; draws a bar of `total` steps when `wanted`."""
    if not wanted(total, least):
        yield lambda steps: None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(description, total=total)
        yield lambda steps: bar.advance(task, steps)
