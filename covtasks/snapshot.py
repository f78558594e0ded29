"""The umbrella entry's snapshot fields: latest snapshot, completed, improved modules, backlog.

Each field renders as markdown lines in the roadmap's own style (DESIGN §2). A module's
baseline is its first value in the history. "Completed" lists modules now at target that were
below it when first recorded; "significantly improved" lists modules still below target whose
displayed figure rose by at least ``SIGNIFICANT`` points over their baseline; the backlog lists
every module below target, lowest first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from covtasks.history import HistoryRecord, first_seen
from covtasks.model import CoverageReport
from covtasks.report import sort_modules
from covtasks.standup import gate_text, percent_text, signed_delta

SIGNIFICANT = Decimal(2)
COMPLETED = "Completed modules ({target} coverage)"
IMPROVED = "Significantly improved modules"
BACKLOG = "Module backlog"


def snapshot_name(today: dt.date) -> str:
    """``Latest snapshot (2025-10-03)``: the field name carries the date."""
    return f"Latest snapshot ({today.isoformat()})"


def completed_name(target: float) -> str:
    """``Completed modules (100% coverage)`` for the default target."""
    return COMPLETED.format(target=f"{target:g}%")


def snapshot_fields(
    report: CoverageReport,
    history: Sequence[HistoryRecord],
    today: dt.date,
    gate: float | None,
    target: float = 100.0,
) -> dict[str, list[str]]:
    """Field name → its lines: ``- **Name**:`` then nested items, or ``- **Name**: none.``."""
    precision = report.precision
    totals = report.totals
    overall = f"Global coverage **{percent_text(totals.combined_display(precision))}** (lines "
    overall += f"{percent_text(totals.line_display(precision))}"
    if report.has_branches:
        overall += f", branches {percent_text(totals.branch_display(precision))}"
    overall += ")."
    snapshot = [overall]
    if gate is not None:
        snapshot.append(f"Pre-commit gate at `{gate_text(gate)}`.")
    baseline = first_seen(history)
    completed: list[str] = []
    backlog: list[str] = []
    ranked: list[tuple[Decimal, str, str]] = []
    for module in sort_modules(report.modules, "cover"):
        now = module.counts.combined_display(precision)
        first = baseline.get(module.path)
        before = None if first is None else first.combined_display(precision)
        if report.meets(module, target):
            if first is not None and not first.meets(target, report.has_branches):
                start = percent_text(first.combined_display(precision))
                completed.append(f"✅ `{module.path}` ({start} → {percent_text(now)})")
            continue
        backlog.append(f"`{module.path}` ({percent_text(now)})")
        if before is not None and Decimal(now) - Decimal(before) >= SIGNIFICANT:
            delta = signed_delta(before, now, precision)
            ranked.append(
                (
                    Decimal(before) - Decimal(now),
                    module.path,
                    f"⬆️ `{module.path}` ({percent_text(before)} → {percent_text(now)}, {delta}%)",
                )
            )
    improved = [line for _gain, _path, line in sorted(ranked)]
    return {
        snapshot_name(today): _field(snapshot_name(today), snapshot),
        completed_name(target): _field(completed_name(target), sorted(completed)),
        IMPROVED: _field(IMPROVED, improved),
        BACKLOG: _field(BACKLOG, backlog),
    }


def _field(name: str, items: list[str]) -> list[str]:
    if not items:
        return [f"- **{name}**: none."]
    return [f"- **{name}**:", *(f"  - {item}" for item in items)]


def render_snapshot(
    report: CoverageReport,
    history: Sequence[HistoryRecord],
    today: dt.date,
    gate: float | None,
    target: float = 100.0,
) -> str:
    """All four fields as one markdown list, for a ``snapshot`` live block."""
    fields = snapshot_fields(report, history, today, gate, target)
    return "".join(line + "\n" for lines in fields.values() for line in lines)
