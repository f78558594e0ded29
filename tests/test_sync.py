"""Sync on text: entries created and refreshed, a person's edits kept, lifecycle, safety."""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
from pathlib import Path
from typing import Any

import mdformat
import pytest
from hypothesis import given, settings

from covtasks.config import parse_config
from covtasks.document import parse_document
from covtasks.errors import TaskFileError
from covtasks.marker_memory import marker_module
from covtasks.model import Counts, CoverageReport, ModuleCoverage
from covtasks.planner import Events
from covtasks.sync import new_task_file, sync_text
from covtasks.tasks_file import plan_inputs
from tests.strategies import task_documents

UPDATED = re.compile(r"\(updated \d{4}-\d{2}-\d{2}\)")
DAY1 = dt.date(2026, 11, 20)
DAY2 = dt.date(2026, 11, 23)
DAY3 = dt.date(2026, 11, 26)
STYLE = """\
# tv-tasks

Chores for `pkg`. Keep entries short.

> **Policy**: no mocks.

## Open tasks (updated 2025-10-01)

<details>
<summary>Template</summary>

```markdown
### Open · tv-YYYY-MM-DD:PR### · Cover `pkg/a.py` to 100%
```

</details>

### In progress · tv-2025-09-30:PR12 · Split the loader

- **Summary**: Separate reading from parsing.
- **Next steps**:
  1. Extract.
  1. Inject.

## Deferred tasks (updated 2025-09-20)

### Deferred · tv-2025-09-12:PR31 · Replace the cron parser

- **Summary**: Wait for upstream.

______________________________________________________________________

## Notes

- Tests never mock.
"""


def module(
    path: str, statements: int = 10, missing: int = 5, branches: int = 4, missing_br: int = 2
) -> ModuleCoverage:
    lines = tuple(range(1, statements + 1))
    return ModuleCoverage(
        path=path,
        counts=Counts(statements, missing, branches, missing_br, min(missing_br, 1)),
        statement_lines=lines,
        missing_lines=lines[statements - missing :],
        missing_arcs=((1, 3),) if missing_br else (),
    )


def sync(
    text: str, root: Path, today: dt.date, *modules: ModuleCoverage, **settings_: Any
) -> tuple[str, Events]:
    config = parse_config(settings_, root=root)
    report = CoverageReport(modules=modules, has_branches=True)
    result = sync_text(text, plan_inputs(config, report, today))
    return result.text, result.events


def entry_lines(text: str, path: str) -> list[str]:
    document = parse_document(text)
    (entry,) = [e for e in document.entries if marker_module(e.attrs) == path]
    return [line.rstrip("\n") for line in document.lines[entry.span.start : entry.span.end]]


def field(text: str, path: str, name: str) -> str:
    lines = entry_lines(text, path)
    prefix = f"- **{name}**:"
    (line,) = [line for line in lines if line.startswith(prefix)]
    return line[len(prefix) :].strip()


def heading(text: str, path: str) -> str:
    return entry_lines(text, path)[0]


def outside_entries(text: str) -> str:
    """The text with covtasks' own entries cut out and section dates blanked."""
    document = parse_document(text)
    inside = {
        line
        for e in document.entries
        if e.marker is not None
        for line in range(e.span.start, e.span.end)
    }
    kept = [line for number, line in enumerate(document.lines) if number not in inside]
    return UPDATED.sub("(updated X)", "".join(kept))


def only_insertions(before: str, after: str, allowed_replacements: int = 0) -> bool:
    """Every line of ``before`` survives in order; at most N lines were replaced.

    Lines are compared without their endings (CommonMark's: LF, CRLF or a lone CR), since a
    last line without one gains one when lines are added after it; the fixtures check
    line endings byte for byte.
    """
    old = [line.rstrip("\r\n") for line in parse_document(before).lines]
    new = [line.rstrip("\r\n") for line in parse_document(after).lines]
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    replaced = 0
    for tag, a1, a2, _, _ in matcher.get_opcodes():
        if tag == "delete":
            return False
        if tag == "replace":
            replaced += a2 - a1
    return replaced <= allowed_replacements


