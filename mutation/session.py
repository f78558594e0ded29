"""The shell around cosmic-ray: one module's run in its own copy of the project, then its score."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
import tomllib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from cosmic_ray.work_db import WorkDB, use_db
from cosmic_ray.work_item import TestOutcome, WorkerOutcome, WorkResult

from mutation.mutants import Mutant, MutantKey, annotation_spans, in_annotation, keys_of, sample
from mutation.score import ModuleScore, Outcome, score_module
from mutation.stages import DURATIONS, RECORD, SERVER, TIMEOUT, split_stages
from mutation.testmap import ModulePlan, is_cli_test, own_tests

# What a copy of the project leaves out: caches, the environment, other runs' copies.
_NOT_COPIED = shutil.ignore_patterns(
    ".git", ".venv", ".cache", ".hypothesis", ".mypy_cache", ".ruff_cache", "__pycache__", "*.pyc"
)


_PRISTINE = "module-before-mutation.py.txt"
_ELAPSED = "seconds-of-the-full-run.txt"


@dataclass(frozen=True)
class Survivor:
    """A mutant no test killed: its name and the change it made."""

    key: MutantKey
    line: int
    diff: str


@dataclass(frozen=True)
class ModuleRun:
    score: ModuleScore
    survivors: tuple[Survivor, ...]
    log: Path


def stages_of(plan: ModulePlan) -> list[list[str]]:
    """Own tests, then the other non-CLI tests, then the CLI tests."""
    own = [name for name in plan.tests if name in own_tests(plan.module)]
    rest = [name for name in plan.tests if name not in own and not is_cli_test(name)]
    cli = [name for name in plan.tests if name not in own and is_cli_test(name)]
    return [stage for stage in (own, rest, cli) if stage]


def test_command(plan: ModulePlan) -> list[str]:
    command = [sys.executable, "-m", "mutation.stages"]
    for index, stage in enumerate(stages_of(plan)):
        command.extend(["--", *stage] if index else stage)
    return command


def run_module(
    plan: ModulePlan,
    root: Path,
    work: Path,
    sample_size: int,
    recorded: Sequence[MutantKey],
    server: Path | None = None,
    nice: int = 5,
    recheck: bool = False,
    resume: bool = False,
    shard: tuple[int, int] = (0, 1),
    carry: bool = False,
) -> ModuleRun:
    """Copy the project, make the module's mutants, run the chosen ones, score the result.

    Recorded equivalents are not run unless ``recheck``: each one survives by definition,
    so it would cost a run of every listed test file. With ``resume`` and an earlier run of
    the unchanged module, only its survivors run again, against the current tests.
    """
    started = time.monotonic()
    copy = work / plan.module.replace("/", "-").removesuffix(".py")
    index, shards = shard
    if shards > 1:
        copy = copy.with_name(f"{copy.name}-shard{index}of{shards}")
    if resume and _resumable(copy, root, plan.module):
        return _rerun_survivors(
            plan, root, copy, sample_size, recorded, server, nice, started, shard
        )
    if resume:
        print(f"  {plan.module}: no earlier run of this very module to resume: a full run")
    # Read before the copy goes: the earlier runs' kills, for a run that carries them over.
    earlier, earlier_sizes = _earlier_kills(work, plan.module) if carry else (set(), Counter())
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(root, copy, ignore=_NOT_COPIED)
    log = copy / "mutation.log"
    command = test_command(plan)
    assert split_stages(command[3:])  # every plan has tests
    env = {**os.environ, "PYTHONPATH": str(copy)}
    if server is not None:
        env[SERVER] = str(server)
        env[DURATIONS] = str(copy / "durations.json")
    baseline = _timed_baseline(command, copy, log, {**env, RECORD: "1"})
    # Generous: a timeout counts as a kill, and the machine may be busy with other work.
    timeout = max(60.0, 2 * baseline + 30)
    env[TIMEOUT] = f"{timeout:.0f}"
    config = copy / "cosmic-ray.toml"
    config.write_text(_config(plan.module, command, timeout), encoding="utf-8")
    session = copy / "session.sqlite"
    _cosmic_ray(["init", str(config), str(session)], copy, log, nice, env)
    source = (copy / plan.module).read_text(encoding="utf-8")
    # The module on disk is mutated while a run goes on: keys are read from this copy.
    (copy / _PRISTINE).write_text(source, encoding="utf-8")
    with use_db(str(session), WorkDB.Mode.open) as db:
        mutants = [_mutant(item, plan.module) for item in db.work_items]
        picked = _selection(mutants, source, sample_size, plan.module, shard, recorded, recheck)
        annotations, candidates, keys = picked.annotations, picked.candidates, picked.keys
        chosen, assumed = picked.chosen, picked.assumed
        skipped = [m.job_id for m in mutants if m.job_id not in chosen or m.job_id in assumed]
        if skipped:
            db.set_multiple_results(skipped, WorkResult(worker_outcome=WorkerOutcome.SKIPPED))
        # Not a full run: a mutant an earlier run killed, named alike (operator, line text,
        # index), is taken as killed again; only the new, changed and surviving ones run.
        # A line whose text now repeats more or less often renumbers its mutants: run those.
        sizes = Counter((key.operator, key.line) for key in keys.values())
        carried = [
            job
            for job in chosen - assumed
            if keys[job] in earlier
            and earlier_sizes[(keys[job].operator, keys[job].line)]
            == sizes[(keys[job].operator, keys[job].line)]
        ]
        if carried:
            db.set_multiple_results(carried, _CARRIED)
            print(f"  {plan.module}: {len(carried)} of {len(chosen)} carried over", flush=True)
    _cosmic_ray(["exec", str(config), str(session)], copy, log, nice, env)
    (copy / _ELAPSED).write_text(f"{time.monotonic() - started:.0f}", encoding="utf-8")
    return _scored(plan, session, candidates, annotations, chosen, assumed, recorded, started, log)


@dataclass(frozen=True)
class _Selection:
    """A session's mutants sorted for one run: which are annotations, which can run, which
    of those this run takes, and which of those are recorded equivalents (not run)."""

    annotations: list[Mutant]
    candidates: list[Mutant]
    keys: dict[str, MutantKey]
    chosen: set[str]
    assumed: set[str]


def _selection(
    mutants: list[Mutant],
    source: str,
    sample_size: int,
    module: str,
    shard: tuple[int, int],
    recorded: Sequence[MutantKey],
    recheck: bool = False,
) -> _Selection:
    """The same split for a first run and a resumed one, so both run the same mutants."""
    spans = annotation_spans(source)
    annotations = [mutant for mutant in mutants if in_annotation(mutant, spans)]
    candidates = [mutant for mutant in mutants if not in_annotation(mutant, spans)]
    chosen = _chosen(candidates, sample_size, module, shard)
    keys = keys_of(candidates, source)
    accepted = set(recorded)
    assumed = set() if recheck else {job for job in chosen if keys[job] in accepted}
    return _Selection(annotations, candidates, keys, chosen, assumed)


def _chosen(
    candidates: list[Mutant], sample_size: int, module: str, shard: tuple[int, int]
) -> set[str]:
    """The job ids to run: the module's fixed sample, then every n-th of it for a shard."""
    index, shards = shard
    picked = sample(candidates, sample_size, seed=module)
    # A shard takes every n-th of the chosen mutants, in a fixed order (CI runs them apart).
    ordered = sorted(picked, key=lambda m: (m.operator, m.occurrence, m.start, m.end))
    return {m.job_id for number, m in enumerate(ordered) if number % shards == index}


