"""User hints (``[[tool.covtasks.hints]]``): checked, then merged before the default rules."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from covtasks.config import Hint
from covtasks.errors import ConfigError
from covtasks.notes.kinds import CLASS_KINDS, KINDS
from covtasks.notes.rules import GUARD_PREFIX, WORD, Rule, RuleTable, default_rules
from covtasks.notes.seam_rules import STRUCTURAL

_NAME_PATTERN = re.compile(r"[A-Za-z_*][A-Za-z0-9_*]*(\.[A-Za-z_*][A-Za-z0-9_*]*)*")
_LITERAL_PATTERN = re.compile(r'"[^"\n]+"')


def pattern_problem(match: str) -> str | None:
    """Why ``match`` is not a usable pattern, or None when it is."""
    if match.startswith("<"):
        return None if match in STRUCTURAL else f"unknown shape; use one of {', '.join(STRUCTURAL)}"
    if match.startswith('"'):
        return None if _LITERAL_PATTERN.fullmatch(match) else 'a literal is one "quoted" string'
    if not _NAME_PATTERN.fullmatch(match):
        return "not a dotted name pattern like `os.environ` or `subprocess.*`"
    if not match.replace("*", "").replace(".", ""):
        return "the pattern matches every name"
    return None


def _hint_problem(hint: Hint, match: str, earlier: Sequence[Rule]) -> str | None:
    if hint.guard is not None:
        problem = None if WORD.fullmatch(hint.guard) else "a guard is a name like `IS_WIN`"
    else:
        problem = pattern_problem(match)
    known = (*KINDS, *CLASS_KINDS)
    if problem is None and hint.kind is not None and hint.kind not in known:
        problem = f"unknown kind {hint.kind!r}; use one of {', '.join(known)}"
    if problem is None and "\n" in hint.note:
        problem = "the note must be one line"
    if problem is None and any(rule.match == match for rule in earlier):
        problem = "an earlier hint has the same match"
    return problem


def load_rules(hints: Sequence[Hint], origin: Path | str | None = None) -> RuleTable:
    """The default table with ``[[tool.covtasks.hints]]`` merged in.

    A hint whose ``match`` equals a default's replaces it (keeping the default's kind unless
    it names one); every hint is tried before the defaults, so a specific user pattern wins
    over a default wildcard. ``origin`` is the configuration file errors are about.
    """
    defaults = default_rules().rules
    default_kind = {rule.match: rule.kind for rule in defaults}
    user: list[Rule] = []
    for index, hint in enumerate(hints, start=1):
        match = hint.match if hint.guard is None else GUARD_PREFIX + hint.guard
        label = f"match {hint.match!r}" if hint.guard is None else f"guard {hint.guard!r}"
        where = f"[[tool.covtasks.hints]] entry {index} ({label})"
        problem = _hint_problem(hint, match, user)
        if problem is not None:
            raise ConfigError(f"{where}: {problem}", origin)
        kind = CLASS_KINDS.get(hint.kind or "", hint.kind)
        kind = kind or default_kind.get(match, "user")
        user.append(Rule(match, kind, hint.note.strip()))
    replaced = {rule.match for rule in user}
    kept = tuple(rule for rule in defaults if rule.match not in replaced)
    return RuleTable((*user, *kept))
