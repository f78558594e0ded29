"""Cobertura XML input (`coverage xml`, pytest-cov's coverage.xml) reads as coverage.py's own."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from covtasks.cli import app
from covtasks.cobertura import load_cobertura
from covtasks.coverage_data import read_coverage
from covtasks.errors import CoverageDataError
from tests.sample import make_project

runner = CliRunner()

BRANCHY = """\
def classify(value):
    if value > 10:
        return "big"
    elif value > 5:
        return "medium"
    return "small"


def loop(items):
    for item in items:
        if item:
            continue
    return len(items)


def never():
    while True:
        break
    return 0
"""
DRIVER = """\
from pkg import branchy, straight
from pkg.sub import deep
branchy.classify(20)
branchy.classify(1)
branchy.loop([1])
straight.add(1, 2)
deep.half(4)
"""
FILES = {
    "pkg/__init__.py": "",
    "pkg/empty.py": "# nothing to run\n",
    "pkg/branchy.py": BRANCHY,
    "pkg/straight.py": "def add(a, b):\n    return a + b\n",
    "pkg/sub/__init__.py": "",
    "pkg/sub/deep.py": (
        "def half(x):\n    if x % 2:\n        raise ValueError(x)\n    return x // 2\n"
    ),
}


def _pyproject(relative_files: bool) -> str:
    return (
        '[tool.coverage.run]\nbranch = true\nsource = ["pkg"]\n'
        f"relative_files = {str(relative_files).lower()}\n"
    )


@pytest.fixture(scope="module", params=[False, True], ids=["absolute", "relative_files"])
def measured(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One real coverage.py run exported both as coverage.json and as coverage.xml."""
    project = make_project(tmp_path_factory.mktemp("cobertura"), FILES, _pyproject(request.param))
    project.measure(DRIVER)
    project.coverage("json", "-o", "cov.json")
    project.coverage("xml", "-o", "cov.xml")
    (project.root / ".coverage").unlink()
    return project.root


def _report_json(root: Path, data: str) -> dict[str, Any]:
    result = runner.invoke(
        app, ["-C", str(root), "report", "--format", "json", "--all", "--coverage", data]
    )
    assert result.exit_code == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def test_xml_and_json_of_one_run_give_identical_report_json(measured: Path) -> None:
    from_json = _report_json(measured, "cov.json")
    from_xml = _report_json(measured, "cov.xml")
    assert from_xml == from_json
    assert {module["path"] for module in from_xml["modules"]} >= {
        "pkg/branchy.py",
        "pkg/sub/deep.py",
    }
    assert from_xml["totals"]["partial_branches"] > 0


def test_xml_missing_branches_match_coverage_json_arcs(measured: Path) -> None:
    truth = json.loads((measured / "cov.json").read_text(encoding="utf-8"))["files"]
    for module in load_cobertura(measured / "cov.xml", measured).modules:
        expected = {(a, b if b > 0 else -1) for a, b in truth[module.path]["missing_branches"]}
        assert set(module.missing_arcs) == expected


def test_coverage_xml_is_found_last_in_the_discovery_order(measured: Path, tmp_path: Path) -> None:
    shutil.copytree(measured / "pkg", tmp_path / "pkg")
    (tmp_path / "coverage.xml").write_bytes((measured / "cov.xml").read_bytes())
    assert read_coverage(tmp_path).source == str(tmp_path / "coverage.xml")
    (tmp_path / "coverage.json").write_bytes((measured / "cov.json").read_bytes())
    assert read_coverage(tmp_path).source == str(tmp_path / "coverage.json")


def test_xml_named_like_json_is_sniffed_as_xml(measured: Path) -> None:
    (measured / "disguised.json").write_bytes((measured / "cov.xml").read_bytes())
    assert _report_json(measured, "disguised.json") == _report_json(measured, "cov.json")


def test_sources_of_another_machine_are_reanchored_on_the_project(measured: Path) -> None:
    text = (measured / "cov.xml").read_text(encoding="utf-8")
    moved = re.sub(r"<source>.*?</source>", "<source>/builds/ci/1234/pkg</source>", text)
    (measured / "ci.xml").write_text(moved, encoding="utf-8")
    assert _report_json(measured, "ci.xml") == _report_json(measured, "cov.json")


