"""How code reads in a note (``covtasks.notes.code_text``): conditions on one line, negated
as a reader writes them, and shortened only past their limit."""

from __future__ import annotations

import ast

import pytest

from covtasks.notes.code_text import MAX_CONDITION_SHOWN, negation, shown


def expression(text: str) -> ast.expr:
    return ast.parse(text, mode="eval").body


def test_a_condition_exactly_at_the_limit_is_shown_whole_one_longer_is_cut() -> None:
    at_limit = "x == '" + "a" * (MAX_CONDITION_SHOWN - 7) + "'"
    assert len(at_limit) == MAX_CONDITION_SHOWN
    assert shown(expression(at_limit)) == at_limit
    longer = shown(expression(at_limit[:-1] + "a'"))
    assert (len(longer), longer[-1]) == (MAX_CONDITION_SHOWN, "…")


@pytest.mark.parametrize(
    ("condition", "negated"),
    [
        ("sys.platform == 'win32'", "sys.platform != 'win32'"),
        ("name not in cache", "name in cache"),
        ("value is None", "value is not None"),
        ("not ready", "ready"),
        ("0 < x < 9", "not (0 < x < 9)"),
        ("size > 3", "not (size > 3)"),
    ],
)
def test_a_condition_is_negated_as_a_reader_writes_it(condition: str, negated: str) -> None:
    assert negation(expression(condition)) == negated
