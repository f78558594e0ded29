"""``covtasks init`` adds configuration and a task file, keeping what exists."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from covtasks.cli import app
from covtasks.errors import ConfigError
from covtasks.init import init_project

TODAY = dt.date(2026, 11, 26)


def test_init_adds_the_table_and_keeps_comments(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('# my project\n[project]\nname = "x"  # name\n')
    actions = init_project(tmp_path, TODAY, 95.0, "qa")
    text = (tmp_path / "pyproject.toml").read_text()
    assert text.startswith('# my project\n[project]\nname = "x"  # name\n')
    settings = tomllib.loads(text)["tool"]["covtasks"]
    assert settings == {"target": 95.0, "tasks": ".ldres/tv-tasks.md", "default_owner": "qa"}
    assert actions == ["pyproject.toml: added [tool.covtasks]", ".ldres/tv-tasks.md: created"]
    assert "(updated 2026-11-26)" in (tmp_path / ".ldres/tv-tasks.md").read_text()


def test_init_twice_changes_nothing_the_second_time(tmp_path: Path) -> None:
    init_project(tmp_path, TODAY, 100.0, "tv")
    before = (tmp_path / "pyproject.toml").read_bytes()
    actions = init_project(tmp_path, TODAY, 90.0, "other")
    assert (tmp_path / "pyproject.toml").read_bytes() == before
    assert actions == [
        "pyproject.toml: [tool.covtasks] already present, left as is",
        ".ldres/tv-tasks.md: exists, left as is",
    ]


def test_init_with_existing_tool_table_adds_covtasks_beside_it(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.ruff]\nline-length = 99\n")
    init_project(tmp_path, TODAY, 100.0, "tv")
    document = tomllib.loads((tmp_path / "pyproject.toml").read_text())
    assert document["tool"]["ruff"] == {"line-length": 99}
    assert document["tool"]["covtasks"]["target"] == 100.0


def test_init_uses_the_configured_task_file_path(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.covtasks]\ntasks = "docs/tasks.md"\n')
    init_project(tmp_path, TODAY, 100.0, "tv")
    assert (tmp_path / "docs/tasks.md").is_file()


def test_init_on_invalid_toml_is_an_error_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool\n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        init_project(tmp_path, TODAY, 100.0, "tv")
    assert not (tmp_path / ".ldres").exists()


def test_init_command_prints_each_action(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["-C", str(tmp_path), "init", "--date", "2026-11-26"])
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "pyproject.toml: added [tool.covtasks]",
        ".ldres/tv-tasks.md: created",
    ]
