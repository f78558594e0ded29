"""Time covtasks commands and their floors as subprocesses, interleaved, with medians and RSS."""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.generate import ENTRIES_DATE, GeneratedRepo, Kind, generate

SYNC_DATE = "2025-10-02"
BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Scenario:
    name: str
    modules: int
    entries: int
    kind: Kind
    # coverage.py's own commands are the slowest cases by far; each scenario times only the
    # ones its targets compare against, so a full run stays well under twenty minutes.
    coverage_floors: tuple[str, ...] = ()
    # The covtasks cases this scenario times (all of them when empty).
    only: tuple[str, ...] = ()


SYNC_CASES = ("sync (creates entries)", "sync (no-op)")
# The 5k creating sync has no sources: a JSON report read where the modules are not,
# so the notes say only line numbers. The same sync with the sources (notes analysed) is
# timed beside it.
NO_SOURCES = "sync (creates entries, no sources)"
# The no-op sync when no earlier sync kept the file's layout (the first after a change).
UNKEPT = "sync (no-op, layout not kept)"
FULL = (
    Scenario("json-5k", 5_000, 2_000, "json", ("report",)),
    Scenario("json-10k", 10_000, 4_000, "json"),
    # A task file of about 20 MB, nearly all covtasks entries, 200 KB of people's text.
    Scenario("json-20mb", 18_000, 18_000, "json", only=("sync (no-op)",)),
    Scenario(
        "sqlite-300", 300, 120, "sqlite", ("report", "json"), (*SYNC_CASES, "report", "check")
    ),
)
QUICK = (
    Scenario("json-small", 200, 80, "json", ("report", "json")),
    Scenario("json-small-x2", 400, 160, "json"),
    Scenario(
        "sqlite-small", 100, 40, "sqlite", ("report", "json"), (*SYNC_CASES, "report", "check")
    ),
)


@dataclass(frozen=True)
class Measurement:
    seconds: float
    max_rss_kb: int
    returncode: int
    cpu_seconds: float = 0.0  # the child's user + system time


# The spawner is a small process started before the runner grows: Linux carries a process's
# peak RSS across fork and exec, so children forked from the big runner would all report the
# runner's own size as their peak. Children of this small process report their true peak.
SPAWNER = """
import json, os, sys, time
for line in sys.stdin:
    job = json.loads(line)
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            os.chdir(job["cwd"])
            null = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(null, fd)
            os.execv(job["argv"][0], job["argv"])
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    print(json.dumps([seconds, usage.ru_maxrss, code, cpu]), flush=True)
"""


class Spawner:
    """Runs commands from a small helper process: wall and CPU time, peak RSS, exit code."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-S", "-c", SPAWNER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def measure(self, command: list[str], cwd: Path) -> Measurement:
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.process.stdin.write(json.dumps({"argv": command, "cwd": str(cwd)}) + "\n")
        self.process.stdin.flush()
        seconds, max_rss_kb, code, cpu = json.loads(self.process.stdout.readline())
        return Measurement(seconds, max_rss_kb, code, cpu)

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait()


_SPAWNERS: list[Spawner] = []


def measure(command: list[str], cwd: Path) -> Measurement:
    """Run one command: wall time from fork to reaped, peak RSS from the child's rusage."""
    if not _SPAWNERS:
        _SPAWNERS.append(Spawner())
    return _SPAWNERS[0].measure(command, cwd)


@dataclass
class Case:
    """A timed command, what to do before each run, and what to check after it."""

    scenario: str
    name: str
    command: list[str]
    cwd: Path
    prepare: Callable[[], None] = lambda: None
    verify: Callable[[Measurement], str | None] = lambda _m: None
    ok_codes: tuple[int, ...] = (0,)
    runs: list[Measurement] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def run_once(self) -> None:
        self.prepare()
        result = measure(self.command, self.cwd)
        if result.returncode not in self.ok_codes:
            self.problems.append(f"exit {result.returncode}")
        problem = self.verify(result)
        if problem:
            self.problems.append(problem)
        self.runs.append(result)

    @property
    def median(self) -> float:
        return statistics.median(run.seconds for run in self.runs)

    @property
    def cpu_median(self) -> float:
        """CPU seconds: what ratios compare, steadier than wall time on a shared machine."""
        return statistics.median(run.cpu_seconds for run in self.runs)

    @property
    def peak_mb(self) -> float:
        return max(run.max_rss_kb for run in self.runs) / 1024


def covtasks_has(command: str) -> str | None:
    """The command's help text, or None when this covtasks has no such command yet."""
    done = subprocess.run(
        [str(BIN / "covtasks"), command, "--help"], capture_output=True, text=True, check=False
    )
    return done.stdout if done.returncode == 0 else None


