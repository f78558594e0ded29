"""Measure each template once with real coverage.py, then compose any module's data from it.

A generated module is a fixed header plus blocks (one template each). Each (template,
scenario) pair is measured once in a calibration project under the real ``coverage run``;
the measured lines, arcs and regions are shifted to where the block sits in a generated
module. This gives ``coverage json`` reports and SQLite arcs for thousands of modules
without tracing thousands of modules, and a test checks the result equals what
``coverage json`` says after a real run.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coverage.data import CoverageData
from coverage.results import Numbers

from benchmarks.templates import (
    BLOCK_GAP,
    DEFINED,
    DRIVER_PRELUDE,
    HEADER,
    HEADER_LINES,
    TEMPLATES,
    UNIMPORTED,
    Template,
    driver_calls,
    scenario_names,
)

Arc = tuple[int, int]
CAL_NAME = "Calibrated"
# The first line of the block in a calibration module.
CAL_START = HEADER_LINES + BLOCK_GAP.count("\n") + 1
CAL_PYPROJECT = """\
[tool.coverage.run]
branch = true
source = ["cal"]
data_file = "cal.sqlite"

[tool.coverage.report]
precision = {precision}
"""


def shift_arc(arc: Arc, by: int) -> Arc:
    """Move an arc; negative numbers are code-object entries/exits and move the other way."""
    return (arc[0] + by if arc[0] > 0 else arc[0] - by, arc[1] + by if arc[1] > 0 else arc[1] - by)


@dataclass(frozen=True)
class Lines:
    """What coverage.py measured for a set of lines: statements and branch arcs."""

    executed: frozenset[int] = frozenset()
    missing: frozenset[int] = frozenset()
    executed_branches: frozenset[Arc] = frozenset()
    missing_branches: frozenset[Arc] = frozenset()

    def shifted(self, by: int) -> Lines:
        return Lines(
            frozenset(line + by for line in self.executed),
            frozenset(line + by for line in self.missing),
            frozenset(shift_arc(arc, by) for arc in self.executed_branches),
            frozenset(shift_arc(arc, by) for arc in self.missing_branches),
        )

    def __or__(self, other: Lines) -> Lines:
        return Lines(
            self.executed | other.executed,
            self.missing | other.missing,
            self.executed_branches | other.executed_branches,
            self.missing_branches | other.missing_branches,
        )

    def __sub__(self, other: Lines) -> Lines:
        return Lines(
            self.executed - other.executed,
            self.missing - other.missing,
            self.executed_branches - other.executed_branches,
            self.missing_branches - other.missing_branches,
        )


@dataclass(frozen=True)
class Region:
    """A function or class region; ``name`` holds ``{name}`` where the block's name goes."""

    kind: str
    name: str
    start: int
    lines: Lines


@dataclass(frozen=True)
class Measured:
    """One block (or the header) in calibration coordinates."""

    lines: Lines
    regions: tuple[Region, ...]
    arcs: frozenset[Arc]  # arcs inside the block's own code objects (SQLite data)


@dataclass(frozen=True)
class Calibration:
    precision: int
    header: dict[bool, Measured]  # imported? -> header measurement
    header_last: int  # the header's last statement, which runs just before the first block
    blocks: dict[tuple[str, str], Measured]  # (template key, scenario) -> block measurement


def _lines_of(entry: dict[str, Any], keep: Iterable[int]) -> Lines:
    wanted = set(keep)
    return Lines(
        frozenset(x for x in entry["executed_lines"] if x in wanted),
        frozenset(x for x in entry["missing_lines"] if x in wanted),
        frozenset((a, b) for a, b in entry["executed_branches"] if a in wanted),
        frozenset((a, b) for a, b in entry["missing_branches"] if a in wanted),
    )


def calibration_module(template: Template) -> str:
    header = HEADER.replace("{doc}", "Calibration.").replace("{dotted}", "cal")
    return header + BLOCK_GAP + template.render(CAL_NAME)


def calibrate(precision: int = 2) -> Calibration:
    """Measure every (template, scenario) pair with one real ``coverage run``."""
    with tempfile.TemporaryDirectory(prefix="bench-cal-") as scratch:
        root = Path(scratch)
        (root / "cal").mkdir()
        (root / "cal" / "__init__.py").write_text("", encoding="utf-8")
        (root / "pyproject.toml").write_text(
            CAL_PYPROJECT.format(precision=precision), encoding="utf-8"
        )
        driver = [DRIVER_PRELUDE]
        files: dict[tuple[str, str], str] = {}
        for template in TEMPLATES:
            for scenario in (*scenario_names(template), UNIMPORTED):
                stem = f"{template.key}__{scenario}"
                files[template.key, scenario] = f"cal/{stem}.py"
                (root / "cal" / f"{stem}.py").write_text(
                    calibration_module(template), encoding="utf-8"
                )
                if scenario != UNIMPORTED:
                    driver.append(f"m = importlib.import_module('cal.{stem}')")
                    driver.extend(driver_calls(template, scenario, CAL_NAME))
        (root / "driver.py").write_text("\n".join(driver) + "\n", encoding="utf-8")
        coverage = [sys.executable, "-m", "coverage"]
        subprocess.run([*coverage, "run", "driver.py"], cwd=root, check=True, capture_output=True)
        subprocess.run(
            [*coverage, "json", "-o", "cal.json"], cwd=root, check=True, capture_output=True
        )
        report = json.loads((root / "cal.json").read_text(encoding="utf-8"))["files"]
        data = CoverageData(str(root / "cal.sqlite"))
        data.read()
        arcs = {Path(name).resolve(): set(data.arcs(name) or ()) for name in data.measured_files()}
        blocks = {
            key: _measure_block(report[path], arcs.get((root / path).resolve(), set()))
            for key, path in files.items()
        }
        header_lines = range(1, HEADER_LINES + 1)
        imported = report[files[TEMPLATES[0].key, DEFINED]]
        unimported = report[files[TEMPLATES[0].key, UNIMPORTED]]
        imported_arcs = arcs[(root / files[TEMPLATES[0].key, DEFINED]).resolve()]
    header_arcs = frozenset(
        (a, b)
        for a, b in imported_arcs
        if (a == -1 or 0 < a <= HEADER_LINES) and (b == -1 or 0 < b <= HEADER_LINES)
    )
    (header_last,) = {a for a, b in imported_arcs if b == CAL_START and 0 < a <= HEADER_LINES}
    return Calibration(
        precision=precision,
        header={
            True: Measured(_lines_of(imported, header_lines), (), header_arcs),
            False: Measured(_lines_of(unimported, header_lines), (), frozenset()),
        },
        header_last=header_last,
        blocks=blocks,
    )