def test_windows_sources_are_reanchored_too(measured: Path) -> None:
    text = (measured / "cov.xml").read_text(encoding="utf-8")
    moved = re.sub(r"<source>.*?</source>", r"<source>C:\\a\\work\\pkg</source>", text)
    (measured / "win.xml").write_text(moved, encoding="utf-8")
    assert _report_json(measured, "win.xml") == _report_json(measured, "cov.json")


def _xml(body: str, sources: str = "<sources><source>.</source></sources>") -> str:
    return (
        '<?xml version="1.0" ?>\n'
        f'<coverage version="7">{sources}<packages>{body}</packages></coverage>\n'
    )


def _one_class(lines: str, filename: str = "pkg/a.py") -> str:
    return (
        f'<package name="pkg"><classes><class name="a.py" filename="{filename}">'
        f"<methods/><lines>{lines}</lines></class></classes></package>"
    )


def _load(tmp_path: Path, text: str) -> Any:
    path = tmp_path / "coverage.xml"
    path.write_text(text, encoding="utf-8")
    return load_cobertura(path, tmp_path)


def _error(tmp_path: Path, text: str) -> str:
    with pytest.raises(CoverageDataError) as caught:
        _load(tmp_path, text)
    message = caught.value.message
    assert "\n" not in message
    assert message.startswith(f"{tmp_path / 'coverage.xml'}: ")
    return message


def test_a_file_split_over_two_classes_is_merged(tmp_path: Path) -> None:
    first = _one_class('<line number="1" hits="1"/><line number="2" hits="0"/>')
    second = _one_class('<line number="2" hits="3"/><line number="4" hits="0"/>')
    (module,) = _load(tmp_path, _xml(first + second)).modules
    assert module.statement_lines == (1, 2, 4)
    assert module.missing_lines == (4,)


def test_missed_branch_line_counts_missing_branches_but_no_partial(tmp_path: Path) -> None:
    lines = (
        '<line number="1" hits="0" branch="true" condition-coverage="0% (0/2)" '
        'missing-branches="2,exit"/>'
        '<line number="2" hits="1" branch="true" condition-coverage="50% (1/2)" '
        'missing-branches="3"/><line number="3" hits="1"/>'
    )
    report = _load(tmp_path, _xml(_one_class(lines)))
    (module,) = report.modules
    assert report.has_branches
    assert (module.counts.branches, module.counts.missing_branches) == (4, 3)
    assert module.counts.partial_branches == 1
    assert module.missing_arcs == ((1, 2), (1, -1), (2, 3))


def test_report_without_branch_attributes_has_no_branch_data(tmp_path: Path) -> None:
    report = _load(tmp_path, _xml(_one_class('<line number="1" hits="1"/>')))
    assert not report.has_branches


def test_report_without_sources_keeps_the_file_names(tmp_path: Path) -> None:
    report = _load(tmp_path, _xml(_one_class('<line number="1" hits="1"/>'), sources=""))
    assert [module.path for module in report.modules] == ["pkg/a.py"]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("<coverage><packages>", "not a valid Cobertura XML report"),
        ("<report/>", "the root element is not <coverage>"),
        (_xml(_one_class("", filename="")), "<class> #1 has no filename"),
        (_xml(_one_class('<line number="0" hits="1"/>')), "number='0' is not a count"),
        (_xml(_one_class('<line number="x" hits="1"/>')), "number='x' is not a count"),
        (_xml(_one_class('<line number="1" hits="-1"/>')), "hits='-1' is not a count"),
        (
            _xml(_one_class('<line number="1" hits="1" branch="true" condition-coverage="3/2"/>')),
            "condition-coverage='3/2' is not 'N% (taken/total)'",
        ),
        (
            _xml(
                _one_class(
                    '<line number="1" hits="1" branch="true" condition-coverage="100% (3/2)"/>'
                )
            ),
            "is not 'N% (taken/total)'",
        ),
        (
            _xml(_one_class('<line number="1" hits="1" missing-branches="2,-3"/>')),
            "missing-branches='2,-3' is not line numbers or 'exit'",
        ),
    ],
)
def test_malformed_report_is_one_line_naming_the_file(
    tmp_path: Path, text: str, problem: str
) -> None:
    assert problem in _error(tmp_path, text)


def test_entity_expansion_bomb_is_refused(tmp_path: Path) -> None:
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE coverage [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n<coverage>&b;</coverage>\n'
    )
    assert "not a valid Cobertura XML report" in _error(tmp_path, bomb)


