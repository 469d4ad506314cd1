"""The command line's entry point: run the app, and hold the exit-code contract whatever
happens (docs/errors.md). The commands are in cli_read.py, cli_write.py and
cli_compare.py, the app and its shared options in cli_options.py.

Exit codes: 0 ok; 1 findings (`check`); 2 invalid registry or wrong usage; 3 a bug of ours.
Typer is imported only when a command line needs it: a plain `status` or `check` runs
through fast_path.py, which skips the ~90 ms that Typer and pydantic take to set up. Heavy
modules (the registry loader, Rich tables) are imported inside the commands.
"""

from __future__ import annotations

import contextlib
import gc
import sys
from typing import TYPE_CHECKING

from prosperity_cli.errors import (
    EXIT_CLOSED_PIPE,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_INVALID,
)

if TYPE_CHECKING:
    import typer

    from prosperity_cli.cli_options import app

__all__ = ["app", "main", "run", "typer_app"]


def typer_app() -> typer.Typer:
    """The Typer app with every command registered on it."""
    from prosperity_cli import cli_compare, cli_read, cli_write  # noqa: F401 - they register the commands
    from prosperity_cli.cli_options import app

    return app


def __getattr__(name: str) -> object:
    """`cli.app`, imported on first use (by tests, the docs generators, users' scripts)
    rather than on every run of the command line."""
    if name == "app":
        return typer_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    """Console-script entry point."""
    # A run is short and its data hold no reference cycles, while the cycle collector
    # walks every live object every few hundred allocations: with 100,000 observations
    # loaded that walk cost more than the work (decoding the cache: 1.1 s with it, 0.2 s
    # without; docs/performance.md). Reference counting still frees everything else.
    gc.disable()
    _exit_now(run(sys.argv[1:]))


def run(args: list[str]) -> int:
    """Run the command line `args` and return its exit code, holding the exit-code contract
    whatever happens: 0 ok, 1 findings, 2 usage or registry, 3 a bug of ours, 130
    interrupted, 141 a closed output pipe (docs/errors.md)."""
    from prosperity_cli import fast_path

    try:
        code = fast_path.run(args)
        return _run_typer(args) if code is None else code
    except KeyboardInterrupt:
        print("prosperity: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _silence_closed_pipe()
        return EXIT_CLOSED_PIPE
    except SystemExit as done:
        # The framework ends a run itself in one case only, even outside standalone mode:
        # a closed output pipe, as sys.exit(1), which a CI gate would read as a finding.
        return EXIT_CLOSED_PIPE if done.code == 1 else int(done.code or 0)
    except Exception as error:  # raised outside any command's guard: the same one place
        from prosperity_cli import guard

        return guard.exit_code(error)


def _run_typer(args: list[str]) -> int:
    """Run `args` through the Typer app: every command line the fast path leaves."""
    import typer

    from prosperity_cli.parse_errors import ClickUsage, usage_lines

    try:
        code = typer_app()(args=args, prog_name="prosperity", standalone_mode=False)
    except ClickUsage as error:  # a bad option or argument, found while parsing
        for line in usage_lines(error):
            print(line, file=sys.stderr)
        return EXIT_INVALID
    except typer.Abort:
        raise KeyboardInterrupt from None
    return code if isinstance(code, int) else 0


def _silence_closed_pipe() -> None:
    """Point stdout at /dev/null, so that flushing what is left cannot fail again."""
    import os

    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _exit_now(code: object) -> None:
    """Flush the output and end the process without the interpreter's teardown.

    Tearing down (freeing every module and object of Typer, pydantic and Rich, with a
    last cycle collection) takes 30-70 ms on this machine, longer than most commands'
    own work (docs/performance.md); mypy ends its runs the same way. Everything a
    command writes is flushed or closed by then: files through `with` blocks, the
    writers' lock in its `finally`, and the standard streams here.
    """
    import os

    if _watched():
        raise SystemExit(code)  # let it write its results at a normal exit
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # sys.exit("message") from a library: print it; it is no finding of ours
        print(code, file=sys.stderr)
        status = EXIT_INTERNAL
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # the reader went away (a closed pipe): nothing more to say
        status = EXIT_CLOSED_PIPE if status == 0 else status
    os._exit(status)


def _watched() -> bool:
    """Is a debugger, coverage or a profiler (cProfile, pyinstrument) watching this run?
    They hook in through sys.settrace/setprofile, or from Python 3.12 sys.monitoring."""
    if sys.gettrace() is not None or sys.getprofile() is not None:
        return True
    monitoring = getattr(sys, "monitoring", None)
    return monitoring is not None and any(
        monitoring.get_tool(tool) is not None for tool in range(6)
    )