def _scored(
    plan: ModulePlan,
    session: Path,
    candidates: list[Mutant],
    annotations: list[Mutant],
    chosen: set[str],
    assumed: set[str],
    recorded: Sequence[MutantKey],
    started: float,
    log: Path,
    earlier: float = 0.0,
) -> ModuleRun:
    source = (session.parent / _PRISTINE).read_text(encoding="utf-8")
    keys = keys_of(candidates, source)
    by_id = {mutant.job_id: mutant for mutant in candidates}
    # A recorded equivalent not run counts as what it was recorded as: a survivor.
    outcomes: dict[MutantKey, Outcome] = {keys[job]: Outcome.SURVIVED for job in assumed}
    survivors = []
    with use_db(str(session), WorkDB.Mode.open) as db:
        for item, result in db.completed_work_items:
            if item.job_id not in chosen or item.job_id in assumed:
                continue
            outcome = _outcome(result)
            if outcome is None:
                continue
            key = keys[item.job_id]
            outcomes[key] = outcome
            if outcome is Outcome.SURVIVED:
                survivors.append(Survivor(key, by_id[item.job_id].start[0], result.diff or ""))
    score = score_module(
        plan.module,
        outcomes,
        mutants=len(candidates),
        annotations=len(annotations),
        recorded=recorded,
        seconds=earlier + time.monotonic() - started,
        threshold=plan.threshold,
    )
    return ModuleRun(score, tuple(sorted(survivors, key=lambda s: s.line)), log)


_CARRIED = WorkResult(
    worker_outcome=WorkerOutcome.NORMAL,
    test_outcome=TestOutcome.KILLED,
    output="carried over: killed in an earlier run of the module before it changed",
)


