"""Sync against the task file on disk: lock, read, plan, show the diff, write atomically."""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO

from covtasks import __version__
from covtasks.collector import collector_paused
from covtasks.config import Config
from covtasks.errors import EXIT_CHECK_FAILED, ConfigError, naming
from covtasks.escaping import terminal_text
from covtasks.fileio import (
    Stager,
    ensure_inside,
    locked,
    read_text,
    remove_stale_temporaries,
    stage_file,
    write_files,
)
from covtasks.history import HistoryRecord
from covtasks.model import CoverageReport, ModuleCoverage
from covtasks.planner import Events, PlanInputs
from covtasks.progress_display import NO_PROGRESS, Progress
from covtasks.sizing import size_text
from covtasks.sources import ProjectSources, utf8_text
from covtasks.sync import new_task_file, sync_text
from covtasks.template import EntryTemplate

# The notes' shape and engine are part of their inputs: when either changes, entries get
# fresh notes. 2: the module's class left the notes for the marker; 3: guards, seams by
# what a name is, error origins, one bullet per function.
NOTES_SHAPE = "notes-3"


@dataclass(frozen=True)
class SyncOptions:
    dry_run: bool = False
    diff: bool = False
    check: bool = False
    tasks: str | None = None
    force: bool = False


def plan_inputs(config: Config, report: CoverageReport, today: dt.date) -> PlanInputs:
    """Wire owners, notes, milestones and the template into the planner's inputs."""
    from covtasks.file_template import TASK_FILE
    from covtasks.milestones import milestone_of
    from covtasks.notes.analysis import analyse_module
    from covtasks.notes.grouping import ModuleNotes
    from covtasks.notes.hints import load_rules
    from covtasks.notes.project import (
        TestIndex,
        find_tests,
        matching_test,
        project_context,
        validation,
    )
    from covtasks.owners import resolver_for
    from covtasks.template import load_template

    sources = ProjectSources(config.root)
    # "task-file" adopts the task file's own template (sync does); the default stands in.
    named = config.template not in (None, TASK_FILE)
    template = project_template(config) if named else load_template(None)
    owners = resolver_for(config)
    rules = load_rules(config.hints, config.source)
    project = project_context(config.root, sources.read_text)
    tests: list[TestIndex] = []

    validations: dict[str, str] = {}

    def validation_of(module: ModuleCoverage) -> str:
        if not tests:  # the project's test files, found once and only when asked for
            tests.append(TestIndex.of(find_tests(config.root)))
        # Asked for the fingerprint and again for the entry's text: worked out once.
        if module.path not in validations:
            test = matching_test(module.path, tests[0])
            validations[module.path] = validation(module.path, test)
        return validations[module.path]

    def notes_of(module: ModuleCoverage) -> list[str]:
        # The module's class is no note: the marker keeps it and the priority follows it.
        return [note.render() for note in analysis_of(module).notes]

    # Everything the notes are made from besides the module itself.
    rules_identity = (
        f"{__version__}|{NOTES_SHAPE}|{config.hints!r}|{project.coverage_config}|"
        f"{sorted(project.extras.items())!r}"
    ).encode()

    keys: dict[str, str] = {}

    def key_of(module: ModuleCoverage, source: bytes | None) -> str:
        digest = hashlib.sha256(rules_identity)
        digest.update(b"\0no source" if source is None else source)
        digest.update(repr((module.missing_lines, module.missing_arcs)).encode())
        return digest.hexdigest()[:12]

    def notes_key(module: ModuleCoverage) -> str:
        # Asked several times per module a sync (standing, refresh, fingerprint): read once.
        if module.path not in keys:
            keys[module.path] = key_of(module, sources.read_bytes(module.path))
        return keys[module.path]

    analyses: dict[str, ModuleNotes] = {}

    def analysis_of(module: ModuleCoverage) -> ModuleNotes:
        if module.path not in analyses:
            # The bytes the notes are made from make their key too: the file is read once.
            source = sources.read_bytes(module.path)
            if module.path not in keys:
                keys[module.path] = key_of(module, source)
            analyses[module.path] = analyse_module(module, utf8_text(source), rules, project)
        return analyses[module.path]

    milestones: dict[str, tuple[int, str] | None] = {}
    owners_of: dict[str, str] = {}

    def milestone(path: str) -> tuple[int, str] | None:
        # Globs are matched once per module, however often a sync asks.
        if path not in milestones:
            index = milestone_of(path, config.milestones)
            milestones[path] = None if index is None else (index, config.milestones[index].name)
        return milestones[path]

    def owner_of(path: str) -> str:
        if path not in owners_of:
            owners_of[path] = owners.owner_of(path)
        return owners_of[path]

    return PlanInputs(
        report=report,
        config=config,
        today=today,
        template=template,
        owner_of=owner_of,
        notes_of=notes_of,
        milestone_of=milestone,
        milestone_count=len(config.milestones),
        notes_key=notes_key,
        # The class with the testable gap (`platform-specific:0`): Priority ranks by both.
        nature_of=lambda module: f"{analysis_of(module).nature}:{analysis_of(module).testable_gap}",
        gap_groups=lambda module: analysis_of(module).groups(),
        size_of=lambda module: size_text(
            analysis_of(module).testable_gap, analysis_of(module).set_aside
        ),
        validation_of=validation_of,
        in_project=sources.contains,
    )


