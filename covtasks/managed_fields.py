"""Managed until edited: refresh each field of an entry still reading what covtasks wrote.

A field is covtasks' while its digest is one the marker recorded (a formatter's rewrapping
does not count as an edit); a person's edit makes it
theirs (noted once covtasks would write something new there), a field a person deleted
stays deleted, and a field the template gains is added where the template puts it.
"""

from __future__ import annotations

from collections.abc import Mapping

from covtasks.document import Document, Edit, Entry, Span
from covtasks.memory import Memory, is_written, unwrapped, unwrapped_digest
from covtasks.template import EntryTemplate, RenderedField, render_fields


def field_edits(
    document: Document,
    entry: Entry,
    old: Memory,
    values: Mapping[str, str],
    template: EntryTemplate,
    kept: list[tuple[str, str]],
    add_missing: bool,
) -> tuple[list[Edit], dict[str, int]]:
    """Edits refreshing the entry's fields, and the digests the marker keeps after them.

    Fields covtasks leaves to a person (and would now write differently) go to ``kept``.

    ``add_missing`` is false for an entry a person adopted with a bare marker: covtasks
    then keeps to the fields already there instead of filling the entry with its own.
    """
    existing = {found.name: found for found in entry.fields}
    rendered: dict[str, RenderedField] = {
        item.name: item for item in render_fields(template, values)
    }
    managed = dict(old.managed)
    # A digest names its field (the label is part of the text), so a field still reads as
    # covtasks' even when the template's fields moved since the marker was written.
    written = set(old.managed.values()) - {0}
    edits: list[Edit] = []
    insert_at = _first_field_line(entry, document)
    known = values.keys() | template.defaults.keys()
    for template_field in template.fields:
        name = template_field.name
        new = rendered.get(name)
        found = existing.get(name)
        # A field whose placeholders covtasks has no values for this time (an unmeasured
        # module has no owner or numbers) keeps what it says.
        speaks = template_field.placeholders <= known
        if found is None:
            if add_missing and new is not None and name not in old.managed:
                edits.append(Edit(Span(insert_at, insert_at), new.lines))
                managed[name] = unwrapped_digest(new.lines)
            continue
        insert_at = found.span.end
        current = [
            line.rstrip("\r\n") for line in document.lines[found.span.start : found.span.end]
        ]
        if not speaks:
            continue
        if not is_written(current, written):
            # Only worth a note when covtasks would now write something new there.
            if new is None or unwrapped_digest(new.lines) != old.managed.get(name):
                kept.append((old.module, name))
            continue
        if new is None:
            edits.append(Edit(found.span, ()))
            managed.pop(name, None)
        else:
            # A field a formatter rewrapped reads the same: it is left as it is until its
            # values change, and then written unwrapped.
            if unwrapped(new.lines) != unwrapped(current):
                edits.append(Edit(found.span, new.lines))
            managed[name] = unwrapped_digest(new.lines)
    return edits, managed


def _first_field_line(entry: Entry, document: Document) -> int:
    if entry.fields:
        return entry.fields[0].span.start
    return entry.span.end
