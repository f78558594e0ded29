"""Code shapes the walk recognises: guarded imports, early exits, main guards, stubs, bindings."""

from __future__ import annotations

import ast
import sys

from covtasks.notes.code_text import dotted_name
from covtasks.notes.facts import IMPORT_ERRORS, SiblingFacts, import_candidates
from covtasks.notes.guard_words import PLATFORM_MODULES
from covtasks.notes.guards import OPTIONAL, PLATFORM, VERSION, Guard
from covtasks.notes.raising import caught_names

# The fields of a statement (or handler, or case) holding statements.
_BLOCK_FIELDS = ("body", "orelse", "finalbody", "handlers", "cases")
IMPORT_IT_DIRECTLY = (
    "; nothing at its top needs that system, so a test may import it directly and run its "
    "logic anywhere, with the system calls passed in as fakes"
)


def imports_anywhere(tree: ast.Module) -> bool:
    """Whether nothing at a module's top level imports what only one system has (``winreg``)
    or asserts its platform: the module imports on any system."""
    for stmt in tree.body:
        if isinstance(stmt, ast.Assert):
            return False
        names = []
        if isinstance(stmt, ast.Import):
            names = [alias.name for alias in stmt.names]
        elif isinstance(stmt, ast.ImportFrom) and stmt.level == 0 and stmt.module:
            names = [stmt.module]
        if any(name.split(".")[0] in PLATFORM_MODULES for name in names):
            return False
    return True


def guard_of_import(imported: str, presence: str) -> Guard:
    """An import that may fail: a standard-library one differs by Python version."""
    top = imported.split(".", maxsplit=1)[0]
    system = PLATFORM_MODULES.get(top)
    if system is not None:  # importable on one system only: platform code, not an extra
        where = f"on {system}" if presence == "with" else f"off {system}"
        return Guard(PLATFORM, f"`{imported}`", where, subject=top)
    if top in sys.stdlib_module_names:
        where = f"on Python versions {presence} `{imported}`"
        return Guard(VERSION, f"`{imported}`", where, subject="sys.version_info")
    return Guard(OPTIONAL, f"`{imported}`", presence, top)


def own_module_advice(module: str) -> str:
    return (
        f"runs only when the project's own `{module}` cannot be imported (a generated module "
        "missing from a tree never built or installed): not a test task; mark the `except` "
        "`# pragma: no cover` with that reason"
    )


def local_bindings(
    function: ast.FunctionDef | ast.AsyncFunctionDef,
) -> dict[str, tuple[ast.expr, ...]]:
    """``name = value`` and ``with value as name`` in a function, not in functions it nests.

    Only statements are visited (bindings live there), in source order.
    """
    bound: dict[str, tuple[ast.expr, ...]] = {}
    pending: list[ast.AST] = list(reversed(function.body))
    while pending:
        node = pending.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        pairs: list[tuple[ast.expr | None, ast.expr | None]] = []
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            pairs = [(node.targets[0], node.value)]
        elif isinstance(node, ast.AnnAssign):
            pairs = [(node.target, node.value)]
        elif isinstance(node, ast.With | ast.AsyncWith):
            pairs = [(item.optional_vars, item.context_expr) for item in node.items]
        for target, value in pairs:
            if isinstance(target, ast.Name) and value is not None:
                bound[target.id] = (*bound.get(target.id, ()), value)
        for name in _BLOCK_FIELDS:
            block = getattr(node, name, None)
            if block:
                pending.extend(reversed(block))
    return bound


class LocalBindings:
    """Each function's local bindings, found once per module for the walk and the judge."""

    def __init__(self) -> None:
        self._found: dict[int, dict[str, tuple[ast.expr, ...]]] = {}

    def of(
        self, function: ast.FunctionDef | ast.AsyncFunctionDef
    ) -> dict[str, tuple[ast.expr, ...]]:
        """``local_bindings(function)``, remembered."""
        found = self._found.get(id(function))
        if found is None:
            found = self._found[id(function)] = local_bindings(function)
        return found


