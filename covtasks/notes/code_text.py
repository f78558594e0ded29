"""How code reads in a note: dotted names with import aliases resolved, conditions on one line."""

from __future__ import annotations

import ast

MAX_CONDITION_SHOWN = 40


def dotted_name(node: ast.expr, aliases: dict[str, str]) -> str:
    """The name an expression refers to, with imported aliases resolved to module paths."""
    if isinstance(node, ast.Name):
        return aliases.get(node.id, node.id)
    if isinstance(node, ast.Attribute):
        return f"{dotted_name(node.value, aliases)}.{node.attr}"
    if isinstance(node, ast.Call):
        return f"{dotted_name(node.func, aliases)}()"
    if isinstance(node, ast.Subscript):
        return f"{dotted_name(node.value, aliases)}[]"
    return "…"


def shown(node: ast.AST) -> str:
    """Source text of a condition on one line, shortened."""
    text = " ".join(ast.unparse(node).split()).replace("`", "'")
    return text if len(text) <= MAX_CONDITION_SHOWN else text[: MAX_CONDITION_SHOWN - 1] + "…"


_NEGATED_OPS: dict[type[ast.cmpop], ast.cmpop] = {
    ast.Eq: ast.NotEq(),
    ast.NotEq: ast.Eq(),
    ast.In: ast.NotIn(),
    ast.NotIn: ast.In(),
    ast.Is: ast.IsNot(),
    ast.IsNot: ast.Is(),
}


def negation(test: ast.expr) -> str:
    """``test`` negated as a reader writes it: ``sys.platform == 'win32'``, not ``not (!=)``."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return shown(test.operand)
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and type(test.ops[0]) in _NEGATED_OPS:
        flipped = ast.Compare(test.left, [_NEGATED_OPS[type(test.ops[0])]], test.comparators)
        return shown(flipped)
    return f"not ({shown(test)})"
