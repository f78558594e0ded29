"""What can raise what: the nodes that raise each exception, and what an ``except`` catches."""

from __future__ import annotations

import ast
from collections.abc import Collection

# Expressions and statements that can raise, by the exceptions they raise. Anything else in
# a `try` (names, constants, assignments of them, `pass`) raises nothing.
_ANY = (ast.Call, ast.Raise, ast.Await, ast.Yield, ast.YieldFrom, ast.With, ast.AsyncWith)
_BY_EXCEPTION: dict[str, tuple[type[ast.AST], ...]] = {
    "KeyError": (ast.Subscript, ast.Delete),
    "IndexError": (ast.Subscript, ast.Delete),
    "LookupError": (ast.Subscript, ast.Delete),
    "AttributeError": (ast.Attribute,),
    "ImportError": (ast.Import, ast.ImportFrom),
    "ModuleNotFoundError": (ast.Import, ast.ImportFrom),
    "ZeroDivisionError": (ast.BinOp, ast.AugAssign),
    "StopIteration": (ast.For, ast.comprehension),
    "AssertionError": (ast.Assert,),
}
_GENERAL = (
    ast.Subscript,
    ast.Attribute,
    ast.BinOp,
    ast.UnaryOp,
    ast.Compare,
    ast.AugAssign,
    ast.Import,
    ast.ImportFrom,
    ast.For,
    ast.AsyncFor,
    ast.Assert,
    ast.Delete,
    ast.Starred,
    ast.JoinedStr,
    ast.comprehension,
    ast.Name,  # an unbound name raises NameError / UnboundLocalError
)


# Exceptions no argument value causes: the user, the terminal or the system raises them.
NOT_FROM_VALUES = frozenset(
    {
        "KeyboardInterrupt",
        "EOFError",
        "SystemExit",
        "GeneratorExit",
        "MemoryError",
        "RecursionError",
        "BrokenPipeError",
        "ConnectionError",
        "ConnectionResetError",
        "ConnectionAbortedError",
        "TimeoutError",
        "InterruptedError",
    }
)


def can_raise(nodes: list[ast.AST], caught: Collection[str]) -> bool:
    """Whether any of a ``try`` body's ``nodes`` can raise one of the ``caught`` names.

    An empty ``caught`` (a bare ``except``, ``Exception``) asks about any exception.
    """
    if any(isinstance(node, _ANY) for node in nodes):
        return True
    specific = [name for name in caught if name in _BY_EXCEPTION]
    if caught and len(specific) == len(caught):
        kinds = tuple(kind for name in specific for kind in _BY_EXCEPTION[name])
        return any(isinstance(node, kinds) for node in nodes)
    return any(
        isinstance(node, _GENERAL)
        and not (isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store))
        for node in nodes
    )


def caught_names(handler: ast.ExceptHandler) -> tuple[str, ...]:
    """The exception names an ``except`` clause lists (empty for a bare or broad one)."""
    caught = handler.type
    if caught is None:
        return ()
    items = caught.elts if isinstance(caught, ast.Tuple) else [caught]
    names = tuple(item.id if isinstance(item, ast.Name) else ast.unparse(item) for item in items)
    return () if {"Exception", "BaseException"} & set(names) else names


def may_raise(node: ast.AST) -> bool:
    """Whether ``node`` may raise some exception (a stored name does not)."""
    return isinstance(node, (*_ANY, *_GENERAL)) and not (
        isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
    )
