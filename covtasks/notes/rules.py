"""The rule table: which rule a name, a string literal or a guard condition matches."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from covtasks.notes.kinds import KIND_RANK
from covtasks.notes.seam_rules import DEFAULT_RULES

# Method rules that need a receiver standing for a file: `formatter.write_text(...)` on an
# in-memory formatter is no file, `config_path.write_text(...)` is.
RECEIVER_TYPED = "filesystem"
_PATHISH_WORDS = ("path", "file", "dir", "folder", "root", "dest", "target", "source", "src")


def pathish(receiver: str) -> bool:
    """Whether a dotted receiver reads as a path: ``pathlib.Path()``, ``config_path``."""
    if receiver.startswith(("pathlib.", "tempfile.")):
        return True
    last = receiver.rsplit(".", 1)[-1].lower()
    return any(word in last for word in _PATHISH_WORDS)


GUARD_PREFIX = "guard:"
WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule: what it matches, the kind of seam, and the advice a note gives."""

    match: str
    kind: str
    advice: str

    @property
    def is_literal(self) -> bool:
        return self.match.startswith('"')

    @property
    def is_structural(self) -> bool:
        return self.match.startswith("<")

    @property
    def is_guard(self) -> bool:
        return self.match.startswith(GUARD_PREFIX)

    def matches(self, name: str) -> bool:
        """Whether a dotted name (or a string constant, for literal rules) fits the pattern."""
        pattern = self.match[1:-1] if self.is_literal else self.match
        return fnmatchcase(name, pattern)


@dataclass(frozen=True, slots=True)
class RuleTable:
    """Rules in matching order: user rules first, then the defaults they did not replace.

    Answers are remembered per name: a module touches the same few hundred names thousands
    of times, and trying ~90 glob patterns for each was most of a sync's time.
    """

    rules: tuple[Rule, ...]
    _by_name: dict[str, Rule | None] = field(default_factory=dict, compare=False, repr=False)
    _by_literal: dict[str, Rule | None] = field(default_factory=dict, compare=False, repr=False)
    _by_shape: dict[str, Rule] = field(default_factory=dict, compare=False, repr=False)

    def for_name(self, name: str) -> Rule | None:
        """The first name rule matching a dotted name the code touches."""
        try:
            return self._by_name[name]
        except KeyError:
            found = next(
                (
                    rule
                    for rule in self.rules
                    if not (rule.is_literal or rule.is_structural or rule.is_guard)
                    and rule.matches(name)
                ),
                None,
            )
            self._by_name[name] = found
            return found

    def for_literal(self, value: str) -> Rule | None:
        """The first literal rule matching a string constant in the code."""
        try:
            return self._by_literal[value]
        except KeyError:
            found = next(
                (rule for rule in self.rules if rule.is_literal and rule.matches(value)), None
            )
            self._by_literal[value] = found
            return found

    def for_guard(self, condition: str) -> Rule | None:
        """The first guard hint naming a name of a block's condition (``IS_WIN``)."""
        words = set(WORD.findall(condition))
        return next(
            (
                rule
                for rule in self.rules
                if rule.is_guard and rule.match[len(GUARD_PREFIX) :] in words
            ),
            None,
        )

    def rank(self, kind: str) -> int:
        return KIND_RANK[kind]

    def structural(self, key: str) -> Rule:
        """The rule for a code shape (``<except>``, ``<stub>``, ...); always present."""
        if not self._by_shape:
            for rule in reversed(self.rules):  # the first rule of a shape wins
                if rule.is_structural:
                    self._by_shape[rule.match] = rule
        return self._by_shape[key]


_DEFAULT_RULES = tuple(Rule(match, kind, advice) for match, kind, advice in DEFAULT_RULES)


def default_rules() -> RuleTable:
    """The package's own table, with no user hints."""
    return RuleTable(_DEFAULT_RULES)
