"""The per-module scoreboard: choose, sort and render modules as a table, markdown or JSON."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import IO, Any

from covtasks.errors import UsageError
from covtasks.escaping import code_span
from covtasks.model import Counts, CoverageReport, ModuleCoverage
from covtasks.numbers import exact_percent, is_percent

SORT_KEYS = ("cover", "name", "missing")
FORMATS = ("table", "markdown", "json")


def select_modules(
    report: CoverageReport, target: float, below: float | None, show_all: bool, sort: str
) -> list[ModuleCoverage]:
    """Modules to show: all, those below ``below``, or (default) those not meeting target."""
    threshold = target if below is None else below
    chosen = [
        module
        for module in report.modules
        if show_all or not module.counts.meets(threshold, report.has_branches)
    ]
    return sort_modules(chosen, sort)


def sort_modules(modules: Sequence[ModuleCoverage], sort: str) -> list[ModuleCoverage]:
    """Order modules: ``cover`` (lowest combined first), ``name``, or ``missing`` (most first)."""
    if sort not in SORT_KEYS:
        raise UsageError(f"--sort must be one of {', '.join(SORT_KEYS)}, not {sort!r}")
    if sort == "name":
        return sorted(modules, key=lambda m: m.path)
    if sort == "missing":
        return sorted(modules, key=lambda m: (-_gap(m.counts), m.path))
    return sorted(modules, key=lambda m: (_combined_exact(m.counts), m.path))


def _gap(counts: Counts) -> int:
    return counts.missing + counts.missing_branches


def _combined_exact(counts: Counts) -> Fraction:
    # Exact fractions, so two modules that display alike still sort by their true coverage.
    return exact_percent(
        counts.covered + counts.covered_branches, counts.statements + counts.branches
    )


def module_json(module: ModuleCoverage, report: CoverageReport, target: float) -> dict[str, Any]:
    """One module as DESIGN §3's JSON schema has it."""
    counts = module.counts
    return {
        "path": module.path,
        **_numbers_json(counts, report),
        "missing_lines": list(module.missing_lines),
        "meets_target": report.meets(module, target),
    }


def _numbers_json(counts: Counts, report: CoverageReport) -> dict[str, Any]:
    precision = report.precision
    return {
        "line_percent": float(counts.line_display(precision)),
        "branch_percent": float(counts.branch_display(precision)) if report.has_branches else None,
        "percent": float(counts.combined_display(precision)),
        "statements": counts.statements,
        "missing": counts.missing,
        "branches": counts.branches,
        "missing_branches": counts.missing_branches,
        "partial_branches": counts.partial_branches,
    }


def render_json(report: CoverageReport, modules: Sequence[ModuleCoverage], target: float) -> str:
    """``{"target", "totals", "modules"}``; totals always cover every measured module."""
    totals = report.totals
    document = {
        "target": target,
        "totals": {
            **_numbers_json(totals, report),
            "meets_target": totals.meets(target, report.has_branches),
        },
        "modules": [module_json(module, report, target) for module in modules],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def markdown_line(module: ModuleCoverage, report: CoverageReport) -> str:
    """`` - `pkg/mod.py` — 73.62% lines, 80.00% branches `` for pasting into a roadmap."""
    counts = module.counts
    text = f"- {code_span(module.path)} — {counts.line_display(report.precision)}% lines"
    if report.has_branches:
        text += f", {counts.branch_display(report.precision)}% branches"
    return text


def render_markdown(report: CoverageReport, modules: Sequence[ModuleCoverage]) -> str:
    """A markdown list of modules and a closing totals line."""
    totals = report.totals
    lines = [markdown_line(module, report) for module in modules]
    summary = (
        f"Total: {totals.combined_display(report.precision)}% "
        f"({totals.line_display(report.precision)}% lines"
    )
    if report.has_branches:
        summary += f", {totals.branch_display(report.precision)}% branches"
    summary += f"; {len(modules)} of {len(report.modules)} modules shown)"
    if lines:
        lines.append("")
    lines.append(summary)
    return "\n".join(lines) + "\n"


def render_table(
    report: CoverageReport, modules: Sequence[ModuleCoverage], out: IO[str], width: int | None
) -> None:
    """The terminal table at ``width`` (None: the terminal's width, natural width on a pipe)."""
    from covtasks.report_table import render_table as table_lines

    if width is None and out.isatty():
        width = shutil.get_terminal_size().columns
    # On a pipe, natural width like `coverage report`: one row per module for scripts and logs.
    out.writelines(line + "\n" for line in table_lines(report, modules, width))


def render_report(
    report: CoverageReport,
    *,
    target: float,
    output_format: str,
    below: float | None,
    show_all: bool,
    sort: str,
    out: IO[str],
    width: int | None = None,
    groups: Callable[[], str] | None = None,
    milestones: Callable[[str], str] | None = None,
) -> None:
    """The whole ``covtasks report`` command: select, sort and render in one format.

    ``groups`` renders the grouped gap analysis; only the markdown format has it.
    ``milestones`` renders milestone progress (given "text" or "markdown") after the table
    or the list; JSON keeps to its documented keys.
    """
    if output_format not in FORMATS:
        raise UsageError(f"--format must be one of {', '.join(FORMATS)}, not {output_format!r}")
    if groups is not None and output_format != "markdown":
        raise UsageError("--group goes with --format markdown")
    if below is not None and not is_percent(below):
        raise UsageError(f"--below must be a percent from 0 to 100, not {below:g}")
    modules = select_modules(report, target, below, show_all, sort)
    if groups is not None:
        out.write(groups())
    elif output_format == "json":
        out.write(render_json(report, modules, target))
    elif output_format == "markdown":
        out.write(render_markdown(report, modules))
        if milestones is not None:
            out.write("\n" + milestones("markdown"))
    else:
        render_table(report, modules, out, width)
        if milestones is not None:
            out.write("\nMilestones\n" + milestones("text"))
