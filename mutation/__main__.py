"""``python -m mutation run|map``: what ``make mutate`` and ``make mutate-map`` call."""

from __future__ import annotations

import argparse
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from mutation.equivalents import format_equivalent, parse_equivalents
from mutation.score import format_duration, format_table, problems
from mutation.testmap import ModulePlan, build_map, format_map, parse_map

ROOT = Path(__file__).resolve().parent.parent
MAP = ROOT / "mutation" / "map.toml"
EQUIVALENTS = ROOT / "mutation" / "equivalents.toml"
WORK = ROOT / ".cache" / "mutate"


def _select(plans: dict[str, ModulePlan], wanted: str) -> list[ModulePlan]:
    if not wanted:
        return list(plans.values())
    chosen = []
    for name in wanted.replace(",", " ").split():
        module = name if name.endswith(".py") else f"covtasks/{name.replace('.', '/')}.py"
        if module not in plans:
            raise SystemExit(f"error: {MAP.name}: no module {module} (regenerate the map?)")
        chosen.append(plans[module])
    return chosen


def _shard(text: str) -> tuple[int, int]:
    """``2/3`` → the second of three shards, counted from 1 on the command line."""
    number, _, count = text.partition("/")
    index, shards = int(number) - 1, int(count)
    if not 0 <= index < shards:
        raise SystemExit(f"error: --shard {text}: want N/M with 1 <= N <= M")
    return index, shards


def run(arguments: argparse.Namespace) -> int:
    from mutation.session import recorded_for, run_module, start_server

    plans = parse_map(MAP.read_text(encoding="utf-8"), str(MAP))
    equivalents = parse_equivalents(EQUIVALENTS.read_text(encoding="utf-8"), str(EQUIVALENTS))
    chosen = _select(plans, arguments.module)
    jobs = max(1, min(arguments.jobs or os.cpu_count() or 1, len(chosen)))
    print(f"mutating {len(chosen)} modules, {jobs} at a time; copies under {WORK}", flush=True)
    socket_path = WORK / f"pytest-{os.getpid()}.sock"  # one server per run
    server = start_server(socket_path) if arguments.fork_server else None

    def one(plan: ModulePlan):  # type: ignore[no-untyped-def]
        size = plan.sampled if arguments.sample is None else arguments.sample
        recorded = recorded_for(equivalents, plan.module)
        try:
            result = run_module(
                plan,
                ROOT,
                WORK,
                size,
                recorded,
                None if server is None else socket_path,
                recheck=arguments.recheck,
                resume=arguments.resume,
                shard=_shard(arguments.shard),
                carry=arguments.carry,
            )
        except RuntimeError as error:  # one module's broken run never stops the others
            print(f"  {plan.module}: {error}", flush=True)
            return None
        item = result.score
        print(
            f"  {plan.module}: {item.killed}/{item.run - item.equivalents - item.errors} killed,"
            f" {item.score:.1f}% in {format_duration(item.seconds)}",
            flush=True,
        )
        return result

    try:
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            finished = list(pool.map(one, chosen))
    finally:
        if server is not None:
            server.kill()
            server.wait()
    results = [result for result in finished if result is not None]
    print()
    print(format_table([result.score for result in results]))
    failed = len(results) < len(finished)
    for result in results:
        item = result.score
        for survivor in result.survivors:
            if survivor.key in equivalents:
                continue
            print(f"\nsurvivor {item.module}:{survivor.line} {survivor.key.operator}")
            print(survivor.diff.rstrip())
            print(format_equivalent(survivor.key, "WHY NO TEST CAN TELL THE DIFFERENCE").rstrip())
        for key in item.stale:
            print(f"\nrecorded as equivalent but killed (remove it): {key}")
        for problem in problems(item):
            failed = True
            print(f"FAIL {item.module}: {problem}")
    return 1 if failed else 0


def survivors(arguments: argparse.Namespace) -> int:
    from mutation.session import survivors_so_far

    equivalents = parse_equivalents(EQUIVALENTS.read_text(encoding="utf-8"), str(EQUIVALENTS))
    for plan in _select(parse_map(MAP.read_text(encoding="utf-8"), str(MAP)), arguments.module):
        base = plan.module.replace("/", "-").removesuffix(".py")
        copies = [WORK / base, *sorted(WORK.glob(f"{base}-shard*"))]
        found = [s for copy in copies if copy.exists() for s in survivors_so_far(copy, plan.module)]
        for survivor in found:
            if survivor.key in equivalents:
                continue
            print(f"\nsurvivor {plan.module}:{survivor.line} {survivor.key.operator}")
            print(survivor.diff.rstrip())
            print(format_equivalent(survivor.key, "WHY NO TEST CAN TELL THE DIFFERENCE").rstrip())
    return 0


def regenerate_map(arguments: argparse.Namespace) -> int:
    from mutation.contexts import lines_by_test_file

    previous = parse_map(MAP.read_text(encoding="utf-8"), str(MAP)) if MAP.exists() else {}
    counts = lines_by_test_file(ROOT, WORK / "contexts.sqlite", rerun=not arguments.reuse)
    MAP.write_text(format_map(build_map(counts, previous).values()), encoding="utf-8")
    print(f"wrote {MAP.relative_to(ROOT)} ({len(counts)} modules)")
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m mutation", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    runner = commands.add_parser("run", help="mutate modules and check their scores")
    runner.add_argument("--module", default="", help="modules, comma-separated (default: all)")
    runner.add_argument("--sample", type=int, default=None, help="mutants per module (0: all)")
    runner.add_argument("--jobs", type=int, default=0, help="modules at a time (default: cores)")
    runner.add_argument(
        "--recheck", action="store_true", help="run recorded equivalents too (are they still?)"
    )
    runner.add_argument(
        "--shard", default="1/1", help="N/M: run the N-th of M equal parts of each module"
    )
    runner.add_argument(
        "--resume",
        action="store_true",
        help="rerun only the last run's survivors, against the current tests",
    )
    runner.add_argument(
        "--carry",
        action="store_true",
        help="after a change: mutants killed before, named alike, count as killed (not a full run)",
    )
    runner.add_argument(
        "--no-fork-server",
        dest="fork_server",
        action="store_false",
        help="start pytest afresh for every mutant (slower; where fork is missing)",
    )
    runner.set_defaults(handler=run)
    lister = commands.add_parser("survivors", help="survivors of the last run, even unfinished")
    lister.add_argument("--module", default="", help="modules, comma-separated (default: all)")
    lister.set_defaults(handler=survivors)
    mapper = commands.add_parser("map", help="regenerate mutation/map.toml from coverage")
    mapper.add_argument(
        "--reuse", action="store_true", help="read the last run's contexts instead of testing"
    )
    mapper.set_defaults(handler=regenerate_map)
    arguments = parser.parse_args(argv)
    return int(arguments.handler(arguments))


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
