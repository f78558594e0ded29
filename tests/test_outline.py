"""Nested list items of markdown lines: where each starts and ends, its column and marker."""

from __future__ import annotations

from covtasks.outline import Item, item_text, list_items, text_offset


def test_nested_items_carry_their_lines_columns_and_markers() -> None:
    lines = ["- **Backlog**:", "    - a", "      more", "", "1. b", "", ""]
    (backlog, second) = list_items(lines)
    assert (backlog.start, backlog.end, backlog.column, backlog.marker) == (0, 3, 0, "-")
    assert [(c.start, c.end, c.column, c.marker) for c in backlog.children] == [(1, 3, 4, "-")]
    assert (second.start, second.end, second.column, second.marker) == (4, 5, 0, "1.")


def test_an_items_text_starts_after_its_marker_and_spaces() -> None:
    item = Item(0, 1, 2, "1)")
    assert text_offset("  1)   words", item) == 7
    assert item_text("  1)   words  ", item) == "words"


def test_a_list_that_ends_the_lines_keeps_its_last_line() -> None:
    (item,) = list_items(["- only"])
    assert (item.start, item.end) == (0, 1)