def test_external_entity_is_never_fetched(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOKEN", encoding="utf-8")
    xxe = (
        f'<?xml version="1.0"?>\n<!DOCTYPE coverage [<!ENTITY s SYSTEM "{secret.as_uri()}">]>\n'
        "<coverage><sources><source>&s;</source></sources></coverage>\n"
    )
    message = _error(tmp_path, xxe)
    assert "TOKEN" not in message


def test_doctype_without_entities_as_cobertura_writes_it_is_read(tmp_path: Path) -> None:
    text = _xml(_one_class('<line number="1" hits="1"/>')).replace(
        "\n<coverage",
        '\n<!DOCTYPE coverage SYSTEM "http://cobertura.sourceforge.net/xml/coverage-04.dtd">'
        "\n<coverage",
    )
    assert [module.path for module in _load(tmp_path, text).modules] == ["pkg/a.py"]


def test_cli_on_a_broken_xml_report_exit_2_one_line(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"pkg/__init__.py": ""})
    (project.root / "coverage.xml").write_text("<coverage", encoding="utf-8")
    result = runner.invoke(app, ["-C", str(project.root), "report"])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {project.root / 'coverage.xml'}: not a valid")
    assert result.stderr.count("\n") == 1


def test_unreadable_report_names_the_file(tmp_path: Path) -> None:
    folder = tmp_path / "coverage.xml"
    folder.mkdir()
    with pytest.raises(CoverageDataError, match="cannot read coverage data"):
        load_cobertura(folder, tmp_path)


def test_the_source_root_holding_the_file_wins_over_an_earlier_one(tmp_path: Path) -> None:
    (tmp_path / "src/pkg").mkdir(parents=True)
    (tmp_path / "src/pkg/a.py").write_text("x = 1\n", encoding="utf-8")
    sources = "<sources><source>/elsewhere/lib</source><source>src</source></sources>"
    report = _load(tmp_path, _xml(_one_class('<line number="1" hits="1"/>'), sources))
    assert [module.path for module in report.modules] == ["src/pkg/a.py"]


def test_a_file_found_under_no_source_root_keeps_the_first_roots_path(tmp_path: Path) -> None:
    sources = "<sources><source>/builds/ci/lib</source><source>other</source></sources>"
    report = _load(tmp_path, _xml(_one_class('<line number="1" hits="1"/>'), sources))
    assert [module.path for module in report.modules] == ["/builds/ci/lib/pkg/a.py"]


def test_a_line_with_four_exits_two_taken_misses_two_branches(tmp_path: Path) -> None:
    lines = (
        '<line number="1" hits="1" branch="true" condition-coverage="50% (2/4)" '
        'missing-branches="3,4"/><line number="2" hits="1"/>'
    )
    (module,) = _load(tmp_path, _xml(_one_class(lines))).modules
    counts = module.counts
    assert (counts.branches, counts.missing_branches, counts.partial_branches) == (4, 2, 2)


def test_a_missing_branch_back_to_line_one_is_an_arc(tmp_path: Path) -> None:
    lines = (
        '<line number="1" hits="1"/><line number="3" hits="1" branch="true" '
        'condition-coverage="50% (1/2)" missing-branches="1"/>'
    )
    (module,) = _load(tmp_path, _xml(_one_class(lines))).modules
    assert module.missing_arcs == ((3, 1),)


@pytest.mark.parametrize("targets", ["0", "2,next", "exits"])
def test_a_missing_branch_to_line_zero_or_to_a_word_other_than_exit_is_refused(
    tmp_path: Path, targets: str
) -> None:
    lines = f'<line number="1" hits="1" missing-branches="{targets}"/>'
    message = _error(tmp_path, _xml(_one_class(lines)))
    assert f"missing-branches={targets!r} is not line numbers or 'exit'" in message


def test_branch_figures_come_only_from_lines_marked_branch_with_a_condition(
    tmp_path: Path,
) -> None:
    lines = (
        '<line number="1" hits="1" branch="true"/>'
        '<line number="2" hits="1" branch="false" condition-coverage="50% (1/2)"/>'
    )
    report = _load(tmp_path, _xml(_one_class(lines)))
    assert not report.has_branches
    assert report.modules[0].counts.branches == 0
