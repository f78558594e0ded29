"""Small trust findings, one test each: clear errors naming files, markers never lost."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from covtasks.cli import app
from covtasks.markers import format_marker
from tests.reports import file_entry, write_report

runner = CliRunner()
TASKS = ".ldres/tv-tasks.md"
HISTORY = ".ldres/covtasks-history.jsonl"


def invoke(root: Path, *args: str) -> Result:
    return runner.invoke(app, ["-C", str(root), *args])


def expect_error(result: Result, *fragments: str) -> None:
    assert result.exit_code == 2, (result.output, result.exception)
    assert result.stderr.startswith("error: ")
    assert result.stderr.count("\n") == 1, result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[tool.covtasks]\n", encoding="utf-8")
    write_report(tmp_path / "coverage.json", {"pkg/a.py": file_entry([1], [2])})
    return tmp_path


def write_tasks(project: Path, text: str) -> Path:
    path = project / TASKS
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_coverage_option_naming_a_folder_says_so(project: Path) -> None:
    (project / "data").mkdir()
    expect_error(invoke(project, "report", "--coverage", "data"), "data", "is a folder")


TWO_CLAIMS = ("# T\n\n### Open · a · A\n\n{marker}\n\n### Completed · b · B\n\n{marker}\n").format(
    marker=format_marker({"module": "pkg/a.py"})
)


@pytest.mark.parametrize("command", [["check"], ["standup", "--date", "2026-11-20"]])
def test_two_entries_claiming_one_module_name_the_task_file(
    project: Path, command: list[str]
) -> None:
    write_tasks(project, TWO_CLAIMS)
    expect_error(invoke(project, *command), "tv-tasks.md", "both claim module pkg/a.py")


def test_an_unknown_badge_colour_names_the_configuration_file(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        '[tool.covtasks]\nbadge_thresholds = { "no-such-colour" = 50 }\n'
    )
    expect_error(invoke(project, "badge"), "pyproject.toml", "no-such-colour")


def test_a_marker_missing_its_end_at_the_end_of_the_file_is_an_error(project: Path) -> None:
    marker = format_marker({"module": "pkg/a.py"}).removesuffix(" -->")
    path = write_tasks(project, f"# T\n\n### Open · a · A\n\n{marker}\n")
    before = path.read_bytes()
    expect_error(invoke(project, "sync", "--date", "2026-11-20"), "tv-tasks.md", "line 5", "-->")
    assert path.read_bytes() == before


def test_a_marker_indented_as_code_is_an_error(project: Path) -> None:
    marker = format_marker({"module": "pkg/a.py"})
    path = write_tasks(project, f"# T\n\n### Open · a · A\n\n    {marker}\n\n- **Owner**: x\n")
    before = path.read_bytes()
    expect_error(
        invoke(project, "sync", "--date", "2026-11-20"), "tv-tasks.md", "line 5", "indented"
    )
    assert path.read_bytes() == before


def test_a_marker_shown_in_a_fence_is_only_an_example(project: Path) -> None:
    marker = format_marker({"module": "pkg/a.py"})
    write_tasks(project, f"# T\n\n### Open · a · A\n\n```markdown\n    {marker}\n```\n")
    assert invoke(project, "sync", "--date", "2026-11-20").exit_code == 0


def test_unknown_marker_attributes_are_kept(project: Path) -> None:
    assert invoke(project, "sync", "--date", "2026-11-20").exit_code == 0
    path = project / TASKS
    path.write_text(
        path.read_text().replace("<!-- covtasks:entry ", '<!-- covtasks:entry future="x" '),
        encoding="utf-8",
    )
    write_report(project / "coverage.json", {"pkg/a.py": file_entry([1, 2], [3])})
    assert invoke(project, "sync", "--date", "2026-11-21").exit_code == 0
    assert 'future="x"' in path.read_text()


def test_a_baseline_with_a_bogus_date_is_an_error(project: Path) -> None:
    marker = format_marker({"module": "pkg/a.py", "baseline": "0/0@bogus"})
    write_tasks(project, f"# T\n\n### Open · a · A\n\n{marker}\n")
    expect_error(invoke(project, "sync", "--date", "2026-11-20"), "malformed baseline")


def test_an_id_prefix_with_html_or_a_newline_is_a_config_error(project: Path) -> None:
    for prefix in ('"<b>x</b>"', '"a\\nb"', '"a · b"', '"a`b"'):
        (project / "pyproject.toml").write_text(f"[tool.covtasks]\nid_prefix = {prefix}\n")
        expect_error(invoke(project, "sync", "--date", "2026-11-20"), "'id_prefix'")
    assert not (project / TASKS).exists()


def test_a_milestone_glob_pathspec_cannot_read_is_a_config_error(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        '[tool.covtasks]\n[[tool.covtasks.milestones]]\nname = "M"\nmodules = ["x\\\\"]\n'
    )
    expect_error(invoke(project, "report"), "pyproject.toml", "milestones[0].modules")


def test_a_nan_gate_in_history_never_reaches_the_trend_picture(project: Path) -> None:
    (project / ".ldres").mkdir()
    (project / HISTORY).write_text(
        '{"date":"2026-11-01","gate":NaN,"modules":{},"totals":[2,1,0,0,0]}\n'
        '{"date":"2026-11-02","gate":50,"modules":{},"totals":[2,1,0,0,0]}\n'
    )
    result = invoke(project, "badge", "--date", "2026-11-20")
    assert result.exit_code == 0, result.output
    assert "line 1" in result.stderr
    assert "nan" not in (project / ".ldres/badges/trend.svg").read_text().lower()


def test_a_json_report_starting_with_a_bom_is_read(project: Path) -> None:
    data = (project / "coverage.json").read_bytes()
    (project / "coverage.json").write_bytes(b"\xef\xbb\xbf" + data)
    result = invoke(project, "report", "--format", "json")
    assert result.exit_code == 0, result.output
    assert '"path": "pkg/a.py"' in result.stdout


def test_sync_refuses_a_read_only_task_file_unless_forced(project: Path) -> None:
    assert invoke(project, "sync", "--date", "2026-11-20").exit_code == 0
    path = project / TASKS
    path.chmod(0o444)
    before = path.read_bytes()
    write_report(project / "coverage.json", {"pkg/a.py": file_entry([1, 2], [3])})
    expect_error(invoke(project, "sync", "--date", "2026-11-21"), "tv-tasks.md", "read-only")
    assert path.read_bytes() == before
    forced = invoke(project, "sync", "--date", "2026-11-21", "--force")
    assert forced.exit_code == 0, forced.output
    assert path.read_bytes() != before
    assert path.stat().st_mode & 0o777 == 0o444
