"""DI/fixture notes for one module: walk its code, give every uncovered line one need."""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from covtasks.collector import collector_paused
from covtasks.model import CoverageReport, ModuleCoverage
from covtasks.notes.facts import module_facts
from covtasks.notes.grouping import (
    NOT_TEST_WORK,
    ModuleNotes,
    Need,
    class_of,
    group_notes,
    impact_of,
)
from covtasks.notes.guards import PLATFORM, Guard, GuardFinder
from covtasks.notes.judge import Judge, rule_need
from covtasks.notes.project import ProjectContext
from covtasks.notes.rules import RuleTable
from covtasks.notes.shapes import IMPORT_IT_DIRECTLY, LocalBindings, imports_anywhere
from covtasks.notes.walk import Walker

PLAIN_KINDS = frozenset({"logic", "error-path"})


@collector_paused()
def analyse_module(
    module: ModuleCoverage,
    source: str | None,
    rules: RuleTable,
    project: ProjectContext | None = None,
) -> ModuleNotes:
    """Notes for the code ``module`` left uncovered; ``source`` None degrades to line numbers.

    Uncovered code is every missing line plus each decision whose untaken branch leads to
    code that did run (or out of the function). Every such line lands in exactly one note.
    """
    project = project or ProjectContext()
    try:
        tree = None if source is None else ast.parse(source)
    except (SyntaxError, ValueError, RecursionError):  # not Python (any more): as no source
        tree = None
    if tree is None or source is None:
        return _unanalysed(module, rules)
    try:
        return _analysed(module, source, tree, rules, project)
    except RecursionError:  # nested deeper than the walk follows (a generated 400-way elif)
        return _unanalysed(module, rules)


def _unanalysed(module: ModuleCoverage, rules: RuleTable) -> ModuleNotes:
    """Line numbers only, every uncovered line in one note: no source to read."""
    missing = set(module.missing_lines)
    decisions = {src for src, _ in module.missing_arcs} - missing
    unanalysed = ("", rule_need(rules.structural("<unanalysed>")))
    notes = group_notes(dict.fromkeys(missing | decisions, unanalysed), module.statement_lines)
    gap = module.counts.missing + module.counts.missing_branches
    return ModuleNotes(notes, "deterministic", impact_of(module.counts), True, gap)


def _analysed(
    module: ModuleCoverage,
    source: str,
    tree: ast.Module,
    rules: RuleTable,
    project: ProjectContext,
) -> ModuleNotes:
    missing = set(module.missing_lines)
    decisions = {src for src, _ in module.missing_arcs} - missing
    # A decision whose untaken branch leads to missing lines is explained by their notes
    # unless it touches a seam or a guard itself; one that leads to code run by another
    # path (or out of the function) is a gap of its own.
    open_decisions = {src for src, dst in module.missing_arcs if dst not in missing} - missing
    facts = module_facts(module.path, tree)
    finder = GuardFinder(facts, project.sibling)
    bindings = LocalBindings()
    walker = Walker(finder, facts, rules, frozenset(missing), bindings)
    judge = Judge(
        facts, finder, rules, project, source.splitlines(), module.counts.covered == 0, bindings
    )
    untaken: dict[int, list[int]] = {}
    for src, dst in module.missing_arcs:
        untaken.setdefault(src, []).append(dst)
    needs: dict[int, tuple[str, Need]] = {}
    # A module no test imported may be one its package imports only on some platform.
    imported_under = project.import_guard(module.path) if module.counts.covered == 0 else None
    if _on_one_system(imported_under) and imports_anywhere(tree):
        assert imported_under is not None
        # Only the package's import is platform-bound: a test may import the module itself.
        advice = project.guard_advice(imported_under, "", "") + IMPORT_IT_DIRECTLY
        imported_under = replace(imported_under, advice=advice)
    # Only statements holding a missing line or an end of a missing branch need a look.
    wanted = missing | {line for arc in module.missing_arcs for line in arc if line > 0}
    for unit in walker.units(tree, imported_under, wanted):
        # A module that runs only somewhere is one bullet, not one per function.
        guard = unit.context.guard
        scope = "" if guard is not None and guard.whole_module else unit.context.scope
        if unit.line in missing and unit.line not in needs:
            need = judge.need(unit, with_context=True)
            needs[unit.line] = (scope if need.scope is None else need.scope, need)
        elif unit.line in decisions and unit.line not in needs:
            need = judge.decision(unit, untaken[unit.line])
            if unit.line in open_decisions or need.kind not in PLAIN_KINDS:
                needs[unit.line] = (scope if need.scope is None else need.scope, need)
    for line in (missing | open_decisions) - needs.keys():  # lines the walk never met
        needs[line] = ("", judge.logic(""))
    notes = group_notes(needs, module.statement_lines)
    set_aside: dict[str, int] = {}
    for _, need in needs.values():
        if need.kind in NOT_TEST_WORK:
            set_aside[need.kind] = set_aside.get(need.kind, 0) + 1
    aside_lines = {line for line, (_, need) in needs.items() if need.kind in NOT_TEST_WORK}
    # A branch is set aside from where it leaves, or where it lands when that line never ran
    # for a reason set aside; a decision line that ran is code like any other to land on.
    # (A line under a guard is entered only through a decision under that guard or the
    # guard's own: Judge gives those the guard's kind, so they are set aside as sources.)
    aside_landings = aside_lines & missing
    branches = sum(
        1
        for src, dst in module.missing_arcs
        if src not in aside_lines and dst not in aside_landings
    )
    gap = len(missing - aside_lines) + branches
    return ModuleNotes(notes, class_of(notes), impact_of(module.counts, gap), False, gap, set_aside)


def source_reader(root: Path) -> Callable[[str], str | None]:
    """Read a measured module's source safely (see covtasks.sources); None when unreadable."""
    from covtasks.sources import ProjectSources

    return ProjectSources(root).read_text


def analyse_report(
    report: CoverageReport,
    read_source: Callable[[str], str | None],
    rules: RuleTable,
    project: ProjectContext | None = None,
) -> dict[str, ModuleNotes]:
    """Notes for every measured module, keyed by path, sources fetched by ``read_source``."""
    return {m.path: analyse_module(m, read_source(m.path), rules, project) for m in report.modules}


def _on_one_system(guard: Guard | None) -> bool:
    return guard is not None and guard.kind == PLATFORM and guard.where.startswith("on ")
