"""How code reads in a note: dotted names with import aliases resolved, conditions on one line."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from covtasks.escaping import terminal_text

MAX_CONDITION_SHOWN = 40
MAX_LITERAL_SHOWN = 30


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


def root_name(node: ast.expr) -> str:
    """The name an attribute chain starts from (``a`` of ``a.b.c``); "" from a call or other."""
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else ""


def name_prefixes(node: ast.expr, aliases: dict[str, str]) -> Iterator[str]:
    """``a.b.c``, ``a.b``, ``a`` for an attribute chain, stopping at calls and subscripts."""
    current: ast.expr = node
    while True:
        yield dotted_name(current, aliases)
        if not isinstance(current, ast.Attribute) or not isinstance(
            current.value, ast.Name | ast.Attribute
        ):
            return
        current = current.value


def short_literal(value: str) -> str:
    """A string literal on one line, shortened, with nothing raw a terminal would act on."""
    # A literal is data from the measured source: control and bidi characters are shown as
    # escapes, so none reaches the task file or a terminal raw.
    text = terminal_text(" ".join(value.split()).replace("`", "'"))
    return text if len(text) <= MAX_LITERAL_SHOWN else text[: MAX_LITERAL_SHOWN - 1].rstrip() + "…"
