"""``covtasks gate`` and ``check`` end to end: real coverage runs, real git repositories."""

from __future__ import annotations

import datetime as dt
import errno
import io
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from covtasks.cli import app
from covtasks.fileio import LOCK_NAME
from covtasks.sync import new_task_file
from tests.sample import SampleProject, git, init_repo, make_project

runner = CliRunner()
TASKS = ".ldres/tv-tasks.md"
PRE_COMMIT = ".pre-commit-config.yaml"
DROPPED = ".cache/coverage/dropped.sqlite"
FULL = ".cache/coverage/full.sqlite"
MILESTONE = "Core deterministic modules"
BUMP_LINE = f"- 2026-01-05: gate 87.00 → 95.00 (milestone “{MILESTONE}” complete)"

COVERAGE_SETTINGS = """\
[tool.coverage.run]
branch = true
source = ["pkg"]
relative_files = true
data_file = ".cache/coverage/coverage.sqlite"
"""
MILESTONES_AND_GATES = f"""\

[[tool.covtasks.milestones]]
name = "{MILESTONE}"
modules = ["pkg/core.py"]
gate = 95.0

[[tool.covtasks.gates]]
file = "{PRE_COMMIT}"
pattern = "--fail-under={{value}}"

[[tool.covtasks.gates]]
file = "{PRE_COMMIT}"
pattern = "coverage threshold (>={{value}}%)"
"""
PRE_COMMIT_TEXT = """\
# Raised by hand from 80.00 to 87.00; covtasks must leave this comment alone.
repos:
  - repo: local
    hooks:
      - id: coverage-threshold
        name: coverage threshold (>=87.00%)
        entry: coverage report --fail-under=87.00
        language: system
        pass_filenames: false
"""
CORE = "def double(x):\n    return 2 * x\n"
GAPPY = """\
def choose(flag):
    if flag:
        return "yes"
    return "no"


def never_called():
    return 1
"""
PARTIAL_DRIVER = "from pkg import core, gappy\ncore.double(1)\ngappy.choose(True)\n"
FULL_DRIVER = (
    "from pkg import core, gappy\n"
    "core.double(1)\ngappy.choose(True)\ngappy.choose(False)\ngappy.never_called()\n"
)
DROPPED_DRIVER = "from pkg import gappy\ngappy.choose(True)\n"
# What `covtasks report` shows for the partial run: 8 statements, 2 missed, 2 branches, 1 taken.
PARTIAL_TOTAL = "70.00"


def pyproject(covtasks: str = "", extra: str = MILESTONES_AND_GATES) -> str:
    return f"{COVERAGE_SETTINGS}\n[tool.covtasks]\n{covtasks}{extra}"


def invoke(root: Path, *args: str) -> Result:
    return runner.invoke(app, ["-C", str(root), *args])


def copy_of(source: Path, tmp_path: Path) -> Path:
    target = tmp_path / "project"
    shutil.copytree(source, target, symlinks=True)
    return target


def keep_data_as(project: SampleProject, relative: str) -> None:
    (project.root / ".cache/coverage/coverage.sqlite").rename(project.root / relative)


def expect_error(result: Result, *parts: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: ")
    assert result.stderr.count("\n") == 1
    for part in parts:
        assert part in result.stderr
    assert result.stdout == ""


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file below ``root`` except coverage data and covtasks' own lock file, for
    "nothing was written" checks."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
        and ".cache" not in path.parts
        and ".git" not in path.parts
        and path.name != LOCK_NAME
    }


# ---------------------------------------------------------------------------- gate


@pytest.fixture(scope="module")
def gate_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The milestone's module at target, gappy below; also a run where the milestone drops."""
    project = make_project(
        tmp_path_factory.mktemp("gate"),
        {
            "pkg/__init__.py": "",
            "pkg/core.py": CORE,
            "pkg/gappy.py": GAPPY,
            PRE_COMMIT: PRE_COMMIT_TEXT,
        },
        pyproject(),
    )
    project.measure(DROPPED_DRIVER)
    keep_data_as(project, DROPPED)
    project.measure(PARTIAL_DRIVER)
    return project.root


@pytest.fixture
def gate_project(gate_source: Path, tmp_path: Path) -> Path:
    return copy_of(gate_source, tmp_path)


