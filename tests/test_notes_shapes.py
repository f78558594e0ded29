"""Notes on small sources whose every statement is reported missing: one shape per case."""

from __future__ import annotations

import ast
import textwrap

import pytest

from covtasks.model import Counts, ModuleCoverage
from covtasks.notes.analysis import analyse_module
from covtasks.notes.grouping import ModuleNotes
from covtasks.notes.project import ProjectContext, matching_test, project_context
from covtasks.notes.rules import default_rules, pathish
from covtasks.sizing import size_text


def all_missing(source: str, path: str = "pkg/mod.py", **context: object) -> ModuleNotes:
    """Notes when no statement of ``source`` ran (every statement line missing)."""
    text = textwrap.dedent(source)
    lines = tuple(
        sorted({node.lineno for node in ast.walk(ast.parse(text)) if isinstance(node, ast.stmt)})
    )
    module = ModuleCoverage(path, Counts(len(lines), len(lines), 0, 0, 0), lines, lines, ())
    project = ProjectContext(**context)  # type: ignore[arg-type]
    return analyse_module(module, text, default_rules(), project)


def kinds(notes: ModuleNotes) -> list[str]:
    return [note.kind for note in notes.notes]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # both operands of `or` platform guards: the body is platform code
        (
            ("import sys\nif sys.platform == 'win32' or sys.platform == 'cygwin':\n    x = 1\n"),
            "platform",
        ),
        # `x and <platform>` false: no guard on the else branch
        (
            (
                "import sys\n"
                "def f(x):\n"
                "    if x and sys.platform == 'darwin':\n"
                "        pass\n"
                "    else:\n"
                "        return 2\n"
            ),
            "logic",
        ),
        # an unknown platform word is no guard
        ("import sys\nif sys.platform == 'plan9':\n    x = 1\n", "logic"),
        (
            "import sys\nif sys.platform in ('win32', 'win32', 'linux'):\n    x = 1\n",
            "platform",
        ),
        ("import sys\nif (3, 8) <= sys.version_info:\n    x = 1\n", "version"),
        ("import sys\nif sys.version_info[:2] in ((3, 8),):\n    x = 1\n", "version"),
        ("import sys\nif sys.version_info >= VERSION:\n    x = 1\n", "logic"),
        ("import sys\nif sys.version_info >= (3, x):\n    x = 1\n", "logic"),
        (
            (
                "try:\n"
                "    import fancy\n"
                "except ImportError:\n"
                "    fancy = None\n"
                "if fancy is not None:\n"
                "    y = 1\n"
            ),
            "optional",
        ),
        (
            (
                "try:\n"
                "    from fancy.sub import thing\n"
                "except ImportError:\n"
                "    thing = None\n"
                "if thing:\n"
                "    y = 1\n"
            ),
            "optional",
        ),
        (
            ("def f(x):\n    if not x:\n        raise ImportError('install it')\n    return 1\n"),
            "optional",
        ),
        (
            (
                "def f(x):\n"
                "    if x:\n"
                "        return 1\n"
                "    raise ModuleNotFoundError('install it')\n"
            ),
            "logic",
        ),
        (
            "def f():\n    try:\n        pass\n    except Exception:\n        return 1\n",
            "unreachable",
        ),
        (
            ("def f(a):\n    try:\n        return a\n    except Exception:\n        return 1\n"),
            "error-path",
        ),
        (
            (
                "def f():\n"
                "    try:\n"
                "        return 1 / 0\n"
                "    except ZeroDivisionError:\n"
                "        return 1\n"
            ),
            "error-path",
        ),
        ("def f(x):\n    if y:\n        raise ValueError\n", "error-path"),
        (
            (
                "import threading\n"
                "_local = threading.local()\n"
                "def f():\n"
                "    if not _local.x:\n"
                "        raise RuntimeError\n"
            ),
            "error-path",
        ),
        (
            ("def f():\n    try:\n        x = [1][0]\n    except IndexError:\n        return 1\n"),
            "error-path",
        ),
    ],
)
def test_shapes_give_the_expected_kind_to_the_guarded_or_handled_line(
    source: str, expected: str
) -> None:
    assert expected in kinds(all_missing(source))


