"""User hints checked and merged before the default rules, straight from
``covtasks.notes.hints``."""

from __future__ import annotations

import pytest

from covtasks.config import Hint
from covtasks.errors import ConfigError
from covtasks.notes.hints import load_rules


def test_hints_with_different_matches_load_in_any_order() -> None:
    hints = [
        Hint("subprocess.*", "use the FakeRunner fixture"),
        Hint("os.environ", "pass the environment in", "environment"),
        Hint("IS_WIN", "run it on Windows in CI", "platform-specific", guard="IS_WIN"),
    ]
    table = load_rules(hints)
    assert [rule.match for rule in table.rules[:3]] == [
        "subprocess.*",
        "os.environ",
        "guard:IS_WIN",
    ]
    assert [rule.kind for rule in table.rules[:3]] == ["subprocess", "environment", "platform"]


@pytest.mark.parametrize(
    ("hints", "label"),
    [
        # read from a file, two equal strings are two objects: compared by value
        ([Hint("os.environ", "one"), Hint("".join(["os.", "environ"]), "two")], "match"),
        ([Hint("", "one", guard="IS_WIN"), Hint("", "two", guard="IS_WIN")], "guard"),
    ],
)
def test_a_second_hint_with_the_same_match_is_refused_naming_its_entry(
    hints: list[Hint], label: str
) -> None:
    with pytest.raises(ConfigError, match=rf"entry 2 \({label} '[\w.]+'\): an earlier hint"):
        load_rules(hints, "pyproject.toml")
