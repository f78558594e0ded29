"""``covtasks check`` in CI: gradual mode, formats, the step summary and honest data.

Real git repositories and real coverage runs throughout.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from covtasks.check_command import CheckRequest, run_merge_check, stale_warning
from covtasks.cli import app
from covtasks.config import load_config
from covtasks.coverage_data import read_coverage
from covtasks.errors import CovtasksError, UsageError
from covtasks.git import run_git
from covtasks.model import CoverageReport
from tests.sample import SampleProject, git, init_repo, make_project

runner = CliRunner()
HALF = ".cache/coverage/half.sqlite"
PYPROJECT = """\
[tool.coverage.run]
branch = true
source = ["pkg"]
relative_files = true
data_file = ".cache/coverage/coverage.sqlite"

[tool.covtasks]
"""
LEGACY = "def old_unused():\n    return 1\n\n\ndef old_used():\n    return 2\n"
# Appended on the feature branch: lines 7-12, the function on 9-12.
NEW_CODE = '\n\ndef new_covered(flag):\n    if flag:\n        return "yes"\n    return "no"\n'
CORE = "def double(x):\n    return 2 * x\n"
COVERED_DRIVER = (
    "from pkg import core, legacy\ncore.double(1)\nlegacy.old_used()\n"
    "legacy.new_covered(True)\nlegacy.new_covered(False)\n"
)
HALF_DRIVER = (
    "from pkg import core, legacy\ncore.double(1)\nlegacy.old_used()\nlegacy.new_covered(True)\n"
)


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``feature`` adds a covered function to a legacy module below target (75%).

    The default data covers the change; ``HALF`` leaves its line 12 and branch 10->12 uncovered.
    """
    project = make_project(
        tmp_path_factory.mktemp("ci"),
        {
            "pkg/__init__.py": "",
            "pkg/core.py": CORE,
            "pkg/legacy.py": LEGACY,
            ".gitignore": ".cache/\n.ldres/\ndriver.py\n__pycache__/\n",
        },
        PYPROJECT,
    )
    root = project.root
    init_repo(root)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "start")
    git(root, "checkout", "-q", "-b", "feature")
    with (root / "pkg/legacy.py").open("a", encoding="utf-8") as handle:
        handle.write(NEW_CODE)
    git(root, "commit", "-q", "-am", "new code")
    project.measure(HALF_DRIVER)
    (root / ".cache/coverage/coverage.sqlite").rename(root / HALF)
    project.measure(COVERED_DRIVER)
    return root


@pytest.fixture
def project(source: Path, tmp_path: Path) -> Path:
    target = tmp_path / "project"
    shutil.copytree(source, target, symlinks=True)
    return target


def check(root: Path, *args: str) -> Result:
    return runner.invoke(app, ["-C", str(root), "check", *args])


# ------------------------------------------------------------------------- gradual mode


def test_default_check_fails_a_covered_change_to_a_module_below_target(source: Path) -> None:
    result = check(source, "--base", "main")
    assert result.exit_code == 1
    assert result.stdout == (
        "Module          Lines  Branches  Reason                 Missing  In change\n"
        "pkg/legacy.py  87.50%   100.00%  changed, below target  2\n"
        "covtasks check: 1 offender (target 100%, total 91.67%, no gate)\n"
    )


def test_diff_lines_passes_a_covered_change_to_a_module_below_target(source: Path) -> None:
    result = check(source, "--base", "main", "--diff-lines")
    assert result.exit_code == 0
    assert result.stdout == (
        "covtasks check: ok — 1 modules checked at target 100%, total 91.67% (no gate)\n"
    )


def test_diff_lines_fails_an_uncovered_changed_line_naming_it(source: Path) -> None:
    result = check(source, "--base", "main", "--diff-lines", "--coverage", HALF)
    assert result.exit_code == 1
    assert result.stdout == (
        "Module          Lines  Branches  Reason                     Missing  In change\n"
        "pkg/legacy.py  75.00%    50.00%  changed lines not covered  2, 12    10->12, 12\n"
        "covtasks check: 1 offender (target 100%, total 75.00%, no gate)\n"
    )