# --- creation -------------------------------------------------------------------------


def test_new_entry_goes_at_the_end_of_open_tasks_with_section_date(tmp_path: Path) -> None:
    text, events = sync(STYLE, tmp_path, DAY1, module("pkg/a.py"))
    assert events.created == ["pkg/a.py"]
    document = parse_document(text)
    open_section = next(s for s in document.sections if s.title.startswith("Open tasks"))
    (entry,) = [e for e in document.entries if e.attrs]
    assert open_section.span.start < entry.heading < open_section.span.end
    assert "## Open tasks (updated 2026-11-20)" in text
    assert "## Deferred tasks (updated 2025-09-20)" in text
    assert only_insertions(STYLE, text, allowed_replacements=1)


def test_new_entry_reads_like_the_template(tmp_path: Path) -> None:
    text, _ = sync(STYLE, tmp_path, DAY1, module("pkg/a.py"))
    assert heading(text, "pkg/a.py") == "### Open · tv-2026-11-20:cov-a · Cover `pkg/a.py` to 100%"
    assert field(text, "pkg/a.py", "Owner") == "tv"
    assert field(text, "pkg/a.py", "Size") == "S"
    coverage = field(text, "pkg/a.py", "Coverage")
    assert coverage == "50.00% (lines 50.00%, 5/10; branches 50.00%, 2/4)"
    assert field(text, "pkg/a.py", "Missing") == "lines `6-10`; branches `1->3`"


def test_a_template_heading_inside_details_is_never_an_entry_nor_a_claim(tmp_path: Path) -> None:
    text, events = sync(STYLE, tmp_path, DAY1, module("pkg/a.py"))
    assert events.created == ["pkg/a.py"]
    assert text.count("### Open · tv-YYYY-MM-DD:PR### · Cover `pkg/a.py` to 100%") == 1
    assert text.index("</details>") < text.index("cov-a")


def test_without_an_open_tasks_section_a_coverage_tasks_section_is_added(tmp_path: Path) -> None:
    before = "# Notes\n\nSome text.\n"
    text, _ = sync(before, tmp_path, DAY1, module("pkg/a.py"))
    assert text.startswith(before + "\n## Coverage tasks\n\n### Open · ")


def test_insert_under_names_the_section_for_new_entries(tmp_path: Path) -> None:
    text, _ = sync(STYLE, tmp_path, DAY1, module("pkg/a.py"), insert_under="Deferred")
    document = parse_document(text)
    deferred = next(s for s in document.sections if s.title.startswith("Deferred"))
    (entry,) = [e for e in document.entries if e.attrs]
    assert deferred.span.start < entry.heading < deferred.span.end
    assert "## Deferred tasks (updated 2026-11-20)" in text
    assert text.index("cov-a") < text.index("______")


def test_new_entries_are_ordered_by_priority_then_coverage(tmp_path: Path) -> None:
    modules = [
        module("pkg/small.py", 10, 1, 0, 0),
        module("pkg/big.py", 100, 90, 20, 15),
        module("pkg/mid.py", 10, 6),
    ]
    text, _ = sync(STYLE, tmp_path, DAY1, *modules)
    order = [marker_module(e.attrs) for e in parse_document(text).entries if e.attrs]
    priorities = [field(text, path, "Priority") for path in order]
    assert priorities == sorted(priorities)
    assert order[0] == "pkg/big.py"


def test_modules_meeting_target_get_no_entry(tmp_path: Path) -> None:
    text, events = sync(STYLE, tmp_path, DAY1, module("pkg/full.py", 10, 0, 4, 0))
    assert text == STYLE
    assert events.created == []