def project_template(config: Config) -> EntryTemplate:
    """The project's own entry template, read like a source: inside the project only."""
    from covtasks.template import parse_template

    assert config.template is not None
    path = config.root / config.template
    # The setting leads inside the project (config checks that); reading it like a source
    # also refuses a FIFO or a device there, and anything huge.
    text = ProjectSources(config.root).read_text(config.template)
    if text is None:
        raise ConfigError("cannot read the entry template: not a readable UTF-8 text file", path)
    return parse_template(text, str(path))


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
    lines.extend(f"note: {note}" for note in events.notes)
    return lines


@dataclass(frozen=True)
class Timeline:
    """The history with this sync's pending line, and what the snapshot is dated."""

    records: tuple[HistoryRecord, ...]
    pending: HistoryRecord | None
    gate: float | None
    recorded: tuple[HistoryRecord, ...] = ()  # the history as read, before this sync

    def at_target(self, target: float, with_branches: bool) -> dict[str, dt.date]:
        """Modules at target in the latest recorded sync, and since when (the ratchet)."""
        from covtasks.ratchet import stretches_at_target

        stretches = stretches_at_target(self.recorded, target, with_branches)
        return {path: held.since for path, held in stretches.items() if held.now}

    @property
    def day(self) -> dt.date | None:
        """The date of the latest change: a snapshot of unchanged numbers keeps its date."""
        return max((record.date for record in self.records), default=None)


def timeline(config: Config, report: CoverageReport, today: dt.date) -> Timeline:
    from covtasks.history import read_history, record_for, warn_on_stderr
    from covtasks.standup_badge_commands import current_gate

    gate = current_gate(config)
    records = read_history(config.root / config.history, warn_on_stderr)
    pending = record_for(records, report, today, gate)
    effective = records if pending is None else (*records, pending)
    return Timeline(effective, pending, gate, records)


def run_sync(
    config: Config,
    report: CoverageReport,
    today: dt.date,
    options: SyncOptions,
    out: IO[str],
    err: IO[str],
    stage: Stager = stage_file,
    progress: Progress = NO_PROGRESS,
) -> int:
    """The sync command on disk; returns the exit code (1 only for --check drift).

    Every file it will write (task file, docs, history) is checked (inside the project,
    readable, parseable) and its new text made before any is written; then all are written
    together or none (``write_files``), so a failure leaves every file byte-identical.
    """
    from covtasks.history import appended
    from covtasks.layout_cache import LayoutCache
    from covtasks.livedocs import refresh_docs
    from covtasks.roadmap import roadmap_facts
    from covtasks.sync_memo import load_memo, save_memo

    path = config.root / (options.tasks or config.tasks)
    target = ensure_inside(path, config.root, named=options.tasks is not None)
    history_path = ensure_inside(config.root / config.history, config.root)
    inputs = replace(plan_inputs(config, report, today), progress=progress)
    display = _display_path(path, config.root)
    writes = not (options.dry_run or options.check)
    with locked(target, create=writes, timeout=config.lock_timeout, notify=_notice(err)):
        # The history is read under the lock too: a concurrent sync's line is then seen.
        history = timeline(config, report, today)
        at_target = history.at_target(config.target, report.has_branches)
        inputs = replace(inputs, at_target=at_target, rendered=load_memo(config.root, display))
        if config.umbrella:
            day = history.day or today
            facts = roadmap_facts(report, history.records, day, today, history.gate, config.target)
            inputs = replace(inputs, roadmap=facts)
        exists = target.exists()
        before = read_text(target) if exists else ""
        layouts = LayoutCache(config.root)
        with naming(display), collector_paused():
            text = before if exists else new_task_file(today)
            # Locating and planning make many objects and no reference cycles.
            result = sync_text(text, inputs, layouts.locate)
        changes = [(target, display, before, result.text)]
        changes += refresh_docs(config, report, history.records, history.day or today, history.gate)
        changes = [change for change in changes if change[2] != change[3]]
        if options.diff:
            for _, name, old, new in changes:
                out.writelines(_diff(old, new, name))
        if writes:
            files = [(file, new) for file, _, _, new in changes]
            if history.pending is not None:
                files.append((history_path, appended(history_path, history.pending)))
            remove_stale_temporaries([file for file, _ in files])
            write_files(files, stage, force=options.force, notify=_notice(err))
            save_memo(config.root, display, result.fingerprints)
            if result.text == text:
                layouts.keep()  # the file stays as read: the next sync finds its layout kept
        # After the writes: a failed sync says only what went wrong, not what it would do.
        for line in summary_lines(result.events, display):
            err.write(terminal_text(line) + "\n")
        if options.check and changes:
            for _, name, _, _ in changes:
                err.write(f"{name} is out of date; run `covtasks sync`\n")
            return EXIT_CHECK_FAILED
    return 0


def _display_path(path: Path, root: Path) -> str:
    return Path(os.path.relpath(path, root)).as_posix()


def _diff(before: str, after: str, name: str) -> list[str]:
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"a/{name}",
        tofile=f"b/{name}",
    )
    return [line if line.endswith("\n") else line + "\n" for line in lines]


def _notice(stream: IO[str]) -> Callable[[str], None]:
    return lambda message: print(message, file=stream)
