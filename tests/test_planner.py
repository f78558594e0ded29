"""The sync planner on text alone: lifecycle, notes refresh and gap size."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest

from covtasks.config import parse_config
from covtasks.document import apply_edits, parse_document
from covtasks.errors import TaskFileError
from covtasks.markers import format_marker
from covtasks.model import Counts, CoverageReport, ModuleCoverage
from covtasks.planner import PlanInputs, plan_sync
from covtasks.progress_display import Advance, Progress
from covtasks.template import load_template

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
    text = f"# Tasks\n### Open · a · first\n{marker}\n\n### Open · b · second\n{marker}\n"
    with pytest.raises(TaskFileError, match="entries at lines 2 and 5 both claim module"):
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


class CountingProgress(Progress):
    """Records each piece of work: its announced total and the steps it counted."""

    def __init__(self) -> None:
        self.works: list[tuple[str, int, int]] = []

    @contextmanager
    def steps(self, total: int, what: str) -> Iterator[Advance]:
        counted = [0]

        def advance() -> None:
            counted[0] += 1

        yield advance
        self.works.append((what, total, counted[0]))


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
