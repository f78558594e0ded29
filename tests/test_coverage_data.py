"""Reading coverage data: parity with coverage.py for SQLite and JSON input, discovery, errors."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from covtasks.coverage_data import (
    CoverageSettings,
    find_coverage_input,
    load_json_report,
    parallel_files,
    read_coverage,
    read_coverage_settings,
    sniff_kind,
)
from covtasks.errors import CoverageDataError
from covtasks.model import CoverageReport
from tests.sample import SampleProject, make_project

DATA_FILE = ".cache/coverage/coverage.sqlite"
# 25,000 statements with exactly one missed or one run: 99.996% and 0.004%, which coverage.py
# shows as 99.99 and 0.01, never as 100.00 or 0.00.
HUGE_STATEMENTS = 25_000

PARITY_PYPROJECT = """\
[tool.coverage.run]
branch = true
source = ["pkg"]
data_file = ".cache/coverage/coverage.sqlite"
omit = ["pkg/run_omitted.py"]

[tool.coverage.report]
precision = 2
omit = ["pkg/report_omitted.py"]
exclude_also = ["def debug_dump\\\\("]
"""

GAPPY = """\
import os


def choose(flag):
    if flag:
        return "yes"
    return "no"


def from_env(environ):
    value = environ.get("SAMPLE_VALUE")
    if value is None:
        return "unset"
    for _ in range(2):
        value = value + "!"
    return value


def read_file(path):
    with open(path) as handle:
        return handle.read()


def maybe_double(value, flag):
    if flag:
        value = value * 2
    return value
"""

STRAIGHT = """\
def add(a, b):
    return a + b


def unused(a):
    total = a * 2
    return total
"""

PRAGMAS = """\
import sys


def sign(value):
    if value > 0:
        return "positive"
    return "other"


def platform_name():  # pragma: no cover
    return sys.platform


def debug_dump(value):
    print(value)
    return value


if sys.version_info < (3, 0):  # pragma: no cover
    raise SystemExit("too old")
"""

NEVER_IMPORTED = """\
def lonely(x):
    if x:
        return 1
    return 2
