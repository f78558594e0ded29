"""What a module's top level says about its names: imports, constants, optional imports."""

from __future__ import annotations

import ast
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field

# The exceptions a missing optional dependency raises at import time.
IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError"})
# The fields of a compound statement that hold statements (besides handlers and cases).
_BLOCKS = ("body", "orelse", "finalbody")
_ABSTRACT_BASES = frozenset({"ABC", "ABCMeta", "Protocol"})


@dataclass(slots=True)
class ModuleFacts:
    """Names bound at a module's top level, as the notes engine needs them.

    ``aliases`` maps a local name to the dotted name it stands for (``t`` → ``typing``);
    ``relative`` maps a name imported from another module of the project to that module's
    possible paths and the name there (``WIN`` → ``(("src/click/_compat.py", …), "WIN")``),
    or to the module itself (name ``""``); ``constants`` holds top-level ``NAME = expr`` bindings;
    ``optional`` maps a name imported under ``try/except ImportError`` to the module it
    imports; ``thread_locals`` are names bound to ``threading.local()``.
    """

    path: str
    aliases: dict[str, str] = field(default_factory=dict)
    relative: dict[str, tuple[tuple[str, ...], str]] = field(default_factory=dict)
    constants: dict[str, ast.expr] = field(default_factory=dict)
    optional: dict[str, str] = field(default_factory=dict)
    thread_locals: set[str] = field(default_factory=set)
    functions: set[str] = field(default_factory=set)  # top-level, and `Class.method`
    abstract: dict[str, bool] = field(default_factory=dict)  # top-level class → abstract?


# Reads another module of the project (the first of its possible paths that exists): its
# facts, or None when it is not there or cannot be read.
SiblingFacts = Callable[[tuple[str, ...]], "ModuleFacts | None"]


def module_facts(path: str, tree: ast.Module) -> ModuleFacts:
    """The facts of the module at ``path`` (project-relative, ``/``-separated)."""
    facts = ModuleFacts(path)
    for node in sorted(_imports(tree.body), key=lambda n: (n.lineno, n.col_offset)):
        _bind_import(facts, node)
    for stmt in tree.body:
        _bind_top_level(facts, stmt)
    return facts


