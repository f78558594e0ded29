"""Start-up: settings read without coverage.py when pyproject.toml holds them, lazy imports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from covtasks.coverage_data import (
    _pyproject_only_settings,
    coverage_py_settings,
    read_coverage_settings,
)
from covtasks.errors import CoverageDataError
from tests.sample import SampleProject

PYPROJECTS = {
    "no pyproject": None,
    "no coverage table": '[project]\nname = "x"\n',
    "data file and precision": (
        '[tool.coverage.run]\ndata_file = "out/cov.db"\n[tool.coverage.report]\nprecision = 3\n'
    ),
    "precision zero": "[tool.coverage.report]\nprecision = 0\n",
    "default data file": '[tool.coverage.run]\ndata_file = ".coverage"\n',
    "variable to expand": '[tool.coverage.run]\ndata_file = "${HOME}/x"\n',
    "precision as text": '[tool.coverage.report]\nprecision = "3"\n',
    "precision too large": "[tool.coverage.report]\nprecision = 11\n",
    "other tools only": "[tool.ruff]\nline-length = 100\n",
    "plugins": '[tool.coverage.run]\nplugins = ["covtasks_plugin"]\n',
    "plugin to expand": '[tool.coverage.run]\nplugins = ["$PLUGIN"]\n',
}


@pytest.mark.parametrize("pyproject", PYPROJECTS.values(), ids=list(PYPROJECTS))
@pytest.mark.parametrize(
    "other", [None, ".coveragerc", ".coveragerc.toml", "setup.cfg", "tox.ini", "RCFILE"]
)
def test_settings_are_what_coverage_py_reads_whichever_file_holds_them(
    tmp_path: Path, pyproject: str | None, other: str | None
) -> None:
    if pyproject is not None:
        (tmp_path / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    environ: dict[str, str] = {}
    if other == "RCFILE":
        environ["COVERAGE_RCFILE"] = "custom.rc"
    elif other is not None:
        section = "[report]" if other.startswith(".coveragerc") else "[coverage:report]"
        (tmp_path / other).write_text(f"{section}\nprecision = 4\n", encoding="utf-8")
    assert read_coverage_settings(tmp_path, environ) == coverage_py_settings(tmp_path)


@pytest.mark.parametrize(
    "pyproject",
    [
        "tool = 5\n",
        "[tool]\ncoverage = 5\n",
        "[tool.coverage]\nreport = 5\n",
        "[x\n",
        '[tool.coverage.run]\nplugins = "covtasks_plugin"\n',
    ],
    ids=["tool", "coverage", "report", "broken", "plugins as text"],
)
def test_a_pyproject_of_odd_shape_is_left_to_coverage_py(tmp_path: Path, pyproject: str) -> None:
    (tmp_path / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    assert _pyproject_only_settings(tmp_path, {}) is None


def test_unreadable_pyproject_is_left_to_coverage_py_which_names_the_problem(
    tmp_path: Path,
) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.coverage.run\n", encoding="utf-8")
    with pytest.raises(CoverageDataError, match="coverage configuration"):
        read_coverage_settings(tmp_path, {})


def test_a_pyproject_that_is_a_folder_is_left_to_coverage_py(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").mkdir()
    assert _pyproject_only_settings(tmp_path, {}) is None


def _imported(args: list[str], cwd: Path) -> list[str]:
    """Which heavy packages a covtasks command run in a fresh interpreter imports."""
    code = (
        "import sys\n"
        "from covtasks.cli import main\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = {'coverage', 'markdown_it', 'tomlkit', 'pydantic', 'rich', 'defusedxml',"
        " 'pathspec'}\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & heavy))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True, cwd=cwd
    )
    imported: list[str] = json.loads(done.stdout.splitlines()[-1].replace("'", '"'))
    return imported


def _json_report(project: SampleProject) -> Path:
    """The project's coverage data exported by ``coverage json``."""
    report = project.root / "report.json"
    subprocess.run(
        [sys.executable, "-m", "coverage", "json", "-o", str(report)],
        cwd=project.root,
        check=True,
        capture_output=True,
    )
    return report


def test_report_from_a_json_report_imports_neither_coverage_nor_markdown_it(
    gappy_project: SampleProject,
) -> None:
    report = _json_report(gappy_project)
    args = ["report", "--format", "json", "--coverage", str(report)]
    assert _imported(args, gappy_project.root) == []


def test_report_from_sqlite_data_imports_coverage_but_no_xml_reader_and_no_markdown_it(
    gappy_project: SampleProject,
) -> None:
    # The Cobertura reader (defusedxml) is loaded only for XML input.
    assert _imported(["report"], gappy_project.root) == ["coverage"]


def test_sync_without_a_fail_under_imports_no_tomlkit_and_no_coverage_for_json(
    gappy_project: SampleProject,
) -> None:
    report = _json_report(gappy_project)
    args = ["sync", "--check", "--coverage", str(report)]
    assert _imported(args, gappy_project.root) == ["markdown_it"]


def test_a_sync_of_a_task_file_as_the_last_sync_left_it_imports_no_markdown_it(
    gappy_project: SampleProject,
) -> None:
    report = _json_report(gappy_project)
    args = ["sync", "--coverage", str(report), "--date", "2026-11-20"]
    _imported(args, gappy_project.root)  # writes the task file
    _imported(args, gappy_project.root)  # finds it unchanged: its layout is kept
    assert _imported([*args, "--check"], gappy_project.root) == []


MILESTONES = """
[[tool.covtasks.owners]]
pattern = "pkg/gappy.py"
owner = "gpu-desk"

[[tool.covtasks.milestones]]
name = "M1"
modules = ["pkg/full.py", "pkg/*.py", "src/**/core/*.py"]
"""


@pytest.mark.parametrize(
    ("extra", "imported"),
    [
        ("", []),
        ('\n[[tool.covtasks.milestones]]\nname = "M2"\nmodules = ["!pkg/x.py"]\n', ["pathspec"]),
    ],
    ids=["plain globs", "a negation"],
)
def test_a_report_with_plain_milestone_and_owner_globs_imports_no_pathspec(
    gappy_project: SampleProject, extra: str, imported: list[str]
) -> None:
    report = _json_report(gappy_project)
    pyproject = gappy_project.root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + MILESTONES + extra, encoding="utf-8")
    # The table shows milestone progress with each module's owner: every glob is matched.
    assert _imported(["report", "--coverage", str(report)], gappy_project.root) == imported
