"""The notes' shortcuts see what the full walk sees: subtree = ast.walk, pruning = no pruning."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import covtasks.notes
from covtasks.notes.facts import module_facts
from covtasks.notes.guards import GuardFinder
from covtasks.notes.judge import Judge
from covtasks.notes.nodes import child_nodes, subtree
from covtasks.notes.project import ProjectContext
from covtasks.notes.rules import default_rules
from covtasks.notes.walk import Unit, Walker

# Real modules with decorators, nested functions, try/except, match and guards.
SOURCES = [*sorted(Path(covtasks.notes.__file__).parent.glob("*.py")), Path(ast.__file__)]
MATCHING = """\
import sys

if sys.platform == "win32":
    import winreg


@property
def shape(value, *rest, flag=None, **more):
    match value:
        case [first, *_] if first:
            return first
        case {"k": k}:
            return k
    try:
        import numpy
    except ImportError:
        return None
    assert sys.version_info >= (3, 11)
    return numpy


async def fetch(path):
    total: int = 0
    with open(path) as handle, open(path) as other:
        data = handle.read() + other.read()
        total = len(data)
    return total


class Thing(dict):
    def get(self, key):
        if key is None:
            raise KeyError(key)
        return super().get(key)
"""

# Lists holding more than nodes: a `**` key is None, `global` names are strings.
UNPACKING = """\
def merged(extra):
    global COUNT
    return {**extra, "a": [1, *extra]}
"""
# One name, a seam in one function and a parameter of another.
SEAMS = """\
from os import environ


def reads():
    first = environ["A"]
    second = environ["B"]
    return first, second


def given(environ):
    return environ["A"]
"""


def _tree(source: Path | str) -> ast.Module:
    text = source if isinstance(source, str) else source.read_text(encoding="utf-8")
    return ast.parse(text)


@pytest.mark.parametrize(
    "source", [*SOURCES, MATCHING, UNPACKING], ids=lambda s: getattr(s, "name", "text")
)
def test_subtree_and_children_of_real_code_are_what_ast_walk_and_iter_child_nodes_give(
    source: Path | str,
) -> None:
    tree = _tree(source)
    assert [id(node) for node in subtree(tree)] == [id(node) for node in ast.walk(tree)]
    for node in ast.walk(tree):
        assert [id(child) for child in child_nodes(node)] == [
            id(child) for child in ast.iter_child_nodes(node)
        ]


def _seen(units: list[Unit], wanted: set[int]) -> list[tuple[int, int, object]]:
    return [(unit.line, id(unit.node), unit.context) for unit in units if unit.line in wanted]


@settings(max_examples=60, derandomize=True, deadline=None)
@given(
    st.sampled_from([*SOURCES[:4], MATCHING]),
    st.data(),
)
def test_a_walk_pruned_to_wanted_lines_meets_them_as_the_full_walk_does(
    source: Path | str, data: st.DataObject
) -> None:
    tree = _tree(source)
    last = max(getattr(node, "end_lineno", 0) or 0 for node in ast.walk(tree))
    wanted = data.draw(st.sets(st.integers(1, last), max_size=40))
    facts = module_facts("pkg/m.py", tree)

    def walker() -> Walker:
        return Walker(GuardFinder(facts, lambda _paths: None), facts, default_rules())

    full = list(walker().units(tree))
    pruned = list(walker().units(tree, None, wanted))
    assert _seen(pruned, wanted) == _seen(full, wanted)
    assert len(pruned) <= len(full)


def test_a_walk_pruned_to_no_lines_meets_no_statement() -> None:
    tree = _tree(MATCHING)
    facts = module_facts("pkg/m.py", tree)
    walker = Walker(GuardFinder(facts, lambda _paths: None), facts, default_rules())
    assert list(walker.units(tree, None, ())) == []


@pytest.mark.parametrize(
    "source",
    [*SOURCES[:4], MATCHING, SEAMS],
    ids=[*(p.name for p in SOURCES[:4]), "match", "seams"],
)
def test_a_judge_asked_about_every_statement_judges_each_as_a_fresh_judge_does(
    source: Path | str,
) -> None:
    # The judge remembers what it worked out (a name in a function, a condition, a
    # function's logic): a statement judged after many others needs the same as if first.
    tree = _tree(source)
    text = source if isinstance(source, str) else source.read_text(encoding="utf-8")
    facts = module_facts("pkg/m.py", tree)
    finder = GuardFinder(facts, lambda _paths: None)
    units = list(Walker(finder, facts, default_rules()).units(tree))

    def judge() -> Judge:
        return Judge(facts, finder, default_rules(), ProjectContext(), text.splitlines(), False)

    shared = judge()
    remembered = [shared.need(unit, with_context=True) for unit in units]
    assert remembered == [judge().need(unit, with_context=True) for unit in units]
    # Asked again, each from what it remembers.
    assert [shared.need(unit, with_context=True) for unit in units] == remembered
