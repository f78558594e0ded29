"""Error paths by origin: what makes an ``except`` or a ``raise`` run, and so how to test it."""

from __future__ import annotations

import ast
from collections.abc import Callable, Collection
from dataclasses import dataclass

from covtasks.notes.code_text import shown
from covtasks.notes.nodes import subtree

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


@dataclass(frozen=True, slots=True)
class Origin:
    """How an error path is reached: who triggers it and the advice for a test."""

    origin: str  # input, collaborator, ambient, thread-local, unreachable, always
    advice: str


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


def handler_origin(
    body: list[ast.stmt],
    handler: ast.ExceptHandler,
    params: Collection[str],
    thread_locals: Collection[str],
    ambient: Callable[[ast.AST], str | None],
) -> Origin:
    """Where the exception an ``except`` catches comes from, judged from its ``try`` body."""
    caught = caught_names(handler)
    what = f"`{'`/`'.join(caught)}`" if caught else "an exception"
    nodes = [node for stmt in body for node in subtree(stmt)]
    if not can_raise(nodes, caught):
        return Origin("unreachable", f"nothing in its `try` can raise {what}")
    names = {node.id for node in nodes if isinstance(node, ast.Name)}
    local_state = sorted(names & set(thread_locals))
    if local_state:
        return Origin(
            "thread-local",
            f"thread-local `{local_state[0]}` → call it in a fresh `threading.Thread` where "
            f"nothing was set on it, and assert on the handling of {what}",
        )
    calls = [node for node in nodes if isinstance(node, ast.Call)]
    for call in calls:
        callee = call.func
        root = _root(callee)
        if root in params or (root == "self" and isinstance(callee, ast.Attribute)):
            shown_callee = ast.unparse(callee)
            return Origin(
                "collaborator",
                f"collaborator `{shown_callee}` → pass a fake that raises {what}; assert on "
                "the handling",
            )
    for node in nodes:
        seam = ambient(node) if isinstance(node, ast.Call | ast.Attribute) else None
        if seam is not None:
            return Origin(
                "ambient",
                f"ambient {seam} → make it a parameter first, then pass a fake that raises {what}",
            )
    used = sorted(names & set(params))
    if used:
        return Origin(
            "input",
            f"input `{used[0]}` → pass a `{used[0]}` that makes the `try` raise {what}",
        )
    if calls:
        first = ast.unparse(calls[0].func)
        return Origin(
            "collaborator",
            f"collaborator `{first}` → make it a parameter (or drive the input that makes "
            f"it raise {what}); assert on the handling",
        )
    return Origin("input", f"state → reach it with values that make the `try` raise {what}")


def raise_origin(
    node: ast.Raise,
    condition: tuple[ast.expr, bool] | None,
    params: Collection[str],
    thread_locals: Collection[str],
) -> Origin:
    """Who triggers a ``raise``: the condition guarding it names an argument, state or nothing."""
    raised = "`raise`" if node.exc is None else f"`raise {_raised(node.exc)}`"
    if condition is None:
        return Origin(
            "always",
            f"{raised} runs whenever it is reached → call it and assert with `pytest.raises`",
        )
    test, positive = condition
    when = f"`{shown(test)}`" if positive else f"`not ({shown(test)})`"
    names = {n.id for n in subtree(test) if isinstance(n, ast.Name)}
    state = sorted(names & set(thread_locals))
    if state:
        return Origin(
            "thread-local",
            f"{raised} when {when} → call it in a fresh `threading.Thread` where nothing was set",
        )
    inputs = sorted(names & set(params))
    if inputs:
        chosen = ", ".join(f"`{name}`" for name in inputs[:3])
        return Origin("input", f"{raised} when {when} → pass {chosen} that make it so")
    if "self" in names:
        return Origin("input", f"{raised} when {when} → build the object in that state")
    return Origin("input", f"{raised} when {when} → reach it with inputs that make it so")


def _root(node: ast.expr) -> str:
    while isinstance(node, ast.Attribute | ast.Call | ast.Subscript):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else ""


def _raised(exc: ast.expr) -> str:
    return ast.unparse(exc.func if isinstance(exc, ast.Call) else exc)