class Snapshot:
    """A saved copy of the task file, put back before runs that need that exact content."""

    def __init__(self, tasks: Path, saved: Path) -> None:
        self.tasks = tasks
        self.saved = saved
        shutil.copyfile(tasks, saved)

    def restore(self) -> None:
        shutil.copyfile(self.saved, self.tasks)

    def restore_if_changed(self) -> None:
        if self.tasks.read_bytes() != self.saved.read_bytes():
            self.restore()


def no_sources_case(scenario: str, repo: GeneratedRepo, bare: Path, pristine: Path) -> Case:
    """The creating sync in a project holding only the configuration and the task file: the
    report names modules whose sources are not there."""
    (bare / ".ldres").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(repo.root / "pyproject.toml", bare / "pyproject.toml")
    tasks = bare / repo.tasks.relative_to(repo.root)
    sync = [str(BIN / "covtasks"), "sync", "--coverage", str(repo.json_report)]

    def before() -> None:
        shutil.copyfile(pristine, tasks)

    def after(_m: Measurement) -> str | None:
        text = tasks.read_text(encoding="utf-8")
        if text == pristine.read_text(encoding="utf-8"):
            return "no change"
        return None if "no source to analyse" in text else "sources were read"

    return Case(scenario, NO_SOURCES, [*sync, "--date", SYNC_DATE], bare, before, after)


def unkept_case(
    scenario: str,
    repo: GeneratedRepo,
    sync: list[str],
    before_noop: Callable[[], None],
    after_noop: Callable[[Measurement], str | None],
) -> Case:
    """The no-op sync that finds no kept layout and locates the file (the first after a change).

    The layouts the other cases use are put aside for it and back after it.
    """
    layouts = repo.root / ".cache" / "covtasks" / "layouts"
    aside = repo.root / ".bench" / "layouts-aside"

    def before() -> None:
        before_noop()
        shutil.rmtree(aside, ignore_errors=True)
        if layouts.exists():
            layouts.rename(aside)

    def after(measured: Measurement) -> str | None:
        problem = after_noop(measured)
        kept = layouts.exists()
        shutil.rmtree(layouts, ignore_errors=True)
        if aside.exists():
            aside.rename(layouts)
        return problem or (None if kept else "no layout kept")

    return Case(scenario, UNKEPT, sync, repo.root, before, after)


def build_cases(scenario: Scenario, repo: GeneratedRepo, notes: list[str]) -> list[Case]:
    covtasks = str(BIN / "covtasks")
    data = repo.json_report if repo.kind == "json" else repo.sqlite_data
    sync = [covtasks, "sync", "--coverage", str(data), "--date", SYNC_DATE]
    work = repo.root / ".bench"
    work.mkdir(exist_ok=True)
    pristine = Snapshot(repo.tasks, work / "tasks-pristine.md")
    subprocess.run(sync, cwd=repo.root, check=True, capture_output=True)
    synced = Snapshot(repo.tasks, work / "tasks-synced.md")
    before: dict[str, tuple[int, int]] = {}

    def stat_key() -> tuple[int, int]:
        info = repo.tasks.stat()
        return info.st_ino, info.st_mtime_ns

    def before_noop() -> None:
        synced.restore_if_changed()
        before["noop"] = stat_key()

    def after_noop(_m: Measurement) -> str | None:
        return "task file rewritten" if stat_key() != before["noop"] else None

    def after_create(_m: Measurement) -> str | None:
        return None if repo.tasks.read_bytes() != pristine.saved.read_bytes() else "no change"

    s = scenario.name
    floor_script = (
        "import json, sys; json.load(open(sys.argv[1], encoding='utf-8')); "
        "t = open(sys.argv[2], encoding='utf-8').read(); "
        "open(sys.argv[3], 'w', encoding='utf-8').write(t)"
    )
    coverage = str(BIN / "coverage")
    report = [covtasks, "report", "--format", "json", "--coverage", str(data)]
    floor = [sys.executable, "-c", floor_script, str(repo.json_report), str(synced.saved)]
    cases = [
        Case(s, "sync (creates entries)", sync, repo.root, pristine.restore, after_create),
        Case(s, "sync (no-op)", sync, repo.root, before_noop, after_noop),
        unkept_case(s, repo, sync, before_noop, after_noop),
        *(
            [no_sources_case(s, repo, work / "no-sources", pristine.saved)]
            if repo.kind == "json"
            else []
        ),
        Case(s, "sync --check", [*sync, "--check"], repo.root, synced.restore_if_changed),
        Case(s, "report --format json", report, repo.root),
        Case(
            s,
            "floor: python + json.load + task file r/w",
            [*floor, str(work / "floor-copy.md")],
            repo.root,
            synced.restore_if_changed,
        ),
    ]
    if "report" in scenario.coverage_floors:
        cases.append(
            Case(s, "floor: coverage report", [coverage, "report"], repo.root, ok_codes=(0, 2))
        )
    if "json" in scenario.coverage_floors:
        cases.append(
            Case(
                s,
                "floor: coverage json",
                [coverage, "json", "-o", str(work / "floor.json")],
                repo.root,
                ok_codes=(0, 2),
            )
        )
    if repo.kind == "sqlite":
        # coverage.py's own report is the floor here: the table, not JSON.
        cases.insert(3, Case(s, "report", [covtasks, "report", "--coverage", str(data)], repo.root))
    check_help = covtasks_has("check")
    if check_help is None:
        notes.append(f"{s}: `covtasks check` does not exist yet; skipped")
    else:
        command = [covtasks, "check", "--coverage", str(data)]
        if "--base" in check_help:
            command += ["--base", "HEAD~1"]
        check = Case(s, "check", command, repo.root, synced.restore_if_changed, ok_codes=(0, 1))
        cases.insert(4, check)
    if scenario.only:
        wanted = set(scenario.only)
        cases = [case for case in cases if case.name in wanted or case.name.startswith("floor")]
    if repo.kind == "sqlite":
        # The python floor reads a JSON report the SQLite scenario's targets never compare to.
        cases = [case for case in cases if case.name != "floor: python + json.load + task file r/w"]
    return cases


