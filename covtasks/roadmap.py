"""What the roadmap (umbrella) entry states: the facts it is kept true to, and how its items read.

A roadmap item names a module with a code span at its start (after an emoji such as ✅ or ⬆️)
and gives figures in the parenthesis after it: ``(78.57% - CUDA lines …)`` in the backlog,
``(81.51% → 86.97%, +5.46%)`` among improved modules. covtasks rewrites only those figures;
the words around them are the person's.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from covtasks.escaping import code_span
from covtasks.history import HistoryRecord, first_seen
from covtasks.model import CoverageReport
from covtasks.standup import percent_text, signed_delta

NUMBER = r"\d+(?:\.\d+)?"
# A leading emoji (or any short word) may stand before the module's code span.
_LEADING_SPAN = re.compile(
    r"(?:[^\s`*]{1,8}\s+)?(?P<span>(?P<fence>`+)(?:(?!(?P=fence)).)+?(?P=fence))"
)
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1(?!`)")
_FIGURE = re.compile(rf"(\s*\()({NUMBER})(%)")
_ARROW = re.compile(
    rf"(\s*\(\s*)({NUMBER})(%\s*(?:→|->)\s*)({NUMBER})(%)(?:(,\s*)([+\-−]?{NUMBER})(%))?"
)
_RANGE = re.compile(rf"({NUMBER})\s*%?\s*[-–—]\s*({NUMBER})\s*%")
_BOUND = re.compile(rf"(>=|≥|>|<=|≤|<)\s*({NUMBER})\s*%")
SIGNIFICANT = Decimal(2)


@dataclass(frozen=True, slots=True)
class ModuleFigures:
    """One measured module: its figure now, whether it meets target, and its first figure."""

    now: str  # coverage.py's combined figure at the display precision
    exact: Fraction
    meets: bool
    first: str | None  # first recorded figure in the history
    first_met: bool


@dataclass(frozen=True, slots=True)
class RoadmapFacts:
    """Everything the roadmap entry is kept true to, as displayed figures."""

    day: dt.date  # the snapshot's date: the latest change recorded
    today: dt.date  # the sync's date, for a regression's note
    total: str
    lines: str
    branches: str | None
    gate: float | None
    precision: int
    target: float
    modules: Mapping[str, ModuleFigures]
    spans: Mapping[str, str]  # a module's code span as written → its path

    def improved(self, path: str) -> bool:
        """Below target, and at least ``SIGNIFICANT`` points above its first figure."""
        figures = self.modules[path]
        return (
            not figures.meets
            and figures.first is not None
            and Decimal(figures.now) - Decimal(figures.first) >= SIGNIFICANT
        )


@dataclass
class Listed:
    """What the roadmap's lists say before this sync, which the other fields need."""

    regressed: set[str] = field(default_factory=set)  # ✅ items whose module fell below target
    improved_from: dict[str, str] = field(default_factory=dict)
    backlog_figure: dict[str, str] = field(default_factory=dict)


def roadmap_facts(
    report: CoverageReport,
    history: Sequence[HistoryRecord],
    day: dt.date,
    today: dt.date,
    gate: float | None,
    target: float,
) -> RoadmapFacts:
    precision = report.precision
    first = first_seen(history)
    modules = {}
    for module in report.modules:
        counts = module.counts
        before = first.get(module.path)
        modules[module.path] = ModuleFigures(
            now=counts.combined_display(precision),
            exact=Fraction(counts.covered + counts.covered_branches)
            / max(counts.statements + counts.branches, 1),
            meets=report.meets(module, target),
            first=None if before is None else before.combined_display(precision),
            first_met=before is not None and before.meets(target, report.has_branches),
        )
    totals = report.totals
    return RoadmapFacts(
        day=day,
        today=today,
        total=totals.combined_display(precision),
        lines=totals.line_display(precision),
        branches=totals.branch_display(precision) if report.has_branches else None,
        gate=gate,
        precision=precision,
        target=target,
        modules=modules,
        spans={code_span(path): path for path in modules},
    )


def leading_module(text: str, facts: RoadmapFacts) -> tuple[str, int] | None:
    """The measured module an item's text starts with, and where its code span ends."""
    match = _LEADING_SPAN.match(text)
    if match is None:
        return None
    path = facts.spans.get(match["span"])
    return None if path is None else (path, match.end())


def mentioned(lines: Sequence[str], facts: RoadmapFacts) -> set[str]:
    """Every measured module named in a code span anywhere in ``lines``."""
    found = set()
    for line in lines:
        for match in _CODE_SPAN.finditer(line):
            path = facts.spans.get(match.group())
            if path is not None:
                found.add(path)
    return found


def shown(value: str) -> str:
    """A figure as the roadmap writes it, without the percent sign: ``100`` or ``86.97``."""
    return percent_text(value).removesuffix("%")


def with_figure(line: str, at: int, now: str) -> str:
    """``(78.57% - …`` after position ``at`` with its figure replaced by ``now``."""
    match = _FIGURE.match(line, at)
    if match is None:
        return line
    return line[: match.start(2)] + shown(now) + line[match.end(2) :]


def first_figure(line: str, at: int) -> str | None:
    """The figure in the parenthesis after position ``at``, as written."""
    match = _FIGURE.match(line, at)
    return None if match is None else match[2]


def with_progress(line: str, at: int, now: str, precision: int) -> tuple[str, str | None]:
    """``(A% → B%, +D%)`` after ``at`` with B and D brought up to ``now``; A stays. Returns
    the line and A (None when the item has no such figures)."""
    match = _ARROW.match(line, at)
    if match is None:
        return line, None
    start = match[2]
    pieces = [line[: match.start(4)], shown(now), line[match.end(4) : match.end(5)]]
    if match[7] is not None:
        pieces += [match[6], signed_delta(start, now, precision), "%"]
    pieces.append(line[match.end() :])
    return "".join(pieces), start


def progress_text(span: str, start: str, now: str, precision: int) -> str:
    """``⬆️ `path` (81.51% → 86.97%, +5.46%)``."""
    delta = signed_delta(start, now, precision)
    return f"⬆️ {span} ({percent_text(start)} → {percent_text(now)}, {delta}%)"


def label_range(label: str) -> tuple[Decimal, Decimal, bool, bool] | None:
    """The figures a backlog group's label admits: ``(50-80%)``, ``(>80%)``, ``(<50%)``.

    Returns (low, high, low included, high included), or None without a range.
    """
    span = _RANGE.search(label)
    if span is not None:
        return Decimal(span[1]), Decimal(span[2]), True, True
    bound = _BOUND.search(label)
    if bound is None:
        return None
    value = Decimal(bound[2])
    if bound[1].startswith((">", "≥")):
        return value, Decimal(100), bound[1] != ">", True
    return Decimal(0), value, True, bound[1] != "<"


def in_range(figure: str, bounds: tuple[Decimal, Decimal, bool, bool]) -> bool:
    low, high, low_in, high_in = bounds
    value = Decimal(figure)
    above = value >= low if low_in else value > low
    below = value <= high if high_in else value < high
    return above and below