def raised_pre_commit(value: str) -> str:
    return PRE_COMMIT_TEXT.replace("(>=87.00%)", f"(>={value}%)").replace(
        "--fail-under=87.00", f"--fail-under={value}"
    )


def test_gate_raises_both_patterns_to_the_milestone_gate_and_keeps_every_other_byte(
    gate_project: Path,
) -> None:
    result = invoke(gate_project, "gate", "--date", "2026-01-05")
    assert result.exit_code == 0, result.output
    assert result.stdout == BUMP_LINE.removeprefix("- ") + "\n"
    assert result.stderr == ""
    written = (gate_project / PRE_COMMIT).read_text()
    assert written == raised_pre_commit("95.00")
    assert "from 80.00 to 87.00" in written


def test_gate_without_task_file_creates_it_with_the_header_and_a_gate_log_section(
    gate_project: Path,
) -> None:
    invoke(gate_project, "gate", "--date", "2026-01-05")
    expected = new_task_file(dt.date(2026, 1, 5))
    expected += f"\n## Coverage gate log\n\n{BUMP_LINE}\n"
    assert (gate_project / TASKS).read_text() == expected


def test_gate_then_sync_keeps_the_log_and_files_entries_under_open_tasks(
    gate_project: Path,
) -> None:
    invoke(gate_project, "gate", "--date", "2026-01-05")
    assert invoke(gate_project, "sync", "--date", "2026-01-05").exit_code == 0
    text = (gate_project / TASKS).read_text()
    open_tasks = text.index("## Open tasks (updated 2026-01-05)")
    entry = text.index("### Open · tv-2026-01-05:cov-gappy")
    log = text.index("## Coverage gate log")
    assert open_tasks < entry < log
    assert text.count(BUMP_LINE) == 1


HAND_TASKS = """\
# tv-tasks

Coverage work for `pkg`; run `make quality` before every push.

## Open tasks (updated 2025-12-20)

### Open · tv-2025-12-01:PR?? · Coverage roadmap towards ~100%

- **Summary**: Bring every module of `pkg` to 100% line and branch coverage.
- **Size**: L
- **Next steps**:
  1. Cover the deterministic core first.
  1. Raise the pre-commit gate as milestones complete.

### In progress · tv-2025-12-02:PR4 · Split the settings loader

- **Summary**: Separate environment overrides from file loading.
- **Priority**: P1

## Coverage gate log

- 2025-11-30: gate 80.00 → 87.00 (set by hand)

## Deferred tasks (updated 2025-12-01)

Nothing deferred.
"""


def with_line_after(text: str, anchor: str, line: str) -> str:
    at = text.index(anchor) + len(anchor)
    return text[:at] + line + "\n" + text[at:]


def test_gate_appends_one_line_to_an_existing_gate_log_section(gate_project: Path) -> None:
    path = gate_project / TASKS
    path.parent.mkdir()
    path.write_text(HAND_TASKS)
    invoke(gate_project, "gate", "--date", "2026-01-05")
    assert path.read_text() == with_line_after(
        HAND_TASKS, "- 2025-11-30: gate 80.00 → 87.00 (set by hand)\n", BUMP_LINE
    )


@pytest.mark.parametrize(
    "umbrella", ["Coverage roadmap towards ~100%", "tv-2025-12-01:PR??"], ids=["title", "id"]
)
def test_gate_with_umbrella_logs_the_line_at_the_end_of_that_entry(
    gate_project: Path, umbrella: str
) -> None:
    (gate_project / "pyproject.toml").write_text(pyproject(f'umbrella = "{umbrella}"\n'))
    path = gate_project / TASKS
    path.parent.mkdir()
    path.write_text(HAND_TASKS)
    invoke(gate_project, "gate", "--date", "2026-01-05")
    anchor = "  1. Raise the pre-commit gate as milestones complete.\n"
    assert path.read_text() == with_line_after(HAND_TASKS, anchor, BUMP_LINE)


def test_gate_with_umbrella_naming_no_entry_logs_in_the_gate_log_section(
    gate_project: Path,
) -> None:
    (gate_project / "pyproject.toml").write_text(pyproject('umbrella = "No such roadmap"\n'))
    path = gate_project / TASKS
    path.parent.mkdir()
    path.write_text(HAND_TASKS)
    invoke(gate_project, "gate", "--date", "2026-01-05")
    assert path.read_text() == with_line_after(
        HAND_TASKS, "- 2025-11-30: gate 80.00 → 87.00 (set by hand)\n", BUMP_LINE
    )


