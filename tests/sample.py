"""Builders for real sample projects measured by a real coverage.py run in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_PYPROJECT = """\
[tool.coverage.run]
branch = true
source = ["pkg"]
data_file = ".cache/coverage/coverage.sqlite"
"""


@dataclass
class SampleProject:
    """A folder holding a small package, a driver script and coverage data about it."""

    root: Path

    def write(self, relative: str, text: str) -> Path:
        """Write a file (dedented) below the project root, creating folders."""
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def coverage(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run the real ``coverage`` command line in the project folder."""
        return subprocess.run(
            [sys.executable, "-m", "coverage", *args],
            cwd=self.root,
            capture_output=True,
            text=True,
            check=True,
        )

    def measure(self, driver: str, *extra: str) -> None:
        """Run ``driver`` (Python source) under ``coverage run`` with the project's config."""
        self.write("driver.py", driver)
        self.coverage("run", *extra, "driver.py")

    def json_report(self, *extra: str) -> dict[str, Any]:
        """What ``coverage json`` says about the current data, read back as a dict."""
        out = self.root / "coverage-truth.json"
        self.coverage("json", "-o", str(out), *extra)
        data: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
        out.unlink()
        return data


def make_project(
    root: Path, files: dict[str, str], pyproject: str = DEFAULT_PYPROJECT
) -> SampleProject:
    """A sample project with ``files`` written and ``pyproject`` as its configuration."""
    project = SampleProject(root)
    project.write("pyproject.toml", pyproject)
    for relative, text in files.items():
        project.write(relative, text)
    return project


def git(root: Path, *args: str) -> str:
    """Run the real ``git`` command line in ``root``; its standard output."""
    done = subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True)
    return done.stdout


def init_repo(root: Path) -> None:
    """A git repository on ``main`` with a committer set and no signing, in ``root``."""
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.email", "dev@example.invalid")
    git(root, "config", "user.name", "Dev")
    git(root, "config", "commit.gpgsign", "false")
