"""Fast block tokens: the tokens and the located document of markdown-it's full parse."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from covtasks.blocks import Token, full_tokens, locating, locating_tokens, shaped_tokens
from covtasks.document import _LINE, Document, parse_document
from covtasks.errors import TaskFileError
from covtasks.markers import format_marker
from covtasks.sync import new_task_file
from tests.strategies import task_documents
from tests.test_sync import DAY1, DAY2, module, sync

MARKER = format_marker({"module": "pkg/a.py", "state": "open", "managed": "Summary=0a1b"})
ENTRY = [
    "### Open · tv-2025-10-01:cov-pkg-a · Cover `pkg/a.py` to 100%",
    "",
    MARKER,
    "",
    "- **Summary**: Bring `pkg/a.py` to 100% line and branch coverage.",
    "- **Owner**: tv",
    "- **Coverage**: 50.00% lines (1/2); baseline 50.00% (2025-10-01) → 50.00%",
    "- **DI/fixture notes**:",
    "  - deterministic, low impact",
    "  - L3: `os.environ` → pass an environment mapping in",
    "    (default `os.environ`); test with a dict",
    "- **Next steps**:",
    "  1. Write the fixture.",
    "  1. Cover the error path.",
    "- **Validation**: `pytest`; `covtasks check`",
]
# Lines that decide block structure around and inside entries: headings in and out of
# lists, fences in list items, lazy continuations, <details> and other HTML blocks, markers
# in HTML blocks, breaks, setext underlines, code, tabs, and near misses of the entry shape.
LINES = (
    *ENTRY,
    "## Open tasks (updated 2025-09-01)",
    "# Title",
    "### Open · tv-x · closing hashes ##",
    "### trailing hash#",
    "###",
    "####### seven is no heading",
    "#no space",
    "  ### indented heading",
    "",
    "   ",
    "\t",
    "<!-- a comment -->",
    "<!-- an open comment",
    "-->",
    "<!-->",
    "<details>",
    "<summary>Template</summary>",
    "</details>",
    "<div>",
    "</div>",
    "<pre>",
    "</pre>",
    "<?php",
    "?>",
    "<!DOCTYPE html>",
    "<![CDATA[",
    "]]>",
    "- item",
    "- **Notes**: `x` <!-- inline -->",
    "-  two spaces after the marker",
    "-      code in an item",
    "- ",
    "-",
    "- - nested on one line",
    "- - - a break",
    "- # a heading in a list item",
    "- ### Open · tv-item · a heading in a list item",
    "- ```",
    "- > quoted",
    "- <div>",
    "- 1. ordered inside",
    "- 1) ordered inside",
    "- ==",
    "- **Summary**:",
    "  - note",
    "  1. step",
    "  2) step",
    "     - deeper",
    "  continuation",
    "    more",
    "     five",
    "      six spaces",
    "          ten spaces",
    "            twelve spaces",
    "  ```",
    "  ~~~",
    "  ```text",
    "  # heading in an item",
    "  ### Open · tv-nested · heading in an item",
    "  " + MARKER,
    "  <details>",
    "  > quoted",
    "  ---",
    "  ===",
    "  - ",
    "  -",
    "  -\ttab",
    "  - - - break",
    "  *  *  *",
    " one space",
    "  \ttab indent",
    "```",
    "```markdown",
    "~~~",
    "````",
    "    indented code",
    "lazy continuation line",
    "Text paragraph",
    "---",
    "***",
    "___",
    "_" * 40,
    "===",
    "> quote",
    "> ### Open · tv-quote · quoted heading",
    "1. ordered",
    "2) ordered",
    "* star item",
    "+ plus item",
    "[ref]: /url",
    '"title"',
    "\0 a NUL",
)


def _key(token: Token) -> tuple[Any, ...]:
    return (
        token.type,
        token.tag,
        token.nesting,
        token.map,
        token.level,
        token.markup,
        token.info,
        token.content,
        token.block,
        token.hidden,
    )


def _lines(text: str) -> tuple[str, ...]:
    return tuple(match.group() for match in _LINE.finditer(text))


def _located(text: str, full: bool) -> tuple[str, Document | str]:
    try:
        if full:
            document = parse_document(text, lambda lines: full_tokens("".join(lines)))
        else:
            document = parse_document(text)
    except TaskFileError as error:
        return "error", error.message
    return "ok", document


def _describe(document: Document) -> tuple[Any, ...]:
    return (
        document,
        document._layout,
        document.end_line(),
        [document.insertion_line(section) for section in document.sections],
        [document.section_of(line) for line in range(len(document.lines) + 1)],
    )


def assert_locates_like_the_full_parse(text: str) -> None:
    lines = _lines(text)
    assert [_key(t) for t in locating_tokens(lines)] == [
        _key(t) for t in locating(full_tokens(text))
    ]
    fast, full = _located(text, full=False), _located(text, full=True)
    if isinstance(fast[1], Document) and isinstance(full[1], Document):
        assert _describe(fast[1]) == _describe(full[1])
    else:
        assert fast == full


@st.composite
def line_soups(draw: st.DrawFn) -> str:
    """Entries and structure-deciding lines in any order, with any line endings."""
    pieces: list[str] = []
    for _ in range(draw(st.integers(0, 10))):
        if draw(st.integers(0, 3)) == 0:
            pieces += ENTRY
        else:
            pieces += draw(st.lists(st.sampled_from(LINES), min_size=1, max_size=6))
    endings = draw(
        st.lists(
            st.sampled_from(["\n", "\n", "\n", "\r\n", "\r"]),
            min_size=len(pieces),
            max_size=len(pieces),
        )
    )
    if endings and draw(st.booleans()):
        endings[-1] = ""
    return "".join(line + ending for line, ending in zip(pieces, endings, strict=True))


@settings(max_examples=400, derandomize=True, deadline=None)
@given(line_soups())
def test_locating_tokens_of_mixed_lines_equal_the_full_parse(text: str) -> None:
    assert_locates_like_the_full_parse(text)


@settings(max_examples=150, derandomize=True, deadline=None)
@given(task_documents())
def test_locating_tokens_of_generated_task_files_equal_the_full_parse(text: str) -> None:
    assert_locates_like_the_full_parse(text)


def test_entries_after_a_fence_left_open_are_swallowed_as_in_the_full_parse() -> None:
    # Each entry heading is tried as a cut and refused; the back-off keeps this linear.
    text = "\n".join(["# Tasks", "", "```", "", *(ENTRY * 40)]) + "\n"
    assert_locates_like_the_full_parse(text)
    assert parse_document(text).entries == ()


def test_entry_after_an_html_block_without_a_blank_line_belongs_to_the_block() -> None:
    text = "\n".join(["<details>", "<summary>x</summary>", *ENTRY, "</details>", "", *ENTRY])
    assert_locates_like_the_full_parse(text)
    assert len(parse_document(text).entries) == 1


def test_text_at_the_nesting_limit_is_never_cut_before_a_later_heading() -> None:
    # markdown-it stops at its nesting limit and skips to the end of what it parses.
    deep = "".join("> " for _ in range(25)) + "deep"
    text = "\n".join(["# Tasks", deep, "", *ENTRY, "", *ENTRY]) + "\n"
    assert_locates_like_the_full_parse(text)


def test_text_holding_a_nul_is_left_to_markdown_it_whole() -> None:
    text = "\n".join(["# Tasks \0", "", *ENTRY]) + "\n"
    assert_locates_like_the_full_parse(text)
    assert len(parse_document(text).entries) == 1


def test_every_entry_sync_writes_has_the_shape_the_scanner_takes(tmp_path: Path) -> None:
    source = "import os\n\n\ndef home():\n    if os.environ.get('HOME'):\n        return 1\n"
    (tmp_path / "pkg").mkdir()
    for name in ("a", "b", "c"):
        (tmp_path / "pkg" / f"{name}.py").write_text(source, encoding="utf-8")
    modules = [module(f"pkg/{name}.py", statements=6, missing=3) for name in "abc"]
    text, _ = sync(new_task_file(DAY1), tmp_path, DAY1, *modules)
    text, _ = sync(text, tmp_path, DAY2, module("pkg/a.py", missing=1), *modules[1:])
    document = parse_document(text)
    starts = [entry.heading for entry in document.entries]
    assert len(starts) == 3
    for start, end in itertools.pairwise([*starts, len(document.lines)]):
        assert shaped_tokens(document.lines, start, end) is not None


@pytest.mark.parametrize(
    "line",
    ["Text", "  ### heading", "-  two spaces", " one space", "<div>", "- # h", "  ```", "\tx"],
)
def test_an_entry_holding_a_line_of_another_shape_is_left_to_markdown_it(line: str) -> None:
    lines = _lines("\n".join([*ENTRY, line]) + "\n")
    assert shaped_tokens(lines, 0, len(lines)) is None
    assert shaped_tokens(lines, 0, len(lines) - 1) is not None


def test_blank_lines_before_the_first_entry_are_parsed_to_no_tokens() -> None:
    text = "\n \n" + "\n".join(ENTRY) + "\n"
    assert_locates_like_the_full_parse(text)
    assert [token.map for token in locating_tokens(_lines(text))][:1] == [[2, 3]]


def test_a_last_line_of_spaces_without_a_line_ending_is_no_line_to_markdown_it() -> None:
    text = "\n".join(ENTRY) + "\n  \t"
    assert_locates_like_the_full_parse(text)
    assert [token.map for token in locating_tokens(_lines(text))][3] == [4, len(ENTRY)]
