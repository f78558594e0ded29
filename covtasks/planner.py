"""The sync planner (pure): measured modules + entries in the task file → edits and events."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from covtasks.config import Config
from covtasks.document import BOM, Document, Edit, Entry, Span
from covtasks.entry_inputs import entry_fingerprint, rendering_identity
from covtasks.entry_text import entry_values, git_plan, status_word
from covtasks.errors import TaskFileError
from covtasks.managed_fields import field_edits
from covtasks.marker_memory import marker_attrs, marker_module, memory_from_attrs
from covtasks.markers import format_marker
from covtasks.memory import (
    DETERMINISTIC,
    DONE,
    OPEN,
    PROGRESS,
    Baseline,
    Memory,
    text_digest,
    unwrapped_digest,
)
from covtasks.model import CoverageReport, ModuleCoverage
from covtasks.priority import Standing, class_and_gap, priorities
from covtasks.progress_display import NO_PROGRESS, Progress
from covtasks.roadmap import RoadmapFacts
from covtasks.sizing import entry_id, short_slugs, size_for
from covtasks.summary import Group
from covtasks.template import EntryTemplate, render_fields, render_heading

UPDATED_DATE = re.compile(r"\(updated \d{4}-\d{2}-\d{2}\)")
HEADING_STATUS = re.compile(r"^( {0,3}#{1,6}[ \t]+)(.*?)( · )")
TITLE_CODE_SPAN = re.compile(r"`([^`]+)`")


@dataclass(frozen=True)
class PlanInputs:
    """Everything a sync decides from; every outside fact arrives here as a value."""

    report: CoverageReport
    config: Config
    today: dt.date
    template: EntryTemplate
    owner_of: Callable[[str], str]
    notes_of: Callable[[ModuleCoverage], Sequence[str]]
    milestone_of: Callable[[str], tuple[int, str] | None] = lambda _path: None
    milestone_count: int = 0
    roadmap: RoadmapFacts | None = None  # what the umbrella entry is kept true to
    # Modules at target in the latest recorded sync, and since when: the ratchet.
    at_target: Mapping[str, dt.date] = field(default_factory=dict)
    # A fingerprint of what a module's notes are made from: when it matches the marker's,
    # the notes cannot have changed and the (costly) analysis is skipped.
    notes_key: Callable[[ModuleCoverage], str] = lambda _module: ""
    nature_of: Callable[[ModuleCoverage], str] = lambda _module: DETERMINISTIC
    # The notes' groups (function or class, lines, kind) the Summary sentence is made from.
    gap_groups: Callable[[ModuleCoverage], Sequence[Group]] = lambda _module: ()
    # Size comes with the notes (it leaves out lines that are no test work); Validation
    # names the commands that re-measure the module.
    size_of: Callable[[ModuleCoverage], str] = lambda module: size_for(
        module.counts.missing, module.counts.missing_branches
    )
    validation_of: Callable[[ModuleCoverage], str] = lambda _module: "`pytest`"
    # Whether a measured path lies inside the project (covtasks.sources): a module outside
    # counts in the totals but never becomes an entry.
    in_project: Callable[[str], bool] = lambda _path: True
    # The fingerprint of each entry as the last sync left it (covtasks.sync_memo): an entry
    # whose fingerprint is the same today is not rendered again.
    rendered: Mapping[str, str] = field(default_factory=dict)
    # From the task file, for a template adopted from it: how it numbers ordered lists
    # ("repeat": 1. 1. 1.), and the umbrella entry new entries depend on (markdown-ready).
    numbering: str = "sequence"
    umbrella_ref: str = ""
    # Counts the modules whose notes are worked out and the entries written (a terminal
    # shows it for long syncs); it decides nothing.
    progress: Progress = NO_PROGRESS


@dataclass
class Events:
    """What a sync did, for the summary on stderr."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    completed: list[str] = field(default_factory=list)
    regressed: list[str] = field(default_factory=list)
    unmeasured: list[str] = field(default_factory=list)
    kept: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # skipped: inputs as last rendered


@dataclass(frozen=True)
class Plan:
    edits: tuple[Edit, ...]
    events: Events
    touched_lines: tuple[int, ...]  # heading lines of entries that changed, for section dates
    new_entries: tuple[tuple[str, ...], ...]  # line blocks of new entries, in insertion order
    # Each entry's fingerprint as this sync leaves it, for the next one (covtasks.sync_memo).
    fingerprints: Mapping[str, str] = field(default_factory=dict)


