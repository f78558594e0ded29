"""The check command on disk: which modules to judge, from git, the task file and the gates."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO

from covtasks.config import Config
from covtasks.document import parse_document
from covtasks.errors import EXIT_CHECK_FAILED, UsageError, naming
from covtasks.fileio import read_text
from covtasks.git import GitRunner, run_git
from covtasks.model import CoverageReport
from covtasks.planner import claimed_entries


def completed_modules(config: Config, report: CoverageReport) -> frozenset[str]:
    """Modules whose task entry reads the configured Completed word."""
    path = config.tasks_path
    if not path.exists():
        return frozenset()
    with naming(path):
        document = parse_document(read_text(path))
    measured = {module.path: module for module in report.modules}
    claims = claimed_entries(document, measured)
    word = config.statuses.completed
    return frozenset(module for module, entry in claims.items() if entry.status == word)


@dataclass(frozen=True, slots=True)
class CheckRequest:
    """What to judge: named modules (``paths``), or a change (``base``/``staged``), or neither.

    ``cwd`` is the folder the named paths are relative to, as a shell gives them.
    """

    cwd: Path
    paths: tuple[str, ...] = ()
    base: str | None = None
    staged: bool = False


def run_merge_check(
    config: Config,
    report: CoverageReport,
    request: CheckRequest,
    *,
    out: IO[str],
    err: IO[str],
    git: GitRunner = run_git,
) -> int:
    """Exit 1 when a judged module misses target, a Completed one regressed, or the total is
    under the gate; named modules are judged alone, with no gate and no regression check."""
    from covtasks.check import judge_modules, render_offenders, run_check, select_modules
    from covtasks.gates import current_gate, displayed_total, find_gates, slack_warning
    from covtasks.git import changed_paths

    if request.paths:
        if request.base is not None or request.staged:
            raise UsageError("name modules (PATH...) or a change (--base, --staged), not both")
        selected = select_modules(report, request.paths, request.cwd, config.root)
        result = judge_modules(report, selected, config.target)
        out.write(render_offenders(result))
        return 0 if result.passed else EXIT_CHECK_FAILED
    locations = find_gates(config.root, config.gates)
    gate = current_gate(locations)
    changed = (
        changed_paths(config.root, git, request.base, request.staged)
        if request.base or request.staged
        else None
    )
    result = run_check(report, changed, completed_modules(config, report), gate, config.target)
    out.write(render_offenders(result))
    warning = slack_warning(displayed_total(report), gate, config.ratchet_buffer)
    if warning:
        err.write(f"warning: {warning}\n")
    return 0 if result.passed else EXIT_CHECK_FAILED
