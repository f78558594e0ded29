"""The stand-up summary: global numbers, module changes over a window, next tasks, milestones.

A module's figure is coverage.py's headline percentage (statements and branches together), as
the roadmap logs it. Deltas are the difference of the *displayed* values, so a reader can check
``81.51% → 86.97%, +5.46%`` by hand; a module whose displayed figure did not move is in no
change group unless it crossed the target.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from covtasks.escaping import code_span, escape_text
from covtasks.history import HistoryRecord, record_at, state_at, sync_dates
from covtasks.model import Counts, CoverageReport
from covtasks.ratchet import Regression

SIZE_ORDER = ("XS", "S", "M", "L", "XL")
NEXT_PER_OWNER = 3


@dataclass(frozen=True, slots=True)
class NextTask:
    """An open task the stand-up may name as next: its module, owner, priority and size."""

    path: str
    owner: str
    priority: str
    size: str


@dataclass(frozen=True, slots=True)
class Change:
    """A figure at the start of the window and now (None: unknown then).

    ``path`` is the module's path, or for the global figures ``total``, ``lines``, ``branches``.
    """

    path: str
    before: str | None
    after: str
    precision: int

    @property
    def delta(self) -> str | None:
        if self.before is None:
            return None
        return signed_delta(self.before, self.after, self.precision)


@dataclass(frozen=True, slots=True)
class Standup:
    """Everything a stand-up says, ready to render as markdown or JSON."""

    today: dt.date
    since: dt.date | None
    note: str | None
    figures: tuple[Change, ...]
    gate: float | None
    completed: tuple[Change, ...]
    improved: tuple[Change, ...]
    regressed: tuple[Change, ...]
    new_below: tuple[Change, ...]
    next_up: tuple[tuple[str, tuple[NextTask, ...]], ...]
    milestones: tuple[tuple[str, int, int], ...]


def signed_delta(before: str, after: str, precision: int) -> str:
    """``+5.46`` from ``81.51`` and ``86.97``: exact decimal arithmetic on the shown digits."""
    difference = Decimal(after) - Decimal(before)
    return f"{difference:+.{precision}f}"


def percent_text(value: str) -> str:
    """``100%`` for a complete module, as the roadmap writes it; otherwise ``86.97%``."""
    return "100%" if Decimal(value) == 100 else f"{value}%"


def default_since(history: Sequence[HistoryRecord], today: dt.date) -> dt.date | None:
    """The latest sync date before ``today``."""
    earlier = [day for day in sync_dates(history) if day < today]
    return earlier[-1] if earlier else None


def build_standup(
    history: Sequence[HistoryRecord],
    report: CoverageReport,
    since: dt.date | None,
    today: dt.date,
    next_tasks: Sequence[NextTask],
    gate: float | None,
    milestones: Sequence[tuple[str, int, int]],
    target: float = 100.0,
    regressions: Sequence[Regression] = (),
) -> Standup:
    """Compare ``report`` with the history's state at ``since`` (default: the previous sync).

    Without a sync before ``today`` the comparison falls back to the last sync recorded, and
    without any history there is nothing to compare with; ``note`` says which happened.
    """
    window, note = _window(history, since, today)
    baseline = None if window is None else state_at(history, window)
    last = None if window is None else record_at(history, window)
    precision = report.precision
    totals = report.totals
    old = None if last is None else last.totals
    shown = [("total", Counts.combined_display), ("lines", Counts.line_display)]
    if report.has_branches:
        shown.append(("branches", Counts.branch_display))
    figures = tuple(
        Change(
            name, None if old is None else show(old, precision), show(totals, precision), precision
        )
        for name, show in shown
    )
    groups: dict[str, list[Change]] = {"completed": [], "improved": [], "regressed": [], "new": []}
    for module in sorted(report.modules, key=lambda item: item.path):
        if baseline is None:
            break
        counts = module.counts
        met = counts.meets(target, report.has_branches)
        after = counts.combined_display(precision)
        before_counts = baseline.get(module.path)
        if before_counts is None:
            if not met:
                groups["new"].append(Change(module.path, None, after, precision))
            continue
        before = before_counts.combined_display(precision)
        change = Change(module.path, before, after, precision)
        was_met = before_counts.meets(target, report.has_branches)
        if met and not was_met:
            groups["completed"].append(change)
        elif (was_met and not met) or Decimal(after) < Decimal(before):
            groups["regressed"].append(change)
        elif Decimal(after) > Decimal(before):
            groups["improved"].append(change)
    listed = {change.path for change in groups["regressed"]}
    for regression in sorted(regressions, key=lambda item: item.path):
        # The ratchet's regressions stay on the list until fixed, whatever the window.
        if regression.path not in listed:
            groups["regressed"].append(
                Change(regression.path, regression.was, regression.now, precision)
            )
    groups["regressed"].sort(key=lambda change: change.path)
    return Standup(
        today=today,
        since=window,
        note=note,
        figures=figures,
        gate=gate,
        completed=tuple(groups["completed"]),
        improved=tuple(groups["improved"]),
        regressed=tuple(groups["regressed"]),
        new_below=tuple(groups["new"]),
        next_up=next_by_owner(next_tasks),
        milestones=tuple(milestones),
    )


def _window(
    history: Sequence[HistoryRecord], since: dt.date | None, today: dt.date
) -> tuple[dt.date | None, str | None]:
    dates = sync_dates(history)
    if not dates:
        return None, "No coverage history yet, so changes since the last sync are unknown."
    if since is None:
        since = default_since(history, today)
        if since is None:
            return (
                dates[-1],
                f"No sync before {today.isoformat()} in the history; "
                "changes are since the last sync.",
            )
        return since, None
    if since < dates[0]:
        return dates[0], f"The history starts on {dates[0].isoformat()}; changes are since then."
    return since, None


def _size_rank(size: str) -> int:
    upper = size.strip().upper()
    return SIZE_ORDER.index(upper) if upper in SIZE_ORDER else len(SIZE_ORDER)


def next_by_owner(tasks: Sequence[NextTask]) -> tuple[tuple[str, tuple[NextTask, ...]], ...]:
    """Per owner (alphabetical), the top three tasks: highest priority, then smallest size."""
    owners: dict[str, list[NextTask]] = {}
    for task in tasks:
        owners.setdefault(task.owner, []).append(task)
    result = []
    for owner in sorted(owners):
        ranked = sorted(
            owners[owner], key=lambda task: (task.priority, _size_rank(task.size), task.path)
        )
        result.append((owner, tuple(ranked[:NEXT_PER_OWNER])))
    return tuple(result)


def _change_text(change: Change) -> str:
    after = percent_text(change.after)
    if change.before is None:
        return f"{code_span(change.path)} ({after})"
    before = percent_text(change.before)
    if Decimal(change.after) == 100:
        return f"{code_span(change.path)} ({before} → {after})"
    return f"{code_span(change.path)} ({before} → {after}, {change.delta}%)"


def _figure_text(figure: Change) -> str:
    label = {"total": "Total coverage", "lines": "Lines", "branches": "Branches"}[figure.path]
    delta = "" if figure.delta is None else f" ({figure.delta}%)"
    return f"{label} **{percent_text(figure.after)}**{delta}"


def gate_text(gate: float) -> str:
    """``--fail-under=87.00``, two decimals as coverage.py's gates are usually written."""
    return f"--fail-under={gate:.2f}"