def _measure_block(entry: dict[str, Any], arcs: set[Arc]) -> Measured:
    block_lines = range(CAL_START, CAL_START + 1000)
    regions = []
    for kind, plural in (("function", "functions"), ("class", "classes")):
        for name, region in entry[plural].items():
            if name:
                regions.append(
                    Region(
                        kind,
                        name.replace(CAL_NAME, "{name}"),
                        region["start_line"],
                        _lines_of(region, block_lines),
                    )
                )
    module_level = {-1, *range(1, HEADER_LINES + 1), CAL_START}
    inside = frozenset((a, b) for a, b in arcs if a not in module_level and b not in module_level)
    return Measured(_lines_of(entry, block_lines), tuple(regions), inside)


@dataclass(frozen=True)
class Block:
    """A block placed in a generated module: which template, name, scenario, first line."""

    template: Template
    name: str
    scenario: str
    start: int


def compose_lines(cal: Calibration, blocks: list[Block], imported: bool) -> tuple[Lines, list]:
    """The module's measured lines and its named regions, in generated-module coordinates."""
    total = cal.header[imported].lines
    regions: list[tuple[str, str, int, Lines]] = []
    for block in blocks:
        scenario = block.scenario if imported else UNIMPORTED
        measured = cal.blocks[block.template.key, scenario]
        by = block.start - CAL_START
        total = total | measured.lines.shifted(by)
        for region in measured.regions:
            name = region.name.replace("{name}", block.name)
            regions.append((region.kind, name, region.start + by, region.lines.shifted(by)))
    return total, regions


def compose_arcs(cal: Calibration, blocks: list[Block]) -> set[Arc]:
    """Every arc an imported module records: header, module-level chain, block insides."""
    arcs = set(cal.header[True].arcs)
    starts = [block.start for block in blocks]
    chain = [cal.header_last, *starts, -1]
    arcs.update(itertools.pairwise(chain))
    for block in blocks:
        measured = cal.blocks[block.template.key, block.scenario]
        arcs.update(shift_arc(arc, block.start - CAL_START) for arc in measured.arcs)
    return arcs


def numbers(lines: Lines, precision: int) -> Numbers:
    partial = sum(1 for a, _ in lines.missing_branches if a not in lines.missing)
    return Numbers(
        precision=precision,
        n_files=1,
        n_statements=len(lines.executed) + len(lines.missing),
        n_excluded=0,
        n_missing=len(lines.missing),
        n_branches=len(lines.executed_branches) + len(lines.missing_branches),
        n_partial_branches=partial,
        n_missing_branches=len(lines.missing_branches),
    )


def summary(nums: Numbers) -> dict[str, Any]:
    """The summary object ``coverage json`` writes (with branch fields: data has arcs)."""
    return {
        "covered_lines": nums.n_executed,
        "num_statements": nums.n_statements,
        "percent_covered": nums.pc_covered,
        "percent_covered_display": nums.pc_covered_str,
        "missing_lines": nums.n_missing,
        "excluded_lines": nums.n_excluded,
        "percent_statements_covered": nums.pc_statements,
        "percent_statements_covered_display": nums.pc_statements_str,
        "num_branches": nums.n_branches,
        "num_partial_branches": nums.n_partial_branches,
        "covered_branches": nums.n_executed_branches,
        "missing_branches": nums.n_missing_branches,
        "percent_branches_covered": nums.pc_branches,
        "percent_branches_covered_display": nums.pc_branches_str,
    }


def _arc_list(arcs: frozenset[Arc]) -> list[list[int]]:
    return [[a, b] for a, b in sorted(arcs)]


def region_json(lines: Lines, precision: int, start: int | None) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "executed_lines": sorted(lines.executed),
        "summary": summary(numbers(lines, precision)),
        "missing_lines": sorted(lines.missing),
        "excluded_lines": [],
    }
    if start is not None:
        entry["start_line"] = start
    entry["executed_branches"] = _arc_list(lines.executed_branches)
    entry["missing_branches"] = _arc_list(lines.missing_branches)
    return entry


def file_json(lines: Lines, regions: list, precision: int) -> tuple[dict[str, Any], Numbers]:
    """One ``files`` entry of a format-3 report, and its numbers for the totals."""
    entry = region_json(lines, precision, None)
    for kind, plural in (("function", "functions"), ("class", "classes")):
        named = sorted((r for r in regions if r[0] == kind), key=lambda r: r[2])
        out: dict[str, Any] = {}
        outside = lines
        for _, name, start, region_lines in named:
            out[name] = region_json(region_lines, precision, start)
            outside = outside - region_lines
        out[""] = region_json(outside, precision, 1)
        entry[plural] = out
    return entry, numbers(lines, precision)