def test_module_level_logic_in_a_partly_run_module_says_import_it_in_that_state() -> None:
    text = "x = 1\ny = 2\n"
    module = ModuleCoverage("m.py", Counts(2, 1, 0, 0, 0), (1, 2), (2,), ())
    notes = analyse_module(module, text, default_rules())
    assert (
        notes.notes[0].text
        == "module-level code: import the module in the state that runs these lines"
    )
    assert notes.groups() == (("", (2,), "logic"),)


def test_origins_name_thread_locals_state_and_unknown_triggers() -> None:
    texts = "\n".join(
        note.text
        for note in all_missing(
            """\
            import threading
            _local = threading.local()
            def f():
                if not _local.stack:
                    raise RuntimeError("empty")
            def g():
                try:
                    x = y
                except NameError:
                    return 1
            def h():
                if flag:
                    raise ValueError
            """
        ).notes
    )
    assert "call it in a fresh `threading.Thread` where nothing was set" in texts
    assert "`y` → reach it with values that make it raise `NameError`" in texts
    assert "`raise ValueError` when `flag` → reach it with inputs that make it so" in texts


def test_optional_without_a_known_dependency_and_import_from_handlers() -> None:
    notes = all_missing(
        "def f(x):\n    if not x:\n        raise ImportError('install it')\n    return 1\n"
    )
    assert "test once with that dependency installed and once without" in " ".join(
        n.text for n in notes.notes
    )


def test_project_context_reads_extras_only_from_a_valid_pyproject(tmp_path: object) -> None:
    from pathlib import Path

    root = Path(str(tmp_path))
    files = {"pyproject.toml": '[project]\noptional-dependencies = "no"\n'}
    assert project_context(root, files.get, files).extras == {}
    files = {"pyproject.toml": '[project.optional-dependencies]\nx = "no"\ny = ["PyYAML>=6"]\n'}
    context = project_context(root, files.get, files)
    assert context.extras == {"y": ("PyYAML",)}
    assert context.distribution("yaml") == ("PyYAML", "y")
    assert context.sibling(("missing.py", "broken.py")) is None
    files["broken.py"] = "def ("
    assert context.sibling(("broken.py",)) is None


def test_test_files_prefer_the_closest_folder_and_suggest_one_otherwise() -> None:
    tests = ("tests/server/test_main.py", "tests/cli/test_main.py")
    assert matching_test("src/pkg/cli/main.py", tests) == "tests/cli/test_main.py"
    assert matching_test("pkg/__init__.py", ("spec/test_x.py",)) == "spec/test_pkg.py"


def test_pathish_receivers_and_size_text() -> None:
    assert pathish("pathlib.Path()")
    assert pathish("self.config_path")
    assert not pathish("formatter")
    assert size_text(2, {}) == "XS"
    assert size_text(0, {"platform": 3}) == "none to test here (set aside: 3 platform lines)"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import sys\nif sys.platform == 3:\n    x = 1\n", "logic"),
        ("import sys\nif sys.platform in ('win32', 3):\n    x = 1\n", "platform"),
        ("import sys\nif x == 1:\n    y = 2\n", "logic"),
        (
            "import sys\nA = sys.platform == 'win32'\nB = A\nC = B\nD = C\nE = D\nF = E\n"
            "if F:\n    x = 1\n",
            "logic",
        ),
        ("from . import gone\nif gone.WIN:\n    x = 1\n", "logic"),
        (
            "from threading import local\n_l = local()\ndef f():\n    return _l.x\n",
            "threads",
        ),
        (
            "a, b = 1, 2\ntry:\n    HAS = True\n    import fancy\nexcept ImportError:\n    pass\n",
            "optional",
        ),
        ("try:\n    import os\nexcept OSError:\n    pass\n", "logic"),
        ("from os import *\nfrom . import x\nfrom .y import x\n", "logic"),
        ("def f(path):\n    return path.read_text()\n", "filesystem"),
        ("def f(formatter):\n    formatter.write_text('x')\n", "logic"),
        (
            "import sys\nif sys.platform == 'win32':\n    try:\n        x = int('1')\n"
            "    except ValueError:\n        x = 0\n",
            "platform",
        ),
        (
            "def f():\n"
            "    try:\n"
            "        x = 1\n"
            "        from . import y\n"
            "    except ImportError:\n"
            "        pass\n",
            "error-path",
        ),
        (
            "def f():\n    try:\n        x = 1\n    except ImportError:\n        pass\n",
            "unreachable",
        ),
    ],
)
def test_more_shapes_give_the_expected_kind(source: str, expected: str) -> None:
    assert expected in kinds(all_missing(source))


