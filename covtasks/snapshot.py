"""The roadmap's four fields rendered fresh, for a ``snapshot`` live block in a doc.

The same editors keep the umbrella entry's fields in the task file (``umbrella.py``), so a
live block reads exactly like the fields covtasks writes into a new roadmap entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from covtasks.history import HistoryRecord
from covtasks.model import CoverageReport
from covtasks.roadmap import roadmap_facts
from covtasks.umbrella import FIELD_KINDS, fresh_field


def snapshot_fields(
    report: CoverageReport,
    history: Sequence[HistoryRecord],
    today: dt.date,
    gate: float | None,
    target: float = 100.0,
) -> dict[str, list[str]]:
    """Field kind → its lines: ``- **Name**:`` then nested items, or ``- **Name**: none.``."""
    facts = roadmap_facts(report, history, today, today, gate, target)
    return {kind: fresh_field(kind, facts) for kind in FIELD_KINDS}


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
