"""Input whose structure fools naive reading: duplicate paths, BOMs, comments, <details>."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from covtasks.cli import app
from covtasks.gates import apply_gate, find_gates
from tests.reports import file_entry, write_report

runner = CliRunner()
TASKS = ".ldres/tv-tasks.md"
DAY = dt.date(2026, 11, 20)


def invoke(root: Path, *args: str) -> Result:
    return runner.invoke(app, ["-C", str(root), *args])


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[tool.covtasks]\n", encoding="utf-8")
    write_report(tmp_path / "coverage.json", {"pkg/a.py": file_entry([1], [2])})
    return tmp_path


# --- 6: one module, two spellings ----------------------------------------------------


@pytest.mark.parametrize("other", ["pkg\\a.py", "./pkg/a.py", "pkg//a.py", "pkg/./a.py"])
def test_two_spellings_of_one_module_are_an_error_naming_both(project: Path, other: str) -> None:
    write_report(
        project / "coverage.json",
        {"pkg/a.py": file_entry([1], [2]), other: file_entry([1], [2])},
    )
    result = invoke(project, "sync", "--date", "2026-11-20")
    assert result.exit_code == 2
    assert "'pkg/a.py'" in result.stderr
    assert repr(other) in result.stderr
    assert not (project / TASKS).exists()


def test_a_path_spelled_with_backslashes_or_dot_segments_is_normalised(project: Path) -> None:
    write_report(project / "coverage.json", {".\\pkg\\\\a.py": file_entry([1], [2])})
    result = invoke(project, "report", "--format", "json")
    assert result.exit_code == 0, result.output
    assert '"path": "pkg/a.py"' in result.stdout


def test_normalising_never_folds_case(project: Path) -> None:
    write_report(
        project / "coverage.json",
        {"pkg/a.py": file_entry([1], [2]), "pkg/A.py": file_entry([1], [2])},
    )
    result = invoke(project, "report", "--format", "json")
    assert result.exit_code == 0, result.output
    assert '"path": "pkg/A.py"' in result.stdout


# --- 8: a byte-order mark before the first entry -------------------------------------


def test_an_entry_right_after_a_bom_is_found_and_the_bom_kept(project: Path) -> None:
    assert invoke(project, "sync", "--date", "2026-11-20").exit_code == 0
    path = project / TASKS
    text = path.read_text(encoding="utf-8")
    entry = text[text.index("### Open") :]
    path.write_text("\ufeff" + entry, encoding="utf-8")
    write_report(project / "coverage.json", {"pkg/a.py": file_entry([1, 2], [3])})
    result = invoke(project, "sync", "--date", "2026-11-21")
    assert result.exit_code == 0, result.output
    after = path.read_text(encoding="utf-8")
    assert after.startswith("\ufeff### In progress · ")
    assert after.count("<!-- covtasks:entry") == 1


# --- 9: gates live in configuration, never in comments -------------------------------


def test_a_gate_in_a_trailing_yaml_comment_is_not_a_gate(tmp_path: Path) -> None:
    (tmp_path / ".pre-commit-config.yaml").write_text(
        "repos:\n  - repo: local\n    hooks:\n      - id: cov\n"
        "        args: [--fail-under=50]  # was --fail-under=20\n"
    )
    assert [location.text for location in find_gates(tmp_path, ())] == ["50"]


def test_a_hash_inside_a_yaml_string_does_not_start_a_comment(tmp_path: Path) -> None:
    (tmp_path / ".pre-commit-config.yaml").write_text(
        "repos:\n  - hooks:\n      - entry: 'sh -c \"echo #1; coverage report --fail-under=60\"'\n"
    )
    assert [location.text for location in find_gates(tmp_path, ())] == ["60"]


def test_raising_a_gate_leaves_a_trailing_comment_alone(tmp_path: Path) -> None:
    path = tmp_path / ".pre-commit-config.yaml"
    path.write_text("args: [--fail-under=50]  # was --fail-under=20\n")
    from decimal import Decimal

    texts = apply_gate(find_gates(tmp_path, ()), Decimal(95))
    assert texts[path] == "args: [--fail-under=95]  # was --fail-under=20\n"


def test_an_indented_continuation_line_in_coveragerc_is_not_a_gate(tmp_path: Path) -> None:
    (tmp_path / ".coveragerc").write_text(
        "[report]\nexclude_lines =\n    pragma: no cover\n    fail_under = 20\nfail_under = 50\n"
    )
    assert [location.text for location in find_gates(tmp_path, ())] == ["50"]


# --- 7: an entry moved inside <details> ----------------------------------------------


def test_an_entry_moved_inside_details_is_updated_in_place_not_duplicated(
    project: Path,
) -> None:
    assert invoke(project, "sync", "--date", "2026-11-20").exit_code == 0
    path = project / TASKS
    text = path.read_text(encoding="utf-8")
    at = text.index("### Open")
    entry = text[at:].rstrip("\n")
    moved = text[:at] + f"<details>\n<summary>Parked</summary>\n\n{entry}\n\n</details>\n\nAfter.\n"
    path.write_text(moved, encoding="utf-8")
    write_report(project / "coverage.json", {"pkg/a.py": file_entry([1, 2], [3])})
    result = invoke(project, "sync", "--date", "2026-11-21")
    assert result.exit_code == 0, result.output
    after = path.read_text(encoding="utf-8")
    assert after.count("<!-- covtasks:entry") == 1
    assert "<details>\n<summary>Parked</summary>\n\n### In progress · " in after
    assert after.endswith("\n\n</details>\n\nAfter.\n")


def test_a_heading_inside_details_without_a_marker_claims_no_module(project: Path) -> None:
    path = project / TASKS
    path.parent.mkdir()
    path.write_text(
        "# T\n\n<details>\n\n### Open · tv-YYYY-MM-DD:PR### · Cover `pkg/a.py`\n\n</details>\n"
    )
    result = invoke(project, "sync", "--date", "2026-11-21")
    assert result.exit_code == 0, result.output
    text = path.read_text(encoding="utf-8")
    assert text.count("Cover `pkg/a.py`") == 2
    assert text.count("<!-- covtasks:entry") == 1


def test_an_escaped_quote_inside_a_double_quoted_yaml_string_keeps_the_string_open(
    tmp_path: Path,
) -> None:
    (tmp_path / ".pre-commit-config.yaml").write_text(
        'entry: "sh -c \\"echo #1\\" && coverage report --fail-under=70"\n'
    )
    assert [location.text for location in find_gates(tmp_path, ())] == ["70"]
