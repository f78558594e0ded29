"""Milestones: which milestone a module belongs to, progress per milestone, the gate earned."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from covtasks.config import Milestone
from covtasks.escaping import code_span, escape_text, terminal_text
from covtasks.globs import Globs
from covtasks.model import CoverageReport, ModuleCoverage


@dataclass(frozen=True, slots=True)
class Remaining:
    """A module of a milestone still below target, with who owns it and where it stands."""

    path: str
    owner: str
    line_percent: str
    branch_percent: str | None

    @property
    def coverage_text(self) -> str:
        """``97.00% lines, 50.00% branches`` (branches only when they were measured)."""
        text = f"{self.line_percent}% lines"
        if self.branch_percent is not None:
            text += f", {self.branch_percent}% branches"
        return text


@dataclass(frozen=True, slots=True)
class MilestoneProgress:
    """How far one milestone has come: modules at target out of its measured modules."""

    name: str
    gate: float | None
    met: int
    total: int
    remaining: tuple[Remaining, ...]

    @property
    def complete(self) -> bool:
        # A milestone with no measured module has proven nothing, so it never raises a gate.
        return self.total > 0 and self.met == self.total


@lru_cache(maxsize=64)
def module_globs(patterns: tuple[str, ...]) -> Globs:
    """A milestone's globs compiled (gitignore style), once per process: the configuration
    checks them when it is read, and every module is matched against them after."""
    return Globs(patterns)


@lru_cache(maxsize=64)
def _compiled(milestones: tuple[Milestone, ...]) -> tuple[Globs, ...]:
    # Looked up once per configuration: the same tuple is asked about every module.
    return tuple(module_globs(milestone.modules) for milestone in milestones)


def milestone_of(path: str, milestones: Sequence[Milestone]) -> int | None:
    """The index of the first milestone whose globs match ``path`` (root-relative, posix)."""
    for index, spec in enumerate(_compiled(tuple(milestones))):
        if spec.matches(path):
            return index
    return None


def progress(
    report: CoverageReport,
    milestones: Sequence[Milestone],
    target: float,
    owner_of: Callable[[str], str] = lambda _path: "",
) -> tuple[MilestoneProgress, ...]:
    """Progress of every milestone, in configured order; a module counts for its first match."""
    members: list[list[ModuleCoverage]] = [[] for _ in milestones]
    for module in report.modules:
        index = milestone_of(module.path, milestones)
        if index is not None:
            members[index].append(module)
    result = []
    for milestone, modules in zip(milestones, members, strict=True):
        below = sorted(
            (module for module in modules if not report.meets(module, target)),
            key=lambda module: module.path,
        )
        remaining = tuple(_remaining(module, report, owner_of) for module in below)
        result.append(
            MilestoneProgress(
                name=milestone.name,
                gate=milestone.gate,
                met=len(modules) - len(below),
                total=len(modules),
                remaining=remaining,
            )
        )
    return tuple(result)


def _remaining(
    module: ModuleCoverage, report: CoverageReport, owner_of: Callable[[str], str]
) -> Remaining:
    counts = module.counts
    branch = counts.branch_display(report.precision) if report.has_branches else None
    return Remaining(
        module.path, owner_of(module.path), counts.line_display(report.precision), branch
    )


def completed_milestone(progress_list: Sequence[MilestoneProgress]) -> MilestoneProgress | None:
    """The milestone whose gate is earned: the highest gate among milestones 1..k all complete.

    Milestones complete only in order: a complete milestone after an incomplete one earns
    nothing yet. Among the complete prefix the highest gate wins (the later one on a tie),
    because a gate never goes down anyway.
    """
    earned: MilestoneProgress | None = None
    for item in progress_list:
        if not item.complete:
            break
        if item.gate is not None and (
            earned is None or earned.gate is None or item.gate >= earned.gate
        ):
            earned = item
    return earned


def completed_gate(progress_list: Sequence[MilestoneProgress]) -> float | None:
    """The gate value earned by milestones completed in order, if any."""
    earned = completed_milestone(progress_list)
    return None if earned is None else earned.gate


def _gate_text(gate: float | None) -> str:
    return "" if gate is None else f" (gate {gate:g}%)"


def progress_rows(progress_list: Sequence[MilestoneProgress]) -> list[tuple[str, str, str, str]]:
    """Rows for a table: milestone, ``met/total``, gate, and what remains with owners."""
    rows = []
    for item in progress_list:
        remaining = ", ".join(
            f"{left.path} ({left.owner})" if left.owner else left.path for left in item.remaining
        )
        gate = "" if item.gate is None else f"{item.gate:g}%"
        status = "complete" if item.complete else remaining or "no measured module"
        rows.append((item.name, f"{item.met}/{item.total}", gate, status))
    return rows


def render_progress_text(progress_list: Sequence[MilestoneProgress]) -> str:
    """Plain-text milestone progress, one block per milestone, for terminals and logs."""
    lines = []
    for item in progress_list:
        mark = "done" if item.complete else "open"
        counted = f"{item.met}/{item.total} modules at target"
        lines.append(f"[{mark}] {terminal_text(item.name)}: {counted}{_gate_text(item.gate)}")
        lines.extend(
            f"  - {terminal_text(left.path)}  {left.coverage_text}"
            + (f"  owner {terminal_text(left.owner)}" if left.owner else "")
            for left in item.remaining
        )
    return "\n".join(lines) + "\n" if lines else ""


def render_progress_markdown(progress_list: Sequence[MilestoneProgress]) -> str:
    """Markdown milestone progress: a bullet per milestone, a nested bullet per module left."""
    lines = []
    for item in progress_list:
        mark = "✅ " if item.complete else ""
        lines.append(
            f"- {mark}**{escape_text(item.name)}**: {item.met}/{item.total} modules at target"
            f"{_gate_text(item.gate)}"
        )
        for left in item.remaining:
            owner = f" — {escape_text(left.owner)}" if left.owner else ""
            lines.append(f"  - {code_span(left.path)} ({left.coverage_text}){owner}")
    return "\n".join(lines) + "\n" if lines else ""
