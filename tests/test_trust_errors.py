"""Broken input ends in one ``error:`` line and exit 2: never a traceback, nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from covtasks.cli import app
from tests.reports import file_entry, report_document, write_report

runner = CliRunner()
HISTORY = ".ldres/covtasks-history.jsonl"


def invoke(root: Path, *args: str) -> Result:
    return runner.invoke(app, ["-C", str(root), *args])


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.name != ".covtasks.lock"
    }


def expect_error(result: Result, *fragments: str) -> None:
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    assert result.stderr.startswith("error: ")
    assert result.stderr.count("\n") == 1, result.stderr
    for fragment in fragments:
        assert fragment in result.stderr


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[tool.covtasks]\n", encoding="utf-8")
    write_report(tmp_path / "coverage.json", {"pkg/a.py": file_entry([1], [2])})
    return tmp_path


def test_a_deeply_nested_json_report_is_an_error(project: Path) -> None:
    (project / "coverage.json").write_text('{"meta": ' + "[" * 100_000 + "]" * 100_000 + "}")
    expect_error(invoke(project, "report"), "coverage.json", "nested too deeply")


def test_a_deeply_nested_history_line_is_skipped_with_a_warning(project: Path) -> None:
    (project / ".ldres").mkdir()
    (project / HISTORY).write_text("[" * 100_000 + "]" * 100_000 + "\n")
    result = invoke(project, "standup", "--date", "2026-11-20")
    assert result.exit_code == 0, result.output
    assert "line 1: nested too deeply" in result.stderr


@pytest.mark.parametrize("command", [["report"], ["report", "--format", "markdown", "--group"]])
def test_a_nul_byte_in_a_module_path_is_no_traceback(project: Path, command: list[str]) -> None:
    write_report(
        project / "coverage.json",
        {"pkg/a\x00.py": file_entry([1], [2]), "pkg/b.py": file_entry([1], [2])},
    )
    result = invoke(project, *command)
    assert result.exit_code == 0, (result.output, result.exception)
    assert "pkg/a\\x00.py" in result.stdout


def test_sync_files_no_entry_for_a_module_path_with_a_nul_byte(project: Path) -> None:
    # No file can have such a name: it is outside the project, counted but never filed.
    write_report(
        project / "coverage.json",
        {"pkg/a\x00.py": file_entry([1], [2]), "pkg/b.py": file_entry([1], [2])},
    )
    result = invoke(project, "sync", "--date", "2026-11-20")
    assert result.exit_code == 0, (result.output, result.exception)
    text = (project / ".ldres/tv-tasks.md").read_text(encoding="utf-8")
    assert "\x00" not in text
    assert "pkg/a" not in text
    assert "`pkg/b.py`" in text


@pytest.mark.parametrize("value", ["nan", "1e309", "150", "-5", "inf"])
def test_below_outside_0_to_100_is_a_usage_error(project: Path, value: str) -> None:
    expect_error(invoke(project, "report", "--below", value), "--below must be a percent")


def test_directory_option_naming_a_missing_folder_is_an_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["-C", str(tmp_path / "absent"), "report"])
    expect_error(result, "absent", "no such folder")


def test_directory_option_naming_a_file_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "file.txt").write_text("x")
    result = runner.invoke(app, ["-C", str(tmp_path / "file.txt"), "report"])
    expect_error(result, "file.txt", "not a folder")


def test_init_with_tool_covtasks_not_a_table_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool]\ncovtasks = 5\n")
    before = snapshot(tmp_path)
    expect_error(invoke(tmp_path, "init"), "pyproject.toml", "[tool.covtasks] must be a table")
    assert snapshot(tmp_path) == before


def test_init_with_tool_not_a_table_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('tool = "x"\n')
    before = snapshot(tmp_path)
    expect_error(invoke(tmp_path, "init"), "pyproject.toml", "[tool] must be a table")
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("value", ["nan", "500", "-1", "inf"])
def test_init_with_a_target_outside_0_to_100_writes_nothing(tmp_path: Path, value: str) -> None:
    expect_error(invoke(tmp_path, "init", "--target", value), "--target must be a percent")
    assert list(tmp_path.iterdir()) == []


def test_init_with_an_owner_holding_a_newline_writes_nothing(tmp_path: Path) -> None:
    expect_error(invoke(tmp_path, "init", "--owner", "a\nb"), "--owner")
    assert list(tmp_path.iterdir()) == []


def _report_with(project: Path, summary: dict[str, int], **lists: object) -> None:
    entry = file_entry([1, 2], [3], 2, [(1, 3)])
    entry["summary"].update(summary)
    entry.update(lists)
    document = report_document({"pkg/a.py": entry})
    (project / "coverage.json").write_text(json.dumps(document))


@pytest.mark.parametrize(
    ("summary", "lists", "problem"),
    [
        ({"num_partial_branches": 5}, {}, "more partial branches than branches"),
        (
            {"num_branches": 0, "covered_branches": 0, "num_partial_branches": 5},
            {},
            "more partial branches than branches",
        ),
        ({"missing_lines": 0}, {}, "missing_lines says 0 but 1 are listed"),
        ({"num_statements": 9}, {}, "num_statements says 9 but only 3 are listed"),
        ({"num_statements": 0}, {}, "num_statements says 0 but 1 are missing"),
        ({"num_statements": 2**53 + 1}, {}, "is not a count"),
        ({}, {"missing_lines": [-3]}, "is not a list of line numbers"),
        ({}, {"executed_lines": [0, 1]}, "is not a list of line numbers"),
        ({}, {"missing_branches": [[1, 3], [1, 3]]}, "missing_branches lists"),
    ],
)
def test_a_report_contradicting_itself_is_an_error_naming_file_and_module(
    project: Path, summary: dict[str, int], lists: dict[str, object], problem: str
) -> None:
    _report_with(project, summary, **lists)
    before = snapshot(project)
    expect_error(invoke(project, "sync", "--date", "2026-11-20"), "coverage.json", "pkg/a.py")
    assert problem in invoke(project, "report").stderr
    assert snapshot(project) == before


def test_a_history_line_covtasks_rejects_is_skipped_with_a_warning_naming_it(
    project: Path,
) -> None:
    (project / ".ldres").mkdir()
    good = '{"date":"2026-11-01","gate":null,"modules":{},"totals":[0,0,0,0,0]}'
    bad = '{"date":"2026-11-02","gate":null,"modules":{"a":[1,0,0,0,5]},"totals":[0,0,0,0,0]}'
    (project / HISTORY).write_text(f"{good}\n{bad}\n")
    for command in (["standup", "--date", "2026-11-20"], ["badge", "--date", "2026-11-20"]):
        result = invoke(project, *command)
        assert result.exit_code == 0, (result.output, result.exception)
        assert result.stderr.startswith(f"warning: {project / HISTORY}: line 2: ")
        assert "line ignored" in result.stderr
    result = invoke(project, "sync", "--date", "2026-11-20")
    assert result.exit_code == 0, (result.output, result.exception)
    lines = (project / HISTORY).read_text().splitlines()
    assert lines[:2] == [good, bad]
    assert len(lines) == 3


def test_init_with_a_tasks_setting_that_is_no_string_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.covtasks]\ntasks = 5\n")
    before = snapshot(tmp_path)
    expect_error(invoke(tmp_path, "init"), "pyproject.toml", "'tasks' must be a non-empty string")
    assert snapshot(tmp_path) == before


def test_init_with_a_tasks_setting_outside_the_project_writes_nothing(tmp_path: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()
    (root / "pyproject.toml").write_text('[tool.covtasks]\ntasks = "../outside.md"\n')
    expect_error(invoke(root, "init"), "resolves outside the repository")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["project"]


@pytest.mark.parametrize(
    ("setting", "key"),
    [
        ('tasks = "../t.md"', "tasks"),
        ('history = "/etc/passwd"', "history"),
        ('badges = ".."', "badges"),
        ('docs = ["README.md", "../../x.md"]', "docs[1]"),
        ('template = "link/entry.md"', "template"),
    ],
)
def test_a_setting_leading_outside_the_project_is_a_config_error(
    project: Path, setting: str, key: str
) -> None:
    (project / "link").symlink_to(project.parent)
    (project / "pyproject.toml").write_text(f"[tool.covtasks]\n{setting}\n")
    before = snapshot(project)
    expect_error(invoke(project, "report"), "pyproject.toml", f"'{key}' leads outside the project")
    assert snapshot(project) == before


def test_a_report_listing_an_excluded_line_that_ran_as_executed_is_read(project: Path) -> None:
    # coverage.py before 7.6.2 lists every line that ran in executed_lines, excluded ones too
    # (seen on coverage 7.6.1: 5 statements, executed [1, 2, 4, 5, 6, 9, 11] with 9 excluded).
    entry = file_entry([1, 2, 4, 5, 6, 9, 11], [])
    entry["summary"].update(num_statements=5, covered_lines=5, excluded_lines=3)
    entry["excluded_lines"] = [7, 9, 10]
    (project / "coverage.json").write_text(json.dumps(report_document({"pkg/a.py": entry})))
    result = invoke(project, "report", "--format", "json", "--all")
    assert result.exit_code == 0, (result.output, result.exception)
    (module,) = json.loads(result.stdout)["modules"]
    assert (module["statements"], module["missing"], module["line_percent"]) == (5, 0, 100.0)
