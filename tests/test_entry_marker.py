"""An entry read raw: a short marker, markers of earlier versions, one-field diffs."""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
from pathlib import Path
from typing import Any
from urllib.parse import quote

import mdformat

from covtasks.config import parse_config
from covtasks.document import parse_document
from covtasks.entry_text import coverage_text
from covtasks.marker_memory import marker_module, memory_from_attrs
from covtasks.markers import format_marker, parse_marker
from covtasks.memory import Baseline, Memory, fingerprint
from covtasks.model import CoverageReport, ModuleCoverage
from covtasks.planner import PlanInputs
from covtasks.sync import new_task_file, sync_text
from covtasks.tasks_file import plan_inputs
from tests.test_sync import DAY1, DAY2, DAY3, STYLE, entry_lines, field, heading, module

LEGACY = Path(__file__).parent / "data" / "legacy" / "two-entries.md"
# Written by the previous version (module= base= class= completed= regressed= unmeasured=
# fp=) on 2026-11-26: a in progress, b completed, c regressed, d no longer measured.
PREVIOUS = Path(__file__).parent / "data" / "legacy" / "compact-v1.md"
PREVIOUS_MODULES = (
    module("pkg/a.py", 10, 3),
    module("pkg/b.py", 10, 0, 4, 0),
    module("pkg/c.py", 10, 1, 4, 0),
)
LONG_PATH = "src/printshop/drivers/spooler_queue_x.py"


def inputs_for(
    root: Path, today: dt.date, *modules: ModuleCoverage, nature: str = "", **settings: Any
) -> PlanInputs:
    """Plan inputs with a notes key per module, as production has one."""
    config = parse_config(settings, root=root)
    report = CoverageReport(modules=modules, has_branches=True)
    inputs = dataclasses.replace(
        plan_inputs(config, report, today), notes_key=lambda found: f"key-{found.path}"
    )
    if nature:
        inputs = dataclasses.replace(inputs, nature_of=lambda _found: nature)
    return inputs


def run(text: str, inputs: PlanInputs) -> str:
    return sync_text(text, inputs).text


def marker_line(text: str, path: str) -> str:
    (line,) = [line for line in entry_lines(text, path) if line.startswith("<!-- covtasks:entry")]
    return line


def as_earlier_version(text: str, path: str) -> str:
    """The entry's marker rewritten the way covtasks wrote it before the compact marker."""
    document = parse_document(text)
    (entry,) = [e for e in document.entries if marker_module(e.attrs) == path]
    assert entry.marker is not None
    managed = ",".join(
        f"{quote(found.name, safe=' ')}="
        + fingerprint(document.lines[found.span.start : found.span.end])
        for found in entry.fields
    )
    base = memory_from_attrs(entry.attrs, entry.marker).baseline
    assert base is not None
    attrs = {
        "module": path,
        "state": "open",
        "status": entry.status,
        "baseline": f"{base.covered}/{base.total}@{base.day}",
        "notes": f"key-{path}",
        "nature": "deterministic",
        "managed": managed,
    }
    lines = list(document.lines)
    lines[entry.marker] = format_marker(attrs) + "\n"
    return "".join(lines)


# --- the marker's length --------------------------------------------------------------


def test_marker_of_a_new_entry_on_a_40_character_path_is_at_most_180_characters(
    tmp_path: Path,
) -> None:
    assert len(LONG_PATH) == 40
    big = module(LONG_PATH, 4000, 1500, 1200, 700)
    for nature in ("deterministic", "hardware-sensitive"):
        text = run(STYLE, inputs_for(tmp_path, DAY1, big, nature=nature, milestones=[]))
        assert len(marker_line(text, LONG_PATH)) <= 180
    # In progress, with milestones (one field more): still within the budget.
    milestones = [{"name": "Core", "modules": ["src/**"]}]
    inputs = inputs_for(tmp_path, DAY1, big, nature="stochastic", milestones=milestones)
    text = run(STYLE, inputs)
    later = module(LONG_PATH, 4000, 1000, 1200, 700)
    text = run(text, inputs_for(tmp_path, DAY2, later, nature="stochastic", milestones=milestones))
    marker = marker_line(text, LONG_PATH)
    assert field(text, LONG_PATH, "Milestone") == "Core"
    assert heading(text, LONG_PATH).startswith("### In progress · ")
    assert len(marker) <= 180, marker


