"""Notes per function: each uncovered line in exactly one bullet, led by what holds it."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from covtasks.model import Counts
from covtasks.notes.guards import UNTESTABLE_HERE
from covtasks.notes.kinds import KIND_RANK
from covtasks.numbers import line_ranges

# Impact counts missing lines plus missing branches: work left, not a percentage, so a
# small module is not "high impact" for two missed lines.
HIGH_IMPACT_GAP = 20
MODERATE_IMPACT_GAP = 5
MAX_NAMES_SHOWN = 3
# Kinds that are no test work on any machine: excluded, run elsewhere, or removed.
NOT_TEST_WORK = UNTESTABLE_HERE | {"main-guard"}
CLASSES = (
    "deterministic",
    "stochastic",
    "hardware-sensitive",
    "platform-specific",
    "optional-dependency",
    "type-only",
)
# Untested methods of one class: one test over all of them, said for one or for several.
_ONE_TEST_FOR_ALL = ": one test parametrized over their names"


def methods_advice(owner: str, abstract: bool) -> str:
    """Advice for untested methods of ``owner``: a concrete class is instantiated as it is, an
    abstract one through a subclass."""
    if abstract:
        return (
            "call them on an instance of a concrete subclass (a minimal one defined in the "
            f"test){_ONE_TEST_FOR_ALL}"
        )
    return f"call them on an instance of `{owner}`{_ONE_TEST_FOR_ALL}"


def _for_one(advice: str) -> str:
    """``call them on … : one test parametrized …`` said of a single method."""
    if advice.startswith("call them on ") and advice.endswith(_ONE_TEST_FOR_ALL):
        return "call it on " + advice[len("call them on ") : -len(_ONE_TEST_FOR_ALL)]
    return advice


_CLASS_OF_GUARD = {
    "platform": "platform-specific",
    "version": "platform-specific",
    "optional": "optional-dependency",
    "type-only": "type-only",
}


@dataclass(frozen=True, slots=True)
class Need:
    """What one uncovered line needs: the kind of work, its advice and the names behind it."""

    kind: str
    advice: str
    subject: str = ""
    scope: str | None = None  # the bullet's lead when not the function holding the line


@dataclass(frozen=True, slots=True)
class Note:
    """One bullet: the function or class holding its lines, the lines, and what they need."""

    lines: str
    kind: str
    text: str
    scope: str = ""
    line_numbers: tuple[int, ...] = ()

    def render(self) -> str:
        """``` `config_dir` L503-515: `os.environ` → pass ... ``` as written into an entry."""
        lead = f"`{self.scope}` " if self.scope else ""
        return f"{lead}{self.lines}: {self.text}"


@dataclass(frozen=True, slots=True)
class ModuleNotes:
    """Every note for one module, most important first, and how the module is classified."""

    notes: tuple[Note, ...]
    nature: str
    impact: str
    degraded: bool = False
    testable_gap: int = 0  # missing lines + branches that are test work on this machine
    set_aside: Mapping[str, int] = field(default_factory=dict)  # other lines, by kind

    def summary(self) -> str:
        """The module's headline: the note covering most lines, naming the other kinds left."""
        if not self.notes:
            return "nothing left to cover"
        first = self.headline()
        others = list(dict.fromkeys(n.kind for n in self.notes if n.kind != first.kind))
        lead = f"`{first.scope}` " if first.scope else ""
        return lead + first.text + (f" (also: {', '.join(others)})" if others else "")

    def headline(self) -> Note:
        """The note covering most lines (the earliest of equals)."""
        return max(self.notes, key=lambda note: len(note.line_numbers))

    def groups(self) -> tuple[tuple[str, tuple[int, ...], str], ...]:
        """``(function or class, lines, kind)`` per note, for sentences about the gap."""
        return tuple((note.scope, note.line_numbers, note.kind) for note in self.notes)


def impact_of(counts: Counts, gap: int | None = None) -> str:
    """``high``, ``moderate`` or ``low`` by the gap (default: missing lines + branches)."""
    if gap is None:
        gap = counts.missing + counts.missing_branches
    if gap >= HIGH_IMPACT_GAP:
        return "high"
    return "moderate" if gap >= MODERATE_IMPACT_GAP else "low"


