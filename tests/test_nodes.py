"""Fast walks over ``ast`` trees (``covtasks.notes.nodes``): the nodes ``ast.walk`` yields,
and whether a stretch of lines holds a wanted one."""

from __future__ import annotations

import ast

import pytest

from covtasks.notes.nodes import WantedLines, subtree


def test_subtree_yields_the_nodes_of_ast_walk_in_its_order() -> None:
    tree = ast.parse("def f(x):\n    return [y for y in x if y] or {'k': -x}\n")
    assert subtree(tree) == list(ast.walk(tree))


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [(1, 1, True), (150, 160, True), (300, 300, True), (301, 400, False), (0, 0, False)],
)
def test_a_stretch_holds_a_wanted_line_only_when_one_lies_within_it(
    first: int, last: int, expected: bool
) -> None:
    # More lines than CPython keeps one int object for (256): positions compared by value.
    wanted = WantedLines(range(1, 301))
    assert wanted.between(first, last) is expected


def test_without_wanted_lines_every_stretch_is_wanted() -> None:
    assert WantedLines(None).between(5, 1)