def test_diff_lines_with_staged_judges_the_staged_lines(project: Path) -> None:
    (project / "pkg/core.py").write_text(CORE + "\n\ndef unused():\n    return 0\n")
    git(project, "add", "pkg/core.py")
    result = check(project, "--staged", "--diff-lines", "--coverage", HALF)
    assert result.exit_code == 1
    assert "pkg/core.py" in result.stdout
    assert "pkg/legacy.py" not in result.stdout


def test_diff_lines_counts_every_line_of_an_untracked_module_as_changed(
    project: Path,
) -> None:
    git(project, "reset", "-q", "--soft", "main")
    git(project, "rm", "-q", "--cached", "pkg/legacy.py")
    result = check(project, "--base", "main", "--diff-lines", "--coverage", HALF)
    assert result.exit_code == 1
    assert "pkg/legacy.py  75.00%    50.00%  changed lines not covered  2, 12    2, 10->12, 12" in (
        result.stdout
    )


def test_diff_lines_without_a_change_to_judge_exits_2(source: Path) -> None:
    result = check(source, "--diff-lines")
    assert result.exit_code == 2
    assert result.stderr == "error: --diff-lines judges a change: add --base REF (or --staged)\n"


# ------------------------------------------------------------------------------ formats

GITHUB_HALF = (
    "::error file=pkg/legacy.py,line=10,title=covtasks%3A changed lines not covered::"
    "pkg/legacy.py: 75.00%25 lines, 50.00%25 branches (target 100%25); missing 2, 12; "
    "in this change 10->12, 12\n"
    "covtasks check: 1 offender (target 100%, total 75.00%, no gate)\n"
)


def test_github_format_writes_one_error_per_offender_at_its_first_gap_in_the_change(
    source: Path,
) -> None:
    result = check(
        source, "--base", "main", "--diff-lines", "--coverage", HALF, "--format", "github"
    )
    assert (result.exit_code, result.stdout, result.stderr) == (1, GITHUB_HALF, "")


def test_github_format_points_at_the_first_missing_line_when_the_change_has_none(
    source: Path,
) -> None:
    result = check(source, "--base", "main", "--format", "github")
    assert result.stdout.splitlines()[0] == (
        "::error file=pkg/legacy.py,line=2,title=covtasks%3A changed%2C below target::"
        "pkg/legacy.py: 87.50%25 lines, 100.00%25 branches (target 100%25); missing 2"
    )


def test_github_annotations_of_a_project_in_a_subfolder_carry_the_repository_path(
    tmp_path: Path,
) -> None:
    repository = tmp_path / "repository"
    project = make_project(
        repository / "service", {"pkg/__init__.py": "", "pkg/core.py": CORE}, PYPROJECT
    )
    init_repo(repository)
    project.measure("import pkg.core\n")
    git(repository, "add", "service/pkg", "service/pyproject.toml")
    result = check(project.root, "--staged", "--format", "github")
    assert result.stdout.startswith("::error file=service/pkg/core.py,line=2,")


def test_markdown_format_is_a_pr_comment_with_verdict_offenders_total_and_changes(
    project: Path,
) -> None:
    assert runner.invoke(app, ["-C", str(project), "sync", "--coverage", HALF]).exit_code == 0
    result = check(project, "--base", "main", "--format", "markdown")
    assert result.exit_code == 1
    assert result.stdout == (
        "### ❌ covtasks check failed — 1 offender\n"
        "\n"
        "Target 100% per module; total 91.67%, no gate.\n"
        "\n"
        "**Offenders**:\n"
        "\n"
        "- `pkg/legacy.py` — 87.50% lines, 100.00% branches — changed, below target; "
        "missing `2`\n"
        "\n"
        "**Regressions**: none.\n"
        "\n"
        "**Changed modules**:\n"
        "\n"
        "- `pkg/legacy.py`: 70.00% → 90.00%\n"
    )


def test_json_format_holds_the_same_content_as_data(source: Path) -> None:
    result = check(source, "--base", "main", "--diff-lines", "--coverage", HALF, "--format", "json")
    document = json.loads(result.stdout)
    assert document["passed"] is False
    assert document["offenders"] == [
        {
            "path": "pkg/legacy.py",
            "reason": "changed lines not covered",
            "regression": False,
            "line_percent": "75.00",
            "branch_percent": "50.00",
            "missing": "2, 12",
            "in_change": "10->12, 12",
            "first_line": 10,
            "was": None,
            "last_at_target": None,
        }
    ]
    assert document["changed"] == [{"path": "pkg/legacy.py", "before": None, "after": "70.00%"}]
    assert (document["total"], document["gate"], document["regressions"]) == ("75.00", None, [])


