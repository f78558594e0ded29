"""The walk: every statement as coverage.py counts it, with the context that shapes its note."""

from __future__ import annotations

import ast
from collections.abc import Collection
from dataclasses import dataclass, replace

from covtasks.notes.code_text import dotted_name, shown
from covtasks.notes.facts import IMPORT_ERRORS, ModuleFacts
from covtasks.notes.grouping import Need
from covtasks.notes.guards import (
    OPTIONAL,
    PLATFORM,
    UNREACHABLE,
    VERSION,
    Guard,
    GuardFinder,
)
from covtasks.notes.nodes import WantedLines, child_nodes, first_line, last_line
from covtasks.notes.origins import handler_origin
from covtasks.notes.raising import caught_names
from covtasks.notes.rules import RuleTable
from covtasks.notes.shapes import (
    LocalBindings,
    exits_early,
    guard_of_import,
    imports_optional,
    is_stub,
    main_guard,
    own_module_advice,
    own_module_imported,
    raises_import_error,
    stdlib_twin,
)


@dataclass(frozen=True, slots=True)
class Context:
    """Where a statement sits: its function, the guard over it, the handler it is in."""

    scope: str = ""  # `Class.method` or `function` holding it; "" at module level
    params: tuple[str, ...] = ()
    in_function: bool = False
    guard: Guard | None = None
    guard_line: int = 0  # the line whose condition makes the guard
    shape: tuple[str, str] | None = None  # main guard or stub: (structural rule, display)
    handler: Need | None = None  # the Need every line of an except block shares
    condition: tuple[ast.expr, bool] | None = None  # innermost `if` test and branch
    outer: tuple[tuple[ast.expr, bool], ...] = ()  # the conditions around that one, outermost first
    decorators: tuple[ast.expr, ...] = ()
    twin: str = ""  # a standard-library class the enclosing class extends
    functions: tuple[ast.FunctionDef | ast.AsyncFunctionDef, ...] = ()  # outermost first


@dataclass(slots=True)
class Unit:
    """One statement as coverage.py counts it: its line, node, own expressions, context."""

    line: int
    node: ast.AST
    context: Context
    given: list[ast.AST] | None = None  # a case's pattern and guard, a handler's types

    @property
    def owned(self) -> list[ast.AST]:
        """The expressions the statement owns, not those of statements nested in it.

        Found when asked: most statements the walk meets are never judged.
        """
        if self.given is not None:
            return self.given
        return [child for child in child_nodes(self.node) if not isinstance(child, _NESTED)]


_NESTED = (ast.stmt, ast.excepthandler, ast.match_case)


