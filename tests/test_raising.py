"""What can raise what, straight from ``covtasks.notes.raising``: a ``try`` body's nodes
against the names its ``except`` lists."""

from __future__ import annotations

import ast

from covtasks.notes.raising import can_raise, caught_names


def nodes_of(code: str) -> list[ast.AST]:
    return list(ast.walk(ast.parse(code)))


def test_an_attribute_read_cannot_raise_a_lookup_error_however_many_times_it_is_listed() -> None:
    # More names than CPython keeps one int object for (256): counted, not compared by identity.
    caught = ["KeyError"] * 300
    assert not can_raise(nodes_of("value = config.name"), caught)
    assert can_raise(nodes_of("value = config['name']"), caught)


def test_an_except_listing_an_exception_it_knows_nothing_of_takes_any_raising_node() -> None:
    assert can_raise(nodes_of("value = config.name"), ["KeyError", "ParseError"])
    assert not can_raise(nodes_of("value = 1"), ["KeyError", "ParseError"])


def handler_of(code: str) -> ast.ExceptHandler:
    return next(node for node in nodes_of(code) if isinstance(node, ast.ExceptHandler))


def test_a_broad_except_lists_no_names_and_a_tuple_lists_each() -> None:
    assert caught_names(handler_of("try: pass\nexcept Exception: pass\n")) == ()
    assert caught_names(handler_of("try: pass\nexcept: pass\n")) == ()
    named = handler_of("try: pass\nexcept (KeyError, errors.Bad): pass\n")
    assert caught_names(named) == ("KeyError", "errors.Bad")
