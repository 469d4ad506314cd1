"""The one hierarchy of user-facing errors.

Every error a user can cause is a `ProsperityError`. The CLI turns it into a message on
stderr and an exit code in one place (`cli.run_guarded`); nothing else calls `sys.exit`.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Exit codes, documented in the README and in `prosperity --help`.
EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INVALID = 2


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
