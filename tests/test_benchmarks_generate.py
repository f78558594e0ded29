"""The benchmark generator builds valid projects whose composed coverage equals coverage.py's."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from benchmarks.calibrate import Calibration, calibrate
from benchmarks.generate import ENTRIES_DATE, compose_report, generate, package_inits

SEED = 7
MODULES = 12


@pytest.fixture(scope="module")
def calibration() -> Calibration:
    return calibrate()


def _without_timestamp(report: dict[str, Any]) -> dict[str, Any]:
    return dict(report, meta={k: v for k, v in report["meta"].items() if k != "timestamp"})


def _coverage_json(root: Path) -> dict[str, Any]:
    out = root / "truth.json"
    subprocess.run(
        [sys.executable, "-m", "coverage", "json", "-o", str(out)],
        cwd=root,
        check=True,
        capture_output=True,
    )
    report: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    out.unlink()
    return report


def test_generate_sqlite_at_tiny_n_composed_report_equals_real_coverage_run(
    tmp_path: Path, calibration: Calibration
) -> None:
    repo = generate(tmp_path / "repo", MODULES, 0, "sqlite", SEED, calibration=calibration)
    real = json.loads(repo.json_report.read_text(encoding="utf-8"))
    composed = compose_report(calibration, repo.modules, package_inits(repo.modules))
    assert _without_timestamp(composed) == _without_timestamp(real)


def test_generate_json_at_tiny_n_composed_sqlite_reports_like_the_json(
    tmp_path: Path, calibration: Calibration
) -> None:
    repo = generate(tmp_path / "repo", MODULES, 0, "json", SEED, calibration=calibration)
    written = json.loads(repo.json_report.read_text(encoding="utf-8"))
    assert _without_timestamp(_coverage_json(repo.root)) == _without_timestamp(written)


def test_generate_json_report_has_gaps_complete_and_unrun_modules(
    tmp_path: Path, calibration: Calibration
) -> None:
    repo = generate(tmp_path / "repo", 60, 0, "json", SEED, calibration=calibration)
    report = json.loads(repo.json_report.read_text(encoding="utf-8"))
    modules = {p: f for p, f in report["files"].items() if not p.endswith("__init__.py")}
    percents = [f["summary"]["percent_covered"] for f in modules.values()]
    assert len(modules) == 60
    assert report["meta"]["format"] == 3
    assert any(p == 100 for p in percents)
    assert any(p == 0 for p in percents)
    assert any(0 < p < 100 for p in percents)


def test_generate_same_seed_twice_writes_identical_sources_report_and_task_file(
    tmp_path: Path, calibration: Calibration
) -> None:
    first = generate(tmp_path / "a", MODULES, 0, "json", SEED, calibration=calibration)
    second = generate(tmp_path / "b", MODULES, 0, "json", SEED, calibration=calibration)
    for relative in ("pyproject.toml", ".ldres/tv-tasks.md", first.modules[3].path):
        assert (first.root / relative).read_bytes() == (second.root / relative).read_bytes()
    assert first.json_report.read_bytes() == second.json_report.read_bytes()


def test_generate_sources_parse_and_use_environ_open_and_subprocess(
    tmp_path: Path, calibration: Calibration
) -> None:
    repo = generate(tmp_path / "repo", MODULES, 0, "json", SEED, calibration=calibration)
    text = "".join((repo.root / plan.path).read_text(encoding="utf-8") for plan in repo.modules)
    for plan in repo.modules:
        ast.parse((repo.root / plan.path).read_text(encoding="utf-8"))
    assert "os.environ" in text
    assert "open(" in text
    assert "subprocess." in text
    assert all(plan.path.count("/") == 3 for plan in repo.modules)


def test_generate_pyproject_has_branch_coverage_owners_and_two_milestones(
    tmp_path: Path, calibration: Calibration
) -> None:
    repo = generate(tmp_path / "repo", MODULES, 0, "json", SEED, calibration=calibration)
    config = tomllib.loads((repo.root / "pyproject.toml").read_text(encoding="utf-8"))
    assert config["tool"]["coverage"]["run"]["branch"] is True
    assert len(config["tool"]["covtasks"]["owners"]) >= 3
    assert len(config["tool"]["covtasks"]["milestones"]) == 2


def test_generate_task_file_is_about_200_kb_of_human_entries_in_the_design_style(
    tmp_path: Path, calibration: Calibration
) -> None:
    repo = generate(tmp_path / "repo", MODULES, 0, "json", SEED, calibration=calibration)
    text = repo.tasks.read_text(encoding="utf-8")
    assert 200_000 <= len(text.encode()) < 220_000
    assert "## Open tasks (updated " in text
    assert "## Deferred tasks (updated " in text
    assert "```markdown\n## Open · tv-YYYY-MM-DD:PR### · <Short title>" in text
    assert "<details>" in text
    assert "### In progress · tv-" in text
    assert "\n---\n" in text
    assert "\n" + "_" * 70 + "\n" in text


def test_generate_with_entries_runs_real_sync_and_files_that_many_entries(
    tmp_path: Path, calibration: Calibration
) -> None:
    repo = generate(tmp_path / "repo", MODULES, 4, "json", SEED, calibration=calibration)
    text = repo.tasks.read_text(encoding="utf-8")
    assert repo.entries == 4
    assert text.count(f"· tv-{ENTRIES_DATE}:") == 4
