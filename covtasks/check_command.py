"""The check command on disk: which modules to judge, from git, the task file and the gates."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO

from covtasks.check import ChangedModule, CheckResult
from covtasks.config import Config
from covtasks.coverage_data import outside_root_warning
from covtasks.document import parse_document
from covtasks.errors import EXIT_CHECK_FAILED, CovtasksError, UsageError, naming
from covtasks.fileio import read_text
from covtasks.git import GitError, GitRunner, run_git
from covtasks.model import CoverageReport
from covtasks.planner import claimed_entries
from covtasks.ratchet import EntryRecord


def task_file_claims(
    config: Config, report: CoverageReport
) -> tuple[frozenset[str], dict[str, EntryRecord]]:
    """Modules whose task entry reads the configured Completed word, and what each entry
    says about target (for the ratchet)."""
    from covtasks.ratchet import entry_records

    path = config.tasks_path
    if not path.exists():
        return frozenset(), {}
    measured = {module.path: module for module in report.modules}
    with naming(path):
        document = parse_document(read_text(path))
        claims = claimed_entries(document, measured)
        word = config.statuses.completed
        completed = frozenset(module for module, entry in claims.items() if entry.status == word)
        return completed, entry_records(claims, word)


@dataclass(frozen=True, slots=True)
class CheckRequest:
    """What to judge: named modules (``paths``), or a change (``base``/``staged``), or neither.

    ``cwd`` is the folder the named paths are relative to, as a shell gives them.
    """

    cwd: Path
    paths: tuple[str, ...] = ()
    base: str | None = None
    staged: bool = False
    diff_lines: bool = False
    output_format: str = "text"

    def validate(self) -> None:
        """Refuse asks that would pass silently or mean two things."""
        from covtasks.check_formats import FORMATS

        if self.output_format not in FORMATS:
            raise UsageError(f"--format: {self.output_format!r} is not one of {', '.join(FORMATS)}")
        if self.base is not None and not self.base.strip():
            raise UsageError("--base is empty (an unset CI variable?); name a ref like origin/main")
        if any(not path.strip() for path in self.paths):
            raise UsageError("an empty PATH (an unset variable?) names no module")
        if self.paths and (self.base is not None or self.staged):
            raise UsageError("name modules (PATH...) or a change (--base, --staged), not both")
        if self.diff_lines and self.base is None and not self.staged:
            raise UsageError("--diff-lines judges a change: add --base REF (or --staged)")


def run_merge_check(
    config: Config,
    report: CoverageReport,
    request: CheckRequest,
    *,
    out: IO[str],
    err: IO[str],
    environ: Mapping[str, str] | None = None,
    git: GitRunner = run_git,
) -> int:
    """Exit 1 when a judged module misses target, a Completed one regressed, or the total is
    under the gate; named modules are judged alone, with no gate and no regression check.

    The verdict goes to ``out`` in the requested format (warnings to ``err`` for text) and,
    when ``GITHUB_STEP_SUMMARY`` names a file, its markdown is appended there too.
    """
    from covtasks.check_formats import render_check, render_markdown, render_messages

    request.validate()
    environ = environ or {}
    result, judged = _verdict(config, report, request, git)
    warnings = [
        warning
        for warning in (
            outside_root_warning(report),
            stale_warning(config.root, report, judged),
            *result.warnings,
        )
        if warning
    ]
    notes = (
        [f"combined {report.combined_files} parallel coverage data files"]
        if report.combined_files
        else []
    )
    result = replace(result, warnings=tuple(warnings), notes=tuple(notes))
    prefix = _repository_prefix(config.root, git) if request.output_format == "github" else ""
    out.write(render_check(result, request.output_format, prefix))
    if request.output_format == "text":
        err.write(render_messages(result))
    summary = environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        append_summary(Path(summary), render_markdown(result))
    return 0 if result.passed else EXIT_CHECK_FAILED


def _verdict(
    config: Config, report: CoverageReport, request: CheckRequest, git: GitRunner
) -> tuple[CheckResult, frozenset[str]]:
    """The verdict before warnings, and the files it judged (for the staleness warning)."""
    from covtasks.check import judge_modules, run_check, select_modules
    from covtasks.gates import current_gate, displayed_total, find_gates, slack_warning
    from covtasks.git import changed_lines, changed_paths

    if request.paths:
        selected = select_modules(report, request.paths, request.cwd, config.root)
        return judge_modules(report, selected, config.target), selected
    gate = current_gate(find_gates(config.root, config.gates))
    asked = request.base is not None or request.staged
    changed = changed_paths(config.root, git, request.base, request.staged) if asked else None
    lines = changed_lines(config.root, git, request.base, request.staged) if asked else None
    from covtasks.history import read_history, warn_on_stderr
    from covtasks.ratchet import find_regressions

    completed, entries = task_file_claims(config, report)
    history = read_history(config.root / config.history, warn_on_stderr)
    result = run_check(
        report,
        changed,
        completed,
        gate,
        config.target,
        lines=lines,
        diff_lines=request.diff_lines,
        regressions=find_regressions(report, history, entries, config.target),
    )
    slack = slack_warning(displayed_total(report), gate, config.ratchet_buffer)
    before_after = () if changed is None else changed_modules(config, report, changed)
    result = replace(result, warnings=(slack,) if slack else (), changed=before_after)
    return result, changed or frozenset()


def changed_modules(
    config: Config, report: CoverageReport, changed: frozenset[str]
) -> tuple[ChangedModule, ...]:
    """Each changed measured module now, and at the last sync when the history has it."""
    from covtasks.history import read_history, state_at, warn_on_stderr

    state = state_at(read_history(config.root / config.history, warn_on_stderr))
    precision = report.precision
    return tuple(
        ChangedModule(
            module.path,
            None
            if module.path not in state
            else f"{state[module.path].combined_display(precision)}%",
            f"{module.counts.combined_display(precision)}%",
        )
        for module in sorted(report.modules, key=lambda module: module.path)
        if module.path in changed
    )


def stale_warning(root: Path, report: CoverageReport, judged: frozenset[str]) -> str | None:
    """Name the newest judged source file when it is newer than the coverage data."""
    if report.written_at is None:
        return None
    times = []
    for relative in judged:
        path = root / relative
        if relative.endswith(".py") and path.is_file():
            times.append((path.stat().st_mtime, relative))
    if not times:
        return None
    newest, name = max(times)
    if newest <= report.written_at:
        return None
    return (
        f"{name!r} is newer than the coverage data {report.source!r}; "
        "run the tests under coverage first"
    )


def _repository_prefix(root: Path, git: GitRunner) -> str:
    """The project root's folder inside its git repository (``""`` at the top, or no git)."""
    try:
        return git(["rev-parse", "--show-prefix"], root).strip()
    except GitError:
        return ""


def append_summary(path: Path, markdown: str) -> None:
    """Append to the file ``$GITHUB_STEP_SUMMARY`` names (a path the user's CI named)."""
    try:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(markdown)
    except OSError as exc:
        raise CovtasksError(
            f"cannot append the step summary ($GITHUB_STEP_SUMMARY): {exc.strerror}", path
        ) from exc
