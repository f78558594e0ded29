"""The notes engine's rule table: which rule answers a name, a string or a guard, and paths."""

from __future__ import annotations

import dataclasses

import pytest

from covtasks.notes.rules import Rule, RuleTable, pathish

NAME = Rule("os.environ", "environment", "pass an environment in")
LITERAL = Rule('"*.json"', "filesystem", "write it to tmp_path")
STRUCTURAL = Rule("<logic>", "logic", "generate the inputs")
GUARD = Rule("guard:IS_WIN", "platform", "run it on Windows in CI")
TABLE = RuleTable((NAME, LITERAL, STRUCTURAL, GUARD))


@pytest.mark.parametrize(
    ("receiver", "expected"),
    [
        ("pathlib.Path", True),
        ("self.config_path", True),
        ("settings_file.name", False),
        ("paths.count", False),
    ],
)
def test_a_receiver_reads_as_a_path_by_its_last_part(receiver: str, expected: bool) -> None:
    assert pathish(receiver) is expected


@pytest.mark.parametrize("name", ["data.json", "<logic>", "guard:IS_WIN", "iron"])
def test_only_name_rules_answer_for_a_name(name: str) -> None:
    assert TABLE.for_name(name) is None
    assert TABLE.for_name("os.environ") is NAME


def test_only_guard_hints_answer_for_a_condition() -> None:
    assert TABLE.for_guard("not IS_WIN") is GUARD
    assert TABLE.for_guard("iron and json") is None


def test_tables_of_the_same_rules_are_equal_and_show_only_their_rules() -> None:
    used = RuleTable((NAME, LITERAL, STRUCTURAL))
    used.for_name("os.environ")
    used.for_literal("a.json")
    used.structural("<logic>")
    assert used == RuleTable((NAME, LITERAL, STRUCTURAL))
    assert repr(used) == repr(RuleTable((NAME, LITERAL, STRUCTURAL)))
    assert "_by" not in repr(used)


def test_rules_and_tables_cannot_be_changed() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        NAME.kind = "other"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        TABLE.rules = ()  # type: ignore[misc]
