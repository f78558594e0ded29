"""What covtasks remembers about each of its entries, kept in the entry's hidden marker."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
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

# Plain decimals only: an exponent or a long tail would make a denominator too big to write back.
_PERCENT = re.compile(r"[0-9]{1,3}(?:\.[0-9]{1,12})?")


def fingerprint(lines: Sequence[str]) -> str:
    """A short hash of a field's text, so a later sync can tell whether a person edited it."""
    text = "\n".join(line.rstrip("\r\n") for line in lines)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


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
    """The marker's content: identity, lifecycle, and the fingerprint of each managed field."""

    module: str
    state: str
    status: str
    baseline: Baseline | None
    completed: str = ""
    regressed: str = ""
    unmeasured: str = ""
    notes: str = ""  # fingerprint of what the notes were made from; same inputs, same notes
    nature: str = ""  # deterministic / stochastic / hardware-sensitive, found with the notes
    managed: Mapping[str, str] = field(default_factory=dict)

    def to_attrs(self) -> dict[str, str]:
        attrs = {"module": self.module, "state": self.state, "status": self.status}
        if self.baseline is not None:
            base = self.baseline
            attrs["baseline"] = f"{base.covered}/{base.total}@{base.day}"
        optional = {
            "completed": self.completed,
            "regressed": self.regressed,
            "unmeasured": self.unmeasured,
            "notes": self.notes,
            "nature": self.nature,
        }
        attrs.update({key: value for key, value in optional.items() if value})
        attrs["managed"] = ",".join(
            f"{_escape_name(name)}={digest}" for name, digest in self.managed.items()
        )
        return attrs

    def with_managed(self, managed: Mapping[str, str]) -> Memory:
        return replace(self, managed=dict(managed))


def _escape_name(name: str) -> str:
    # Field names come from the template and may hold "," (the list separator); "%" is
    # escaped too so unquote() gives back exactly the name.
    return name.replace("%", "%25").replace(",", "%2C")


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
    if not 0 <= covered <= total:
        return None
    return Baseline(covered, total, day)


def memory_from_attrs(attrs: Mapping[str, str], line: int) -> Memory:
    """Read a marker back; a marker a person broke is an error naming its line."""

    def fail(problem: str) -> TaskFileError:
        return TaskFileError(f"line {line + 1}: covtasks marker {problem}")

    module = attrs.get("module", "")
    if not module:
        raise fail("has no module")
    state = attrs.get("state", OPEN)
    if state not in STATES:
        raise fail(f"has an unknown state {state!r}")
    baseline = None
    if "baseline" in attrs:
        baseline = _baseline(attrs["baseline"])
        if baseline is None:
            raise fail(f"has a malformed baseline {attrs['baseline']!r}")
    managed: dict[str, str] = {}
    for item in filter(None, attrs.get("managed", "").split(",")):
        name, _, digest = item.rpartition("=")
        if not name:
            raise fail("has a malformed managed list")
        managed[unquote(name)] = digest
    return Memory(
        module=module,
        state=state,
        status=attrs.get("status", ""),
        baseline=baseline,
        completed=attrs.get("completed", ""),
        regressed=attrs.get("regressed", ""),
        unmeasured=attrs.get("unmeasured", ""),
        notes=attrs.get("notes", ""),
        nature=attrs.get("nature", ""),
        managed=managed,
    )