def test_relative_imports_climb_folders_and_absolute_ones_find_the_package() -> None:
    from covtasks.notes.facts import import_candidates

    assert import_candidates("src/pkg/sub/mod.py", 2, "flags") == (
        "src/pkg/flags.py",
        "src/pkg/flags/__init__.py",
    )
    assert import_candidates("src/pkg/core.py", 0, "pkg._compat") == (
        "src/pkg/_compat.py",
        "src/pkg/_compat/__init__.py",
    )
    assert import_candidates("mod.py", 1, "") == ()
    assert import_candidates("src/pkg/core.py", 0, "other.x") == ()


def test_a_line_the_walk_never_meets_is_plain_logic() -> None:
    module = ModuleCoverage("m.py", Counts(2, 1, 0, 0, 0), (1, 99), (99,), ())
    notes = analyse_module(module, "x = 1\n", default_rules())
    assert [(note.lines, note.kind) for note in notes.notes] == [("L99", "logic")]


def test_a_reworded_logic_rule_is_used_as_written() -> None:
    from covtasks.config import Hint
    from covtasks.notes.hints import load_rules

    module = ModuleCoverage("m.py", Counts(1, 1, 0, 0, 0), (1,), (1,), ())
    rules = load_rules([Hint("<logic>", "write a table-driven test")])
    notes = analyse_module(module, "x = 1\n", rules)
    assert notes.notes[0].text == "write a table-driven test"


