"""DI/fixture notes: what a module's uncovered code touches, mapped to seams and fixtures."""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from covtasks.model import Counts, CoverageReport, ModuleCoverage
from covtasks.notes.rules import KIND_RANK, Rule, RuleTable
from covtasks.numbers import compact_ranges

# Impact counts missing lines plus missing branches: work left, not a percentage, so a
# small module is not "high impact" for two missed lines.
HIGH_IMPACT_GAP = 20
MODERATE_IMPACT_GAP = 5
MAX_NAMES_SHOWN = 3
MAX_LITERAL_SHOWN = 30


@dataclass(frozen=True, slots=True)
class Note:
    """One seam the uncovered code needs, and the lines it comes from."""

    lines: str
    kind: str
    text: str

    def render(self) -> str:
        """``L40-44: `os.environ` → pass ...`` as written into an entry."""
        return f"{self.lines}: {self.text}"


@dataclass(frozen=True, slots=True)
class ModuleNotes:
    """Every note for one module, most important first, and how the module is classified."""

    notes: tuple[Note, ...]
    nature: str
    impact: str
    degraded: bool = False

    def summary(self) -> str:
        """The module's main need on one line, naming the other kinds of work left."""
        if not self.notes:
            return "nothing left to cover"
        first = self.notes[0]
        others = list(dict.fromkeys(n.kind for n in self.notes[1:] if n.kind != first.kind))
        return first.text + (f" (also: {', '.join(others)})" if others else "")


def impact_of(counts: Counts) -> str:
    """``high``, ``moderate`` or ``low`` by missing lines + branches against the cut-offs."""
    gap = counts.missing + counts.missing_branches
    if gap >= HIGH_IMPACT_GAP:
        return "high"
    return "moderate" if gap >= MODERATE_IMPACT_GAP else "low"


def nature_of(notes: tuple[Note, ...]) -> str:
    """Hardware beats randomness: a GPU path is machine-dependent even with seeds."""
    kinds = {note.kind for note in notes}
    if "hardware" in kinds:
        return "hardware-sensitive"
    return "stochastic" if "randomness" in kinds else "deterministic"


@dataclass(slots=True)
class _Unit:
    """One statement as coverage.py counts it: its line and the expressions run there."""

    line: int
    node: ast.AST
    owned: list[ast.AST]
    decorators: tuple[ast.expr, ...]
    shape: tuple[str, str] | None  # an exclusive shape: (structural rule, display)
    handler: str | None  # display of the innermost enclosing except clause


@dataclass(slots=True)
class _Hits:
    """Names and lines per (kind, advice): rules giving the same advice share one note."""

    found: dict[tuple[str, str], tuple[dict[str, int], set[int]]] = field(default_factory=dict)

    def add(self, rule: Rule, display: str, line: int) -> None:
        names, lines = self.found.setdefault((rule.kind, rule.advice), ({}, set()))
        names[display] = min(line, names.get(display, line))
        lines.add(line)

    def claimed(self) -> set[int]:
        return {line for _, lines in self.found.values() for line in lines}


def analyse_module(module: ModuleCoverage, source: str | None, rules: RuleTable) -> ModuleNotes:
    """Notes for the code ``module`` left uncovered; ``source`` None degrades to line numbers.

    Uncovered code is every missing line plus, for each missing branch, the condition that
    decides it. Lines no rule explains get one "plain logic" note; lines of a ``__main__``
    guard or of a stub get only their own note.
    """
    missing = set(module.missing_lines)
    decisions = {src for src, _ in module.missing_arcs} - missing
    # A decision whose untaken branch leads to missing lines is explained by their notes;
    # one that leads to code run by another path (or to an exit) is a gap of its own.
    open_decisions = {src for src, dst in module.missing_arcs if dst not in missing} - missing
    impact = impact_of(module.counts)
    try:
        tree = None if source is None else ast.parse(source)
    except (SyntaxError, ValueError):  # not Python (any more): as good as no source
        tree = None
    if tree is None:
        hits = _Hits()
        for line in missing | decisions:
            hits.add(rules.structural("<unanalysed>"), "", line)
        notes = _notes(hits, module)
        return ModuleNotes(notes, "deterministic", impact, degraded=True)
    aliases = _import_aliases(tree)
    hits = _Hits()
    for unit in _units(tree.body, (), None, None, ""):
        if unit.line in missing:
            _analyse_unit(unit, aliases, rules, hits, with_context=True)
        elif unit.line in decisions:
            _analyse_unit(unit, aliases, rules, hits, with_context=False)
    leftover = (missing | open_decisions) - hits.claimed()
    for line in leftover:
        hits.add(rules.structural("<logic>"), "plain logic", line)
    notes = _notes(hits, module)
    return ModuleNotes(notes, nature_of(notes), impact)