class Walker:
    """Meets every statement of a module with its context, outermost first."""

    def __init__(
        self,
        guards: GuardFinder,
        facts: ModuleFacts,
        rules: RuleTable,
        missing: frozenset[int] = frozenset(),
        bindings: LocalBindings | None = None,
    ) -> None:
        self.guards = guards
        self.facts = facts
        self.rules = rules
        self._wanted = WantedLines(None)
        self.missing = missing  # lines that never ran: an import there was never tried
        self._bindings: dict[int, dict[str, tuple[ast.expr, ...]]] = {}
        self._locals = bindings or LocalBindings()
        self._met: list[Unit] = []  # what the walk under way has met

    def units(
        self,
        tree: ast.Module,
        imported_under: Guard | None = None,
        wanted: Collection[int] | None = None,
    ) -> list[Unit]:
        """Every statement; ``imported_under`` is the guard the module is only imported under.

        With ``wanted`` lines, statements spanning none of them are passed over (their guards
        on the statements after them still count): most of a module ran. Met into one list,
        not yielded up a generator per level of nesting.
        """
        self._wanted = WantedLines(wanted)
        context = Context(guard=imported_under)
        for stmt in tree.body:
            # `assert sys.platform == "win32"` at the top makes the whole module Windows-only.
            whole = self._guard_after(stmt)
            if whole is not None and whole.kind in (PLATFORM, VERSION):
                whole = replace(whole, whole_module=True)
                context = replace(context, guard=whole, guard_line=stmt.lineno)
                break
        self._met = []
        self._block(tree.body, context)
        return self._met

    def _block(self, body: list[ast.stmt], context: Context) -> None:
        if not self._wanted.in_block(body):
            return  # nothing there to meet, and a guard found in it counts only inside
        for stmt in body:
            if self._wanted.in_statement(stmt):
                self._statement(stmt, context)
            after = self._guard_after(stmt)
            whole = context.guard is not None and context.guard.whole_module
            if after is not None and context.shape is None and not whole:
                context = replace(context, guard=after, guard_line=stmt.lineno)
            if context.in_function and isinstance(stmt, ast.If) and exits_early(stmt):
                # What follows `if value is None: return` runs only when the test is false.
                outer = context.outer
                if context.condition is not None:
                    outer = (*outer, context.condition)
                context = replace(context, condition=(stmt.test, False), outer=outer)

    def _guard_after(self, stmt: ast.stmt) -> Guard | None:
        """A guard an ``assert`` or an early exit puts on the rest of its block."""
        if isinstance(stmt, ast.Assert):
            return self.guards.of_test(stmt.test, True)
        if isinstance(stmt, ast.If) and exits_early(stmt):
            found = self.guards.of_test(stmt.test, False)
            if found is None and raises_import_error(stmt.body):
                return Guard(OPTIONAL, f"`not ({shown(stmt.test)})`", "with", "")
            return found
        return None

    def _statement(self, stmt: ast.stmt, context: Context) -> None:
        shape = context.shape or main_guard(stmt, context.scope)
        # Contexts are copied only where something changes: most statements change nothing.
        here = context if shape is context.shape else replace(context, shape=shape)
        inner = here
        line = stmt.lineno
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            # coverage.py counts a decorated definition on its first decorator's line.
            line = first_line(stmt)
            scope = context.scope
            if not context.in_function:
                scope = f"{scope}.{stmt.name}" if scope else stmt.name
            if isinstance(stmt, ast.ClassDef):
                twin = (
                    stdlib_twin(stmt, self.facts.aliases) if not context.in_function else inner.twin
                )
                inner = replace(inner, scope=scope, condition=None, outer=(), twin=twin)
            else:
                params = [
                    a.arg for a in (*stmt.args.posonlyargs, *stmt.args.args, *stmt.args.kwonlyargs)
                ]
                params += [a.arg for a in (stmt.args.vararg, stmt.args.kwarg) if a is not None]
                mine = tuple(p for p in params if p not in ("self", "cls"))
                stub = shape is None and is_stub(stmt)
                inner = replace(
                    inner,
                    scope=scope,
                    condition=None,
                    outer=(),
                    params=(*context.params, *mine),
                    in_function=True,
                    decorators=(*context.decorators, *stmt.decorator_list),
                    functions=(*context.functions, stmt),
                    shape=("<stub>", "") if stub else inner.shape,
                )
        if inner.scope != context.scope:  # a definition's line belongs to what it defines
            here = inner if inner.shape is here.shape else replace(inner, shape=here.shape)
        self._met.append(Unit(line, stmt, here))
        if line != stmt.lineno:  # coverage.py versions differ on a decorated definition's line
            self._met.append(Unit(stmt.lineno, stmt, here))
        if isinstance(stmt, ast.If):
            self._branches(stmt, inner)
        elif isinstance(stmt, ast.Try | ast.TryStar):
            self._try(stmt, inner)
        elif isinstance(stmt, ast.Match):
            for case in stmt.cases:
                owned_case = [case.pattern, *([case.guard] if case.guard else [])]
                self._met.append(Unit(case.pattern.lineno, case, inner, owned_case))
                self._block(case.body, inner)
        else:
            for name in ("body", "orelse", "finalbody"):
                block = getattr(stmt, name, None)
                if isinstance(block, list):
                    self._block(block, inner)

    def _branches(self, stmt: ast.If, context: Context) -> None:
        outer = context.outer + ((context.condition,) if context.condition else ())
        for block, positive in ((stmt.body, True), (stmt.orelse, False)):
            if not self._wanted.in_block(block):
                continue  # its guard and context would go unused
            guard = self.guards.of_test(stmt.test, positive)
            if guard is None and positive and raises_import_error(stmt.body):
                guard = Guard(OPTIONAL, f"`{shown(stmt.test)}`", "without", "")
            condition = (stmt.test, positive)
            if guard is not None and context.shape is None:
                branch = replace(
                    context, condition=condition, outer=outer, guard=guard, guard_line=stmt.lineno
                )
            else:
                branch = replace(context, condition=condition, outer=outer)
            self._block(block, branch)

    def _try(self, stmt: ast.Try | ast.TryStar, context: Context) -> None:
        imported = imports_optional(stmt)
        body = context
        if imported and context.guard is None:
            guard = guard_of_import(imported, "with")
            # A standard-library import that never ran was not reached: that is no matter of
            # the Python version (`from importlib import metadata` in an uncalled function).
            importing = next(s for s in stmt.body if isinstance(s, ast.Import | ast.ImportFrom))
            if guard.kind != VERSION or importing.lineno not in self.missing:
                first = importing.names[0]
                bound = first.asname or first.name.split(".")[0]
                body = replace(context, guard=replace(guard, imports=bound), guard_line=0)
        self._block(stmt.body, body)
        for handler in stmt.handlers:
            if self._wanted.between(handler.lineno, last_line(handler)):  # judged only if met
                self._handler(stmt, handler, context, imported)
        self._block(stmt.orelse, body)
        self._block(stmt.finalbody, context)

    def _handler(
        self,
        stmt: ast.Try | ast.TryStar,
        handler: ast.ExceptHandler,
        context: Context,
        imported: str,
    ) -> None:
        caught = caught_names(handler)
        clause = f"`except {' | '.join(caught)}`" if caught else "`except`"
        inner = context
        if imported and (set(caught) & IMPORT_ERRORS or not caught) and context.guard is None:
            inner = replace(context, guard=guard_of_import(imported, "without"), guard_line=0)
        elif context.guard is None and context.shape is None:
            own = own_module_imported(stmt, caught, self.facts.path, self.guards.sibling)
            if own:
                guard = Guard(UNREACHABLE, clause, "", advice=own_module_advice(own))
                inner = replace(context, guard=guard, guard_line=0)
            else:
                inner = self._handled(stmt, handler, context, clause)
        types: list[ast.AST] = [] if handler.type is None else [handler.type]
        self._met.append(Unit(handler.lineno, handler, inner, types))
        self._block(handler.body, inner)

    def _handled(
        self, stmt: ast.Try | ast.TryStar, handler: ast.ExceptHandler, context: Context, clause: str
    ) -> Context:
        """The context of an ``except`` block: its origin's need, or unreachable."""
        origin = handler_origin(
            stmt.body,
            handler,
            context.params,
            self.facts.thread_locals,
            self._ambient,
            lambda: self._bound(context.functions),
        )
        if origin.origin == "unreachable":
            guard = Guard(UNREACHABLE, clause, origin.advice)
            return replace(context, guard=guard, guard_line=0)
        return replace(context, handler=Need("error-path", origin.advice, clause))

    def _ambient(self, node: ast.AST) -> tuple[str, str] | None:
        """The seam a call or name in a ``try`` body touches (``open``, ``os.environ``) and
        its kind, if any."""
        target = node.func if isinstance(node, ast.Call) else node
        assert isinstance(target, ast.expr)
        name = dotted_name(target, self.facts.aliases)
        rule = self.rules.for_name(name)
        if rule is None or rule.match.startswith("*."):
            return None
        return name, rule.kind

    def _bound(
        self, functions: tuple[ast.FunctionDef | ast.AsyncFunctionDef, ...]
    ) -> dict[str, tuple[ast.expr, ...]]:
        """Names the enclosing functions (and the module) bind, with what each was bound to.

        Module names count only when bound to a name, attribute or call
        (``visible_prompt_func = input``); the functions' own assignments override them.
        """
        key = id(functions[-1]) if functions else 0
        if key not in self._bindings:
            bound: dict[str, tuple[ast.expr, ...]] = {
                name: (value,)
                for name, value in self.facts.constants.items()
                if isinstance(value, ast.Name | ast.Attribute | ast.Call)
            }
            for function in functions:
                bound.update(self._locals.of(function))
            self._bindings[key] = bound
        return self._bindings[key]
