"""What covtasks remembers about each of its entries, kept in the entry's hidden marker.

The marker holds the module (identity), the baseline, the class when it is not
deterministic, the lifecycle dates, attributes a newer covtasks added, and last ``fp``: one
base64 string of 32-bit digests in a fixed order — the notes' inputs, the heading's status
word, then each template field in template order (zero: nothing covtasks wrote there).
Markers of earlier versions (``state``, ``status``, ``notes``, ``nature``, ``managed``)
read into the same memory: their digests are longer prefixes of the same hashes.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction
from urllib.parse import unquote

from covtasks.errors import TaskFileError
from covtasks.numbers import display_percent

OPEN = "open"
PROGRESS = "progress"
DONE = "done"
STATES = (OPEN, PROGRESS, DONE)
DETERMINISTIC = "deterministic"

# A class is written as its letter, with the testable gap after it when the notes give one
# (``stochastic:12`` → ``s12``); a class this table does not know is written in full.
CLASS_LETTERS = {
    "deterministic": "d",
    "stochastic": "s",
    "hardware-sensitive": "h",
    "platform-specific": "p",
    "optional-dependency": "o",
    "type-only": "t",
}
_CLASS_OF_LETTER = {letter: name for name, letter in CLASS_LETTERS.items()}
_CLASS_CODE = re.compile(r"(?P<letter>[a-z])(?P<gap>[0-9]*)")

# What this version writes, and what earlier versions wrote; any other attribute is kept.
CURRENT_KEYS = ("module", "base", "class", "completed", "regressed", "unmeasured", "fp")
# ``baseline`` is also what a person writes to adopt an entry (``baseline="61.20"``).
LEGACY_KEYS = ("baseline", "state", "status", "notes", "nature", "managed")

_DIGEST_BYTES = 4
_FIXED_SLOTS = 2  # the notes' inputs, then the status word
_BASE64 = re.compile(r"[A-Za-z0-9+/]*")
_LEGACY_DIGEST = re.compile(r"[0-9a-f]{8}[0-9a-f]*")

# Plain decimals only: an exponent or a long tail would make a denominator too big to write back.
_PERCENT = re.compile(r"[0-9]{1,3}(?:\.[0-9]{1,12})?")


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
    value = int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:_DIGEST_BYTES], "big")
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

    def to_attrs(self, field_names: Sequence[str]) -> dict[str, str]:
        """The marker's attributes; ``field_names`` (template order) place the digests."""
        attrs = {"module": self.module}
        if self.baseline is not None:
            base = self.baseline
            attrs["base"] = f"{base.covered}/{base.total}@{base.day}"
        if self.nature and self.nature != DETERMINISTIC:
            attrs["class"] = _class_code(self.nature)
        dates = {
            "completed": self.completed,
            "regressed": self.regressed,
            "unmeasured": self.unmeasured,
        }
        attrs.update({key: value for key, value in dates.items() if value})
        attrs.update({key: value for key, value in self.extra.items() if key not in attrs})
        slots = [self.notes, self.status, *(self.managed.get(name, 0) for name in field_names)]
        while slots and not slots[-1]:
            slots.pop()
        if slots:
            packed = b"".join(slot.to_bytes(_DIGEST_BYTES, "big") for slot in slots)
            attrs["fp"] = base64.b64encode(packed).decode("ascii").rstrip("=")
        return attrs


def _baseline(text: str) -> Baseline | None:
    """``covered/total@day`` as covtasks writes it, or a percent (``61.20``) a person wrote."""
    amount, _, day = text.partition("@")
    if "/" in amount:
        try:
            covered_text, total_text = amount.split("/")
            covered, total = int(covered_text), int(total_text)
        except ValueError:
            return None
    elif _PERCENT.fullmatch(amount):
        share = Fraction(Decimal(amount)) / 100
        covered, total = share.numerator, share.denominator
    else:
        return None
    if not 0 <= covered <= total or not _is_day(day):
        return None
    return Baseline(covered, total, day)


def _is_day(text: str) -> bool:
    """Empty (a percent a person wrote) or a YYYY-MM-DD date."""
    try:
        return not text or bool(dt.date.fromisoformat(text))
    except ValueError:
        return False


