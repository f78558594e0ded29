"""The gate command on disk: raise gates and log each bump in the task file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import IO

from covtasks.config import Config
from covtasks.document import Edit, Span, apply_edits, parse_document
from covtasks.errors import naming
from covtasks.fileio import (
    Stager,
    ensure_inside,
    locked,
    read_text,
    remove_stale_temporaries,
    stage_file,
    write_files,
)
from covtasks.model import CoverageReport

GATE_LOG_TITLE = "Coverage gate log"


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
    stage: Stager = stage_file,
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
    with locked(tasks, create=not dry_run, timeout=config.lock_timeout, notify=_notice(err)):
        # A missing task file starts with the header sync gives it, so sync finds its section.
        before = read_text(tasks) if tasks.exists() else new_task_file(today)
        # Logged text first: a task file that cannot be read stops the bump before any write.
        with naming(tasks):
            logged = log_gate_bump(before, config.umbrella, plan.log_line)
        gates = sorted(plan.new_texts.items())
        if dry_run:
            for path, text in gates:
                out.write(gate_diff(config.root, path, read_text(targets[path]), text))
        else:
            # The log goes first, then the gates it records; all are staged before any is
            # replaced, so a failure leaves every file as it was.
            files = [(tasks, logged), *((targets[path], text) for path, text in gates)]
            remove_stale_temporaries([tasks])
            write_files(files, stage, notify=_notice(err))
        out.write(f"{plan.log_line.removeprefix('- ')}\n")
    return 0


def _notice(stream: IO[str]) -> Callable[[str], None]:
    return lambda message: print(message, file=stream)