def _earlier_kills(work: Path, module: str) -> tuple[set[MutantKey], Counter[tuple[str, str]]]:
    """The keys of the mutants killed in the module's earlier runs, sharded or not, and how
    many mutants each (operator, line text) had then."""
    base = module.replace("/", "-").removesuffix(".py")
    kills: set[MutantKey] = set()
    sizes: Counter[tuple[str, str]] = Counter()
    copies = [work / base, *work.glob(f"{base}-shard*")]
    runs = [c for c in copies if (c / _PRISTINE).exists() and (c / "session.sqlite").exists()]
    if not runs:
        return kills, sizes
    # The latest run, all its shards: copies of the very module it mutated.
    latest = max(runs, key=lambda copy: (copy / "session.sqlite").stat().st_mtime)
    source = (latest / _PRISTINE).read_text(encoding="utf-8")
    for copy in runs:
        if (copy / _PRISTINE).read_text(encoding="utf-8") != source:
            continue
        session = copy / "session.sqlite"
        with use_db(str(session), WorkDB.Mode.open) as db:
            mutants = [_mutant(item, module) for item in db.work_items]
            spans = annotation_spans(source)
            keys = keys_of([m for m in mutants if not in_annotation(m, spans)], source)
            for item, result in db.completed_work_items:
                if item.job_id in keys and _outcome(result) is Outcome.KILLED:
                    kills.add(keys[item.job_id])
        # Every copy of the module holds all its mutants (a shard skips the rest): count once.
        sizes = Counter((key.operator, key.line) for key in keys.values())
    return kills, sizes


def _resumable(copy: Path, root: Path, module: str) -> bool:
    # A run stopped part-way (no elapsed time written) is resumable too: the mutants it did
    # not reach have no result yet, so cosmic-ray runs them along with the survivors.
    pristine = copy / _PRISTINE
    return (
        (copy / "session.sqlite").exists()
        and (copy / "cosmic-ray.toml").exists()
        and pristine.exists()
        and pristine.read_text(encoding="utf-8") == (root / module).read_text(encoding="utf-8")
    )


def _rerun_survivors(
    plan: ModulePlan,
    root: Path,
    copy: Path,
    sample_size: int,
    recorded: Sequence[MutantKey],
    server: Path | None,
    nice: int,
    started: float,
    shard: tuple[int, int],
) -> ModuleRun:
    """Run again, against the current tests, the mutants the earlier run left alive (and
    those an interrupted run never reached)."""
    for folder in ("covtasks", "tests", "mutation", "templates"):
        shutil.copytree(root / folder, copy / folder, ignore=_NOT_COPIED, dirs_exist_ok=True)
    log = copy / "mutation.log"
    session = copy / "session.sqlite"
    source = (copy / _PRISTINE).read_text(encoding="utf-8")
    # An interrupted run may have left a mutant on disk; the module is the unchanged one.
    (copy / plan.module).write_text(source, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(copy)}
    if server is not None:
        env[SERVER] = str(server)
        env[DURATIONS] = str(copy / "durations.json")
    config = copy / "cosmic-ray.toml"
    timeout = tomllib.loads(config.read_text(encoding="utf-8"))["cosmic-ray"]["timeout"]
    env[TIMEOUT] = f"{float(timeout):.0f}"
    # The map may list new test files since (a module's own, written for its survivors).
    config.write_text(_config(plan.module, test_command(plan), float(timeout)), encoding="utf-8")
    with use_db(str(session), WorkDB.Mode.open) as db:
        mutants = [_mutant(item, plan.module) for item in db.work_items]
        results = {item.job_id: result for item, result in db.completed_work_items}
    picked = _selection(mutants, source, sample_size, plan.module, shard, recorded)
    annotations, candidates = picked.annotations, picked.candidates
    chosen, assumed = picked.chosen, picked.assumed
    again = [
        job
        for job in chosen - assumed
        if job not in results or _outcome(results[job]) in (Outcome.SURVIVED, None)
    ]
    with sqlite3.connect(session) as connection:
        connection.executemany("DELETE FROM work_results WHERE job_id = ?", [(j,) for j in again])
    # Not to be run: recorded equivalents, and mutants outside the sample or the shard.
    unrun = [
        m.job_id
        for m in mutants
        if m.job_id not in results and (m.job_id not in chosen or m.job_id in assumed)
    ]
    if unrun:
        with use_db(str(session), WorkDB.Mode.open) as db:
            db.set_multiple_results(unrun, WorkResult(worker_outcome=WorkerOutcome.SKIPPED))
    _cosmic_ray(["exec", str(config), str(session)], copy, log, nice, env)
    elapsed = copy / _ELAPSED
    earlier = float(elapsed.read_text(encoding="utf-8")) if elapsed.exists() else 0.0
    elapsed.write_text(f"{earlier + time.monotonic() - started:.0f}", encoding="utf-8")
    return _scored(
        plan, session, candidates, annotations, chosen, assumed, recorded, started, log, earlier
    )


