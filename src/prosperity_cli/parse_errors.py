"""Mistakes on the command line, found while parsing it, as our own one-line messages.

Typer's parser reports an unknown option or a bad value with its own wording and echoes
the argument as typed; here the argument is shown literally (no control character reaches
the terminal) and the line says how to get help.
"""

from __future__ import annotations

from typer._click.exceptions import ClickException as ClickUsage
from typer._click.exceptions import NoArgsIsHelpError

from prosperity_cli.render import escape

__all__ = ["ClickUsage", "usage_lines"]


def usage_lines(error: ClickUsage) -> list[str]:
    """What to print on stderr for a parse error: the help when none was asked for, else
    the usage line and one line saying what is wrong and where to read more."""
    if isinstance(error, NoArgsIsHelpError):
        return [escape.terminal(error.format_message())]
    ctx = getattr(error, "ctx", None)
    command = ctx.command_path if ctx is not None else "prosperity"
    lines = [escape.terminal(ctx.get_usage())] if ctx is not None else []
    message = escape.line(error.format_message())
    lines.append(f"{command}: {message} — see `{command} --help`")
    return lines