def example_cases(work: Path, log: Callable[[str], None]) -> list[Case]:
    """`covtasks report` against `coverage report` on the example project, after its tests ran."""
    root = work / "example"
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(Path(__file__).parent.parent / "examples" / "demo", root)
    shutil.rmtree(root / ".cache", ignore_errors=True)
    run = [sys.executable, "-m", "coverage", "run", "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    subprocess.run([*run, "tests"], cwd=root, check=False, capture_output=True)
    log("example project measured")
    name = "example"
    return [
        Case(name, "report", [str(BIN / "covtasks"), "report"], root, ok_codes=(0, 1)),
        Case(
            name, "floor: coverage report", [str(BIN / "coverage"), "report"], root, ok_codes=(0, 2)
        ),
    ]


def machine() -> dict[str, str]:
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    version = subprocess.run(
        [str(BIN / "covtasks"), "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    from coverage.version import __version__ as coverage_version

    return {
        "platform": platform.platform(),
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "python": platform.python_version(),
        "covtasks": version or "unknown",
        "coverage.py": coverage_version,
    }


def prepare(scenarios: tuple[Scenario, ...], work: Path, seed: int, log: Callable[[str], None]):
    """Generate every scenario's repository; returns (scenario, repo, generation seconds)."""
    from benchmarks.calibrate import calibrate

    compile_covtasks(log)
    calibration = calibrate()
    repos = []
    for scenario in scenarios:
        start = time.perf_counter()
        repo = generate(
            work / scenario.name,
            scenario.modules,
            scenario.entries,
            scenario.kind,
            seed,
            git=True,
            calibration=calibration,
        )
        log(f"generated {scenario.name} in {time.perf_counter() - start:.1f}s")
        repos.append((scenario, repo))
    return repos


def compile_covtasks(log: Callable[[str], None]) -> None:
    """covtasks' bytecode, as an installed package has it (pip compiles on install).

    An editable checkout run with PYTHONDONTWRITEBYTECODE (this machine sets it) would
    compile every module it imports on every run, while coverage.py's installed modules
    load their bytecode: that would time the compiler, not covtasks.
    """
    import compileall

    import covtasks

    compileall.compile_dir(Path(covtasks.__file__).parent, quiet=1)
    log("covtasks bytecode compiled")


def run_rounds(cases: list[Case], rounds: int, log: Callable[[str], None]) -> None:
    """Each round runs every case once; the order rotates so no case always runs first."""
    for index in range(rounds):
        shift = index % len(cases)
        order = cases[shift:] + cases[:shift]
        start = time.perf_counter()
        for case in order:
            case.run_once()
        log(f"round {index + 1}/{rounds} in {time.perf_counter() - start:.1f}s")


__all__ = [
    "ENTRIES_DATE",
    "FULL",
    "QUICK",
    "Case",
    "Scenario",
    "build_cases",
    "example_cases",
    "machine",
]