def class_of(notes: tuple[Note, ...]) -> str:
    """Hardware beats randomness; with no test work left, the guard covering most lines."""
    work = {note.kind for note in notes if note.kind not in NOT_TEST_WORK}
    if "hardware" in work:
        return "hardware-sensitive"
    if "randomness" in work:
        return "stochastic"
    if work:
        return "deterministic"
    weights: dict[str, int] = {}
    for note in notes:
        guard_class = _CLASS_OF_GUARD.get(note.kind)
        if guard_class is not None:
            weights[guard_class] = weights.get(guard_class, 0) + len(note.line_numbers)
    if not weights:  # unreachable or `__main__` lines only: no test work, no other class
        return "deterministic"
    return min(weights, key=lambda name: (-weights[name], CLASSES.index(name)))


def group_notes(
    needs: Mapping[int, tuple[str, Need]], statements: tuple[int, ...]
) -> tuple[Note, ...]:
    """One note per (scope, kind, advice), most important kind first, then by first line."""
    grouped: dict[tuple[str, str, str], tuple[dict[str, int], list[int]]] = {}
    for line in sorted(needs):
        scope, need = needs[line]
        names, lines = grouped.setdefault((scope, need.kind, need.advice), ({}, []))
        if need.subject:
            names.setdefault(need.subject, line)
        lines.append(line)
    notes = []
    ordered_statements = sorted(set(statements))  # once for all the module's notes
    for (scope, kind, advice), (names, lines) in grouped.items():
        ordered = sorted(names, key=lambda name: (names[name], name))
        shown = ordered[:MAX_NAMES_SHOWN]
        more = len(ordered) - len(shown)
        subject = ", ".join(shown) + (f" and {more} more" if more else "")
        said = _for_one(advice) if len(ordered) == 1 else advice
        text = f"{subject} → {said}" if subject else said
        label = ", ".join(
            f"L{first}" if first == last else f"L{first}-{last}"
            for first, last in line_ranges(ordered_statements, lines)
        )
        notes.append(Note(label, kind, text, scope, tuple(lines)))
    notes.sort(key=lambda note: (KIND_RANK[note.kind], note.line_numbers[0], note.text))
    return tuple(notes)


# Function-name pairs whose composition is the identity: a round-trip property.
_PAIRS = (
    ("encode", "decode"),
    ("dumps", "loads"),
    ("dump", "load"),
    ("serialize", "deserialize"),
    ("compress", "decompress"),
    ("unescape", "escape"),
    ("unquote", "quote"),
    ("unparse", "parse"),
    ("format", "parse"),
    ("render", "parse"),
    ("pack", "unpack"),
    ("encrypt", "decrypt"),
    ("to_", "from_"),
)


def logic_advice(
    scope: str,
    params: tuple[str, ...],
    defined: set[str],
    twin: str,
    classes: Collection[str] = (),
) -> str:
    """A test idea for plain code: a round trip, a differential test, or generated inputs.

    ``defined`` holds the module's top-level functions and classes and its classes' methods
    as ``Class.method`` (the inverse is looked for beside the function), ``classes`` the
    module's classes.
    """
    name = scope.rsplit(".", 1)[-1]
    prefix = scope[: len(scope) - len(name)]
    for first, second in _PAIRS:
        for mine, other in ((first, second), (second, first)):
            counterpart = name.replace(mine, other, 1)
            inverse = f"{prefix}{counterpart}"
            if mine in name and counterpart != name and inverse in defined:
                return (
                    f"round trip with Hypothesis: `{inverse}({scope}(x)) == x` for generated "
                    f"`x` (or the reverse), reaching these lines"
                )
    if twin:
        return f"differential test with Hypothesis: same inputs, same result as `{twin}`"
    if params:
        shown = ", ".join(f"`{param}`" for param in params[:MAX_NAMES_SHOWN])
        return f"Hypothesis: generate {shown} so the calls reach these lines and branches"
    if scope and "." not in scope and scope not in classes:
        return "call it (it takes no arguments) and assert on what it returns"
    if scope:
        return "call it with inputs that reach these lines and branches"
    return "module-level code: import the module in the state that runs these lines"
