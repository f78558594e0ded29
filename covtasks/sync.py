"""``covtasks sync`` at the centre: task-file text in, task-file text out (pure)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from covtasks.document import Document, Edit, Section, Span, apply_edits, parse_document
from covtasks.errors import TaskFileError
from covtasks.planner import UPDATED_DATE, Events, PlanInputs, plan_sync
from covtasks.umbrella import find_umbrella, plan_umbrella

NEW_SECTION_TITLE = "Coverage tasks"
NEW_FILE_HEADER = """\
# Coverage tasks

Task entries for modules below the coverage target, kept by `covtasks sync`. Edit any
field: covtasks refreshes a field only while it still reads what covtasks last wrote.

## Open tasks (updated {date})
"""


@dataclass(frozen=True)
class SyncResult:
    text: str
    events: Events
    fingerprints: Mapping[str, str] = field(default_factory=dict)  # for covtasks.sync_memo


def new_task_file(today: dt.date) -> str:
    """The short header a missing task file starts from."""
    return NEW_FILE_HEADER.format(date=today.isoformat())


def insertion_section(document: Document, prefix: str) -> Section | None:
    """The first section whose heading starts with ``prefix`` (case-insensitive)."""
    wanted = prefix.casefold()
    for section in document.sections:
        if section.title.casefold().startswith(wanted):
            return section
    return None


def adopt_file_template(document: Document, inputs: PlanInputs) -> PlanInputs:
    """Inputs whose template is the task file's own, when the file has one to adopt.

    Without a ``template`` setting, the ``<details>`` template in the section new entries go
    to is adopted; with ``template = "task-file"``, the first one anywhere in the file.
    """
    from covtasks.escaping import code_span, escape_text
    from covtasks.file_template import (
        TASK_FILE,
        adopted_template,
        entry_level,
        numbering,
        template_labels,
    )

    setting = inputs.config.template
    if setting not in (None, TASK_FILE):
        return inputs
    section = insertion_section(document, inputs.config.insert_under)
    labels = None if section is None else template_labels(document, section)
    if labels is None and setting == TASK_FILE:
        labels = template_labels(document, None)
        if labels is None:
            raise TaskFileError(
                'template = "task-file", but the file holds no <details> task template with fields'
            )
    if labels is None:
        return inputs
    umbrella = (
        None if not inputs.config.umbrella else find_umbrella(document, inputs.config.umbrella)
    )
    ref = "" if umbrella is None else f"{code_span(umbrella.ident)} ({escape_text(umbrella.title)})"
    return replace(
        inputs,
        template=adopted_template(labels, entry_level(document)),
        numbering=numbering(document),
        umbrella_ref=ref,
    )


def sync_text(
    text: str, inputs: PlanInputs, locate: Callable[[str], Document] = parse_document
) -> SyncResult:
    """Bring the task file's covtasks entries up to date with the coverage in ``inputs``.

    ``locate`` finds the entries and sections (the disk side passes one that keeps layouts).
    """
    document = locate(text)
    inputs = adopt_file_template(document, inputs)
    plan = plan_sync(document, inputs)
    edits = list(plan.edits)
    touched = list(plan.touched_lines)
    umbrella = inputs.config.umbrella
    if inputs.roadmap is not None and umbrella:
        entry = find_umbrella(document, umbrella)
        if entry is None:
            plan.events.notes.append(f"no entry titled or identified {umbrella!r} (umbrella)")
        else:
            roadmap_edits = plan_umbrella(document, entry, inputs.roadmap)
            edits.extend(roadmap_edits)
            if roadmap_edits:
                touched.append(entry.heading)
    if plan.new_entries:
        section = insertion_section(document, inputs.config.insert_under)
        block: list[str] = []
        for entry_lines in plan.new_entries:
            block.extend(["", *entry_lines])
        if section is None:
            at = document.end_line()
            block = ["", f"## {NEW_SECTION_TITLE}", *block]
        else:
            at = document.insertion_line(section)
            touched.append(section.heading)
            if at < len(document.lines) and document.lines[at].strip():
                block.append("")
        edits.append(Edit(Span(at, at), tuple(block)))
    edits.extend(_section_dates(document, touched, inputs.today))
    edits.sort(key=lambda edit: (edit.span.start, edit.span.end))
    # Without edits the text stays as it is: its lines joined again would be the same text.
    new_text = apply_edits(document, edits) if edits else text
    return SyncResult(new_text, plan.events, plan.fingerprints)


def _section_dates(document: Document, lines: list[int], today: dt.date) -> list[Edit]:
    """``(updated YYYY-MM-DD)`` in a section heading follows the latest change to its entries."""
    stamp = f"(updated {today.isoformat()})"
    headings = set()
    for line in lines:
        section = document.section_of(line)
        while section is not None:
            if UPDATED_DATE.search(document.lines[section.heading]):
                headings.add(section.heading)
                break
            section = document.parent_of(section)
    edits = []
    for heading in sorted(headings):
        raw = document.lines[heading].rstrip("\r\n")
        new = UPDATED_DATE.sub(stamp, raw, count=1)
        if new != raw:
            edits.append(Edit(Span(heading, heading + 1), (new,)))
    return edits
