"""A module's notes put together (``covtasks.notes.analysis``): from coverage given by hand."""

from __future__ import annotations

from covtasks.model import Counts, ModuleCoverage
from covtasks.notes.analysis import analyse_module
from covtasks.notes.rules import default_rules

SOURCE = "import json\n\nSETTINGS = json.loads('{}')\n\n\ndef bump(x):\n    return x + 1\n"
STATEMENTS = (1, 3, 6, 7)


def test_a_module_no_test_imported_is_told_to_be_imported_from_a_test_module() -> None:
    module = ModuleCoverage("pkg/m.py", Counts(4, 4, 0, 0, 0), STATEMENTS, STATEMENTS, ())
    notes = analyse_module(module, SOURCE, default_rules()).notes
    assert [(note.lines, note.text) for note in notes if note.scope == ""] == [
        ("L1-3", "never imported by the tests: import it from a test module")
    ]


def test_module_level_lines_of_an_imported_module_are_told_the_state_that_runs_them() -> None:
    module = ModuleCoverage("pkg/m.py", Counts(4, 2, 0, 0, 0), STATEMENTS, (3, 7), ())
    notes = analyse_module(module, SOURCE, default_rules()).notes
    assert [(note.lines, note.text) for note in notes if note.scope == ""] == [
        ("L3", "module-level code: import the module in the state that runs these lines")
    ]


def test_a_branch_from_a_line_the_source_does_not_hold_still_gets_a_note() -> None:
    # Data measured on another version of the file: nothing it reports is dropped.
    module = ModuleCoverage("pkg/m.py", Counts(4, 0, 2, 1, 1), STATEMENTS, (), ((9, 12),))
    notes = analyse_module(module, SOURCE, default_rules())
    assert [(note.lines, note.kind) for note in notes.notes] == [("L9", "logic")]
    assert notes.testable_gap == 1
