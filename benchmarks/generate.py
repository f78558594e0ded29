"""Synthetic repositories: N modules of real Python, coverage data of either kind, a task file.

``python -m benchmarks.generate ROOT --modules N --entries M --kind json|sqlite --seed S``
builds one by hand; the runner calls :func:`generate`.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from coverage.data import CoverageData
from coverage.results import Numbers

from benchmarks.calibrate import (
    Block,
    Calibration,
    Lines,
    calibrate,
    compose_arcs,
    compose_lines,
    file_json,
    summary,
)
from benchmarks.humantext import AREAS, PEOPLE, human_task_file
from benchmarks.templates import (
    BLOCK_GAP,
    COVERABLE,
    DRIVER_PRELUDE,
    HEADER,
    HEADER_LINES,
    TEMPLATES,
    driver_calls,
    scenario_names,
)

Kind = Literal["sqlite", "json"]
PRECISION = 2
MODULES_PER_FOLDER = 25
SUBFOLDERS = ("core", "readers", "writers", "api", "jobs", "util", "models", "adapters")
TASKS = ".ldres/tv-tasks.md"
JSON_REPORT = ".cache/coverage/coverage.json"
SQLITE_DATA = ".cache/coverage/coverage.sqlite"
ENTRIES_DATE = "2025-10-01"
REPORT_TIMESTAMP = "2025-10-01T12:00:00.000000"


@dataclass(frozen=True)
class ModulePlan:
    path: str  # relative, e.g. pkg/billing/core/mod_0007.py
    imported: bool
    blocks: tuple[Block, ...]


@dataclass
class GeneratedRepo:
    """Where a generated repository keeps its parts."""

    root: Path
    kind: Kind
    modules: list[ModulePlan]
    json_report: Path  # always present: the kind's report, or coverage json of the SQLite data
    sqlite_data: Path  # real coverage.py data (driver run, or arcs composed via CoverageData)
    tasks: Path
    entries: int = 0
    notes: list[str] = field(default_factory=list)


def module_path(index: int) -> str:
    folder = index // MODULES_PER_FOLDER
    area = AREAS[folder // len(SUBFOLDERS) % len(AREAS)]
    area_round = folder // (len(SUBFOLDERS) * len(AREAS))
    if area_round:
        area = f"{area}{area_round + 1}"
    return f"pkg/{area}/{SUBFOLDERS[folder % len(SUBFOLDERS)]}/mod_{index:05d}.py"


def plan_module(index: int, seed: int) -> ModulePlan:
    """Choose templates and scenarios for module ``index`` (independent of N, so N grows)."""
    rng = random.Random(f"module:{seed}:{index}")
    roll = rng.random()
    imported = roll >= 0.05
    full = 0.05 <= roll < 0.20
    pool = COVERABLE if full else TEMPLATES
    templates = [rng.choice(pool) for _ in range(rng.randint(3, 7))]
    line = HEADER_LINES + 1
    blocks = []
    used: dict[str, int] = {}
    for template in templates:
        base = rng.choice(template.names)
        used[base] = used.get(base, 0) + 1
        name = base if used[base] == 1 else f"{base}{used[base]}"
        scenario = "full" if full else rng.choice(scenario_names(template))
        line += BLOCK_GAP.count("\n")
        blocks.append(Block(template, name, scenario, line))
        line += template.source.count("\n")
    return ModulePlan(module_path(index), imported, tuple(blocks))


def module_source(plan: ModulePlan) -> str:
    dotted = plan.path.removesuffix(".py").replace("/", ".")
    doc = f"{dotted.split('.')[-2].capitalize()} helpers for `{dotted.split('.')[1]}`."
    text = HEADER.replace("{doc}", doc).replace("{dotted}", dotted)
    for block in plan.blocks:
        text += BLOCK_GAP + block.template.render(block.name)
    return text


def package_inits(plans: list[ModulePlan]) -> list[str]:
    folders = {str(Path(p.path).parent) for p in plans}
    for folder in list(folders):
        parts = Path(folder).parts
        folders.update(str(Path(*parts[:i])) for i in range(1, len(parts)))
    return sorted(f"{folder}/__init__.py" for folder in folders)


def pyproject(kind: Kind) -> str:
    coverage = JSON_REPORT if kind == "json" else SQLITE_DATA
    owners = "".join(
        f'\n[[tool.covtasks.owners]]\npattern = "pkg/{area}/**"\n'
        f'owner = "{PEOPLE[i % len(PEOPLE)]}"\n'
        for i, area in enumerate(AREAS[:6])
    )
    return f"""\
