"""Fast walks over ``ast`` trees: the same nodes in the same order as ``ast.walk``."""

from __future__ import annotations

import ast


def subtree(root: ast.AST) -> list[ast.AST]:
    """``root`` and every node below it, breadth first, exactly as ``ast.walk`` yields them.

    ``ast.walk`` goes through two generators per node; the notes walk every expression of
    every uncovered statement, and this loop is several times faster.
    """
    found = [root]
    index = 0
    while index < len(found):
        node = found[index]
        index += 1
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, ast.AST):
                found.append(value)
            elif isinstance(value, list):
                found.extend(item for item in value if isinstance(item, ast.AST))
    return found