def test_markers_of_every_lifecycle_state_on_a_40_character_path_fit_180_characters(
    tmp_path: Path,
) -> None:
    """Open, in progress, completed, regressed, and no longer measured after a regression,
    each with a milestone (one field more), a class with a four-digit testable gap and
    four-digit counts: the longest markers a sync writes."""
    milestones = [{"name": "Core", "modules": ["src/**"]}]

    def step(text: str, day: int, *found: ModuleCoverage) -> tuple[str, int]:
        inputs = inputs_for(
            tmp_path,
            dt.date(2026, 11, 1) + dt.timedelta(days=day - 1),
            *found,
            nature="hardware-sensitive:1500",
            milestones=milestones,
        )
        text = run(text, inputs)
        return text, len(marker_line(text, LONG_PATH))

    text, created = step(STYLE, 1, module(LONG_PATH, 4000, 1500, 1200, 700))
    text, progress = step(text, 2, module(LONG_PATH, 4000, 1000, 1200, 700))
    assert heading(text, LONG_PATH).startswith("### In progress · ")
    text, completed = step(text, 3, module(LONG_PATH, 4000, 0, 1200, 0))
    assert heading(text, LONG_PATH).startswith("### Completed · ")
    text, regressed = step(text, 30, module(LONG_PATH, 4000, 1000, 1200, 700))
    assert "; regressed from 100% on 2026-11-30 (at target since 2026-11-03)" in field(
        text, LONG_PATH, "Coverage"
    )
    text, unmeasured = step(text, 58)  # nothing measured on 2026-12-28
    assert field(text, LONG_PATH, "Coverage") == "No longer measured since 2026-12-28."
    assert marker_line(text, LONG_PATH).startswith(f'<!-- covtasks:entry m="{LONG_PATH}" ')
    assert ' b="3500/5200@20261130,c-27,r,u28" c="h1500" ' in marker_line(text, LONG_PATH)
    lengths = [created, progress, completed, regressed, unmeasured]
    assert max(lengths) <= 180, lengths


def test_the_marker_keeps_identity_baseline_class_and_one_digest_string(tmp_path: Path) -> None:
    text = run(STYLE, inputs_for(tmp_path, DAY1, module("pkg/a.py"), nature="stochastic"))
    attrs = parse_marker(marker_line(text, "pkg/a.py"))
    assert attrs is not None
    assert list(attrs) == ["m", "b", "c", "fp"]
    assert attrs["m"] == "pkg/a.py"
    assert attrs["b"] == "7/14@20261120"
    assert attrs["c"] == "s"
    assert len(attrs["fp"]) == 59  # 32 bits for the notes, the status word and 9 fields


# --- markers of earlier versions --------------------------------------------------------


def test_an_earlier_versions_marker_stays_as_it_is_while_the_entry_does_not_change(
    tmp_path: Path,
) -> None:
    inputs = inputs_for(tmp_path, DAY1, module("pkg/a.py"))
    old = as_earlier_version(run(STYLE, inputs), "pkg/a.py")
    assert 'managed="Summary=' in old
    assert run(old, inputs) == old
    assert run(old, dataclasses.replace(inputs, today=DAY3)) == old


def test_an_earlier_versions_marker_is_upgraded_when_the_entry_changes(tmp_path: Path) -> None:
    old = as_earlier_version(run(STYLE, inputs_for(tmp_path, DAY1, module("pkg/a.py"))), "pkg/a.py")
    new = run(old, inputs_for(tmp_path, DAY2, module("pkg/a.py", 10, 2)))
    attrs = parse_marker(marker_line(new, "pkg/a.py"))
    assert attrs is not None
    assert set(attrs) == {"m", "b", "fp"}
    # Every field the old marker called covtasks' was refreshed.
    assert field(new, "pkg/a.py", "Coverage").startswith("71.43% (lines 80.00%, 8/10;")
    assert field(new, "pkg/a.py", "Missing") == "lines `9-10`; branches `1->3`"
    assert heading(new, "pkg/a.py").startswith("### In progress · ")
    again = run(new, inputs_for(tmp_path, DAY3, module("pkg/a.py", 10, 1)))
    assert field(again, "pkg/a.py", "Missing") == "lines `10`; branches `1->3`"


