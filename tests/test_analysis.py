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


MAIN_GUARDED = (
    "import sys\n"
    "\n"
    "VERBOSE = len(sys.argv) > 1\n"
    "if VERBOSE:\n"
    "    print('verbose')\n"
    "if __name__ == '__main__':\n"
    "    print('main')\n"
)


def test_a_branch_skipping_to_the_main_guards_if_line_counts_in_the_testable_gap() -> None:
    # The `if __name__` line runs on every import: the branch to it is test work; only the
    # guard's body (run as a script) is set aside.
    module = ModuleCoverage(
        "pkg/m.py", Counts(6, 1, 4, 2, 2), (1, 3, 4, 5, 6, 7), (7,), ((4, 6), (6, 7))
    )
    notes = analyse_module(module, MAIN_GUARDED, default_rules())
    assert notes.testable_gap == 1
    assert notes.set_aside == {"main-guard": 2}  # the guard's decision and its body


CODECS = (
    "def decode(data):\n"  # 1
    "    return data\n"  # 2
    "\n"
    "\n"
    "class Lonely:\n"  # 5
    "    def encode(self, data):\n"  # 6
    "        return data\n"  # 7
    "\n"
    "\n"
    "class Paired:\n"  # 10
    "    def encode(self, data):\n"  # 11
    "        return data\n"  # 12
    "\n"
    "    def decode(self, data):\n"  # 14
    "        return data\n"  # 15
)


def test_a_methods_round_trip_pairs_it_with_its_own_classs_inverse_only() -> None:
    statements = (1, 2, 5, 6, 7, 10, 11, 12, 14, 15)
    module = ModuleCoverage("pkg/codec.py", Counts(10, 2, 0, 0, 0), statements, (7, 12), ())
    texts = {
        note.scope: note.text for note in analyse_module(module, CODECS, default_rules()).notes
    }
    assert "round trip" not in texts["Lonely.encode"]  # the module's `decode` is no method
    assert "`Paired.decode(Paired.encode(x)) == x`" in texts["Paired.encode"]


VERSION_GUARDED = (
    "import sys\n"
    "\n"
    "if sys.version_info >= (3, 8):\n"
    "    if len(sys.argv) > 1:\n"
    "        print('verbose')\n"
    "    print('done')\n"
)


def test_a_branch_landing_in_a_version_guarded_block_that_ran_is_no_test_work() -> None:
    # Size is the same on every interpreter: where the guard fails, the block never runs.
    module = ModuleCoverage("pkg/m.py", Counts(5, 0, 4, 1, 1), (1, 3, 4, 5, 6), (), ((4, 6),))
    assert analyse_module(module, VERSION_GUARDED, default_rules()).testable_gap == 0
