"""Priority: the project's open entries ranked by one rule, the ranking cut into P0–P3.

The rule orders entries by milestone (earlier first; modules in no milestone after every
milestone), then by the kind of work: modules with deterministic test work first,
stochastic or hardware-sensitive ones next, and modules whose gap holds no test work at all
(only type-only, platform, version, optional-dependency or unreachable lines) last; then by
the testable gap (missing lines plus branches that are test work, larger first), then by
line coverage (lower first) and path. The ranked list is cut into four equal parts: the
first quarter is P0, the last P3. So in any project no priority holds more than a quarter
of the entries, rounded up, and an earlier milestone never ranks below a later one.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

PRIORITIES = ("P0", "P1", "P2", "P3")
LATER_CLASSES = frozenset({"stochastic", "hardware-sensitive"})

PRIORITY_SENTENCE = (
    "Priority ranks the open entries: by milestone (earlier first, modules in no milestone "
    "last), then deterministic work before stochastic or hardware-sensitive modules, and "
    "modules whose gap is only type-only, platform, version, optional-dependency or "
    "unreachable lines last in their milestone; then by testable gap (missing lines plus "
    "branches, larger first), line coverage (lower first) and path. The ranking is cut into "
    "four equal parts, P0 to P3, so no priority holds more than a quarter of the entries "
    "(rounded up)."
)


@dataclass(frozen=True, slots=True)
class Standing:
    """What an entry is ranked by."""

    path: str
    milestone: int | None  # index in the configured milestones; None: in none
    module_class: str  # deterministic, stochastic, ... ("" when unknown: deterministic)
    gap: int  # missing lines plus branches that are test work
    line_coverage: Fraction


def class_and_gap(nature: str, whole_gap: int) -> tuple[str, int]:
    """The class and testable gap of a marker's class (``deterministic:12``).

    Without a testable gap from the notes, the whole gap (missing lines plus branches) is it.
    """
    module_class, _, testable = nature.partition(":")
    gap = int(testable) if testable.isascii() and testable.isdigit() else whole_gap
    return module_class, gap


def _rank(standing: Standing) -> tuple[bool, int, int, int, Fraction, str]:
    later = standing.module_class in LATER_CLASSES
    # 0: deterministic test work, 1: stochastic or hardware-sensitive, 2: no test work here.
    work = 2 if standing.gap == 0 else int(later)
    milestone = standing.milestone
    order = (milestone is None, milestone or 0)
    return (*order, work, -standing.gap, standing.line_coverage, standing.path)


def ranked(standings: Iterable[Standing]) -> list[Standing]:
    """The entries in priority order, first to do first."""
    return sorted(standings, key=_rank)


def priorities(standings: Iterable[Standing]) -> dict[str, str]:
    """Each entry's priority: its place in the ranking, cut into four equal parts."""
    order = ranked(standings)
    count = len(order)
    share = math.ceil(count / len(PRIORITIES)) if count else 1
    return {standing.path: PRIORITIES[index // share] for index, standing in enumerate(order)}