def exits_early(stmt: ast.If) -> bool:
    return not stmt.orelse and exits(stmt.body)


def exits(body: list[ast.stmt]) -> bool:
    return bool(body) and isinstance(body[-1], ast.Return | ast.Raise | ast.Continue | ast.Break)


def raises_import_error(body: list[ast.stmt]) -> bool:
    last = body[-1] if body else None
    if not isinstance(last, ast.Raise) or last.exc is None:
        return False
    raised = last.exc.func if isinstance(last.exc, ast.Call) else last.exc
    return isinstance(raised, ast.Name) and raised.id in IMPORT_ERRORS


def imports_optional(stmt: ast.Try | ast.TryStar) -> str:
    """The module a ``try: import x / except ImportError`` makes optional, else ""."""
    # `except Exception` around an import catches its ImportError as well.
    if not any(
        set(caught_names(handler)) & IMPORT_ERRORS or not caught_names(handler)
        for handler in stmt.handlers
    ):
        return ""
    for inner in stmt.body:
        if isinstance(inner, ast.Import):
            return inner.names[0].name
        if isinstance(inner, ast.ImportFrom) and inner.level == 0 and inner.module:
            return f"{inner.module}.{inner.names[0].name}"
    return ""


def main_guard(stmt: ast.stmt, scope: str) -> tuple[str, str] | None:
    """``if __name__ == "__main__":`` at module level, written either way round."""
    if scope or not isinstance(stmt, ast.If) or not isinstance(stmt.test, ast.Compare):
        return None
    test = stmt.test
    sides = [test.left, *test.comparators]
    names = {side.id for side in sides if isinstance(side, ast.Name)}
    values = {side.value for side in sides if isinstance(side, ast.Constant)}
    is_guard = (
        len(test.ops) == 1
        and isinstance(test.ops[0], ast.Eq)
        and names == {"__name__"}
        and values == {"__main__"}
    )
    return ("<main-guard>", '`if __name__ == "__main__":`') if is_guard else None


def is_stub(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """A body of just ``...`` or ``raise NotImplementedError`` (after any docstring)."""
    body = function.body
    if len(body) > 1 and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    if len(body) != 1:
        return False
    only = body[0]
    if isinstance(only, ast.Expr):
        return isinstance(only.value, ast.Constant) and only.value.value is Ellipsis
    if isinstance(only, ast.Raise) and only.exc is not None:
        raised = only.exc.func if isinstance(only.exc, ast.Call) else only.exc
        return isinstance(raised, ast.Name) and raised.id == "NotImplementedError"
    return False


def own_module_imported(
    stmt: ast.Try | ast.TryStar, caught: tuple[str, ...], path: str, sibling: SiblingFacts
) -> str:
    """The project module a ``try`` only imports, when its ``except`` is for that import
    failing (``from .version import version``): the path when it exists, else the name."""
    if caught and not set(caught) & IMPORT_ERRORS:
        return ""
    if not stmt.body or not all(isinstance(s, ast.ImportFrom) for s in stmt.body):
        return ""
    first = stmt.body[0]
    # An absolute import there made the `try` an optional dependency's already.
    assert isinstance(first, ast.ImportFrom)
    assert first.level > 0
    dotted = "." * first.level + (first.module or "")
    candidates = import_candidates(path, first.level, first.module or "")
    found = sibling(candidates) if candidates else None
    return found.path if found is not None else dotted


# Standard-library bases that are interfaces or markers, not behaviour to compare against.
_NO_TWINS = frozenset(
    {"abc", "typing", "typing_extensions", "enum", "collections", "types", "dataclasses",
     "numbers", "contextlib", "builtins", "io"}
)  # fmt: skip


def stdlib_twin(cls: ast.ClassDef, aliases: dict[str, str]) -> str:
    """The standard-library class ``cls`` extends, for a differential test; "" if none."""
    for base in cls.bases:
        name = dotted_name(base, aliases)
        top = name.split(".")[0]
        if top in sys.stdlib_module_names and top not in _NO_TWINS and "." in name:
            return name
    return ""
