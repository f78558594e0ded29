"""Error origins and seams found through what a name was bound to, on a real coverage run."""

from __future__ import annotations

from pathlib import Path

import pytest

from covtasks.coverage_data import read_coverage
from covtasks.model import CoverageReport
from covtasks.notes.analysis import analyse_module
from covtasks.notes.grouping import ModuleNotes
from covtasks.notes.project import project_context
from covtasks.notes.rules import default_rules
from covtasks.sources import ProjectSources
from tests.sample import make_project

MODULES = {
    "pkg/__init__.py": """\
        try:
            from .version import version as __version__
        except ImportError:
            __version__ = "unknown"
        """,
    "pkg/version.py": 'version = "1.0"\n',
    "pkg/pager.py": """\
        import subprocess


        def pipe(lines, cmd, color):
            c = subprocess.Popen(cmd, shell=True, stdin=subprocess.PIPE)
            stdin = c.stdin
            try:
                for text in lines:
                    if not color:
                        text = text.upper()
                    stdin.write(text.encode())
            except (OSError, KeyboardInterrupt):
                pass
            else:
                stdin.close()
            try:
                c.wait()
            except KeyboardInterrupt:
                pass
        """,
    "pkg/prompt.py": """\
        import getopt
        import sys
        from contextlib import contextmanager

        visible_prompt_func = input


        def confirm(text, err=False):
            try:
                print(text, end="", flush=err)
                value = visible_prompt_func(" ")
            except (KeyboardInterrupt, EOFError):
                raise SystemExit(1) from None
            return value == "y"


        def paint(text, color):
            try:
                if not color or color is None:
                    text = "plain"
                return {"red": 31}[text]
            except KeyError:
                return 0


        def main():
            try:
                getopt.getopt(sys.argv[1:], "h")
            except getopt.GetoptError:
                return 2
            return 0


        @contextmanager
        def augment(ctx):
            try:
                yield
            except ValueError as error:
                error.args = (ctx, *error.args)
                raise
        """,
    "pkg/found.py": """\
        import os
        from pathlib import Path


        def user_dirs_folder(key):
            config = Path(os.path.expanduser("~/.config")) / "user-dirs.dirs"
            if config.exists():
                text = config.read_text()
                if key not in text:
                    return None
                return text
            return None


        def under(folder, key):
            def unused():
                config = None
                return config

            config: Path = Path(folder) / "dirs"
            if config.exists():
                return key
            return None


        def from_env():
            value = os.environ.get("SAMPLE_VALUE_NEVER_SET")
            if value is not None:
                return value.upper()
            return "unset"


        def meta_version(name):
            try:
                from importlib import metadata
            except ImportError:
                import importlib_metadata as metadata
            return metadata.version(name)
        """,
}

DRIVER = """\
import pkg
from pkg import found, pager, prompt

prompt.paint("red", True)
prompt.main()
with prompt.augment(1):
    pass
found.from_env()
"""


@pytest.fixture(scope="module")
def measured(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, CoverageReport]:
    root = tmp_path_factory.mktemp("origins")
    project = make_project(root, MODULES)
    project.measure(DRIVER)
    return root, read_coverage(root)


def analysed(measured: tuple[Path, CoverageReport], path: str) -> ModuleNotes:
    root, report = measured
    read = ProjectSources(root).read_text
    module = next(module for module in report.modules if module.path == path)
    return analyse_module(module, read(path), default_rules(), project_context(root, read))


def rendered(measured: tuple[Path, CoverageReport], path: str) -> list[str]:
    return [note.render() for note in analysed(measured, path).notes]


def test_a_pipe_taken_from_popen_makes_the_runner_the_origin_of_its_errors(
    measured: tuple[Path, CoverageReport],
) -> None:
    texts = rendered(measured, "pkg/pager.py")
    assert (
        "`pipe` L12-13: `except OSError | KeyboardInterrupt` → ambient `subprocess.Popen` "
        "(`stdin` comes from it) → make it a parameter first, then pass a fake that raises "
        "`OSError`/`KeyboardInterrupt`"
    ) in texts
    assert (
        "`pipe` L18-19: `except KeyboardInterrupt` → ambient `subprocess.Popen` (`c` comes from "
        "it) → make it a parameter first, then pass a fake that raises `KeyboardInterrupt`"
    ) in texts
    assert not any("input `color`" in text for text in texts)


def test_a_prompt_bound_to_input_at_module_level_is_the_origin_of_an_interrupt(
    measured: tuple[Path, CoverageReport],
) -> None:
    assert (
        "`confirm` L12-13: `except KeyboardInterrupt | EOFError` → ambient `input` "
        "(`visible_prompt_func` comes from it) → make it a parameter first, then pass a fake "
        "that raises `KeyboardInterrupt`/`EOFError`"
    ) in rendered(measured, "pkg/prompt.py")


def test_an_argument_only_tested_by_an_if_is_not_the_origin_but_one_operated_on_is(
    measured: tuple[Path, CoverageReport],
) -> None:
    assert (
        "`paint` L22-23: `except KeyError` → input `text` → pass a `text` that makes the `try` "
        "raise `KeyError`"
    ) in rendered(measured, "pkg/prompt.py")


