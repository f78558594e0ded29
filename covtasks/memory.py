"""What covtasks remembers about each of its entries, and the digests that tell its text.

The memory (identity, baseline, lifecycle, class, and a 32-bit digest of the notes' inputs,
of the heading's status word and of each field covtasks wrote) lives in the entry's hidden
marker; ``covtasks.marker_memory`` writes and reads it there.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from covtasks.numbers import display_percent

OPEN = "open"
PROGRESS = "progress"
DONE = "done"
STATES = (OPEN, PROGRESS, DONE)
DETERMINISTIC = "deterministic"

DIGEST_BYTES = 4  # a digest: the first 32 bits of a SHA-256


def fingerprint(lines: Sequence[str]) -> str:
    """A short hash of a field's text, so a later sync can tell whether a person edited it."""
    return hashlib.sha256(_field_text(lines).encode("utf-8")).hexdigest()[:10]


def field_digest(lines: Sequence[str]) -> int:
    """A field's 32-bit digest: the first 32 bits of the hash ``fingerprint`` shows in hex.

    Markers of earlier versions hold ``fingerprint``; reading them takes its first eight hex
    digits, so a field covtasks wrote then still reads as its own now.
    """
    return text_digest(_field_text(lines))


def text_digest(text: str) -> int:
    """The first 32 bits of the text's SHA-256; 0 is kept for "nothing recorded"."""
    value = int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:DIGEST_BYTES], "big")
    return value or 1


def _field_text(lines: Sequence[str]) -> str:
    return "\n".join(line.rstrip("\r\n") for line in lines)


def unwrapped_digest(lines: Sequence[str]) -> int:
    """The digest of a field as ``unwrapped`` reads it: what covtasks records for a field it
    writes. For a field without soft line breaks it equals ``field_digest``."""
    return text_digest("\n".join(unwrapped(lines)))


def is_written(lines: Sequence[str], written: set[int] | frozenset[int]) -> bool:
    """Whether the field reads as covtasks wrote it: as recorded, or rewrapped since."""
    return field_digest(lines) in written or unwrapped_digest(lines) in written


_LIST_ITEM = re.compile(r"(?:[-*+]|[0-9]{1,9}[.)])(?:[ \t]|$)")


def unwrapped(lines: Sequence[str]) -> list[str]:
    """A field's lines with soft line breaks joined and their indentation dropped.

    ``mdformat --wrap N`` or prettier's ``proseWrap`` break a long value over indented
    continuation lines; joined back, the field reads (and hashes) as it did, so a rewrapped
    field is still covtasks' own. Nested list items and blank lines stay lines of their own.
    """
    out: list[str] = []
    for raw in lines:
        line = raw.rstrip("\r\n").rstrip(" \t")
        text = line.lstrip(" \t")
        if out and out[-1] and text and not _LIST_ITEM.match(text):
            out[-1] = f"{out[-1]} {text}"
        else:
            out.append(line)
    return out


@dataclass(frozen=True, slots=True)
class Baseline:
    """Combined coverage when covtasks first saw the gap: exact counts, and the day."""

    covered: int
    total: int
    day: str

    @property
    def exact(self) -> Fraction:
        return Fraction(100 * self.covered, self.total) if self.total else Fraction(100)

    def display(self, precision: int) -> str:
        return display_percent(self.covered, self.total, precision)


@dataclass(frozen=True, slots=True)
class Memory:
    """The marker's content: identity, lifecycle, and the digest of what covtasks wrote."""

    module: str
    state: str = OPEN
    status: int = 0  # digest of the status word covtasks last wrote in the heading
    baseline: Baseline | None = None
    completed: str = ""
    regressed: str = ""
    unmeasured: str = ""
    notes: int = 0  # digest of what the notes were made from; same inputs, same notes
    nature: str = ""  # the module's class, found with the notes; "" when not yet known
    managed: Mapping[str, int] = field(default_factory=dict)  # field name → digest
    extra: Mapping[str, str] = field(default_factory=dict)  # attributes of newer versions
