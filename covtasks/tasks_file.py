"""Sync against the task file on disk: lock, read, plan, show the diff, write atomically."""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from covtasks.config import Config
from covtasks.errors import EXIT_CHECK_FAILED, TaskFileError
from covtasks.fileio import atomic_write, ensure_inside, locked, read_text
from covtasks.model import CoverageReport, ModuleCoverage
from covtasks.planner import Events, PlanInputs
from covtasks.sync import new_task_file, sync_text


@dataclass(frozen=True)
class SyncOptions:
    dry_run: bool = False
    diff: bool = False
    check: bool = False
    tasks: str | None = None


def plan_inputs(config: Config, report: CoverageReport, today: dt.date) -> PlanInputs:
    """Wire owners, notes, milestones and the template into the planner's inputs."""
    from covtasks.hints import load_rules
    from covtasks.milestones import milestone_of
    from covtasks.notes import analyse_module, source_reader
    from covtasks.owners import OwnerResolver, load_codeowners
    from covtasks.template import load_template

    template_path = None if config.template is None else config.root / config.template
    owners = OwnerResolver(config.owners, load_codeowners(config.root), config.default_owner)
    rules = load_rules(config.hints, config.source)
    read_source = source_reader(config.root)

    def notes_of(module: ModuleCoverage) -> list[str]:
        analysis = analyse_module(module, read_source(module.path), rules)
        return [note.render() for note in analysis.notes]

    def milestone(path: str) -> tuple[int, str] | None:
        index = milestone_of(path, config.milestones)
        return None if index is None else (index, config.milestones[index].name)

    return PlanInputs(
        report=report,
        config=config,
        today=today,
        template=load_template(template_path),
        owner_of=owners.owner_of,
        notes_of=notes_of,
        milestone_of=milestone,
        milestone_count=len(config.milestones),
    )


def summary_lines(events: Events, path: str) -> list[str]:
    """The stderr summary: counts first, then one note per field left to a person."""
    counts = (
        f"{path}: {len(events.created)} created, {len(events.updated)} updated, "
        f"{len(events.completed)} completed, {len(events.regressed)} regressed"
    )
    if events.unmeasured:
        counts += f", {len(events.unmeasured)} no longer measured"
    lines = [counts]
    lines.extend(
        f"note: kept {field!r} of the {module} entry as edited by hand"
        for module, field in events.kept
    )
    return lines


def run_sync(
    config: Config,
    report: CoverageReport,
    today: dt.date,
    options: SyncOptions,
    out: IO[str],
    err: IO[str],
) -> int:
    """The sync command on disk; returns the exit code (1 only for --check drift)."""
    path = config.root / (options.tasks or config.tasks)
    target = ensure_inside(path, config.root)
    inputs = plan_inputs(config, report, today)
    display = _display_path(path, config.root)
    writes = not (options.dry_run or options.check)
    with locked(target, create=writes):
        exists = target.exists()
        before = read_text(target) if exists else ""
        try:
            result = sync_text(before if exists else new_task_file(today), inputs)
        except TaskFileError as exc:
            # The planner knows lines, not files: name the file here.
            raise TaskFileError(exc.problem, exc.path or display) from exc
        changed = result.text != before
        if options.diff and changed:
            out.writelines(_diff(before, result.text, display))
        for line in summary_lines(result.events, display):
            err.write(line + "\n")
        if options.check and changed:
            err.write(f"{display} is out of date; run `covtasks sync`\n")
            return EXIT_CHECK_FAILED
        if changed and writes:
            atomic_write(target, result.text)
        if writes:
            record_history(config, report, today)
    return 0


def record_history(config: Config, report: CoverageReport, today: dt.date) -> None:
    """Add this sync's changes to the history the stand-up and the trend read."""
    from covtasks.history import sync_history
    from covtasks.progress import current_gate

    path = ensure_inside(config.root / config.history, config.root)
    sync_history(path, report, today, current_gate(config))


def _display_path(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _diff(before: str, after: str, name: str) -> list[str]:
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"a/{name}",
        tofile=f"b/{name}",
    )
    return [line if line.endswith("\n") else line + "\n" for line in lines]