def test_an_error_from_argv_is_passed_as_values_once_argv_is_a_parameter(
    measured: tuple[Path, CoverageReport],
) -> None:
    assert (
        "`main` L29-30: `except getopt.GetoptError` → ambient `sys.argv` → make it a parameter "
        "first, then pass values that make the `try` raise `getopt.GetoptError`"
    ) in rendered(measured, "pkg/prompt.py")


def test_an_except_around_a_yield_is_reached_by_raising_inside_the_with_block(
    measured: tuple[Path, CoverageReport],
) -> None:
    assert (
        "`augment` L38-40: `except ValueError` → `ValueError` is thrown in at the `yield` by "
        "the caller's block → raise it inside `with` (or `.throw()` it into the generator); "
        "assert on the handling"
    ) in rendered(measured, "pkg/prompt.py")


def test_a_fallback_for_the_project_s_own_generated_module_is_no_test_task(
    measured: tuple[Path, CoverageReport],
) -> None:
    notes = analysed(measured, "pkg/__init__.py")
    assert [note.render() for note in notes.notes] == [
        "L3-4: runs only when the project's own `pkg/version.py` cannot be imported (a "
        "generated module missing from a tree never built or installed): not a test task; mark "
        "the `except` `# pragma: no cover` with that reason"
    ]
    assert (notes.notes[0].kind, notes.testable_gap) == ("unreachable", 0)


def test_lines_inside_an_if_on_a_file_are_reached_through_that_file_and_its_default_is_named(
    measured: tuple[Path, CoverageReport],
) -> None:
    texts = rendered(measured, "pkg/found.py")
    assert (
        "`user_dirs_folder` L7-12: `config.exists`, `config.read_text` → take `config` as a "
        "parameter (default `Path(os.path.expanduser('~/.config')) / 'user-dirs.dirs'`); test "
        "with real files under `tmp_path`"
    ) in texts
    assert "`under` L21-23: `folder` → already a parameter: pass a real file under `tmp_path`" in (
        texts
    )


def test_a_line_under_a_test_of_a_local_read_from_the_environment_needs_the_environment(
    measured: tuple[Path, CoverageReport],
) -> None:
    assert (
        "`from_env` L29: `os.environ` → pass an environment mapping in (default `os.environ`); "
        "test with a dict"
    ) in rendered(measured, "pkg/found.py")


def test_a_standard_library_import_never_tried_is_plain_code_and_its_fallback_old_python(
    measured: tuple[Path, CoverageReport],
) -> None:
    texts = rendered(measured, "pkg/found.py")
    assert "`meta_version` L34-35: Hypothesis: generate `name` so the calls reach these lines" in (
        "\n".join(texts)
    )
    assert not any("Python versions with `" in text for text in texts)
    assert (
        "`meta_version` L36-37: runs only on Python versions without `importlib.metadata` "
        "(`importlib.metadata`): add such a Python to the CI matrix and `coverage combine`, or "
        "exclude it with `exclude_also`"
    ) in texts


def notes_of(source: str, missing: tuple[int, ...]) -> list[tuple[str, str, str]]:
    """The notes of a module whose ``missing`` lines never ran (coverage given by hand)."""
    from covtasks.model import Counts, ModuleCoverage

    lines = tuple(n for n, line in enumerate(source.splitlines(), start=1) if line.strip())
    counts = Counts(len(lines), len(missing), 0, 0, 0)
    module = ModuleCoverage("pkg/m.py", counts, lines, missing, ())
    notes = analyse_module(module, source, default_rules()).notes
    return [(note.lines, note.kind, note.text) for note in notes]


@pytest.mark.parametrize(
    ("source", "missing", "text"),
    [
        pytest.param(
            'DEBUG = False\n\n\ndef f():\n    if DEBUG:\n        raise RuntimeError("x")\n',
            (6,),
            "`raise RuntimeError` when `DEBUG` → reach it with inputs that make it so",
            id="a flag other than __debug__ tells who raises",
        ),
        pytest.param(
            "def f(a, b, c):\n    if a:\n        if b:\n            if c:\n"
            '                raise ValueError("x")\n',
            (5,),
            "`raise ValueError` when `b` and `c` → pass `b`, `c` that make it so",
            id="the two innermost conditions are named",
        ),
        pytest.param(
            "def f(a, b):\n    try:\n        x = a[0]\n        y = b[0]\n    except IndexError:\n"
            "        return None\n    return x, y\n",
            (5, 6),
            "`except IndexError` → input `a` → pass a `a` that makes the `try` raise `IndexError`",
            id="the first input used is named",
        ),
        pytest.param(
            "def f(a):\n    try:\n        x = a[0]\n    except KeyboardInterrupt:\n"
            "        return None\n    return x\n",
            (4, 5),
            "`except KeyboardInterrupt` → `a[0]` → reach it with values that make it raise "
            "`KeyboardInterrupt`",
            id="an interrupt never comes from an input's value",
        ),
    ],
)
def test_an_error_paths_note_names_who_triggers_it(
    source: str, missing: tuple[int, ...], text: str
) -> None:
    assert [found[2] for found in notes_of(source, missing)] == [text]
