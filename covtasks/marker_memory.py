"""An entry's memory in its marker: written in the compact shape, read from any version's.

``<!-- covtasks:entry m="pkg/mod.py" b="11/17@20261126,c3" c="d6" fp="…" -->``

- ``m``: the module, the entry's identity.
- ``b``: the baseline, then the lifecycle. The baseline is ``covered/total@YYYYMMDD``:
  lines plus branches covered, of all, on the day covtasks first saw the gap (a percent
  a person wrote has no day). Each lifecycle event follows after a comma: ``c`` completed,
  ``r`` regressed, ``u`` no longer measured, with its day counted from the baseline's
  (``c12``: 12 days after; ``c-30``: 30 days before; no number: that very day), or as
  ``@YYYYMMDD`` when the baseline has no day. Completed and not regressed is done, anything
  else open: the next sync tells open from in progress by the numbers.
- ``c``: the module's class as a letter, with the testable gap the notes found (``d6``:
  deterministic, 6 missing lines and branches of test work); none for plain deterministic.
- attributes a newer covtasks wrote, kept as they are; then
- ``fp``: base64 of 32-bit digests in a fixed order: the notes' inputs, the heading's status
  word, then each template field in template order (zero: nothing covtasks wrote there).

A lifecycle day as a count from the baseline keeps a marker of any state within 180
characters for a 40-character path (with the default template's nine fields). The previous
version wrote ``module``, ``base``, ``class``, ``completed``, ``regressed`` and
``unmeasured``; the first ``baseline``, ``state``, ``status``, ``notes``, ``nature`` and
``managed`` (``Field=hexdigest`` pairs, longer prefixes of the same hashes). Both read into
the same memory.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction
from urllib.parse import unquote

from covtasks.errors import TaskFileError
from covtasks.memory import (
    DETERMINISTIC,
    DIGEST_BYTES,
    DONE,
    OPEN,
    STATES,
    Baseline,
    Memory,
    text_digest,
)

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

# The lifecycle events of ``b``, in the order they are written, and the memory's date each sets.
EVENTS = (("c", "completed"), ("r", "regressed"), ("u", "unmeasured"))
_EVENT_OF_LETTER = dict(EVENTS)

# What this version writes, and what earlier versions wrote; any other attribute is kept.
CURRENT_KEYS = ("m", "b", "c", "fp")
# ``module`` and ``baseline`` are also what a person writes to adopt an entry.
LEGACY_KEYS = (
    *("module", "base", "class", "completed", "regressed", "unmeasured"),
    *("baseline", "state", "status", "notes", "nature", "managed"),
)

_FIXED_SLOTS = 2  # the notes' inputs, then the status word
_LEGACY_DIGEST = re.compile(r"[0-9a-f]{8}[0-9a-f]*")
_DAY = re.compile(r"(?P<year>[0-9]{4})(-?)(?P<month>[0-9]{2})\2(?P<day>[0-9]{2})")
# A day count of up to five digits (273 years) cannot leave the calendar's range.
_MOST_DAYS = 99_999
_EVENT = re.compile(r"(?P<letter>[a-z])(?:@(?P<date>[0-9-]+)|(?P<days>-?[0-9]{1,5})?)")
# Plain decimals only: an exponent or a long tail would make a denominator too big to write back.
_PERCENT = re.compile(r"[0-9]{1,3}(?:\.[0-9]{1,12})?")


def marker_module(attrs: Mapping[str, str]) -> str:
    """The module a marker names: ``m``, or ``module`` as earlier versions and people write."""
    return attrs["m"] if "m" in attrs else attrs.get("module", "")


def marker_attrs(memory: Memory, field_names: Sequence[str]) -> dict[str, str]:
    """The marker's attributes; ``field_names`` (template order) place the digests."""
    attrs = {"m": memory.module}
    lifecycle = _lifecycle_text(memory)
    if lifecycle:
        attrs["b"] = lifecycle
    if memory.nature and memory.nature != DETERMINISTIC:
        attrs["c"] = _class_code(memory.nature)
    attrs.update({key: value for key, value in memory.extra.items() if key not in attrs})
    slots = [memory.notes, memory.status, *(memory.managed.get(name, 0) for name in field_names)]
    while slots and not slots[-1]:
        slots.pop()
    if slots:
        packed = b"".join(slot.to_bytes(DIGEST_BYTES, "big") for slot in slots)
        attrs["fp"] = base64.b64encode(packed).decode("ascii").rstrip("=")
    return attrs


def _lifecycle_text(memory: Memory) -> str:
    """``b``: ``covered/total@YYYYMMDD`` then ``,c12``-style events; "" when there is neither."""
    base = memory.baseline
    anchor = None
    amount = ""
    if base is not None:
        amount = f"{base.covered}/{base.total}"
        if base.day:
            anchor = dt.date.fromisoformat(base.day)
            amount += "@" + _basic(anchor)
    parts = [amount]
    for letter, name in EVENTS:
        day = getattr(memory, name)
        if not day:
            continue
        when = dt.date.fromisoformat(day)
        days = None if anchor is None else (when - anchor).days
        if days is None or abs(days) > _MOST_DAYS:  # a day a person wrote far away: in full
            parts.append(f"{letter}@{_basic(when)}")
        else:
            parts.append(f"{letter}{days}" if days else letter)
    return ",".join(parts)


def _basic(day: dt.date) -> str:
    """``YYYYMMDD``, the year in four digits."""
    return day.isoformat().replace("-", "")


