"""The standup and badge commands on disk: history, next tasks from the task file, pictures."""

from __future__ import annotations

import datetime as dt
from typing import IO

from covtasks.config import Config
from covtasks.document import Document, Entry, parse_document
from covtasks.errors import UsageError, naming
from covtasks.fileio import ensure_inside, read_text, shown_path
from covtasks.history import read_history, warn_on_stderr
from covtasks.model import CoverageReport
from covtasks.planner import claimed_entries
from covtasks.standup import NextTask

STANDUP_FORMATS = ("markdown", "json")


def current_gate(config: Config) -> float | None:
    """The weakest gate found in the project's files, or None when it has none."""
    from covtasks.gates import current_gate as weakest
    from covtasks.gates import find_gates

    value = weakest(find_gates(config.root, config.gates))
    return None if value is None else float(value)


def field_value(document: Document, entry: Entry, name: str) -> str:
    """The one-line value of ``- **Name**: value`` in an entry, or "" when absent."""
    for found in entry.fields:
        if found.name == name:
            first = document.lines[found.span.start].rstrip("\r\n")
            return first.split("**:", 1)[1].strip() if "**:" in first else ""
    return ""


def _claims(config: Config, report: CoverageReport) -> tuple[Document, dict[str, Entry]] | None:
    path = config.tasks_path
    if not path.exists():
        return None
    measured = {module.path: module for module in report.modules}
    with naming(path):
        document = parse_document(read_text(path))
        return document, claimed_entries(document, measured)


def next_tasks(config: Config, report: CoverageReport) -> list[NextTask]:
    """Open and in-progress entries with their owner, priority and size as the file says."""
    found = _claims(config, report)
    if found is None:
        return []
    document, claims = found
    measured = {module.path for module in report.modules}
    words = {config.statuses.open, config.statuses.in_progress}
    tasks = []
    for module, entry in claims.items():
        if entry.status in words and module in measured:
            tasks.append(
                NextTask(
                    path=module,
                    owner=field_value(document, entry, "Owner") or config.default_owner,
                    priority=field_value(document, entry, "Priority") or "P3",
                    size=field_value(document, entry, "Size") or "M",
                )
            )
    return tasks


def run_standup(
    config: Config,
    report: CoverageReport,
    today: dt.date,
    since: dt.date | None,
    output_format: str,
    out: IO[str],
) -> None:
    """What completed, improved or regressed since the last stand-up, and what is next."""
    from covtasks.milestones import progress
    from covtasks.standup import build_standup, render_json, render_markdown

    if output_format not in STANDUP_FORMATS:
        raise UsageError(f"--format must be markdown or json, not {output_format!r}")
    from covtasks.ratchet import EntryRecord, entry_records, find_regressions

    history = read_history(config.root / config.history, warn_on_stderr)
    found = _claims(config, report)
    entries: dict[str, EntryRecord] = {}
    if found is not None:
        with naming(config.tasks_path):
            entries = entry_records(found[1], config.statuses.completed)
    regressions = find_regressions(report, history, entries, config.target)
    milestones = [
        (item.name, item.met, item.total)
        for item in progress(report, config.milestones, config.target)
    ]
    standup = build_standup(
        history,
        report,
        since,
        today,
        next_tasks(config, report),
        current_gate(config),
        milestones,
        config.target,
        tuple(regressions.values()),
    )
    out.write(render_json(standup) if output_format == "json" else render_markdown(standup))


def run_badges(
    config: Config, report: CoverageReport, today: dt.date, out_dir: str | None, out: IO[str]
) -> None:
    """Write the coverage, line and branch badges and the trend picture."""
    from covtasks.badges import write_badges

    folder = ensure_inside(
        config.root / (out_dir or config.badges), config.root, named=bool(out_dir)
    )
    history = read_history(config.root / config.history, warn_on_stderr)
    # A colour the configuration names wrongly is reported against the configuration.
    with naming(config.source or config.root / "pyproject.toml"):
        written = write_badges(
            folder, report, history, current_gate(config), config.badge_thresholds, today
        )
    for path in written:
        out.write(f"wrote {shown_path(path, config.root)}\n")
    if not written:
        out.write("badges up to date\n")
