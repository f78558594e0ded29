"""The task file's located layout kept under .cache/, so an unchanged file is not located again.

Locating entries, sections and markers (``covtasks.document``) in a task file of several
megabytes is a good part of a sync that changes nothing. What it finds depends only on the
text and on the code that locates, so it is kept per text: a layout file is named by a hash
of both, and its first line holds a hash of the rest. A layout file that is missing,
unreadable, too big, of another shape or whose content does not match its hash is ignored
(the text is located again, as without a cache); one that cannot be written is left. It
never changes what covtasks reads or writes: a hit gives the very document a parse gives.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import os
import sys
from pathlib import Path
from types import MappingProxyType
from typing import Any

from covtasks import __version__
from covtasks.document import (
    Document,
    Entry,
    Fence,
    Field,
    Section,
    Span,
    _Layout,
    newline_style,
    parse_document,
    split_lines,
)
from covtasks.errors import CovtasksError
from covtasks.fileio import atomic_write, ensure_inside, make_cache_folder

LAYOUTS = Path(".cache") / "covtasks" / "layouts"
FORMAT = 1
# The layouts of the last few texts: the file as one branch has it and as another has it.
KEEP = 4
# The modules whose code decides what is located, and markdown-it's own (its version).
LOCATING_MODULES = ("covtasks.document", "covtasks.blocks", "covtasks.markers", "markdown_it")


class LayoutCache:
    """Locates texts through the layouts kept under ``root``; keeps a new one when told to.

    A layout worked out here is saved only by :meth:`keep`: a sync keeps it when it leaves the
    task file as it read it, not when it writes the file anew (that text is never read again),
    and never under ``--check`` or ``--dry-run``, which write nothing.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._located: tuple[str, Document] | None = None

    def locate(self, text: str) -> Document:
        """``parse_document(text)``, read from the text's layout file when there is one."""
        key = layout_key(text)
        document = load_layout(self.root, key, text)
        if document is None:
            document = parse_document(text)
            self._located = (key, document)
        return document

    def keep(self) -> None:
        """Save the layout :meth:`locate` worked out last, if it had to."""
        if self._located is not None:
            save_layout(self.root, *self._located)


@functools.lru_cache(maxsize=4)
def code_identity(modules: tuple[str, ...] = LOCATING_MODULES) -> bytes:
    """A hash of what makes the layout: the format, covtasks' and markdown-it's locating code."""
    digest = hashlib.sha256(f"{FORMAT}|{__version__}|{sys.version_info[:2]}".encode())
    for name in modules:
        digest.update(_source_of(name) + b"\0")
    return digest.digest()


def _source_of(name: str) -> bytes:
    """A module's source (markdown-it's holds its version); empty when there is none to read."""
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        return b""
    try:
        return Path(spec.origin).read_bytes()
    except OSError:  # a built-in or frozen module: covtasks' version stands for it
        return b""


def layout_key(text: str) -> str:
    """The name of the text's layout: a hash of the text and of the code that locates."""
    digest = hashlib.sha256(code_identity())
    digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def load_layout(root: Path, key: str, text: str) -> Document | None:
    """The document a parse of ``text`` gives, from its layout file; None when there is none."""
    try:
        path = ensure_inside(root / LAYOUTS / f"{key}.json", root)
        with path.open("rb") as handle:
            # A layout is smaller than its text: fences, its largest part, hold at most the
            # text, which JSON writes in at most six bytes a character. Beyond: not a layout.
            data = handle.read(6 * len(text) + 65_536)
        header, _, payload = data.partition(b"\n")
        head = json.loads(header)
        if head != {"format": FORMAT, "key": key, "check": hashlib.sha256(payload).hexdigest()}:
            return None
        document = _document(text, json.loads(payload))
        os.utime(path)  # recently used: kept when older layouts are dropped
    except (OSError, ValueError, TypeError, KeyError, IndexError, RecursionError, CovtasksError):
        return None
    return document


def save_layout(root: Path, key: str, document: Document) -> None:
    """Keep the document's layout under its key; drop all but the newest few layouts."""
    payload = json.dumps(_record(document), separators=(",", ":")).encode()
    head = {"format": FORMAT, "key": key, "check": hashlib.sha256(payload).hexdigest()}
    try:
        path = ensure_inside(root / LAYOUTS / f"{key}.json", root)
        make_cache_folder(path.parent.parent)
        path.parent.mkdir(exist_ok=True)
        atomic_write(path, json.dumps(head) + "\n" + payload.decode())
        layouts = sorted(path.parent.glob("*.json"), key=lambda file: file.stat().st_mtime_ns)
        for stale in layouts[:-KEEP]:
            stale.unlink(missing_ok=True)
    except (OSError, CovtasksError):
        return


def _record(document: Document) -> dict[str, Any]:
    """The located layout as plain JSON values (the lines are the text's own)."""
    layout = document._layout
    return {
        "entries": [
            [
                entry.heading,
                entry.level,
                entry.span.start,
                entry.span.end,
                entry.status,
                entry.ident,
                entry.title,
                entry.marker,
                dict(entry.attrs),
                [part for item in entry.fields for part in (item.name, *_ends(item.span))],
            ]
            for entry in document.entries
        ],
        "sections": [
            [section.heading, section.level, section.title, *_ends(section.span)]
            for section in document.sections
        ],
        "breaks": sorted(layout.breaks),
        "starts": layout.starts,
        "parents": layout.parents,
        "capture": layout.capture,
        "fences": [[fence.start, fence.info, fence.content] for fence in layout.fences],
    }


def _ends(span: Span) -> tuple[int, int]:
    return span.start, span.end


def _document(text: str, record: dict[str, Any]) -> Document:
    """The document a layout record stands for, with the text's own lines."""
    entries = tuple(
        Entry(
            heading,
            level,
            Span(start, end),
            status,
            ident,
            title,
            marker,
            MappingProxyType(attrs),
            tuple(
                Field(parts[index], Span(parts[index + 1], parts[index + 2]))
                for index in range(0, len(parts), 3)
            ),
        )
        for heading, level, start, end, status, ident, title, marker, attrs, parts in record[
            "entries"
        ]
    )
    sections = tuple(
        Section(heading, level, title, Span(start, end))
        for heading, level, title, start, end in record["sections"]
    )
    layout = _Layout(
        frozenset(record["breaks"]),
        tuple(record["starts"]),
        tuple(record["parents"]),
        record["capture"],
        tuple(Fence(start, info, content) for start, info, content in record["fences"]),
    )
    return Document(split_lines(text), newline_style(text), entries, sections, layout)
