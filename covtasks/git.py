"""Git through its command line behind an injectable runner: which files changed, and since when."""

from __future__ import annotations

import re
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
    fork = _fork(root, runner, base, staged)
    if fork is None:
        return frozenset(
            _paths(
                runner(
                    ["diff", "--cached", "--name-only", "-z", "--relative", CHANGED_FILTER], root
                )
            )
        )
    tracked = _paths(
        runner(["diff", "--name-only", "-z", "--relative", CHANGED_FILTER, fork, "--"], root)
    )
    return frozenset(tracked | _untracked(root, runner))


def _untracked(root: Path, runner: GitRunner) -> set[str]:
    return _paths(runner(["ls-files", "--others", "--exclude-standard", "-z"], root))


def _fork(root: Path, runner: GitRunner, base: str | None, staged: bool) -> str | None:
    """The commit to diff against (None: the index, for ``staged``), after checking the ask."""
    if staged and base is not None:
        raise UsageError("--staged and --base cannot be combined")
    try:
        runner(["rev-parse", "--is-inside-work-tree"], root)
    except GitError:
        raise UsageError("not inside a git work tree; --base and --staged need one", root) from None
    if staged:
        return None
    if base is None:
        raise UsageError("name a base ref (--base REF) or check the staged files (--staged)")
    try:
        runner(["rev-parse", "--verify", "--quiet", f"{base}^{{commit}}"], root)
    except GitError:
        raise UsageError(f"--base: unknown git ref {base!r}", root) from None
    return merge_base(root, runner, base)


def merge_base(root: Path, runner: GitRunner, base: str) -> str:
    """The commit this branch forked from ``base``; a shallow clone is told to fetch more."""
    try:
        return runner(["merge-base", base, "HEAD"], root).strip()
    except GitError:
        shallow = runner(["rev-parse", "--is-shallow-repository"], root).strip() == "true"
    if shallow:
        raise UsageError(
            f"--base: no merge-base with {base!r} in this shallow clone; fetch more history "
            "(actions/checkout with fetch-depth: 0, or git fetch --unshallow)",
            root,
        )
    raise UsageError(f"--base: {base!r} shares no history with HEAD", root)


# Lines a change touched, per root-relative path; None: the whole file is new (untracked).
ChangedLines = dict[str, frozenset[int] | None]
HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


def changed_lines(
    root: Path, runner: GitRunner = run_git, base: str | None = None, staged: bool = False
) -> ChangedLines:
    """The lines added or modified in each file of the change changed_paths describes.

    Untracked files (with ``base``) map to None: every line is new. A file whose change has
    no added line (a pure rename) is absent.
    """
    fork = _fork(root, runner, base, staged)
    diff = runner(
        [
            "-c",
            "core.quotePath=false",
            "diff",
            "-U0",
            "--no-color",
            "--no-ext-diff",
            "--no-prefix",
            "--relative",
            CHANGED_FILTER,
            "--cached" if fork is None else fork,
            "--",
        ],
        root,
    )
    tracked: dict[str, set[int]] = {}
    current: set[int] = set()
    in_header = False  # an added line reading "++ x" shows as "+++ x" in a hunk's body
    for line in diff.split("\n"):
        if line.startswith("diff --git "):
            in_header = True
        elif in_header and line.startswith("+++ "):
            current = tracked.setdefault(unquote_path(line[4:]), set())
        elif match := HUNK.match(line):
            in_header = False
            start, count = int(match[1]), 1 if match[2] is None else int(match[2])
            current.update(range(start, start + count))
    found: ChangedLines = {path: frozenset(lines) for path, lines in tracked.items() if lines}
    if fork is not None:
        found.update(dict.fromkeys(_untracked(root, runner) - set(tracked)))
    return found


C_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f"}


def unquote_path(name: str) -> str:
    """A path as git prints it in diff headers: quoted C-style when it holds odd characters."""
    if not (name.startswith('"') and name.endswith('"') and len(name) >= 2):
        return name
    data = bytearray()
    text = name[1:-1]
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            following = text[index + 1]
            if following in "01234567":
                data.append(int(text[index + 1 : index + 4], 8))
                index += 4
                continue
            data.extend(C_ESCAPES.get(following, following).encode())
            index += 2
            continue
        data.extend(char.encode())
        index += 1
    return data.decode("utf-8", errors="replace")