"""

PARITY_DRIVER = """\
from pkg import empty, gappy, huge_hit, huge_missed, pragmas, report_omitted, run_omitted
from pkg import straight
gappy.choose(True)
gappy.from_env({})
gappy.maybe_double(2, True)
straight.add(1, 2)
pragmas.sign(1)
run_omitted.touch()
report_omitted.touch()
"""


def huge_module_one_missed() -> str:
    """A module of HUGE_STATEMENTS statements where only the last one never runs."""
    body = [f"v{index} = {index}" for index in range(HUGE_STATEMENTS - 2)]
    return "\n".join([*body, "def never():", "    return 1", ""])


def huge_module_one_run() -> str:
    """A module of HUGE_STATEMENTS statements where only the ``def`` line runs."""
    body = [f"    v{index} = {index}" for index in range(HUGE_STATEMENTS - 1)]
    return "\n".join(["def never():", *body, ""])


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Bytes and modification times of every file below ``folder``."""
    return {
        str(path.relative_to(folder)): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def truth_json(project: SampleProject, name: str, *extra: str) -> dict[str, Any]:
    """Run ``coverage json`` into ``name`` (kept, so covtasks can read it too)."""
    project.coverage("json", "-o", name, *extra)
    data: dict[str, Any] = json.loads((project.root / name).read_text(encoding="utf-8"))
    return data


def assert_parity(report: CoverageReport, truth: dict[str, Any]) -> None:
    """Every module's numbers, lines and arcs equal what coverage.py reported."""
    files = truth["files"]
    modules = {module.path: module for module in report.modules}
    assert sorted(modules) == sorted(files)
    assert report.has_branches == truth["meta"]["branch_coverage"]
    for path, module in modules.items():
        summary = files[path]["summary"]
        counts = module.counts
        assert counts.combined_display(report.precision) == summary["percent_covered_display"]
        assert (
            counts.line_display(report.precision) == summary["percent_statements_covered_display"]
        )
        assert counts.statements == summary["num_statements"]
        assert counts.missing == summary["missing_lines"]
        assert list(module.missing_lines) == files[path]["missing_lines"]
        if report.has_branches:
            assert (
                counts.branch_display(report.precision)
                == summary["percent_branches_covered_display"]
            )
            assert counts.branches == summary["num_branches"]
            assert counts.missing_branches == summary["missing_branches"]
            assert counts.partial_branches == summary["num_partial_branches"]
            expected_arcs = sorted(tuple(arc) for arc in files[path]["missing_branches"])
            assert sorted(module.missing_arcs) == expected_arcs
        else:
            assert counts.branches == 0
    assert report.totals.combined_display(report.precision) == (
        truth["totals"]["percent_covered_display"]
    )


@pytest.fixture(scope="module")
def parity_project(tmp_path_factory: pytest.TempPathFactory) -> SampleProject:
    """Empty, branchless, gappy, pragma'd, omitted, never-imported and huge modules, measured."""
    project = make_project(
        tmp_path_factory.mktemp("parity"),
        {
            "pkg/__init__.py": "",
            "pkg/empty.py": "# Only a comment: zero statements.\n",
            "pkg/gappy.py": GAPPY,
            "pkg/straight.py": STRAIGHT,
            "pkg/pragmas.py": PRAGMAS,
            "pkg/never_imported.py": NEVER_IMPORTED,
            "pkg/run_omitted.py": "def touch():\n    return 1\n",
            "pkg/report_omitted.py": "def touch():\n    return 1\n",
        },
        PARITY_PYPROJECT,
    )
    project.write("pkg/huge_hit.py", huge_module_one_missed())
    project.write("pkg/huge_missed.py", huge_module_one_run())
    project.measure(PARITY_DRIVER)
    return project


@pytest.fixture(scope="module")
def parity_truth(parity_project: SampleProject) -> dict[str, Any]:
    return truth_json(parity_project, "report.json")


@pytest.fixture(scope="module")
def parity_missing_column(parity_project: SampleProject) -> dict[str, set[str]]:
    """The Missing column of ``coverage report -m``, as a set of items per module."""
    table = parity_project.coverage("report", "-m").stdout.splitlines()
    header = table[0]
    column = header.index("Missing")
    rows = [line for line in table[2:] if line.startswith("pkg/")]
    return {
        row.split()[0]: {item for item in row[column:].strip().split(", ") if item}
        for row in rows
    }


@pytest.fixture(scope="module")
def parity_from_sqlite(parity_project: SampleProject) -> CoverageReport:
    return read_coverage(parity_project.root)


@pytest.fixture(scope="module")
def parity_from_json(parity_project: SampleProject, parity_truth: dict[str, Any]) -> CoverageReport:
    return read_coverage(parity_project.root, "report.json")


@pytest.fixture(params=["sqlite", "json"])
def parity_report(
    request: pytest.FixtureRequest,
    parity_from_sqlite: CoverageReport,
    parity_from_json: CoverageReport,
) -> CoverageReport:
    return parity_from_sqlite if request.param == "sqlite" else parity_from_json


def module_of(report: CoverageReport, path: str) -> Any:
    return next(module for module in report.modules if module.path == path)


def test_every_module_equals_coverage_json_for_both_input_kinds(
    parity_report: CoverageReport, parity_truth: dict[str, Any]
) -> None:
    assert_parity(parity_report, parity_truth)


def test_sqlite_and_json_inputs_give_identical_records(
    parity_from_sqlite: CoverageReport, parity_from_json: CoverageReport
) -> None:
    assert parity_from_sqlite.modules == parity_from_json.modules


def test_module_with_zero_statements_is_complete(parity_report: CoverageReport) -> None:
    counts = module_of(parity_report, "pkg/empty.py").counts
    assert (counts.statements, counts.combined_display()) == (0, "100.00")


def test_module_without_branches_reports_full_branch_percent(
    parity_report: CoverageReport,
) -> None:
    counts = module_of(parity_report, "pkg/straight.py").counts
    assert (counts.branches, counts.branch_display(), counts.line_display()) == (
        0,
        "100.00",
        "60.00",
    )


def test_one_missed_in_twenty_five_thousand_never_shows_100(
    parity_report: CoverageReport,
) -> None:
    module = module_of(parity_report, "pkg/huge_hit.py")
    assert module.counts.statements == HUGE_STATEMENTS
    assert module.counts.combined_display() == "99.99"
    assert not parity_report.meets(module, 100)
    assert parity_report.meets(module, 99.996)


def test_one_run_in_twenty_five_thousand_never_shows_0(parity_report: CoverageReport) -> None:
    counts = module_of(parity_report, "pkg/huge_missed.py").counts
    assert (counts.covered, counts.combined_display()) == (1, "0.01")


def test_never_imported_module_shows_zero(parity_report: CoverageReport) -> None:
    assert module_of(parity_report, "pkg/never_imported.py").counts.combined_display() == "0.00"


def test_pragma_and_exclude_also_lines_are_not_statements(
    parity_report: CoverageReport,
) -> None:
    module = module_of(parity_report, "pkg/pragmas.py")
    assert module.statement_lines == (1, 4, 5, 6, 7)


def test_omitted_files_from_run_and_report_settings_are_absent(
    parity_report: CoverageReport,
) -> None:
    paths = {module.path for module in parity_report.modules}
    assert not paths & {"pkg/run_omitted.py", "pkg/report_omitted.py"}


def test_precision_comes_from_the_project_coverage_config(
    parity_report: CoverageReport,
) -> None:
    assert parity_report.precision == 2


def test_missing_lines_and_arcs_read_like_coverage_report(
    parity_report: CoverageReport, parity_missing_column: dict[str, set[str]]
) -> None:
    for module in parity_report.modules:
        shown = [module.missing_ranges, module.missing_arcs_text]
        items = {item for text in shown for item in text.split(", ") if item}
        assert items == parity_missing_column[module.path], module.path


def test_partial_branch_between_run_lines_shows_as_arc(parity_report: CoverageReport) -> None:
    module = module_of(parity_report, "pkg/gappy.py")
    assert (module.missing_ranges, module.missing_arcs_text) == ("7, 14-16, 20-21", "25->27")


def test_relative_root_reads_the_same_data_as_absolute_root(
    parity_project: SampleProject, parity_from_sqlite: CoverageReport
) -> None:
    relative = Path(os.path.relpath(parity_project.root, Path.cwd()))
    assert read_coverage(relative).modules == parity_from_sqlite.modules
