"""The corpus acceptance metrics, measured against a plain reading of each module's source.

The reference is deliberately simpler than the notes engine, so it can catch it out: a line
is type-only when an enclosing ``if`` test's text mentions ``TYPE_CHECKING``; platform- or
version-guarded when an enclosing ``if``/``elif``/``else`` test's text mentions one of the
usual spellings (``sys.platform``, ``os.name``, ``platform.system``, ``sys.version_info``,
``WIN``, ``CYGWIN``, ``MACOS`` ...), or when the module asserts its platform at top level.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from corpus.projects import Project
from covtasks.coverage_data import read_coverage
from covtasks.notes.analysis import analyse_module
from covtasks.notes.grouping import ModuleNotes
from covtasks.notes.project import project_context
from covtasks.notes.rules import default_rules
from covtasks.sources import ProjectSources

TYPE_ONLY_TEST = re.compile(r"TYPE_CHECKING")
PLATFORM_TEST = re.compile(
    r"sys\.platform|os\.name|platform\.system|sys\.version_info|\bWIN\b|\bCYGWIN\b|"
    r"\bMACOS\b|\bIS_[A-Z]+\b|\bPY\d+\b"
)
FILE_LIKE = re.compile(r"open\(|Path|path|file|dir|os\.|shutil\.|tempfile\.|glob")


@dataclass
class Tally:
    """Counts for one project (or all): hits over totals, and the cases that missed."""

    type_only: list[int] = field(default_factory=lambda: [0, 0])
    platform: list[int] = field(default_factory=lambda: [0, 0])
    named: list[int] = field(default_factory=lambda: [0, 0])
    tmp_path_without_files: list[str] = field(default_factory=list)
    platform_modules_deterministic: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        for name in ("type_only", "platform", "named"):
            mine, theirs = getattr(self, name), getattr(other, name)
            mine[0] += theirs[0]
            mine[1] += theirs[1]
        self.tmp_path_without_files += other.tmp_path_without_files
        self.platform_modules_deterministic += other.platform_modules_deterministic
        self.misses += other.misses


def write_metrics(cache: Path, projects: Sequence[Project]) -> None:
    total = Tally()
    rows = []
    for project in projects:
        tally = measure_project(cache / project.folder / "src")
        total.add(tally)
        rows.append((project.folder, tally))
    rows.append(("all", total))
    lines = [
        "| project | TYPE_CHECKING lines advised exclusion | platform/version lines advised "
        "platform/version | bullets in a function naming it | in-memory writes told "
        "`tmp_path` | platform-only modules classed deterministic |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, tally in rows:
        lines.append(
            f"| {name} | {_share(tally.type_only)} | {_share(tally.platform)} | "
            f"{_share(tally.named)} | {len(tally.tmp_path_without_files)} | "
            f"{len(tally.platform_modules_deterministic)} |"
        )
    details = [
        "",
        "Misses:",
        *(f"- {miss}" for miss in total.misses),
        *(f"- `tmp_path` without files: {case}" for case in total.tmp_path_without_files),
        *(
            f"- platform-only, deterministic: {case}"
            for case in total.platform_modules_deterministic
        ),
    ]
    (cache / "metrics.md").write_text("\n".join(lines + details) + "\n", encoding="utf-8")
    summary = {name: tally.__dict__ for name, tally in rows}
    (cache / "metrics.json").write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    print("\n".join(lines))


def _share(pair: list[int]) -> str:
    hits, total = pair
    return f"{hits}/{total} ({100 * hits / total:.0f}%)" if total else "0/0 (–)"


def measure_project(root: Path) -> Tally:
    report = read_coverage(root, "coverage.json")
    sources = ProjectSources(root)
    project = project_context(root, sources.read_text)
    rules = default_rules()
    tally = Tally()
    for module in report.modules:
        if not module.missing_lines:
            continue
        source = sources.read_text(module.path)
        if source is None:
            continue
        notes = analyse_module(module, source, rules, project)
        tally.add(_judge(module.path, source, set(module.missing_lines), notes))
    return tally


def _judge(path: str, source: str, missing: set[int], notes: ModuleNotes) -> Tally:
    tally = Tally()
    tree = ast.parse(source)
    kind_of = {line: note.kind for note in notes.notes for line in note.line_numbers}
    type_only, guarded = _reference_guards(tree)
    for line in sorted(missing & type_only):
        tally.type_only[1] += 1
        if kind_of.get(line) == "type-only":
            tally.type_only[0] += 1
        else:
            tally.misses.append(f"{path}:{line} under TYPE_CHECKING noted {kind_of.get(line)}")
    for line in sorted(missing & guarded - type_only):
        tally.platform[1] += 1
        if kind_of.get(line) in ("platform", "version"):
            tally.platform[0] += 1
        else:
            tally.misses.append(f"{path}:{line} platform/version-guarded noted {kind_of.get(line)}")
    holders = _holders(tree)
    for note in notes.notes:
        inside = [holders[line] for line in note.line_numbers if line in holders]
        if not inside:
            continue
        tally.named[1] += 1
        if note.scope and any(note.scope.split(".")[-1] in names for names in inside):
            tally.named[0] += 1
        else:
            tally.misses.append(f"{path} {note.lines}: bullet does not name {inside[0][-1]}")
    lines = source.splitlines()
    for note in notes.notes:
        if note.kind == "filesystem" and "tmp_path" in note.text:
            texts = [lines[line - 1] for line in note.line_numbers]
            if not any(FILE_LIKE.search(text) for text in texts):
                tally.tmp_path_without_files.append(f"{path} {note.render()}")
    if missing and len(missing & guarded) >= 0.8 * len(missing) and notes.nature == "deterministic":
        tally.platform_modules_deterministic.append(path)
    return tally


def _reference_guards(tree: ast.Module) -> tuple[set[int], set[int]]:
    """Statement lines under a TYPE_CHECKING test, and under a platform or version test."""
    type_only: set[int] = set()
    guarded: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If):
            test = ast.unparse(node.test)
            blocks = [node.body] if TYPE_ONLY_TEST.search(test) else []
            for block in blocks:
                type_only |= set(_statement_lines(block)) | {node.lineno}
            if PLATFORM_TEST.search(test):
                guarded |= set(_statement_lines(node.body)) | {node.lineno}
                guarded |= set(_statement_lines(node.orelse))
    for index, stmt in enumerate(tree.body):
        if isinstance(stmt, ast.Assert) and PLATFORM_TEST.search(ast.unparse(stmt.test)):
            guarded |= set(_statement_lines(tree.body))
            break
        del index
    return type_only, guarded


def _statement_lines(block: Iterable[ast.stmt]) -> Iterator[int]:
    for stmt in block:
        for node in ast.walk(stmt):
            if isinstance(node, ast.stmt | ast.excepthandler):
                yield node.lineno


def _holders(tree: ast.Module) -> dict[int, list[str]]:
    """Each line inside a function or class: the names of the definitions holding it."""
    held: dict[int, list[str]] = {}

    def visit(node: ast.AST, names: list[str]) -> None:
        for child in ast.iter_child_nodes(node):
            inner = names
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                inner = [*names, child.name]
                for line in range(child.lineno, (child.end_lineno or child.lineno) + 1):
                    held[line] = inner
            visit(child, inner)

    visit(tree, [])
    return held
