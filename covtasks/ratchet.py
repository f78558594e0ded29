"""The per-module ratchet: a module once at target must stay there.

A module at target in the latest recorded sync (the history), or whose task entry reads
Completed, or whose entry covtasks marked as regressed, and that is below target now, is a
regression, whether or not it ever had an entry. The first sync on a repository records every
module and so establishes the ratchet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from covtasks.document import Entry
from covtasks.history import HistoryRecord
from covtasks.marker_memory import memory_from_attrs
from covtasks.model import Counts, CoverageReport


@dataclass(frozen=True, slots=True)
class AtTarget:
    """A module's latest stretch at target in the history: from ``since`` to ``last``."""

    since: dt.date
    last: dt.date
    counts: Counts  # what it measured then
    now: bool  # still at target in the latest recorded sync


@dataclass(frozen=True, slots=True)
class EntryRecord:
    """What a module's task entry says about target: Completed, or reopened as a regression."""

    since: str  # the date it reached target, as the marker holds it ("" when unknown)
    regressed: bool  # reopened by covtasks as a regression (else: it reads Completed)


@dataclass(frozen=True, slots=True)
class Regression:
    """A module below target that was at target: its figure then and now, and the dates."""

    path: str
    was: str
    now: str
    since: str  # when its stretch at target began ("" when unknown)
    last: str  # the last date it was recorded at target ("" when unknown)

    def describe(self) -> str:
        """``was 100% → now 97.30%, last at target 2026-11-20``."""
        text = f"was {_percent(self.was)} → now {_percent(self.now)}"
        if self.last or self.since:
            text += f", last at target {self.last or self.since}"
        return text


def _percent(value: str) -> str:
    return "100%" if value.rstrip("0").rstrip(".") == "100" else f"{value}%"


def stretches_at_target(
    history: Iterable[HistoryRecord], target: float, with_branches: bool
) -> dict[str, AtTarget]:
    """Every module ever recorded at target, with its latest stretch there."""
    stretches: dict[str, AtTarget] = {}
    previous: dt.date | None = None
    for record in sorted(history, key=lambda item: item.date):  # stable within a date
        for path, counts in record.modules.items():
            held = stretches.get(path)
            if counts is not None and counts.meets(target, with_branches):
                since = record.date if held is None or not held.now else held.since
                stretches[path] = AtTarget(since, record.date, counts, True)
            elif held is not None and held.now:
                # A line holds only what changed: it was still at target at the sync before.
                assert previous is not None
                stretches[path] = replace(held, last=previous, now=False)
        previous = record.date
    if previous is None:
        return stretches  # no history yet: the first sync establishes the ratchet
    return {
        path: replace(held, last=previous) if held.now else held for path, held in stretches.items()
    }


def entry_records(claims: Mapping[str, Entry], completed_word: str) -> dict[str, EntryRecord]:
    """Modules whose entry reads Completed, or whose marker says it regressed."""
    records = {}
    for path, entry in claims.items():
        completed, regressed = "", ""
        if entry.marker is not None:  # a marker a person broke is an error naming its line
            memory = memory_from_attrs(entry.attrs, entry.marker)
            completed, regressed = memory.completed, memory.regressed
        if entry.status == completed_word or regressed:
            records[path] = EntryRecord(completed, bool(regressed))
    return records


def find_regressions(
    report: CoverageReport,
    history: Iterable[HistoryRecord],
    entries: Mapping[str, EntryRecord],
    target: float,
) -> dict[str, Regression]:
    """Modules below target now that the history or their entry says were at target.

    An entry that reads Completed with no history behind it is left to the caller, which
    knows it only as "entry is Completed".
    """
    stretches = stretches_at_target(history, target, report.has_branches)
    precision = report.precision
    found = {}
    for module in report.modules:
        if report.meets(module, target):
            continue
        held = stretches.get(module.path)
        entry = entries.get(module.path)
        now = module.counts.combined_display(precision)
        if held is not None and (held.now or entry is not None):
            was = held.counts.combined_display(precision)
            since = held.since.isoformat()
            found[module.path] = Regression(module.path, was, now, since, held.last.isoformat())
        elif entry is not None and entry.regressed:
            found[module.path] = Regression(module.path, f"{target:g}", now, entry.since, "")
    return found
