"""Coverage arithmetic: exact fractions for decisions, coverage.py's rounding for display."""

from __future__ import annotations

import functools
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from fractions import Fraction

DEFAULT_PRECISION = 2


def is_percent(value: float) -> bool:
    """A percent a person can mean: 0 to 100, never NaN or infinite."""
    return 0 <= value <= 100


def percent_float(numerator: int, denominator: int) -> float:
    """The percentage as coverage.py computes it: a float, 100 when there is nothing to cover."""
    if denominator == 0:
        return 100.0
    return 100.0 * numerator / denominator


def display_percent(numerator: int, denominator: int, precision: int = DEFAULT_PRECISION) -> str:
    """Format like coverage.py: never 100 unless complete, never 0 unless nothing ran."""
    percent = percent_float(numerator, denominator)
    nearest_step = 1.0 / 10**precision
    if 0 < percent < nearest_step:
        percent = nearest_step
    elif 100.0 - nearest_step < percent < 100.0:
        percent = 100.0 - nearest_step
    else:
        percent = round(percent, precision)
    return f"{percent:.{precision}f}"


def exact_percent(numerator: int, denominator: int) -> Fraction:
    """The exact percentage, used to decide whether a target is met."""
    if denominator == 0:
        return Fraction(100)
    return Fraction(100 * numerator, denominator)


@functools.lru_cache(maxsize=64)
def target_fraction(target: float) -> Fraction:
    """A configured target as the exact decimal the user wrote (95.5 means 95.5, not a float).

    Read from its text once per target: every module of a sync is compared with it.
    """
    return Fraction(repr(target))


def reaches(numerator: int, denominator: int, goal: Fraction) -> bool:
    """``exact_percent(numerator, denominator) >= goal``, in integers (no Fraction made)."""
    if denominator == 0:
        return 100 * goal.denominator >= goal.numerator
    return 100 * numerator * goal.denominator >= goal.numerator * denominator


def _range_items(statements: Iterable[int], lines: Iterable[int]) -> list[tuple[int, str]]:
    ranges = line_ranges(sorted(set(statements)), lines)
    return [(first, str(first) if first == last else f"{first}-{last}") for first, last in ranges]


def line_ranges(statements: Sequence[int], lines: Iterable[int]) -> list[tuple[int, int]]:
    """``lines`` as ``(first, last)`` ranges over ``statements`` (sorted, unique): a range
    ends where a statement not in ``lines`` lies between two of them.

    Each line is looked up, not the statements walked: a module's notes share its statements.
    """
    ranges: list[tuple[int, int]] = []
    for line in sorted(set(lines)):
        if ranges and bisect_right(statements, ranges[-1][1]) >= bisect_left(statements, line):
            ranges[-1] = (ranges[-1][0], line)  # no statement in between
        else:
            ranges.append((line, line))
    return ranges


def _arc_items(arcs: Iterable[tuple[int, int]]) -> list[tuple[int, str]]:
    return [(source, f"{source}->{target if target > 0 else 'exit'}") for source, target in arcs]


def compact_ranges(statements: Iterable[int], lines: Iterable[int]) -> str:
    """Group ``lines`` into ranges over ``statements`` the way coverage.py's Missing column does.

    Non-statement lines (blank lines, comments) between two missing statements do not break
    a range, so missing 12, 13 and 15 with 14 blank reads ``12-15``.
    """
    return ", ".join(text for _, text in _range_items(statements, lines))


def format_arcs(arcs: Sequence[tuple[int, int]]) -> str:
    """Missing branch arcs as coverage.py writes them: ``12->14``, ``8->exit``.

    coverage.py orders by source line, then by the written text (so ``5->12`` precedes
    ``5->7``); the same order keeps the Missing column identical to ``coverage report``'s.
    """
    return ", ".join(text for _, text in sorted(_arc_items(arcs)))


def format_missing(
    statements: Iterable[int], lines: Iterable[int], arcs: Sequence[tuple[int, int]]
) -> str:
    """coverage.py's Missing column: line ranges and branch arcs together, in line order."""
    items = _range_items(statements, lines) + _arc_items(arcs)
    return ", ".join(text for _, text in sorted(items))
