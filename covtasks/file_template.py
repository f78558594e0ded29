"""Entries in the file's own shape: the task file's ``<details>`` template, adopted.

A section may hold a ``<details>`` block with a fenced ``markdown`` template whose first line
looks like a task heading (``## Open · tv-YYYY-MM-DD:PR### · <Short title>``). New entries
then use that template's field labels in its order, filled where covtasks has something to
say (Summary, Priority, Size, Dependencies, Next steps, Validation, Git plan, PR) and left
out where it has not (``Meta?``); covtasks' own fields (Owner, Coverage, Missing, DI/fixture
notes) follow. The heading level follows the file's task entries, not the template's.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from operator import itemgetter

from covtasks.document import Document, Section, Span
from covtasks.template import EntryTemplate, TemplateField

TASK_FILE = "task-file"  # `template = "task-file"`: adopt the file's template wherever it is
_TASK_HEADING = re.compile(r"#{1,6} .+ · .+ · .+")
_FIELD = re.compile(r"\s{0,3}[-*+] \*\*(?P<name>(?:(?!\*\*).)+)\*\*:")
_DETAILS = re.compile(r"<(/?)details(?=[\s/>]|$)", re.IGNORECASE)
_ORDERED = re.compile(r"(?P<indent> *)(?P<number>[0-9]{1,9})[.)] ")
# What covtasks can fill, by the label's words (lowercase, punctuation dropped).
FILLABLE = {
    "summary": "${summary}",
    "priority": "${priority}",
    "size": "${size}",
    "dependencies": "${dependencies}",
    "next steps": "${next_steps}",
    "validation": "${validation}",
    "git plan": "${git_plan}",
    "pr": "${pr}",
    "owner": "${owner}",
    "milestone": "${milestone}",
    "coverage": "${coverage}",
    "missing": "${missing}",
    "di fixture notes": "${notes}",
}
OWN_FIELDS = (
    ("Owner", "${owner}"),
    ("Milestone", "${milestone}"),
    ("Coverage", "${coverage}"),
    ("Missing", "${missing}"),
    ("DI/fixture notes", "${notes}"),
)
DEFAULTS = {"validation": "`pytest`; `covtasks check`"}


def _words(label: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", label.lower()).split())


def template_labels(document: Document, section: Section | None) -> tuple[str, ...] | None:
    """The field labels of the first ``<details>`` task template in ``section`` (the whole
    file when None), or None when there is none with a field."""
    span = Span(0, len(document.lines)) if section is None else section.span
    depth, counted = 0, span.start  # <details> depth after the lines before `counted`
    # The fences the file's one parse found (a heading ends every block, so the section's
    # own parse finds the same; a property test says so): parsing the section again, which
    # holds every entry, was a third of a no-op sync.
    for fence in document.fences(span):
        body = [line for line in fence.content.splitlines() if line.strip()]
        markdown = fence.info.strip().lower() in ("markdown", "md")
        if not (markdown and body and _TASK_HEADING.fullmatch(body[0].strip())):
            continue
        # Lines are read for <details> tags only as far as a candidate: the template is
        # near the top, the entries below it.
        for line in document.lines[counted : fence.start + 1]:
            for tag in _DETAILS.finditer(line.rstrip("\r\n")):
                depth += -1 if tag.group(1) else 1
        counted = fence.start + 1
        if depth > 0:  # inside a <details> block
            labels = tuple(
                match["name"].strip() for line in body[1:] if (match := _FIELD.match(line))
            )
            if labels:
                return labels
    return None


def adopted_template(labels: Sequence[str], level: int) -> EntryTemplate:
    """An entry template with the file's labels covtasks can fill, then its own fields."""
    fields = [
        TemplateField(label, FILLABLE[_words(label)], _placeholders(FILLABLE[_words(label)]))
        for label in labels
        if _words(label) in FILLABLE
    ]
    taken = {FILLABLE[_words(label)] for label in labels if _words(label) in FILLABLE}
    if "${dependencies}" in taken:
        taken.add("${milestone}")  # the milestone is said under Dependencies
    fields += [
        TemplateField(name, text, _placeholders(text))
        for name, text in OWN_FIELDS
        if text not in taken
    ]
    heading = "#" * level + " ${status} · ${id} · Cover ${path} to ${target}%"
    return EntryTemplate(heading, tuple(fields), TASK_FILE, DEFAULTS)


def _placeholders(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"\$\{(\w+)\}", text))


def entry_level(document: Document) -> int:
    """The heading level most of the file's task entries use (3 without any)."""
    levels = Counter(entry.level for entry in document.entries)
    return levels.most_common(1)[0][0] if levels else 3


def numbering(document: Document) -> str:
    """``repeat`` when the file numbers ordered lists ``1. 1. 1.``, else ``sequence``."""
    lines = document.lines
    repeat = sequence = 0
    above: tuple[int, str | None, int] = (-2, None, 0)  # line, indent, number of the item above
    # Ordered items are found in one pass at C speed. An item votes with the one above it
    # when only blank lines lie between and both are equally indented.
    for index, match in filter(itemgetter(1), enumerate(map(_ORDERED.match, lines))):
        assert match is not None  # the filter kept the lines that match
        indent, number = match["indent"], int(match["number"])
        line, above_indent, above_number = above
        if indent == above_indent and (
            index == line + 1 or not any(text.strip() for text in lines[line + 1 : index])
        ):
            repeat += number == above_number
            sequence += number != above_number
        above = (index, indent, number)
    return "repeat" if repeat > sequence else "sequence"
