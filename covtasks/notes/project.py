"""What the notes need to know about the project: its coverage config file, extras and tests."""

from __future__ import annotations

import ast
import os
import posixpath
import re
import shlex
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from covtasks.notes.facts import ModuleFacts, module_facts
from covtasks.notes.guards import (
    OPTIONAL,
    PLATFORM,
    TYPE_ONLY,
    UNREACHABLE,
    VERSION,
    Guard,
    GuardFinder,
)
from covtasks.notes.nodes import subtree

# Where coverage.py reads its settings, in its own order of precedence, and the section
# that holds `exclude_also` in each.
COVERAGE_CONFIGS = (
    (".coveragerc", "[report]"),
    ("setup.cfg", "[coverage:report]"),
    ("tox.ini", "[coverage:report]"),
    ("pyproject.toml", "[tool.coverage.report]"),
)
SCRATCH_DATA = ".cache/coverage/one-module.sqlite"
_NOT_NAME = re.compile(r"[-_.]+")
_REGEX_SPECIAL = re.compile(r"[.^$*+?{}\[\]\\|()]")
_REQUIREMENT_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_SKIPPED_DIRS = frozenset(
    {".git", ".hg", ".venv", "venv", ".tox", ".nox", ".cache", "node_modules"}
)


@dataclass
class ProjectContext:
    """Project facts for the notes; every field has a value that needs no project at all."""

    coverage_config: str = "pyproject.toml"
    extras: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    read_source: Callable[[str], str | None] = lambda _path: None
    _parsed: dict[str, tuple[ModuleFacts, list[ast.If]] | None] = field(default_factory=dict)

    def _module(self, path: str) -> tuple[ModuleFacts, list[ast.If]] | None:
        """Another module's facts and ``if`` statements, read and parsed once per sync."""
        if path not in self._parsed:
            self._parsed[path] = _parse_module(path, self.read_source(path))
        return self._parsed[path]

    def sibling(self, candidates: tuple[str, ...]) -> ModuleFacts | None:
        """Facts of another module of the project, read once per path."""
        for path in candidates:
            found = self._module(path)
            if found is not None:
                return found[0]
        return None

    def distribution(self, module: str) -> tuple[str, str]:
        """``(requirement, extra)`` declaring an imported module; ``(module, "")`` if none."""
        wanted = normalise(module)
        for extra in sorted(self.extras):
            for requirement in self.extras[extra]:
                name = normalise(requirement)
                if name in (wanted, f"py{wanted}", f"python_{wanted}") or name.startswith(
                    f"{wanted}_"
                ):
                    return requirement, extra
        return module, ""

    def guard_advice(self, guard: Guard, scope: str, source_line: str) -> str:
        """What to do about a block that runs only somewhere: never "call it with inputs"."""
        if guard.advice:
            return guard.advice
        if guard.kind == TYPE_ONLY:
            return self._exclusion(source_line, "type-only")
        if guard.kind == PLATFORM:
            elsewhere = (
                f"run the tests {guard.where} in CI and `coverage combine` the data files "
                "(`[paths]` maps the checkouts)"
            )
            if not scope or guard.whole_module:  # import-time code: no parameter reaches it
                return f"runs only {guard.where} ({guard.condition}): {elsewhere}"
            if guard.imports:
                return (
                    f"runs only {guard.where} ({guard.condition} imports there only): take "
                    f"`{guard.imports}` as a parameter of `{scope}` (default: the one the import "
                    f"gives) and test with a fake, or {elsewhere}"
                )
            subject = guard.subject or "sys.platform"
            return (
                f"runs only {guard.where} ({guard.condition}): make `{subject}` a parameter of "
                f"`{scope}` (default `{subject}`) and test both values, or {elsewhere}"
            )
        if guard.kind == VERSION:
            return (
                f"runs only {guard.where} ({guard.condition}): add such a Python to the CI matrix "
                "and `coverage combine`, or exclude it with `exclude_also`"
            )
        if guard.kind == OPTIONAL:
            return self._optional(guard)
        assert guard.kind == UNREACHABLE
        return (
            f"unreachable ({guard.where}): remove it, or mark it `# pragma: no cover` with the "
            "reason"
        )

    def _exclusion(self, source_line: str, what: str) -> str:
        return f"{what}: add {self._setting('exclude_also', source_line)}; not a test task"

    def partial_branch_advice(self, source_line: str) -> str:
        """For a decision whose only untaken side is the type checker's."""
        setting = self._setting("partial_also", source_line)  # keeps the default list
        return f"type-only branch (never taken at run time): add {setting}; not a test task"

    def _setting(self, option: str, source_line: str) -> str:
        """The exact line that adds a source line's pattern to a coverage.py list option."""
        code = source_line.split("#", 1)[0].strip()  # the comment is no part of the match
        pattern = _REGEX_SPECIAL.sub(r"\\\g<0>", code)
        config, section = next(
            ((name, section) for name, section in COVERAGE_CONFIGS if name == self.coverage_config),
            COVERAGE_CONFIGS[-1],
        )
        if config == "pyproject.toml":
            return f"`{option} = ['{pattern}']` under `{section}` in `{config}`"
        return f"the line `{pattern}` to `{option}` under `{section}` in `{config}`"

    def _optional(self, guard: Guard) -> str:
        if not guard.dependency:
            return (
                f"runs only {guard.where}: test once with that dependency installed and once "
                "without (two environments) and `coverage combine`"
            )
        requirement, extra = self.distribution(guard.dependency)
        declared = f" (extra `{extra}`: `pip install -e '.[{extra}]'`)" if extra else ""
        if guard.where.startswith("without"):
            return (
                f"runs only without `{requirement}`{declared}: run the tests once in an "
                "environment without it and `coverage combine`, or pass the module in as a "
                "parameter (None for missing)"
            )
        return (
            f"needs `{requirement}`{declared}: install it in the test environment (and keep "
            "one run without it), then `coverage combine`"
        )

    def import_guard(self, path: str) -> Guard | None:
        """The platform or version guard under which the package's ``__init__`` imports
        the module at ``path``: a module only ever imported on Windows is Windows-only."""
        folder, name = posixpath.split(path)
        init = posixpath.join(folder, "__init__.py")
        stem = name.removesuffix(".py")
        parsed = self._module(init) if init != path else None
        if parsed is None:
            return None
        facts, branches = parsed
        finder = GuardFinder(facts, self.sibling)
        found = None
        for node in branches:  # outer `if` first: the innermost wins
            for block, positive in ((node.body, True), (node.orelse, False)):
                if any(_imports_module(stmt, stem) for stmt in block):
                    guard = finder.of_test(node.test, positive)
                    if guard is not None and guard.kind in (PLATFORM, VERSION):
                        where = f"{guard.condition} in `{init}`"
                        found = replace(guard, condition=where, whole_module=True)
        return found