GROUP_TITLES = (
    ("completed", "✅ Completed"),
    ("improved", "⬆️ Improved"),
    ("regressed", "⬇️ Regressed"),
    ("new_below", "🆕 Newly measured below target"),
)


def render_markdown(standup: Standup) -> str:
    """Bold labels rather than headings, so the text pastes into chat and into a task file
    (where a ``###`` heading would read as a task entry) and stays put under mdformat."""
    window = (
        "no earlier numbers to compare with"
        if standup.since is None
        else f"changes since {standup.since.isoformat()}"
    )
    blocks = [f"**Stand-up {standup.today.isoformat()}** ({window})"]
    summary = [f"- {_figure_text(figure)}" for figure in standup.figures]
    if standup.gate is not None:
        summary.append(f"- Gate `{gate_text(standup.gate)}`")
    blocks.append("\n".join(summary))
    if standup.note is not None:
        blocks.append(f"Note: {standup.note}")
    changed = False
    for field, title in GROUP_TITLES:
        changes: tuple[Change, ...] = getattr(standup, field)
        if changes:
            changed = True
            blocks.append(f"**{title}**")
            blocks.append("\n".join(f"- {_change_text(change)}" for change in changes))
    if not changed and standup.since is not None:
        blocks.append("No module changed.")
    if standup.next_up:
        blocks.append("**Next up**")
        lines = []
        for owner, tasks in standup.next_up:
            lines.append(f"- {escape_text(owner)}")
            lines.extend(
                f"  - {code_span(task.path)} "
                f"({escape_text(task.priority)}, {escape_text(task.size)})"
                for task in tasks
            )
        blocks.append("\n".join(lines))
    if standup.milestones:
        blocks.append("**Milestones**")
        blocks.append(
            "\n".join(
                f"- {escape_text(name)}: {met}/{total} modules at target"
                for name, met, total in standup.milestones
            )
        )
    return "\n\n".join(blocks) + "\n"


def _change_json(change: Change) -> dict[str, Any]:
    return {
        "path": change.path,
        "from": None if change.before is None else float(change.before),
        "to": float(change.after),
        "delta": None if change.delta is None else float(change.delta),
    }


def render_json(standup: Standup) -> str:
    """The same content as the markdown, numbers as JSON numbers (null where unknown)."""
    document: dict[str, Any] = {
        "date": standup.today.isoformat(),
        "since": None if standup.since is None else standup.since.isoformat(),
        "note": standup.note,
        "gate": standup.gate,
        "totals": {
            figure.path: {
                "from": None if figure.before is None else float(figure.before),
                "to": float(figure.after),
                "delta": None if figure.delta is None else float(figure.delta),
            }
            for figure in standup.figures
        },
    }
    for field, _title in GROUP_TITLES:
        document[field] = [_change_json(change) for change in getattr(standup, field)]
    document["next_up"] = {
        owner: [{"path": t.path, "priority": t.priority, "size": t.size} for t in tasks]
        for owner, tasks in standup.next_up
    }
    document["milestones"] = [
        {"name": name, "met": met, "total": total} for name, met, total in standup.milestones
    ]
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
