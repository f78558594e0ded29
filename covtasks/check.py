"""The check verdict: named or changed modules below target, regressions, total under gate."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from pathspec import PathSpec

from covtasks.errors import UsageError
from covtasks.model import Counts, CoverageReport, ModuleCoverage
from covtasks.numbers import percent_float

TOTAL = "TOTAL"
BELOW = "below target"
CHANGED = "changed, below target"
REGRESSED = "regression: entry is Completed"


@dataclass(frozen=True, slots=True)
class Offender:
    """One row of the failure table: a module (or TOTAL), why it fails, and its numbers."""

    path: str
    reason: str
    line_percent: str
    branch_percent: str | None
    # coverage.py's Missing column (lines and branch arcs); empty for TOTAL.
    missing: str = ""


@dataclass(frozen=True, slots=True)
class CheckResult:
    """Offenders in a stable order (modules by path, TOTAL last) and what was checked."""

    offenders: tuple[Offender, ...]
    checked: int
    total: str
    gate: Decimal | None
    target: float

    @property
    def passed(self) -> bool:
        return not self.offenders


def below_gate(totals: Counts, gate: Decimal, precision: int) -> bool:
    """The verdict ``coverage report --fail-under=GATE`` gives, so hook and check agree.

    coverage.py rounds the total to the precision (more digits if the gate is written with
    more) and compares; a gate of 100 demands a total of exactly 100.
    """
    total = percent_float(
        totals.covered + totals.covered_branches, totals.statements + totals.branches
    )
    if gate == 100:
        return total != 100.0
    exponent = gate.normalize().as_tuple().exponent
    places = max(precision, -exponent if isinstance(exponent, int) else 0)
    return round(total, places) < float(gate)


def run_check(
    report: CoverageReport,
    changed: frozenset[str] | None,
    completed_modules: Iterable[str],
    gate: Decimal | None,
    target: float,
) -> CheckResult:
    """Check (a) changed modules, (b) Completed modules, (c) the total against the gate.

    ``changed`` None skips (a): no base ref and nothing staged was asked for. A module both
    changed and regressed is one row naming both reasons.
    """
    completed = frozenset(completed_modules)
    precision = report.precision
    offenders = []
    checked = 0
    for module in sorted(report.modules, key=lambda module: module.path):
        reasons = []
        is_changed = changed is not None and module.path in changed
        if is_changed or module.path in completed:
            checked += 1
        if not report.meets(module, target):
            if is_changed:
                reasons.append(CHANGED)
            if module.path in completed:
                reasons.append(REGRESSED)
        if reasons:
            offenders.append(_module_offender(module, "; ".join(reasons), report))
    totals = report.totals
    if gate is not None and below_gate(totals, gate, precision):
        reason = f"total {totals.combined_display(precision)}% below the gate {gate}"
        offenders.append(_offender(TOTAL, reason, totals, report))
    return CheckResult(
        offenders=tuple(offenders),
        checked=checked,
        total=totals.combined_display(precision),
        gate=gate,
        target=target,
    )


GLOB_CHARACTERS = frozenset("*?[")


def select_modules(
    report: CoverageReport, arguments: Sequence[str], cwd: Path, root: Path
) -> frozenset[str]:
    """The measured modules the command-line arguments name; one that names none is an error.

    A plain argument is a path as a shell gives it, relative to ``cwd``: a module file, or a
    folder holding modules. An argument with ``*``, ``?`` or ``[`` is a gitignore-style glob
    matched against project-root-relative module paths.
    """
    measured = sorted(module.path for module in report.modules)
    selected: set[str] = set()
    unmatched = []
    for argument in arguments:
        found = _matching(argument, measured, cwd, root)
        if not found:
            unmatched.append(argument)
        selected.update(found)
    if unmatched:
        names = ", ".join(repr(argument) for argument in unmatched)
        raise UsageError(f"no measured module matches {names}", report.source or None)
    return frozenset(selected)


def _matching(argument: str, measured: Sequence[str], cwd: Path, root: Path) -> list[str]:
    if GLOB_CHARACTERS.intersection(argument):
        spec = PathSpec.from_lines("gitignore", [argument])
        return [path for path in measured if spec.match_file(path)]
    # Lexical, like a shell: a symlinked folder names what it is called here, not its target.
    named = Path(os.path.normpath(cwd / argument))
    if not named.is_relative_to(root):
        return []
    relative = named.relative_to(root).as_posix()
    if relative == ".":
        return list(measured)
    return [path for path in measured if path == relative or path.startswith(relative + "/")]


def judge_modules(report: CoverageReport, selected: Iterable[str], target: float) -> CheckResult:
    """Judge only the ``selected`` modules against target: no gate, no regression check."""
    chosen = frozenset(selected)
    offenders = tuple(
        _module_offender(module, BELOW, report)
        for module in sorted(report.modules, key=lambda module: module.path)
        if module.path in chosen and not report.meets(module, target)
    )
    return CheckResult(
        offenders=offenders,
        checked=len(chosen),
        total=report.totals.combined_display(report.precision),
        gate=None,
        target=target,
    )


def _module_offender(module: ModuleCoverage, reason: str, report: CoverageReport) -> Offender:
    offender = _offender(module.path, reason, module.counts, report)
    return replace(offender, missing=module.missing_text)


def _offender(path: str, reason: str, counts: Counts, report: CoverageReport) -> Offender:
    branch = counts.branch_display(report.precision) if report.has_branches else None
    return Offender(path, reason, counts.line_display(report.precision), branch)


def render_offenders(result: CheckResult) -> str:
    """A plain-text table of offenders, or a one-line all-clear; the same input, the same text."""
    gate = "no gate" if result.gate is None else f"gate {result.gate}"
    if result.passed:
        return (
            f"covtasks check: ok — {result.checked} modules checked at target "
            f"{result.target:g}%, total {result.total}% ({gate})\n"
        )
    header = ("Module", "Lines", "Branches", "Reason", "Missing")
    rows = [header] + [
        (
            offender.path,
            f"{offender.line_percent}%",
            "-" if offender.branch_percent is None else f"{offender.branch_percent}%",
            offender.reason,
            offender.missing,
        )
        for offender in result.offenders
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(4)]
    lines = [
        "  ".join(
            [
                row[0].ljust(widths[0]),
                row[1].rjust(widths[1]),
                row[2].rjust(widths[2]),
                row[3].ljust(widths[3]),
                row[4],
            ]
        ).rstrip()
        for row in rows
    ]
    count = len(result.offenders)
    summary = (
        f"covtasks check: {count} offender{'s' if count != 1 else ''} "
        f"(target {result.target:g}%, total {result.total}%, {gate})"
    )
    return "\n".join([*lines, summary]) + "\n"