def test_a_new_task_file_written_by_covtasks_is_stable_under_mdformat(tmp_path: Path) -> None:
    modules = [
        module("pkg/a.py"),
        module("pkg/b_c.py", 30, 20, 10, 5),
        module("pkg/weird`*<name>.py", 5, 1, 0, 0),
    ]
    text, _ = sync(new_task_file(DAY1), tmp_path, DAY1, *modules)
    assert mdformat.text(text) == text


# --- refreshing and people's edits ------------------------------------------------------


def test_second_sync_with_same_inputs_changes_nothing(tmp_path: Path) -> None:
    once, _ = sync(STYLE, tmp_path, DAY1, module("pkg/a.py"), module("pkg/b.py", 20, 3))
    twice, events = sync(once, tmp_path, DAY1, module("pkg/a.py"), module("pkg/b.py", 20, 3))
    assert twice == once
    assert events == Events()


def test_rising_coverage_refreshes_fields_and_status(tmp_path: Path) -> None:
    once, _ = sync(STYLE, tmp_path, DAY1, module("pkg/a.py", 10, 5))
    twice, events = sync(once, tmp_path, DAY2, module("pkg/a.py", 10, 2))
    assert events.updated == ["pkg/a.py"]
    assert heading(twice, "pkg/a.py").startswith("### In progress · ")
    assert field(twice, "pkg/a.py", "Coverage") == (
        "71.43% (lines 80.00%, 8/10; branches 50.00%, 2/4), up from 50.00% on 2026-11-20"
    )
    assert "## Open tasks (updated 2026-11-23)" in twice


def test_person_edits_to_one_field_freeze_only_that_field(tmp_path: Path) -> None:
    once, _ = sync(STYLE, tmp_path, DAY1, module("pkg/a.py", 10, 5))
    edited = once.replace("- **Owner**: tv", "- **Owner**: alice (pairing with bob)")
    twice, events = sync(edited, tmp_path, DAY2, module("pkg/a.py", 10, 2))
    assert field(twice, "pkg/a.py", "Owner") == "alice (pairing with bob)"
    assert field(twice, "pkg/a.py", "Coverage").startswith("71.43% (lines 80.00%")
    assert events.kept == []  # the owner covtasks would write is unchanged, so nothing to report
    thrice, events = sync(twice, tmp_path, DAY2, module("pkg/a.py", 10, 2), default_owner="carol")
    assert field(thrice, "pkg/a.py", "Owner") == "alice (pairing with bob)"
    assert events.kept == [("pkg/a.py", "Owner")]


def test_edited_summary_and_notes_survive_and_the_entry_still_updates(tmp_path: Path) -> None:
    once, _ = sync(STYLE, tmp_path, DAY1, module("pkg/a.py", 10, 5))
    summary = field(once, "pkg/a.py", "Summary")
    edited = once.replace(f"- **Summary**: {summary}", "- **Summary**: We agreed to bring it up")
    edited = edited.replace(
        "- **DI/fixture notes**:", "- **DI/fixture notes**: see the design doc\n  - ask alice", 1
    )
    twice, _ = sync(edited, tmp_path, DAY2, module("pkg/a.py", 10, 1))
    assert field(twice, "pkg/a.py", "Summary").startswith("We agreed to bring")
    assert "  - ask alice" in entry_lines(twice, "pkg/a.py")
    assert field(twice, "pkg/a.py", "Coverage").startswith("78.57% (lines 90.00%")


def test_lines_a_person_adds_inside_an_entry_are_kept_verbatim(tmp_path: Path) -> None:
    once, _ = sync(STYLE, tmp_path, DAY1, module("pkg/a.py", 10, 5))
    added = "- **Dependencies**: PR12 first.  \n  1. then this\n  3. odd numbering\n"
    edited = once.replace("- **Validation**:", added + "- **Validation**:")
    twice, _ = sync(edited, tmp_path, DAY2, module("pkg/a.py", 10, 1))
    assert added in twice
    assert field(twice, "pkg/a.py", "Coverage").startswith("78.57% (lines 90.00%")