def source_reader(root: Path) -> Callable[[str], str | None]:
    """Read a measured module's source safely (see covtasks.sources); None when unreadable."""
    from covtasks.sources import ProjectSources

    return ProjectSources(root).read_text


def analyse_report(
    report: CoverageReport, read_source: Callable[[str], str | None], rules: RuleTable
) -> dict[str, ModuleNotes]:
    """Notes for every measured module, keyed by path, sources fetched by ``read_source``."""
    return {m.path: analyse_module(m, read_source(m.path), rules) for m in report.modules}


def _analyse_unit(
    unit: _Unit, aliases: dict[str, str], rules: RuleTable, hits: _Hits, with_context: bool
) -> None:
    """Record what one uncovered statement (or an untaken decision) touches."""
    if unit.shape is not None:
        key, display = unit.shape
        hits.add(rules.structural(key), display, unit.line)
        return
    exprs = list(unit.owned)
    if with_context:
        exprs += unit.decorators
        if unit.handler is not None:
            hits.add(rules.structural("<except>"), unit.handler, unit.line)
        elif isinstance(unit.node, ast.Raise):  # a re-raise belongs to its handler's note
            hits.add(rules.structural("<raise>"), _raise_display(unit.node), unit.line)
    for expr in exprs:
        for rule, display in _touched(expr, aliases, rules):
            hits.add(rule, display, unit.line)


def _touched(expr: ast.AST, aliases: dict[str, str], rules: RuleTable) -> list[tuple[Rule, str]]:
    """Rules hit by the names and string constants in ``expr``, each with the name shown."""
    best: dict[Rule, str] = {}
    nodes = list(ast.walk(expr))  # one walk serves both passes
    inner = {id(node.value) for node in nodes if isinstance(node, ast.Attribute)}
    for node in nodes:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            rule = rules.for_literal(node.value)
            if rule is not None:
                _keep_shortest(best, rule, f'`"{_short(node.value)}"`')
        elif isinstance(node, ast.Name | ast.Attribute) and id(node) not in inner:
            in_chain: set[Rule] = set()
            for name in _prefixes(node, aliases):
                found = rules.for_name(name)
                if found is not None and found not in in_chain:
                    in_chain.add(found)
                    _keep_shortest(best, found, f"`{name}`")
    # One name per rule and expression: the most precise name of an attribute chain, and
    # of `np.random.default_rng().normal` and the call inside it the shorter one.
    return sorted(best.items(), key=lambda item: item[1])


def _keep_shortest(best: dict[Rule, str], rule: Rule, display: str) -> None:
    current = best.get(rule)
    if current is None or (len(display), display) < (len(current), current):
        best[rule] = display


def _prefixes(node: ast.expr, aliases: dict[str, str]) -> Iterator[str]:
    """``a.b.c``, ``a.b``, ``a`` for an attribute chain, stopping at calls and subscripts."""
    current: ast.expr = node
    while True:
        yield _dotted(current, aliases)
        if not isinstance(current, ast.Attribute) or not isinstance(
            current.value, ast.Name | ast.Attribute
        ):
            return
        current = current.value


def _dotted(node: ast.expr, aliases: dict[str, str]) -> str:
    """The name an expression refers to, with imported aliases resolved to module paths."""
    if isinstance(node, ast.Name):
        return aliases.get(node.id, node.id)
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value, aliases)}.{node.attr}"
    if isinstance(node, ast.Call):
        return f"{_dotted(node.func, aliases)}()"
    if isinstance(node, ast.Subscript):
        return f"{_dotted(node.value, aliases)}[]"
    return "…"


