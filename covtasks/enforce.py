"""The gate and check commands on disk: raise gates and log each bump, judge a change."""

from __future__ import annotations

import datetime as dt
from typing import IO

from covtasks.config import Config
from covtasks.document import Edit, Span, apply_edits, parse_document
from covtasks.errors import EXIT_CHECK_FAILED, naming
from covtasks.fileio import atomic_write, ensure_inside, locked, read_text
from covtasks.git import GitRunner, run_git
from covtasks.model import CoverageReport
from covtasks.planner import claimed_entries

GATE_LOG_TITLE = "Coverage gate log"


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


def log_gate_bump(text: str, umbrella: str | None, line: str) -> str:
    """Add ``line`` at the end of the umbrella entry, else of a ``Coverage gate log`` section."""
    from covtasks.umbrella import find_umbrella

    document = parse_document(text)
    entry = None if umbrella is None else find_umbrella(document, umbrella)
    if entry is not None:
        at = entry.span.end
        return apply_edits(document, [Edit(Span(at, at), (line,))])
    for section in document.sections:
        if section.title == GATE_LOG_TITLE:
            at = document.insertion_line(section)
            return apply_edits(document, [Edit(Span(at, at), (line,))])
    # Before a block left open at the end, which would swallow the new section otherwise.
    at = document.end_line()
    blank = () if at == 0 or not document.lines[at - 1].strip() else ("",)
    return apply_edits(document, [Edit(Span(at, at), (*blank, f"## {GATE_LOG_TITLE}", "", line))])


def run_gate(
    config: Config,
    report: CoverageReport,
    today: dt.date,
    *,
    dry_run: bool,
    ratchet: bool,
    out: IO[str],
    err: IO[str],
) -> int:
    """Raise every gate to what completed milestones (and the ratchet) earned; never lower."""
    from covtasks.gates import gate_diff, plan_gate
    from covtasks.sync import new_task_file

    plan = plan_gate(config, report, today, ratchet)
    if plan.warning:
        err.write(f"warning: {plan.warning}\n")
    if plan.decision.new is None:
        out.write(f"{plan.decision.reason}\n")
        return 0
    targets = {path: ensure_inside(path, config.root) for path in plan.new_texts}
    tasks = ensure_inside(config.tasks_path, config.root)
    assert plan.log_line is not None
    with locked(tasks, create=not dry_run):
        # A missing task file starts with the header sync gives it, so sync finds its section.
        before = read_text(tasks) if tasks.exists() else new_task_file(today)
        # Logged text first: a task file that cannot be read stops the bump before any write.
        with naming(tasks):
            logged = log_gate_bump(before, config.umbrella, plan.log_line)
        for path, text in sorted(plan.new_texts.items()):
            if dry_run:
                out.write(gate_diff(config.root, path, read_text(targets[path]), text))
            else:
                atomic_write(targets[path], text)
        out.write(f"{plan.log_line.removeprefix('- ')}\n")
        if not dry_run:
            atomic_write(tasks, logged)
    return 0


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
