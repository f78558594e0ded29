"""Reading coverage data: parity with coverage.py for SQLite and JSON input, discovery, errors."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from coverage import CoverageData
from coverage.sqldata import SCHEMA_VERSION

from covtasks.coverage_data import (
    CoverageSettings,
    _pyproject_only_settings,
    check_plugins,
    coverage_py_settings,
    find_coverage_input,
    load_json_report,
    parallel_files,
    read_coverage,
    read_coverage_settings,
    sniff_kind,
)
from covtasks.errors import CoverageDataError
from covtasks.model import Counts, CoverageReport
from tests.collections_seen import collections_seen
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
    assert (
        report.totals.combined_display(report.precision)
        == (truth["totals"]["percent_covered_display"])
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
        row.split()[0]: {item for item in row[column:].strip().split(", ") if item} for row in rows
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


PLAIN_PYPROJECT = """\
[tool.coverage.run]
branch = {branch}
source = ["pkg"]
data_file = ".cache/coverage/coverage.sqlite"
relative_files = {relative}

[tool.coverage.report]
precision = 2
"""

SMALL_FILES = {"pkg/__init__.py": "", "pkg/gappy.py": GAPPY, "pkg/straight.py": STRAIGHT}
FIRST_DRIVER = "from pkg import gappy\ngappy.choose(True)\n"
SECOND_DRIVER = "from pkg import gappy, straight\ngappy.choose(False)\nstraight.add(1, 2)\n"


def plain_pyproject(branch: bool = True, relative: bool = False) -> str:
    return PLAIN_PYPROJECT.format(branch=str(branch).lower(), relative=str(relative).lower())


def run_parallel(project: SampleProject, *drivers: str) -> list[Path]:
    """Run each driver with ``--parallel-mode`` and never combine: ``<data_file>.*`` files."""
    for number, driver in enumerate(drivers):
        project.write(f"driver{number}.py", driver)
        project.coverage("run", "--parallel-mode", f"driver{number}.py")
    return parallel_files(project.root / DATA_FILE)


def combined_truth(project: SampleProject, scratch: Path, parts: list[Path]) -> dict[str, Any]:
    """What coverage.py reports after combining ``parts`` elsewhere (``--keep``)."""
    combined = f"--data-file={scratch / 'combined'}"
    project.coverage("combine", "--keep", combined, *map(str, parts))
    return truth_json(project, "combined.json", combined)


@pytest.fixture(scope="module")
def parallel_project(tmp_path_factory: pytest.TempPathFactory) -> SampleProject:
    project = make_project(tmp_path_factory.mktemp("parallel"), SMALL_FILES, plain_pyproject())
    run_parallel(project, FIRST_DRIVER, SECOND_DRIVER)
    return project


# A small run written with coverage.py's own data API (no traced process: a fast test of the
# SQLite reader): pick(False) ran, spare() never did.
SMALL = """\
def pick(flag):
    if flag:
        return "yes"
    return "no"


def spare():
    return 0
"""
SMALL_ARCS = [(-1, 1), (1, 7), (7, -1), (-1, 2), (2, 4), (4, -1)]


def write_small_run(root: Path, *parts: list[tuple[int, int]]) -> None:
    """The small run's arcs as one data file, or split over parallel ``.N`` files."""
    small = str(root / "pkg/small.py")
    (root / DATA_FILE).parent.mkdir(parents=True, exist_ok=True)
    for number, arcs in enumerate(parts):
        name = root / DATA_FILE
        data = CoverageData(basename=str(name), suffix=str(number) if len(parts) > 1 else None)
        data.add_arcs({small: arcs})
        data.write()


@pytest.mark.parametrize("split", [1, 2], ids=["one file", "two parallel files"])
def test_a_small_runs_sqlite_data_reads_as_coverage_report_shows_it(
    tmp_path: Path, split: int
) -> None:
    make_project(tmp_path, {"pkg/__init__.py": "", "pkg/small.py": SMALL}, plain_pyproject())
    # Split, the module's own lines are in one file and pick()'s in the other.
    write_small_run(tmp_path, *([SMALL_ARCS] if split == 1 else [SMALL_ARCS[:3], SMALL_ARCS[3:]]))
    report = read_coverage(tmp_path)
    (module,) = report.modules
    assert (report.has_branches, module.path) == (True, "pkg/small.py")
    assert module.counts == Counts(6, 2, 2, 1, 1)
    assert (module.statement_lines, module.missing_lines) == ((1, 2, 3, 4, 7, 8), (3, 8))
    assert module.missing_arcs == ((2, 3),)
    assert report.source == str(tmp_path / DATA_FILE) + (".0" if split > 1 else "")