def test_umbrella_log_line_survives_later_syncs_that_rewrite_the_snapshot(
    gate_project: Path,
) -> None:
    umbrella = 'umbrella = "Coverage roadmap towards ~100%"\n'
    (gate_project / "pyproject.toml").write_text(pyproject(umbrella))
    path = gate_project / TASKS
    path.parent.mkdir()
    path.write_text(HAND_TASKS)
    assert (
        invoke(gate_project, "sync", "--coverage", DROPPED, "--date", "2026-01-04").exit_code == 0
    )
    invoke(gate_project, "gate", "--date", "2026-01-05")
    assert invoke(gate_project, "sync", "--date", "2026-01-06").exit_code == 0
    text = path.read_text()
    entry = text[text.index("· Coverage roadmap towards ~100%") : text.index("### In progress")]
    assert "- **Latest snapshot (2026-01-06)**:" in entry
    assert "  - Pre-commit gate at `--fail-under=95.00`." in entry
    assert entry.endswith(f"{BUMP_LINE}\n\n")
    assert text.count(BUMP_LINE) == 1


def test_gate_log_section_goes_before_a_details_block_left_open_at_the_end(
    gate_project: Path,
) -> None:
    path = gate_project / TASKS
    path.parent.mkdir()
    head = "# tv-tasks\n\n## Open tasks (updated 2025-12-20)\n\nNothing yet.\n"
    tail = "\n<details>\n<summary>Archive</summary>\n\nOld notes, never closed.\n"
    path.write_text(head + tail)
    invoke(gate_project, "gate", "--date", "2026-01-05")
    assert path.read_text() == f"{head}\n## Coverage gate log\n\n{BUMP_LINE}\n{tail}"


def test_gate_log_in_a_crlf_task_file_uses_crlf(gate_project: Path) -> None:
    path = gate_project / TASKS
    path.parent.mkdir()
    path.write_bytes(b"# tv-tasks\r\n\r\n## Coverage gate log\r\n\r\n- earlier\r\n")
    invoke(gate_project, "gate", "--date", "2026-01-05")
    expected = f"# tv-tasks\r\n\r\n## Coverage gate log\r\n\r\n- earlier\r\n{BUMP_LINE}\r\n"
    assert path.read_bytes() == expected.encode()


def test_second_gate_changes_no_byte_and_logs_nothing(gate_project: Path) -> None:
    invoke(gate_project, "gate", "--date", "2026-01-05")
    before = snapshot(gate_project)
    result = invoke(gate_project, "gate", "--date", "2026-01-06")
    assert result.exit_code == 0
    assert result.stdout.startswith("gate 95.00 already at or above 95")
    assert result.stdout.count("\n") == 1
    assert snapshot(gate_project) == before


def test_gate_after_the_milestone_drops_below_target_never_lowers(gate_project: Path) -> None:
    invoke(gate_project, "gate", "--date", "2026-01-05")
    before = snapshot(gate_project)
    result = invoke(gate_project, "gate", "--coverage", DROPPED, "--date", "2026-01-06")
    assert result.exit_code == 0
    assert result.stdout == "no milestone completed in order and ratchet is off\n"
    assert snapshot(gate_project) == before


def test_gate_dry_run_prints_the_diff_and_the_log_line_and_writes_nothing(
    gate_project: Path,
) -> None:
    before = snapshot(gate_project)
    result = invoke(gate_project, "gate", "--dry-run", "--date", "2026-01-05")
    assert result.exit_code == 0
    assert result.stdout == (
        f"--- a/{PRE_COMMIT}\n"
        f"+++ b/{PRE_COMMIT}\n"
        "@@ -3,7 +3,7 @@\n"
        "   - repo: local\n"
        "     hooks:\n"
        "       - id: coverage-threshold\n"
        "-        name: coverage threshold (>=87.00%)\n"
        "-        entry: coverage report --fail-under=87.00\n"
        "+        name: coverage threshold (>=95.00%)\n"
        "+        entry: coverage report --fail-under=95.00\n"
        "         language: system\n"
        "         pass_filenames: false\n"
        f"{BUMP_LINE.removeprefix('- ')}\n"
    )
    assert snapshot(gate_project) == before
    assert not (gate_project / ".ldres").exists()


