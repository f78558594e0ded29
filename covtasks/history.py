"""The coverage history: one JSON line per sync holding totals, gate and the modules that changed.

Each line is a self-contained JSON object with sorted keys and compact separators::

    {"date":"2025-10-03","gate":87.0,"modules":{"pkg/a.py":[40,2,10,1,1]},"totals":[...]}

Counts are written as ``[statements, missing, branches, missing_branches, partial_branches]``;
a module mapped to ``null`` is no longer measured. A line holds only the modules whose counts
differ from the state rebuilt from the lines before it, so the file stays small at thousands
of modules. Values are absolute, not increments, so applying a line twice changes nothing and
two branches' lines joined by ``merge=union`` in ``.gitattributes`` still read back.

Several syncs on one date each add their own line (the file is append-only); the state of a
date is the state after its last line, so the latest sync of a day wins.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from covtasks.errors import TaskFileError
from covtasks.fileio import atomic_write, read_text
from covtasks.model import Counts, CoverageReport

# Beyond 2**53 a JSON number read as a double is no longer an exact count.
MAX_COUNT = 2**53

FIELDS = ("date", "gate", "modules", "totals")


@dataclass(frozen=True, slots=True)
class HistoryRecord:
    """One sync: its date, the totals and gate then, and the modules whose counts changed."""

    date: dt.date
    totals: Counts
    modules: Mapping[str, Counts | None]
    gate: float | None = None


def state_at(records: Iterable[HistoryRecord], date: dt.date | None = None) -> dict[str, Counts]:
    """Every module's counts as they stood at the end of ``date`` (None: after the last line).

    Lines apply in date order and, within a date, in file order; a line whose date is before
    an earlier line's (joined from another branch) still lands on its own date.
    """
    state: dict[str, Counts] = {}
    for record in _in_date_order(records):
        if date is not None and record.date > date:
            break
        for path, counts in record.modules.items():
            if counts is None:
                state.pop(path, None)
            else:
                state[path] = counts
    return state


def record_at(
    records: Iterable[HistoryRecord], date: dt.date | None = None
) -> HistoryRecord | None:
    """The last line written on or before ``date`` (its totals and gate held from then on)."""
    found = None
    for record in _in_date_order(records):
        if date is not None and record.date > date:
            break
        found = record
    return found


def sync_dates(records: Iterable[HistoryRecord]) -> tuple[dt.date, ...]:
    """Every date with at least one sync, oldest first."""
    return tuple(sorted({record.date for record in records}))


def first_seen(records: Iterable[HistoryRecord]) -> dict[str, Counts]:
    """Each module's first recorded counts: the baseline its progress is measured from."""
    baseline: dict[str, Counts] = {}
    for record in _in_date_order(records):
        for path, counts in record.modules.items():
            if counts is not None:
                baseline.setdefault(path, counts)
    return baseline


def _in_date_order(records: Iterable[HistoryRecord]) -> list[HistoryRecord]:
    return sorted(records, key=lambda record: record.date)  # stable: file order within a date


def record_for(
    records: Sequence[HistoryRecord],
    report: CoverageReport,
    date: dt.date,
    gate: float | None = None,
) -> HistoryRecord | None:
    """The line a sync on ``date`` adds, or None when modules, totals and gate are unchanged."""
    previous = state_at(records, date)
    current = {module.path: module.counts for module in report.modules}
    changed: dict[str, Counts | None] = {
        path: counts for path, counts in current.items() if previous.get(path) != counts
    }
    changed.update({path: None for path in previous if path not in current})
    last = record_at(records, date)
    totals = report.totals
    if not changed and last is not None and last.totals == totals and last.gate == gate:
        return None
    if not changed and last is None and not current and gate is None:
        return None  # nothing measured and nothing recorded yet: an empty line says nothing
    return HistoryRecord(date, totals, dict(sorted(changed.items())), gate)


def encode(record: HistoryRecord) -> str:
    """The record as one deterministic JSON line, without the newline."""
    document = {
        "date": record.date.isoformat(),
        "gate": record.gate,
        "modules": {
            path: None if counts is None else _counts_list(counts)
            for path, counts in record.modules.items()
        },
        "totals": _counts_list(record.totals),
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":"))