def offender_paths(output_format: str, text: str) -> list[str]:
    """The offending module paths a format names, read back from its output."""
    if output_format == "json":
        return [offender["path"] for offender in json.loads(text)["offenders"]]
    if output_format == "github":
        return [
            line.split("file=")[1].split(",")[0] for line in text.splitlines() if "file=" in line
        ]
    if output_format == "markdown":
        offenders = text.split("**Offenders**:")[1].split("**Regressions**", maxsplit=1)[0]
        return [line.split("`")[1] for line in offenders.splitlines() if line.startswith("- `")]
    return [line.split()[0] for line in text.splitlines()[1:-1]]


def test_every_format_carries_the_same_offenders_and_repeats_byte_for_byte(
    project: Path,
) -> None:
    (project / "pkg/core.py").write_text(CORE + "\n\ndef unused():\n    return 0\n")
    args = ("--base", "main", "--diff-lines", "--coverage", HALF, "--format")
    named = {}
    for output_format in ("text", "markdown", "json", "github"):
        first, second = check(project, *args, output_format), check(project, *args, output_format)
        assert first.stdout == second.stdout
        named[output_format] = offender_paths(output_format, first.stdout)
    assert named == {name: ["pkg/core.py", "pkg/legacy.py"] for name in named}


def test_an_unknown_format_exits_2_naming_the_choices(source: Path) -> None:
    result = check(source, "--format", "xml")
    assert result.exit_code == 2
    assert result.stderr == "error: --format: 'xml' is not one of text, markdown, json, github\n"


# ------------------------------------------------------------------------- step summary


def run_in(root: Path, environ: dict[str, str], *args: str) -> tuple[int, str]:
    config = load_config(root)
    out, err = io.StringIO(), io.StringIO()
    request = CheckRequest(root, base="main", diff_lines="--diff-lines" in args)
    report = read_coverage(root, HALF)
    code = run_merge_check(config, report, request, out=out, err=err, environ=environ)
    return code, out.getvalue()


def test_judging_named_modules_asks_git_only_for_the_github_formats_paths(source: Path) -> None:
    asked: list[list[str]] = []

    def recording_git(arguments: Sequence[str], root: Path) -> str:
        asked.append(list(arguments))
        return run_git(arguments, root)

    config, report = load_config(source), read_coverage(source, HALF)
    for output_format in ("text", "markdown", "json", "github"):
        request = CheckRequest(source, paths=("pkg/core.py",), output_format=output_format)
        out, err = io.StringIO(), io.StringIO()
        run_merge_check(config, report, request, out=out, err=err, git=recording_git)
    assert asked == [["rev-parse", "--show-prefix"]]


def test_the_step_summary_is_appended_when_github_step_summary_is_set(project: Path) -> None:
    summary = project.parent / "summary.md"
    summary.write_text("# earlier step\n", encoding="utf-8")
    code, _ = run_in(project, {"GITHUB_STEP_SUMMARY": str(summary)}, "--diff-lines")
    text = summary.read_text(encoding="utf-8")
    assert code == 1
    assert text.startswith("# earlier step\n### ❌ covtasks check failed — 1 offender\n")
    assert "in this change `10->12, 12`" in text


def test_no_step_summary_is_written_when_the_variable_is_unset_or_empty(project: Path) -> None:
    summary = project.parent / "summary.md"
    for environ in ({}, {"GITHUB_STEP_SUMMARY": ""}, {"OTHER": str(summary)}):
        run_in(project, environ)
    assert not summary.exists()


def test_an_unwritable_step_summary_is_an_error_naming_it(project: Path) -> None:
    summary = project.parent / "no-such-folder" / "summary.md"
    with pytest.raises(CovtasksError) as raised:
        run_in(project, {"GITHUB_STEP_SUMMARY": str(summary)})
    assert raised.value.message.startswith(f"{summary}: cannot append the step summary")
    assert raised.value.exit_code == 2


