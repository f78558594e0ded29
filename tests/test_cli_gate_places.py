"""``covtasks gate`` on gates where people put them: pytest addopts, tox commands, CI steps."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from covtasks.cli import app
from tests.sample import make_project

runner = CliRunner()
TASKS = ".ldres/tv-tasks.md"
MILESTONE = "Core deterministic modules"
BUMP = f"2026-01-05: gate 87.00 → 95.00 (milestone “{MILESTONE}” complete)"

PYPROJECT = f"""\
# Settings of the sample team; covtasks may change one number in this file and no other byte.
[tool.pytest.ini_options]
addopts = "-q  --cov=pkg   --cov-fail-under=87"   # CI variance buffer: 87 until core lands
testpaths = ["tests"]

[tool.coverage.run]
branch = true
source = ["pkg"]
relative_files = true
data_file = ".cache/coverage/coverage.sqlite"

[tool.covtasks]

[[tool.covtasks.milestones]]
name = "{MILESTONE}"
modules = ["pkg/core.py"]
gate = 95.0
"""
# CRLF, a commented-out older gate and the value written with a space, as tox allows.
TOX = (
    "[tox]\r\n"
    "env_list = py311\r\n"
    "\r\n"
    "[testenv]\r\n"
    "deps = pytest-cov\r\n"
    "commands =\r\n"
    "    # coverage report --fail-under=50  (the gate before the roadmap)\r\n"
    "    pytest --cov=pkg {posargs}\r\n"
    "    coverage report --fail-under 87.0 --show-missing\r\n"
)
WORKFLOW = """\
name: tests
on: [push, pull_request]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: pip install -e '.[test]'
      - run: coverage run -m pytest
      # Raised by covtasks gate; the value in this comment is not a gate: --fail-under=10
      - name: "coverage gate (--fail-under=87.00)"
        run: |
          coverage report --fail-under=87.00 -m
          coverage xml
"""
CORE = "def double(x):\n    return 2 * x\n"
GAPPY = 'def choose(flag):\n    if flag:\n        return "yes"\n    return "no"\n'
PLACES = {"pyproject.toml": PYPROJECT, "tox.ini": TOX, ".github/workflows/tests.yml": WORKFLOW}
RAISED = {
    "pyproject.toml": PYPROJECT.replace("--cov-fail-under=87", "--cov-fail-under=95"),
    "tox.ini": TOX.replace("--fail-under 87.0", "--fail-under 95.0"),
    ".github/workflows/tests.yml": WORKFLOW.replace(
        "coverage report --fail-under=87.00", "coverage report --fail-under=95.00"
    ).replace("(--fail-under=87.00)", "(--fail-under=95.00)"),
}


def invoke(root: Path, *args: str) -> Result:
    return runner.invoke(app, ["-C", str(root), *args])


@pytest.fixture(scope="module")
def places_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The milestone's module at target, gappy below, gates only in addopts, tox and CI."""
    project = make_project(
        tmp_path_factory.mktemp("places"),
        {"pkg/__init__.py": "", "pkg/core.py": CORE, "pkg/gappy.py": GAPPY},
    )
    for name, text in PLACES.items():
        path = project.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode())
    project.measure("from pkg import core, gappy\ncore.double(1)\ngappy.choose(True)\n")
    return project.root


@pytest.fixture
def places(places_source: Path, tmp_path: Path) -> Path:
    target = tmp_path / "project"
    shutil.copytree(places_source, target)
    return target


def texts(root: Path) -> dict[str, str]:
    return {name: (root / name).read_bytes().decode() for name in PLACES}


def test_gate_raises_addopts_tox_and_workflow_gates_changing_only_their_numbers(
    places: Path,
) -> None:
    result = invoke(places, "gate", "--date", "2026-01-05")
    assert result.exit_code == 0, result.output
    assert result.stdout == BUMP + "\n"
    assert texts(places) == RAISED


def test_gate_on_addopts_tox_and_workflow_logs_the_bump_in_the_task_file(places: Path) -> None:
    invoke(places, "gate", "--date", "2026-01-05")
    assert (places / TASKS).read_text().endswith(f"## Coverage gate log\n\n- {BUMP}\n")


def test_gate_dry_run_shows_each_discovered_place_as_a_diff_and_writes_nothing(
    places: Path,
) -> None:
    result = invoke(places, "gate", "--dry-run", "--date", "2026-01-05")
    assert result.exit_code == 0, result.output
    for name in PLACES:
        assert f"--- a/{name}\n+++ b/{name}\n" in result.stdout
    assert '+addopts = "-q  --cov=pkg   --cov-fail-under=95"' in result.stdout
    assert texts(places) == PLACES
    assert not (places / TASKS).exists()


def test_second_gate_on_raised_places_changes_no_byte_and_logs_nothing(places: Path) -> None:
    invoke(places, "gate", "--date", "2026-01-05")
    log = (places / TASKS).read_bytes()
    result = invoke(places, "gate", "--date", "2026-01-06")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("gate 95.00 already at or above 95.0 (")
    assert texts(places) == RAISED
    assert (places / TASKS).read_bytes() == log


def test_the_weakest_discovered_place_is_the_gate_standup_reports(places: Path) -> None:
    (places / "tox.ini").write_bytes(TOX.replace("87.0", "86.5").encode())
    result = invoke(places, "standup", "--format", "json", "--date", "2026-01-05")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["gate"] == 86.5


def test_gate_raises_a_weaker_place_and_the_others_to_the_same_value(places: Path) -> None:
    (places / "tox.ini").write_bytes(TOX.replace("87.0", "86.5").encode())
    result = invoke(places, "gate", "--date", "2026-01-05")
    assert result.exit_code == 0, result.output
    assert result.stdout == BUMP.replace("gate 87.00 → 95.00", "gate 86.5 → 95.0") + "\n"
    assert texts(places) == RAISED
