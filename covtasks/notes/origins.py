"""Error paths by origin: what makes an ``except`` or a ``raise`` run, and so how to test it."""

from __future__ import annotations

import ast
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass

from covtasks.notes.code_text import negation, shown
from covtasks.notes.nodes import subtree
from covtasks.notes.raising import NOT_FROM_VALUES, can_raise, caught_names, may_raise

# Seams that hold data, not behaviour: once a parameter, a test passes values, not a fake.
DATA_SEAMS = frozenset({"cli", "environment"})
# Expressions whose parameter operands are only tested, never operated on.
_TESTS_ONLY = (ast.IfExp, ast.BoolOp, ast.UnaryOp)
# Statements that operate on a parameter directly (`for x in items`, `del d[key]`).
_USES = (ast.For, ast.AsyncFor, ast.AugAssign, ast.Delete, ast.With, ast.AsyncWith, ast.Raise)
MAX_CONDITIONS_SHOWN = 2  # the innermost conditions a `raise` note names
_MAX_LOCALS = 8  # names followed through assignments: enough for `c = Popen(); s = c.stdin`


@dataclass(frozen=True, slots=True)
class Origin:
    """How an error path is reached: who triggers it and the advice for a test."""

    origin: str  # input, collaborator, ambient, thread-local, caller, unreachable, always
    advice: str


def handler_origin(
    body: list[ast.stmt],
    handler: ast.ExceptHandler,
    params: Collection[str],
    thread_locals: Collection[str],
    ambient: Callable[[ast.AST], tuple[str, str] | None],
    bindings: Callable[[], Mapping[str, tuple[ast.expr, ...]]] = dict,
) -> Origin:
    """Where the exception an ``except`` catches comes from, judged from its ``try`` body.

    ``ambient`` names the seam a call or attribute touches and its kind; ``bindings`` gives
    the local (and module) names the body uses with the expression each was bound to, so a
    pipe taken from ``subprocess.Popen`` two assignments earlier is still the runner's.
    """
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
    if any(isinstance(node, ast.Yield | ast.YieldFrom) for node in nodes):
        return Origin(
            "caller",
            f"{what} is thrown in at the `yield` by the caller's block → raise it inside "
            "`with` (or `.throw()` it into the generator); assert on the handling",
        )
    # The body's own calls first, then what its local names were bound to.
    found = _from_seams([(node, "") for node in nodes], params, ambient, what)
    if found is None:
        through = list(_through_locals(nodes, bindings(), set(params)))
        found = _from_seams(through, params, ambient, what)
    if found is not None:
        return found
    from_values = not caught or not set(caught) <= NOT_FROM_VALUES
    used = _raising_uses(body, params) if from_values else []
    if used:
        return Origin(
            "input",
            f"input `{used[0]}` → pass a `{used[0]}` that makes the `try` raise {what}",
        )
    calls = [node for node in nodes if isinstance(node, ast.Call)]
    if calls:
        first = ast.unparse(calls[0].func)
        how = (
            f"(or drive the input that makes it raise {what})"
            if from_values
            else f"first, then pass a fake that raises {what}"
        )
        return Origin(
            "collaborator",
            f"collaborator `{first}` → make it a parameter {how}; assert on the handling",
        )
    raising = next(node for node in nodes if may_raise(node))
    return Origin(
        "input",
        f"`{shown(raising)}` → reach it with values that make it raise {what}",
    )


def _from_seams(
    reached: list[tuple[ast.AST, str]],
    params: Collection[str],
    ambient: Callable[[ast.AST], tuple[str, str] | None],
    what: str,
) -> Origin | None:
    """A collaborator among ``reached`` (a call on a parameter or ``self``), else a seam."""
    for node, via in reached:
        found = _collaborator(node, params)
        if found is not None:
            through = f" (through `{via}`)" if via else ""
            result = "whose result makes the `try` raise" if via else "that raises"
            return Origin(
                "collaborator",
                f"collaborator `{found}`{through} → pass a fake {result} {what}; assert on "
                "the handling",
            )
    for node, via in reached:
        if isinstance(node, ast.Name) and node.id in params:
            continue
        seam = ambient(node) if isinstance(node, ast.Call | ast.Attribute | ast.Name) else None
        if seam is not None:
            name, kind = seam
            through = f" (`{via}` comes from it)" if via else ""
            then = (
                f"pass values that make the `try` raise {what}"
                if kind in DATA_SEAMS
                else f"pass a fake that raises {what}"
            )
            return Origin(
                "ambient", f"ambient `{name}`{through} → make it a parameter first, then {then}"
            )
    return None