def test_find_tests_skips_virtual_environments_and_caches(tmp_path: object) -> None:
    from pathlib import Path

    from covtasks.notes.project import find_tests

    root = Path(str(tmp_path))
    for name in ("tests/test_a.py", ".venv/lib/test_b.py", "pkg/c_test.py", "pkg/util.py"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("", encoding="utf-8")
    assert find_tests(root) == ("pkg/c_test.py", "tests/test_a.py")


def test_a_sibling_that_does_not_parse_has_no_facts() -> None:
    files = {"pkg/broken.py": "def ("}
    context = ProjectContext(read_source=files.get)
    assert context.sibling(("pkg/broken.py",)) is None


def test_one_untested_method_is_told_in_the_singular() -> None:
    notes = all_missing("class A:\n    def b(self):\n        return 1\n")
    assert notes.notes[-1].render() == "`A` L2-3: `b` → call it on an instance of `A`"


@pytest.mark.parametrize(
    "header",
    ["class Base(ABC):", "class Base(metaclass=abc.ABCMeta):", "class Base(typing.Protocol):"],
)
def test_methods_of_an_abstract_class_are_called_through_a_concrete_subclass(header: str) -> None:
    source = (
        f"import abc, typing\nfrom abc import ABC\n{header}\n    def b(self):\n        return 1\n"
    )
    assert all_missing(source).notes[-1].render() == (
        "`Base` L4-5: `b` → call it on an instance of a concrete subclass (a minimal one defined "
        "in the test)"
    )


def test_a_class_with_an_abstract_method_of_its_own_is_abstract() -> None:
    source = (
        "import abc\nclass Base:\n    @abc.abstractmethod\n    def a(self): ...\n"
        "    def b(self):\n        return 1\n"
    )
    assert all_missing(source).notes[-1].render() == (
        "`Base` L4-6: `a`, `b` → call them on an instance of a concrete subclass (a minimal one "
        "defined in the test): one test parametrized over their names"
    )


def test_a_module_its_package_imports_only_on_one_platform_is_one_platform_bullet() -> None:
    init = (
        "import sys\nif sys.platform == 'win32':\n    from .windows import W\n"
        "else:\n    from . import unix\n"
    )
    files = {"pkg/__init__.py": init}
    notes = all_missing("def f(x):\n    return x\n", path="pkg/windows.py", read_source=files.get)
    assert [note.render() for note in notes.notes] == [
        "L1-2: runs only on Windows (`sys.platform == 'win32'` in `pkg/__init__.py`): run the "
        "tests on Windows in CI and `coverage combine` the data files (`[paths]` maps the "
        "checkouts); nothing at its top needs that system, so a test may import it directly "
        "and run its logic anywhere, with the system calls passed in as fakes"
    ]
    for top in ("import winreg\n", "from msvcrt import getch\n", "import sys\nassert sys\n"):
        bound = all_missing(
            top + "def f(x):\n    return x\n", "pkg/windows.py", read_source=files.get
        )
        assert bound.notes[0].text.endswith("(`[paths]` maps the checkouts)")
    other = all_missing("import os\n", path="pkg/unix.py", read_source=files.get)
    assert other.notes[0].text.startswith("runs only off Windows (`sys.platform != 'win32'`")
    plain = all_missing("import os\n", path="pkg/other.py", read_source=files.get)
    assert kinds(plain) == ["logic"]
    assert kinds(all_missing("import os\n", path="pkg/other.py")) == ["logic"]
    assert kinds(all_missing("import os\n", path="pkg/__init__.py", read_source=files.get)) == [
        "logic"
    ]


def test_a_module_its_package_imports_only_on_some_python_versions_is_not_one_system() -> None:
    init = "import sys\nif sys.version_info >= (3, 99):\n    from . import future\n"
    files = {"pkg/__init__.py": init}
    notes = all_missing("def f(x):\n    return x\n", path="pkg/future.py", read_source=files.get)
    assert all("import it directly" not in note.text for note in notes.notes)


def test_a_runtime_branch_of_not_type_checking_is_accepted_as_partial() -> None:
    text = "from typing import TYPE_CHECKING\nif not TYPE_CHECKING:\n    x = 1\n"
    module = ModuleCoverage("m.py", Counts(3, 0, 2, 1, 1), (1, 2, 3), (), ((2, -1),))
    notes = analyse_module(module, text, default_rules())
    assert [note.render() for note in notes.notes] == [
        "L2: type-only branch (never taken at run time): add `partial_also = ['if not "
        "TYPE_CHECKING:']` under `[tool.coverage.report]` in `pyproject.toml`; not a test task"
    ]


def test_interfaces_are_no_twins_and_a_broad_except_makes_an_import_optional() -> None:
    texts = [
        note.text
        for note in all_missing(
            """\
            import abc
            class Base(abc.ABC):
                def run(self, x):
                    return x
            def folder():
                try:
                    from fancy import autoclass
                    return autoclass("x")
                except Exception:
                    return None
            """
        ).notes
    ]
    assert "Hypothesis: generate `x` so the calls reach these lines and branches" in texts
    assert any(text.startswith("needs `fancy`") for text in texts)
    assert any(text.startswith("runs only without `fancy`") for text in texts)


def test_an_import_only_one_system_has_is_platform_code_and_methods_group_by_class() -> None:
    notes = all_missing(
        """\
        class Dirs:
            @property
            def desktop(self):
                try:
                    from jnius import autoclass
                    return autoclass("x")
                except ImportError:
                    return None

            def music(self):
                return "m"
        """
    )
    assert [note.render() for note in notes.notes][1:3] == [
        "`Dirs` L3-4, L10-11: `desktop`, `music` → call them on an instance of `Dirs`: one "
        "test parametrized over their names",
        "`Dirs.desktop` L5-6: runs only on Android (`jnius.autoclass` imports there only): take "
        "`autoclass` as a parameter of `Dirs.desktop` (default: the one the import gives) and "
        "test with a fake, or run the tests on Android in CI and `coverage combine` the data "
        "files (`[paths]` maps the checkouts)",
    ]


def test_lines_a_seam_condition_guards_are_reached_through_that_seam() -> None:
    notes = all_missing(
        """\
        import os
        def home():
            if os.environ.get("HOME"):
                name = "home"
                return name
            return ""
        """
    )
    assert [(note.lines, note.kind) for note in notes.notes] == [
        ("L3-6", "environment"),
        ("L1", "logic"),
        ("L2", "logic"),
    ]


def test_import_sites_under_plain_conditions_or_as_import_statements() -> None:
    init = (
        "import sys\nif DEBUG:\n    from . import extra\n"
        "if sys.platform == 'darwin':\n    import pkg.mac\n"
    )
    files = {"pkg/__init__.py": init}
    assert kinds(all_missing("x = 1\n", path="pkg/extra.py", read_source=files.get)) == ["logic"]
    mac = all_missing("x = 1\n", path="pkg/mac.py", read_source=files.get)
    assert mac.notes[0].text.startswith("runs only on macOS")


def test_a_path_built_in_the_function_is_named_with_its_default_shortened_to_sixty() -> None:
    notes = all_missing(
        """\
        from pathlib import Path
        def load():
            settings_file_path = Path("some-very-long-folder-name") / "another-long-folder" / "s"
            return settings_file_path.read_text()
        """
    )
    assert notes.notes[0].render() == (
        "`load` L4: `settings_file_path.read_text` → take `settings_file_path` as a parameter "
        "(default `Path('some-very-long-folder-name') / 'another-long-folder' …`); test with "
        "real files under `tmp_path`"
    )


def test_classes_read_as_abstract_or_concrete_by_their_bases_and_functions_by_arguments() -> None:
    notes = all_missing(
        """\
        import typing
        T = typing.TypeVar("T")
        class P(typing.Protocol[T]):
            def m(self):
                return 1
        class Q(make_base()):
            def m(self):
                return 1
        class Outer:
            class Inner:
                def m(self):
                    return 1
        def top():
            return 1
        """
    )
    assert [note.render() for note in notes.notes][1:] == [
        "`P` L3: call it with inputs that reach these lines and branches",
        "`P` L4-5: `m` → call it on an instance of a concrete subclass (a minimal one defined "
        "in the test)",
        "`Q` L6: call it with inputs that reach these lines and branches",
        "`Q` L7-8: `m` → call it on an instance of `Q`",
        "`Outer` L9: call it with inputs that reach these lines and branches",
        "`Outer` L10: `Inner` → call it on an instance of `Outer`",
        "`Outer.Inner.m` L11-12: call it with inputs that reach these lines and branches",
        "`top` L13-14: call it (it takes no arguments) and assert on what it returns",
    ]


def test_a_raise_after_an_early_return_names_both_conditions_as_a_reader_writes_them() -> None:
    notes = all_missing(
        """\
        def name_of(name, expose_value):
            if name is None:
                if not expose_value:
                    return None
                raise TypeError("no name")
            return name
        """
    )
    assert (
        "`raise TypeError` when `name is None` and `expose_value` → pass `expose_value`, `name` "
        "that make it so"
    ) in [note.text for note in notes.notes]


def test_a_raise_under_debug_only_is_told_to_run_whenever_reached() -> None:
    notes = all_missing("def check():\n    if __debug__:\n        raise AssertionError\n")
    assert (
        "`raise AssertionError` runs whenever it is reached → call it and assert with "
        "`pytest.raises`"
    ) in [note.text for note in notes.notes]


def test_a_function_nested_deeper_than_the_walk_follows_degrades_to_line_numbers() -> None:
    chain = "".join(f"    elif p == {i}:\n        return {i}\n" for i in range(1, 400))
    notes = all_missing(f"def f(p):\n    if p == 0:\n        return 0\n{chain}")
    assert notes.degraded
    assert [note.kind for note in notes.notes] == ["unanalysed"]


def test_attribute_targets_and_with_blocks_binding_no_name_are_no_local_paths() -> None:
    notes = all_missing(
        """\
        from pathlib import Path
        def load(box, guard):
            box.path = Path("x")
            with guard:
                path = Path("y")
            return path.read_text()
        """
    )
    assert notes.notes[0].render() == (
        "`load` L6: `path.read_text` → take `path` as a parameter (default `Path('y')`); test "
        "with real files under `tmp_path`"
    )