def test_an_unwritable_step_summary_exits_2_naming_it(project: Path) -> None:
    summary = project.parent / "no-such-folder" / "summary.md"
    done = subprocess.run(
        [sys.executable, "-m", "covtasks", "-C", str(project), "check", "--base", "main"],
        capture_output=True,
        text=True,
        env={**os.environ, "GITHUB_STEP_SUMMARY": str(summary)},
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.startswith(f"error: {summary}: cannot append the step summary")
    assert done.stderr.count("\n") == 1


def test_the_cli_appends_the_summary_from_its_real_environment(project: Path) -> None:
    summary = project.parent / "summary.md"
    environ = {**os.environ, "GITHUB_STEP_SUMMARY": str(summary)}
    done = subprocess.run(
        [sys.executable, "-m", "covtasks", "-C", str(project), "check", "pkg/core.py"],
        capture_output=True,
        text=True,
        env=environ,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert summary.read_text(encoding="utf-8").startswith(
        "### ✅ covtasks check passed — 1 modules at target\n"
    )


# ---------------------------------------------------------------------------- honest data


def test_a_changed_source_newer_than_the_data_is_named_in_a_warning(project: Path) -> None:
    data = project / ".cache/coverage/coverage.sqlite"
    later = data.stat().st_mtime + 60
    os.utime(project / "pkg/legacy.py", (later, later))
    result = check(project, "--base", "main", "--diff-lines")
    assert result.exit_code == 0
    assert result.stderr == (
        f"warning: 'pkg/legacy.py' is newer than the coverage data {str(data)!r}; "
        "run the tests under coverage first\n"
    )
    github = check(project, "--base", "main", "--diff-lines", "--format", "github")
    assert github.stdout.startswith("::warning title=covtasks::'pkg/legacy.py' is newer than")


def test_data_newer_than_every_changed_source_gives_no_warning(source: Path) -> None:
    assert check(source, "--base", "main", "--diff-lines").stderr == ""


def test_combined_parallel_data_files_are_counted_in_a_note(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"pkg/__init__.py": "", "pkg/core.py": CORE}, PYPROJECT)
    project.measure("import pkg.core\n", "--parallel-mode")
    project.measure("from pkg import core\ncore.double(2)\n", "--parallel-mode")
    result = check(project.root, "pkg/core.py")
    assert result.exit_code == 0
    assert result.stderr == "note: combined 2 parallel coverage data files\n"


def measured_with_a_file_outside(tmp_path: Path) -> SampleProject:
    """Data measuring the project's module and, through sys.path, one from a sibling folder."""
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "helper.py").write_text("def help_me():\n    return 1\n", encoding="utf-8")
    project = make_project(
        tmp_path / "project",
        {"pkg/__init__.py": "", "pkg/core.py": CORE},
        PYPROJECT.replace('source = ["pkg"]\n', ""),
    )
    project.measure(
        f"import sys\nsys.path.insert(0, {str(outside)!r})\n"
        "import helper\nfrom pkg import core\ncore.double(1)\n"
    )
    return project


def test_measured_files_outside_the_root_are_reported_once_and_never_judged(
    tmp_path: Path,
) -> None:
    project = measured_with_a_file_outside(tmp_path)
    result = check(project.root, ".")
    assert result.exit_code == 0, result.output
    helper = str(tmp_path / "elsewhere/helper.py")
    assert result.stderr == (
        f"warning: 1 measured file is outside the project root (first: {helper!r}); covtasks "
        "never reads, judges or files them; the data was measured in another folder: set "
        "relative_files = true in [tool.coverage.run] or map the other folder with [paths], "
        "then measure again\n"
    )
    assert "covtasks check: ok — 3 modules checked" in result.stdout
    report = runner.invoke(app, ["-C", str(project.root), "report", "--all"])
    assert report.stderr.count("warning: ") == 1
    assert "elsewhere" not in report.stdout


def test_data_from_another_checkout_with_no_file_inside_the_root_exits_2(tmp_path: Path) -> None:
    first = make_project(
        tmp_path / "proj1",
        {"pkg/__init__.py": "", "pkg/core.py": CORE},
        PYPROJECT.replace("relative_files = true\n", ""),
    )
    first.measure("from pkg import core\ncore.double(1)\n")
    second = make_project(
        tmp_path / "proj2", {"pkg/__init__.py": "", "pkg/core.py": CORE}, PYPROJECT
    )
    shutil.copytree(first.root / ".cache", second.root / ".cache")
    result = check(second.root, "--base", "main")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "no measured file is inside the project root" in result.stderr
    assert str(first.root / "pkg") in result.stderr


