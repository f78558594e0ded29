"""The sync planner on text alone: lifecycle, notes refresh and gap size."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pytest

from covtasks.config import parse_config
from covtasks.document import apply_edits, parse_document
from covtasks.errors import TaskFileError
from covtasks.marker_memory import memory_from_attrs
from covtasks.markers import format_marker
from covtasks.model import Counts, CoverageReport, ModuleCoverage
from covtasks.planner import PlanInputs, plan_sync
from covtasks.template import load_template
from tests.progress_recorder import CountingProgress

DAY1 = dt.date(2026, 11, 20)
DAY2 = dt.date(2026, 11, 23)
PATH = "pkg/gappy.py"


def gappy(missing: int, missing_branches: int = 0, statements: int = 40) -> ModuleCoverage:
    """pkg/gappy.py with its last ``missing`` statements and some branches not run."""
    lines = tuple(range(1, statements + 1))
    return ModuleCoverage(
        path=PATH,
        counts=Counts(statements, missing, 40, missing_branches, 0),
        statement_lines=lines,
        missing_lines=lines[statements - missing :],
        missing_arcs=tuple((line, line + 2) for line in range(1, missing_branches + 1)),
    )


def inputs(
    today: dt.date,
    found: ModuleCoverage,
    notes: Sequence[str] = ("inject the clock",),
    notes_key: str = "",
    asked: list[str] | None = None,
) -> PlanInputs:
    def notes_of(module: ModuleCoverage) -> Sequence[str]:
        if asked is not None:
            asked.append(module.path)
        return notes

    def key(_module: ModuleCoverage) -> str:
        return notes_key

    return PlanInputs(
        report=CoverageReport(modules=(found,), has_branches=True),
        config=parse_config({}, root=Path.cwd()),
        today=today,
        template=load_template(None),
        owner_of=lambda _path: "@core",
        notes_of=notes_of,
        notes_key=key,
    )


def sync(text: str, plan_inputs: PlanInputs) -> str:
    """One planner pass: edits to existing entries, then new entries appended at the end."""
    document = parse_document(text)
    plan = plan_sync(document, plan_inputs)
    text = apply_edits(document, plan.edits)
    for block in plan.new_entries:
        text += "\n" + "\n".join(block) + "\n"
    return text


def field(text: str, name: str) -> str:
    (entry,) = parse_document(text).entries
    (found,) = [f for f in entry.fields if f.name == name]
    lines = parse_document(text).lines[found.span.start : found.span.end]
    return "".join(lines).split(":", 1)[1].strip()


def status(text: str) -> str:
    (entry,) = parse_document(text).entries
    return entry.status


def test_module_that_falls_below_its_baseline_stays_open() -> None:
    first = sync("# Tasks\n", inputs(DAY1, gappy(missing=10)))
    assert status(sync(first, inputs(DAY2, gappy(missing=12)))) == "Open"


def test_module_back_exactly_at_its_baseline_stays_open() -> None:
    first = sync("# Tasks\n", inputs(DAY1, gappy(missing=10)))
    assert status(sync(first, inputs(DAY2, gappy(missing=10)))) == "Open"


def test_module_above_its_baseline_but_below_target_is_in_progress() -> None:
    first = sync("# Tasks\n", inputs(DAY1, gappy(missing=10)))
    assert status(sync(first, inputs(DAY2, gappy(missing=9)))) == "In progress"


def test_notes_are_rewritten_when_their_inputs_changed() -> None:
    first = sync("# Tasks\n", inputs(DAY1, gappy(missing=10), ["old seam"], notes_key="v1"))
    second = sync(first, inputs(DAY2, gappy(missing=10), ["new seam"], notes_key="v2"))
    assert "new seam" in field(second, "DI/fixture notes")


def test_notes_are_neither_recomputed_nor_rewritten_while_their_inputs_are_unchanged() -> None:
    first = sync("# Tasks\n", inputs(DAY1, gappy(missing=10), ["old seam"], notes_key="v1"))
    asked: list[str] = []
    second = sync(first, inputs(DAY2, gappy(10), ["new seam"], notes_key="v1", asked=asked))
    assert "old seam" in field(second, "DI/fixture notes")
    assert asked == []


def test_notes_without_a_fingerprint_are_recomputed_on_every_sync() -> None:
    first = sync("# Tasks\n", inputs(DAY1, gappy(missing=10), ["old seam"]))
    second = sync(first, inputs(DAY2, gappy(missing=10), ["new seam"]))
    assert "new seam" in field(second, "DI/fixture notes")


def test_missing_field_lists_missing_lines_and_missing_branches_together() -> None:
    text = sync("# Tasks\n", inputs(DAY1, gappy(missing=2, missing_branches=2)))
    assert field(text, "Missing") == "lines `39-40`; branches `1->3, 2->4`"


def test_gap_counts_missing_lines_plus_missing_branches_for_size() -> None:
    # 12 lines alone are a small gap (S); with 8 branches the 20 make a larger one (M). The
    # priority ranks entries against each other (tests/test_priority.py).
    lines_only = sync("# Tasks\n", inputs(DAY1, gappy(missing=12)))
    both = sync("# Tasks\n", inputs(DAY1, gappy(missing=12, missing_branches=8)))
    assert field(lines_only, "Size") == "S"
    assert field(both, "Size") == "M"


def test_two_entries_claiming_one_module_is_an_error_naming_both_lines() -> None:
    marker = format_marker({"module": PATH})
    text = f"# Tasks\n### Open · a · first\n{marker}\n\n\n### Open · b · second\n{marker}\n"
    with pytest.raises(TaskFileError, match="entries at lines 2 and 6 both claim module"):
        plan_sync(parse_document(text), inputs(DAY2, gappy(missing=0)))


@pytest.mark.parametrize(("missing", "regressed"), [(0, []), (1, [PATH])])
def test_a_persons_own_entry_counts_a_regression_only_when_the_module_fell(
    missing: int, regressed: list[str]
) -> None:
    text = "# Tasks\n\n### Open · mine · Cover `pkg/gappy.py` myself\n\n- **Owner**: me\n"
    plan_inputs = replace(inputs(DAY2, gappy(missing)), at_target={PATH: DAY1})
    plan = plan_sync(parse_document(text), plan_inputs)
    assert plan.events.regressed == regressed
    assert (plan.edits, plan.new_entries) == ((), ())


def test_progress_announces_as_many_steps_as_it_counts_for_entries_and_new_gaps() -> None:
    modules = [replace(gappy(missing=5), path=f"pkg/m{index}.py") for index in range(4)]
    first_inputs = inputs(DAY1, modules[0])
    report = CoverageReport(modules=tuple(modules[:3]), has_branches=True)
    first = sync("# Tasks\n", replace(first_inputs, report=report))
    progress = CountingProgress()
    report = CoverageReport(modules=tuple(modules), has_branches=True)
    plan_sync(parse_document(first), replace(first_inputs, report=report, progress=progress))
    assert progress.works == [("Working out notes", 4, 4), ("Writing entries", 4, 4)]


def test_priority_follows_the_configured_milestone_order_not_the_milestone_names() -> None:
    small = replace(gappy(missing=2), path="pkg/a.py")
    large = replace(gappy(missing=30), path="pkg/b.py")
    milestones = {"pkg/a.py": (0, "Zeta core"), "pkg/b.py": (1, "Alpha later")}
    plan_inputs = replace(
        inputs(DAY1, small),
        report=CoverageReport(modules=(small, large), has_branches=True),
        milestone_of=milestones.get,
        milestone_count=2,
    )
    document = parse_document(sync("# Tasks\n", plan_inputs))
    priorities = {}
    for entry in document.entries:
        (found,) = [f for f in entry.fields if f.name == "Priority"]
        text = "".join(document.lines[found.span.start : found.span.end])
        priorities[entry.title] = text.split(":", 1)[1].strip()
    assert priorities == {"Cover `pkg/a.py` to 100%": "P0", "Cover `pkg/b.py` to 100%": "P1"}


def two_modules(missing_b: int) -> PlanInputs:
    a = replace(gappy(missing=5), path="pkg/a.py")
    b = replace(gappy(missing=missing_b), path="pkg/b.py")
    return replace(inputs(DAY1, a), report=CoverageReport(modules=(a, b), has_branches=True))


def test_an_unchanged_entry_is_skipped_and_the_entries_after_it_still_update() -> None:
    created = plan_sync(parse_document("# Tasks\n"), two_modules(missing_b=5))
    first = "# Tasks\n" + "".join("\n" + "\n".join(block) + "\n" for block in created.new_entries)
    once = replace(two_modules(missing_b=5), rendered=created.fingerprints)
    again = plan_sync(parse_document(first), once)
    assert (again.events.unchanged, again.edits) == (["pkg/a.py", "pkg/b.py"], ())
    # b's coverage moves: a stays skipped, b is updated; then both are skipped.
    moved = replace(two_modules(missing_b=4), rendered=again.fingerprints)
    update = plan_sync(parse_document(first), moved)
    assert (update.events.unchanged, update.events.updated) == (["pkg/a.py"], ["pkg/b.py"])
    second = apply_edits(parse_document(first), update.edits)
    settled = replace(two_modules(missing_b=4), rendered=update.fingerprints)
    assert plan_sync(parse_document(second), settled).events.unchanged == ["pkg/a.py", "pkg/b.py"]


@pytest.mark.parametrize(("old_key", "new_key"), [("v1", "v2"), ("v2", "v1")])
def test_notes_are_rewritten_whenever_their_fingerprint_differs(old_key: str, new_key: str) -> None:
    first = sync("# Tasks\n", inputs(DAY1, gappy(missing=10), ["old seam"], notes_key=old_key))
    second = sync(first, inputs(DAY2, gappy(missing=10), ["new seam"], notes_key=new_key))
    assert "new seam" in field(second, "DI/fixture notes")


# Two paths one character apart: the heading after the BOM has odd length in one of them.
@pytest.mark.parametrize("path", ["pkg/gappy.py", "pkgs/gappy.py"])
def test_a_status_change_on_a_first_heading_after_a_byte_order_mark_keeps_the_mark(
    path: str,
) -> None:
    module = replace(gappy(missing=10), path=path)
    created = sync("", inputs(DAY1, module)).lstrip("\n")
    better = sync("\ufeff" + created, inputs(DAY2, replace(gappy(missing=9), path=path)))
    assert better.startswith("\ufeff### In progress · ")
    assert better.count("\ufeff") == 1


# a's gap of lines plus branches is 4, b's 3.
@pytest.mark.parametrize(("lines", "branches"), [(2, 2), (0, 4)])
def test_priority_ranks_the_larger_gap_of_lines_and_branches_first(
    lines: int, branches: int
) -> None:
    a = replace(gappy(missing=lines, missing_branches=branches), path="pkg/a.py")
    b = replace(gappy(missing=3), path="pkg/b.py")
    plan_inputs = replace(inputs(DAY1, a), report=CoverageReport(modules=(a, b), has_branches=True))
    text = sync("# Tasks\n", plan_inputs)
    assert [entry.title for entry in parse_document(text).entries] == [
        "Cover `pkg/a.py` to 100%",
        "Cover `pkg/b.py` to 100%",
    ]


def test_a_sync_never_rewrites_a_line_with_the_text_it_already_has() -> None:
    first = sync("# Tasks\n", inputs(DAY1, gappy(missing=10)))
    document = parse_document(first)
    plan = plan_sync(document, inputs(DAY2, gappy(missing=10)))
    for edit in plan.edits:
        before = [line.rstrip("\r\n") for line in document.lines[edit.span.start : edit.span.end]]
        assert list(edit.lines) != before


def test_a_completed_module_still_at_target_keeps_its_completion_date_from_an_old_marker() -> None:
    # The first marker version wrote the state out: read back, it is text, not the constant.
    marker = format_marker({"module": PATH, "state": "done", "completed": DAY1.isoformat()})
    text = f"# Tasks\n\n### Completed · x · Cover `{PATH}` to 100%\n\n{marker}\n"
    updated = sync(text, inputs(DAY2, gappy(missing=0)))
    (entry,) = parse_document(updated).entries
    assert entry.marker is not None
    memory = memory_from_attrs(entry.attrs, entry.marker, load_template(None).field_names)
    assert (memory.state, memory.completed) == ("done", DAY1.isoformat())


def old_marker_entry(state: str, completed: str = "") -> str:
    """An entry whose marker is of the first version, which wrote the state out."""
    attrs = {"module": PATH, "state": state} | ({"completed": completed} if completed else {})
    return f"# Tasks\n\n### Completed · x · Cover `{PATH}` to 100%\n\n{format_marker(attrs)}\n"


def test_an_old_marker_completed_module_still_at_target_is_no_new_completion() -> None:
    text = old_marker_entry("done", DAY1.isoformat())
    plan = plan_sync(parse_document(text), inputs(DAY2, gappy(missing=0)))
    assert plan.events.completed == []


def test_an_old_marker_completed_module_that_falls_back_regresses() -> None:
    text = old_marker_entry("done", DAY1.isoformat())
    plan = plan_sync(parse_document(text), inputs(DAY2, gappy(missing=5)))
    assert plan.events.regressed == [PATH]


def test_a_status_word_a_person_wrote_stays_theirs() -> None:
    first = sync("# Tasks\n", inputs(DAY1, gappy(missing=10)))
    edited = first.replace("### Open · ", "### Waiting · ", 1)
    plan = plan_sync(parse_document(edited), inputs(DAY2, gappy(missing=9)))
    assert plan.events.kept == [(PATH, "status")]
    assert status(apply_edits(parse_document(edited), plan.edits)) == "Waiting"


def test_an_entry_with_a_persons_edit_kept_is_looked_at_again_every_sync() -> None:
    created = plan_sync(parse_document("# Tasks\n"), inputs(DAY1, gappy(missing=10)))
    first = "# Tasks\n\n" + "\n".join(created.new_entries[0]) + "\n"
    (entry,) = parse_document(first).entries
    (owner,) = [f for f in entry.fields if f.name == "Owner"]
    lines = list(parse_document(first).lines)
    lines[owner.span.start] = "- **Owner**: @someone-else\n"
    edited = "".join(lines)
    # covtasks would now write another owner, and finds the person's edit in its way.
    again = replace(
        inputs(DAY1, gappy(missing=10)),
        rendered=created.fingerprints,
        owner_of=lambda _path: "@new-owner",
    )
    second = plan_sync(parse_document(edited), again)
    assert (second.events.kept, PATH in second.fingerprints) == ([(PATH, "Owner")], False)
    third = replace(again, rendered=second.fingerprints)
    assert plan_sync(parse_document(edited), third).events.kept == [(PATH, "Owner")]


def test_a_modules_class_is_worked_out_again_when_its_notes_inputs_change() -> None:
    first = sync("# Tasks\n", inputs(DAY1, gappy(missing=10), notes_key="v1"))
    later = replace(
        inputs(DAY2, gappy(missing=10), notes_key="v2"), nature_of=lambda _module: "stochastic"
    )
    (entry,) = parse_document(sync(first, later)).entries
    assert entry.marker is not None
    memory = memory_from_attrs(entry.attrs, entry.marker, load_template(None).field_names)
    assert memory.nature == "stochastic"


def test_a_new_gap_gets_a_priority_beside_an_entry_whose_module_reached_target() -> None:
    done = replace(gappy(missing=5), path="pkg/a.py")
    first = sync("# Tasks\n", replace(inputs(DAY1, done)))
    reached = replace(done, counts=Counts(40, 0, 40, 0, 0), missing_lines=(), missing_arcs=())
    gap = replace(gappy(missing=5), path="pkg/b.py")
    report = CoverageReport(modules=(reached, gap), has_branches=True)
    text = sync(first, replace(inputs(DAY2, gap), report=report))
    entries = parse_document(text).entries
    (new,) = [entry for entry in entries if "pkg/b.py" in entry.title]
    (found,) = [f for f in new.fields if f.name == "Priority"]
    assert parse_document(text).lines[found.span.start].split(":", 1)[1].strip() == "P0"
