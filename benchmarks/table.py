"""The results table: each case's CPU median against its floor, the targets, the machine."""

from __future__ import annotations

from dataclasses import dataclass

from benchmarks.runner import Case

PYTHON_FLOOR = "floor: python + json.load + task file r/w"
REPORT_FLOOR = "floor: coverage report"
JSON_FLOOR = "floor: coverage json"


@dataclass(frozen=True)
class Target:
    """``case`` in scenarios of ``kind`` may take at most ``limit`` × ``floor``.

    A target naming a ``scenario`` holds there instead of its kind's.
    """

    kind: str
    case: str
    floor: str
    limit: float | None
    scenario: str = ""


# The floor each case is compared with, and the limit where it sets one.
TARGETS = (
    Target("json", "sync (creates entries)", PYTHON_FLOOR, 4.0),
    Target("json", "sync (creates entries, no sources)", PYTHON_FLOOR, 4.0),
    Target("json", "sync (no-op)", PYTHON_FLOOR, 2.5),
    Target("json", "sync (no-op)", PYTHON_FLOOR, 3.0, scenario="json-20mb"),
    Target("json", "sync (no-op, layout not kept)", PYTHON_FLOOR, None),
    Target("json", "sync --check", PYTHON_FLOOR, None),
    Target("json", "report --format json", PYTHON_FLOOR, None),
    Target("json", "check", REPORT_FLOOR, 1.0),
    Target("sqlite", "sync (creates entries)", JSON_FLOOR, 1.2),
    Target("sqlite", "sync (no-op)", JSON_FLOOR, 1.2),
    Target("sqlite", "sync --check", JSON_FLOOR, None),
    Target("sqlite", "report --format json", JSON_FLOOR, None),
    Target("sqlite", "report", REPORT_FLOOR, 1.2),
    Target("sqlite", "check", REPORT_FLOOR, 1.2),
    Target("example", "report", REPORT_FLOOR, 1.5),
)
DOUBLING_LIMIT = 2.1
# Peak memory of a covtasks case: at most this × the peak of the scenario's floor (the
# python floor where there is one, else the largest coverage.py floor).
MEMORY_FACTOR = 1.5


def _target_for(kind: str, case: str, scenario: str) -> Target | None:
    matching = [t for t in TARGETS if t.kind == kind and t.case == case]
    own = [t for t in matching if t.scenario == scenario]
    return (own or [t for t in matching if not t.scenario] or [None])[0]


def memory_floor(cases: list[Case]) -> float | None:
    """The peak MB the scenario's memory limit is a multiple of."""
    floors = {case.name: case.peak_mb for case in cases if case.name.startswith("floor")}
    if PYTHON_FLOOR in floors:
        return floors[PYTHON_FLOOR]
    return max(floors.values(), default=None)


def verdict(value: float, limit: float | None) -> str:
    if limit is None:
        return "–"
    return "met" if value <= limit else f"MISSED by {value / limit - 1:.0%}"


def results_table(groups: list[tuple[str, str, list[Case]]]) -> list[str]:
    """Rows per scenario: (scenario name, kind, cases)."""
    lines = [
        "| scenario | case | CPU ratio to floor | target | CPU s | wall s | peak MB"
        " | memory limit MB | notes |",
        "|---|---|---:|---|---:|---:|---:|---:|---|",
    ]
    for name, kind, cases in groups:
        by_name = {case.name: case for case in cases}
        floor_mb = memory_floor(cases)
        memory_limit = None if floor_mb is None else MEMORY_FACTOR * floor_mb
        for case in cases:
            target = _target_for(kind, case.name, name)
            ratio = "–"
            target_text = "floor"
            if target is not None and target.floor in by_name:
                value = case.cpu_median / by_name[target.floor].cpu_median
                short = target.floor.removeprefix("floor: ")
                ratio = f"{value:.2f}× {short}"
                limit = "" if target.limit is None else f"≤ {target.limit:g}×: "
                target_text = limit + verdict(value, target.limit)
            is_covtasks = not case.name.startswith("floor")
            shown = is_covtasks and memory_limit is not None
            memory = f"{memory_limit:.0f}" if shown and memory_limit is not None else ""
            notes = list(dict.fromkeys(case.problems))
            if shown and memory_limit is not None and case.peak_mb > memory_limit:
                notes.append("MEMORY over limit")
            if case.name == "sync (no-op)" and not case.problems:
                notes.append("not rewritten")
            lines.append(
                f"| {name} | {case.name} | {ratio} | {target_text} | {case.cpu_median:.3f} | "
                f"{case.median:.3f} | {case.peak_mb:.0f} | {memory} | {'; '.join(notes)} |"
            )
    return lines


def doubling_table(small: list[Case], large: list[Case], names: tuple[str, str]) -> list[str]:
    lines = [
        f"| case | {names[0]} CPU s | {names[1]} CPU s | ratio | target ≤ {DOUBLING_LIMIT:.2f} |",
        "|---|---:|---:|---:|---|",
    ]
    large_by_name = {case.name: case for case in large}
    for case in small:
        other = large_by_name.get(case.name)
        if other is None:
            continue
        ratio = other.cpu_median / case.cpu_median
        limit = None if case.name.startswith("floor") else DOUBLING_LIMIT
        lines.append(
            f"| {case.name} | {case.cpu_median:.3f} | {other.cpu_median:.3f} | {ratio:.2f} | "
            f"{verdict(ratio, limit)} |"
        )
    return lines


def machine_lines(info: dict[str, str]) -> list[str]:
    return [f"- **{key}**: {value}" for key, value in info.items()]