def _counts_list(counts: Counts) -> list[int]:
    return [
        counts.statements,
        counts.missing,
        counts.branches,
        counts.missing_branches,
        counts.partial_branches,
    ]


def appended(path: Path, record: HistoryRecord) -> str:
    """The history's text with ``record`` as its last line (written whole by the caller).

    The file's newline style is kept, and a last line missing its newline gets one first.
    """
    text = read_text(path) if path.exists() else ""
    newline = "\r\n" if "\r\n" in text else "\n"
    if text and not text.endswith("\n"):
        text += newline
    return text + encode(record) + newline


def append(path: Path, record: HistoryRecord) -> None:
    """Add ``record`` as the last line, rewriting atomically so a crash never leaves half a line."""
    atomic_write(path, appended(path, record))


def sync_history(
    path: Path, report: CoverageReport, date: dt.date, gate: float | None = None
) -> HistoryRecord | None:
    """Read the history, add the line this sync earns (if any), and return that line."""
    record = record_for(read_history(path), report, date, gate)
    if record is not None:
        append(path, record)
    return record


def warn_on_stderr(problem: TaskFileError) -> None:
    """How commands hear of a history line they skip: one warning line on stderr."""
    print(f"warning: {problem.message}; line ignored (delete it to silence this)", file=sys.stderr)


def read_history(
    path: Path, warn: Callable[[TaskFileError], None] | None = None
) -> tuple[HistoryRecord, ...]:
    """Every line of the history; a missing file is an empty history.

    A line that is not a history record raises TaskFileError naming the file and line, or,
    given ``warn``, is reported to it and skipped: a damaged line (a merge gone wrong, an
    edit by hand) must not stop every command until someone repairs the file. Sync keeps
    the line as it is when it appends.
    """
    if not path.exists():
        return ()
    records = []
    for number, line in enumerate(read_text(path).split("\n"), start=1):
        if line.strip():
            try:
                records.append(decode(line, path, number))
            except TaskFileError as problem:
                if warn is None:
                    raise
                warn(problem)
    return tuple(records)


def decode(line: str, path: Path | str, number: int) -> HistoryRecord:
    """One history line back as a record, or TaskFileError naming ``path`` and ``number``."""

    def fail(problem: str) -> TaskFileError:
        return TaskFileError(f"line {number}: {problem}", path)

    try:
        document = json.loads(line)
    except ValueError:
        raise fail("not a JSON history record") from None
    except RecursionError:
        raise fail("nested too deeply to be a history record") from None
    if not isinstance(document, dict):
        raise fail("not a JSON object")
    for key in sorted(set(document) ^ set(FIELDS)):
        raise fail(f"unknown key {key!r}" if key in document else f"missing key {key!r}")
    date = document["date"]
    try:
        day = dt.date.fromisoformat(date) if isinstance(date, str) else None
    except ValueError:
        day = None
    if day is None:
        raise fail(f"'date' must be YYYY-MM-DD, not {date!r}")
    gate = document["gate"]
    if gate is not None and (
        isinstance(gate, bool) or not isinstance(gate, int | float) or not 0 <= gate <= 100
    ):
        raise fail(f"'gate' must be a percent from 0 to 100 or null, not {gate!r}")
    modules = document["modules"]
    if not isinstance(modules, dict):
        raise fail("'modules' must be an object of path to counts")
    decoded: dict[str, Counts | None] = {}
    for name, value in modules.items():
        decoded[name] = None if value is None else _counts(value, fail, repr(name))
    totals = _counts(document["totals"], fail, "'totals'")
    return HistoryRecord(day, totals, decoded, None if gate is None else float(gate))


def _counts(value: Any, fail: Callable[[str], TaskFileError], where: str) -> Counts:
    numbers_ok = (
        isinstance(value, list)
        and len(value) == 5
        and all(
            isinstance(item, int) and not isinstance(item, bool) and 0 <= item <= MAX_COUNT
            for item in value
        )
    )
    if not numbers_ok:
        raise fail(f"{where} must be five non-negative whole numbers, not {value!r}")
    counts = Counts(*value)
    if (
        counts.missing > counts.statements
        or max(counts.missing_branches, counts.partial_branches) > counts.branches
    ):
        raise fail(f"{where} counts more missing than measured: {value!r}")
    return counts
