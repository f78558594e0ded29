"""Nested list items of a block of markdown lines, as line spans (for in-place list edits)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from covtasks.document import block_tokens


@dataclass(slots=True)
class Item:
    """A list item: lines [start, end) without trailing blank lines, and its nested items."""

    start: int
    end: int
    column: int  # where its marker stands
    marker: str  # "-", "*", "+", or "1." / "1)" for an ordered item
    children: list[Item] = field(default_factory=list)


def list_items(lines: Sequence[str]) -> list[Item]:
    """The top-level list items of ``lines`` (given without line endings), nested items inside."""
    tokens = block_tokens("".join(line + "\n" for line in lines))
    top: list[Item] = []
    stack: list[Item] = []
    for token in tokens:
        if token.type == "list_item_close":
            stack.pop()
            continue
        if token.type != "list_item_open" or token.map is None:
            continue
        start, end = token.map
        while end > start + 1 and not lines[end - 1].strip():
            end -= 1
        text = lines[start]
        column = len(text) - len(text.lstrip(" "))
        marker = token.markup if not token.info else f"{token.info}{token.markup}"
        item = Item(start, end, column, marker)
        (stack[-1].children if stack else top).append(item)
        stack.append(item)
    return top


def text_offset(line: str, item: Item) -> int:
    """Where the text of an item's first line starts, after its marker and spaces."""
    after = item.column + len(item.marker)
    return after + len(line[after:]) - len(line[after:].lstrip())


def item_text(line: str, item: Item) -> str:
    """The first line of an item without its indentation and marker."""
    return line[text_offset(line, item) :].rstrip()