def _timed_baseline(command: list[str], copy: Path, log: Path, env: Mapping[str, str]) -> float:
    started = time.monotonic()
    with log.open("a", encoding="utf-8") as handle:
        code = subprocess.call(command, cwd=copy, env=env, stdout=handle, stderr=subprocess.STDOUT)
    if code != 0:
        raise RuntimeError(f"the tests fail before any mutation (exit {code}); see {log}")
    return time.monotonic() - started


def _cosmic_ray(
    arguments: list[str], copy: Path, log: Path, nice: int, env: Mapping[str, str]
) -> None:
    program = Path(sys.executable).with_name("cosmic-ray")
    prefix = ["nice", "-n", str(nice)] if nice and shutil.which("nice") else []
    with log.open("a", encoding="utf-8") as handle:
        code = subprocess.call(
            [*prefix, str(program), *arguments],
            cwd=copy,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
    if code != 0:
        raise RuntimeError(f"cosmic-ray {arguments[0]} failed (exit {code}); see {log}")


def _config(module: str, command: list[str], timeout: float) -> str:
    quoted = " ".join(_shell_word(word) for word in command)
    return (
        "[cosmic-ray]\n"
        f'module-path = "{module}"\n'
        f"timeout = {timeout:.0f}.0\n"
        "excluded-modules = []\n"
        f"test-command = {_toml_string(quoted)}\n"
        "\n[cosmic-ray.distributor]\n"
        'name = "local"\n'
    )


def _shell_word(word: str) -> str:
    # cosmic-ray splits the command with shlex; paths here hold no quotes or spaces to escape.
    return f"'{word}'" if " " in word else word


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _mutant(item: object, module: str) -> Mutant:
    (spec,) = item.mutations  # type: ignore[attr-defined]
    return Mutant(
        item.job_id,  # type: ignore[attr-defined]
        module,
        spec.operator_name,
        spec.occurrence,
        tuple(spec.start_pos),
        tuple(spec.end_pos),
    )


def _outcome(result: WorkResult) -> Outcome | None:
    # EXCEPTION: cosmic-ray could not make the mutant (8.7.0's ExceptionReplacer fails on a
    # dotted name such as ``except re.error``); no mutant, so nothing for a test to kill.
    unmade = (WorkerOutcome.SKIPPED, WorkerOutcome.NO_TEST, WorkerOutcome.EXCEPTION)
    if result.worker_outcome in unmade:
        return None
    if result.worker_outcome is not WorkerOutcome.NORMAL:
        return Outcome.ERROR
    if result.test_outcome is TestOutcome.SURVIVED:
        return Outcome.SURVIVED
    if result.test_outcome is TestOutcome.KILLED:
        return Outcome.KILLED
    return Outcome.ERROR


def recorded_for(equivalents: Mapping[MutantKey, object], module: str) -> list[MutantKey]:
    return [key for key in equivalents if key.module == module]


def start_server(socket_path: Path, nice: int = 5) -> subprocess.Popen[bytes] | None:
    """The pytest fork server (POSIX), ready to take requests; None where fork is missing."""
    if not hasattr(os, "fork"):
        return None
    socket_path.parent.mkdir(parents=True, exist_ok=True)
    socket_path.unlink(missing_ok=True)
    prefix = ["nice", "-n", str(nice)] if nice and shutil.which("nice") else []
    process = subprocess.Popen(
        [*prefix, sys.executable, "-m", "mutation.forkserver", str(socket_path)],
        cwd=socket_path.parent,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
    )
    deadline = time.monotonic() + 120
    while not socket_path.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            return None
        time.sleep(0.2)
    return process


def survivors_so_far(copy: Path, module: str) -> list[Survivor]:
    """The survivors recorded in a module's session, finished or not (``python -m mutation
    survivors``): what to look at while a long run goes on."""
    pristine = copy / _PRISTINE
    source = (pristine if pristine.exists() else copy / module).read_text(encoding="utf-8")
    with use_db(str(copy / "session.sqlite"), WorkDB.Mode.open) as db:
        mutants = [_mutant(item, module) for item in db.work_items]
        keys = keys_of(
            [m for m in mutants if not in_annotation(m, annotation_spans(source))], source
        )
        by_id = {mutant.job_id: mutant for mutant in mutants}
        found = [
            Survivor(keys[item.job_id], by_id[item.job_id].start[0], result.diff or "")
            for item, result in db.completed_work_items
            if _outcome(result) is Outcome.SURVIVED and item.job_id in keys
        ]
    return sorted(found, key=lambda survivor: survivor.line)