def claimed_entries(document: Document, measured: Mapping[str, ModuleCoverage]) -> dict[str, Entry]:
    """Map each module to its entry: by hidden marker, else by a measured path in the title."""
    by_marker: dict[str, Entry] = {}
    by_title: dict[str, Entry] = {}
    for entry in document.entries:
        module = marker_module(entry.attrs) if entry.marker is not None else None
        if module:
            _claim(by_marker, module, entry)
            continue
        for candidate in TITLE_CODE_SPAN.findall(entry.title):
            # A person's entries only keep covtasks from filing a duplicate; two of them
            # naming one module are no conflict, since covtasks edits neither.
            if candidate in measured:
                by_title.setdefault(candidate, entry)
    return by_title | by_marker


def _claim(claims: dict[str, Entry], module: str, entry: Entry) -> None:
    if module in claims:
        first = claims[module].heading + 1
        raise TaskFileError(
            f"entries at lines {first} and {entry.heading + 1} both claim module {module}"
        )
    claims[module] = entry


@dataclass(frozen=True)
class Standings:
    """Every open entry's class and priority, settled before any entry is written."""

    natures: Mapping[str, str]  # module path → class (with the testable gap when known)
    priorities: Mapping[str, str]  # module path → P0–P3 in rank order, modules below target


def plan_sync(document: Document, inputs: PlanInputs) -> Plan:
    """Decide every edit a sync makes; nothing outside covtasks' own entries is touched."""
    measured = {module.path: module for module in inputs.report.modules}
    claims = claimed_entries(document, measured)
    events = Events()
    edits: list[Edit] = []
    touched: list[int] = []
    ours = []
    for path, entry in sorted(claims.items(), key=lambda item: item[1].heading):
        if entry.marker is not None:
            ours.append((path, entry))
            continue
        # A person's own entry about this module: it only prevents a duplicate, but a
        # fall from target is still a regression to count.
        module = measured.get(path)
        if module is not None and _fell(module, inputs):
            events.regressed.append(path)
    memories = {
        path: memory_from_attrs(entry.attrs, entry.marker or 0, inputs.template.field_names)
        for path, entry in ours
    }
    gaps = [
        module
        for module in inputs.report.modules
        if module.path not in claims
        and not inputs.report.meets(module, inputs.config.target)
        and inputs.in_project(module.path)
    ]
    standings = _standings(memories, gaps, measured, inputs)
    identity = (
        rendering_identity(
            inputs.config, inputs.template, inputs.report.precision, inputs.report.has_branches
        )
        + repr((inputs.numbering, inputs.umbrella_ref)).encode()
    )  # what an adopted template uses
    fingerprints: dict[str, str] = {}
    with inputs.progress.steps(len(ours) + len(gaps), "Writing entries") as advance:
        for path, entry in ours:
            advance()
            module = measured.get(path)
            facts = _Facts.of(path, module, inputs, standings, identity)
            if inputs.rendered.get(path) == facts.fingerprint(
                document.lines[entry.span.start : entry.span.end]
            ):
                events.unchanged.append(path)
                fingerprints[path] = inputs.rendered[path]
                continue
            kept = len(events.kept)
            entry_edits = _update_entry(
                document, entry, memories[path], module, inputs, standings, events
            )
            if len(events.kept) == kept:
                # An entry with a person's edit kept is rendered every time, so the note
                # about it comes every sync, as it always has.
                fingerprints[path] = facts.fingerprint(_entry_after(document, entry, entry_edits))
            if entry_edits:
                edits.extend(entry_edits)
                touched.append(entry.heading)
                events.updated.append(path)
        order = {path: place for place, path in enumerate(standings.priorities)}
        gaps.sort(key=lambda module: order[module.path])
        slugs = short_slugs(measured) if gaps else {}
        new_entries = []
        for module in gaps:
            lines = _new_entry(module, standings, slugs[module.path], inputs, events)
            facts = _Facts.of(module.path, module, inputs, standings, identity)
            fingerprints[module.path] = facts.fingerprint(lines)
            new_entries.append(lines)
            advance()
    return Plan(tuple(edits), events, tuple(touched), tuple(new_entries), fingerprints)