def _short(value: str) -> str:
    text = " ".join(value.split()).replace("`", "'")
    return text if len(text) <= MAX_LITERAL_SHOWN else text[: MAX_LITERAL_SHOWN - 1].rstrip() + "…"


def _import_aliases(tree: ast.Module) -> dict[str, str]:
    """Local names bound by absolute imports anywhere in the module; the first binding wins."""
    imports = [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)]
    aliases: dict[str, str] = {}
    for node in sorted(imports, key=lambda n: (n.lineno, n.col_offset)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname is None:
                    head = alias.name.split(".")[0]
                    aliases.setdefault(head, head)
                else:
                    aliases.setdefault(alias.asname, alias.name)
        elif node.level == 0 and node.module is not None:
            for alias in node.names:
                if alias.name != "*":
                    aliases.setdefault(alias.asname or alias.name, f"{node.module}.{alias.name}")
    return aliases


def _units(
    body: list[ast.stmt],
    decorators: tuple[ast.expr, ...],
    shape: tuple[str, str] | None,
    handler: str | None,
    scope: str,
) -> Iterator[_Unit]:
    """Every statement below ``body`` with the context that shapes its notes."""
    for stmt in body:
        own_shape = shape or _main_guard(stmt, scope)
        line, inner_scope, inner_decorators, inner_shape = stmt.lineno, scope, decorators, own_shape
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            # coverage.py counts a decorated definition on its first decorator's line.
            line = min([stmt.lineno, *(d.lineno for d in stmt.decorator_list)])
            inner_scope = f"{scope}{stmt.name}."
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
            inner_decorators = (*decorators, *stmt.decorator_list)
            if own_shape is None and _is_stub(stmt):
                inner_shape = ("<stub>", f"`{scope}{stmt.name}` stub")
        nested = ast.stmt | ast.excepthandler | ast.match_case
        owned = [child for child in ast.iter_child_nodes(stmt) if not isinstance(child, nested)]
        yield _Unit(line, stmt, owned, decorators, own_shape, handler)
        for child in ast.iter_child_nodes(stmt):
            if isinstance(child, ast.ExceptHandler):
                caught = "" if child.type is None else " " + ast.unparse(child.type)
                clause = f"`except{caught}`"
                types: list[ast.AST] = [] if child.type is None else [child.type]
                yield _Unit(child.lineno, child, types, inner_decorators, inner_shape, clause)
                yield from _units(child.body, inner_decorators, inner_shape, clause, inner_scope)
            elif isinstance(child, ast.match_case):
                owned_case = [child.pattern, *([child.guard] if child.guard else [])]
                case_line = child.pattern.lineno
                yield _Unit(case_line, child, owned_case, inner_decorators, inner_shape, handler)
                yield from _units(child.body, inner_decorators, inner_shape, handler, inner_scope)
        for name in ("body", "orelse", "finalbody"):
            block = getattr(stmt, name, None)
            if isinstance(block, list):
                yield from _units(block, inner_decorators, inner_shape, handler, inner_scope)


def _main_guard(stmt: ast.stmt, scope: str) -> tuple[str, str] | None:
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


def _is_stub(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
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


def _raise_display(node: ast.Raise) -> str:
    if node.exc is None:
        return "`raise`"
    raised = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
    return f"`raise {ast.unparse(raised)}`"


def _notes(hits: _Hits, module: ModuleCoverage) -> tuple[Note, ...]:
    """One note per (kind, advice), most important kind first, then by first line."""
    notes = []
    for (kind, advice), (names, lines) in hits.found.items():
        ordered = [name for name in sorted(names, key=lambda n: (names[n], n)) if name]
        shown = ordered[:MAX_NAMES_SHOWN]
        more = len(ordered) - len(shown)
        subject = ", ".join(shown) + (f" and {more} more" if more else "")
        text = f"{subject} → {advice}" if subject else advice
        ranges = compact_ranges(module.statement_lines, lines)
        notes.append((KIND_RANK[kind], min(lines), Note(_label(ranges), kind, text)))
    notes.sort(key=lambda item: (item[0], item[1], item[2].text))
    return tuple(note for _, _, note in notes)


def _label(ranges: str) -> str:
    return ", ".join(f"L{part}" for part in ranges.split(", "))
