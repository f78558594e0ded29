"""The notes walk's contexts (``covtasks.notes.walk``): what each statement sits in, seen
through the notes of small sources whose every statement is missing."""

from __future__ import annotations

import ast
import textwrap

from covtasks.model import Counts, ModuleCoverage
from covtasks.notes.analysis import analyse_module
from covtasks.notes.rules import default_rules


def notes_of(source: str) -> list[tuple[str, str, str]]:
    """``(lines, kind, text)`` of each note when no statement of ``source`` ran."""
    text = textwrap.dedent(source)
    tree = ast.parse(text)
    lines = tuple(sorted({node.lineno for node in ast.walk(tree) if isinstance(node, ast.stmt)}))
    module = ModuleCoverage("pkg/m.py", Counts(len(lines), len(lines), 0, 0, 0), lines, lines, ())
    notes = analyse_module(module, text, default_rules())
    return [(note.lines, note.kind, note.text) for note in notes.notes]


def test_each_nested_function_s_error_paths_follow_its_own_local_bindings() -> None:
    source = """
        def outer(name):
            try:
                value = lookup(name)
            except EOFError:
                value = None

            def ask_name():
                ask = input
                try:
                    return ask("name? ")
                except EOFError:
                    return ""
            return ask_name
    """
    texts = [text for _, kind, text in notes_of(source) if kind == "error-path"]
    assert len(texts) == 2
    assert texts[0].startswith("`except EOFError` → collaborator `lookup`")
    assert texts[1].startswith("`except EOFError` → ambient `input` (`ask` comes from it)")


def test_a_one_system_package_imported_by_a_dotted_name_is_the_parameter_to_take() -> None:
    source = """
        def storage_dir():
            try:
                import android.storage
            except ImportError:
                return None
            return android.storage.app_storage_path()
    """
    (on_android,) = [text for lines, _, text in notes_of(source) if lines == "L4"]
    assert on_android.startswith(
        "runs only on Android (`android.storage` imports there only): take `android` as a "
        "parameter of `storage_dir`"
    )


def test_a_nested_definition_s_line_belongs_to_the_function_that_runs_it() -> None:
    source = """
        def outer(a):
            def inner(x):
                return x + a
            return inner
    """
    assert [(lines, text) for lines, _, text in notes_of(source)] == [
        ("L2-3, L5", "Hypothesis: generate `a` so the calls reach these lines and branches"),
        ("L4", "Hypothesis: generate `a`, `x` so the calls reach these lines and branches"),
    ]


def test_an_except_inside_a_platform_block_keeps_the_platform_note() -> None:
    source = """
        import sys
        if sys.platform == "win32":
            try:
                from ._winbuild import version
            except ImportError:
                version = "unknown"
    """
    assert ("L4-7", "platform") in [(lines, kind) for lines, kind, _ in notes_of(source)]