def test_an_empty_base_exits_2_instead_of_passing(source: Path) -> None:
    result = check(source, "--base", "")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: --base is empty (an unset CI variable?); name a ref like origin/main\n"
    )


def test_a_shallow_clone_without_the_merge_base_is_told_to_fetch_more_history(
    source: Path, tmp_path: Path
) -> None:
    clone = tmp_path / "clone"
    subprocess.run(
        [
            "git",
            "clone",
            "-q",
            "--depth",
            "1",
            "--no-single-branch",
            "--branch",
            "feature",
            source.as_uri(),
            str(clone),
        ],
        check=True,
        capture_output=True,
    )
    shutil.copytree(source / ".cache", clone / ".cache")
    result = check(clone, "--base", "origin/main")
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {clone}: --base: no merge-base with 'origin/main' in this shallow clone; "
        "fetch more history (actions/checkout with fetch-depth: 0, or git fetch --unshallow)\n"
    )


def test_a_base_with_no_common_history_exits_2_saying_so(project: Path) -> None:
    git(project, "checkout", "-q", "--orphan", "unrelated")
    git(project, "commit", "-q", "-m", "alone")
    result = check(project, "--base", "main")
    assert result.exit_code == 2
    assert result.stderr == f"error: {project}: --base: 'main' shares no history with HEAD\n"


def test_github_format_outside_a_git_repository_names_root_relative_paths(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"pkg/__init__.py": "", "pkg/core.py": CORE}, PYPROJECT)
    project.measure("import pkg.core\n")
    result = check(project.root, "pkg", "--format", "github")
    assert result.exit_code == 1
    assert result.stdout.startswith("::error file=pkg/core.py,line=2,title=covtasks%3A below")


def test_no_staleness_is_claimed_for_data_without_a_write_time(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("x = 1\n", encoding="utf-8")
    report = CoverageReport((), has_branches=False)
    assert stale_warning(tmp_path, report, frozenset({"a.py"})) is None


def test_staleness_is_claimed_only_for_python_sources_on_disk_newer_than_the_data(
    tmp_path: Path,
) -> None:
    for name in ("same.py", "page.html"):
        (tmp_path / name).write_text("x = 1\n", encoding="utf-8")
    written = (tmp_path / "same.py").stat().st_mtime
    os.utime(tmp_path / "page.html", (written + 60, written + 60))
    report = CoverageReport((), has_branches=False, written_at=written)
    judged = frozenset({"same.py", "page.html", "gone.py"})
    assert stale_warning(tmp_path, report, judged) is None


@pytest.mark.parametrize(
    "change", [{"base": "main"}, {"staged": True}, {"base": "main", "staged": True}]
)
def test_naming_modules_and_a_change_together_is_refused(
    tmp_path: Path, change: dict[str, Any]
) -> None:
    request = CheckRequest(tmp_path, paths=("pkg/core.py",), **change)
    with pytest.raises(UsageError, match=r"name modules \(PATH\.\.\.\) or a change"):
        request.validate()


def test_a_json_report_counts_files_outside_the_root_in_the_total_but_never_judges_them(
    tmp_path: Path,
) -> None:
    project = measured_with_a_file_outside(tmp_path)
    project.coverage("json", "-o", "report.json")
    helper = str(tmp_path / "elsewhere/helper.py")
    assert helper in json.loads((project.root / "report.json").read_text())["files"]
    result = check(project.root, "--coverage", "report.json", "--format", "json", ".")
    document = json.loads(result.stdout)
    assert result.exit_code == 0
    assert document["warnings"][0].startswith(
        f"1 measured file is outside the project root (first: {helper!r})"
    )
    truth = project.json_report()["totals"]["percent_covered"]
    assert document["total"] == f"{truth:.2f}" == "88.89"  # 100.00 without the outside file
    assert document["checked"] == 3  # driver.py, pkg/__init__.py, pkg/core.py
