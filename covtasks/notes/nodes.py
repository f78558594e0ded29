"""Fast walks over ``ast`` trees: the same nodes as ``ast.walk``, and only where wanted."""

from __future__ import annotations

import ast
from bisect import bisect_left
from collections.abc import Callable, Collection

# isinstance(item, ast.AST) as a predicate the C-level filter calls without a Python frame.
_IS_NODE: Callable[[object], bool] = ast.AST.__instancecheck__


def child_nodes(node: ast.AST) -> list[ast.AST]:
    """``node``'s children in the order of ``ast.iter_child_nodes``, without its generators."""
    found: list[ast.AST] = []
    for name in node._fields:
        value = getattr(node, name, None)
        if isinstance(value, ast.AST):
            found.append(value)
        elif isinstance(value, list):
            found.extend(filter(_IS_NODE, value))
    return found


def subtree(root: ast.AST) -> list[ast.AST]:
    """``root`` and every node below it, breadth first, exactly as ``ast.walk`` yields them.

    ``ast.walk`` goes through two generators per node; the notes walk every expression of
    every uncovered statement, and this loop is several times faster.
    """
    found = [root]
    for node in found:  # a list's iteration meets what is appended to it meanwhile
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, ast.AST):
                found.append(value)
            elif isinstance(value, list):
                found.extend(filter(_IS_NODE, value))  # a dict's `**x` key is None
    return found


def first_line(stmt: ast.stmt) -> int:
    """A statement's first line as coverage.py counts it: a decorated definition's first
    decorator's."""
    if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return min([stmt.lineno, *(d.lineno for d in stmt.decorator_list)])
    return stmt.lineno


def last_line(node: ast.stmt | ast.excepthandler) -> int:
    return node.end_lineno or node.lineno


class WantedLines:
    """The lines a walk is for (None: all), asked whether a stretch of code holds one."""

    def __init__(self, lines: Collection[int] | None) -> None:
        self._lines = None if lines is None else sorted(lines)

    def between(self, first: int, last: int) -> bool:
        """Whether a wanted line lies in ``first``..``last``."""
        lines = self._lines
        if lines is None:
            return True
        index = bisect_left(lines, first)
        return index < len(lines) and lines[index] <= last

    def in_statement(self, stmt: ast.stmt) -> bool:
        return self.between(first_line(stmt), last_line(stmt))

    def in_block(self, body: list[ast.stmt]) -> bool:
        return bool(body) and self.between(first_line(body[0]), last_line(body[-1]))
