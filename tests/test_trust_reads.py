"""Coverage data naming files outside the project: counted, never read, never an entry."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from covtasks.cli import app
from tests.audit import recorded
from tests.reports import file_entry, write_report
from tests.sample import make_project

runner = CliRunner()
TASKS = ".ldres/tv-tasks.md"
SECRET_SOURCE = 'import os, requests\nrequests.post(os.environ["DB_PASSWORD"])\n'


def invoke(root: Path, *args: str) -> Result:
    return runner.invoke(app, ["-C", str(root), *args])


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """A project whose coverage report names its own module and two secrets outside it."""
    root = tmp_path / "project"
    (root / "pkg").mkdir(parents=True)
    (root / "pyproject.toml").write_text("[tool.covtasks]\n", encoding="utf-8")
    (root / "pkg" / "gap.py").write_text("import os\nx = os.environ['A']\n", encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.py").write_text(SECRET_SOURCE, encoding="utf-8")
    (outside / "absolute.py").write_text(SECRET_SOURCE, encoding="utf-8")
    write_report(
        root / ".cache/coverage/coverage.json",
        {
            "pkg/gap.py": file_entry([1], [2]),
            "../outside/secret.py": file_entry([1], [2]),
            str(outside / "absolute.py"): file_entry([], [1, 2]),
        },
    )
    return root


def test_sync_never_reads_a_source_outside_the_project(hostile: Path) -> None:
    outside = hostile.parent / "outside"
    with recorded() as access:
        result = invoke(hostile, "sync", "--date", "2026-11-20")
    assert result.exit_code == 0, result.output
    assert access.touching(outside) == []


def test_sync_files_no_entry_for_a_module_outside_the_project(hostile: Path) -> None:
    invoke(hostile, "sync", "--date", "2026-11-20")
    text = (hostile / TASKS).read_text(encoding="utf-8")
    assert "Cover `pkg/gap.py`" in text
    assert "secret.py" not in text
    assert "absolute.py" not in text
    assert "DB_PASSWORD" not in text


def test_modules_outside_the_project_still_count_in_the_totals(hostile: Path) -> None:
    result = invoke(hostile, "report", "--format", "json")
    assert result.exit_code == 0, result.output
    totals = json.loads(result.stdout)["totals"]
    assert totals["statements"] == 6
    assert totals["missing"] == 4


def test_report_group_never_reads_a_source_outside_the_project(hostile: Path) -> None:
    outside = hostile.parent / "outside"
    with recorded() as access:
        result = invoke(hostile, "report", "--format", "markdown", "--group")
    assert result.exit_code == 0, result.output
    assert access.touching(outside) == []
    assert "DB_PASSWORD" not in result.stdout


def test_sync_on_data_naming_a_fifo_in_the_project_finishes(tmp_path: Path) -> None:
    root = tmp_path / "project"
    (root / "pkg").mkdir(parents=True)
    (root / "pyproject.toml").write_text("[tool.covtasks]\n", encoding="utf-8")
    os.mkfifo(root / "pkg" / "pipe.py")
    write_report(root / "coverage.json", {"pkg/pipe.py": file_entry([1], [2])})
    done = subprocess.run(
        [sys.executable, "-m", "covtasks", "-C", str(root), "sync", "--date", "2026-11-20"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Cover `pkg/pipe.py`" in (root / TASKS).read_text(encoding="utf-8")


def test_sqlite_data_measuring_a_file_outside_the_project_never_reads_it(
    tmp_path: Path,
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secretmod.py").write_text("def f(x):\n    return x\n", encoding="utf-8")
    project = make_project(
        tmp_path / "project",
        {"pkg/__init__.py": "", "pkg/a.py": "def g(x):\n    return x\n"},
        pyproject='[tool.coverage.run]\nbranch = true\ndata_file = ".cache/coverage/cov.sqlite"\n',
    )
    project.measure(
        f"import sys\nsys.path.insert(0, {str(outside)!r})\nimport secretmod\nfrom pkg import a\n"
    )
    with recorded() as access:
        result = invoke(project.root, "report", "--format", "json", "--all")
    assert result.exit_code == 0, result.output
    assert access.touching(outside) == []
    paths = sorted(module["path"] for module in json.loads(result.stdout)["modules"])
    assert paths == ["driver.py", "pkg/__init__.py", "pkg/a.py"]


def test_sqlite_data_measuring_only_files_outside_the_project_exits_2_reading_none(
    tmp_path: Path,
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "drive.py").write_text("def f(x):\n    return x\n\nf(1)\n", encoding="utf-8")
    project = make_project(
        tmp_path / "project",
        {},
        pyproject='[tool.coverage.run]\nbranch = true\ndata_file = ".cache/coverage/cov.sqlite"\n',
    )
    project.coverage("run", str(outside / "drive.py"))
    with recorded() as access:
        result = invoke(project.root, "report", "--format", "json", "--all")
    assert access.touching(outside) == []
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.startswith("error: ")
    assert "no measured file is inside the project root" in result.stderr
    assert f"(first: {str(outside / 'drive.py')!r})" in result.stderr


def test_an_entry_template_outside_the_project_is_refused_unread(hostile: Path) -> None:
    outside = hostile.parent / "outside"
    (hostile / "pyproject.toml").write_text('[tool.covtasks]\ntemplate = "../outside/secret.py"\n')
    with recorded() as access:
        result = invoke(hostile, "sync", "--date", "2026-11-20")
    assert result.exit_code == 2
    assert "'template' leads outside the project" in result.stderr
    assert access.touching(outside) == []


def test_an_entry_template_that_is_a_fifo_is_an_error_not_a_hang(hostile: Path) -> None:
    os.mkfifo(hostile / "entry.md")
    (hostile / "pyproject.toml").write_text('[tool.covtasks]\ntemplate = "entry.md"\n')
    result = invoke(hostile, "sync", "--date", "2026-11-20")
    assert result.exit_code == 2
    assert "cannot read the entry template" in result.stderr