@dataclass(frozen=True)
class _Facts:
    """What an entry's refresh reads besides its own text, and the fingerprint over them."""

    identity: bytes
    module: ModuleCoverage | None
    per_module: tuple[str, ...]

    @classmethod
    def of(
        cls,
        path: str,
        module: ModuleCoverage | None,
        inputs: PlanInputs,
        standings: Standings,
        identity: bytes,
    ) -> _Facts:
        at_target = inputs.at_target.get(path)
        per_module = (
            inputs.owner_of(path),
            repr(inputs.milestone_of(path)),
            "" if module is None else inputs.notes_key(module),
            "" if at_target is None else at_target.isoformat(),
            # The priority ranks every open entry: another module's change can move it.
            repr(standings.priorities.get(path)),
            standings.natures.get(path, ""),
            # Validation names the module's tests: a test file added changes it.
            "" if module is None else inputs.validation_of(module),
        )
        return cls(identity, module, per_module)

    def fingerprint(self, lines: Sequence[str]) -> str:
        return entry_fingerprint(self.identity, lines, self.module, self.per_module)


def _entry_after(document: Document, entry: Entry, edits: Sequence[Edit]) -> list[str]:
    """The entry's lines once its edits (sorted, inside its span) are made."""
    lines: list[str] = []
    position = entry.span.start
    for edit in edits:
        lines.extend(document.lines[position : edit.span.start])
        lines.extend(edit.lines)
        position = edit.span.end
    lines.extend(document.lines[position : entry.span.end])
    return lines


def _fell(module: ModuleCoverage, inputs: PlanInputs) -> bool:
    """At target in the latest recorded sync and below target now: the ratchet's regression."""
    return module.path in inputs.at_target and not inputs.report.meets(module, inputs.config.target)


def _standings(
    memories: Mapping[str, Memory],
    gaps: Sequence[ModuleCoverage],
    measured: Mapping[str, ModuleCoverage],
    inputs: PlanInputs,
) -> Standings:
    """Classes of every measured entry and new gap, and the priorities of the open ones."""
    natures: dict[str, str] = {}
    # The notes are worked out here (nature_of): the long part of a sync with many gaps.
    with inputs.progress.steps(len(memories) + len(gaps), "Working out notes") as advance:
        for path, memory in memories.items():
            module = measured.get(path)
            if module is not None:
                # The class comes with the notes: looked at again only when their inputs
                # changed.
                fresh = _fresh(module, memory, inputs) or not memory.nature
                natures[path] = inputs.nature_of(module) if fresh else memory.nature
            advance()
        for module in gaps:
            natures[module.path] = inputs.nature_of(module)
            advance()
    standing = []
    for path, nature in natures.items():
        module = measured[path]
        if inputs.report.meets(module, inputs.config.target):
            continue
        counts = module.counts
        module_class, gap = class_and_gap(nature, counts.missing + counts.missing_branches)
        milestone = inputs.milestone_of(path)
        index = None if milestone is None else milestone[0]
        standing.append(Standing(path, index, module_class, gap, counts.line_exact()))
    return Standings(natures, priorities(standing))


def _fresh(module: ModuleCoverage, memory: Memory, inputs: PlanInputs) -> bool:
    """Whether the notes' inputs changed since the marker was written (or are unknown)."""
    key = _notes_digest(module, inputs)
    return not key or key != memory.notes


def _next_memory(memory: Memory, module: ModuleCoverage | None, inputs: PlanInputs) -> Memory:
    """The lifecycle: Open → In progress → Completed, regressions, and unmeasured modules."""
    today = inputs.today.isoformat()
    if module is None:
        return replace(memory, unmeasured=memory.unmeasured or today)
    memory = replace(memory, unmeasured="")
    if inputs.report.meets(module, inputs.config.target):
        completed = memory.completed if memory.state == DONE else today
        return replace(memory, state=DONE, completed=completed, regressed="")
    current = _baseline_of(module, inputs.today)
    if memory.state == DONE:
        # A completed module fell back: reopen it from where it is now, keep the dates.
        return replace(memory, state=OPEN, regressed=today, baseline=current)
    above = memory.baseline is not None and current.exact > memory.baseline.exact
    return replace(memory, state=PROGRESS if above else OPEN)


def _baseline_of(module: ModuleCoverage, today: dt.date) -> Baseline:
    counts = module.counts
    return Baseline(
        counts.covered + counts.covered_branches,
        counts.statements + counts.branches,
        today.isoformat(),
    )


