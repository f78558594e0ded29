"""An entry's Summary: the gap in one sentence — where it is and what kind of work it needs.

Built from the notes' groups ``(function or class, lines, kind)``: the two kinds of work
covering most lines, each with the functions holding most of them, then how many lines
other kinds of work hold: ``8 lines in `spool_job` and `drain` need a runner seam; 2 lines
need an error raised.``
"""

from __future__ import annotations

from collections.abc import Sequence

from covtasks.escaping import code_span

# A group as the notes engine gives it: (function or class, "" at module level; lines; kind).
Group = tuple[str, Sequence[int], str]

KINDS_SHOWN = 2
SCOPES_SHOWN = 2

# What lines of each kind need, said shortly; a kind not listed says its own name.
NEEDS = {
    "hardware": "a CPU pathway",
    "randomness": "a seeded generator",
    "clock": "an injected clock",
    "network": "an injected client",
    "subprocess": "a runner seam",
    "launch": "a launcher seam",
    "path-lookup": "a PATH seam",
    "stdio": "fake terminal streams",
    "threads": "a test in a fresh thread",
    "signals": "a signal test",
    "locale": "a locale seam",
    "metadata": "a package-metadata seam",
    "introspection": "an introspection seam",
    "filesystem": "a path parameter and `tmp_path`",
    "environment": "an environment mapping",
    "cli": "a `main(argv)` call",
    "user": "what the project's hints say",
    "error-path": "an error raised",
    "protocol": "a concrete implementation",
    "logic": "plain tests",
    "platform": "another platform in CI",
    "version": "another Python version in CI",
    "optional": "an optional dependency installed",
    "type-only": "excluding (type-only)",
    "unreachable": "removing (unreachable)",
    "main-guard": "excluding (`__main__` guard)",
    "unanalysed": "reading (no source to analyse)",
}


def gap_sentence(groups: Sequence[Group], module_class: str = "") -> str:
    """The Summary sentence for a module's gap; "" when the notes give no groups."""
    lines_of: dict[str, set[int]] = {}
    scopes_of: dict[str, dict[str, int]] = {}
    for scope, lines, kind in groups:
        lines_of.setdefault(kind, set()).update(lines)
        if scope:
            counts = scopes_of.setdefault(kind, {})
            counts[scope] = counts.get(scope, 0) + len(lines)
    kinds = sorted(lines_of, key=lambda kind: -len(lines_of[kind]))  # stable: notes' order
    if not kinds:
        return ""
    clauses = [_clause(len(lines_of[kind]), scopes_of.get(kind, {}), kind) for kind in kinds]
    shown = clauses[:KINDS_SHOWN]
    rest = kinds[KINDS_SHOWN:]
    # A line may need two kinds of work: count only lines the clauses shown left out.
    counted = set().union(*(lines_of[kind] for kind in kinds[:KINDS_SHOWN]))
    left = set().union(*(lines_of[kind] for kind in rest)) - counted
    if left:
        verb = "needs" if len(left) == 1 else "need"
        shown.append(f"{_lines(len(left), 'more ')} {verb} other work ({', '.join(rest)})")
    sentence = "; ".join(shown) + "."
    name = module_class.partition(":")[0]
    if name and name != "deterministic":
        sentence = f"{name.capitalize()}: {sentence}"
    return sentence


def _clause(count: int, scopes: dict[str, int], kind: str) -> str:
    where = ""
    if scopes:
        named = sorted(scopes, key=lambda scope: -scopes[scope])
        names = [code_span(scope) for scope in named[:SCOPES_SHOWN]]
        more = len(named) - len(names)
        if more:
            names.append(f"{more} more")
        where = " in " + _and(names)
    verb = "needs" if count == 1 else "need"
    return f"{_lines(count)}{where} {verb} {NEEDS.get(kind, kind + ' work')}"


def _lines(count: int, more: str = "") -> str:
    return f"{count} {more}line" if count == 1 else f"{count} {more}lines"


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