def test_a_field_a_person_edited_under_an_old_marker_stays_theirs_after_the_upgrade(
    tmp_path: Path,
) -> None:
    created = run(STYLE, inputs_for(tmp_path, DAY1, module("pkg/a.py")))
    old = as_earlier_version(created, "pkg/a.py")
    edited = old.replace("- **Owner**: tv", "- **Owner**: alice")
    edited = edited.replace("- **Size**: S", "- **Size**: S (but tricky)")
    upgraded = run(edited, inputs_for(tmp_path, DAY2, module("pkg/a.py", 10, 2)))
    assert "fp=" in marker_line(upgraded, "pkg/a.py")
    assert field(upgraded, "pkg/a.py", "Owner") == "alice"
    assert field(upgraded, "pkg/a.py", "Size") == "S (but tricky)"
    # After the upgrade covtasks still leaves them alone, and says so when it would differ.
    later = inputs_for(tmp_path, DAY3, module("pkg/a.py", 10, 1, 4, 0), default_owner="carol")
    result = sync_text(upgraded, later)
    assert field(result.text, "pkg/a.py", "Owner") == "alice"
    assert field(result.text, "pkg/a.py", "Size") == "S (but tricky)"
    assert ("pkg/a.py", "Owner") in result.events.kept
    assert field(result.text, "pkg/a.py", "Priority") == field(created, "pkg/a.py", "Priority")


def test_markers_of_the_previous_version_stay_as_they_are_while_nothing_changes(
    tmp_path: Path,
) -> None:
    before = PREVIOUS.read_text(encoding="utf-8")
    assert ' module="pkg/c.py" base="13/14@2026-11-26" class="d7" completed=' in before
    for day in (DAY3, dt.date(2027, 1, 5)):
        assert run(before, inputs_for(tmp_path, day, *PREVIOUS_MODULES)) == before


def test_a_marker_of_the_previous_version_is_upgraded_when_its_entry_changes_only(
    tmp_path: Path,
) -> None:
    before = PREVIOUS.read_text(encoding="utf-8")
    later = (module("pkg/a.py", 10, 1), *PREVIOUS_MODULES[1:])
    after = run(before, inputs_for(tmp_path, dt.date(2026, 11, 28), *later))
    assert marker_line(after, "pkg/a.py").startswith('<!-- covtasks:entry m="pkg/a.py" b=')
    assert field(after, "pkg/a.py", "Missing") == "lines `10`; branches `1->3`"
    for path in ("pkg/b.py", "pkg/c.py", "pkg/d.py"):
        assert marker_line(after, path) == marker_line(before, path)
    # The regressed entry keeps its dates when it changes and its marker is upgraded.
    changed = (*PREVIOUS_MODULES[:2], module("pkg/c.py", 10, 2, 4, 0))
    after = run(before, inputs_for(tmp_path, dt.date(2026, 11, 28), *changed))
    attrs = parse_marker(marker_line(after, "pkg/c.py"))
    assert attrs is not None
    assert (attrs["m"], attrs["b"], attrs["c"]) == ("pkg/c.py", "13/14@20261126,c-3,r", "d7")
    assert field(after, "pkg/c.py", "Coverage").endswith(
        "; regressed from 100% on 2026-11-26 (at target since 2026-11-23)"
    )


def test_a_field_a_person_edited_under_the_previous_marker_stays_theirs_after_the_upgrade(
    tmp_path: Path,
) -> None:
    before = PREVIOUS.read_text(encoding="utf-8")
    edited = before.replace("- **Owner**: tv", "- **Owner**: alice", 1)
    later = (module("pkg/a.py", 10, 1), *PREVIOUS_MODULES[1:])
    upgraded = run(edited, inputs_for(tmp_path, dt.date(2026, 11, 28), *later))
    assert ' m="pkg/a.py" ' in marker_line(upgraded, "pkg/a.py")
    assert field(upgraded, "pkg/a.py", "Owner") == "alice"
    assert field(upgraded, "pkg/a.py", "Missing") == "lines `10`; branches `1->3`"
    result = sync_text(
        upgraded,
        inputs_for(tmp_path, dt.date(2026, 11, 29), *later, default_owner="carol"),
    )
    assert field(result.text, "pkg/a.py", "Owner") == "alice"
    assert ("pkg/a.py", "Owner") in result.events.kept
    assert field(result.text, "pkg/b.py", "Owner") == "carol"


def test_a_task_file_of_the_previous_version_is_refreshed_and_its_markers_upgraded(
    tmp_path: Path,
) -> None:
    before = LEGACY.read_text(encoding="utf-8")
    modules = (module("pkg/a.py", 10, 5), module("pkg/b.py", 20, 3, 0, 0))
    config = parse_config({}, root=Path("/nonexistent-root"))
    inputs = plan_inputs(config, CoverageReport(modules=modules, has_branches=True), DAY1)
    after = sync_text(before, inputs).text
    for path in ("pkg/a.py", "pkg/b.py"):
        assert len(marker_line(after, path)) < len(marker_line(before, path)) / 2
        assert "managed=" not in marker_line(after, path)
        assert not any("impact" in line for line in entry_lines(after, path))
    assert (
        field(after, "pkg/a.py", "Coverage") == "50.00% (lines 50.00%, 5/10; branches 50.00%, 2/4)"
    )
    assert field(after, "pkg/b.py", "Coverage") == "85.00% (lines 17/20)"
    assert field(after, "pkg/a.py", "Owner") == "tv"
    assert sync_text(after, inputs).text == after


