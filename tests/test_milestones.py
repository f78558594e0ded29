"""Milestone membership by gitignore-style globs, progress per milestone, the gate earned."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from covtasks.config import Milestone
from covtasks.milestones import (
    MilestoneProgress,
    Remaining,
    completed_gate,
    completed_milestone,
    milestone_of,
    progress,
    progress_rows,
    render_progress_markdown,
    render_progress_text,
)
from covtasks.model import Counts, CoverageReport, ModuleCoverage

CORE = Milestone("Core deterministic modules", ("pkg/cli.py", "pkg/configuration/**"), 95.0)
SHELL = Milestone("Shell and IO", ("pkg/*.py", "!pkg/legacy.py"), 99.0)
REST = Milestone("Everything else", ("**/*.py",), 100.0)
ROADMAP = (CORE, SHELL, REST)


def module(
    path: str, statements: int = 100, missing: int = 0, missing_branches: int = 0
) -> ModuleCoverage:
    counts = Counts(statements, missing, 10, missing_branches, missing_branches)
    return ModuleCoverage(
        path, counts, tuple(range(1, statements + 1)), tuple(range(1, missing + 1)), ()
    )


def report_of(*modules: ModuleCoverage, has_branches: bool = True) -> CoverageReport:
    return CoverageReport(modules, has_branches)


def owners(path: str) -> str:
    return "gpu-desk" if "raster" in path else "tv"


def test_milestone_of_picks_the_first_milestone_whose_globs_match() -> None:
    assert milestone_of("pkg/cli.py", ROADMAP) == 0
    assert milestone_of("pkg/configuration/deep/loader.py", ROADMAP) == 0
    assert milestone_of("pkg/raster.py", ROADMAP) == 1
    assert milestone_of("pkg/sub/raster.py", ROADMAP) == 2


def test_milestone_of_honours_gitignore_negation() -> None:
    assert milestone_of("pkg/legacy.py", (SHELL,)) is None


def test_milestone_of_without_a_match_is_none() -> None:
    assert milestone_of("docs/conf.txt", ROADMAP) is None
    assert milestone_of("pkg/cli.py", ()) is None


def test_milestone_of_accepts_a_list_of_milestones_like_the_tuple() -> None:
    assert milestone_of("pkg/raster.py", list(ROADMAP)) == 1


def test_progress_counts_modules_at_target_and_lists_the_rest_with_owners() -> None:
    data = report_of(
        module("pkg/cli.py"),
        module("pkg/configuration/loader.py", missing=3),
        module("pkg/raster.py", missing_branches=5),
        module("pkg/jobs.py"),
        module("tools/gen.py", missing=50),
    )
    core, shell, rest = progress(data, ROADMAP, 100.0, owners)
    assert (core.met, core.total, core.complete) == (1, 2, False)
    assert core.remaining == (Remaining("pkg/configuration/loader.py", "tv", "97.00", "100.00"),)
    assert (shell.met, shell.total) == (1, 2)
    assert shell.remaining == (Remaining("pkg/raster.py", "gpu-desk", "100.00", "50.00"),)
    assert (rest.name, rest.met, rest.total, rest.gate) == ("Everything else", 0, 1, 100.0)


def test_progress_counts_a_module_only_in_its_first_milestone() -> None:
    data = report_of(module("pkg/cli.py"))
    core, shell, rest = progress(data, ROADMAP, 100.0)
    assert (core.total, shell.total, rest.total) == (1, 0, 0)


def test_progress_sorts_remaining_modules_by_path() -> None:
    data = report_of(module("pkg/z.py", missing=1), module("pkg/a.py", missing=1))
    (shell,) = progress(data, (SHELL,), 100.0)
    assert [left.path for left in shell.remaining] == ["pkg/a.py", "pkg/z.py"]
    assert [left.owner for left in shell.remaining] == ["", ""]


def test_progress_without_branch_data_shows_no_branch_percent() -> None:
    data = report_of(module("pkg/a.py", missing=1), has_branches=False)
    (shell,) = progress(data, (SHELL,), 100.0)
    assert shell.remaining[0].branch_percent is None
    assert shell.remaining[0].coverage_text == "99.00% lines"


def test_progress_uses_the_target_given() -> None:
    data = report_of(module("pkg/a.py", missing=5))
    (shell,) = progress(data, (SHELL,), 95.0)
    assert shell.complete


def test_a_milestone_with_no_measured_module_is_not_complete() -> None:
    (core,) = progress(report_of(module("other.py")), (CORE,), 100.0)
    assert (core.total, core.complete) == (0, False)


def done(name: str, gate: float | None) -> MilestoneProgress:
    return MilestoneProgress(name, gate, 3, 3, ())


def pending(name: str, gate: float | None) -> MilestoneProgress:
    return MilestoneProgress(name, gate, 2, 3, (Remaining("pkg/a.py", "tv", "97.00", None),))


def test_completed_gate_is_the_gate_of_the_last_milestone_completed_in_order() -> None:
    assert completed_gate([done("one", 95.0), done("two", 99.0), pending("three", 100.0)]) == 99.0


def test_completed_gate_ignores_a_complete_milestone_after_an_incomplete_one() -> None:
    assert completed_gate([done("one", 95.0), pending("two", 99.0), done("three", 100.0)]) == 95.0


def test_completed_gate_is_none_when_the_first_milestone_is_incomplete() -> None:
    assert completed_gate([pending("one", 95.0), done("two", 99.0)]) is None
    assert completed_gate([]) is None


def test_completed_gate_skips_milestones_without_a_gate() -> None:
    assert completed_gate([done("one", 95.0), done("two", None)]) == 95.0
    assert completed_gate([done("one", None), done("two", 99.0)]) == 99.0
    assert completed_gate([done("one", None)]) is None


def test_completed_gate_keeps_the_highest_gate_when_gates_are_out_of_order() -> None:
    earned = completed_milestone([done("one", 99.0), done("two", 95.0)])
    assert earned is not None
    assert (earned.name, earned.gate) == ("one", 99.0)


def test_completed_milestone_prefers_the_later_one_on_equal_gates() -> None:
    earned = completed_milestone([done("one", 95.0), done("two", 95.0)])
    assert earned is not None
    assert earned.name == "two"


@settings(max_examples=200)
@given(st.lists(st.tuples(st.booleans(), st.sampled_from([None, 87.0, 95.0, 99.0, 100.0]))))
def test_completed_gate_only_comes_from_the_complete_prefix(
    shape: list[tuple[bool, float | None]],
) -> None:
    items = [
        done(str(index), gate) if complete else pending(str(index), gate)
        for index, (complete, gate) in enumerate(shape)
    ]
    prefix = []
    for complete, gate in shape:
        if not complete:
            break
        prefix.append(gate)
    gates = [gate for gate in prefix if gate is not None]
    assert completed_gate(items) == (max(gates) if gates else None)


PROGRESS = (
    MilestoneProgress("Core deterministic modules", 95.0, 2, 2, ()),
    MilestoneProgress(
        "Shell and IO",
        99.5,
        1,
        3,
        (
            Remaining("pkg/jobs.py", "tv", "97.00", "50.00"),
            Remaining("pkg/spool.py", "", "80.00", None),
        ),
    ),
    MilestoneProgress("Later", None, 0, 0, ()),
)


def test_render_progress_markdown_lists_milestones_and_what_remains() -> None:
    assert render_progress_markdown(PROGRESS) == (
        "- ✅ **Core deterministic modules**: 2/2 modules at target (gate 95%)\n"
        "- **Shell and IO**: 1/3 modules at target (gate 99.5%)\n"
        "  - `pkg/jobs.py` (97.00% lines, 50.00% branches) — tv\n"
        "  - `pkg/spool.py` (80.00% lines)\n"
        "- **Later**: 0/0 modules at target\n"
    )


def test_render_progress_text_lists_milestones_and_what_remains() -> None:
    assert render_progress_text(PROGRESS) == (
        "[done] Core deterministic modules: 2/2 modules at target (gate 95%)\n"
        "[open] Shell and IO: 1/3 modules at target (gate 99.5%)\n"
        "  - pkg/jobs.py  97.00% lines, 50.00% branches  owner tv\n"
        "  - pkg/spool.py  80.00% lines\n"
        "[open] Later: 0/0 modules at target\n"
    )


def test_progress_rows_give_one_row_per_milestone_for_a_table() -> None:
    assert progress_rows(PROGRESS) == [
        ("Core deterministic modules", "2/2", "95%", "complete"),
        ("Shell and IO", "1/3", "99.5%", "pkg/jobs.py (tv), pkg/spool.py"),
        ("Later", "0/0", "", "no measured module"),
    ]


def test_renderers_of_no_milestones_give_empty_text() -> None:
    assert render_progress_markdown(()) == ""
    assert render_progress_text(()) == ""
    assert progress_rows(()) == []


def test_a_milestone_of_300_modules_all_at_target_is_complete() -> None:
    data = report_of(*(module(f"pkg/m{n}.py") for n in range(300)))
    (everything,) = progress(data, (REST,), 100.0)
    assert (everything.met, everything.total, everything.complete) == (300, 300, True)
