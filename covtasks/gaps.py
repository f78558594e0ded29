"""The grouped gap analysis (``report --format markdown --group``): modules below target by need."""

from __future__ import annotations

from collections.abc import Mapping

from covtasks.escaping import code_span
from covtasks.model import CoverageReport, ModuleCoverage
from covtasks.notes.analysis import ModuleNotes, analyse_module
from covtasks.notes.rules import default_rules

# Section titles in the order they print; a module lands in the first that fits.
HIGH = "High-impact deterministic gaps"
MODERATE = "Moderate deterministic gaps"
LOW = "Low-impact deterministic gaps"
VARIABLE = "Stochastic or hardware-sensitive gaps"
UNANALYSED = "Gaps without source to analyse"
SECTIONS = (HIGH, MODERATE, LOW, VARIABLE, UNANALYSED)


def section_of(notes: ModuleNotes) -> str:
    """Where a module belongs: unanalysed, then machine- or seed-dependent, then by impact."""
    if notes.degraded:
        return UNANALYSED
    if notes.nature != "deterministic":
        return VARIABLE
    return {"high": HIGH, "moderate": MODERATE}.get(notes.impact, LOW)


def gap_line(module: ModuleCoverage, notes: ModuleNotes, report: CoverageReport) -> str:
    """`` - `pkg/mod.py` — 73.62% lines: <one-line need> ``."""
    percent = module.counts.line_display(report.precision)
    return f"- {code_span(module.path)} — {percent}% lines: {notes.summary()}"


def render_gap_groups(
    report: CoverageReport, notes: Mapping[str, ModuleNotes], target: float
) -> str:
    """Modules below ``target`` grouped by section, lowest line coverage first in each.

    A module missing from ``notes`` is shown as unanalysed rather than dropped.
    """
    below = [module for module in report.modules if not report.meets(module, target)]
    if not below:
        return f"Every measured module meets the {target:g}% target.\n"
    grouped: dict[str, list[str]] = {section: [] for section in SECTIONS}
    for module in sorted(below, key=lambda m: (m.counts.line_exact(), m.path)):
        found = notes.get(module.path)
        if found is None:
            found = analyse_module(module, None, default_rules())
        grouped[section_of(found)].append(gap_line(module, found, report))
    parts = []
    for section in SECTIONS:
        if grouped[section]:
            parts.append(f"## {section}\n\n" + "\n".join(grouped[section]) + "\n")
    summary = f"{len(below)} of {len(report.modules)} modules below the {target:g}% target."
    return "\n".join([*parts, summary + "\n"])
