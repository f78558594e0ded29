"""Live blocks in the project's docs (``[tool.covtasks] docs``), refreshed on every sync."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path

from covtasks.config import Config
from covtasks.fileio import ensure_inside, read_text
from covtasks.history import HistoryRecord
from covtasks.liveblocks import Renderer, refresh_blocks, scoreboard_renderer
from covtasks.model import CoverageReport


def renderers(
    config: Config,
    report: CoverageReport,
    history: Sequence[HistoryRecord],
    day: dt.date,
    gate: float | None,
) -> Mapping[str, Renderer]:
    """One renderer per block name; each computes only when a doc holds its block."""

    def snapshot(_args: Mapping[str, str]) -> str:
        from covtasks.snapshot import render_snapshot

        return render_snapshot(report, history, day, gate, config.target)

    def milestones(_args: Mapping[str, str]) -> str:
        from covtasks.milestones import progress, render_progress_markdown

        return render_progress_markdown(progress(report, config.milestones, config.target))

    def gaps(_args: Mapping[str, str]) -> str:
        from covtasks.report_sections import gap_groups

        return gap_groups(config, report)()

    return {
        "scoreboard": scoreboard_renderer(report, config.target),
        "snapshot": snapshot,
        "milestones": milestones,
        "gaps": gaps,
    }


def refresh_docs(
    config: Config,
    report: CoverageReport,
    history: Sequence[HistoryRecord],
    day: dt.date,
    gate: float | None,
) -> list[tuple[Path, str, str, str]]:
    """For each configured doc: (path, name, text before, text after)."""
    if not config.docs:
        return []
    blocks = renderers(config, report, history, day, gate)
    results = []
    for name in config.docs:
        path = ensure_inside(config.root / name, config.root)
        before = read_text(path)
        results.append((path, name, before, refresh_blocks(before, blocks, name)))
    return results