def _collaborator(node: ast.AST, params: Collection[str]) -> str | None:
    """The callee of a call on a parameter or on ``self``: a collaborator a test can swap."""
    if not isinstance(node, ast.Call):
        return None
    callee = node.func
    root = _root(callee)
    if root in params or (root == "self" and isinstance(callee, ast.Attribute)):
        return ast.unparse(callee)
    return None


def _through_locals(
    nodes: list[ast.AST], bindings: Mapping[str, tuple[ast.expr, ...]], params: set[str]
) -> Iterator[tuple[ast.AST, str]]:
    """Nodes of what the body's receivers were bound to, with the receiver's name.

    Only receivers and callees are followed (``stdin`` of ``stdin.write(...)``, ``prompt`` of
    ``prompt()``): what runs can raise; a name passed as an argument is only data.
    """
    seen: set[str] = set()
    receivers = [node.value for node in nodes if isinstance(node, ast.Attribute)]
    receivers += [node.func for node in nodes if isinstance(node, ast.Call)]
    pending = [(node.id, node.id) for node in receivers if isinstance(node, ast.Name)]
    while pending:
        name, via = pending.pop(0)
        if name in seen or name in params or name not in bindings or len(seen) > _MAX_LOCALS:
            continue
        seen.add(name)
        for value in bindings[name]:
            for node in subtree(value):
                yield node, via
                if isinstance(node, ast.Name):
                    pending.append((node.id, via))


def _raising_uses(body: list[ast.stmt], params: Collection[str]) -> list[str]:
    """Parameters used where a value can make the body raise: an argument, an operand, a
    subscript, an attribute's owner, an iterable; not one only tested or passed along."""
    used: set[str] = set()
    for stmt in body:
        for parent in subtree(stmt):
            if _only_tests(parent):
                continue
            used.update(
                child.id
                for child in ast.iter_child_nodes(parent)
                if isinstance(child, ast.Name) and child.id in params
            )
    return sorted(used)


def _only_tests(parent: ast.AST) -> bool:
    """Whether a parameter directly under ``parent`` is only tested, assigned or returned."""
    if isinstance(parent, ast.Compare):
        return all(isinstance(op, ast.Is | ast.IsNot | ast.Eq | ast.NotEq) for op in parent.ops)
    if isinstance(parent, ast.stmt):
        return not isinstance(parent, _USES)
    return isinstance(parent, _TESTS_ONLY)


def raise_origin(
    node: ast.Raise,
    conditions: tuple[tuple[ast.expr, bool], ...],
    params: Collection[str],
    thread_locals: Collection[str],
) -> Origin:
    """Who triggers a ``raise``: the conditions guarding it (outermost first, the innermost
    two shown) name an argument, state or nothing."""
    raised = "`raise`" if node.exc is None else f"`raise {_raised(node.exc)}`"
    # `if __debug__:` says nothing about who triggers it.
    telling = [c for c in conditions if not (isinstance(c[0], ast.Name) and c[0].id == "__debug__")]
    if not telling:
        return Origin(
            "always",
            f"{raised} runs whenever it is reached → call it and assert with `pytest.raises`",
        )
    shown_conditions = telling[-MAX_CONDITIONS_SHOWN:]
    when = " and ".join(
        f"`{shown(test) if positive else negation(test)}`" for test, positive in shown_conditions
    )
    names = {n.id for test, _ in shown_conditions for n in subtree(test) if isinstance(n, ast.Name)}
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
