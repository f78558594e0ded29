"""``make corpus``: fetch the pinned sdists, run each suite under coverage, sync and report.

Everything lands in ``.cache/corpus/``: ``downloads/`` (the verified sdists), one folder
per project (``src/``: the unpacked sources with their ``.coverage`` data, its
``coverage.json`` report and the task file covtasks wrote; ``venv/``; ``report-group.md``),
and ``metrics.md`` (see ``corpus/metrics.py``). A second run reuses downloads and venvs.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

from corpus.metrics import write_metrics
from corpus.projects import PROJECTS, Project

CACHE = Path(".cache/corpus")
DATE = "2026-11-30"  # a fixed date: the same corpus writes the same task files


def main() -> int:
    CACHE.mkdir(parents=True, exist_ok=True)
    covtasks = Path(sys.executable).with_name("covtasks")
    for project in PROJECTS:
        print(f"== {project.folder}: {project.why}", flush=True)
        source = unpack(project, download(project))
        python = environment(project, source)
        measure(project, source, python)
        sync_and_report(project, source, covtasks)
    write_metrics(CACHE, PROJECTS)
    print(f"results: {CACHE}/metrics.md and {CACHE}/<project>/report-group.md")
    return 0


def download(project: Project) -> Path:
    """The sdist from PyPI (pip's ordinary client), checked against its pinned sha256."""
    folder = CACHE / "downloads"
    archive = folder / f"{project.folder}.tar.gz"
    if not archive.exists():
        run(
            sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
            "--no-binary", ":all:", "--dest", str(folder), f"{project.name}=={project.version}",
        )  # fmt: skip
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    if digest != project.sha256:
        raise SystemExit(f"error: {archive}: sha256 {digest}, expected {project.sha256}")
    return archive


def unpack(project: Project, archive: Path) -> Path:
    """A fresh copy of the sources (earlier results and task files go)."""
    source = CACHE / project.folder / "src"
    shutil.rmtree(source, ignore_errors=True)
    source.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive) as sdist:
        sdist.extractall(source.parent, filter="data")
    (source.parent / project.folder).rename(source)
    if not (source / "pyproject.toml").exists():
        # covtasks' project root is the folder of the nearest pyproject.toml.
        (source / "pyproject.toml").write_text("[tool.covtasks]\n", encoding="utf-8")
    return source


def environment(project: Project, source: Path) -> Path:
    """The project's own virtual environment with its pinned test requirements."""
    venv = CACHE / project.folder / "venv"
    python = venv / "bin" / "python"
    stamp = venv / ".corpus-installed"
    if not stamp.exists():
        run(sys.executable, "-m", "venv", "--clear", str(venv))
        run(str(python), "-m", "pip", "install", "--quiet", *project.needs)
    # Editable, so coverage measures the unpacked sources covtasks reads.
    run(str(python), "-m", "pip", "install", "--quiet", "--no-deps", "-e", str(source))
    stamp.touch()
    return python


def measure(project: Project, source: Path, python: Path) -> None:
    """The project's own suite under branch coverage, into ``<source>/.coverage``."""
    env = {**os.environ, "COVERAGE_FILE": str((source / ".coverage").resolve())}
    subprocess.run(
        [
            str(python.absolute()), "-m", "coverage", "run", "--branch",
            f"--source={project.package}", "-m", "pytest", "-q", "-p", "no:cacheprovider",
            project.tests,
        ],
        cwd=source, env=env, check=False,
    )  # fmt: skip
    # Failing tests are the project's own business: the data is what they ran. A JSON
    # report, made with the project's own configuration and plugins, is what covtasks reads.
    subprocess.run(
        [str(python.absolute()), "-m", "coverage", "json", "-q", "-o", "coverage.json"],
        cwd=source, env=env, check=False,  # a project's fail_under is no failure here
    )  # fmt: skip
    if not (source / "coverage.json").exists():
        raise SystemExit(f"error: {source}: coverage wrote no JSON report")


def sync_and_report(project: Project, source: Path, covtasks: Path) -> None:
    common = ["-C", str(source)]
    run(str(covtasks), *common, "sync", "--date", DATE, "--coverage", "coverage.json")
    report = subprocess.run(
        [str(covtasks), *common, "report", "--format", "markdown", "--group",
         "--coverage", "coverage.json"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    (CACHE / project.folder / "report-group.md").write_text(report.stdout, encoding="utf-8")


def run(*command: str) -> None:
    subprocess.run(command, check=True)


if __name__ == "__main__":
    raise SystemExit(main())