def memory_from_attrs(
    attrs: Mapping[str, str], line: int, field_names: Sequence[str] = ()
) -> Memory:
    """Read a marker back; a marker a person broke is an error naming its line.

    ``field_names`` are the template's fields in order, which ``fp`` digests follow.
    """

    def fail(problem: str) -> TaskFileError:
        return TaskFileError(f"line {line + 1}: covtasks marker {problem}")

    module = attrs.get("module", "")
    if not module:
        raise fail("has no module")
    baseline = None
    written = attrs.get("base", attrs.get("baseline"))
    if written is not None:
        baseline = _baseline(written)
        if baseline is None:
            raise fail(f"has a malformed baseline {written!r}")
    completed, regressed = attrs.get("completed", ""), attrs.get("regressed", "")
    # The lifecycle follows from the dates; an earlier version wrote it out.
    state = attrs.get("state", DONE if completed and not regressed else OPEN)
    if state not in STATES:
        raise fail(f"has an unknown state {state!r}")
    memory = Memory(
        module=module,
        state=state,
        baseline=baseline,
        completed=completed,
        regressed=regressed,
        unmeasured=attrs.get("unmeasured", ""),
        nature=_class_name(attrs.get("class", "")),
        extra={k: v for k, v in attrs.items() if k not in CURRENT_KEYS + LEGACY_KEYS},
    )
    if "fp" in attrs:
        slots = _slots(attrs["fp"])
        if slots is None:
            raise fail(f"has a malformed fp {attrs['fp']!r}")
        slots += [0] * (_FIXED_SLOTS + len(field_names) - len(slots))
        notes, status, digests = slots[0], slots[1], slots[_FIXED_SLOTS:]
        # Digests past the template's fields belong to fields it no longer has.
        named = zip(field_names, digests[: len(field_names)], strict=True)
        managed = {name: digest for name, digest in named if digest}
        nature = memory.nature or (DETERMINISTIC if notes else "")
        return replace(memory, status=status, notes=notes, nature=nature, managed=managed)
    return replace(
        memory,
        status=text_digest(attrs["status"]) if attrs.get("status") else 0,
        notes=text_digest(attrs["notes"]) if attrs.get("notes") else 0,
        nature=memory.nature or attrs.get("nature", ""),
        managed=_legacy_managed(attrs.get("managed", ""), fail),
    )


def _class_code(nature: str) -> str:
    """``s`` for ``stochastic``, ``d12`` for ``deterministic:12``; others as they are."""
    name, colon, gap = nature.partition(":")
    letter = CLASS_LETTERS.get(name)
    if letter is None or (colon and not (gap.isascii() and gap.isdigit())):
        return nature
    return letter + gap


def _class_name(code: str) -> str:
    """The class a ``class`` attribute names: the inverse of ``_class_code``."""
    match = _CLASS_CODE.fullmatch(code)
    if match is None or match["letter"] not in _CLASS_OF_LETTER:
        return code
    name = _CLASS_OF_LETTER[match["letter"]]
    return f"{name}:{match['gap']}" if match["gap"] else name


def _slots(text: str) -> list[int] | None:
    """The digests packed in ``fp``, or None when it is not what covtasks writes."""
    if not _BASE64.fullmatch(text):
        return None
    try:
        packed = base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except binascii.Error:
        return None
    if len(packed) % _DIGEST_BYTES:
        return None
    return [
        int.from_bytes(packed[start : start + _DIGEST_BYTES], "big")
        for start in range(0, len(packed), _DIGEST_BYTES)
    ]


def _legacy_managed(text: str, fail: Callable[[str], TaskFileError]) -> dict[str, int]:
    """``Name=hexdigest,...`` as earlier versions wrote it; an unreadable digest matches nothing."""
    managed: dict[str, int] = {}
    for item in filter(None, text.split(",")):
        name, _, digest = item.rpartition("=")
        if not name:
            raise fail("has a malformed managed list")
        found = _LEGACY_DIGEST.fullmatch(digest)
        managed[unquote(name)] = (int(digest[:8], 16) or 1) if found else 0
    return managed