# --- what a change looks like -------------------------------------------------------------


def test_a_sync_that_changes_one_field_changes_only_its_lines_and_the_marker(
    tmp_path: Path,
) -> None:
    before = run(STYLE, inputs_for(tmp_path, DAY1, module("pkg/a.py"), module("pkg/b.py")))
    after = run(
        before,
        inputs_for(tmp_path, DAY1, module("pkg/a.py"), module("pkg/b.py"), default_owner="carol"),
    )
    changed = [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert sorted(line[1:] for line in changed if line.startswith("+")) == sorted(
        [
            "- **Owner**: carol",
            "- **Owner**: carol",
            marker_line(after, "pkg/a.py"),
            marker_line(after, "pkg/b.py"),
        ]
    )
    assert len(changed) == 8


# --- the coverage line ------------------------------------------------------------------------


def test_coverage_line_on_the_day_of_creation_has_no_baseline(tmp_path: Path) -> None:
    text = run(STYLE, inputs_for(tmp_path, DAY1, module("pkg/a.py", 40, 10, 10, 4)))
    assert (
        field(text, "pkg/a.py", "Coverage") == "72.00% (lines 75.00%, 30/40; branches 60.00%, 6/10)"
    )


def test_coverage_line_after_a_change_says_up_from_the_baseline_and_its_date(
    tmp_path: Path,
) -> None:
    text = run(STYLE, inputs_for(tmp_path, DAY1, module("pkg/a.py", 19, 19, 4, 4)))
    text = run(text, inputs_for(tmp_path, DAY2, module("pkg/a.py", 19, 8, 4, 4)))
    assert field(text, "pkg/a.py", "Coverage") == (
        "47.83% (lines 57.89%, 11/19; branches 0.00%, 0/4), up from 0.00% on 2026-11-20"
    )


def test_coverage_line_going_down_says_down_from(tmp_path: Path) -> None:
    text = run(STYLE, inputs_for(tmp_path, DAY1, module("pkg/a.py", 10, 2, 0, 0)))
    text = run(text, inputs_for(tmp_path, DAY2, module("pkg/a.py", 10, 4, 0, 0)))
    assert (
        field(text, "pkg/a.py", "Coverage") == "60.00% (lines 6/10), down from 80.00% on 2026-11-20"
    )


def test_coverage_line_of_a_module_without_branches_shows_no_branch_figure(
    tmp_path: Path,
) -> None:
    text = run(STYLE, inputs_for(tmp_path, DAY1, module("pkg/a.py", 19, 8, 0, 0)))
    assert field(text, "pkg/a.py", "Coverage") == "57.89% (lines 11/19)"


def test_coverage_line_of_a_percent_baseline_a_person_wrote_has_no_date() -> None:
    memory = Memory("pkg/a.py", baseline=Baseline(2, 5, ""))
    text = coverage_text(module("pkg/a.py", 10, 5, 0, 0), memory, 2)
    assert text == "50.00% (lines 5/10), up from 40.00%"


def test_entries_through_their_lifecycle_are_stable_under_mdformat(tmp_path: Path) -> None:
    text = run(new_task_file(DAY1), inputs_for(tmp_path, DAY1, module("pkg/a.py", 19, 8, 0, 0)))
    assert mdformat.text(text) == text
    text = run(text, inputs_for(tmp_path, DAY2, module("pkg/a.py", 19, 2, 0, 0)))
    assert mdformat.text(text) == text
    text = run(text, inputs_for(tmp_path, DAY3, module("pkg/a.py", 19, 0, 0, 0)))
    assert field(text, "pkg/a.py", "Coverage").endswith("; completed 2026-11-26")
    assert mdformat.text(text) == text
    text = run(text, inputs_for(tmp_path, dt.date(2026, 12, 1), module("pkg/a.py", 19, 1, 0, 0)))
    assert "regressed from 100% on 2026-12-01" in field(text, "pkg/a.py", "Coverage")
    assert mdformat.text(text) == text
    text = run(text, inputs_for(tmp_path, dt.date(2026, 12, 9)))
    assert ' b="18/19@20261201,c-5,r,u8" ' in marker_line(text, "pkg/a.py")
    assert mdformat.text(text) == text