def test_gate_pattern_matching_nothing_exits_2_naming_file_and_pattern(
    gate_project: Path,
) -> None:
    extra = MILESTONES_AND_GATES.replace("(>={value}%)", "(at least {value}%)")
    (gate_project / "pyproject.toml").write_text(pyproject(extra=extra))
    before = snapshot(gate_project)
    result = invoke(gate_project, "gate", "--date", "2026-01-05")
    expect_error(
        result,
        f"{gate_project / PRE_COMMIT}: ",
        "'coverage threshold (at least {value}%)' matches nothing",
    )
    assert snapshot(gate_project) == before


def test_gate_without_gates_config_raises_discovered_pyproject_and_pre_commit_gates(
    gate_project: Path,
) -> None:
    report_table = (
        "\n[tool.coverage.report]\n"
        "# CI variance buffer: keep 87 until the core milestone lands\n"
        "fail_under = 87  # raised by covtasks gate\n"
        "show_missing = true\n"
    )
    milestone_only = MILESTONES_AND_GATES.split("[[tool.covtasks.gates]]", maxsplit=1)[0]
    settings = pyproject(extra=milestone_only) + report_table
    (gate_project / "pyproject.toml").write_text(settings)
    result = invoke(gate_project, "gate", "--date", "2026-01-05")
    assert result.exit_code == 0, result.output
    assert result.stdout == BUMP_LINE.removeprefix("- ") + "\n"
    assert (gate_project / "pyproject.toml").read_text() == settings.replace(
        "fail_under = 87 ", "fail_under = 95 "
    )
    assert (gate_project / PRE_COMMIT).read_text() == PRE_COMMIT_TEXT.replace(
        "--fail-under=87.00", "--fail-under=95.00"
    )


def set_gate(root: Path, value: str) -> None:
    (root / PRE_COMMIT).write_text(raised_pre_commit(value))


def test_gate_warns_on_stderr_when_the_total_runs_over_two_points_above_the_gate(
    gate_project: Path,
) -> None:
    set_gate(gate_project, "40.00")
    result = invoke(gate_project, "gate", "--coverage", DROPPED, "--date", "2026-01-05")
    assert result.exit_code == 0
    assert result.stdout == "no milestone completed in order and ratchet is off\n"
    assert result.stderr == (
        "warning: the total 50.00% runs 10.00 points above the gate 40.00; "
        "`covtasks gate --ratchet` would set it to 49.15\n"
    )


def test_gate_ratchet_raises_to_the_total_minus_the_buffer_and_logs_why(
    gate_project: Path,
) -> None:
    set_gate(gate_project, "40.00")
    result = invoke(
        gate_project, "gate", "--ratchet", "--coverage", DROPPED, "--date", "2026-01-05"
    )
    line = "2026-01-05: gate 40.00 → 49.15 (ratchet: total 50.00% minus buffer 0.85)"
    assert result.exit_code == 0
    assert result.stdout == line + "\n"
    assert result.stderr == ""
    assert (gate_project / PRE_COMMIT).read_text() == raised_pre_commit("49.15")
    assert (gate_project / TASKS).read_text().endswith(f"## Coverage gate log\n\n- {line}\n")


def test_gate_without_ratchet_option_uses_ratchet_from_the_config(gate_project: Path) -> None:
    set_gate(gate_project, "40.00")
    (gate_project / "pyproject.toml").write_text(pyproject("ratchet = true\n"))
    result = invoke(gate_project, "gate", "--coverage", DROPPED, "--date", "2026-01-05")
    assert result.stdout.startswith("2026-01-05: gate 40.00 → 49.15 (ratchet:")


# ---------------------------------------------------------------------------- check


def append(root: Path, relative: str, text: str) -> None:
    with (root / relative).open("a", encoding="utf-8") as handle:
        handle.write(text)


