"""Guards, new seam kinds, error origins and per-function notes on a real coverage run."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from covtasks.config import Hint
from covtasks.coverage_data import read_coverage
from covtasks.model import CoverageReport, ModuleCoverage
from covtasks.notes.analysis import analyse_module
from covtasks.notes.grouping import ModuleNotes
from covtasks.notes.hints import load_rules
from covtasks.notes.project import (
    ProjectContext,
    find_tests,
    matching_test,
    project_context,
    validation,
)
from covtasks.notes.rules import default_rules
from covtasks.sources import ProjectSources
from tests.sample import make_project

PYPROJECT = """\
[project]
name = "pkg"
version = "1"

[project.optional-dependencies]
links = ["fancylinks-py>=1"]

[tool.coverage.run]
branch = true
source = ["pkg"]
data_file = ".cache/coverage/coverage.sqlite"
"""

# Each uncovered line carries `# @kind`: the one kind of note that must hold it.
MODULES = {
    "pkg/_compat.py": """\
        import sys

        WIN = sys.platform.startswith("win")
        PY_OLD = sys.version_info < (3, 9)

        try:
            import fancylinks
        except ImportError:
            fancylinks = None
        """,
    "pkg/typed.py": """\
        import typing as t

        if t.TYPE_CHECKING:  # @type-only
            from collections.abc import Iterator  # @type-only


        def ok():
            return 1
        """,
    "pkg/plat.py": """\
        import os
        import sys

        from ._compat import PY_OLD, WIN
        from . import _compat


        def sep():
            if WIN:  # @platform
                return "\\\\"  # @platform
            return "/"


        def shell():
            if os.name == "nt":  # @platform
                return "cmd"  # @platform
            if sys.platform == "darwin":  # @platform
                return "zsh"  # @platform
            if _compat.WIN:  # @platform
                return "never"  # @platform
            return "sh"


        def old():
            if PY_OLD:  # @version
                return "legacy"  # @version
            return "new"


        if sys.version_info >= (3, 99):  # @version
            FUTURE = True  # @version
        """,
    "pkg/winonly.py": """\
        import sys  # @platform

        assert sys.platform == "win32"  # @platform


        def console():  # @platform
            return 1  # @platform
        """,
    "pkg/links.py": """\
        import importlib.util

        from ._compat import fancylinks


        def linkify(text):
            if fancylinks is None:  # @optional
                return text
            return fancylinks.run(text)  # @optional


        def has_yaml():
            if importlib.util.find_spec("not_installed_anywhere") is not None:  # @optional
                return True  # @optional
            return False


        def strict(flag):
            if not flag:
                return None
            if fancylinks is None:  # @optional
                raise ModuleNotFoundError("install the links extra")  # @optional
            return 1  # @optional


        try:
            from importlib import resources
        except ImportError:  # @version
            resources = None  # @version
        """,
    "pkg/dead.py": """\
        def pick(table):
            try:
                value = 1
            except KeyError:  # @unreachable
                value = 2  # @unreachable
            return value
        """,
    "pkg/terminal.py": """\
        import getpass
        import importlib.metadata
        import inspect
        import locale
        import shutil
        import signal
        import sys
        import threading
        import webbrowser

        _local = threading.local()


        def ask(stream=None):
            if stream is not None:
                return stream
            stream = sys.stdin  # @stdio
            return getpass.getpass()  # @stdio


        def browse(url):
            webbrowser.open(url)  # @launch


        def editor():
            return shutil.which("vim")  # @path-lookup


        def encoding():
            return locale.getpreferredencoding()  # @locale


        def version():
            return importlib.metadata.version("pkg")  # @metadata


        def caller():
            return inspect.currentframe()  # @introspection


        def interrupt():
            signal.signal(signal.SIGINT, signal.SIG_DFL)  # @signals


        def current():
            try:  # @logic
                return _local.stack[-1]  # @threads
            except (AttributeError, IndexError):  # @error-path
                raise RuntimeError("no context") from None  # @error-path


        class Formatter:
            def __init__(self):
                self.buffer = []

            def write_text(self, text):
                self.buffer.append(text)


        def render(formatter, text):
            formatter.write_text(text)
            return formatter


        def save(path, text):
            with open(path, "w") as handle:  # @filesystem
                handle.write(text)  # @logic
        """,
    "pkg/origins.py": """\
        import json
        import os


        def load(text):
            try:
                return json.loads(text)
            except ValueError:  # @error-path
                return None  # @error-path


        def call(fetch):
            try:
                return fetch()
            except OSError:  # @error-path
                return None  # @error-path


        def read_home():
            try:
                return os.environ["HOME"]
            except KeyError:  # @error-path
                return ""  # @error-path


        def helper():
            return 1


        def via_helper():
            try:
                return helper()
            except LookupError:  # @error-path
                return 0  # @error-path


        class Box:
            def __init__(self, size):
                self.size = size

            def check(self):
                if self.size < 0:
                    raise ValueError("negative")  # @error-path
                return self.size
        """,
    "pkg/local.py": """\
        import os

        try:
            import fancylinks
        except ImportError:
            fancylinks = None
        except AttributeError:  # @unreachable
            fancylinks = False  # @unreachable


        def home():
            value = os.environ.get("HOME")
            if value is None:
                return "/"  # @environment
            return value


        def ask():
            prompt = input
            try:
                return prompt("name? ")
            except EOFError:  # @error-path
                return ""  # @error-path


        def needs_links(available):
            if not available:
                raise ImportError("install the links extra")
            return 1  # @optional


        def needs_links_too(available):
            if not available:
                raise ImportError("install the links extra")  # @optional
            return 1
        """,
    "pkg/codec.py": """\
        import textwrap


        def encode(text):
            if not text:
                return b""  # @logic
            return text.encode()


        def decode(data):
            return data.decode()


        class Wrapper(textwrap.TextWrapper):
            def wide(self, text):
                return self.wrap(text)  # @logic
        """,
}

DRIVER = """\
import builtins
import pkg._compat
from pkg import codec, dead, links, local, origins, plat, terminal, typed
local.home()
builtins.input = lambda prompt: "y"
local.ask()
try:
    local.needs_links(False)
