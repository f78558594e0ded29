"""``covtasks check PATH...``: judge named modules alone, on real coverage runs and git repos."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from covtasks.check import select_modules
from covtasks.cli import app
from covtasks.errors import UsageError
from covtasks.model import Counts, CoverageReport, ModuleCoverage
from tests.sample import git, init_repo, make_project

runner = CliRunner()
FULL = ".cache/coverage/full.sqlite"
PYPROJECT = """\
[tool.coverage.run]
branch = true
source = ["pkg"]
relative_files = true
data_file = ".cache/coverage/coverage.sqlite"

[tool.covtasks]
"""
# A gate no run here reaches: named modules are judged without it.
PRE_COMMIT = """\
repos:
  - repo: local
    hooks:
      - id: coverage
        name: coverage
        entry: coverage report --fail-under=99.00
        language: system
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
FULL_DRIVER = PARTIAL_DRIVER + "gappy.choose(False)\ngappy.never_called()\n"
GAPPY_TABLE = (
    "Module         Lines  Branches  Reason        Missing\n"
    "pkg/gappy.py  66.67%    50.00%  below target  4, 8\n"
    "covtasks check: 1 offender (target 100%, total 70.00%, no gate)\n"
)


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git repository whose gappy module is below target; ``FULL`` has everything at target."""
    project = make_project(
        tmp_path_factory.mktemp("check"),
        {
            "pkg/__init__.py": "",
            "pkg/core.py": CORE,
            "pkg/gappy.py": GAPPY,
            ".pre-commit-config.yaml": PRE_COMMIT,
            ".gitignore": ".cache/\n.ldres/\ndriver.py\n__pycache__/\n",
        },
        PYPROJECT,
    )
    root = project.root
    init_repo(root)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "start")
    project.measure(FULL_DRIVER)
    (root / ".cache/coverage/coverage.sqlite").rename(root / FULL)
    project.measure(PARTIAL_DRIVER)
    return root


@pytest.fixture
def project(source: Path, tmp_path: Path) -> Path:
    target = tmp_path / "project"
    shutil.copytree(source, target, symlinks=True)
    return target


def invoke(directory: Path, *args: str) -> Result:
    return runner.invoke(app, ["-C", str(directory), "check", *args])


def test_check_path_of_a_module_below_target_exits_1_naming_it_with_missing_lines(
    source: Path,
) -> None:
    result = invoke(source, "pkg/gappy.py")
    assert (result.exit_code, result.stdout, result.stderr) == (1, GAPPY_TABLE, "")


def test_check_path_of_a_module_at_target_exits_0_despite_a_gate_the_total_misses(
    source: Path,
) -> None:
    result = invoke(source, "pkg/core.py")
    assert result.exit_code == 0
    assert result.stdout == (
        "covtasks check: ok — 1 modules checked at target 100%, total 70.00% (no gate)\n"
    )


def test_check_unknown_path_exits_2_naming_it_and_the_data(source: Path) -> None:
    result = invoke(source, "pkg/core.py", "pkg/nope.py", "other/*.py")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"error: {source / '.cache/coverage/coverage.sqlite'}: "
        "no measured module matches 'pkg/nope.py', 'other/*.py'\n"
    )


def test_check_paths_are_relative_to_the_folder_the_command_runs_in(source: Path) -> None:
    result = invoke(source / "pkg", "gappy.py")
    assert (result.exit_code, result.stdout) == (1, GAPPY_TABLE)


def test_check_a_folder_judges_every_module_below_it(source: Path) -> None:
    result = invoke(source, "pkg")
    assert (result.exit_code, result.stdout) == (1, GAPPY_TABLE)


def test_check_a_glob_matches_project_root_relative_module_paths(source: Path) -> None:
    result = invoke(source / "pkg", "pkg/g*.py")
    assert (result.exit_code, result.stdout) == (1, GAPPY_TABLE)


def test_check_path_with_scratch_coverage_data_judges_that_data(source: Path) -> None:
    result = invoke(source, "--coverage", FULL, "pkg/gappy.py")
    assert result.exit_code == 0
    assert result.stdout.startswith("covtasks check: ok — 1 modules checked")


def test_check_path_ignores_a_completed_entry_that_regressed(project: Path) -> None:
    tasks = project / ".ldres/tv-tasks.md"
    tasks.parent.mkdir()
    tasks.write_text("# Tasks\n\n### Completed · tv-1 · Cover `pkg/gappy.py`\n")
    assert invoke(project).exit_code == 1
    assert invoke(project, "pkg/core.py").exit_code == 0


def test_check_path_with_base_exits_2(source: Path) -> None:
    result = invoke(source, "--base", "main", "pkg/core.py")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: name modules (PATH...) or a change (--base, --staged), not both\n"
    )


def measured(*paths: str) -> CoverageReport:
    counts = Counts(1, 0, 0, 0, 0)
    return CoverageReport(tuple(ModuleCoverage(p, counts, (1,), (), ()) for p in paths), False)


def test_select_modules_of_the_root_itself_is_every_module(tmp_path: Path) -> None:
    report = measured("a.py", "pkg/b.py")
    assert select_modules(report, ["."], tmp_path, tmp_path) == {"a.py", "pkg/b.py"}


def test_select_modules_never_matches_a_path_outside_the_root(tmp_path: Path) -> None:
    root = tmp_path / "root"
    report = measured("a.py")
    with pytest.raises(UsageError) as raised:
        select_modules(report, ["../a.py"], root, root)
    assert raised.value.message == "no measured module matches '../a.py'"


def test_select_modules_folder_prefix_does_not_match_a_sibling_with_the_same_start(
    tmp_path: Path,
) -> None:
    report = measured("pkg/a.py", "pkgextra/b.py")
    assert select_modules(report, ["pkg"], tmp_path, tmp_path) == {"pkg/a.py"}


def test_check_an_empty_path_exits_2_instead_of_judging_every_module(source: Path) -> None:
    result = invoke(source, "pkg/core.py", "")
    assert result.exit_code == 2
    assert result.stderr == "error: an empty PATH (an unset variable?) names no module\n"
