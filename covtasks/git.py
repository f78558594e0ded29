"""Git through its command line behind an injectable runner: which files changed, and since when."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path

from covtasks.errors import CovtasksError, UsageError

GitRunner = Callable[[Sequence[str], Path], str]
# Added, copied, modified, renamed, type-changed: everything but deletions.
CHANGED_FILTER = "--diff-filter=ACMRT"


class GitError(CovtasksError):
    """Git is missing, the folder is not a repository, or a git command failed."""


def run_git(args: Sequence[str], cwd: Path, program: str = "git") -> str:
    """Run ``git ARGS`` in ``cwd`` and return its stdout; a failure raises GitError."""
    try:
        completed = subprocess.run(
            [program, *args], cwd=cwd, capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        raise GitError("git is not installed or not on PATH", cwd) from None
    if completed.returncode != 0:
        lines = completed.stderr.strip().splitlines()
        first = lines[0] if lines else f"exit status {completed.returncode}"
        raise GitError(f"git {args[0]} failed: {first}", cwd)
    return completed.stdout


def _paths(output: str) -> set[str]:
    return {path for path in output.split("\0") if path}


def changed_paths(
    root: Path, runner: GitRunner = run_git, base: str | None = None, staged: bool = False
) -> frozenset[str]:
    """Files changed and not deleted, as posix paths relative to ``root`` (the project folder).

    ``staged``: what the next commit holds (for pre-commit). ``base``: everything that differs
    from the merge-base with ``base`` in the working tree — commits on this branch, staged and
    unstaged edits — plus untracked files that git does not ignore, as diff-cover users expect
    of a branch. Paths outside ``root`` are left out, so a project in a subfolder works.
    """
    if staged and base is not None:
        raise UsageError("--staged and --base cannot be combined")
    try:
        runner(["rev-parse", "--is-inside-work-tree"], root)
    except GitError:
        raise UsageError("not inside a git work tree; --base and --staged need one", root) from None
    if staged:
        return frozenset(
            _paths(
                runner(
                    ["diff", "--cached", "--name-only", "-z", "--relative", CHANGED_FILTER], root
                )
            )
        )
    if base is None:
        raise UsageError("name a base ref (--base REF) or check the staged files (--staged)")
    try:
        runner(["rev-parse", "--verify", "--quiet", f"{base}^{{commit}}"], root)
    except GitError:
        raise UsageError(f"--base: unknown git ref {base!r}", root) from None
    fork = runner(["merge-base", base, "HEAD"], root).strip()
    tracked = _paths(
        runner(["diff", "--name-only", "-z", "--relative", CHANGED_FILTER, fork, "--"], root)
    )
    untracked = _paths(runner(["ls-files", "--others", "--exclude-standard", "-z"], root))
    return frozenset(tracked | untracked)
