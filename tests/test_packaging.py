"""The built wheel and sdist are complete: installed from them (not editable), covtasks runs."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from tests.sample import SampleProject

REPO = Path(__file__).resolve().parents[1]


def _built_wheel(dist: Path) -> Path:
    """This checkout built into a wheel under ``dist``, as pip builds it."""
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(dist), str(REPO)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    (wheel,) = dist.glob("covtasks-*.whl")
    return wheel


def test_wheel_ships_the_default_template_and_loads_it(tmp_path: Path) -> None:
    wheel = _built_wheel(tmp_path / "dist")
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        archive.extractall(site)
    assert "covtasks/templates/entry.md" in names
    assert "covtasks/py.typed" in names
    probe = (
        "import covtasks, covtasks.template as t\n"
        "print(covtasks.__file__)\n"
        "print(t.load_template(None).heading)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(site)},
        capture_output=True,
        text=True,
        check=True,
    )
    module_file, heading = done.stdout.splitlines()[:2]
    assert Path(module_file).is_relative_to(site)
    assert "${status}" in heading


def test_wheel_in_a_fresh_venv_outside_the_checkout_runs_the_whole_flow(
    gappy_project: SampleProject, tmp_path_factory: pytest.TempPathFactory
) -> None:
    place = tmp_path_factory.mktemp("fresh")
    wheel = _built_wheel(place / "dist")
    venv = place / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "install", "-q", str(wheel)],
        check=True,
        capture_output=True,
    )
    root = gappy_project.root
    # The checkout is neither the working folder nor on the path: only the wheel can answer.
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}

    def covtasks(*args: str) -> str:
        done = subprocess.run(
            [str(bin_dir / "covtasks"), *args],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, (args, done.stderr)
        return done.stdout

    where = subprocess.run(
        [str(bin_dir / "python"), "-c", "import covtasks; print(covtasks.__file__)"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(where).is_relative_to(venv)
    covtasks("init", "--date", "2026-11-20")
    assert "[tool.covtasks]" in (root / "pyproject.toml").read_text(encoding="utf-8")
    assert "pkg/gappy.py" in covtasks("report")
    covtasks("sync", "--date", "2026-11-26")
    assert "`pkg/gappy.py`" in (root / ".ldres/tv-tasks.md").read_text(encoding="utf-8")
    assert "pkg/gappy.py" in covtasks("standup", "--date", "2026-11-26")
    covtasks("badge", "--date", "2026-11-26")
    assert (root / ".ldres/badges/coverage.svg").is_file()


def _sdist_names(tmp_path: Path) -> set[str]:
    """The files of the sdist built from this tree, relative to its top folder."""
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "sdist", "-d", str(tmp_path)],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    (sdist,) = tmp_path.glob("covtasks-*.tar.gz")
    with tarfile.open(sdist) as archive:
        return {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}


def test_sdist_ships_the_license_the_readme_and_the_entry_template(tmp_path: Path) -> None:
    names = _sdist_names(tmp_path)
    assert {"LICENSE", "README.md", "pyproject.toml", "templates/entry.md"} <= names


def test_sdist_ships_every_top_level_package_its_tests_import(tmp_path: Path) -> None:
    names = _sdist_names(tmp_path)
    imported = set()
    for test_file in (REPO / "tests").glob("*.py"):
        for node in ast.walk(ast.parse(test_file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                imported.add(node.module.split(".")[0])
            elif isinstance(node, ast.Import):
                imported.update(alias.name.split(".")[0] for alias in node.names)
    ours = {name for name in imported if (REPO / name / "__init__.py").is_file()}
    assert ours >= {"covtasks", "tests"}
    assert {name for name in ours if f"{name}/__init__.py" not in names} == set()


def test_sdist_ships_the_demo_whole_or_not_at_all(tmp_path: Path) -> None:
    if not (REPO / ".git").exists():
        pytest.skip("needs the repository's git checkout to list the demo's files")
    demo = set(
        subprocess.run(
            ["git", "ls-files", "examples"], cwd=REPO, check=True, capture_output=True, text=True
        ).stdout.split()
    )
    shipped = {name for name in _sdist_names(tmp_path) if name.startswith("examples/")}
    assert demo
    assert shipped in (set(), demo)