def test_status_a_person_wrote_stays_while_fields_update(tmp_path: Path) -> None:
    once, _ = sync(STYLE, tmp_path, DAY1, module("pkg/a.py", 10, 5))
    deferred = once.replace("### Open · tv-2026", "### Deferred · tv-2026")
    twice, events = sync(deferred, tmp_path, DAY2, module("pkg/a.py", 10, 2))
    assert heading(twice, "pkg/a.py").startswith("### Deferred · ")
    assert ("pkg/a.py", "status") in events.kept
    assert field(twice, "pkg/a.py", "Coverage").startswith("71.43% (lines 80.00%")


def test_rewritten_id_reworded_title_and_moved_entry_are_updated_in_place(tmp_path: Path) -> None:
    once, _ = sync(STYLE, tmp_path, DAY1, module("pkg/a.py", 10, 5))
    document = parse_document(once)
    (entry,) = [e for e in document.entries if e.attrs]
    block = "".join(document.lines[entry.span.start : entry.span.end])
    rest = "".join(document.lines[: entry.span.start] + document.lines[entry.span.end :])
    block = block.replace(
        "tv-2026-11-20:cov-a · Cover `pkg/a.py` to 100%",
        "tv-2026-11-21:PR77 · Finish the a module",
    )
    moved = rest + "\n" + block
    twice, events = sync(moved, tmp_path, DAY2, module("pkg/a.py", 10, 2))
    assert events.created == []
    assert twice.count("covtasks:entry") == 1
    assert (
        heading(twice, "pkg/a.py") == "### In progress · tv-2026-11-21:PR77 · Finish the a module"
    )
    assert twice.rstrip().endswith(entry_lines(twice, "pkg/a.py")[-1])


def test_entry_without_marker_is_claimed_by_the_path_in_its_title_and_left_alone(
    tmp_path: Path,
) -> None:
    mine = STYLE + "\n### Open · tv-2025-10-02:PR9 · Cover `pkg/a.py` by hand\n\n- **Owner**: me\n"
    text, events = sync(mine, tmp_path, DAY1, module("pkg/a.py"))
    assert text == mine
    assert events.created == []


def test_two_entries_claiming_one_module_is_an_error_naming_both_lines(tmp_path: Path) -> None:
    once, _ = sync(STYLE, tmp_path, DAY1, module("pkg/a.py"))
    block = "\n".join(entry_lines(once, "pkg/a.py"))
    doubled = once + "\n" + block + "\n"
    first = next(e for e in parse_document(once).entries if e.attrs).heading + 1
    second = len(once.splitlines()) + 2
    with pytest.raises(
        TaskFileError, match=f"lines {first} and {second} both claim module pkg/a.py"
    ):
        sync(doubled, tmp_path, DAY2, module("pkg/a.py"))


def test_a_broken_marker_is_an_error_naming_its_line(tmp_path: Path) -> None:
    once, _ = sync(STYLE, tmp_path, DAY1, module("pkg/a.py"))
    broken = once.replace(" b=", ' state="sleeping" b=')
    with pytest.raises(TaskFileError, match="unknown state 'sleeping'"):
        sync(broken, tmp_path, DAY2, module("pkg/a.py"))


def test_field_deleted_by_a_person_is_not_added_back(tmp_path: Path) -> None:
    once, _ = sync(STYLE, tmp_path, DAY1, module("pkg/a.py"))
    without = "".join(line for line in once.splitlines(True) if not line.startswith("- **Size**"))
    twice, _ = sync(without, tmp_path, DAY2, module("pkg/a.py", 10, 1))
    assert "- **Size**" not in twice