def _imports_module(stmt: ast.stmt, stem: str) -> bool:
    """Whether ``stmt`` imports the package's module ``stem`` (``from .windows import X``)."""
    if isinstance(stmt, ast.ImportFrom):
        if stmt.module is not None and stmt.module.split(".")[-1] == stem:
            return True
        return stmt.module is None and any(alias.name == stem for alias in stmt.names)
    return isinstance(stmt, ast.Import) and any(
        alias.name.split(".")[-1] == stem for alias in stmt.names
    )


def normalise(name: str) -> str:
    """A requirement or module name compared the way installers compare them."""
    return _NOT_NAME.sub("_", name).lower()


def project_context(
    root: Path, read_source: Callable[[str], str | None], files: Iterable[str] = ()
) -> ProjectContext:
    """The context for ``root``: its coverage config file and the extras its pyproject declares."""
    names = set(files) or {name for name, _ in COVERAGE_CONFIGS if (root / name).is_file()}
    config = "pyproject.toml"
    for name, _ in COVERAGE_CONFIGS[:-1]:
        text = read_source(name) if name in names else None
        if text is not None and (name == ".coveragerc" or "[coverage:" in text):
            config = name
            break
    extras: dict[str, tuple[str, ...]] = {}
    text = read_source("pyproject.toml") if "pyproject.toml" in names else None
    if text is not None:
        extras = _extras(text)
    return ProjectContext(config, extras, read_source)