[project]
name = "bench-pkg"
version = "0.0.0"

[tool.coverage.run]
branch = true
source = ["pkg"]
data_file = "{SQLITE_DATA}"

[tool.coverage.report]
precision = {PRECISION}

[tool.covtasks]
tasks = "{TASKS}"
coverage = "{coverage}"
default_owner = "tv"
{owners}
[[tool.covtasks.milestones]]
name = "Core deterministic modules"
modules = ["pkg/*/core/**", "pkg/*/models/**"]
gate = 95.0

[[tool.covtasks.milestones]]
name = "Readers and writers"
modules = ["pkg/*/readers/**", "pkg/*/writers/**"]
gate = 99.0
"""


def compose_report(cal: Calibration, plans: list[ModulePlan], inits: list[str]) -> dict[str, Any]:
    """The ``coverage json`` report coverage.py writes for the plans' driver run."""
    files: dict[str, tuple[dict[str, Any], Numbers]] = {}
    for plan in plans:
        lines, regions = compose_lines(cal, list(plan.blocks), plan.imported)
        files[plan.path] = file_json(lines, regions, cal.precision)
    for init in inits:
        files[init] = file_json(Lines(), [], cal.precision)
    total = Numbers(precision=cal.precision)
    for _, nums in files.values():
        total += nums
    return {
        "meta": {
            "format": 3,
            "version": _coverage_version(),
            "timestamp": REPORT_TIMESTAMP,
            "branch_coverage": True,
            "show_contexts": False,
        },
        "files": {path: files[path][0] for path in sorted(files)},
        "totals": summary(total),
    }


def _coverage_version() -> str:
    from coverage.version import __version__

    return __version__


def write_composed_sqlite(
    cal: Calibration, root: Path, plans: list[ModulePlan], inits: list[str]
) -> None:
    """Real coverage.py data for the plans, written with coverage.py's own CoverageData API."""
    path = root / SQLITE_DATA
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    data = CoverageData(str(path))
    data.add_arcs(
        {
            str((root / plan.path).resolve()): compose_arcs(cal, list(plan.blocks))
            for plan in plans
            if plan.imported
        }
    )
    untouched = [p.path for p in plans if not p.imported] + inits
    data.touch_files([str((root / p).resolve()) for p in untouched])
    data.write()


def driver_source(plans: list[ModulePlan]) -> str:
    lines = [DRIVER_PRELUDE]
    for plan in plans:
        if plan.imported:
            dotted = plan.path.removesuffix(".py").replace("/", ".")
            lines.append(f"m = importlib.import_module({dotted!r})")
            for block in plan.blocks:
                lines.extend(driver_calls(block.template, block.scenario, block.name))
    return "\n".join(lines) + "\n"


def run_driver(root: Path, plans: list[ModulePlan]) -> None:
    """The honest way: run a driver under the real ``coverage run``, then ``coverage json``."""
    driver = root / ".bench" / "driver.py"
    driver.parent.mkdir(parents=True, exist_ok=True)
    driver.write_text(driver_source(plans), encoding="utf-8")
    coverage = [sys.executable, "-m", "coverage"]
    subprocess.run([*coverage, "erase"], cwd=root, check=True, capture_output=True)
    subprocess.run([*coverage, "run", str(driver)], cwd=root, check=True, capture_output=True)
    subprocess.run(
        [*coverage, "json", "-o", JSON_REPORT], cwd=root, check=True, capture_output=True
    )


