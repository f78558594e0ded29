"""Guards: conditions deciding where code can run at all (type checker, OS, Python, extras)."""

from __future__ import annotations

import ast
from dataclasses import dataclass, replace

from covtasks.notes.code_text import dotted_name, negation, shown
from covtasks.notes.facts import ModuleFacts, SiblingFacts
from covtasks.notes.guard_words import (
    PLATFORM_SUBJECTS,
    TYPE_CHECKING_NAMES,
    VERSION_SUBJECTS,
    os_word,
)

TYPE_ONLY = "type-only"
PLATFORM = "platform"
VERSION = "version"
OPTIONAL = "optional"
UNREACHABLE = "unreachable"
# Guard kinds whose lines are not test work on any one machine: Size leaves them out.
UNTESTABLE_HERE = frozenset({TYPE_ONLY, PLATFORM, VERSION, OPTIONAL, UNREACHABLE})

_FLIPPED_OPS = {"≥": "<", "<": "≥", ">": "≤", "≤": ">", "": "≠", "≠": ""}
_OPS = {ast.GtE: "≥", ast.Lt: "<", ast.Gt: ">", ast.LtE: "≤", ast.Eq: "", ast.NotEq: "≠"}
_MAX_DEPTH = 4  # constants defined through constants, across modules: enough, never a loop


@dataclass(frozen=True, slots=True)
class Guard:
    """Where a block can run: its kind, the condition shown, and a reader's phrase for it."""

    kind: str
    condition: str
    where: str
    dependency: str = ""  # the imported module an optional block needs (or must lack)
    subject: str = ""  # what the condition reads: `sys.platform`, `WIN`, `sys.version_info`
    whole_module: bool = False  # the module itself runs only there: no parameter reaches it
    advice: str = ""  # what to do, when the guard's own nature says it (a generated module)
    imports: str = ""  # the name a guarding import binds (`autoclass`): the seam to pass in


@dataclass(frozen=True, slots=True)
class _Meaning:
    kind: str
    detail: str  # an OS word, a version, a dependency
    op: str = ""  # version comparisons
    negated: bool = False
    subject: str = ""

    def flipped(self) -> _Meaning:
        if self.kind == VERSION and self.op in _FLIPPED_OPS:
            return replace(self, op=_FLIPPED_OPS[self.op])
        return replace(self, negated=not self.negated)


