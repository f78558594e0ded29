"""Mutants as plain records: a stable name for each, annotation-only ones, fixed samples."""

from __future__ import annotations

import ast
import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Position = tuple[int, int]  # (line, column), lines from 1, columns in characters from 0


@dataclass(frozen=True)
class Mutant:
    """One cosmic-ray mutation of a module."""

    job_id: str
    module: str
    operator: str
    occurrence: int
    start: Position
    end: Position


@dataclass(frozen=True)
class MutantKey:
    """A name for a mutant that survives edits elsewhere in the module (no line numbers):
    the operator, the text of its source line, and which such mutation of that line it is."""

    module: str
    operator: str
    line: str
    index: int


def keys_of(mutants: Iterable[Mutant], source: str) -> dict[str, MutantKey]:
    """Each mutant's key by job id; ``index`` counts mutants of one operator on equal lines."""
    lines = source.splitlines()
    groups: dict[tuple[str, str, str], list[Mutant]] = defaultdict(list)
    for mutant in mutants:
        text = lines[mutant.start[0] - 1].strip() if mutant.start[0] <= len(lines) else ""
        groups[(mutant.module, mutant.operator, text)].append(mutant)
    keys = {}
    for (module, operator, text), members in groups.items():
        ordered = sorted(members, key=lambda mutant: (mutant.start, mutant.occurrence))
        for index, mutant in enumerate(ordered):
            keys[mutant.job_id] = MutantKey(module, operator, text, index)
    return keys


def annotation_spans(source: str) -> list[tuple[Position, Position]]:
    """Where the module's type annotations are: parameters, returns and annotated names.

    With ``from __future__ import annotations`` they are never evaluated, and a type checker
    (mypy in ``make test``), not a test, is what notices a broken one.
    """
    tree = ast.parse(source)
    lines = source.splitlines()
    nodes: list[ast.expr] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.arg) and node.annotation is not None:
            nodes.append(node.annotation)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.returns:
            nodes.append(node.returns)
        elif isinstance(node, ast.AnnAssign):
            nodes.append(node.annotation)
    spans = []
    for node in nodes:
        assert node.end_lineno is not None
        assert node.end_col_offset is not None
        start = (node.lineno, _characters(lines, node.lineno, node.col_offset))
        end = (node.end_lineno, _characters(lines, node.end_lineno, node.end_col_offset))
        spans.append((start, end))
    return spans


def _characters(lines: Sequence[str], line: int, byte_offset: int) -> int:
    # ast counts UTF-8 bytes; cosmic-ray (parso) counts characters.
    return len(lines[line - 1].encode()[:byte_offset].decode(errors="ignore"))


def in_annotation(mutant: Mutant, spans: Iterable[tuple[Position, Position]]) -> bool:
    """Whether the mutated text lies wholly inside one annotation."""
    return any(start <= mutant.start and mutant.end <= end for start, end in spans)


def sample(mutants: Sequence[Mutant], count: int, seed: str) -> list[Mutant]:
    """A fixed sample of ``count`` mutants (all when ``count`` is 0 or covers them all).

    Seeded by the module's name, so one sample is the same on every machine and run: a
    survivor found today is there tomorrow until a test kills it.
    """
    ordered = sorted(mutants, key=lambda m: (m.operator, m.occurrence, m.start, m.end))
    if count <= 0 or count >= len(ordered):
        return list(ordered)
    return random.Random(seed).sample(ordered, count)
