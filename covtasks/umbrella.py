"""The umbrella (roadmap) entry's snapshot fields: refreshed by sync, managed until edited."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from urllib.parse import quote, unquote

from covtasks.document import Document, Edit, Entry, Field, Span
from covtasks.errors import TaskFileError
from covtasks.memory import fingerprint

MARKER_PREFIX = "<!-- covtasks:umbrella"
MARKER = re.compile(r'^ {0,3}<!-- covtasks:umbrella managed="(?P<managed>[^"]*)" -->\s*$')
TRAILING_PARENTHESES = re.compile(r"\s*\([^()]*\)$")
ITEM_PATH = re.compile(r"^ {2,}[-*+] (?:\S+ )?`(?P<path>[^`]+)`")
# Lists whose history matters: items about modules covtasks has no baseline for are kept.
CARRIED = ("Completed modules", "Significantly improved modules")


def field_stem(name: str) -> str:
    """``Latest snapshot (2026-11-26)`` and ``Latest snapshot (2025-09-27)`` are one field."""
    return TRAILING_PARENTHESES.sub("", name).strip()


def find_umbrella(document: Document, umbrella: str) -> Entry | None:
    """The entry whose title or ID is ``umbrella``."""
    for entry in document.entries:
        if umbrella in (entry.title.strip(), entry.ident.strip()):
            return entry
    return None


def format_umbrella_marker(managed: Mapping[str, str]) -> str:
    items = ",".join(f"{quote(stem, safe=' ')}={digest}" for stem, digest in managed.items())
    return f'{MARKER_PREFIX} managed="{items}" -->'


def _read_marker(document: Document, entry: Entry) -> tuple[int | None, dict[str, str] | None]:
    for number in range(entry.span.start, entry.span.end):
        line = document.lines[number]
        if line.lstrip().startswith(MARKER_PREFIX):
            match = MARKER.match(line)
            if match is None:
                raise TaskFileError(f"line {number + 1}: malformed covtasks umbrella marker")
            managed = {}
            for item in filter(None, match["managed"].split(",")):
                stem, _, digest = item.rpartition("=")
                managed[unquote(stem)] = digest
            return number, managed
    return None, None


def _item_path(line: str) -> str | None:
    match = ITEM_PATH.match(line)
    return None if match is None else match["path"]


def carried_items(
    stem: str,
    current: Sequence[str],
    new: Sequence[str],
    still_true: Callable[[str, str], bool],
) -> list[str]:
    """The field's new lines plus earlier items (a person's, or from before the history
    began) about modules the new list does not name, while they still hold."""
    if stem not in CARRIED or not current:
        return list(new)
    named = {_item_path(line) for line in new}
    extra = [
        line
        for line in current[1:]
        if (path := _item_path(line)) is not None and path not in named and still_true(stem, path)
    ]
    if not extra:
        return list(new)
    head = new[0].removesuffix(" none.")
    return [head, *new[1:], *extra]


def plan_snapshot(
    document: Document,
    entry: Entry,
    fields: Mapping[str, Sequence[str]],
    still_true: Callable[[str, str], bool] = lambda _stem, _path: False,
) -> tuple[list[Edit], list[str]]:
    """Edits that bring the entry's snapshot fields up to date, and the fields left alone.

    The first sync takes the fields over (configuring ``umbrella`` asks covtasks to keep
    them); from then on a field is refreshed only while it reads what covtasks last wrote.
    """
    marker_line, managed = _read_marker(document, entry)
    existing: dict[str, Field] = {field_stem(found.name): found for found in entry.fields}
    new_managed: dict[str, str] = {}
    edits: list[Edit] = []
    kept: list[str] = []
    cursor = entry.fields[-1].span.end if entry.fields else entry.span.end
    for name, rendered in fields.items():
        stem = field_stem(name)
        lines: Sequence[str] = rendered
        found = existing.get(stem)
        if found is None:
            digest = fingerprint(lines)
            if managed is None or stem not in managed:
                edits.append(Edit(Span(cursor, cursor), tuple(lines)))
                new_managed[stem] = digest
            continue  # a field a person deleted stays deleted
        cursor = found.span.end  # missing fields that follow go after this one
        current = [
            line.rstrip("\r\n") for line in document.lines[found.span.start : found.span.end]
        ]
        lines = carried_items(stem, current, lines, still_true)
        digest = fingerprint(lines)
        if managed is not None and managed.get(stem) != fingerprint(current):
            if managed.get(stem) != digest:
                kept.append(stem)
            if stem in managed:
                new_managed[stem] = managed[stem]
            continue
        if current != list(lines):
            edits.append(Edit(found.span, tuple(lines)))
        new_managed[stem] = digest
    marker = format_umbrella_marker(new_managed)
    if marker_line is None:
        at = entry.heading + 1
        edits.append(Edit(Span(at, at), ("", marker)))
    elif document.lines[marker_line].rstrip("\r\n") != marker:
        edits.append(Edit(Span(marker_line, marker_line + 1), (marker,)))
    return sorted(edits, key=lambda edit: (edit.span.start, edit.span.end)), kept