def _imports(body: list[ast.stmt]) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement at any depth, in no particular order: only statements hold
    statements, so expressions (most of a tree) need no visit."""
    found: list[ast.Import | ast.ImportFrom] = []
    pending = list(body)
    while pending:
        stmt = pending.pop()
        if isinstance(stmt, ast.Import | ast.ImportFrom):
            found.append(stmt)
            continue
        for name in _BLOCKS:
            pending.extend(getattr(stmt, name, ()))
        for inner in getattr(stmt, "handlers", ()):
            pending.extend(inner.body)
        for case in getattr(stmt, "cases", ()):
            pending.extend(case.body)
    return found


def import_candidates(path: str, level: int, dotted: str) -> tuple[str, ...]:
    """Project paths a module imported from ``path`` may live at (``.py`` or a package).

    A relative import climbs ``level`` folders from the importing module; an absolute one
    is looked for beside the folder named like its first part, so ``click._compat``
    imported from ``src/click/core.py`` is ``src/click/_compat.py``.
    """
    folder = posixpath.dirname(path)
    parts = [part for part in dotted.split(".") if part]
    if level:
        for _ in range(level - 1):
            folder = posixpath.dirname(folder)
    else:
        dirs = folder.split("/") if folder else []
        if not parts or parts[0] not in dirs:
            return ()
        folder = "/".join(dirs[: dirs.index(parts[0])])
    stem = posixpath.join(folder, *parts) if parts else folder
    if not stem:
        return ()
    return (f"{stem}.py", f"{stem}/__init__.py")


def _bind_import(facts: ModuleFacts, node: ast.Import | ast.ImportFrom) -> None:
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.asname is None:
                head = alias.name.split(".")[0]
                facts.aliases.setdefault(head, head)
            else:
                facts.aliases.setdefault(alias.asname, alias.name)
        return
    module = node.module or ""
    for alias in node.names:
        if alias.name == "*":
            continue
        local = alias.asname or alias.name
        if node.level == 0:
            facts.aliases.setdefault(local, f"{module}.{alias.name}")
        if local in facts.relative:
            continue
        if module:
            where = import_candidates(facts.path, node.level, module)
            if where:
                facts.relative[local] = (where, alias.name)
        else:  # `from . import _compat`: the name is a module of the package
            facts.relative[local] = (import_candidates(facts.path, node.level, alias.name), "")


def _bind_top_level(facts: ModuleFacts, stmt: ast.stmt) -> None:
    if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        facts.functions.add(stmt.name)
        if isinstance(stmt, ast.ClassDef):
            facts.abstract[stmt.name] = _is_abstract(stmt, facts.aliases)
            # Methods by their qualified name: a round trip pairs a method with its class's.
            for item in stmt.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                    facts.functions.add(f"{stmt.name}.{item.name}")
    elif isinstance(stmt, ast.Assign | ast.AnnAssign) and stmt.value is not None:
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        for target in targets:
            if isinstance(target, ast.Name):
                facts.constants.setdefault(target.id, stmt.value)
                if _is_thread_local(stmt.value, facts.aliases):
                    facts.thread_locals.add(target.id)
    elif isinstance(stmt, ast.Try) and _catches_import_error(stmt):
        for inner in stmt.body:
            for name, imported in _imported_names(inner):
                facts.optional.setdefault(name, imported)
    elif isinstance(stmt, ast.If):
        for inner in (*stmt.body, *stmt.orelse):
            _bind_top_level(facts, inner)


def _is_abstract(cls: ast.ClassDef, aliases: dict[str, str]) -> bool:
    """Whether a class declares itself abstract: an ``ABC``/``Protocol`` base, the ``ABCMeta``
    metaclass, or an ``@abstractmethod`` of its own (what it inherits is not looked at)."""
    bases = [_dotted(base, aliases) for base in cls.bases]
    bases += [_dotted(kw.value, aliases) for kw in cls.keywords if kw.arg == "metaclass"]
    if any(base.rsplit(".", 1)[-1] in _ABSTRACT_BASES for base in bases):
        return True
    return any(
        isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
        and any(_dotted(d, aliases).endswith("abstractmethod") for d in item.decorator_list)
        for item in cls.body
    )


def _dotted(node: ast.expr, aliases: dict[str, str]) -> str:
    if isinstance(node, ast.Name):
        return aliases.get(node.id, node.id)
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value, aliases)}.{node.attr}"
    if isinstance(node, ast.Subscript):  # `Protocol[T]`
        return _dotted(node.value, aliases)
    return ""


def _catches_import_error(stmt: ast.Try) -> bool:
    for handler in stmt.handlers:
        caught = handler.type
        names = caught.elts if isinstance(caught, ast.Tuple) else [caught]
        if any(isinstance(name, ast.Name) and name.id in IMPORT_ERRORS for name in names):
            return True
    return False


def _imported_names(stmt: ast.stmt) -> list[tuple[str, str]]:
    """``(local name, imported module)`` for an import statement, else nothing."""
    if isinstance(stmt, ast.Import):
        return [
            (alias.asname or alias.name.split(".")[0], alias.name.split(".")[0])
            for alias in stmt.names
        ]
    if isinstance(stmt, ast.ImportFrom) and stmt.level == 0 and stmt.module:
        top = stmt.module.split(".")[0]
        return [(alias.asname or alias.name, top) for alias in stmt.names if alias.name != "*"]
    return []


def _is_thread_local(value: ast.expr, aliases: dict[str, str]) -> bool:
    if not isinstance(value, ast.Call):
        return False
    func = value.func
    if isinstance(func, ast.Name):
        return aliases.get(func.id) == "threading.local"
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "local"
        and isinstance(func.value, ast.Name)
        and aliases.get(func.value.id) == "threading"
    )