@pytest.fixture(scope="module")
def repo_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git repository: ``main``, then ``feature`` touching gappy (tag ``gappy-done``) and core.

    The gate is discovered (``--fail-under=50.00`` in the pre-commit config, no [[gates]]).
    Coverage: gappy below target by default, everything at target in ``FULL``.
    """
    project = make_project(
        tmp_path_factory.mktemp("repo"),
        {
            "pkg/__init__.py": "",
            "pkg/core.py": CORE,
            "pkg/gappy.py": GAPPY,
            PRE_COMMIT: PRE_COMMIT_TEXT.replace("87.00", "50.00"),
            ".gitignore": ".cache/\n.ldres/\ndriver.py\n__pycache__/\n",
        },
        pyproject(extra=""),
    )
    root = project.root
    init_repo(root)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "start")
    git(root, "checkout", "-q", "-b", "feature")
    append(root, "pkg/gappy.py", "# reviewed on the feature branch\n")
    git(root, "commit", "-q", "-am", "touch gappy")
    git(root, "tag", "gappy-done")
    append(root, "pkg/core.py", "# reviewed on the feature branch\n")
    git(root, "commit", "-q", "-am", "touch core")
    project.measure(FULL_DRIVER)
    keep_data_as(project, FULL)
    project.measure(PARTIAL_DRIVER)
    return root


@pytest.fixture
def repo(repo_source: Path, tmp_path: Path) -> Path:
    return copy_of(repo_source, tmp_path)


SLACK = (
    f"warning: the total {PARTIAL_TOTAL}% runs 20.00 points above the gate 50.00; "
    "`covtasks gate --ratchet` would set it to 69.15\n"
)
GAPPY_ROW = "pkg/gappy.py  66.67%    50.00%  "


def test_check_base_main_fails_naming_the_changed_module_below_target(repo_source: Path) -> None:
    result = invoke(repo_source, "check", "--base", "main")
    assert result.exit_code == 1
    assert result.stdout == (
        "Module         Lines  Branches  Reason                 Missing  In change\n"
        f"{GAPPY_ROW}changed, below target  4, 8\n"
        f"covtasks check: 1 offender (target 100%, total {PARTIAL_TOTAL}%, gate 50.00)\n"
    )
    assert result.stderr == SLACK


def test_check_base_after_the_gappy_commit_passes_with_only_core_changed(
    repo_source: Path,
) -> None:
    result = invoke(repo_source, "check", "--base", "gappy-done")
    assert result.exit_code == 0
    assert result.stdout == (
        f"covtasks check: ok — 1 modules checked at target 100%, "
        f"total {PARTIAL_TOTAL}% (gate 50.00)\n"
    )


def test_check_base_main_passes_when_every_changed_module_is_at_target(
    repo_source: Path,
) -> None:
    result = invoke(repo_source, "check", "--base", "main", "--coverage", FULL)
    assert result.exit_code == 0
    assert result.stdout == (
        "covtasks check: ok — 2 modules checked at target 100%, total 100.00% (gate 50.00)\n"
    )


def test_check_without_base_checks_only_completed_entries_and_the_gate(repo_source: Path) -> None:
    result = invoke(repo_source, "check")
    assert result.exit_code == 0
    assert result.stdout.startswith("covtasks check: ok — 0 modules checked")


def test_check_staged_with_nothing_staged_passes(repo_source: Path) -> None:
    result = invoke(repo_source, "check", "--staged")
    assert result.exit_code == 0
    assert result.stdout.startswith("covtasks check: ok — 0 modules checked")


def test_check_staged_fails_when_a_staged_module_misses_target(repo: Path) -> None:
    append(repo, "pkg/gappy.py", "# staged for commit\n")
    append(repo, "pkg/core.py", "# staged for commit\n")
    git(repo, "add", "pkg/gappy.py", "pkg/core.py")
    result = invoke(repo, "check", "--staged")
    assert result.exit_code == 1
    assert f"{GAPPY_ROW}changed, below target  4, 8\n" in result.stdout
    assert "pkg/core.py" not in result.stdout


def test_check_staged_ignores_unstaged_edits(repo: Path) -> None:
    append(repo, "pkg/core.py", "# staged for commit\n")
    git(repo, "add", "pkg/core.py")
    append(repo, "pkg/gappy.py", "# edited, not staged\n")
    result = invoke(repo, "check", "--staged")
    assert result.exit_code == 0
    assert result.stdout.startswith("covtasks check: ok — 1 modules checked")


def test_check_fails_as_regression_when_a_synced_entry_completed_then_coverage_dropped(
    repo: Path,
) -> None:
    assert invoke(repo, "sync", "--date", "2026-01-05").exit_code == 0
    assert invoke(repo, "sync", "--coverage", FULL, "--date", "2026-01-06").exit_code == 0
    assert "### Completed · tv-2026-01-05:cov-gappy" in (repo / TASKS).read_text()
    result = invoke(repo, "check")
    assert result.exit_code == 1
    reason = "regression: was 100% → now 62.50%, last at target 2026-01-06"
    assert result.stdout == (
        f"Module         Lines  Branches  {'Reason':{len(reason)}}  Missing\n"
        f"{GAPPY_ROW}{reason}  4, 8\n"
        f"covtasks check: 1 offender (target 100%, total {PARTIAL_TOTAL}%, gate 50.00)\n"
    )


def test_check_names_both_reasons_for_a_changed_module_whose_hand_entry_reads_completed(
    repo: Path,
) -> None:
    path = repo / TASKS
    path.parent.mkdir()
    path.write_text(
        "# tv-tasks\n\n## Open tasks (updated 2026-01-02)\n\n"
        "### Open · tv-2026-01-02:PR8 · Tidy `pkg/core.py`\n\n- **Summary**: Names.\n\n"
        "### Completed · tv-2026-01-01:PR7 · Cover `pkg/gappy.py` fully\n\n"
        "- **Summary**: Done by hand.\n"
    )
    result = invoke(repo, "check", "--base", "main")
    assert result.exit_code == 1
    both = "changed, below target; regression: entry is Completed"
    assert f"{GAPPY_ROW}{both}  4, 8\n" in result.stdout


def test_check_fails_when_the_total_is_below_the_gate(repo: Path) -> None:
    lowered_from = repo / PRE_COMMIT
    lowered_from.write_text(lowered_from.read_text().replace("50.00", "99.00"))
    result = invoke(repo, "check")
    assert result.exit_code == 1
    assert result.stdout == (
        "Module   Lines  Branches  Reason                             Missing\n"
        f"TOTAL   75.00%    50.00%  total {PARTIAL_TOTAL}% below the gate 99.00\n"
        f"covtasks check: 1 offender (target 100%, total {PARTIAL_TOTAL}%, gate 99.00)\n"
    )
    assert result.stderr == ""


def test_check_unknown_base_ref_exits_2_naming_it(repo_source: Path) -> None:
    result = invoke(repo_source, "check", "--base", "no-such-branch")
    expect_error(result, f"{repo_source}: --base: unknown git ref 'no-such-branch'")


def test_check_staged_and_base_together_exit_2(repo_source: Path) -> None:
    result = invoke(repo_source, "check", "--staged", "--base", "main")
    expect_error(result, "--staged and --base cannot be combined")


def test_check_base_outside_a_git_repository_exits_2(gate_project: Path) -> None:
    result = invoke(gate_project, "check", "--base", "main")
    expect_error(result, f"{gate_project}: ")


def test_check_outputs_are_identical_across_runs(repo_source: Path) -> None:
    first = invoke(repo_source, "check", "--base", "main")
    second = invoke(repo_source, "check", "--base", "main")
    assert (first.stdout, first.stderr) == (second.stdout, second.stderr)


def test_gate_with_an_unreadable_task_file_exits_2_and_raises_no_gate(gate_project: Path) -> None:
    tasks = gate_project / ".ldres" / "tv-tasks.md"
    tasks.parent.mkdir(exist_ok=True)
    tasks.write_text('### Open · tv-1:a · A\n\n<!-- covtasks:entry module="a.py" oops -->\n')
    before = snapshot(gate_project)
    result = invoke(gate_project, "gate", "--date", "2026-01-05")
    expect_error(result, "tv-tasks.md", "line 3")
    assert snapshot(gate_project) == before


@pytest.mark.parametrize("failing", [".pre-commit-config.yaml", "tv-tasks.md"])
def test_gate_failing_to_write_any_file_raises_no_gate_and_logs_nothing(
    gate_project: Path, failing: str
) -> None:
    from covtasks.config import load_config
    from covtasks.coverage_data import read_coverage
    from covtasks.enforce import run_gate
    from covtasks.errors import TaskFileError
    from covtasks.fileio import stage_file

    def stage(path: Path, text: str) -> Path:
        if path.name == failing:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return stage_file(path, text)

    before = snapshot(gate_project)
    with pytest.raises(TaskFileError, match="No space left on device"):
        run_gate(
            load_config(gate_project),
            read_coverage(gate_project),
            dt.date(2026, 1, 5),
            dry_run=False,
            ratchet=False,
            out=io.StringIO(),
            err=io.StringIO(),
            stage=stage,
        )
    assert snapshot(gate_project) == before
