"""The judge: the one need of an uncovered statement, from its context and what it touches."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from covtasks.notes.code_text import dotted_name, name_prefixes, root_name, short_literal
from covtasks.notes.facts import ModuleFacts
from covtasks.notes.grouping import Need, logic_advice, methods_advice
from covtasks.notes.guards import OPTIONAL, TYPE_ONLY, Guard, GuardFinder
from covtasks.notes.kinds import FIXTURES
from covtasks.notes.nodes import subtree
from covtasks.notes.origins import raise_origin
from covtasks.notes.project import ProjectContext
from covtasks.notes.rules import RECEIVER_TYPED, Rule, RuleTable, default_rules, pathish
from covtasks.notes.shapes import LocalBindings
from covtasks.notes.walk import Context, Unit

MAX_DEFAULT_SHOWN = 60
ALREADY = "already a parameter: pass "
_DEFAULTS = frozenset(default_rules().rules)
_DEFAULT_LOGIC = default_rules().structural("<logic>")
# Kinds whose seam is the call's argument: `open(path)` with `path` a parameter is testable.
ARGUMENT_SEAMS = frozenset({"filesystem", "stdio"})


@dataclass
class Judge:
    """Decides the one need of an uncovered statement from its context and what it touches."""

    facts: ModuleFacts
    finder: GuardFinder
    rules: RuleTable
    project: ProjectContext
    lines: list[str]
    never_run: bool
    locals_: LocalBindings = field(default_factory=LocalBindings)
    _logic: dict[tuple[str, tuple[str, ...], str], Need] = field(default_factory=dict)
    _seams: dict[tuple[int, tuple[str, ...]], list[Need]] = field(default_factory=dict)
    _conditions: dict[tuple[int, tuple[str, ...]], Need | None] = field(default_factory=dict)
    _names: dict[tuple[str, tuple[str, ...], int], list[Need]] = field(default_factory=dict)

    def decision(self, unit: Unit, untaken: list[int]) -> Need:
        """A decision that ran but never went one way: the guard of that way, if any."""
        node = unit.node
        if isinstance(node, ast.If) and unit.context.shape is None:
            first, last = node.body[0].lineno, node.body[-1].end_lineno or node.lineno
            positive = any(first <= dst <= last for dst in untaken)
            guard = self.finder.of_test(node.test, positive)
            if guard is not None and guard.kind == TYPE_ONLY and not positive:
                # `if not TYPE_CHECKING:` ran; only its type-checker side never does. Excluding
                # the line would drop the runtime block too: the branch is what to accept.
                return Need(
                    TYPE_ONLY, self.project.partial_branch_advice(self.lines[node.lineno - 1])
                )
            if guard is not None:
                context = replace(unit.context, guard_line=node.lineno)
                return self.guard_need(guard, context)
        return self.need(unit, with_context=False)

    def need(self, unit: Unit, with_context: bool) -> Need:
        context = unit.context
        if context.shape is not None:
            key, display = context.shape
            return rule_need(self.rules.structural(key), display)
        if context.guard is not None:
            return self.guard_need(context.guard, context)
        if with_context and context.handler is not None:
            return context.handler
        seam = self.seam(unit, with_context)
        if seam is not None:
            return seam
        if with_context and isinstance(unit.node, ast.Raise):
            conditions = (*context.outer, context.condition) if context.condition else ()
            origin = raise_origin(unit.node, conditions, context.params, self.facts.thread_locals)
            return Need("error-path", origin.advice)
        # Lines an `if config_path.exists():` guards, however deep, are reached through that
        # seam: the file's content decides the inner `if`s.
        inner = (context.condition,) if context.condition is not None else ()
        for test, _ in (*inner, *reversed(context.outer)):
            reached = self._expression_seam(test, context)
            if reached is not None:
                return reached
        return self.logic(context.scope, context.params, context.twin)

    def _expression_seam(self, test: ast.expr, context: Context) -> Need | None:
        """The seam a condition reads, directly or through a local it tests
        (``value = os.environ.get(...)`` then ``if value is None:``)."""
        # Asked for every line under the condition: worked out once.
        key = (id(test), context.params)
        if key not in self._conditions:
            self._conditions[key] = self._condition_seam(test, context)
        return self._conditions[key]

    def _condition_seam(self, test: ast.expr, context: Context) -> Need | None:
        found = [need for need in self._touched(test, context) if need.kind != OPTIONAL]
        if not found:
            bound = self._bindings(context)
            tested = sorted({n.id for n in subtree(test) if isinstance(n, ast.Name)} & bound.keys())
            found = [
                need
                for name in tested
                if name not in context.params
                for value in bound[name]
                for need in self._touched(value, context)
                if need.kind != OPTIONAL
            ]
        if not found:
            return None
        return min(found, key=lambda need: (self.rules.rank(need.kind), need.subject))

    def _bound_to_path(self, root: str, context: Context) -> bool:
        """Whether a local is made by ``pathlib`` (``config = Path(folder) / "dirs"``)."""
        return any(
            isinstance(node, ast.Call)
            and dotted_name(node.func, self.facts.aliases).startswith("pathlib.")
            for value in self._bindings(context).get(root, ())
            for node in subtree(value)
        )

    def _bindings(self, context: Context) -> dict[str, tuple[ast.expr, ...]]:
        """What the innermost function's local names were bound to (nothing at module level)."""
        if not context.functions:
            return {}
        return self.locals_.of(context.functions[-1])

    def guard_need(self, guard: Guard, context: Context) -> Need:
        hint = self.rules.for_guard(guard.condition.strip("`"))
        if hint is not None:
            return Need(hint.kind, hint.advice, guard.condition)
        line = self.lines[context.guard_line - 1] if context.guard_line else ""
        scope = context.scope if context.params or context.in_function else ""
        return Need(guard.kind, self.project.guard_advice(guard, scope, line))

    def logic(self, scope: str, params: tuple[str, ...] = (), twin: str = "") -> Need:
        # Asked for every plain line: the need depends only on the function, so once each.
        key = (scope, params, twin)
        if key not in self._logic:
            self._logic[key] = self._logic_need(scope, params, twin)
        return self._logic[key]

    def _logic_need(self, scope: str, params: tuple[str, ...], twin: str) -> Need:
        rule = self.rules.structural("<logic>")
        if rule != _DEFAULT_LOGIC:
            return rule_need(rule)
        if self.never_run and not scope:
            return Need("logic", "never imported by the tests: import it from a test module")
        owner, _, method = scope.rpartition(".")
        if owner and not params and not twin and "." not in owner:
            # Untested methods and properties of one class: one test over all of them.
            return Need(
                "logic",
                methods_advice(owner, self.facts.abstract.get(owner, False)),
                f"`{method}`",
                owner,
            )
        advice = logic_advice(scope, params, self.facts.functions, twin, self.facts.abstract)
        return Need("logic", advice)

    def seam(self, unit: Unit, with_context: bool) -> Need | None:
        exprs = list(unit.owned)
        if with_context:
            exprs += unit.context.decorators
        best: tuple[int, bool, str, Need] | None = None
        for expr in exprs:
            for need in self._touched(expr, unit.context):
                # A seam that is a parameter already is the one to name.
                given = not need.advice.startswith(ALREADY)
                key = (self.rules.rank(need.kind), given, need.subject, need)
                if best is None or key[:3] < best[:3]:
                    best = key
        return None if best is None else best[3]

    def _touched(self, expr: ast.AST, context: Context) -> list[Need]:
        # A condition or decorator is asked about for every line under it: walked once.
        key = (id(expr), context.params)
        found = self._seams.get(key)
        if found is None:
            found = self._seams[key] = self._walk_touched(expr, context)
        return found

    def _walk_touched(self, expr: ast.AST, context: Context) -> list[Need]:
        """The seams ``expr`` touches: parameters passed to one first, then the rest, each
        in the order of ``ast.walk``; one pass over its nodes."""
        given: list[Need] = []
        found: list[Need] = []
        # The owner of an attribute comes after it (breadth first): `a.b` names `a.b`, not `a`.
        owners: set[int] = set()
        for node in subtree(expr):
            if isinstance(node, ast.Attribute):
                owners.add(id(node.value))
                if id(node) not in owners:
                    found.extend(self._named(node, context))
            elif isinstance(node, ast.Name):
                if id(node) not in owners:
                    found.extend(self._bare_name(node, context))
            elif isinstance(node, ast.Constant):
                if isinstance(node.value, str):
                    rule = self.rules.for_literal(node.value)
                    if rule is not None:
                        found.append(rule_need(rule, f'`"{short_literal(node.value)}"`'))
            elif isinstance(node, ast.Call):
                # `open(path)` with `path` a parameter: the seam is there already.
                passed = self._passed(node, context.params)
                if passed is not None:
                    given.append(passed)
        return given + found

    def _bare_name(self, node: ast.Name, context: Context) -> list[Need]:
        """``_named`` of a bare name: the same name in the same function touches the same."""
        function = id(context.functions[-1]) if context.functions else 0
        key = (node.id, context.params, function)
        found = self._names.get(key)
        if found is None:
            found = self._names[key] = list(self._named(node, context))
        return found

    def _passed(self, call: ast.Call, params: tuple[str, ...]) -> Need | None:
        """``open(path)`` with ``path`` a parameter: a seam that is an argument already."""
        if not call.args or not isinstance(call.args[0], ast.Name):
            return None
        argument = call.args[0].id
        if argument not in params:
            return None
        rule = self.rules.for_name(dotted_name(call.func, self.facts.aliases))
        if rule is None or rule.kind not in ARGUMENT_SEAMS:
            return None
        return Need(rule.kind, f"{ALREADY}{FIXTURES[rule.kind]}", f"`{argument}`")

    def _named(self, node: ast.Name | ast.Attribute, context: Context) -> Iterator[Need]:
        root = root_name(node)
        if root in self.facts.thread_locals:
            yield rule_need(self.rules.structural("<thread-local>"), f"`{root}`")
            return
        if root not in context.params:
            optional = self.finder.of_name(root)
            if optional is not None and optional.kind == OPTIONAL:
                yield Need(OPTIONAL, self.project.guard_advice(optional, "", ""))
                return
        for name in name_prefixes(node, self._aliases(root, context)):
            rule = self.rules.for_name(name)
            if rule is None:
                continue
            receiver = name.rpartition(".")[0]
            receiver_typed = rule.kind == RECEIVER_TYPED and rule in _DEFAULTS
            if (
                receiver_typed
                and rule.match.startswith("*.")
                and not pathish(receiver)
                and not self._bound_to_path(root, context)
            ):
                continue
            built = self._built_here(root, context) if receiver_typed else None
            if root in context.params and rule.kind in FIXTURES:
                yield Need(rule.kind, f"{ALREADY}{FIXTURES[rule.kind]}", f"`{root}`")
            elif built is not None:
                yield built if built.subject else replace(built, subject=f"`{name}`")
            else:
                yield rule_need(rule, f"`{name}`")
            return

    def _built_here(self, root: str, context: Context) -> Need | None:
        """A path the function builds itself (``p = Path(home) / "x"``): the parameter it
        comes from, or the expression to make the default of a new parameter."""
        values = self._bindings(context).get(root, ())
        if len(values) != 1:
            return None
        names = {node.id for node in subtree(values[0]) if isinstance(node, ast.Name)}
        given = sorted(names & set(context.params))
        if given:
            return Need(RECEIVER_TYPED, f"{ALREADY}{FIXTURES[RECEIVER_TYPED]}", f"`{given[0]}`")
        text = " ".join(ast.unparse(values[0]).split()).replace("`", "'")
        if len(text) > MAX_DEFAULT_SHOWN:
            text = text[: MAX_DEFAULT_SHOWN - 1] + "…"
        return Need(
            RECEIVER_TYPED,
            f"take `{root}` as a parameter (default `{text}`); test with real files under "
            "`tmp_path`",
        )

    def _aliases(self, root: str, context: Context) -> dict[str, str]:
        """Imports, plus top-level names bound to a call (``app = typer.Typer()``)."""
        aliases = self.facts.aliases
        if root in context.params or root in aliases:
            return aliases
        value = self.facts.constants.get(root)
        if isinstance(value, ast.Call):
            return {**aliases, root: dotted_name(value, aliases)}
        return aliases


def rule_need(rule: Rule, subject: str = "") -> Need:
    return Need(rule.kind, rule.advice, subject)
