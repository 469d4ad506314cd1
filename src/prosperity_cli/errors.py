"""The one hierarchy of user-facing errors.

Every error a user can cause is a `ProsperityError`. The CLI turns it into a message on
stderr and an exit code in one place (`guard.exit_code`); nothing else calls `sys.exit`.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Exit codes, documented in the README and in `prosperity --help`.
EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INVALID = 2
#: A bug of ours: never 1, so that a crash in CI cannot pass for a finding.
EXIT_INTERNAL = 3
#: Interrupted (Ctrl-C), as shells report a SIGINT.
EXIT_INTERRUPTED = 130
#: The reader of our output went away before everything was written (a closed pipe).
EXIT_CLOSED_PIPE = 141
#: Set to 1 to see a Python traceback instead of the one-line internal-error message.
DEBUG_ENV = "PROSPERITY_DEBUG"
ISSUES_URL = "https://github.com/prosperity-cli/prosperity/issues"


def internal_error_line(error: BaseException) -> str:
    """The one line shown for a bug of ours, saying so and how to report it."""
    what = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    if len(what) > 200:
        what = what[:200] + "..."
    return (
        f"prosperity: internal error ({what}) — this is a bug in prosperity, not in your "
        f"registry; please report it with the command you ran at {ISSUES_URL} "
        f"(set {DEBUG_ENV}=1 to see the traceback)"
    )


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the registry, located as precisely as we can."""

    file: str
    line: int | None
    where: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        place = f"{self.file}:{self.line}" if self.line is not None else self.file
        text = (
            f"{place}: {self.where}: {self.message}" if self.where else f"{place}: {self.message}"
        )
        return f"{text} — {self.hint}" if self.hint else text


class ProsperityError(Exception):
    """Base of every error shown to a user as a message rather than a traceback."""

    exit_code = EXIT_INVALID

    def lines(self) -> list[str]:
        return [str(self)]


class UsageError(ProsperityError):
    """The command was used wrongly: a bad option value, a missing file."""


class RegistryChanged(UsageError):
    """The registry file changed on disk while a command was using it."""


class RegistryInvalid(ProsperityError):
    """The registry failed validation; carries every problem found, not only the first."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the registry")
        self.problems = problems

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]


class WriteRefused(ProsperityError):
    """A write was refused before anything was changed on disk."""