def covtasks_executable() -> Path:
    return Path(sys.executable).with_name("covtasks")


def create_entries(repo: GeneratedRepo, report: dict[str, Any], count: int) -> int:
    """Let the real ``covtasks sync`` file entries for the first ``count`` gaps."""
    below = [p for p, f in report["files"].items() if f["summary"]["percent_covered"] < 100]
    chosen = set(below[:count])
    subset = dict(report, files={p: f for p, f in report["files"].items() if p in chosen})
    scratch = repo.root / ".bench" / "subset.json"
    scratch.parent.mkdir(parents=True, exist_ok=True)
    scratch.write_text(json.dumps(subset), encoding="utf-8")
    command = [str(covtasks_executable()), "sync", "--coverage", str(scratch)]
    command += ["--date", ENTRIES_DATE]
    subprocess.run(command, cwd=repo.root, check=True, capture_output=True)
    return len(chosen)


def init_git(root: Path, changed: list[ModulePlan]) -> None:
    """Commit everything, then change a few modules in a second commit (for ``check``)."""
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com"]

    def run(*args: str) -> None:
        subprocess.run([*git, *args], cwd=root, check=True, capture_output=True)

    run("init", "-q", "-b", "main")
    (root / ".gitignore").write_text(".bench/\n.bench-cache/\n", encoding="utf-8")
    run("add", "-A")
    run("commit", "-q", "-m", "base")
    for plan in changed:
        with (root / plan.path).open("a", encoding="utf-8") as handle:
            handle.write("# touched by the second commit\n")
    run("add", "-A")
    run("commit", "-q", "-m", "change")


def generate(
    root: Path,
    modules: int,
    entries: int,
    kind: Kind,
    seed: int,
    *,
    git: bool = False,
    calibration: Calibration | None = None,
) -> GeneratedRepo:
    """Write a synthetic repository into ``root`` (emptied first) and return its layout."""
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    cal = calibration or calibrate(PRECISION)
    plans = [plan_module(index, seed) for index in range(modules)]
    inits = package_inits(plans)
    for plan in plans:
        path = root / plan.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(module_source(plan), encoding="utf-8")
    for init in inits:
        name = init.removesuffix("/__init__.py").replace("/", ".")
        (root / init).write_text(f'"""Package {name}."""\n', encoding="utf-8")
    (root / "pyproject.toml").write_text(pyproject(kind), encoding="utf-8")
    tasks = root / TASKS
    tasks.parent.mkdir(parents=True, exist_ok=True)
    tasks.write_text(human_task_file(seed), encoding="utf-8")
    repo = GeneratedRepo(root, kind, plans, root / JSON_REPORT, root / SQLITE_DATA, tasks)
    if kind == "sqlite":
        run_driver(root, plans)
        report = json.loads(repo.json_report.read_text(encoding="utf-8"))
    else:
        report = compose_report(cal, plans, inits)
        repo.json_report.parent.mkdir(parents=True, exist_ok=True)
        repo.json_report.write_text(json.dumps(report), encoding="utf-8")
        write_composed_sqlite(cal, root, plans, inits)
    if entries:
        repo.entries = create_entries(repo, report, entries)
    if git:
        init_git(root, plans[:: max(1, modules // 20)])
    return repo


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("root", type=Path)
    parser.add_argument("--modules", type=int, default=50)
    parser.add_argument("--entries", type=int, default=0)
    parser.add_argument("--kind", choices=("json", "sqlite"), default="json")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--git", action="store_true")
    args = parser.parse_args(argv)
    repo = generate(args.root, args.modules, args.entries, args.kind, args.seed, git=args.git)
    print(f"{repo.root}: {len(repo.modules)} modules, {repo.entries} entries, {repo.kind}")


if __name__ == "__main__":
    main()
