"""What an entry says: the template values of one entry, each markdown-ready.

The status word, the Summary sentence, the Coverage line (coverage.py's combined figure,
then lines and branches with counts, then the baseline once it differs), Missing, Owner,
Priority, Size (with the notes), Milestone, the DI/fixture notes and Validation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from covtasks.escaping import code_span, escape_text
from covtasks.memory import DONE, OPEN, PROGRESS, Memory
from covtasks.model import ModuleCoverage
from covtasks.numbers import exact_percent
from covtasks.summary import gap_sentence

if TYPE_CHECKING:  # the planner imports this module; its inputs are only a type here
    from covtasks.planner import PlanInputs


def status_word(memory: Memory, inputs: PlanInputs) -> str:
    """The heading's status word for the entry's lifecycle state, as configured."""
    words = inputs.config.statuses
    return {OPEN: words.open, PROGRESS: words.in_progress, DONE: words.completed}[memory.state]


def entry_values(
    module: ModuleCoverage | None,
    memory: Memory,
    inputs: PlanInputs,
    priority: str | None,
    notes: bool = True,
) -> dict[str, str]:
    """Template values for one entry; markdown-ready (paths are code spans).

    Without ``notes`` the placeholders made from the notes (notes, summary) have no value,
    and without a ``priority`` (a module at target is not ranked) neither has priority, so
    their fields are left as they are.
    """
    values = {
        "status": status_word(memory, inputs),
        "path": code_span(memory.module),
        "target": _percent_text(inputs.config.target),
    }
    if module is None:
        values["coverage"] = f"No longer measured since {memory.unmeasured}."
        return values
    milestone = inputs.milestone_of(module.path)
    precision = inputs.report.precision
    values |= {
        "coverage": coverage_text(module, memory, precision, inputs.config.target),
        "missing": _missing_text(module),
        "owner": escape_text(inputs.owner_of(module.path)),
        "milestone": "" if milestone is None else escape_text(milestone[1]),
        "validation": inputs.validation_of(module),
    }
    if priority is not None:
        values["priority"] = priority
    title = f"test: cover {module.path} to {values['target']}%"
    values["pr"] = f"title {code_span(title)}"
    depends = [inputs.umbrella_ref] if inputs.umbrella_ref else []
    if milestone is not None:
        depends.append(f"milestone {values['milestone']}")
    values["dependencies"] = "; ".join(depends)
    if notes:  # Size comes with the notes: same inputs, same size
        found = list(inputs.notes_of(module))
        values["notes"] = "\n".join(f"- {note}" for note in found)
        values["size"] = inputs.size_of(module)
        values["next_steps"] = "\n".join(
            f"{1 if inputs.numbering == 'repeat' else number}. {note}"
            for number, note in enumerate(found, start=1)
        )
        sentence = gap_sentence(inputs.gap_groups(module), memory.nature)
        values["summary"] = sentence or _plain_summary(module, memory, values["target"])
    return values


def git_plan(path: str, module_slug: str, target: str) -> str:
    """``branch `test/cov-preparer`; commit `test(preparer): cover pkg/preparer.py to 100%` ``.

    The commit's scope is the module's name (its package's for an ``__init__.py``).
    """
    parts = path.removesuffix(".py").split("/")
    scope = parts[-2] if parts[-1] == "__init__" and len(parts) > 1 else parts[-1]
    commit = f"test({scope}): cover {path} to {target}%"
    return f"branch {code_span('test/cov-' + module_slug)}; commit {code_span(commit)}"


def _plain_summary(module: ModuleCoverage, memory: Memory, target: str) -> str:
    """The Summary when the notes say nothing about the gap: its size, or that it is closed."""
    if memory.state == DONE:
        return f"At {target}% line and branch coverage since {memory.completed}."
    counts = module.counts
    parts = [f"{counts.missing} lines"] if counts.missing else []
    if counts.missing_branches:
        parts.append(f"{counts.missing_branches} branches")
    return f"{' and '.join(parts) or 'Nothing'} left to cover."


def coverage_text(
    module: ModuleCoverage, memory: Memory, precision: int, target: float = 100.0
) -> str:
    """coverage.py's combined figure, then lines and branches with counts, then the baseline.

    ``47.83% (lines 57.89%, 11/19; branches 0.00%, 0/4), up from 0.00% on 2026-11-23``; the
    baseline only while it reads differently from now, no branch figure without branches.
    """
    counts = module.counts
    now = counts.combined_display(precision)
    if counts.branches:
        parts = (
            f"lines {counts.line_display(precision)}%, {counts.covered}/{counts.statements}; "
            f"branches {counts.branch_display(precision)}%, "
            f"{counts.covered_branches}/{counts.branches}"
        )
    else:  # the combined figure is the line figure: say it once
        parts = f"lines {counts.covered}/{counts.statements}"
    text = f"{now}% ({parts})"
    base = memory.baseline
    # No "as of today" date: an unchanged module must not change the file day after day.
    if base is not None and base.display(precision) != now:
        covered = counts.covered + counts.covered_branches
        current = exact_percent(covered, counts.statements + counts.branches)
        direction = "up" if base.exact < current else "down"
        text += f", {direction} from {base.display(precision)}%"
        text += f" on {base.day}" if base.day else ""
    if memory.state == DONE:
        text += f"; completed {memory.completed}"
    if memory.regressed:
        text += f"; regressed from {_percent_text(target)}% on {memory.regressed}"
        if memory.completed:
            text += f" (at target since {memory.completed})"
    return text


def _percent_text(value: float) -> str:
    return f"{value:g}"


def _missing_text(module: ModuleCoverage) -> str:
    parts = []
    if module.missing_ranges:
        parts.append(f"lines `{module.missing_ranges}`")
    if module.missing_arcs_text:
        parts.append(f"branches `{module.missing_arcs_text}`")
    return "; ".join(parts) or "none"