def test_a_field_the_template_gains_later_is_inserted_in_template_order(tmp_path: Path) -> None:
    once, _ = sync(STYLE, tmp_path, DAY1, module("pkg/a.py"))
    milestones = [{"name": "Core", "modules": ["pkg/**"]}]
    twice, _ = sync(once, tmp_path, DAY1, module("pkg/a.py"), milestones=milestones)
    names = [
        line.split("**")[1] for line in entry_lines(twice, "pkg/a.py") if line.startswith("- **")
    ]
    assert names[names.index("Size") + 1] == "Milestone"
    assert field(twice, "pkg/a.py", "Milestone") == "Core"


# --- lifecycle ----------------------------------------------------------------------------


def test_lifecycle_open_progress_completed_regressed_open(tmp_path: Path) -> None:
    text, _ = sync(STYLE, tmp_path, DAY1, module("pkg/a.py", 10, 5))
    assert heading(text, "pkg/a.py").startswith("### Open · ")
    text, _ = sync(text, tmp_path, DAY2, module("pkg/a.py", 10, 2))
    assert heading(text, "pkg/a.py").startswith("### In progress · ")
    text, events = sync(text, tmp_path, DAY3, module("pkg/a.py", 10, 0, 4, 0))
    assert events.completed == ["pkg/a.py"]
    assert heading(text, "pkg/a.py").startswith("### Completed · ")
    assert field(text, "pkg/a.py", "Coverage").endswith("completed 2026-11-26")
    assert field(text, "pkg/a.py", "Missing") == "none"
    later = dt.date(2026, 12, 1)
    text, events = sync(text, tmp_path, later, module("pkg/a.py", 10, 1, 4, 0))
    assert events.regressed == ["pkg/a.py"]
    assert heading(text, "pkg/a.py").startswith("### Open · ")
    coverage = field(text, "pkg/a.py", "Coverage")
    assert coverage == (
        "92.86% (lines 90.00%, 9/10; branches 100.00%, 4/4); "
        "regressed from 100% on 2026-12-01 (at target since 2026-11-26)"
    )
    text, _ = sync(text, tmp_path, dt.date(2026, 12, 2), module("pkg/a.py", 10, 0, 4, 0))
    assert heading(text, "pkg/a.py").startswith("### Completed · ")
    assert field(text, "pkg/a.py", "Coverage").endswith("completed 2026-12-02")


def test_completed_module_stays_completed_on_later_syncs(tmp_path: Path) -> None:
    text, _ = sync(STYLE, tmp_path, DAY1, module("pkg/a.py", 10, 5))
    text, _ = sync(text, tmp_path, DAY2, module("pkg/a.py", 10, 0, 4, 0))
    again, events = sync(text, tmp_path, DAY3, module("pkg/a.py", 10, 0, 4, 0))
    assert again == text
    assert events.completed == []


def test_module_no_longer_measured_is_marked_never_deleted(tmp_path: Path) -> None:
    text, _ = sync(STYLE, tmp_path, DAY1, module("pkg/a.py"), module("pkg/b.py"))
    text, events = sync(text, tmp_path, DAY2, module("pkg/b.py"))
    assert events.unmeasured == ["pkg/a.py"]
    assert field(text, "pkg/a.py", "Coverage") == "No longer measured since 2026-11-23."
    assert field(text, "pkg/a.py", "Owner") == "tv"
    again, _ = sync(text, tmp_path, DAY3, module("pkg/b.py"))
    assert again == text
    back, _ = sync(text, tmp_path, DAY3, module("pkg/a.py", 10, 4), module("pkg/b.py"))
    assert field(back, "pkg/a.py", "Coverage").startswith("57.14% (lines 60.00%")


def test_configured_status_words_are_written(tmp_path: Path) -> None:
    words = {"open": "To do", "in_progress": "Doing", "completed": "Done"}
    text, _ = sync(STYLE, tmp_path, DAY1, module("pkg/a.py", 10, 5), statuses=words)
    assert heading(text, "pkg/a.py").startswith("### To do · ")
    text, _ = sync(text, tmp_path, DAY2, module("pkg/a.py", 10, 0, 4, 0), statuses=words)
    assert heading(text, "pkg/a.py").startswith("### Done · ")


