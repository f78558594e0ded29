"""The grouped gap analysis (`report --format markdown --group`): gaps below target by action."""

from __future__ import annotations

from collections.abc import Mapping

from covtasks.escaping import code_span
from covtasks.model import CoverageReport, ModuleCoverage
from covtasks.notes.analysis import analyse_module
from covtasks.notes.grouping import ModuleNotes, Note
from covtasks.notes.kinds import KINDS
from covtasks.notes.rules import default_rules

# Section titles in the order they print, and the note kinds each gathers.
EXCLUDE = "Exclude from measurement (type-only, `__main__` guards, unreachable)"
ELSEWHERE = "Run on another OS or Python in CI, then `coverage combine`"
EXTRA = "Install an optional dependency for a test run"
PLAIN = "Plain tests (Hypothesis first)"
UNANALYSED = "Gaps without source to analyse"
_SECTION_OF_KIND = {
    "type-only": EXCLUDE,
    "main-guard": EXCLUDE,
    "unreachable": EXCLUDE,
    "protocol": EXCLUDE,
    "platform": ELSEWHERE,
    "version": ELSEWHERE,
    "optional": EXTRA,
    "logic": PLAIN,
    "error-path": PLAIN,
    "user": PLAIN,
    "unanalysed": UNANALYSED,
}
SEAM_KINDS = tuple(kind for kind in KINDS if kind not in _SECTION_OF_KIND)


def seam_section(kind: str) -> str:
    return f"Make a seam: {kind}"


SECTIONS = (
    EXCLUDE,
    *(seam_section(kind) for kind in SEAM_KINDS),
    PLAIN,
    ELSEWHERE,
    EXTRA,
    UNANALYSED,
)


def section_of_kind(kind: str) -> str:
    """The action a kind of note asks for: exclude, run elsewhere, install, a seam, a test."""
    return _SECTION_OF_KIND.get(kind) or seam_section(kind)


def gap_line(module: ModuleCoverage, notes: list[Note], report: CoverageReport) -> str:
    """`` - `pkg/mod.py` — 73.62% lines; 12 lines here: <the note covering most lines> ``."""
    percent = module.counts.line_display(report.precision)
    lines = sum(len(note.line_numbers) for note in notes)
    headline = max(notes, key=lambda note: len(note.line_numbers))
    more = f" (+{len(notes) - 1} more)" if len(notes) > 1 else ""
    return (
        f"- {code_span(module.path)} — {percent}% lines; {lines} line{'s' * (lines != 1)} here: "
        f"{headline.render()}{more}"
    )


def render_gap_groups(
    report: CoverageReport, notes: Mapping[str, ModuleNotes], target: float
) -> str:
    """Modules below ``target`` in every action group that applies, lowest coverage first.

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
        by_section: dict[str, list[Note]] = {}
        for note in found.notes:
            by_section.setdefault(section_of_kind(note.kind), []).append(note)
        if not found.notes:  # below target by partial branches the notes do not place
            by_section[PLAIN] = []
        for section, section_notes in by_section.items():
            if section_notes:
                grouped[section].append(gap_line(module, section_notes, report))
            else:
                percent = module.counts.line_display(report.precision)
                grouped[section].append(
                    f"- {code_span(module.path)} — {percent}% lines: branches only"
                )
    parts = []
    for section in SECTIONS:
        if grouped[section]:
            parts.append(f"## {section}\n\n" + "\n".join(grouped[section]) + "\n")
    summary = f"{len(below)} of {len(report.modules)} modules below the {target:g}% target."
    return "\n".join([*parts, summary + "\n"])