class GuardFinder:
    """Reads conditions of one module, following its constants and imports into siblings."""

    def __init__(self, facts: ModuleFacts, sibling: SiblingFacts) -> None:
        self.facts = facts
        self.sibling = sibling
        self._names: dict[str, _Meaning | None] = {}

    def of_test(self, test: ast.expr, positive: bool) -> Guard | None:
        """The guard on the block run when ``test`` is ``positive``; None for plain logic."""
        meaning = self._necessary(test, positive, self.facts, 0)
        if meaning is None:
            return None
        if meaning.kind == TYPE_ONLY and meaning.negated:
            return None  # `else` of `if TYPE_CHECKING:` is what runs
        condition = f"`{shown(test) if positive else negation(test)}`"
        return Guard(
            meaning.kind, condition, _where(meaning), _dependency(meaning), meaning.subject
        )

    def of_name(self, name: str) -> Guard | None:
        """The guard a bare top-level name carries (an optional import, a platform flag)."""
        if name not in self._names:
            self._names[name] = self._atom(ast.Name(name), self.facts, 0)
        meaning = self._names[name]
        if meaning is None or meaning.kind not in (OPTIONAL, PLATFORM):
            return None
        return Guard(meaning.kind, f"`{name}`", _where(meaning), _dependency(meaning))

    def _necessary(
        self, expr: ast.expr, positive: bool, facts: ModuleFacts, depth: int
    ) -> _Meaning | None:
        """A guard that must hold for ``expr`` to be ``positive``."""
        if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.Not):
            return self._necessary(expr.operand, not positive, facts, depth)
        if isinstance(expr, ast.BoolOp):
            found = [self._necessary(value, positive, facts, depth) for value in expr.values]
            # `a and b` true needs each; `a or b` true needs one of them, so only a guard
            # standing in every operand is necessary (and the other way round for false).
            every = isinstance(expr.op, ast.And) != positive
            known = [meaning for meaning in found if meaning is not None]
            if not known or (every and len(known) < len(found)):
                return None
            return known[0]
        meaning = self._atom(expr, facts, depth)
        if meaning is None:
            return None
        return meaning if positive else meaning.flipped()

    def _atom(self, expr: ast.expr, facts: ModuleFacts, depth: int) -> _Meaning | None:
        if isinstance(expr, ast.Compare) and len(expr.ops) == 1:
            return self._compare(expr.left, expr.ops[0], expr.comparators[0], facts, depth)
        if isinstance(expr, ast.Call):
            return self._call(expr, facts)
        if isinstance(expr, ast.Name | ast.Attribute):
            return self._named(expr, facts, depth)
        return None

    def _compare(
        self, left: ast.expr, op: ast.cmpop, right: ast.expr, facts: ModuleFacts, depth: int
    ) -> _Meaning | None:
        for subject, other in ((left, right), (right, left)):
            kind = self._subject(subject, facts, depth)
            if kind is None:
                continue
            negated = isinstance(op, ast.NotEq | ast.NotIn | ast.IsNot)
            if kind == PLATFORM:
                word = os_word(other)
                found = _Meaning(PLATFORM, word, negated=negated) if word else None
                return _with_subject(found, subject)
            if kind == VERSION:
                return _with_subject(_version(op, other, subject is left), subject)
            optional = self._optional(subject, facts)
            assert optional is not None  # that is what made it a subject
            if not (isinstance(other, ast.Constant) and other.value is None):
                return None  # `x is MISSING`: what a sentinel means is the except clause's
            return replace(optional, negated=not negated)  # `x is None`: missing
        return None

    def _call(self, call: ast.Call, facts: ModuleFacts) -> _Meaning | None:
        func = call.func
        literal = call.args[0] if call.args else None
        if (
            isinstance(func, ast.Attribute)
            and func.attr == "startswith"
            and self._subject(func.value, facts, 0) == PLATFORM
            and literal is not None
        ):
            word = os_word(literal)
            return _Meaning(PLATFORM, word, subject=shown(func.value)) if word else None
        name = dotted_name(func, facts.aliases)
        is_find_spec = name in ("importlib.util.find_spec", "importlib.find_loader")
        if is_find_spec and isinstance(literal, ast.Constant) and isinstance(literal.value, str):
            return _Meaning(OPTIONAL, literal.value.split(".")[0])
        return None

    def _subject(self, expr: ast.expr, facts: ModuleFacts, depth: int) -> str | None:
        name = dotted_name(expr, facts.aliases)
        if name in PLATFORM_SUBJECTS:
            return PLATFORM
        if name in VERSION_SUBJECTS:
            return VERSION
        if self._optional(expr, facts) is not None:
            return OPTIONAL
        return None

    def _optional(self, expr: ast.expr, facts: ModuleFacts) -> _Meaning | None:
        """A name imported under ``try/except ImportError`` here or where it comes from."""
        if isinstance(expr, ast.Call):
            found = self._call(expr, facts)
            return found if found is not None and found.kind == OPTIONAL else None
        if not isinstance(expr, ast.Name):
            return None
        if expr.id in facts.optional:
            return _Meaning(OPTIONAL, facts.optional[expr.id], subject=expr.id)
        where, name = facts.relative.get(expr.id, ((), ""))
        other = self.sibling(where) if name else None
        if other is not None and name in other.optional:
            return _Meaning(OPTIONAL, other.optional[name], subject=expr.id)
        return None

    def _named(
        self, expr: ast.Name | ast.Attribute, facts: ModuleFacts, depth: int
    ) -> _Meaning | None:
        if depth > _MAX_DEPTH:  # every loop through constants and imports passes here
            return None
        if dotted_name(expr, facts.aliases) in TYPE_CHECKING_NAMES:
            return _Meaning(TYPE_ONLY, "")
        if isinstance(expr, ast.Attribute):
            # `_compat.WIN` with `from . import _compat`: the name in that module.
            base = expr.value
            if isinstance(base, ast.Name) and facts.relative.get(base.id, ((), "x"))[1] == "":
                other = self.sibling(facts.relative[base.id][0])
                if other is not None:
                    return self._named(ast.Name(expr.attr), other, depth + 1)
            return None
        optional = self._optional(expr, facts)
        if optional is not None:
            return optional
        found = None
        if expr.id in facts.constants:
            found = self._necessary(facts.constants[expr.id], True, facts, depth + 1)
        elif expr.id in facts.relative:
            where, name = facts.relative[expr.id]
            other = self.sibling(where)
            if other is not None and name:
                found = self._named(ast.Name(name), other, depth + 1)
        return _with_subject(found, expr)


def _with_subject(meaning: _Meaning | None, subject: ast.expr) -> _Meaning | None:
    """The meaning, named by the outermost name a reader sees (``WIN``, not its definition)."""
    return None if meaning is None else replace(meaning, subject=shown(subject))


def _version(op: ast.cmpop, other: ast.expr, subject_left: bool) -> _Meaning | None:
    if not isinstance(other, ast.Constant | ast.Tuple):
        return None
    try:
        value = ast.literal_eval(other)
    except ValueError:
        return None
    text = ".".join(str(part) for part in value) if isinstance(value, tuple) else str(value)
    symbol = _OPS.get(type(op))
    if symbol is None:
        return _Meaning(VERSION, text, op="")
    if not subject_left:  # `(3, 8) <= sys.version_info`
        symbol = {"≥": "≤", "≤": "≥", ">": "<", "<": ">"}.get(symbol, symbol)
    return _Meaning(VERSION, text, op=symbol)


def _where(meaning: _Meaning) -> str:
    if meaning.kind == TYPE_ONLY:
        return "only for type checkers"
    if meaning.kind == PLATFORM:
        return f"{'off' if meaning.negated else 'on'} {meaning.detail}"
    if meaning.kind == VERSION:
        op = f"{meaning.op} " if meaning.op else ""
        return f"on Python {op}{meaning.detail}"
    return f"{'without' if meaning.negated else 'with'} `{meaning.detail}`"


def _dependency(meaning: _Meaning) -> str:
    return meaning.detail if meaning.kind == OPTIONAL else ""