except ImportError:
    pass
local.needs_links_too(True)

typed.ok()
plat.sep()
plat.shell()
plat.old()
links.linkify("x")
links.has_yaml()
links.strict(False)
links.strict(True) if False else None
dead.pick({})
terminal.ask(stream=object())
terminal.render(terminal.Formatter(), "x")
origins.load("1")
origins.call(lambda: 1)
origins.read_home()
origins.via_helper()
origins.Box(1).check()
codec.encode("x")
codec.decode(b"x")
codec.Wrapper()
"""


@pytest.fixture(scope="module")
def measured(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, CoverageReport]:
    root = tmp_path_factory.mktemp("guards")
    project = make_project(root, {"pkg/__init__.py": "", **MODULES}, PYPROJECT)
    project.write("tests/test_codec.py", "")
    project.measure(DRIVER)
    return root, read_coverage(root)


def module_of(report: CoverageReport, path: str) -> ModuleCoverage:
    return next(module for module in report.modules if module.path == path)


def analysed(
    measured: tuple[Path, CoverageReport], path: str, hints: tuple[Hint, ...] = ()
) -> ModuleNotes:
    root, report = measured
    read = ProjectSources(root).read_text
    project = project_context(root, read)
    return analyse_module(module_of(report, path), read(path), load_rules(hints), project)


def marked(source: str) -> dict[str, set[int]]:
    found: dict[str, set[int]] = {}
    for number, line in enumerate(source.splitlines(), start=1):
        match = re.search(r"# @([a-z-]+)$", line)
        if match:
            found.setdefault(match.group(1), set()).add(number)
    return found


@pytest.mark.parametrize("path", sorted(set(MODULES) - {"pkg/_compat.py"}))
def test_every_uncovered_line_lands_in_the_note_of_its_marked_kind(
    measured: tuple[Path, CoverageReport], path: str
) -> None:
    root, _ = measured
    notes = analysed(measured, path)
    found: dict[str, set[int]] = {}
    for note in notes.notes:
        found.setdefault(note.kind, set()).update(note.line_numbers)
    assert found == marked((root / path).read_text(encoding="utf-8"))


def test_type_only_block_is_advised_for_exclusion_with_the_exact_configuration_line(
    measured: tuple[Path, CoverageReport],
) -> None:
    notes = analysed(measured, "pkg/typed.py")
    assert [note.render() for note in notes.notes] == [
        "L3-4: type-only: add `exclude_also = ['if t\\.TYPE_CHECKING:']` under "
        "`[tool.coverage.report]` in `pyproject.toml`; not a test task"
    ]
    assert (notes.nature, notes.testable_gap, dict(notes.set_aside)) == (
        "type-only",
        0,
        {"type-only": 2},
    )


def test_platform_alias_from_another_module_names_the_platform_and_the_function(
    measured: tuple[Path, CoverageReport],
) -> None:
    notes = analysed(measured, "pkg/plat.py")
    assert notes.notes[0].render() == (
        "`sep` L9-10: runs only on Windows (`WIN`): make `WIN` a parameter of `sep` (default "
        "`WIN`) and test both values, or run the tests on Windows in CI and `coverage combine` "
        "the data files (`[paths]` maps the checkouts)"
    )
    assert notes.nature == "platform-specific"


def test_module_asserting_its_platform_is_platform_specific_as_a_whole(
    measured: tuple[Path, CoverageReport],
) -> None:
    notes = analysed(measured, "pkg/winonly.py")
    assert [note.render() for note in notes.notes] == [
        "L1-7: runs only on Windows (`sys.platform == 'win32'`): run the tests on Windows in CI "
        "and `coverage combine` the data files (`[paths]` maps the checkouts)",
    ]
    assert notes.impact == "low"


def test_optional_dependency_names_the_requirement_and_its_extra(
    measured: tuple[Path, CoverageReport],
) -> None:
    texts = [note.render() for note in analysed(measured, "pkg/links.py").notes]
    assert texts[1] == (
        "`linkify` L7, L9: needs `fancylinks-py` (extra `links`: `pip install -e '.[links]'`): "
        "install it in the test environment (and keep one run without it), then "
        "`coverage combine`"
    )
    assert "runs only with the optional dependency" not in " ".join(texts)


def test_except_nothing_can_raise_is_unreachable(measured: tuple[Path, CoverageReport]) -> None:
    notes = analysed(measured, "pkg/dead.py")
    assert [note.render() for note in notes.notes] == [
        "`pick` L4-5: unreachable (nothing in its `try` can raise `KeyError`): remove it, or mark "
        "it `# pragma: no cover` with the reason"
    ]


def test_error_paths_say_where_the_error_comes_from(measured: tuple[Path, CoverageReport]) -> None:
    texts = [note.render() for note in analysed(measured, "pkg/origins.py").notes]
    assert texts[:3] == [
        "`load` L8-9: `except ValueError` → input `text` → pass a `text` that makes the `try` "
        "raise `ValueError`",
        "`call` L15-16: `except OSError` → collaborator `fetch` → pass a fake that raises "
        "`OSError`; assert on the handling",
        "`read_home` L22-23: `except KeyError` → ambient `os.environ` → make it a parameter "
        "first, then pass values that make the `try` raise `KeyError`",
    ]
    joined = "\n".join(texts)
    assert "`via_helper` L33-34: `except LookupError` → collaborator `helper`" in joined
    assert "`Box.check` L43: `raise ValueError` when `self.size < 0` → build the object" in joined


def test_thread_local_state_is_tested_in_a_fresh_thread(
    measured: tuple[Path, CoverageReport],
) -> None:
    texts = [note.render() for note in analysed(measured, "pkg/terminal.py").notes]
    assert (
        "`current` L48-49: `except AttributeError | IndexError` → thread-local `_local` → call it "
        "in a fresh `threading.Thread` where nothing was set on it, and assert on the handling "
        "of `AttributeError`/`IndexError`"
    ) in texts


def test_in_memory_write_is_plain_logic_and_a_path_parameter_is_a_seam_already(
    measured: tuple[Path, CoverageReport],
) -> None:
    texts = [note.render() for note in analysed(measured, "pkg/terminal.py").notes]
    assert "`save` L66: `path` → already a parameter: pass a real file under `tmp_path`" in texts
    assert not any("render" in text and "tmp_path" in text for text in texts)


def test_pure_code_gets_a_round_trip_or_a_differential_test(
    measured: tuple[Path, CoverageReport],
) -> None:
    texts = [note.render() for note in analysed(measured, "pkg/codec.py").notes]
    assert texts == [
        "`encode` L6: round trip with Hypothesis: `decode(encode(x)) == x` for generated `x` "
        "(or the reverse), reaching these lines",
        "`Wrapper.wide` L16: differential test with Hypothesis: same inputs, same result as "
        "`textwrap.TextWrapper`",
    ]


def test_guard_hint_applies_to_the_whole_block_with_its_kind(
    measured: tuple[Path, CoverageReport],
) -> None:
    hint = Hint("", "tested on the Windows runner", "platform-specific", guard="WIN")
    notes = analysed(measured, "pkg/plat.py", (hint,))
    assert notes.notes[0].render() == "`sep` L9-10: `WIN` → tested on the Windows runner"
    assert notes.notes[0].kind == "platform"


@settings(max_examples=15, derandomize=True)
@given(data=st.data())
def test_every_missing_line_appears_in_exactly_one_bullet(
    measured: tuple[Path, CoverageReport], data: st.DataObject
) -> None:
    _, report = measured
    path = data.draw(st.sampled_from(sorted(MODULES)))
    module = module_of(report, path)
    dropped = data.draw(st.sets(st.sampled_from(module.missing_lines or (0,))))
    trimmed = module.__class__(
        module.path,
        module.counts,
        module.statement_lines,
        tuple(line for line in module.missing_lines if line not in dropped),
        module.missing_arcs,
    )
    root, _ = measured
    read = ProjectSources(root).read_text
    notes = analyse_module(trimmed, read(path), default_rules(), project_context(root, read))
    counted = [line for note in notes.notes for line in note.line_numbers]
    assert len(counted) == len(set(counted))
    assert set(trimmed.missing_lines) <= set(counted)


@settings(max_examples=20, derandomize=True)
@given(
    name=st.sampled_from(["WIN", "IS_WINDOWS", "ON_NT"]),
    spelling=st.sampled_from(
        ['sys.platform.startswith("win")', 'sys.platform == "win32"', 'os.name == "nt"']
    ),
    via=st.sampled_from(["direct", "module", "name"]),
)
def test_platform_aliases_resolve_however_they_are_spelled_and_imported(
    tmp_path_factory: pytest.TempPathFactory, name: str, spelling: str, via: str
) -> None:
    compat = f"import os\nimport sys\n{name} = {spelling}\n"
    use = {
        "direct": f"import os\nimport sys\n{name} = {spelling}\n",
        "module": "from . import flags\n",
        "name": f"from .flags import {name}\n",
    }[via]
    test = f"flags.{name}" if via == "module" else name
    body = f"{use}\n\ndef f():\n    if {test}:\n        return 1\n    return 0\n"
    sources = {"pkg/flags.py": compat, "pkg/use.py": body}
    line = body.splitlines().index("        return 1") + 1
    module = ModuleCoverage("pkg/use.py", COUNTS, (line,), (line,), ())
    project = ProjectContext(read_source=sources.get)
    notes = analyse_module(module, body, default_rules(), project)
    assert [note.kind for note in notes.notes] == ["platform"]
    assert "Windows" in notes.notes[0].text


COUNTS = __import__("covtasks.model", fromlist=["Counts"]).Counts(1, 1, 0, 0, 0)


def test_validation_runs_the_module_tests_into_scratch_data_and_checks_that_module(
    measured: tuple[Path, CoverageReport],
) -> None:
    root, _ = measured
    tests = find_tests(root)
    assert tests == ("tests/test_codec.py",)
    assert matching_test("pkg/codec.py", tests) == "tests/test_codec.py"
    assert matching_test("pkg/_compat.py", tests) == "tests/test_compat.py"
    assert validation("pkg/codec.py", "tests/test_codec.py") == (
        "`COVERAGE_FILE=.cache/coverage/one-module.sqlite coverage run --branch -m pytest "
        "tests/test_codec.py`, then `covtasks check --coverage "
        ".cache/coverage/one-module.sqlite pkg/codec.py`"
    )


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {".coveragerc": "[run]\n"},
            "the line `if TYPE_CHECKING:` to `exclude_also` under `[report]` in `.coveragerc`",
        ),
        (
            {"setup.cfg": "[coverage:run]\nbranch = True\n"},
            "under `[coverage:report]` in `setup.cfg`",
        ),
        (
            {"setup.cfg": "[metadata]\n", "pyproject.toml": "x = ["},
            "under `[tool.coverage.report]` in `pyproject.toml`",
        ),
    ],
)
def test_exclusion_advice_names_the_file_coverage_reads_its_settings_from(
    tmp_path: Path, files: dict[str, str], expected: str
) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    read = ProjectSources(tmp_path).read_text
    project = project_context(tmp_path, read)
    body = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import os\n"
    module = ModuleCoverage("m.py", COUNTS, (3,), (3,), ())
    notes = analyse_module(module, body, default_rules(), project)
    assert expected in notes.notes[0].text


def test_sync_files_guarded_modules_last_with_a_testable_size_and_a_real_validation(
    measured: tuple[Path, CoverageReport],
) -> None:
    import datetime as dt

    from covtasks.config import parse_config
    from covtasks.sync import new_task_file, sync_text
    from covtasks.tasks_file import plan_inputs

    root, report = measured
    day = dt.date(2026, 11, 30)
    inputs = plan_inputs(parse_config({}, root=root), report, day)
    text = sync_text(new_task_file(day), inputs).text
    entries = {
        match.group(1): match.group(0)
        for match in re.finditer(r"### Open · [^\n]*Cover `([^`]+)`.*?(?=\n### |\Z)", text, re.S)
    }
    winonly = entries["pkg/winonly.py"]
    priorities = {
        path: re.search(r"- \*\*Priority\*\*: (P[0-3])", entry).group(1)  # type: ignore[union-attr]
        for path, entry in entries.items()
    }
    # Nothing to test here: after every module with test work.
    assert priorities["pkg/winonly.py"] >= priorities["pkg/codec.py"]
    assert priorities["pkg/winonly.py"] >= priorities["pkg/origins.py"]
    assert "- **Size**: none to test here (set aside: 4 platform lines)" in winonly
    assert ' c="p0"' in winonly  # platform-specific, nothing to test here
    codec = entries["pkg/codec.py"]
    assert (
        "- **Validation**: `COVERAGE_FILE=.cache/coverage/one-module.sqlite coverage run " in codec
    )
    assert "pytest tests/test_codec.py`, then `covtasks check --coverage " in codec
    assert ' c="d3"' in codec  # deterministic, three lines and branches to test
    assert sync_text(text, inputs).text == text


def _guards_of(source: str) -> list[tuple[str, str, str]]:
    import ast

    from covtasks.notes.facts import module_facts
    from covtasks.notes.guards import GuardFinder

    tree = ast.parse(source)
    finder = GuardFinder(module_facts("pkg/m.py", tree), lambda _parts: None)
    found = [finder.of_test(node.test, True) for node in tree.body if isinstance(node, ast.If)]
    return [(g.kind, g.where, g.dependency) for g in found if g is not None]


def test_a_find_spec_guard_names_the_top_package_and_a_version_guard_the_python() -> None:
    source = (
        "import importlib.util\nimport sys\n"
        'if importlib.util.find_spec("yaml.cyaml") is not None:\n    pass\n'
        "if sys.version_info < (3, 12):\n    pass\n"
    )
    assert _guards_of(source) == [
        ("optional", "with `yaml`", "yaml"),
        ("version", "on Python < 3.12", ""),
    ]


def test_a_guard_in_either_operand_of_and_guards_the_block() -> None:
    source = (
        "from typing import TYPE_CHECKING\nDEBUG = False\nif TYPE_CHECKING and DEBUG:\n    pass\n"
    )
    assert _guards_of(source) == [("type-only", "only for type checkers", "")]


def test_a_guard_in_only_one_operand_of_or_guards_nothing() -> None:
    source = (
        "from typing import TYPE_CHECKING\nDEBUG = False\nif TYPE_CHECKING or DEBUG:\n    pass\n"
    )
    assert _guards_of(source) == []


def test_an_optional_module_compared_with_none_is_a_guard_and_with_a_sentinel_none() -> None:
    source = (
        "try:\n    import yaml\nexcept ImportError:\n    yaml = MISSING\n"
        "if yaml is not None:\n    pass\nif None is yaml:\n    pass\n"
        "if yaml is MISSING:\n    pass\nif yaml is not MISSING:\n    pass\n"
    )
    assert _guards_of(source) == [
        ("optional", "with `yaml`", "yaml"),
        ("optional", "without `yaml`", "yaml"),
    ]


def test_the_module_find_spec_looks_for_is_its_first_argument() -> None:
    source = 'import importlib.util\nif importlib.util.find_spec("yaml", None):\n    pass\n'
    assert _guards_of(source) == [("optional", "with `yaml`", "yaml")]


def test_startswith_on_anything_but_the_platform_is_no_guard() -> None:
    source = 'import sys\nname = "x"\nif name.startswith("win"):\n    pass\n'
    source += 'if sys.version.startswith("3"):\n    pass\n'
    assert _guards_of(source) == []


def test_a_platform_test_compared_with_none_is_no_guard() -> None:
    source = 'import sys\nif sys.platform.startswith("win") is None:\n    pass\n'
    assert _guards_of(source) == []


def test_a_platform_method_other_than_startswith_is_no_guard() -> None:
    source = 'import sys\nif sys.platform.count("win"):\n    pass\n'
    assert _guards_of(source) == []


@pytest.mark.parametrize(("steps", "found"), [(3, True), (4, False)])
def test_a_guard_is_followed_through_module_attributes_to_a_limited_depth(
    steps: int, found: bool
) -> None:
    import ast

    from covtasks.notes.facts import module_facts
    from covtasks.notes.guards import GuardFinder

    chain = "".join(f"A{step} = m.A{step + 1}\n" for step in range(steps - 1))
    source = f"import sys\nfrom . import m\n{chain}A{steps - 1} = sys.platform == 'win32'\n"
    tree = ast.parse(source + "if A0:\n    pass\n")
    facts = module_facts("pkg/m.py", tree)
    test = tree.body[-1]
    assert isinstance(test, ast.If)
    guard = GuardFinder(facts, lambda _parts: facts).of_test(test.test, True)
    assert (guard is not None) == found


def test_constants_defined_through_each_other_in_a_loop_are_no_guard() -> None:
    assert _guards_of("A = B\nB = A\nif A:\n    pass\n") == []


def test_a_chained_comparison_is_no_guard() -> None:
    source = "import sys\nif (3, 8) <= sys.version_info < (3, 12):\n    pass\n"
    assert _guards_of(source) == []


@pytest.mark.parametrize(
    "source",
    [
        "from . import m\nFLAG = m.FLAG\nif m.FLAG:\n    pass\n",
        "from .m import FLAG\nif FLAG:\n    pass\n",
    ],
    ids=["module attribute", "imported name"],
)
def test_a_name_read_through_its_own_module_in_a_loop_is_no_guard(source: str) -> None:
    import ast

    from covtasks.notes.facts import module_facts
    from covtasks.notes.guards import GuardFinder

    tree = ast.parse(source)
    facts = module_facts("pkg/m.py", tree)
    test = tree.body[-1]
    assert isinstance(test, ast.If)
    assert GuardFinder(facts, lambda _parts: facts).of_test(test.test, True) is None


def test_a_long_condition_is_shown_in_forty_characters_ending_with_an_ellipsis() -> None:
    import ast

    from covtasks.notes.code_text import MAX_CONDITION_SHOWN, shown

    text = shown(ast.parse("a_long_name_" * 6, mode="eval").body)
    assert (len(text), text[-1], MAX_CONDITION_SHOWN) == (40, "…", 40)


@pytest.mark.parametrize(
    ("path", "note"),
    [
        (
            "pkg/links.py",
            "L28-29: runs only on Python versions without `importlib.resources` "
            "(`importlib.resources`): add such a Python to the CI matrix and `coverage "
            "combine`, or exclude it with `exclude_also`",
        ),
        (
            "pkg/plat.py",
            "`old` L25-26: runs only on Python < 3.9 (`PY_OLD`): add such a Python to the "
            "CI matrix and `coverage combine`, or exclude it with `exclude_also`",
        ),
        (
            "pkg/plat.py",
            "L30-31: runs only on Python ≥ 3.99 (`sys.version_info >= (3, 99)`): add such a "
            "Python to the CI matrix and `coverage combine`, or exclude it with "
            "`exclude_also`",
        ),
        (
            "pkg/terminal.py",
            "`browse` L22: `webbrowser.open` → take the launcher as a parameter (default "
            "`webbrowser.open`); test with a fake that records what it opens",
        ),
        (
            "pkg/terminal.py",
            "`editor` L26: `shutil.which` → pass the environment in and look up with "
            '`shutil.which(name, path=env["PATH"])`; test with `PATH` set to a `tmp_path` '
            "bin folder holding an executable stub",
        ),
        (
            "pkg/terminal.py",
            "`ask` L17-18: `sys.stdin`, `getpass.getpass` → pass the stream in (default "
            "`sys.stdout`/`sys.stdin`); test with an `io.StringIO` subclass whose "
            "`isatty()` returns True, or a real terminal from `pty.openpty()`",
        ),
        (
            "pkg/terminal.py",
            "`current` L47: `_local` → run it in a fresh `threading.Thread` (its "
            "thread-locals start empty) and join; or pass the shared state in",
        ),
        (
            "pkg/terminal.py",
            "`interrupt` L42: `signal.SIGINT` → take the handler or the interrupting call "
            "as a parameter; test with a fake that raises `KeyboardInterrupt`",
        ),
        (
            "pkg/terminal.py",
            "`encoding` L30: `locale.getpreferredencoding` → pass the encoding or locale in "
            'as a parameter; test with explicit values (`"ascii"`, `"utf-8"`)',
        ),
        (
            "pkg/terminal.py",
            "`version` L34: `importlib.metadata.version` → take the lookup as a parameter "
            "(default `importlib.metadata.version`); test with a fake returning a fixed "
            "version and one raising `PackageNotFoundError`",
        ),
        (
            "pkg/terminal.py",
            "`caller` L38: `inspect.currentframe` → call it from a helper defined in the "
            "test and assert on the frame or object it finds",
        ),
    ],
)
def test_each_seam_kind_and_version_guard_gets_its_exact_note_on_a_real_run(
    measured: tuple[Path, CoverageReport], path: str, note: str
) -> None:
    assert note in [found.render() for found in analysed(measured, path).notes]
