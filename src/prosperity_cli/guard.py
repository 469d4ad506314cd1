"""The one place where an error raised by a command becomes lines on stderr and an exit code.

A user-facing error (errors.ProsperityError) gives its own lines and code (2); anything
else is a bug of ours: one line saying so, exit 3, and a traceback only under
PROSPERITY_DEBUG=1. Every line is shown literally (render.escape.line), whatever text from
the registry it quotes. The Typer commands (cli_options.guarded) and the fast path
(fast_path.py) both end here.
"""

from __future__ import annotations

import os
import sys

from prosperity_cli.errors import DEBUG_ENV, EXIT_INTERNAL, ProsperityError, internal_error_line


def exit_code(error: Exception) -> int:
    """Print what `error` says to stderr and return its exit code; under PROSPERITY_DEBUG=1
    a bug of ours is raised again instead, traceback and all."""
    from prosperity_cli.render import escape

    if isinstance(error, ProsperityError):
        for line in error.lines():
            print(escape.line(line), file=sys.stderr)
        return error.exit_code
    if os.environ.get(DEBUG_ENV) == "1":
        raise error
    print(escape.line(internal_error_line(error)), file=sys.stderr)
    return EXIT_INTERNAL