def test_parallel_files_are_found_without_a_main_data_file(
    parallel_project: SampleProject,
) -> None:
    parts = parallel_files(parallel_project.root / DATA_FILE)
    assert len(parts) == 2
    assert not (parallel_project.root / DATA_FILE).exists()


def test_parallel_files_combine_like_coverage_combine_for_both_input_kinds(
    parallel_project: SampleProject, tmp_path: Path
) -> None:
    parts = parallel_files(parallel_project.root / DATA_FILE)
    truth = combined_truth(parallel_project, tmp_path, parts)
    assert_parity(read_coverage(parallel_project.root), truth)
    assert_parity(read_coverage(parallel_project.root, "combined.json"), truth)


def test_parallel_files_are_left_byte_identical_and_in_place(
    parallel_project: SampleProject,
) -> None:
    data_folder = parallel_project.root / ".cache/coverage"
    before = snapshot(data_folder)
    report = read_coverage(parallel_project.root)
    assert snapshot(data_folder) == before
    # Each run took one side of choose()'s branch; only combining both covers lines 6 and 7.
    assert not {6, 7} & set(module_of(report, "pkg/gappy.py").missing_lines)


def test_relative_files_data_reads_from_a_copied_project(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    measured = make_project(
        tmp_path_factory.mktemp("relative"), SMALL_FILES, plain_pyproject(relative=True)
    )
    measured.measure(SECOND_DRIVER)
    copy = SampleProject(tmp_path_factory.mktemp("moved") / "project")
    shutil.copytree(measured.root, copy.root)
    truth = truth_json(copy, "report.json")
    assert_parity(read_coverage(copy.root), truth)
    assert_parity(read_coverage(copy.root, "report.json"), truth)


def test_paths_setting_remaps_data_measured_elsewhere_when_combining(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    ci = make_project(tmp_path_factory.mktemp("ci"), SMALL_FILES, plain_pyproject())
    measured_parts = run_parallel(ci, FIRST_DRIVER, SECOND_DRIVER)
    remapping = f'\n[tool.coverage.paths]\nsource = ["pkg/", "{ci.root}/pkg/"]\n'
    project = make_project(
        tmp_path_factory.mktemp("local"), SMALL_FILES, plain_pyproject(relative=True) + remapping
    )
    (project.root / DATA_FILE).parent.mkdir(parents=True)
    parts = [
        Path(shutil.copy(part, project.root / DATA_FILE.rsplit("/", 1)[0]))
        for part in measured_parts
    ]
    shutil.rmtree(ci.root)
    truth = combined_truth(project, tmp_path_factory.mktemp("scratch"), parts)
    report = read_coverage(project.root)
    assert {module.path for module in report.modules} == {
        "pkg/__init__.py",
        "pkg/gappy.py",
        "pkg/straight.py",
    }
    assert_parity(report, truth)


@pytest.fixture(scope="module")
def lines_only_project(tmp_path_factory: pytest.TempPathFactory) -> SampleProject:
    project = make_project(
        tmp_path_factory.mktemp("lines"), SMALL_FILES, plain_pyproject(branch=False)
    )
    project.measure(SECOND_DRIVER)
    project.write("other.py", FIRST_DRIVER)
    project.coverage("run", "--data-file=alt/other.sqlite", "other.py")
    return project


def test_data_without_branches_reports_no_branch_figures_for_both_input_kinds(
    lines_only_project: SampleProject,
) -> None:
    truth = truth_json(lines_only_project, "report.json")
    for report in (
        read_coverage(lines_only_project.root),
        read_coverage(lines_only_project.root, "report.json"),
    ):
        assert not report.has_branches
        assert_parity(report, truth)


def test_coverage_file_in_given_environment_wins_over_configured_data_file(
    lines_only_project: SampleProject,
) -> None:
    truth = truth_json(lines_only_project, "alt.json", "--data-file=alt/other.sqlite")
    report = read_coverage(lines_only_project.root, environ={"COVERAGE_FILE": "alt/other.sqlite"})
    assert report.source.endswith("alt/other.sqlite")
    assert_parity(report, truth)


DISCOVERY_ORDER = (
    "explicit.data",
    "from-env.data",
    "configured.data",
    ".cache/coverage/coverage.sqlite",
    ".cache/coverage/coverage.json",
    ".coverage",
    "coverage.json",
)


@pytest.mark.parametrize("winner", range(len(DISCOVERY_ORDER)))
def test_discovery_takes_the_first_existing_candidate_in_design_order(
    tmp_path: Path, winner: int
) -> None:
    for relative in DISCOVERY_ORDER[winner:]:
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text("{}", encoding="utf-8")
    explicit = DISCOVERY_ORDER[0] if winner == 0 else None
    found = find_coverage_input(
        tmp_path,
        explicit,
        {"COVERAGE_FILE": DISCOVERY_ORDER[1]},
        CoverageSettings(data_file=DISCOVERY_ORDER[2], precision=2),
    )
    assert found == tmp_path / DISCOVERY_ORDER[winner]


def test_explicit_input_is_taken_even_when_it_does_not_exist(tmp_path: Path) -> None:
    settings = CoverageSettings(data_file=None, precision=2)
    assert find_coverage_input(tmp_path, "later.json", {}, settings) == tmp_path / "later.json"


def test_settings_without_any_coverage_config_use_defaults(tmp_path: Path) -> None:
    assert read_coverage_settings(tmp_path) == CoverageSettings(data_file=None, precision=2)


@pytest.mark.parametrize(
    "pyproject",
    [
        "[tool.ruff]\nline-length = 100\n",
        '[tool.coverage.run]\ndata_file = "out/cov.db"\n[tool.coverage.report]\nprecision = 3\n',
        "[tool.coverage.report]\nprecision = 10\n",
        '[tool.coverage.run]\ndata_file = ".coverage"\n',
    ],
    ids=["other tools", "data file and precision", "precision 10", "default data file"],
)
def test_plain_pyproject_settings_are_read_without_coverage_py_and_agree_with_it(
    tmp_path: Path, pyproject: str
) -> None:
    (tmp_path / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    fast = _pyproject_only_settings(tmp_path, {})
    assert fast is not None
    assert fast == coverage_py_settings(tmp_path)


@pytest.mark.parametrize("configured", [True, False])
def test_a_missing_coverage_plugin_is_refused_naming_the_configuration_or_the_project(
    tmp_path: Path, configured: bool
) -> None:
    config = tmp_path / "pyproject.toml" if configured else None
    settings = CoverageSettings(None, 2, ("covtasks_no_such_plugin",), config)
    with pytest.raises(
        CoverageDataError, match="'covtasks_no_such_plugin' is not installed"
    ) as caught:
        check_plugins(settings, tmp_path)
    assert caught.value.path == str(config or tmp_path)


@pytest.mark.parametrize(
    ("pyproject", "problem"),
    [
        ("[tool.coverage]\nrun = 5\n", "[tool.coverage] 'run' must be a table of settings"),
        ("[tool.coverage.run]\n[tool.coverage]\nhtml = 1\n", "'html' must be a table"),
    ],
)
def test_a_coverage_section_that_is_not_a_table_is_named(
    tmp_path: Path, pyproject: str, problem: str
) -> None:
    (tmp_path / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    with pytest.raises(CoverageDataError, match=re.escape(problem)):
        read_coverage_settings(tmp_path, {})


def test_settings_read_data_file_and_precision_from_coveragerc(tmp_path: Path) -> None:
    (tmp_path / ".coveragerc").write_text(
        "[run]\ndata_file = out/cov.db\n[report]\nprecision = 3\n", encoding="utf-8"
    )
    assert read_coverage_settings(tmp_path) == CoverageSettings(
        "out/cov.db", 3, (), tmp_path / ".coveragerc"
    )


def test_json_report_named_dot_coverage_is_read_as_json(
    parity_project: SampleProject, parity_from_json: CoverageReport, tmp_path: Path
) -> None:
    shutil.copy(parity_project.root / "report.json", tmp_path / ".coverage")
    report = read_coverage(tmp_path)
    assert report.modules == parity_from_json.modules


def test_sqlite_data_named_json_is_read_as_sqlite(
    parity_project: SampleProject, parity_from_sqlite: CoverageReport, tmp_path: Path
) -> None:
    shutil.copy(parity_project.root / DATA_FILE, tmp_path / "data.json")
    report = read_coverage(parity_project.root, str(tmp_path / "data.json"))
    assert report.modules == parity_from_sqlite.modules


def test_json_with_leading_whitespace_is_sniffed_as_json(tmp_path: Path) -> None:
    path = tmp_path / "report"
    path.write_text('\n  {"meta": {}}', encoding="utf-8")
    assert sniff_kind(path) == "json"


def data_error(root: Path, explicit: str | None = None) -> str:
    """The one-line message of the CoverageDataError reading ``root`` raises."""
    with pytest.raises(CoverageDataError) as caught:
        read_coverage(root, explicit)
    message = caught.value.message
    assert "\n" not in message
    return message


def test_missing_explicit_file_names_the_file(tmp_path: Path) -> None:
    assert data_error(tmp_path, "nope.sqlite") == (
        f"{tmp_path / 'nope.sqlite'}: coverage data file does not exist"
    )


def test_no_data_anywhere_names_the_root_and_the_way_out(tmp_path: Path) -> None:
    message = data_error(tmp_path)
    assert message.startswith(f"{tmp_path}: no coverage data found")
    assert "--coverage PATH" in message


def test_empty_data_file_is_reported_as_empty(tmp_path: Path) -> None:
    (tmp_path / ".coverage").write_bytes(b"")
    assert data_error(tmp_path) == f"{tmp_path / '.coverage'}: coverage data file is empty"


def test_truncated_sqlite_data_names_the_file_and_the_problem(
    parity_project: SampleProject, tmp_path: Path
) -> None:
    (tmp_path / ".coverage").write_bytes((parity_project.root / DATA_FILE).read_bytes()[:100])
    assert data_error(tmp_path).startswith(
        f"{tmp_path / '.coverage'}: unreadable SQLite coverage data: "
    )


def test_sqlite_database_of_another_program_is_unreadable_coverage_data(tmp_path: Path) -> None:
    with contextlib.closing(sqlite3.connect(tmp_path / "data.db")) as connection:
        connection.execute("create table recipes (name text)")
        connection.commit()
    assert data_error(tmp_path, "data.db").startswith(
        f"{tmp_path / 'data.db'}: unreadable SQLite coverage data: "
    )


def test_sqlite_database_of_another_program_is_left_byte_identical(tmp_path: Path) -> None:
    with contextlib.closing(sqlite3.connect(tmp_path / "data.db")) as connection:
        connection.execute("create table recipes (name text)")
        connection.commit()
    before = (tmp_path / "data.db").read_bytes()
    data_error(tmp_path, "data.db")
    assert (tmp_path / "data.db").read_bytes() == before


@pytest.mark.parametrize(("rows", "found"), [([], "None"), ([(99,)], "99")])
def test_sqlite_data_of_another_schema_names_the_schema_found(
    tmp_path: Path, rows: list[tuple[int]], found: str
) -> None:
    with contextlib.closing(sqlite3.connect(tmp_path / "data.db")) as connection:
        connection.execute("create table coverage_schema (version integer)")
        connection.executemany("insert into coverage_schema values (?)", rows)
        connection.commit()
    assert data_error(tmp_path, "data.db") == (
        f"{tmp_path / 'data.db'}: unreadable SQLite coverage data: schema {found}, "
        f"this coverage.py reads {SCHEMA_VERSION}"
    )


def test_corrupt_bytes_are_neither_sqlite_nor_json(tmp_path: Path) -> None:
    (tmp_path / ".coverage").write_bytes(b"\x00\x17\xfe not coverage")
    assert data_error(tmp_path) == (
        f"{tmp_path / '.coverage'}: not coverage data: "
        "neither a SQLite data file nor a JSON or XML report"
    )


def test_broken_parallel_part_is_refused_not_skipped(
    parallel_project: SampleProject, tmp_path: Path
) -> None:
    project = tmp_path / "project"
    shutil.copytree(parallel_project.root, project)
    broken = project / f"{DATA_FILE}.broken"
    some_part = parallel_files(project / DATA_FILE)[0]
    broken.write_bytes(some_part.read_bytes()[:100])
    assert data_error(project).startswith(f"{broken}: unreadable SQLite coverage data: ")


def test_invalid_json_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "coverage.json").write_text('{"meta": ', encoding="utf-8")
    assert data_error(tmp_path).startswith(
        f"{tmp_path / 'coverage.json'}: not a valid JSON coverage report:"
    )


def test_json_that_is_not_utf8_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "coverage.json").write_bytes(b'{"meta": "\xff\xfe"}')
    assert "not a valid JSON coverage report" in data_error(tmp_path)


def valid_entry() -> dict[str, Any]:
    return {
        "executed_lines": [1],
        "missing_lines": [2],
        "missing_branches": [[1, 2]],
        "summary": {
            "num_statements": 2,
            "missing_lines": 1,
            "num_branches": 2,
            "covered_branches": 1,
            "num_partial_branches": 1,
        },
    }


def report_with(entry: Any = None, meta: Any = None, **summary: Any) -> Any:
    """A format-3 report around one file entry, with summary fields overridden."""
    file_entry = valid_entry() if entry is None else entry
    if summary:
        file_entry["summary"].update(summary)
    return {
        "meta": {"format": 3, "branch_coverage": True} if meta is None else meta,
        "files": {"m.py": file_entry},
    }


def entry_with(**fields: Any) -> dict[str, Any]:
    return {**valid_entry(), **fields}


def entry_without(key: str) -> dict[str, Any]:
    entry = valid_entry()
    del entry[key]
    return entry


WRONG_SHAPES = [
    pytest.param({"files": {}}, "report.meta is missing", id="no-meta"),
    pytest.param({"meta": [3], "files": {}}, "meta is not an object", id="meta-list"),
    pytest.param({"meta": {"format": 3}}, "report.files is missing", id="no-files"),
    pytest.param({"meta": {"format": 3}, "files": []}, "files is not an object", id="files-list"),
    pytest.param(report_with(entry=7), "files['m.py'] is not an object", id="entry-number"),
    pytest.param(
        report_with(entry=entry_without("summary")), "files['m.py'].summary is missing", id="nosum"
    ),
    pytest.param(
        report_with(entry=entry_with(summary=[])),
        "files['m.py'].summary is not an object",
        id="summary-list",
    ),
    pytest.param(
        report_with(num_statements="2"),
        "files['m.py'].summary.num_statements is not a count",
        id="count-string",
    ),
    pytest.param(
        report_with(num_statements=True),
        "files['m.py'].summary.num_statements is not a count",
        id="count-bool",
    ),
    pytest.param(
        report_with(num_statements=2**53 + 1),
        "files['m.py'].summary.num_statements is not a count",
        id="count-beyond-json-integers",
    ),
    pytest.param(
        report_with(covered_branches=-1),
        "files['m.py'].summary.covered_branches is not a count",
        id="count-negative",
    ),
    pytest.param(
        report_with(entry=entry_with(executed_lines=["1"])),
        "files['m.py'].executed_lines is not a list of line numbers",
        id="lines-strings",
    ),
    pytest.param(
        report_with(entry=entry_with(executed_lines=[1, 2**53 + 1])),
        "files['m.py'].executed_lines is not a list of line numbers",
        id="line-beyond-json-integers",
    ),
    pytest.param(
        report_with(entry=entry_with(missing_lines=3)),
        "files['m.py'].missing_lines is not a list of line numbers",
        id="lines-number",
    ),
    pytest.param(
        report_with(entry=entry_with(missing_branches={"1": 2})),
        "files['m.py'].missing_branches is not a list of [from, to] pairs",
        id="arcs-object",
    ),
    pytest.param(
        report_with(entry=entry_with(missing_branches=[[1, 2, 3]])),
        "files['m.py'].missing_branches is not a list of [from, to] pairs",
        id="arcs-triple",
    ),
    pytest.param(
        report_with(num_branches=0),
        "files['m.py'].summary counts more covered branches than branches",
        id="more-covered-branches",
    ),
    pytest.param(
        report_with(missing_lines=3),
        "files['m.py'].summary missing_lines says 3 but 1 are listed",
        id="more-missing-lines",
    ),
    pytest.param(
        {"meta": {"format": 3}, "files": {"": valid_entry()}},
        "files holds a file with an empty name",
        id="empty-name",
    ),
    pytest.param(
        report_with(num_branches=4),
        "files['m.py'].missing_branches lists 1 arcs but the summary counts 3 missing",
        id="fewer-arcs-than-missing-branches",
    ),
]


@pytest.mark.parametrize(("document", "problem"), WRONG_SHAPES)
def test_json_of_the_wrong_shape_names_the_file_and_the_place(
    tmp_path: Path, document: Any, problem: str
) -> None:
    (tmp_path / "coverage.json").write_text(json.dumps(document), encoding="utf-8")
    assert data_error(tmp_path) == (
        f"{tmp_path / 'coverage.json'}: JSON report has the wrong shape: {problem}"
    )


def test_two_spellings_of_one_module_in_a_json_report_are_refused_naming_both(
    tmp_path: Path,
) -> None:
    document = report_with()
    document["files"] = {"pkg/m.py": valid_entry(), "./pkg/m.py": valid_entry()}
    (tmp_path / "coverage.json").write_text(json.dumps(document), encoding="utf-8")
    assert data_error(tmp_path) == (
        f"{tmp_path / 'coverage.json'}: files './pkg/m.py' and 'pkg/m.py' name one module"
        " (pkg/m.py)"
    )


def test_a_module_with_hundreds_of_missing_branches_is_read(tmp_path: Path) -> None:
    arcs = [[line, line + 1] for line in range(1, 301)]
    summary = {"num_statements": 301, "missing_lines": 0, "num_branches": 600}
    summary |= {"covered_branches": 300, "num_partial_branches": 300}
    entry = entry_with(executed_lines=list(range(1, 302)), missing_lines=[])
    entry |= {"missing_branches": arcs, "summary": summary}
    (tmp_path / "coverage.json").write_text(json.dumps(report_with(entry=entry)), encoding="utf-8")
    (module,) = read_coverage(tmp_path).modules
    assert len(module.missing_arcs) == 300


def test_a_line_number_at_the_largest_exact_json_integer_is_read(tmp_path: Path) -> None:
    entry = entry_with(executed_lines=[1, 2**53])
    (tmp_path / "coverage.json").write_text(json.dumps(report_with(entry=entry)), encoding="utf-8")
    (module,) = read_coverage(tmp_path).modules
    assert module.missing_lines == (2,)


def test_a_json_report_that_does_not_say_it_measured_branches_is_read_without_them(
    tmp_path: Path,
) -> None:
    document = report_with(meta={"format": 3})
    (tmp_path / "coverage.json").write_text(json.dumps(document), encoding="utf-8")
    assert not read_coverage(tmp_path).has_branches


def test_coverage_py_names_the_file_its_settings_came_from_not_one_it_only_read(
    tmp_path: Path,
) -> None:
    (tmp_path / "setup.cfg").write_text("[metadata]\nname = pkg\n", encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(
        "[tool.coverage.report]\nprecision = 1\n", encoding="utf-8"
    )
    settings = coverage_py_settings(tmp_path)
    assert (settings.precision, settings.config_file) == (
        1,
        Path(os.path.realpath(tmp_path)) / "pyproject.toml",
    )


def test_json_array_is_not_coverage_data(tmp_path: Path) -> None:
    (tmp_path / "coverage.json").write_text("[]", encoding="utf-8")
    assert "not coverage data" in data_error(tmp_path)


def test_json_array_loaded_as_a_report_is_the_wrong_shape(tmp_path: Path) -> None:
    (tmp_path / "coverage.json").write_text("[]", encoding="utf-8")
    with pytest.raises(CoverageDataError) as caught:
        load_json_report(tmp_path / "coverage.json")
    assert caught.value.message.endswith("JSON report has the wrong shape: report is not an object")


@pytest.mark.parametrize("version", [2, 4, "3", None])
def test_json_report_of_another_format_is_rejected(tmp_path: Path, version: object) -> None:
    (tmp_path / "coverage.json").write_text(
        json.dumps(report_with(meta={"format": version})), encoding="utf-8"
    )
    assert data_error(tmp_path) == (
        f"{tmp_path / 'coverage.json'}: unsupported JSON report format {version!r} "
        "(covtasks reads format 3, coverage 7.x)"
    )


def test_json_from_a_newer_coverage_with_extra_keys_is_accepted(
    parity_project: SampleProject, parity_from_json: CoverageReport, tmp_path: Path
) -> None:
    document = json.loads((parity_project.root / "report.json").read_text(encoding="utf-8"))
    document["meta"]["version"] = "7.99.0"
    document["meta"]["new_meta_flag"] = True
    document["future_section"] = {"anything": [1, 2]}
    for entry in document["files"].values():
        entry["summary"]["percent_new_metric"] = 12.5
        entry["new_per_file"] = {"regions": []}
    (tmp_path / "coverage.json").write_text(json.dumps(document), encoding="utf-8")
    assert load_json_report(tmp_path / "coverage.json").modules == parity_from_json.modules


def test_a_json_report_loads_with_no_cycle_collection_as_coverage_py_reports_it(
    parity_project: SampleProject, parity_from_json: CoverageReport
) -> None:
    with collections_seen() as seen:
        report = load_json_report(parity_project.root / "report.json")
    # At most the ones the first objects made on the way in and out set off; the parsed
    # report alone is thousands of objects (hundreds of collections at this threshold).
    assert len(seen) <= 2
    assert report.modules == parity_from_json.modules


def test_sqlite_data_without_its_sources_names_the_data_file(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    measured = make_project(
        tmp_path_factory.mktemp("gone"), SMALL_FILES, plain_pyproject(relative=True)
    )
    measured.measure(FIRST_DRIVER)
    (measured.root / "pkg/gappy.py").unlink()
    message = data_error(measured.root)
    assert message.startswith(f"{measured.root / DATA_FILE}: ")
    assert "gappy.py" in message


def test_unreadable_coverage_config_is_a_coverage_data_error(tmp_path: Path) -> None:
    (tmp_path / ".coveragerc").write_text("[run\nbranch = true\n", encoding="utf-8")
    message = data_error(tmp_path)
    assert message.startswith(f"{tmp_path}: coverage configuration:")


def test_a_tool_key_that_is_not_a_table_is_a_coverage_data_error_naming_pyproject(
    tmp_path: Path,
) -> None:
    (tmp_path / "pyproject.toml").write_text("tool = 5\n", encoding="utf-8")
    message = data_error(tmp_path)
    assert (
        message == f"{tmp_path / 'pyproject.toml'}: coverage configuration: [tool] must be a table"
    )


@pytest.mark.parametrize(
    "pyproject", [None, "[tool.coverage.report]\nprecision = 3\n"], ids=["alone", "with pyproject"]
)
def test_a_section_of_coveragerc_toml_that_is_not_a_table_is_one_line_naming_the_project(
    tmp_path: Path, pyproject: str | None
) -> None:
    (tmp_path / ".coveragerc.toml").write_text("run = 5\n", encoding="utf-8")
    if pyproject is not None:
        (tmp_path / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    message = data_error(tmp_path)
    assert message.startswith(f"{tmp_path}: coverage configuration: a section is not a table (")


def test_covtasks_with_a_toml_rcfile_section_not_a_table_exits_2_with_one_line(
    gappy_project: SampleProject,
) -> None:
    # Recent coverage.py (not 7.6) reads the top-level sections of its own TOML file and
    # fails on one that is not a table.
    (gappy_project.root / "coverage.toml").write_text("run = 5\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "covtasks", "report"],
        cwd=gappy_project.root,
        env={**os.environ, "COVERAGE_RCFILE": "coverage.toml"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.startswith(
        f"error: {gappy_project.root}: coverage configuration: a section is not a table ("
    )
    assert done.stderr.count("\n") == 1


def test_a_bad_setting_read_only_with_sqlite_data_names_the_configuration_not_the_data(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    measured = make_project(tmp_path_factory.mktemp("paths"), SMALL_FILES, plain_pyproject())
    measured.measure(FIRST_DRIVER)
    pyproject = measured.root / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text(encoding="utf-8") + "\n[tool.coverage.paths]\nsource = 5\n",
        encoding="utf-8",
    )
    message = data_error(measured.root)
    assert message.startswith(f"{measured.root}: coverage configuration: ")
    assert "[tool.coverage.paths]source is not a list" in message


def test_sniffing_a_missing_path_says_it_does_not_exist(tmp_path: Path) -> None:
    with pytest.raises(CoverageDataError, match="does not exist"):
        sniff_kind(tmp_path / "absent")


def test_sniffing_a_folder_says_it_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(CoverageDataError, match="cannot read coverage data"):
        sniff_kind(tmp_path)


def test_parallel_files_beside_a_missing_folder_are_none(tmp_path: Path) -> None:
    assert parallel_files(tmp_path / "no-folder" / ".coverage") == []