def _new_entry(
    module: ModuleCoverage,
    standings: Standings,
    module_slug: str,
    inputs: PlanInputs,
    events: Events,
) -> tuple[str, ...]:
    memory = Memory(
        module.path,
        OPEN,
        text_digest(inputs.config.statuses.open),
        _baseline_of(module, inputs.today),
        notes=_notes_digest(module, inputs),
        nature=standings.natures[module.path],
    )
    if _fell(module, inputs):
        # No entry, yet the history had it at target: the ratchet notes where it fell from.
        since = inputs.at_target[module.path].isoformat()
        memory = replace(memory, completed=since, regressed=inputs.today.isoformat())
        events.regressed.append(module.path)
    values = entry_values(module, memory, inputs, standings.priorities.get(module.path))
    values["id"] = entry_id(inputs.config.id_prefix, inputs.today, module_slug)
    values["git_plan"] = git_plan(module.path, module_slug, values["target"])
    heading = render_heading(inputs.template, values)
    fields = render_fields(inputs.template, values)
    managed = {rendered.name: unwrapped_digest(rendered.lines) for rendered in fields}
    memory = replace(memory, managed=managed)
    marker = format_marker(marker_attrs(memory, inputs.template.field_names))
    body = [line for rendered in fields for line in rendered.lines]
    events.created.append(module.path)
    return (heading, "", marker, "", *body)


def _notes_digest(module: ModuleCoverage | None, inputs: PlanInputs) -> int:
    """The digest of the notes' inputs; 0 when there is nothing to tell them by."""
    key = "" if module is None else inputs.notes_key(module)
    return text_digest(key) if key else 0


def _update_entry(
    document: Document,
    entry: Entry,
    marked: Memory,
    module: ModuleCoverage | None,
    inputs: PlanInputs,
    standings: Standings,
    events: Events,
) -> list[Edit]:
    assert entry.marker is not None
    old = marked
    if old.baseline is None and module is not None:
        # A marker a person wrote to adopt an entry: its baseline is today's coverage.
        old = replace(old, baseline=_baseline_of(module, inputs.today))
    memory = _next_memory(old, module, inputs)
    edits: list[Edit] = []
    heading_line = document.lines[entry.heading].rstrip("\r\n")
    if module is not None:
        word = status_word(memory, inputs)
        # The word is covtasks' while it reads what covtasks last wrote, or once a person
        # happens to write the very word covtasks would write now.
        if text_digest(entry.status) == old.status or entry.status == word:
            if word != entry.status:
                bare = heading_line.removeprefix(BOM)  # a BOM before the file's first heading
                match = HEADING_STATUS.match(bare)
                assert match is not None
                new_heading = heading_line[: len(heading_line) - len(bare)]
                new_heading += match.group(1) + word + bare[match.end(2) :]
                edits.append(Edit(Span(entry.heading, entry.heading + 1), (new_heading,)))
            memory = replace(memory, status=text_digest(word))
        else:
            events.kept.append((memory.module, "status"))
    if memory.state == DONE and old.state != DONE:
        events.completed.append(memory.module)
    if memory.regressed and not old.regressed:
        events.regressed.append(memory.module)
    if memory.unmeasured and not old.unmeasured:
        events.unmeasured.append(memory.module)
    key = _notes_digest(module, inputs)
    fresh = module is None or _fresh(module, old, inputs)
    if module is not None:
        memory = replace(memory, nature=standings.natures[module.path])
    values = entry_values(
        module,
        memory,
        inputs,
        standings.priorities.get(module.path) if module else None,
        notes=fresh,
    )
    memory = replace(memory, notes=key or old.notes)
    written_by_covtasks = any(old.managed.values())
    refreshed, managed = field_edits(
        document, entry, old, values, inputs.template, events.kept, written_by_covtasks
    )
    edits.extend(refreshed)
    memory = replace(memory, managed=managed)
    marker_line = document.lines[entry.marker].rstrip("\r\n")
    marker_text = format_marker(marker_attrs(memory, inputs.template.field_names))
    # A marker of an earlier version is rewritten in today's shape only when the entry
    # changes: a sync with nothing new to say leaves every byte as it was.
    changed = bool(edits) or _remembered(memory) != _remembered(marked)
    if changed and marker_text != marker_line:
        edits.append(Edit(Span(entry.marker, entry.marker + 1), (marker_text,)))
    return sorted(edits, key=lambda edit: (edit.span.start, edit.span.end))


def _remembered(memory: Memory) -> Memory:
    """What a marker says, without what the next sync works out again (open or in progress)."""
    return replace(memory, state=DONE if memory.state == DONE else OPEN)
