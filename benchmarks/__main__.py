"""``python -m benchmarks``: generate the scenarios, time every case, print and save the table."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.runner import (
    FULL,
    QUICK,
    Case,
    build_cases,
    example_cases,
    machine,
    measure,
    prepare,
    run_rounds,
)
from benchmarks.table import doubling_table, machine_lines, results_table

RESULTS = Path(__file__).with_name("results.md")


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def doubling_section(groups: list[tuple[str, str, list[Case]]]) -> list[str]:
    """The first two scenarios are the same kind at N and 2N (when both ran)."""
    if len(groups) < 2 or groups[0][1] != groups[1][1]:
        return []
    (small, _, small_cases), (large, _, large_cases) = groups[:2]
    return [
        f"Doubling N ({small} → {large}):",
        "",
        *doubling_table(small_cases, large_cases, (small, large)),
        "",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small N and 2 rounds (smoke run)")
    parser.add_argument("--rounds", type=int, help="interleaved rounds (default 3, quick 2)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--only", action="append", metavar="SCENARIO", help="run only these scenarios (repeatable)"
    )
    parser.add_argument("--work", type=Path, help="where to generate (default: a temp folder)")
    parser.add_argument("--out", type=Path, help=f"results file (default {RESULTS}; quick: none)")
    args = parser.parse_args(argv)
    scenarios = QUICK if args.quick else FULL
    if args.only:
        scenarios = tuple(s for s in scenarios if s.name in args.only)
    rounds = args.rounds or (2 if args.quick else 3)
    out = args.out if args.out is not None else (None if args.quick else RESULTS)
    started = time.perf_counter()
    measure([sys.executable, "-c", "pass"], Path.cwd())  # start the spawner while we are small
    with tempfile.TemporaryDirectory(prefix="covtasks-bench-") as scratch:
        work = args.work or Path(scratch)
        repos = prepare(scenarios, work, args.seed, log)
        notes: list[str] = []
        groups: list[tuple[str, str, list[Case]]] = []
        all_cases: list[Case] = []
        for scenario, repo in repos:
            cases = build_cases(scenario, repo, notes)
            groups.append((scenario.name, scenario.kind, cases))
            all_cases.extend(cases)
        if not args.only or "example" in args.only:
            cases = example_cases(work, log)
            groups.append(("example", "example", cases))
            all_cases.extend(cases)
        log(f"{len(all_cases)} cases × {rounds} rounds")
        run_rounds(all_cases, rounds, log)
        sizes = {
            scenario.name: (
                f"{scenario.modules} modules, {repo.entries} existing entries, {scenario.kind}, "
                f"report {repo.json_report.stat().st_size / 1_048_576:.1f} MB, task file "
                f"{(repo.root / '.bench' / 'tasks-pristine.md').stat().st_size / 1024:.0f} KB"
            )
            for scenario, repo in repos
        }
    total = time.perf_counter() - started
    lines = [
        f"## Benchmark results ({dt.date.today().isoformat()}, {rounds} interleaved rounds, "
        f"medians of CPU time (user + system); whole run {total:.0f} s)",
        "",
        *machine_lines(machine()),
        "",
        *results_table(groups),
        "",
        *doubling_section(groups),
        "Scenarios:",
        "",
        *[f"- {name}: {text}" for name, text in sizes.items()],
        "- example: examples/demo after its own test suite ran under coverage (SQLite data)",
        *[f"- note: {note}" for note in notes],
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if out is not None:
        out.write_text(text, encoding="utf-8")
        log(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
