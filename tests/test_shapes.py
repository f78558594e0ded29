"""Code shapes the notes walk recognises, straight from ``covtasks.notes.shapes``: stubs,
``__main__`` guards and modules that import on any system."""

from __future__ import annotations

import ast
import textwrap

import pytest

from covtasks.notes.shapes import (
    imports_anywhere,
    imports_optional,
    is_stub,
    local_bindings,
    main_guard,
)


def parsed(source: str) -> ast.Module:
    return ast.parse(textwrap.dedent(source))


def function(source: str) -> ast.FunctionDef:
    (node,) = parsed(source).body
    assert isinstance(node, ast.FunctionDef)
    return node


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("def f(): ...", True),
        ('def f():\n    """Overridden."""\n    ...\n', True),
        ("def f():\n    raise NotImplementedError\n", True),
        ("def f():\n    raise NotImplementedError('subclass')\n", True),
        ('def f():\n    """Only a docstring."""\n', False),
        ("def f():\n    raise KeyError('name')\n", False),
        ("def f():\n    raise\n", False),
        ("def f():\n    return None\n", False),
    ],
)
def test_a_stub_is_only_an_ellipsis_or_a_raise_of_not_implemented_error(
    source: str, expected: bool
) -> None:
    assert is_stub(function(source)) is expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('if __name__ == "__main__":\n    main()\n', True),
        ('if "__main__" == __name__:\n    main()\n', True),
        ("if __name__ == settings.MAIN:\n    main()\n", False),
        ('if module.__name__ == "__main__":\n    main()\n', False),
        ('if __name__ == "__mp_main__":\n    main()\n', False),
        ('if __name__ != "__main__":\n    main()\n', False),
    ],
)
def test_a_main_guard_compares_name_with_the_main_string_only(source: str, expected: bool) -> None:
    (stmt,) = parsed(source).body
    assert (main_guard(stmt, "") is not None) is expected
    assert main_guard(stmt, "run") is None  # inside a function it is an ordinary `if`


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import os\nfrom pathlib import Path\n", True),
        ("import winreg\n", False),
        ("from msvcrt import getch\n", False),
        ("import sys\nassert sys.platform == 'win32'\n", False),
        # the project's own module named like a platform one imports anywhere
        ("from .winreg import read_key\nfrom . import msvcrt\n", True),
    ],
)
def test_a_module_imports_anywhere_unless_its_top_imports_a_one_system_module_or_asserts(
    source: str, expected: bool
) -> None:
    assert imports_anywhere(parsed(source)) is expected


@pytest.mark.parametrize(
    ("handler", "expected"),
    [
        ("except ImportError:", "fancy"),
        ("except (ValueError, ModuleNotFoundError):", "fancy"),
        ("except Exception:", "fancy"),
        ("except:", "fancy"),
        ("except ValueError:", ""),
    ],
)
def test_an_import_is_optional_when_its_except_catches_its_import_error(
    handler: str, expected: str
) -> None:
    (stmt,) = parsed(f"try:\n    import fancy\n{handler}\n    fancy = None\n").body
    assert isinstance(stmt, ast.Try)
    assert imports_optional(stmt) == expected


def test_only_a_single_target_assignment_or_a_with_binds_a_local_name() -> None:
    source = """
        def run(path):
            handle = open(path)
            first = second = open(path)
            with open(path) as stream:
                pass
            def inner():
                hidden = open(path)
    """
    assert set(local_bindings(function(source))) == {"handle", "stream"}
