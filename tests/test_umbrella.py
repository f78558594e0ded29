"""The umbrella entry's snapshot fields: taken over once, refreshed, managed until edited."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from covtasks.cli import app
from covtasks.config import parse_config
from covtasks.document import parse_document
from covtasks.errors import TaskFileError
from covtasks.model import Counts, CoverageReport, ModuleCoverage
from covtasks.sync import sync_text
from covtasks.tasks_file import plan_inputs
from covtasks.umbrella import field_stem
from tests.sample import SampleProject

DAY = dt.date(2026, 11, 26)
ROADMAP = """\
# tv-tasks

## Open tasks (updated 2025-10-01)

### Open · tv-2025-09-29:PR?? · Coverage roadmap towards ~100%

- **Summary**: Every module at 100%.
- **Next steps**:
  1. Scoreboard.
  1. Gates.
- **Latest snapshot (2025-09-30)**:
  - Global coverage **78.25%**.
- **Completed modules (100% coverage)**:
  - ✅ `pkg/done.py` (93.07% → 100%)
  - ✅ `pkg/gone.py` (50.00% → 100%)
- **Significantly improved modules**:
  - ⬆️ `pkg/a.py` (41.00% → 50.00%, +9.00%)
- **Module backlog**:
  - `pkg/a.py` (41.00% - needs a clock)

### Deferred · tv-2025-09-12:PR31 · Something else

