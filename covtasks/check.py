"""The check verdict: named or changed modules below target, regressions, total under gate."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from pathspec import PathSpec

from covtasks.errors import UsageError
from covtasks.git import ChangedLines
from covtasks.model import Counts, CoverageReport, ModuleCoverage
from covtasks.numbers import format_missing, percent_float
from covtasks.ratchet import Regression

TOTAL = "TOTAL"
BELOW = "below target"
CHANGED = "changed, below target"
CHANGED_LINES = "changed lines not covered"
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
    # The missing lines and arcs the change touched; None when no change is known.
    in_change: str | None = None
    # Where an annotation points: the first missing line in the diff, else the first missing.
    first_line: int | None = None
    regression: bool = False
    # A ratchet regression: the figure when last at target, and that date ("" when unknown).
    was: str | None = None
    last_at_target: str = ""


@dataclass(frozen=True, slots=True)
class ChangedModule:
    """A changed module's coverage now and, when the history has it, at the last sync."""

    path: str
    before: str | None
    after: str


@dataclass(frozen=True, slots=True)
class CheckResult:
    """Offenders in a stable order (modules by path, TOTAL last) and what was checked."""

    offenders: tuple[Offender, ...]
    checked: int
    total: str
    gate: Decimal | None
    target: float
    changed: tuple[ChangedModule, ...] = ()
    # Warnings about the data or the gate, shown by every format.
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        return not self.offenders

    @property
    def regressions(self) -> tuple[Offender, ...]:
        return tuple(offender for offender in self.offenders if offender.regression)


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
    *,
    lines: ChangedLines | None = None,
    diff_lines: bool = False,
    regressions: Mapping[str, Regression] | None = None,
) -> CheckResult:
    """Check (a) changed modules, (b) regressions: Completed modules and the ratchet's
    (``regressions``: was → now, last at target), (c) the total against the gate.

    ``changed`` None skips (a): no base ref and nothing staged was asked for. ``lines`` (the
    changed lines per file) says which missing lines an offender's change touched; with
    ``diff_lines`` a changed module fails only for an uncovered changed line or a partial
    branch starting on one, whatever its total. A module both changed and regressed is one
    row naming both reasons.
    """
    ratchet = regressions or {}
    completed = frozenset(completed_modules) | ratchet.keys()
    precision = report.precision
    offenders = []
    checked = 0
    for module in sorted(report.modules, key=lambda module: module.path):
        reasons = []
        is_changed = changed is not None and module.path in changed
        if is_changed or module.path in completed:
            checked += 1
        touched = None if lines is None else touched_gaps(module, lines)
        if is_changed and diff_lines:
            if touched and any(touched):
                reasons.append(CHANGED_LINES)
        elif is_changed and not report.meets(module, target):
            reasons.append(CHANGED)
        regressed = module.path in completed and not report.meets(module, target)
        fell = ratchet.get(module.path)
        if fell is not None:
            reasons.append(f"regression: {fell.describe()}")
        elif regressed:
            reasons.append(REGRESSED)
        if reasons:
            offender = _module_offender(module, "; ".join(reasons), report, touched)
            offender = replace(offender, regression=regressed)
            if fell is not None:
                offender = replace(offender, was=fell.was, last_at_target=fell.last)
            offenders.append(offender)
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


Gaps = tuple[tuple[int, ...], tuple[tuple[int, int], ...]]


def touched_gaps(module: ModuleCoverage, lines: ChangedLines) -> Gaps:
    """The module's missing lines on changed lines, and partial branches starting on one."""
    if module.path not in lines:
        return (), ()
    changed = lines[module.path]
    if changed is None:  # a new file: every line is changed
        changed = frozenset(module.statement_lines)
    missing = tuple(line for line in module.missing_lines if line in changed)
    not_run = set(module.missing_lines)
    # A branch from a line that never ran is that line's gap; listed once, as the line.
    partial = tuple(
        arc for arc in module.missing_arcs if arc[0] in changed and arc[0] not in not_run
    )
    return missing, partial


GLOB_CHARACTERS = frozenset("*?[")


def select_modules(
    report: CoverageReport, arguments: Sequence[str], cwd: Path, root: Path
) -> frozenset[str]:
    """The measured modules the command-line arguments name; one that names none is an error.

    A plain argument is a path as a shell gives it, relative to ``cwd``: a module file, or a
    folder holding modules. An argument with ``*``, ``?`` or ``[`` is a gitignore-style glob
    matched against project-root-relative module paths.
    """
    outside = frozenset(report.outside)
    measured = sorted(module.path for module in report.modules if module.path not in outside)
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


def _module_offender(
    module: ModuleCoverage, reason: str, report: CoverageReport, touched: Gaps | None = None
) -> Offender:
    """A module's row; ``touched`` (None: no change known) says which gaps the change made."""
    offender = _offender(module.path, reason, module.counts, report)
    in_change = None if touched is None else format_missing(module.statement_lines, *touched)
    gaps = touched if touched and any(touched) else (module.missing_lines, module.missing_arcs)
    first = min([*gaps[0], *(arc[0] for arc in gaps[1])], default=None)
    return replace(offender, missing=module.missing_text, in_change=in_change, first_line=first)


def _offender(path: str, reason: str, counts: Counts, report: CoverageReport) -> Offender:
    branch = counts.branch_display(report.precision) if report.has_branches else None
    return Offender(path, reason, counts.line_display(report.precision), branch)
