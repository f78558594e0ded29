"""Gates where people put them: pytest addopts, tox commands, CI workflow steps."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from covtasks.gates import apply_gate, find_gates

PLACES = {
    "pyproject.toml": (
        '[tool.pytest.ini_options]\naddopts = "-q --cov=pkg --cov-fail-under=90"  # keep\n'
    ),
    "pytest.ini": "[pytest]\naddopts =\n    --cov=pkg\n    --cov-fail-under 90.0\n",
    "tox.ini": "[testenv]\ncommands =\n    pytest --cov\n    coverage report --fail-under=90\n",
    ".coveragerc.toml": "[report]\nfail_under = 90  # raised by covtasks\nskip_covered = true\n",
    ".github/workflows/tests.yml": (
        "jobs:\n  test:\n    steps:\n      - run: coverage report --fail-under=90 -m\r\n"
    ),
}


def _write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode())
    return path


@pytest.mark.parametrize("name", sorted(PLACES))
def test_gate_written_where_people_put_it_is_found_and_raised_byte_exactly(
    tmp_path: Path, name: str
) -> None:
    path = _write(tmp_path, name, PLACES[name])
    (location,) = find_gates(tmp_path, ())
    assert (location.file, location.value) == (path, Decimal(90))
    changed = apply_gate([location], Decimal(95))
    # Only the number changes, keeping its written format (90.0 → 95.0); CRLF stays.
    assert changed == {path: PLACES[name].replace("90", "95")}


@pytest.mark.parametrize(
    "text",
    [
        "[pytest]\n# addopts = --cov-fail-under=90\n",
        "[pytest]\n; addopts = --cov-fail-under=90\n",
        '[tool.pytest.ini_options]\naddopts = "-q"  # was --cov-fail-under=90\n',
    ],
)
def test_a_gate_inside_a_comment_is_not_found(tmp_path: Path, text: str) -> None:
    name = "pyproject.toml" if text.startswith("[tool") else "pytest.ini"
    _write(tmp_path, name, text)
    assert find_gates(tmp_path, ()) == []


def test_workflow_files_other_than_yaml_are_not_read(tmp_path: Path) -> None:
    _write(tmp_path, ".github/workflows/notes.md", "coverage report --fail-under=90\n")
    assert find_gates(tmp_path, ()) == []


def test_a_folder_named_like_a_workflow_file_is_not_read(tmp_path: Path) -> None:
    (tmp_path / ".github/workflows/old.yml").mkdir(parents=True)
    _write(tmp_path, ".github/workflows/tests.yml", "run: coverage report --fail-under=90\n")
    (location,) = find_gates(tmp_path, ())
    assert location.file.name == "tests.yml"
