"""The umbrella (roadmap) entry: numbers and list membership kept true, a person's words kept."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest

from covtasks.config import parse_config
from covtasks.document import parse_document
from covtasks.errors import TaskFileError
from covtasks.history import HistoryRecord
from covtasks.model import ZERO, Counts, CoverageReport, ModuleCoverage
from covtasks.roadmap import label_range, roadmap_facts
from covtasks.sync import sync_text
from covtasks.tasks_file import plan_inputs
from covtasks.umbrella import field_kind

DAY = dt.date(2026, 11, 26)
TITLE = "Coverage roadmap towards ~100%"
# The roadmap entry as the team writes it (DESIGN §2), one label variant.
ROADMAP = """\
# tv-tasks

## Open tasks (updated 2025-10-01)

### Open · tv-2025-09-29:PR?? · Coverage roadmap towards ~100%

- **Summary**: Every module at 100%.
- **Next steps**:
  1. Scoreboard.
  1. Gates.
- **Latest snapshot (2025-10-05)**:
  - Global coverage **87.28%** (`make coverage-report` running unit + property suites).
  - Pre-commit gate **raised to `--fail-under=87.00`** (was 79.00%).
  - **PR #49**: Coverage improvements complete (30 commits, **+6.55% global coverage**)
- **Completed modules (100% coverage)** - 11 total:
  - ✅ `pkg/done.py` (93.07% → 100%)
  - ✅ `pkg/gone.py` (50.00% → 100%)
- **Significantly improved modules**:
  - ⬆️ `pkg/cli.py` (81.51% → 86.97%, +5.46%)
- **Module backlog** (remaining gaps):
  - **Medium gaps (50-80%)** - All complete except hardware-dependent:
    - `pkg/runtime.py` (78.57% - CUDA lines require GPU hardware)
  - **Near complete (>80%)** - Mostly complete:
    - `pkg/cli.py` (86.97% - 26 missing, mostly CLI integration paths)
  - **Other modules**: `pkg/protocol.py` (Protocol class)

---

### Deferred · tv-2025-09-12:PR31 · Something else

