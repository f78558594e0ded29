"""The results table: each case's median against its floor, the issue's targets, the machine."""

from __future__ import annotations

from dataclasses import dataclass

from benchmarks.runner import Case

PYTHON_FLOOR = "floor: python + json.load + task file r/w"
REPORT_FLOOR = "floor: coverage report"
JSON_FLOOR = "floor: coverage json"


@dataclass(frozen=True)
class Target:
    """``case`` in scenarios of ``kind`` may take at most ``limit`` × ``floor``."""

    kind: str
    case: str
    floor: str
    limit: float | None


# The floor each case is compared with, and the limit where it sets one.
TARGETS = (
    Target("json", "sync (creates entries)", PYTHON_FLOOR, 4.0),
    Target("json", "sync (no-op)", PYTHON_FLOOR, 3.0),
    Target("json", "sync --check", PYTHON_FLOOR, None),
    Target("json", "report --format json", PYTHON_FLOOR, None),
    Target("json", "check", REPORT_FLOOR, 1.0),
    Target("sqlite", "sync (creates entries)", JSON_FLOOR, 1.3),
    Target("sqlite", "sync (no-op)", JSON_FLOOR, None),
    Target("sqlite", "sync --check", JSON_FLOOR, None),
    Target("sqlite", "report --format json", JSON_FLOOR, None),
    Target("sqlite", "check", REPORT_FLOOR, None),
)
DOUBLING_LIMIT = 2.0 * 1.15
MEMORY_FACTOR = 3
MEMORY_EXTRA_MB = 100


def _target_for(kind: str, case: str) -> Target | None:
    return next((t for t in TARGETS if t.kind == kind and t.case == case), None)


def verdict(value: float, limit: float | None) -> str:
    if limit is None:
        return "–"
    return "met" if value <= limit else f"MISSED by {value / limit - 1:.0%}"


def results_table(
    groups: list[tuple[str, str, float, list[Case]]],
) -> list[str]:
    """Rows per scenario: (scenario name, kind, JSON report MB, cases)."""
    lines = [
        "| scenario | case | ratio to floor | target | median s | peak MB | memory limit MB"
        " | notes |",
        "|---|---|---:|---|---:|---:|---:|---|",
    ]
    for name, kind, report_mb, cases in groups:
        by_name = {case.name: case for case in cases}
        memory_limit = MEMORY_FACTOR * report_mb + MEMORY_EXTRA_MB
        for case in cases:
            target = _target_for(kind, case.name)
            ratio = "–"
            target_text = "floor"
            if target is not None and target.floor in by_name:
                value = case.median / by_name[target.floor].median
                short = target.floor.removeprefix("floor: ")
                ratio = f"{value:.2f}× {short}"
                limit = "" if target.limit is None else f"≤ {target.limit:g}×: "
                target_text = limit + verdict(value, target.limit)
            is_covtasks = not case.name.startswith("floor")
            memory = f"{memory_limit:.0f}" if is_covtasks else ""
            notes = list(dict.fromkeys(case.problems))
            if is_covtasks and case.peak_mb > memory_limit:
                notes.append("MEMORY over limit")
            if case.name == "sync (no-op)" and not case.problems:
                notes.append("not rewritten")
            lines.append(
                f"| {name} | {case.name} | {ratio} | {target_text} | {case.median:.3f} | "
                f"{case.peak_mb:.0f} | {memory} | {'; '.join(notes)} |"
            )
    return lines


def doubling_table(small: list[Case], large: list[Case], names: tuple[str, str]) -> list[str]:
    lines = [
        f"| case | {names[0]} s | {names[1]} s | ratio | target ≤ {DOUBLING_LIMIT:.2f} |",
        "|---|---:|---:|---:|---|",
    ]
    large_by_name = {case.name: case for case in large}
    for case in small:
        other = large_by_name.get(case.name)
        if other is None:
            continue
        ratio = other.median / case.median
        limit = None if case.name.startswith("floor") else DOUBLING_LIMIT
        lines.append(
            f"| {case.name} | {case.median:.3f} | {other.median:.3f} | {ratio:.2f} | "
            f"{verdict(ratio, limit)} |"
        )
    return lines


def machine_lines(info: dict[str, str]) -> list[str]:
    return [f"- **{key}**: {value}" for key, value in info.items()]
