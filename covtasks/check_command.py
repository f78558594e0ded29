"""The check command on disk: which modules to judge, from git, the task file and the gates."""

from __future__ import annotations

from typing import IO

from covtasks.config import Config
from covtasks.document import parse_document
from covtasks.errors import EXIT_CHECK_FAILED, naming
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


def run_merge_check(
    config: Config,
    report: CoverageReport,
    *,
    base: str | None,
    staged: bool,
    out: IO[str],
    err: IO[str],
    git: GitRunner = run_git,
) -> int:
    """Exit 1 when a changed module misses target, a Completed one regressed, or the total
    is under the gate."""
    from covtasks.check import render_offenders, run_check
    from covtasks.gates import current_gate, displayed_total, find_gates, slack_warning
    from covtasks.git import changed_paths

    locations = find_gates(config.root, config.gates)
    gate = current_gate(locations)
    changed = changed_paths(config.root, git, base, staged) if base or staged else None
    result = run_check(report, changed, completed_modules(config, report), gate, config.target)
    out.write(render_offenders(result))
    warning = slack_warning(displayed_total(report), gate, config.ratchet_buffer)
    if warning:
        err.write(f"warning: {warning}\n")
    return 0 if result.passed else EXIT_CHECK_FAILED
