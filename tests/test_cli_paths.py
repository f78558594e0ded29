"""Where commands look and write: -C is the project, --config only names the settings, and
paths the user names on the command line are honoured outside the project."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from covtasks.cli import app
from tests.conftest import GAPPY_MODULE
from tests.sample import SampleProject, init_repo, make_project

runner = CliRunner()


def invoke(*args: str) -> Result:
    return runner.invoke(app, list(args))


def test_config_elsewhere_with_directory_reads_the_projects_coverage_data(
    gappy_project: SampleProject, tmp_path_factory: pytest.TempPathFactory
) -> None:
    hints = tmp_path_factory.mktemp("elsewhere") / "hints.toml"
    hints.write_text("target = 50\n", encoding="utf-8")
    result = invoke(
        "--config", str(hints), "-C", str(gappy_project.root), "report", "--format", "json"
    )
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["target"] == 50.0
    assert document["totals"]["statements"] == 15


def test_relative_settings_of_a_config_elsewhere_resolve_against_the_project_root(
    gappy_project: SampleProject, tmp_path_factory: pytest.TempPathFactory
) -> None:
    hints = tmp_path_factory.mktemp("elsewhere") / "hints.toml"
    hints.write_text('tasks = "docs/roadmap.md"\n', encoding="utf-8")
    result = invoke(
        "--config", str(hints), "-C", str(gappy_project.root), "sync", "--date", "2026-11-26"
    )
    assert result.exit_code == 0, result.stderr
    assert (gappy_project.root / "docs/roadmap.md").is_file()
    assert not (hints.parent / "docs").exists()


def test_tasks_named_outside_the_project_is_written_there(
    gappy_project: SampleProject, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("shared") / "tasks.md"
    result = invoke(
        "-C", str(gappy_project.root), "sync", "--tasks", str(outside), "--date", "2026-11-26"
    )
    assert result.exit_code == 0, result.stderr
    assert "`pkg/gappy.py`" in outside.read_text(encoding="utf-8")


def test_tasks_named_through_a_symlink_outside_is_honoured(
    gappy_project: SampleProject, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("shared")
    (outside / "tasks.md").write_text("# Shared roadmap\n", encoding="utf-8")
    (gappy_project.root / "roadmap.md").symlink_to(outside / "tasks.md")
    result = invoke(
        "-C", str(gappy_project.root), "sync", "--tasks", "roadmap.md", "--date", "2026-11-26"
    )
    assert result.exit_code == 0, result.stderr
    text = (outside / "tasks.md").read_text(encoding="utf-8")
    assert text.startswith("# Shared roadmap\n")
    assert "`pkg/gappy.py`" in text


def test_default_task_file_through_a_symlink_outside_is_still_refused(
    gappy_project: SampleProject, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("shared")
    (outside / "tasks.md").write_text("# Shared roadmap\n", encoding="utf-8")
    (gappy_project.root / ".ldres").mkdir()
    (gappy_project.root / ".ldres/tv-tasks.md").symlink_to(outside / "tasks.md")
    result = invoke("-C", str(gappy_project.root), "sync", "--date", "2026-11-26")
    assert result.exit_code == 2
    assert "resolves outside the repository" in result.stderr
    assert (outside / "tasks.md").read_text(encoding="utf-8") == "# Shared roadmap\n"


def test_codeowners_at_the_parent_git_root_names_the_owner_of_a_subprojects_entries(
    tmp_path: Path,
) -> None:
    repository = tmp_path / "repo"
    project = make_project(
        repository / "services" / "api", {"pkg/__init__.py": "", "pkg/gappy.py": GAPPY_MODULE}
    )
    project.measure("from pkg import gappy\ngappy.choose(True)\n")
    init_repo(repository)
    (repository / ".github").mkdir()
    (repository / ".github" / "CODEOWNERS").write_text(
        "* @everyone\n/services/api/pkg/ @api-team\n/pkg/ @not-this-one\n", encoding="utf-8"
    )
    result = invoke("-C", str(project.root), "sync", "--date", "2026-11-26")
    assert result.exit_code == 0, result.stderr
    tasks = (project.root / ".ldres/tv-tasks.md").read_text(encoding="utf-8")
    assert "- **Owner**: @api-team\n" in tasks
    standup = invoke("-C", str(project.root), "standup", "--format", "json", "--date", "2026-11-26")
    assert list(json.loads(standup.stdout)["next_up"]) == ["@api-team"]
