"""The umbrella (roadmap) entry: its fields' numbers and list membership kept true, never its prose.

Fields are recognised by the leading words of their bold label, whatever follows it
(``**Completed modules (100% coverage)** - 11 total:``, ``**Module backlog** (remaining
gaps):``): "Latest snapshot", "Completed modules", "Improved modules" or "Significantly
improved modules", "Module backlog". A field that exists is edited in place, line by line;
one that does not is added once (the marker records that covtasks has taken the entry over,
so a field a person deletes stays deleted).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence

from covtasks.document import Document, Edit, Entry, Span
from covtasks.errors import TaskFileError
from covtasks.outline import Item, item_text, list_items, text_offset
from covtasks.roadmap import Listed, RoadmapFacts, first_figure, leading_module, with_progress
from covtasks.umbrella_fields import edit_backlog, edit_completed, edit_improved, edit_snapshot

MARKER_PREFIX = "<!-- covtasks:umbrella"
MARKER = "<!-- covtasks:umbrella -->"
# The form earlier versions wrote (fingerprints of whole fields); read, then rewritten short.
_OLD_MARKER = re.compile(r'^ {0,3}<!-- covtasks:umbrella managed="[^"]*" -->\s*$')
_LABEL = re.compile(r"\*\*(?P<label>(?:(?!\*\*).)+)\*\*")
FIELD_KINDS = ("snapshot", "completed", "improved", "backlog")
_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("snapshot", re.compile(r"latest snapshot\b", re.IGNORECASE)),
    ("completed", re.compile(r"completed modules\b", re.IGNORECASE)),
    ("improved", re.compile(r"(?:significantly )?improved modules\b", re.IGNORECASE)),
    ("backlog", re.compile(r"module backlog\b", re.IGNORECASE)),
)


def find_umbrella(document: Document, umbrella: str) -> Entry | None:
    """The entry whose title or ID is ``umbrella``."""
    for entry in document.entries:
        if umbrella in (entry.title.strip(), entry.ident.strip()):
            return entry
    return None


def field_kind(text: str) -> str | None:
    """Which roadmap field an item's text starts, by its bold label's leading words."""
    match = _LABEL.match(text)
    if match is None:
        return None
    label = match["label"].strip()
    for kind, pattern in _KINDS:
        if pattern.match(label):
            return kind
    return None


def new_field_label(kind: str, facts: RoadmapFacts) -> str:
    names = {
        "snapshot": f"Latest snapshot ({facts.day.isoformat()})",
        "completed": f"Completed modules ({facts.target:g}% coverage)",
        "improved": "Significantly improved modules",
        "backlog": "Module backlog",
    }
    return f"- **{names[kind]}**:"


def fresh_field(kind: str, facts: RoadmapFacts, listed: Listed | None = None) -> list[str]:
    """A field as covtasks first writes it: its label, then what the field's editor adds."""
    label = [new_field_label(kind, facts)]
    new = EDITORS[kind](label, list_items(label)[0], facts, listed or Listed())
    return [f"{new[0]} none."] if len(new) == 1 and kind != "snapshot" else new


def _read_marker(lines: Sequence[str], first: int) -> int | None:
    for number, line in enumerate(lines):
        if line.lstrip().startswith(MARKER_PREFIX):
            if line.strip() != MARKER and _OLD_MARKER.match(line) is None:
                raise TaskFileError(
                    f"line {first + number + 1}: malformed covtasks umbrella marker"
                )
            return number
    return None


def _listed(lines: Sequence[str], fields: dict[str, Item], facts: RoadmapFacts) -> Listed:
    listed = Listed()
    for child in fields["completed"].children if "completed" in fields else ():
        found = leading_module(item_text(lines[child.start], child), facts)
        if found is not None and not facts.modules[found[0]].meets:
            listed.regressed.add(found[0])
    for child in fields["improved"].children if "improved" in fields else ():
        line = lines[child.start]
        found = leading_module(item_text(line, child), facts)
        if found is not None:
            at = text_offset(line, child) + found[1]
            start = with_progress(line, at, facts.modules[found[0]].now, facts.precision)[1]
            if start is not None:
                listed.improved_from[found[0]] = start
    backlog = fields["backlog"].children if "backlog" in fields else []
    for child in [*backlog, *(grand for group in backlog for grand in group.children)]:
        line = lines[child.start]
        found = leading_module(item_text(line, child), facts)
        if found is not None:
            figure = first_figure(line, text_offset(line, child) + found[1])
            if figure is not None:
                listed.backlog_figure[found[0]] = figure
    return listed


Editor = Callable[[list[str], Item, RoadmapFacts, Listed], list[str]]
EDITORS: dict[str, Editor] = {
    "snapshot": edit_snapshot,
    "completed": edit_completed,
    "improved": edit_improved,
    "backlog": edit_backlog,
}


def plan_umbrella(document: Document, entry: Entry, facts: RoadmapFacts) -> list[Edit]:
    """Edits that keep the roadmap entry's numbers and lists true to ``facts``."""
    first = entry.heading + 1
    lines = [line.rstrip("\r\n") for line in document.lines[first : entry.span.end]]
    items = list_items(lines)
    fields: dict[str, Item] = {}
    for item in items:
        kind = field_kind(item_text(lines[item.start], item))
        if kind is not None and kind not in fields:
            fields[kind] = item
    marker = _read_marker(lines, first)
    listed = _listed(lines, fields, facts)
    edits: list[Edit] = []
    added: list[Edit] = []  # fields written afresh
    cursor = items[-1].end if items else len(lines)
    for kind, _pattern in _KINDS:
        found = fields.get(kind)
        if found is not None:
            cursor = found.end
            new = EDITORS[kind](lines, found, facts, listed)
            edits.extend(_line_edits(lines[found.start : found.end], new, first + found.start))
        elif marker is None:
            new = fresh_field(kind, facts, listed)
            added.append(Edit(Span(first + cursor, first + cursor), tuple(new)))
    if marker is None:
        edits.append(Edit(Span(first, first), ("", MARKER)))
    elif lines[marker].strip() != MARKER:
        edits.append(Edit(Span(first + marker, first + marker + 1), (MARKER,)))
    # A field added where the one before it ends comes after that field's own new items.
    ordered = [(edit, 0) for edit in edits] + [(edit, 1) for edit in added]
    ordered.sort(key=lambda pair: (pair[0].span.start, pair[0].span.end, pair[1]))
    return [edit for edit, _ in ordered]


def _line_edits(old: Sequence[str], new: Sequence[str], offset: int) -> list[Edit]:
    """The smallest line edits from ``old`` to ``new``: unchanged lines keep every byte."""
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    return [
        Edit(Span(offset + i1, offset + i2), tuple(new[j1:j2]))
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]
