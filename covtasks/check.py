"""The merge check: changed modules below target, Completed ones regressed, total under gate."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from covtasks.model import Counts, CoverageReport
from covtasks.numbers import percent_float

TOTAL = "TOTAL"
CHANGED = "changed, below target"
REGRESSED = "regression: entry is Completed"


@dataclass(frozen=True, slots=True)
class Offender:
    """One row of the failure table: a module (or TOTAL), why it fails, and its numbers."""

    path: str
    reason: str
    line_percent: str
    branch_percent: str | None


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
            offenders.append(_offender(module.path, "; ".join(reasons), module.counts, report))
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
    header = ("Module", "Lines", "Branches", "Reason")
    rows = [header] + [
        (
            offender.path,
            f"{offender.line_percent}%",
            "-" if offender.branch_percent is None else f"{offender.branch_percent}%",
            offender.reason,
        )
        for offender in result.offenders
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(3)]
    lines = [
        "  ".join(
            [row[0].ljust(widths[0]), row[1].rjust(widths[1]), row[2].rjust(widths[2]), row[3]]
        )
        for row in rows
    ]
    count = len(result.offenders)
    summary = (
        f"covtasks check: {count} offender{'s' if count != 1 else ''} "
        f"(target {result.target:g}%, total {result.total}%, {gate})"
    )
    return "\n".join([*lines, summary]) + "\n"