# --- invariants -------------------------------------------------------------------------


@settings(max_examples=40)
@given(task_documents())
def test_sync_keeps_every_line_and_is_idempotent_on_generated_documents(text: str) -> None:
    root = Path("/nonexistent-covtasks-root")
    modules = (module("pkg/a.py"), module("pkg/b.py", 20, 3, 0, 0))
    claimed = [marker_module(e.attrs) for e in parse_document(text).entries if e.attrs]
    if len(claimed) != len(set(claimed)):
        # Generated files may hold two markers for one module: refusing is the contract.
        with pytest.raises(TaskFileError, match="both claim module"):
            sync(text, root, DAY1, *modules)
        return
    once, _ = sync(text, root, DAY1, *modules)
    assert only_insertions(outside_entries(text), outside_entries(once))
    twice, _ = sync(once, root, DAY1, *modules)
    assert twice == once


@pytest.mark.parametrize(
    "name", sorted(p.name for p in (Path(__file__).parent / "data" / "documents").glob("*.md"))
)
def test_fixture_documents_keep_every_byte_outside_entries(tmp_path: Path, name: str) -> None:
    before = (Path(__file__).parent / "data" / "documents" / name).read_bytes().decode("utf-8")
    once, _ = sync(before, tmp_path, DAY1, module("pkg/a.py"))
    assert only_insertions(outside_entries(before), outside_entries(once))
    twice, _ = sync(once, tmp_path, DAY1, module("pkg/a.py"))
    assert twice == once


def test_entries_without_branch_data_show_lines_only(tmp_path: Path) -> None:
    config = parse_config({}, root=tmp_path)
    report = CoverageReport(modules=(module("pkg/a.py", 10, 5, 0, 0),), has_branches=False)
    text = sync_text(STYLE, plan_inputs(config, report, DAY1)).text
    assert field(text, "pkg/a.py", "Coverage") == "50.00% (lines 5/10)"


def test_a_bare_marker_adopts_a_persons_entry_without_adding_fields(tmp_path: Path) -> None:
    mine = (
        STYLE
        + "\n### Open · tv-9:mine · My own plan\n\n"
        + '<!-- covtasks:entry module="pkg/a.py" -->\n\n- **Owner**: me\n'
    )
    once, events = sync(mine, tmp_path, DAY1, module("pkg/a.py", 10, 5))
    assert events.created == []
    assert entry_lines(once, "pkg/a.py")[4:] == ["- **Owner**: me"]
    assert 'b="7/14@20261120"' in once
    twice, _ = sync(once, tmp_path, DAY2, module("pkg/a.py", 10, 1))
    assert heading(twice, "pkg/a.py") == "### In progress · tv-9:mine · My own plan"


def test_status_a_person_set_to_the_word_covtasks_would_write_is_covtasks_again(
    tmp_path: Path,
) -> None:
    once, _ = sync(STYLE, tmp_path, DAY1, module("pkg/a.py", 10, 5))
    early = once.replace("### Open · tv-2026", "### In progress · tv-2026")
    twice, events = sync(early, tmp_path, DAY2, module("pkg/a.py", 10, 2))
    assert events.kept == []
    done, _ = sync(twice, tmp_path, DAY3, module("pkg/a.py", 10, 0, 4, 0))
    assert heading(done, "pkg/a.py").startswith("### Completed · ")


def test_entry_inserted_before_a_heading_that_follows_without_a_blank_line(tmp_path: Path) -> None:
    before = "# T\n\n## Open tasks\n- a note\n## Next\n"
    text, _ = sync(before, tmp_path, DAY1, module("pkg/a.py"))
    assert "\n\n## Next\n" in text
    assert text.startswith("# T\n\n## Open tasks\n- a note\n\n### Open · ")


