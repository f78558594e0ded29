"""Hostile module paths rendered into markdown and the terminal: escaped, one line, inert."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from covtasks.cli import app
from tests.reports import file_entry, write_report

runner = CliRunner()
TASKS = ".ldres/tv-tasks.md"
CLOSER = "<!-- /covtasks:scoreboard -->"
HOSTILE_PATHS = (
    f"pkg/nl.py\n{CLOSER}",
    "pkg/evil\u202eyp.py",
    "pkg/esc\x1b[2J.py",
    "pkg/tick`s.py",
    "pkg/zero\u200bwidth.py",
)
OWNER = "eve\x1b[31m\u202e"
OWNER_TOML = "".join(char if char.isprintable() else f"\\u{ord(char):04x}" for char in OWNER)
PYPROJECT = f"""\
[tool.covtasks]
docs = ["README.md"]
umbrella = "Coverage roadmap"
default_owner = "{OWNER_TOML}"

[[tool.covtasks.milestones]]
name = "Core"
modules = ["pkg/**"]
gate = 95
"""
README = f"""\
# Project

<!-- covtasks:scoreboard -->
{CLOSER}

<!-- covtasks:milestones -->
<!-- /covtasks:milestones -->

<!-- covtasks:snapshot -->
<!-- /covtasks:snapshot -->

<!-- covtasks:gaps -->
<!-- /covtasks:gaps -->
"""
TASK_FILE = """\
# Tasks

## Open tasks (updated 2026-01-01)

### In progress · tv-2026-01-01:roadmap · Coverage roadmap

- **Latest snapshot (2026-01-01)**: none.
"""


def invoke(root: Path, *args: str) -> Result:
    return runner.invoke(app, ["-C", str(root), *args])


def raw_hostile_characters(text: str) -> list[str]:
    """Characters that must never reach markdown or a terminal from data."""
    return [
        char
        for char in text
        if char not in "\n\t" and unicodedata.category(char) in {"Cc", "Cf", "Zl", "Zp"}
    ]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (tmp_path / "README.md").write_text(README, encoding="utf-8")
    (tmp_path / ".ldres").mkdir()
    (tmp_path / TASKS).write_text(TASK_FILE, encoding="utf-8")
    files = {path: file_entry([1], [2, 3], 2, [(1, 3)]) for path in HOSTILE_PATHS}
    files["pkg/plain.py"] = file_entry([1, 2], [3])
    write_report(tmp_path / "coverage.json", files)
    return tmp_path


def test_a_path_holding_a_closing_marker_cannot_break_a_live_block(project: Path) -> None:
    first = invoke(project, "sync", "--date", "2026-11-20")
    assert first.exit_code == 0, first.output
    second = invoke(project, "sync", "--date", "2026-11-21")
    assert second.exit_code == 0, second.output
    lines = (project / "README.md").read_text(encoding="utf-8").splitlines()
    assert lines.count(CLOSER) == 1


def test_sync_writes_no_raw_control_or_bidi_character_anywhere(project: Path) -> None:
    result = invoke(project, "sync", "--date", "2026-11-20")
    assert result.exit_code == 0, result.output
    for name in (TASKS, "README.md"):
        assert raw_hostile_characters((project / name).read_text(encoding="utf-8")) == []


def test_sync_renders_each_hostile_path_as_a_code_span_on_one_line(project: Path) -> None:
    invoke(project, "sync", "--date", "2026-11-20")
    text = (project / "README.md").read_text(encoding="utf-8")
    assert "`pkg/nl.py\\n<!-- /covtasks:scoreboard -->`" in text
    assert "`` pkg/tick`s.py ``" in text
    assert "`pkg/evil\\u202eyp.py`" in text


@pytest.mark.parametrize(
    "args",
    [
        ["report", "--format", "markdown"],
        ["report", "--format", "markdown", "--group"],
        ["report"],
        ["standup", "--date", "2026-11-21"],
    ],
)
def test_output_carries_no_raw_control_or_bidi_character(project: Path, args: list[str]) -> None:
    invoke(project, "sync", "--date", "2026-11-20")
    result = invoke(project, *args)
    assert result.exit_code == 0, result.output
    assert raw_hostile_characters(result.stdout) == []
    assert raw_hostile_characters(result.stderr) == []


def test_markdown_report_shows_one_line_per_module(project: Path) -> None:
    result = invoke(project, "report", "--format", "markdown")
    items = [line for line in result.stdout.splitlines() if line.endswith("% branches")]
    assert len(items) == len(HOSTILE_PATHS) + 1
    assert CLOSER not in result.stdout.replace(f"\\n{CLOSER}", "")


def test_an_error_naming_a_hostile_path_is_one_clean_line(project: Path) -> None:
    (project / TASKS).write_text(
        TASK_FILE
        + '\n### Open · a · b\n\n<!-- covtasks:entry module="pkg/esc%1B[2J.py" -->\n'
        + '\n### Open · c · d\n\n<!-- covtasks:entry module="pkg/esc%1B[2J.py" -->\n',
        encoding="utf-8",
    )
    result = invoke(project, "sync", "--date", "2026-11-20")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert raw_hostile_characters(result.stderr) == []


def test_sync_summary_notes_show_a_hostile_path_escaped(project: Path) -> None:
    invoke(project, "sync", "--date", "2026-11-20")
    text = (project / TASKS).read_text(encoding="utf-8")
    (project / TASKS).write_text(
        text.replace("- **Size**: XS", "- **Size**: mine"), encoding="utf-8"
    )
    write_report(
        project / "coverage.json",
        {path: file_entry([1], list(range(2, 20)), 2, [(1, 3)]) for path in HOSTILE_PATHS},
    )
    result = invoke(project, "sync", "--date", "2026-11-21")
    assert result.exit_code == 0, result.output
    assert "note: kept 'Size' of the pkg/esc\\x1b[2J.py entry as edited by hand" in result.stderr
    assert raw_hostile_characters(result.stderr) == []