def _extras(pyproject: str) -> dict[str, tuple[str, ...]]:
    try:
        table = tomllib.loads(pyproject)
    except tomllib.TOMLDecodeError:
        return {}
    declared = table.get("project", {}).get("optional-dependencies", {})
    if not isinstance(declared, dict):
        return {}
    extras: dict[str, tuple[str, ...]] = {}
    for extra, requirements in declared.items():
        if isinstance(requirements, list):
            names = (_REQUIREMENT_NAME.match(str(item)) for item in requirements)
            extras[str(extra)] = tuple(match.group(1) for match in names if match)
    return extras


def _parse_module(path: str, source: str | None) -> tuple[ModuleFacts, list[ast.If]] | None:
    if source is None:
        return None
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    branches = [node for node in subtree(tree) if isinstance(node, ast.If)]
    return module_facts(path, tree), branches


def find_tests(root: Path) -> tuple[str, ...]:
    """The project's test modules (``test_*.py``, ``*_test.py``), project-relative, sorted.

    Virtual environments, caches and VCS folders are not descended into.
    """
    found: list[str] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [name for name in dirs if name not in _SKIPPED_DIRS]
        relative = Path(folder).relative_to(root)
        for name in files:
            if name.endswith(".py") and (name.startswith("test_") or name.endswith("_test.py")):
                found.append((relative / name).as_posix())
    return tuple(sorted(found))


@dataclass(frozen=True)
class TestIndex:
    """The project's test modules by file name, built once per sync."""

    by_name: Mapping[str, tuple[str, ...]]
    folder: str  # where a suggested test module goes

    __test__ = False  # not a pytest test class, despite its name

    @classmethod
    def of(cls, tests: Iterable[str]) -> TestIndex:
        by_name: dict[str, list[str]] = {}
        for test in tests:
            by_name.setdefault(PurePosixPath(test).name, []).append(test)
        folders = sorted(
            {test.split("/", 1)[0] for names in by_name.values() for test in names if "/" in test}
        )
        folder = "tests" if "tests" in folders or not folders else folders[0]
        return cls({name: tuple(paths) for name, paths in by_name.items()}, folder)


def matching_test(module: str, tests: TestIndex | Iterable[str]) -> str:
    """The test module for ``module``: an existing ``test_<name>.py``, else a suggested path."""
    index = tests if isinstance(tests, TestIndex) else TestIndex.of(tests)
    pure = PurePosixPath(module)
    stem = pure.stem if pure.stem != "__init__" else pure.parent.name
    wanted = (f"test_{stem}.py", f"test_{stem.lstrip('_')}.py", f"{stem}_test.py")
    matches = sorted({test for name in wanted for test in index.by_name.get(name, ())})
    if matches:
        # The one whose folders share most with the module's: `tests/cli/test_main.py`
        # for `src/pkg/cli/main.py`, not `tests/server/test_main.py`.
        parts = set(pure.parts[:-1])
        return min(matches, key=lambda test: (-len(parts & set(PurePosixPath(test).parts)), test))
    return f"{index.folder}/test_{stem.lstrip('_')}.py"


def validation(module: str, test: str) -> str:
    """Commands that re-measure one module into scratch data and check it alone."""
    data = SCRATCH_DATA
    run = f"COVERAGE_FILE={data} coverage run --branch -m pytest {shlex.quote(test)}"
    check = f"covtasks check --coverage {data} {shlex.quote(module)}"
    from covtasks.escaping import code_span

    return f"{code_span(run)}, then {code_span(check)}"