def test_two_hand_written_entries_naming_one_module_are_no_conflict(tmp_path: Path) -> None:
    mine = (
        STYLE
        + "\n### Completed · tv-2025-01-01:PR3 · First pass on `pkg/a.py`\n\n- **Owner**: me\n"
        + "\n### Open · tv-2025-10-02:PR9 · Finish `pkg/a.py`\n\n- **Owner**: me\n"
    )
    text, events = sync(mine, tmp_path, DAY1, module("pkg/a.py"))
    assert text == mine
    assert events.created == []


def test_a_managed_field_whose_value_goes_away_is_removed(tmp_path: Path) -> None:
    milestones = [{"name": "Core", "modules": ["pkg/**"]}]
    once, _ = sync(STYLE, tmp_path, DAY1, module("pkg/a.py"), milestones=milestones)
    assert field(once, "pkg/a.py", "Milestone") == "Core"
    twice, _ = sync(once, tmp_path, DAY1, module("pkg/a.py"))
    assert "- **Milestone**" not in twice
    assert sync(twice, tmp_path, DAY1, module("pkg/a.py"))[0] == twice


def test_hardware_sensitive_module_ranks_after_deterministic_work_and_is_remembered(
    tmp_path: Path,
) -> None:
    config = parse_config({}, root=tmp_path)
    modules = (module("pkg/gpu.py", 40, 30), module("pkg/a.py", 10, 5))
    report = CoverageReport(modules=modules, has_branches=True)
    seen: list[str] = []

    def nature_of(found: ModuleCoverage) -> str:
        seen.append(found.path)
        return "hardware-sensitive" if found.path == "pkg/gpu.py" else "deterministic"

    inputs = dataclasses.replace(
        plan_inputs(config, report, DAY1), nature_of=nature_of, notes_key=lambda _m: "k1"
    )
    text = sync_text(STYLE, inputs).text
    # The larger gap would come first; the hardware-sensitive class puts it after.
    assert field(text, "pkg/a.py", "Priority") == "P0"
    assert field(text, "pkg/gpu.py", "Priority") == "P1"
    assert ' c="h" ' in text
    seen.clear()
    assert sync_text(text, inputs).text == text
    assert seen == []  # same notes inputs: the class is read from the marker


def test_an_entry_from_before_classes_gets_its_class_once(tmp_path: Path) -> None:
    once, _ = sync(STYLE, tmp_path, DAY1, module("pkg/a.py"))
    old = once.replace(' nature="deterministic"', "")
    twice, _ = sync(old, tmp_path, DAY1, module("pkg/a.py"))
    assert twice == once


def test_a_regression_marked_by_hand_without_a_completion_date_says_only_when(
    tmp_path: Path,
) -> None:
    text, _ = sync(STYLE, tmp_path, DAY1, module("pkg/a.py", 10, 5))
    marked = text.replace(' b="', ' regressed="2026-11-21" b="')
    text, _ = sync(marked, tmp_path, DAY2, module("pkg/a.py", 10, 4))
    assert field(text, "pkg/a.py", "Coverage").endswith("; regressed from 100% on 2026-11-21")


def test_an_id_once_written_stays_when_a_new_module_shares_its_tail(tmp_path: Path) -> None:
    text, _ = sync(STYLE, tmp_path, DAY1, module("pkg/a.py"))
    assert heading(text, "pkg/a.py").startswith("### Open · tv-2026-11-20:cov-a · ")
    text, _ = sync(text, tmp_path, DAY2, module("pkg/a.py"), module("other/a.py"))
    assert heading(text, "pkg/a.py").startswith("### Open · tv-2026-11-20:cov-a · ")
    assert heading(text, "other/a.py").startswith("### Open · tv-2026-11-23:cov-other-a · ")
