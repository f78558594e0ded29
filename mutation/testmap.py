"""The committed module → test-files map: which tests run against a module's mutants, in order."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath

HEADER = """\
# Which test files `make mutate` runs against each module's mutants, fastest killers first:
# the module's own tests, then the other tests that run its lines (most lines first), the
# CLI tests last. Regenerate with `make mutate-map` (a coverage run with per-test contexts);
# edit `threshold` and `sampled` by hand, the map keeps them.
"""


@dataclass(frozen=True)
class ModulePlan:
    """One module's mutation run: its test files in run order and the score it must reach."""

    module: str
    tests: tuple[str, ...]
    threshold: float = 98.0
    sampled: int = 0  # 0: every mutant; N: a fixed sample of N mutants by default


def is_cli_test(test_file: str) -> bool:
    """CLI tests drive the whole program: slow to start, so they run last."""
    return PurePosixPath(test_file).stem.startswith("test_cli")


def own_tests(module: str) -> tuple[str, ...]:
    """The test files named after the module: ``covtasks/notes/guards.py`` → test_guards.py,
    and for a package module also test_<package>.py (tests/test_notes.py)."""
    path = PurePosixPath(module)
    names = [f"tests/test_{path.stem}.py"]
    if len(path.parts) > 2:
        names.append(f"tests/test_{path.parts[-2]}.py")
    return tuple(names)


OTHER_TESTS = 2  # non-CLI test files besides the module's own, most lines first
CLI_TESTS = 1  # CLI test files, most lines first


def order_tests(module: str, lines_by_test_file: Mapping[str, int]) -> tuple[str, ...]:
    """Own tests first, then the others by how many of the module's lines they run, CLI last.

    Only the few files that run most of the module's lines are kept: a mutant that gets
    past them runs every file listed, and the whole suite per survivor would cost hours.
    """
    own = [name for name in own_tests(module) if name in lines_by_test_file]

    def rank(name: str) -> tuple[int, str]:
        return (-lines_by_test_file[name], name)

    rest = sorted((name for name in lines_by_test_file if name not in own), key=rank)
    others = [name for name in rest if not is_cli_test(name)][:OTHER_TESTS]
    cli = [name for name in rest if is_cli_test(name)][:CLI_TESTS]
    return (*own, *others, *cli)


def file_of_context(context: str) -> str | None:
    """A coverage test_function context's test file: ``tests.test_a.test_x`` → tests/test_a.py."""
    parts = context.split(".")
    for index, part in enumerate(parts[:-1]):
        if part.startswith("test_"):
            return "/".join(parts[: index + 1]) + ".py"
    return None


def build_map(
    contexts_by_module: Mapping[str, Mapping[str, int]], previous: Mapping[str, ModulePlan]
) -> dict[str, ModulePlan]:
    """A new map from per-test-file line counts, keeping each module's hand-set knobs."""
    result = {}
    for module in sorted(contexts_by_module):
        tests = order_tests(module, contexts_by_module[module])
        old = previous.get(module)
        if old is None:
            result[module] = ModulePlan(module, tests)
        else:
            result[module] = ModulePlan(module, tests, old.threshold, old.sampled)
    return result


def parse_map(text: str, source: str) -> dict[str, ModulePlan]:
    """Read the map; a malformed one raises ValueError naming the module and the problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"{source}: {error}") from error
    modules = data.get("module", {})
    result = {}
    for module, table in modules.items():
        tests = table.get("tests")
        if not isinstance(tests, list) or not tests or not all(isinstance(t, str) for t in tests):
            raise ValueError(f"{source}: {module}: tests must be a non-empty list of paths")
        threshold = table.get("threshold", 98.0)
        sampled = table.get("sampled", 0)
        if not isinstance(threshold, int | float) or not 0 <= threshold <= 100:
            raise ValueError(f"{source}: {module}: threshold must be a number from 0 to 100")
        if not isinstance(sampled, int) or isinstance(sampled, bool) or sampled < 0:
            raise ValueError(f"{source}: {module}: sampled must be a whole number >= 0")
        unknown = set(table) - {"tests", "threshold", "sampled"}
        if unknown:
            raise ValueError(f"{source}: {module}: unknown key {sorted(unknown)[0]!r}")
        result[module] = ModulePlan(module, tuple(tests), float(threshold), sampled)
    return result


def format_map(plans: Iterable[ModulePlan]) -> str:
    """The map as TOML, one table per module, in module order."""
    out = [HEADER]
    for plan in sorted(plans, key=lambda plan: plan.module):
        out.append(f'\n[module."{plan.module}"]')
        if plan.threshold != 98.0:
            out.append(f"threshold = {plan.threshold:g}")
        if plan.sampled:
            out.append(f"sampled = {plan.sampled}")
        out.append("tests = [")
        out.extend(f'  "{name}",' for name in plan.tests)
        out.append("]")
    return "\n".join(out) + "\n"
