"""The one need of an uncovered statement, from what it touches (``covtasks.notes.judge``),
seen through the notes of small sources whose every statement is missing."""

from __future__ import annotations

import ast
import textwrap

from covtasks.config import Hint
from covtasks.model import Counts, ModuleCoverage
from covtasks.notes.analysis import analyse_module
from covtasks.notes.hints import load_rules
from covtasks.notes.rules import RuleTable, default_rules


def notes_of(source: str, rules: RuleTable | None = None) -> list[tuple[str, str, str]]:
    """``(lines, kind, text)`` of each note when no statement of ``source`` ran."""
    text = textwrap.dedent(source)
    tree = ast.parse(text)
    lines = tuple(sorted({node.lineno for node in ast.walk(tree) if isinstance(node, ast.stmt)}))
    module = ModuleCoverage("pkg/m.py", Counts(len(lines), len(lines), 0, 0, 0), lines, lines, ())
    notes = analyse_module(module, text, rules or default_rules())
    return [(note.lines, note.kind, note.text) for note in notes.notes]


def test_a_nested_function_s_path_comes_from_its_own_bindings() -> None:
    source = """
        from pathlib import Path

        def loader(folder):
            def load():
                config = Path(folder) / "settings.toml"
                return config.read_text()
            return load
    """
    assert (
        "L7",
        "filesystem",
        "`folder` → already a parameter: pass a real file under `tmp_path`",
    ) in notes_of(source)


def test_a_parameter_is_not_the_module_level_object_of_the_same_name() -> None:
    source = """
        import httpx

        client = httpx.Client()

        def fetch(client, url):
            return client.get(url)
    """
    # The module's client is a network seam; `fetch` is handed whatever client it is given.
    assert [(lines, kind) for lines, kind, _ in notes_of(source)] == [
        ("L4", "network"),
        ("L2", "logic"),
        ("L6-7", "logic"),
    ]


def test_a_hint_repeating_the_default_logic_advice_changes_no_note() -> None:
    logic = default_rules().structural("<logic>")
    hinted = load_rules([Hint("<logic>", logic.advice)])
    source = """
        class Shelf:
            def count(self):
                return len(self.items)

        def total(prices):
            return sum(prices)

        ready = total([1, 2])
    """
    assert notes_of(source, hinted) == notes_of(source)


def test_a_path_bound_twice_is_no_path_the_function_builds_from_one_expression() -> None:
    source = """
        from pathlib import Path

        def read_config(home):
            config = Path("/etc/app.toml")
            if not config.exists():
                config = Path(home) / "app.toml"
            return config.read_text()
    """
    assert (
        "L6-8",
        "filesystem",
        "`config.exists`, `config.read_text` → take the path as a parameter; test with real "
        "files under `tmp_path`",
    ) in notes_of(source)


def test_a_branch_only_the_type_checker_takes_is_excluded_by_its_own_line() -> None:
    source = (
        "from typing import TYPE_CHECKING\n\nif not TYPE_CHECKING:\n    RUNTIME = True\nDONE = 1\n"
    )
    module = ModuleCoverage("pkg/t.py", Counts(4, 0, 2, 1, 1), (1, 3, 4, 5), (), ((3, 5),))
    (note,) = analyse_module(module, source, default_rules()).notes
    assert (note.lines, note.text) == (
        "L3",
        "type-only branch (never taken at run time): add `partial_also = ['if not "
        "TYPE_CHECKING:']` under `[tool.coverage.report]` in `pyproject.toml`; not a test task",
    )


def test_a_platform_branch_never_taken_far_down_a_module_is_platform_code() -> None:
    # Line numbers past 256 (CPython's cached ints): compared by value.
    padding = "".join(f"X{number} = {number}\n" for number in range(300))
    source = f"import sys\n{padding}if sys.platform == 'win32':\n    WIN = True\nDONE = 1\n"
    statements = tuple(range(1, 305))
    module = ModuleCoverage("pkg/p.py", Counts(304, 1, 2, 1, 1), statements, (303,), ((302, 303),))
    (note,) = analyse_module(module, source, default_rules()).notes
    assert (note.lines, note.kind) == ("L302-303", "platform")
    assert note.text.startswith("runs only on Windows")