- **Summary**: Unrelated, mentions `pkg/cli.py` (86.97%).
"""


def _module(path: str, covered: int, statements: int = 10000) -> ModuleCoverage:
    counts = Counts(statements, statements - covered, 0, 0, 0)
    return ModuleCoverage(path, counts, (), (), ())


MATCHING = (
    _module("pkg/done.py", 10000),
    _module("pkg/cli.py", 8800),
    _module("pkg/runtime.py", 7900),
    _module("pkg/protocol.py", 10000),
    _module("pkg/fresh.py", 4000),
    _module("pkg/middling.py", 6000),
)


def sync(
    text: str,
    modules: tuple[ModuleCoverage, ...] = MATCHING,
    history: tuple[HistoryRecord, ...] = (),
    gate: float | None = 87.0,
    umbrella: str = TITLE,
    today: dt.date = DAY,
) -> tuple[str, list[str]]:
    config = parse_config({"umbrella": umbrella}, root=Path("/nonexistent"))
    report = CoverageReport(modules, has_branches=False)
    facts = roadmap_facts(report, history, today, today, gate, config.target)
    inputs = dataclasses.replace(plan_inputs(config, report, today), roadmap=facts)
    result = sync_text(text, inputs)
    return result.text, result.events.notes


def roadmap(text: str) -> list[str]:
    document = parse_document(text)
    entry = next(e for e in document.entries if e.title == TITLE)
    return [line.rstrip("\r\n") for line in document.lines[entry.span.start : entry.span.end]]


def masked(line: str) -> str:
    return re.sub(r"\d+(?:\.\d+)?", "N", line)


def recorded(day: dt.date, modules: tuple[ModuleCoverage, ...]) -> HistoryRecord:
    return HistoryRecord(day, ZERO, {module.path: module.counts for module in modules})


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("**Latest snapshot (2025-10-05)**:", "snapshot"),
        ("**Completed modules (100% coverage)** - 11 total:", "completed"),
        ("**Completed modules**:", "completed"),
        ("**Significantly improved modules**:", "improved"),
        ("**Improved modules**:", "improved"),
        ("**Module backlog** (remaining gaps):", "backlog"),
        ("**Module backlog** (open coverage tasks):", "backlog"),
        ("**Summary**: Module backlog", None),
        ("Module backlog", None),
    ],
)
def test_fields_are_recognised_by_their_labels_leading_words(text: str, kind: str | None) -> None:
    assert field_kind(text) == kind


def test_sync_changes_only_numbers_in_the_lines_a_person_wrote() -> None:
    text, _ = sync(ROADMAP)
    after = roadmap(text)
    for line in roadmap(ROADMAP):
        assert masked(line) in {masked(new) for new in after}, line
    assert "  - Global coverage **77.83%** (`make coverage-report` running unit" in text
    assert "    - `pkg/runtime.py` (79.00% - CUDA lines require GPU hardware)" in after
    assert "  - ⬆️ `pkg/cli.py` (81.51% → 88.00%, +6.49%)" in after
    assert "- **Latest snapshot (2026-11-26)**:" in after


def test_sync_adds_no_field_that_exists_under_another_label() -> None:
    after = roadmap(sync(ROADMAP)[0])
    labels = [line.split("**")[1] for line in after if line.startswith("- **")]
    assert len({field_kind(f"**{label}**") for label in labels} - {None}) == 4
    assert len([label for label in labels if field_kind(f"**{label}**")]) == 4


def test_modules_below_target_join_the_backlog_group_whose_range_fits() -> None:
    after = roadmap(sync(ROADMAP)[0])
    medium = after.index("  - **Medium gaps (50-80%)** - All complete except hardware-dependent:")
    near = after.index("  - **Near complete (>80%)** - Mostly complete:")
    assert after[medium + 1 : near] == [
        "    - `pkg/runtime.py` (79.00% - CUDA lines require GPU hardware)",
        "    - `pkg/middling.py` (60.00%)",
    ]
    assert after[-1] == "  - `pkg/fresh.py` (40.00%)"  # no group fits: the field's end


def test_a_second_sync_with_the_same_coverage_changes_nothing() -> None:
    once, _ = sync(ROADMAP)
    assert sync(once)[0] == once


def test_items_about_modules_not_measured_are_left_alone() -> None:
    after = roadmap(sync(ROADMAP)[0])
    assert "  - ✅ `pkg/gone.py` (50.00% → 100%)" in after
    assert "  - **Other modules**: `pkg/protocol.py` (Protocol class)" in after


def test_completed_count_follows_the_items_listed() -> None:
    after = roadmap(sync(ROADMAP)[0])
    assert "- **Completed modules (100% coverage)** - 2 total:" in after


def test_text_outside_the_roadmap_entry_keeps_its_numbers() -> None:
    text, _ = sync(ROADMAP)
    assert "- **Summary**: Unrelated, mentions `pkg/cli.py` (86.97%).\n" in text
    assert "\n---\n" in text


def test_a_completed_module_that_regresses_moves_to_the_backlog_and_claims_no_100() -> None:
    once, _ = sync(ROADMAP)
    fallen = tuple(_module("pkg/done.py", 9730) if m.path == "pkg/done.py" else m for m in MATCHING)
    later = DAY + dt.timedelta(days=4)
    after = roadmap(sync(once, fallen, today=later)[0])
    done = [line for line in after if "pkg/done.py" in line]
    assert done == ["    - `pkg/done.py` (97.30% - regressed from 100% on 2026-11-30)"]
    assert "- **Completed modules (100% coverage)** - 1 total:" in after


def test_a_module_that_reaches_target_moves_from_improved_and_backlog_to_completed() -> None:
    once, _ = sync(ROADMAP)
    done = tuple(_module(m.path, 10000) if m.path == "pkg/cli.py" else m for m in MATCHING)
    after = roadmap(sync(once, done)[0])
    cli = [line for line in after if "pkg/cli.py" in line]
    assert cli == ["  - ✅ `pkg/cli.py` (81.51% → 100%)"]
    assert "- **Completed modules (100% coverage)** - 3 total:" in after


def test_a_completed_baseline_comes_from_the_history_first() -> None:
    start = (_module("pkg/fresh.py", 4000),)
    done = (*MATCHING[:4], _module("pkg/fresh.py", 10000), MATCHING[5])
    after = roadmap(sync(ROADMAP, done, history=(recorded(DAY, start),))[0])
    assert "  - ✅ `pkg/fresh.py` (40.00% → 100%)" in after


def test_newly_improved_modules_are_appended_with_their_gain() -> None:
    start = (_module("pkg/middling.py", 5000),)
    after = roadmap(sync(ROADMAP, history=(recorded(DAY, start),))[0])
    improved = after.index("- **Significantly improved modules**:")
    assert after[improved + 2] == "  - ⬆️ `pkg/middling.py` (50.00% → 60.00%, +10.00%)"


def test_an_item_whose_figure_leaves_its_group_moves_to_the_group_that_fits() -> None:
    better = tuple(_module(m.path, 8500) if m.path == "pkg/runtime.py" else m for m in MATCHING)
    after = roadmap(sync(ROADMAP, better)[0])
    near = after.index("  - **Near complete (>80%)** - Mostly complete:")
    assert "    - `pkg/runtime.py` (85.00% - CUDA lines require GPU hardware)" in after[near:]


def test_missing_fields_are_added_once_and_say_none_when_empty() -> None:
    bare = f"### Open · tv-1:x · {TITLE}\n\n- **Summary**: s\n"
    text, _ = sync(bare, (_module("pkg/done.py", 10000),), gate=None)
    assert roadmap(text) == [
        f"### Open · tv-1:x · {TITLE}",
        "",
        "<!-- covtasks:umbrella -->",
        "",
        "- **Summary**: s",
        "- **Latest snapshot (2026-11-26)**:",
        "  - Global coverage **100%** (lines 100%).",
        "- **Completed modules (100% coverage)**: none.",
        "- **Significantly improved modules**: none.",
        "- **Module backlog**: none.",
    ]


def test_missing_fields_are_added_after_the_last_item_of_the_entry() -> None:
    bare = f"### Open · tv-1:x · {TITLE}\n\n- **Summary**: s\n- **Next steps**: n\n"
    after = roadmap(sync(bare, (_module("pkg/done.py", 10000),), gate=None)[0])
    assert after.index("- **Next steps**: n") < after.index("- **Latest snapshot (2026-11-26)**:")


def test_a_backlog_added_at_take_over_notes_a_listed_completed_module_that_regressed() -> None:
    entry = (
        f"### Open · tv-1:x · {TITLE}\n\n"
        "- **Completed modules**:\n  - ✅ `pkg/done.py` (90.00% → 100%)\n"
    )
    after = roadmap(sync(entry, (_module("pkg/done.py", 9730),), gate=None)[0])
    assert "  - `pkg/done.py` (97.30% - regressed from 100% on 2026-11-26)" in after


def test_a_nested_backlog_module_that_completes_is_listed_from_its_backlog_figure() -> None:
    entry = (
        f"### Open · tv-1:x · {TITLE}\n\n"
        "- **Completed modules**: none.\n"
        "- **Module backlog**:\n"
        "  - **Large gaps (<50%)**:\n"
        "    - `pkg/fresh.py` (40.00% - needs a fake clock)\n"
    )
    after = roadmap(sync(entry, (_module("pkg/fresh.py", 10000),), gate=None)[0])
    assert "  - ✅ `pkg/fresh.py` (40.00% → 100%)" in after


def test_a_field_a_person_deletes_is_not_added_back() -> None:
    once, _ = sync(ROADMAP)
    start = once.index("- **Significantly improved modules**:")
    end = once.index("- **Module backlog**")
    without = once[:start] + once[end:]
    assert "improved modules" not in sync(without)[0]


def test_none_gives_way_to_the_first_item() -> None:
    bare = f"### Open · tv-1:x · {TITLE}\n\n- **Module backlog**: none.\n"
    text, _ = sync(bare, (_module("pkg/a.py", 5000),))
    assert "- **Module backlog**:\n  - `pkg/a.py` (50.00%)\n" in text


def test_snapshot_lines_a_person_lacks_are_added_as_sub_bullets() -> None:
    entry = f"### Open · tv-1:x · {TITLE}\n\n- **Latest snapshot (2025-01-01)**:\n  - Notes.\n"
    lines = roadmap(sync(entry)[0])
    snapshot = lines.index("- **Latest snapshot (2026-11-26)**:")
    assert lines[snapshot + 1 : snapshot + 4] == [
        "  - Notes.",
        "  - Global coverage **77.83%** (lines 77.83%).",
        "  - Pre-commit gate at `--fail-under=87.00`.",
    ]


def test_gate_keeps_the_decimals_it_was_written_with() -> None:
    entry = ROADMAP.replace("`--fail-under=87.00`", "`--fail-under=79`")
    assert "`--fail-under=87`" in sync(entry, gate=87.0)[0]
    assert "`--fail-under=87.5`" in sync(entry, gate=87.5)[0]


def test_a_gate_that_needs_more_decimals_than_written_gets_them() -> None:
    entry = ROADMAP.replace("`--fail-under=87.00`", "`--fail-under=79.0`")
    assert "`--fail-under=87.25`" in sync(entry, gate=87.25)[0]


def test_lines_and_branches_figures_are_kept_current() -> None:
    entry = ROADMAP.replace("(was 79.00%).", "(was 79.00%).\n  - Lines **1.00%**, branches 2%.")
    text, _ = sync(entry)
    assert "  - Lines **77.83%**, branches 2%." in text  # no branch data: that figure stays


def test_an_earlier_marker_is_read_as_taken_over_and_written_short() -> None:
    old = ROADMAP.replace(
        "- **Summary**: Every",
        '<!-- covtasks:umbrella managed="Module backlog=ab" -->\n\n- **Summary**: Every',
    )
    start = old.index("- **Significantly improved modules**:")
    old = old[:start] + old[old.index("- **Module backlog**") :]
    text, _ = sync(old)
    assert roadmap(text)[1:4] == ["", "<!-- covtasks:umbrella -->", ""]
    assert "improved modules" not in text


@pytest.mark.parametrize("blank_lines", [1, 2])
def test_an_earlier_marker_below_the_fields_is_rewritten_where_it_stands(
    blank_lines: int,
) -> None:
    other = "  - **Other modules**: `pkg/protocol.py` (Protocol class)\n"
    marker = "\n" * blank_lines + '<!-- covtasks:umbrella managed="x=ab" -->\n'
    after = roadmap(sync(ROADMAP.replace(other, other + marker))[0])
    at = after.index("<!-- covtasks:umbrella -->")
    assert (after[at - blank_lines : at], after[at + 1 :]) == ([""] * blank_lines, [])
    assert other.rstrip("\n") in after[:at]
    assert not any("managed=" in line for line in after)


@pytest.mark.parametrize(
    ("before", "after", "line"),
    [
        ("<!-- covtasks:umbrella broken -->\n\n", "", 7),
        ("", "\n<!-- covtasks:umbrella broken -->", 8),
    ],
)
def test_malformed_umbrella_marker_is_an_error_naming_its_line(
    before: str, after: str, line: int
) -> None:
    summary = "- **Summary**: Every module at 100%."
    broken = ROADMAP.replace(summary, before + summary + after)
    with pytest.raises(TaskFileError, match=f"line {line}: malformed covtasks umbrella marker"):
        sync(broken)


def test_of_two_fields_of_one_kind_the_first_is_kept_current() -> None:
    entry = (
        f"### Open · tv-1:x · {TITLE}\n\n"
        "- **Module backlog**:\n  - `pkg/cli.py` (50.00%)\n"
        "- **Module backlog** (older):\n  - `pkg/cli.py` (40.00%)\n"
    )
    after = roadmap(sync(entry, (_module("pkg/cli.py", 8800),))[0])
    assert after[after.index("- **Module backlog**:") + 1] == "  - `pkg/cli.py` (88.00%)"
    assert "  - `pkg/cli.py` (40.00%)" in after


def test_umbrella_found_by_its_id() -> None:
    assert "covtasks:umbrella" in sync(ROADMAP, umbrella="tv-2025-09-29:PR??")[0]


def test_unknown_umbrella_is_a_note_and_changes_nothing() -> None:
    text, notes = sync(ROADMAP, umbrella="No such roadmap")
    assert roadmap(text) == roadmap(ROADMAP)
    assert notes == ["no entry titled or identified 'No such roadmap' (umbrella)"]


def test_crlf_roadmap_keeps_crlf_on_every_line() -> None:
    crlf = ROADMAP.replace("\n", "\r\n")
    text, _ = sync(crlf)
    assert "\n" not in text.replace("\r\n", "")
    assert sync(text)[0] == text


@pytest.mark.parametrize(
    ("label", "inside", "outside"),
    [
        ("Medium gaps (50-80%)", ["50", "80"], ["49.99", "80.01"]),
        ("Near complete (>80%)", ["80.01", "100"], ["80"]),
        ("Near complete (≥80%)", ["80"], ["79.99"]),
        ("Large gaps (<50%)", ["0", "49.99"], ["50"]),
        ("Large gaps (≤50%)", ["50"], ["50.01"]),
    ],
)
def test_group_labels_give_the_range_they_admit(
    label: str, inside: list[str], outside: list[str]
) -> None:
    from covtasks.roadmap import in_range

    bounds = label_range(label)
    assert bounds is not None
    assert all(in_range(figure, bounds) for figure in inside)
    assert not any(in_range(figure, bounds) for figure in outside)


def test_a_label_without_a_range_admits_nothing() -> None:
    assert label_range("Other modules") is None


def test_items_without_figures_are_left_as_written() -> None:
    entry = ROADMAP.replace(
        "  - ✅ `pkg/gone.py` (50.00% → 100%)\n",
        "  - ✅ `pkg/gone.py` (50.00% → 100%)\n  - see PR #49 for the rest\n",
    )
    entry = entry.replace(
        "  - ⬆️ `pkg/cli.py` (81.51% → 86.97%, +5.46%)\n",
        "  - ⬆️ `pkg/cli.py` (81.51% → 86.97%)\n  - ⬆️ `pkg/runtime.py` much better\n"
        "  - and more to come\n",
    )
    entry = entry.replace(
        "    - `pkg/cli.py` (86.97% - 26",
        "    - `pkg/middling.py` needs a clock\n    - `pkg/cli.py` (86.97% - 26",
    )
    entry = entry.replace(
        "  - **Other modules**: `pkg/protocol.py` (Protocol class)",
        "  - **Other modules**: `pkg/protocol.py` (Protocol class)\n    - plus the stubs",
    )
    after = roadmap(sync(entry)[0])
    assert "  - see PR #49 for the rest" in after
    assert "- **Completed modules (100% coverage)** - 3 total:" in after
    assert "  - ⬆️ `pkg/cli.py` (81.51% → 88.00%)" in after
    assert "  - ⬆️ `pkg/runtime.py` much better" in after
    assert "    - `pkg/middling.py` needs a clock" in after
    assert "    - plus the stubs" in after
    assert not any("`pkg/middling.py` (60.00%)" in line for line in after)


def test_a_loose_backlog_gets_its_items_before_the_blank_lines() -> None:
    entry = ROADMAP.replace("  - **Near complete", "\n  - **Near complete")
    after = roadmap(sync(entry)[0])
    near = after.index("  - **Near complete (>80%)** - Mostly complete:")
    assert after[near - 2 : near] == ["    - `pkg/middling.py` (60.00%)", ""]


def test_a_moved_item_keeps_a_lazy_continuation_line_whole() -> None:
    entry = ROADMAP.replace(
        "    - `pkg/cli.py` (86.97% - 26 missing, mostly CLI integration paths)",
        "      - `pkg/cli.py` (86.97% - 26 missing)\nwritten lazily",
    )
    worse = tuple(_module(m.path, 7000) if m.path == "pkg/cli.py" else m for m in MATCHING)
    after = roadmap(sync(entry, worse)[0])
    at = after.index("    - `pkg/cli.py` (70.00% - 26 missing)")
    assert after[at + 1] == "written lazily"


def test_an_improved_module_that_falls_back_shows_its_current_figure() -> None:
    worse = tuple(_module(m.path, 8400) if m.path == "pkg/cli.py" else m for m in MATCHING)
    after = roadmap(sync(ROADMAP, worse)[0])
    assert "  - ⬆️ `pkg/cli.py` (81.51% → 84.00%, +2.49%)" in after


def test_improved_items_after_one_about_an_unmeasured_module_are_still_kept_current() -> None:
    entry = ROADMAP.replace(
        "  - ⬆️ `pkg/cli.py` (81.51%",
        "  - ⬆️ `pkg/elsewhere.py` (1% → 9%)\n  - ⬆️ `pkg/cli.py` (81.51%",
    )
    after = roadmap(sync(entry)[0])
    assert "  - ⬆️ `pkg/cli.py` (81.51% → 88.00%, +6.49%)" in after


def test_newly_improved_modules_are_listed_largest_gain_first() -> None:
    start = (
        _module("pkg/zeta.py", 2000),
        _module("pkg/mid.py", 7000),
        _module("pkg/alpha.py", 500),
    )
    now = (_module("pkg/zeta.py", 5000), _module("pkg/mid.py", 9000), _module("pkg/alpha.py", 2000))
    after = roadmap(sync(ROADMAP, (*MATCHING, *now), history=(recorded(DAY, start),))[0])
    improved = after.index("- **Significantly improved modules**:")
    assert after[improved + 2 : improved + 5] == [
        "  - ⬆️ `pkg/zeta.py` (20.00% → 50.00%, +30.00%)",
        "  - ⬆️ `pkg/mid.py` (70.00% → 90.00%, +20.00%)",
        "  - ⬆️ `pkg/alpha.py` (5.00% → 20.00%, +15.00%)",
    ]


def test_fields_added_at_take_over_come_after_the_items_the_field_before_them_gains() -> None:
    entry = f"### Open · tv-1:x · {TITLE}\n\n- **Completed modules**:\n  - ✅ `pkg/old.py`\n"
    start = (_module("pkg/done.py", 4000),)
    text, _ = sync(entry, (_module("pkg/done.py", 10000),), history=(recorded(DAY, start),))
    assert roadmap(text)[4:8] == [
        "- **Completed modules**:",
        "  - ✅ `pkg/old.py`",
        "  - ✅ `pkg/done.py` (40.00% → 100%)",
        "- **Latest snapshot (2026-11-26)**:",
    ]


def test_modules_joining_the_backlog_are_ordered_by_lines_and_branches_together() -> None:
    entry = f"### Open · tv-1:x · {TITLE}\n\n- **Module backlog**:\n"
    modules = (
        ModuleCoverage("pkg/c.py", Counts(100, 30, 0, 0, 0), (), (), ()),  # 70%
        ModuleCoverage("pkg/a.py", Counts(10, 4, 10, 4, 0), (), (), ()),  # 6 + 6 of 20: 60%
        ModuleCoverage("pkg/b.py", Counts(20, 9, 0, 0, 0), (), (), ()),  # 55%
    )
    after = roadmap(sync(entry, modules, gate=None)[0])
    backlog = after.index("- **Module backlog**:")
    assert after[backlog + 1 : backlog + 4] == [
        "  - `pkg/b.py` (55.00%)",
        "  - `pkg/a.py` (60.00%)",
        "  - `pkg/c.py` (70.00%)",
    ]


def test_a_moved_item_takes_the_indentation_of_its_new_group() -> None:
    entry = ROADMAP.replace(
        "    - `pkg/cli.py` (86.97% - 26 missing, mostly CLI integration paths)",
        "      - `pkg/cli.py` (86.97% - 26 missing)\n\n        more words\n        - a sub-item",
    )
    worse = tuple(_module(m.path, 7000) if m.path == "pkg/cli.py" else m for m in MATCHING)
    after = roadmap(sync(entry, worse)[0])
    medium = after.index("  - **Medium gaps (50-80%)** - All complete except hardware-dependent:")
    assert after[medium + 2 : medium + 6] == [
        "    - `pkg/cli.py` (70.00% - 26 missing)",
        "",
        "      more words",
        "      - a sub-item",
    ]


def test_a_moved_item_may_move_deeper() -> None:
    entry = ROADMAP.replace(
        "    - `pkg/cli.py` (86.97% - 26 missing, mostly CLI integration paths)",
        "      - `pkg/cli.py` (86.97% - 26 missing)",
    )
    better = tuple(_module(m.path, 8500) if m.path == "pkg/runtime.py" else m for m in MATCHING)
    after = roadmap(sync(entry, better)[0])
    assert "      - `pkg/runtime.py` (85.00% - CUDA lines require GPU hardware)" in after


def test_items_added_to_an_ordered_list_follow_its_numbering() -> None:
    entry = f"### Open · tv-1:x · {TITLE}\n\n- **Module backlog**:\n  1. `pkg/a.py` (1.00%)\n"
    text, _ = sync(entry, (_module("pkg/a.py", 5000), _module("pkg/b.py", 6000)))
    assert "  1. `pkg/a.py` (50.00%)\n  1. `pkg/b.py` (60.00%)\n" in text