- **Summary**: Unrelated.
"""


def _module(path: str, missing: int) -> ModuleCoverage:
    lines = tuple(range(1, 11))
    return ModuleCoverage(path, Counts(10, missing, 0, 0, 0), lines, lines[10 - missing :], ())


REPORT = CoverageReport((_module("pkg/a.py", 5), _module("pkg/done.py", 0)), has_branches=True)
SNAPSHOT = {
    "Latest snapshot (2026-11-26)": [
        "- **Latest snapshot (2026-11-26)**:",
        "  - Global coverage **75.00%**.",
    ],
    "Completed modules (100% coverage)": ["- **Completed modules (100% coverage)**: none."],
    "Significantly improved modules": ["- **Significantly improved modules**: none."],
    "Module backlog": ["- **Module backlog**:", "  - `pkg/a.py` (50.00%)"],
}


def sync(
    text: str,
    snapshot: dict[str, list[str]] | None = None,
    umbrella: str = "Coverage roadmap towards ~100%",
) -> tuple[str, list[tuple[str, str]], list[str]]:
    config = parse_config({"umbrella": umbrella}, root=Path("/nonexistent"))
    inputs = dataclasses.replace(plan_inputs(config, REPORT, DAY), snapshot=snapshot or SNAPSHOT)
    result = sync_text(text, inputs)
    return result.text, result.events.kept, result.events.notes


def umbrella_lines(text: str) -> list[str]:
    document = parse_document(text)
    entry = next(e for e in document.entries if e.title.startswith("Coverage roadmap"))
    return [line.rstrip("\n") for line in document.lines[entry.span.start : entry.span.end]]


def test_field_stem_drops_a_trailing_parenthesis() -> None:
    assert field_stem("Latest snapshot (2025-09-30)") == "Latest snapshot"
    assert field_stem("Module backlog") == "Module backlog"


def test_first_sync_takes_the_snapshot_fields_over_and_keeps_the_rest() -> None:
    text, kept, _ = sync(ROADMAP)
    lines = umbrella_lines(text)
    assert lines[2].startswith('<!-- covtasks:umbrella managed="Latest snapshot=')
    assert "- **Latest snapshot (2026-11-26)**:" in lines
    assert "  - Global coverage **75.00%**." in lines
    assert "- **Summary**: Every module at 100%." in lines
    assert "  1. Scoreboard." in lines
    assert kept == []
    assert (
        "### Deferred · tv-2025-09-12:PR31 · Something else\n\n- **Summary**: Unrelated.\n" in text
    )


def test_completed_items_a_person_wrote_stay_while_they_hold() -> None:
    text, _, _ = sync(ROADMAP)
    lines = umbrella_lines(text)
    assert "- **Completed modules (100% coverage)**:" in lines
    assert "  - ✅ `pkg/done.py` (93.07% → 100%)" in lines
    assert not any("pkg/gone.py" in line for line in lines)  # no longer measured
    assert "  - ⬆️ `pkg/a.py` (41.00% → 50.00%, +9.00%)" in lines
    assert "  - `pkg/a.py` (50.00%)" in lines


def test_second_sync_changes_nothing() -> None:
    once, _, _ = sync(ROADMAP)
    twice, _, _ = sync(once)
    assert twice == once


def test_refreshed_while_unedited() -> None:
    once, _, _ = sync(ROADMAP)
    newer = dict(SNAPSHOT)
    newer["Module backlog"] = ["- **Module backlog**:", "  - `pkg/a.py` (60.00%)"]
    twice, kept, _ = sync(once, newer)
    assert "  - `pkg/a.py` (60.00%)" in umbrella_lines(twice)
    assert kept == []


def test_a_field_a_person_edits_is_theirs_from_then_on() -> None:
    once, _, _ = sync(ROADMAP)
    edited = once.replace("  - `pkg/a.py` (50.00%)", "  - `pkg/a.py` (50.00%) — alice is on it")
    newer = dict(SNAPSHOT)
    newer["Module backlog"] = ["- **Module backlog**:", "  - `pkg/a.py` (60.00%)"]
    twice, kept, _ = sync(edited, newer)
    assert "  - `pkg/a.py` (50.00%) — alice is on it" in umbrella_lines(twice)
    assert kept == [("umbrella", "Module backlog")]
    assert sync(twice, newer)[0] == twice


def test_a_field_a_person_deletes_is_not_added_back() -> None:
    once, _, _ = sync(ROADMAP)
    document = parse_document(once)
    entry = next(e for e in document.entries if e.title.startswith("Coverage roadmap"))
    backlog = next(f for f in entry.fields if f.name == "Module backlog")
    without = "".join(document.lines[: backlog.span.start] + document.lines[backlog.span.end :])
    twice, _, _ = sync(without)
    assert "Module backlog" not in twice


def test_missing_fields_are_added_after_the_last_field() -> None:
    bare = "### Open · tv-1:x · Coverage roadmap towards ~100%\n\n- **Summary**: s\n"
    text, _, _ = sync(bare)
    lines = umbrella_lines(text)
    assert lines[:5] == [
        "### Open · tv-1:x · Coverage roadmap towards ~100%",
        "",
        lines[2],
        "",
        "- **Summary**: s",
    ]
    assert lines[5] == "- **Latest snapshot (2026-11-26)**:"
    assert lines[-1] == "  - `pkg/a.py` (50.00%)"


def test_umbrella_found_by_its_id() -> None:
    text, _, _ = sync(ROADMAP, umbrella="tv-2025-09-29:PR??")
    assert "covtasks:umbrella" in text


def test_unknown_umbrella_is_a_note_and_changes_nothing() -> None:
    text, _, notes = sync(ROADMAP, umbrella="No such roadmap")
    assert "covtasks:umbrella" not in text
    assert umbrella_lines(text) == umbrella_lines(ROADMAP)
    assert notes == ["no entry titled or identified 'No such roadmap' (umbrella)"]


def test_malformed_umbrella_marker_is_an_error_naming_its_line() -> None:
    broken = ROADMAP.replace(
        "- **Summary**: Every", "<!-- covtasks:umbrella broken -->\n\n- **Summary**: Every"
    )
    with pytest.raises(TaskFileError, match="line 7: malformed covtasks umbrella marker"):
        sync(broken)


def test_sync_command_keeps_the_umbrella_snapshot_from_real_coverage(
    gappy_project: SampleProject,
) -> None:
    root = gappy_project.root
    pyproject = root / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text() + '\n[tool.covtasks]\numbrella = "Coverage roadmap towards ~100%"\n'
    )
    (root / ".ldres").mkdir()
    (root / ".ldres/tv-tasks.md").write_text(ROADMAP)
    result = CliRunner().invoke(app, ["-C", str(root), "sync", "--date", "2026-11-26"])
    assert result.exit_code == 0, result.output
    lines = umbrella_lines((root / ".ldres/tv-tasks.md").read_text())
    assert "  - Global coverage **68.42%** (lines 73.33%, branches 50.00%)." in lines
    assert "  - `pkg/gappy.py` (64.71%)" in lines
    again = CliRunner().invoke(app, ["-C", str(root), "sync", "--check", "--date", "2026-11-27"])
    assert again.exit_code == 0, again.output


def test_an_edited_field_is_not_reported_while_covtasks_has_nothing_new_for_it() -> None:
    once, _, _ = sync(ROADMAP)
    edited = once.replace("  - `pkg/a.py` (50.00%)", "  - `pkg/a.py` (50.00%) — ours")
    twice, kept, _ = sync(edited)
    assert twice == edited
    assert kept == []


def test_a_field_a_person_adds_back_after_deleting_it_stays_theirs() -> None:
    once, _, _ = sync(ROADMAP)
    document = parse_document(once)
    entry = next(e for e in document.entries if e.title.startswith("Coverage roadmap"))
    backlog = next(f for f in entry.fields if f.name == "Module backlog")
    without = "".join(document.lines[: backlog.span.start] + document.lines[backlog.span.end :])
    dropped, _, _ = sync(without)
    readded = dropped.replace(
        "- **Summary**: Every module at 100%.\n",
        "- **Summary**: Every module at 100%.\n- **Module backlog**: see the board.\n",
    )
    again, kept, _ = sync(readded)
    assert "- **Module backlog**: see the board." in again
    assert kept == [("umbrella", "Module backlog")]
