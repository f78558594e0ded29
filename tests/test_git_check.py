"""Changed files from real git repositories, and the merge check built on them."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

import pytest
from coverage.results import should_fail_under
from hypothesis import given, settings
from hypothesis import strategies as st

from covtasks.check import (
    CHANGED,
    REGRESSED,
    CheckResult,
    Offender,
    below_gate,
    run_check,
)
from covtasks.check_formats import render_text as render_offenders
from covtasks.errors import UsageError
from covtasks.git import GitError, changed_lines, changed_paths, run_git, unquote_path
from covtasks.model import Counts, CoverageReport, ModuleCoverage
from covtasks.numbers import percent_float
from covtasks.ratchet import Regression


def git(root: Path, *args: str) -> str:
    return run_git(args, root)


def write(root: Path, relative: str, text: str = "x = 1\n") -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def commit(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository on branch ``feature`` forked from ``main``, which has moved on since."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.email", "dev@example.invalid")
    git(root, "config", "user.name", "Dev")
    git(root, "config", "commit.gpgsign", "false")
    for name in ("pkg/__init__.py", "pkg/a.py", "pkg/b.py", "pkg/old.py", "pkg/kept.py"):
        write(root, name, f"# {name}\n")
    write(root, ".gitignore", "*.log\n")
    commit(root, "base")
    git(root, "checkout", "-q", "-b", "feature")
    git(root, "checkout", "-q", "main")
    write(root, "pkg/main_only.py")
    commit(root, "main moves on")
    git(root, "checkout", "-q", "feature")
    return root


def test_changed_since_merge_base_covers_commits_staged_unstaged_and_untracked(
    repo: Path,
) -> None:
    write(repo, "pkg/a.py", "changed = True\n")
    git(repo, "rm", "-q", "pkg/b.py")
    git(repo, "mv", "pkg/old.py", "pkg/new.py")
    commit(repo, "feature work")
    write(repo, "pkg/c.py")
    git(repo, "add", "pkg/c.py")
    write(repo, "pkg/__init__.py", "# edited, not staged\n")
    write(repo, "pkg/d.py")
    write(repo, "debug.log")
    assert changed_paths(repo, base="main") == {
        "pkg/a.py",
        "pkg/new.py",
        "pkg/c.py",
        "pkg/__init__.py",
        "pkg/d.py",
    }


def test_changed_staged_is_only_what_the_next_commit_holds(repo: Path) -> None:
    write(repo, "pkg/a.py", "staged = True\n")
    write(repo, "pkg/c.py")
    git(repo, "add", "pkg/a.py", "pkg/c.py")
    git(repo, "rm", "-q", "pkg/b.py")
    write(repo, "pkg/kept.py", "# edited, not staged\n")
    write(repo, "pkg/d.py")
    assert changed_paths(repo, staged=True) == {"pkg/a.py", "pkg/c.py"}


def test_changed_paths_are_relative_to_a_project_in_a_subfolder(repo: Path) -> None:
    project = repo / "service"
    write(project, "pkg/y.py")
    write(repo, "other/x.py")
    commit(repo, "two places")
    write(project, "pkg/z.py")
    assert changed_paths(project, base="main") == {"pkg/y.py", "pkg/z.py"}


def test_nothing_changed_gives_an_empty_set(repo: Path) -> None:
    assert changed_paths(repo, base="feature") == frozenset()
    assert changed_paths(repo, staged=True) == frozenset()


def test_an_unknown_base_ref_is_a_usage_error_naming_it(repo: Path) -> None:
    with pytest.raises(UsageError) as caught:
        changed_paths(repo, base="no-such-branch")
    assert "unknown git ref 'no-such-branch'" in caught.value.message
    assert caught.value.exit_code == 2


def test_base_and_staged_together_or_neither_are_usage_errors(repo: Path) -> None:
    with pytest.raises(UsageError, match="cannot be combined"):
        changed_paths(repo, base="main", staged=True)
    with pytest.raises(UsageError, match="--base REF"):
        changed_paths(repo)


def test_a_runner_is_injectable_and_receives_args_and_folder(tmp_path: Path) -> None:
    calls: list[tuple[tuple[str, ...], Path]] = []

    def runner(args: object, cwd: Path) -> str:
        assert isinstance(args, list)
        calls.append((tuple(args), cwd))
        return "pkg/a.py\0pkg/b.py\0"

    assert changed_paths(tmp_path, runner, staged=True) == {"pkg/a.py", "pkg/b.py"}
    assert calls == [
        (("rev-parse", "--is-inside-work-tree"), tmp_path),
        (("diff", "--cached", "--name-only", "-z", "--relative", "--diff-filter=ACMRT"), tmp_path),
    ]


def test_outside_a_git_work_tree_is_a_usage_error_naming_the_folder(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="not inside a git work tree") as raised:
        changed_paths(tmp_path, staged=True)
    assert raised.value.path == str(tmp_path)


def test_a_failing_git_command_reports_its_first_stderr_line(repo: Path) -> None:
    with pytest.raises(GitError) as caught:
        git(repo, "log", "no-such-ref")
    assert caught.value.message.startswith(f"{repo}: git log failed: fatal: ")
    assert caught.value.exit_code == 2


def test_a_silent_git_failure_reports_the_exit_status(repo: Path) -> None:
    with pytest.raises(GitError, match="git rev-parse failed: exit status 1"):
        git(repo, "rev-parse", "--verify", "--quiet", "no-such-ref")


def test_a_missing_git_program_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(GitError, match="git is not installed"):
        run_git(["status"], tmp_path, program=str(tmp_path / "no-git-here"))


def module(path: str, percent: int, branches_missing: int = 0) -> ModuleCoverage:
    """A module with 100 statements of which ``percent`` ran, and 10 branches."""
    missing = 100 - percent
    counts = Counts(100, missing, 10, branches_missing, branches_missing)
    return ModuleCoverage(path, counts, tuple(range(1, 101)), tuple(range(1, missing + 1)), ())


def report_of(*modules: ModuleCoverage) -> CoverageReport:
    return CoverageReport(modules, has_branches=True)


MODULES = (
    module("pkg/a.py", 100),
    module("pkg/b.py", 100),
    module("pkg/kept.py", 100),
    module("pkg/legacy.py", 60),
)


def test_check_fails_naming_a_changed_module_at_97_percent(repo: Path) -> None:
    write(repo, "pkg/a.py", "changed = True\n")
    commit(repo, "touch a")
    data = report_of(module("pkg/a.py", 97), *MODULES[1:])
    result = run_check(data, changed_paths(repo, base="main"), (), None, 100.0)
    assert result.offenders == (
        Offender("pkg/a.py", CHANGED, "97.00", "100.00", "1-3", first_line=1),
    )
    assert not result.passed
    assert "pkg/a.py" in render_offenders(result)


def test_check_passes_when_changed_modules_are_at_target_and_nothing_regressed(
    repo: Path,
) -> None:
    write(repo, "pkg/a.py", "changed = True\n")
    write(repo, "pkg/b.py", "changed = True\n")
    git(repo, "add", "pkg/a.py", "pkg/b.py")
    data = report_of(*MODULES)
    result = run_check(
        data, changed_paths(repo, staged=True), ["pkg/kept.py"], Decimal("87.00"), 100.0
    )
    assert result.passed
    assert result.checked == 3
    assert render_offenders(result) == (
        "covtasks check: ok — 3 modules checked at target 100%, total 90.91% (gate 87.00)\n"
    )


def test_check_fails_a_completed_module_at_99_percent_as_a_regression(repo: Path) -> None:
    data = report_of(module("pkg/kept.py", 99), *MODULES[:2])
    result = run_check(data, changed_paths(repo, base="main"), {"pkg/kept.py"}, None, 100.0)
    assert result.offenders == (
        Offender("pkg/kept.py", REGRESSED, "99.00", "100.00", "1", first_line=1, regression=True),
    )


def test_check_fails_when_the_total_is_below_the_gate(repo: Path) -> None:
    result = run_check(
        report_of(*MODULES), changed_paths(repo, base="main"), (), Decimal("95"), 100.0
    )
    assert result.offenders == (
        Offender("TOTAL", "total 90.91% below the gate 95", "90.00", "100.00"),
    )


def test_check_names_both_reasons_for_a_changed_and_regressed_module() -> None:
    data = report_of(module("pkg/a.py", 98, branches_missing=1))
    result = run_check(data, frozenset({"pkg/a.py"}), {"pkg/a.py"}, None, 100.0)
    assert result.offenders == (
        Offender("pkg/a.py", f"{CHANGED}; {REGRESSED}", "98.00", "90.00", "1-2", None, 1, True),
    )


def test_check_without_changed_set_or_gate_checks_only_completed_modules() -> None:
    data = report_of(*MODULES)
    result = run_check(data, None, {"pkg/gone.py", "pkg/a.py"}, None, 100.0)
    assert (result.passed, result.checked) == (True, 1)
    assert render_offenders(result) == (
        "covtasks check: ok — 1 modules checked at target 100%, total 90.91% (no gate)\n"
    )


def test_check_uses_the_configured_target() -> None:
    result = run_check(report_of(module("pkg/a.py", 97)), frozenset({"pkg/a.py"}), (), None, 95.0)
    assert result.passed


FAILING = report_of(
    module("pkg/z.py", 97),
    module("pkg/a.py", 99),
    module("pkg/m.py", 100, branches_missing=5),
    module("pkg/ok.py", 100),
)


def test_check_output_is_a_stable_table_with_modules_by_path_and_total_last() -> None:
    result = run_check(
        FAILING,
        frozenset({"pkg/z.py", "pkg/m.py", "pkg/ok.py"}),
        {"pkg/a.py"},
        Decimal("99"),
        100.0,
    )
    assert render_offenders(result) == (
        "Module      Lines  Branches  Reason                          Missing\n"
        "pkg/a.py   99.00%   100.00%  regression: entry is Completed  1\n"
        "pkg/m.py  100.00%    50.00%  changed, below target\n"
        "pkg/z.py   97.00%   100.00%  changed, below target           1-3\n"
        "TOTAL      99.00%    87.50%  total 97.95% below the gate 99\n"
        "covtasks check: 4 offenders (target 100%, total 97.95%, gate 99)\n"
    )


def test_check_output_does_not_depend_on_module_order() -> None:
    shuffled = list(FAILING.modules)
    random.Random(5).shuffle(shuffled)
    args = (frozenset({"pkg/z.py"}), {"pkg/a.py"}, Decimal("99"), 100.0)
    first = render_offenders(run_check(FAILING, *args))
    assert render_offenders(run_check(report_of(*shuffled), *args)) == first
    assert render_offenders(run_check(FAILING, *args)) == first


def test_check_output_without_branch_data_shows_a_dash_and_one_offender_reads_singular() -> None:
    lines_only = ModuleCoverage("pkg/a.py", Counts(100, 3, 0, 0, 0), (), (), ())
    data = CoverageReport((lines_only,), has_branches=False)
    result = run_check(data, frozenset({"pkg/a.py"}), (), None, 100.0)
    assert render_offenders(result) == (
        "Module     Lines  Branches  Reason                 Missing\n"
        "pkg/a.py  97.00%         -  changed, below target\n"
        "covtasks check: 1 offender (target 100%, total 97.00%, no gate)\n"
    )


def test_check_result_passes_without_offenders() -> None:
    assert CheckResult((), 0, "100.00", None, 100.0).passed


def test_a_gate_of_100_demands_a_total_of_exactly_100() -> None:
    almost = Counts(100_000, 1, 0, 0, 0)
    assert below_gate(almost, Decimal("100.00"), 2)
    assert not below_gate(Counts(10, 0, 2, 0, 0), Decimal("100"), 2)


COUNTS = st.integers(0, 400).flatmap(
    lambda statements: st.tuples(
        st.just(statements),
        st.integers(0, statements),
        st.integers(0, 120).flatmap(lambda b: st.tuples(st.just(b), st.integers(0, b))),
    )
)


@settings(max_examples=400)
@given(
    shape=COUNTS,
    gate=st.decimals(min_value=0, max_value=100, places=2) | st.decimals(0, 100, places=0),
    precision=st.integers(0, 3),
)
def test_below_gate_agrees_with_coverage_py_fail_under(
    shape: tuple[int, int, tuple[int, int]], gate: Decimal, precision: int
) -> None:
    statements, missing, (branches, missing_branches) = shape
    counts = Counts(statements, missing, branches, missing_branches, missing_branches)
    total = percent_float(
        counts.covered + counts.covered_branches, counts.statements + counts.branches
    )
    expected = should_fail_under(total, float(gate), precision)
    assert below_gate(counts, gate, precision) == expected


def test_changed_lines_are_the_added_and_modified_lines_since_the_merge_base(repo: Path) -> None:
    write(repo, "pkg/a.py", "# pkg/a.py\nadded = 1\n++ x\n")
    write(repo, "pkg/kept.py", "replaced = True\n")
    commit(repo, "edit")
    git(repo, "mv", "pkg/old.py", "pkg/renamed.py")
    write(repo, "pkg/new.py", "one = 1\ntwo = 2\n")
    write(repo, "pkg/__init__.py", "# pkg/__init__.py\n# unstaged edit\n")
    assert changed_lines(repo, base="main") == {
        "pkg/a.py": frozenset({2, 3}),
        "pkg/kept.py": frozenset({1}),
        "pkg/__init__.py": frozenset({2}),
        "pkg/new.py": None,
    }


def test_changed_lines_staged_are_the_lines_the_next_commit_adds(repo: Path) -> None:
    write(repo, "pkg/a.py", "# pkg/a.py\nstaged = 1\n")
    git(repo, "add", "pkg/a.py")
    write(repo, "pkg/a.py", "# pkg/a.py\nstaged = 1\nunstaged = 2\n")
    write(repo, "pkg/untracked.py")
    assert changed_lines(repo, staged=True) == {"pkg/a.py": frozenset({2})}


def test_changed_lines_of_files_git_quotes_come_back_unquoted(repo: Path) -> None:
    names = ["pkg/tab\there.py", 'pkg/quote"d.py', "pkg/ctl\x01.py", "pkg/é.py", "pkg/back\\.py"]
    for name in names:
        write(repo, name, "x = 1\n")
    git(repo, "add", "-A")
    assert changed_lines(repo, staged=True) == dict.fromkeys(names, frozenset({1}))


def test_unquote_leaves_a_plain_name_and_a_trailing_backslash_alone() -> None:
    assert unquote_path("pkg/a.py") == "pkg/a.py"
    assert unquote_path('"a\\"') == "a\\"
    assert unquote_path('"') == '"'


def test_a_gate_written_with_decimals_is_compared_at_its_own_places_beyond_the_precision() -> None:
    total_87_46 = Counts(10_000, 1_254, 0, 0, 0)
    assert not below_gate(total_87_46, Decimal("87.45"), 0)
    assert below_gate(total_87_46, Decimal("87.47"), 0)


def test_a_module_both_completed_and_in_the_ratchet_is_checked_once_and_regressed() -> None:
    data = report_of(module("pkg/a.py", 90), module("pkg/b.py", 100))
    fell = {"pkg/a.py": Regression("pkg/a.py", "100.00", "90.00", "2026-11-20", "2026-11-20")}
    result = run_check(data, None, {"pkg/a.py", "pkg/b.py"}, None, 100.0, regressions=fell)
    assert result.checked == 2
    assert [offender.path for offender in result.offenders] == ["pkg/a.py"]