def memory_from_attrs(
    attrs: Mapping[str, str], line: int, field_names: Sequence[str] = ()
) -> Memory:
    """Read a marker back; a marker a person broke is an error naming its line.

    ``field_names`` are the template's fields in order, which ``fp`` digests follow.
    """

    def fail(problem: str) -> TaskFileError:
        return TaskFileError(f"line {line + 1}: covtasks marker {problem}")

    module = marker_module(attrs)
    if not module:
        raise fail("has no module")
    dates: dict[str, str] = {}
    if "b" in attrs:
        read = _read_lifecycle(attrs["b"])
        if read is None:
            raise fail(f"has a malformed b {attrs['b']!r}")
        baseline, dates = read
    else:
        baseline = None
        written = attrs.get("base", attrs.get("baseline"))
        if written is not None:
            baseline = _baseline(written)
            if baseline is None:
                raise fail(f"has a malformed baseline {written!r}")
    for _letter, name in EVENTS:
        written = attrs.get(name, "")
        if name not in dates and written:  # as the previous version wrote it
            dates[name] = _day(written) or ""
            if not dates[name]:
                raise fail(f"has a malformed {name} date {written!r}")
    completed, regressed = dates.get("completed", ""), dates.get("regressed", "")
    # The lifecycle follows from the dates; the first version wrote it out.
    state = attrs.get("state", DONE if completed and not regressed else OPEN)
    if state not in STATES:
        raise fail(f"has an unknown state {state!r}")
    memory = Memory(
        module=module,
        state=state,
        baseline=baseline,
        completed=completed,
        regressed=regressed,
        unmeasured=dates.get("unmeasured", ""),
        nature=_class_name(attrs.get("c", attrs.get("class", ""))),
        extra={k: v for k, v in attrs.items() if k not in CURRENT_KEYS + LEGACY_KEYS},
    )
    if "fp" in attrs:
        slots = _slots(attrs["fp"])
        if slots is None:
            raise fail(f"has a malformed fp {attrs['fp']!r}")
        # Trailing empty slots are not written, so a field past the last slot has none;
        # digests past the template's fields belong to fields it no longer has.
        notes, status = [*slots, 0, 0][:_FIXED_SLOTS]
        named = zip(field_names, slots[_FIXED_SLOTS:], strict=False)
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


def _read_lifecycle(text: str) -> tuple[Baseline | None, dict[str, str]] | None:
    """The baseline and the lifecycle dates ``b`` holds, or None when it is not readable."""
    amount, *events = text.split(",")
    baseline = _baseline(amount) if amount else None
    if amount and baseline is None:
        return None
    anchor = None if baseline is None or not baseline.day else dt.date.fromisoformat(baseline.day)
    dates: dict[str, str] = {}
    for event in events:
        match = _EVENT.fullmatch(event)
        name = None if match is None else _EVENT_OF_LETTER.get(match["letter"])
        if match is None or name is None or name in dates:
            return None
        if match["date"] is not None:
            day = _day(match["date"])
        elif anchor is not None:
            day = (anchor + dt.timedelta(days=int(match["days"] or 0))).isoformat()
        else:
            day = None  # a count of days with no baseline day to count from
        if day is None:
            return None
        dates[name] = day
    return baseline, dates


def _baseline(text: str) -> Baseline | None:
    """``covered/total@day`` as covtasks writes it, or a percent (``61.20``) a person wrote."""
    amount, _, written_day = text.partition("@")
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
    day = _day(written_day) if written_day else ""
    if not 0 <= covered <= total or day is None:
        return None
    return Baseline(covered, total, day)


def _day(text: str) -> str | None:
    """A ``YYYY-MM-DD`` or ``YYYYMMDD`` day as ``YYYY-MM-DD``; None for anything else."""
    match = _DAY.fullmatch(text)
    if match is None:
        return None
    try:
        return dt.date(int(match["year"]), int(match["month"]), int(match["day"])).isoformat()
    except ValueError:
        return None


def _class_code(nature: str) -> str:
    """``s`` for ``stochastic``, ``d12`` for ``deterministic:12``; others as they are."""
    name, colon, gap = nature.partition(":")
    letter = CLASS_LETTERS.get(name)
    if letter is None or (colon and not (gap.isascii() and gap.isdigit())):
        return nature
    return letter + gap


def _class_name(code: str) -> str:
    """The class a ``c`` attribute names: the inverse of ``_class_code``."""
    match = _CLASS_CODE.fullmatch(code)
    if match is None or match["letter"] not in _CLASS_OF_LETTER:
        return code
    name = _CLASS_OF_LETTER[match["letter"]]
    return f"{name}:{match['gap']}" if match["gap"] else name


def _slots(text: str) -> list[int] | None:
    """The digests packed in ``fp``, or None when it is not what covtasks writes."""
    try:  # written without padding; any character outside the alphabet is an error
        packed = base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except ValueError:  # binascii.Error, or a character that is not ASCII
        return None
    if len(packed) % DIGEST_BYTES:
        return None
    return [
        int.from_bytes(packed[start : start + DIGEST_BYTES], "big")
        for start in range(0, len(packed), DIGEST_BYTES)
    ]


def _legacy_managed(text: str, fail: Callable[[str], TaskFileError]) -> dict[str, int]:
    """``Name=hexdigest,...`` as the first version wrote it; a bad digest matches nothing."""
    managed: dict[str, int] = {}
    for item in filter(None, text.split(",")):
        name, _, digest = item.rpartition("=")
        if not name:
            raise fail("has a malformed managed list")
        found = _LEGACY_DIGEST.fullmatch(digest)
        managed[unquote(name)] = (int(digest[:8], 16) or 1) if found else 0
    return managed
