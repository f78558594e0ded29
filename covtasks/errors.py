"""The one family of errors covtasks raises; only the CLI turns them into exit codes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

EXIT_CHECK_FAILED = 1
EXIT_BAD_INPUT = 2


class CovtasksError(Exception):
    """A problem the user can fix; carries the file it is about and an exit code."""

    exit_code = EXIT_BAD_INPUT

    def __init__(self, problem: str, path: Path | str | None = None) -> None:
        self.problem = problem
        self.path = None if path is None else str(path)
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """The one-line text shown after ``error:``; never more than one line."""
        from covtasks.escaping import terminal_text

        text = self.problem if self.path is None else f"{self.path}: {self.problem}"
        return terminal_text(" ".join(text.split()))


class ConfigError(CovtasksError):
    """The configuration is unreadable or holds a key or value covtasks does not know."""


class CoverageDataError(CovtasksError):
    """Coverage data is missing, corrupt, of an unknown format, or lacks its sources."""


class TaskFileError(CovtasksError):
    """The task file cannot be read, is ambiguous, or may not be written."""


class UsageError(CovtasksError):
    """An option value on the command line is malformed."""


@contextmanager
def naming(path: Path | str) -> Iterator[None]:
    """Give an error raised about "line N" the file it is in (pure code knows lines only)."""
    try:
        yield
    except CovtasksError as exc:
        if exc.path is not None:
            raise
        raise type(exc)(exc.problem, path) from exc
