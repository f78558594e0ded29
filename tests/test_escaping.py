"""Data shown safely: markdown code spans and text that render exactly, terminal text clean."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from covtasks.escaping import code_span, escape_text, terminal_text

HOSTILE = "\x1b[31m\u202e\u200b\u2066`\n\r<!-- /covtasks:scoreboard -->"


def test_code_span_shows_bidi_overrides_and_zero_width_characters() -> None:
    assert code_span("pkg/\u202eyp.evil\u200b.py") == "`pkg/\\u202eyp.evil\\u200b.py`"


def test_escape_text_shows_bidi_overrides_and_zero_width_characters() -> None:
    # The escape's backslash is itself escaped, so markdown shows ``ann\u2067a\ufeff``.
    assert escape_text("ann\u2067a\ufeff") == "ann\\\\u2067a\\\\ufeff"


def test_code_span_keeps_a_closing_marker_on_the_same_line() -> None:
    span = code_span("a.py\n<!-- /covtasks:scoreboard -->")
    assert "\n" not in span
    assert span == "`a.py\\n<!-- /covtasks:scoreboard -->`"


@given(st.text(min_size=1))
def test_code_span_of_any_text_is_one_inline_code_token_of_one_line(text: str) -> None:
    span = code_span(text)
    assert "\n" not in span
    assert "\r" not in span
    tokens = MarkdownIt("commonmark").parseInline(span)[0].children
    assert tokens is not None
    assert [token.type for token in tokens] == ["code_inline"]


@given(st.text())
def test_terminal_text_holds_no_control_format_or_separator_character(text: str) -> None:
    shown = terminal_text(text)
    assert all(unicodedata.category(char) not in {"Cc", "Cf", "Zl", "Zp"} for char in shown)


def test_terminal_text_shows_escape_sequences_as_text() -> None:
    assert terminal_text(HOSTILE[:7]) == "\\x1b[31m\\u202e\\u200b"


def test_terminal_text_leaves_plain_text_alone() -> None:
    assert terminal_text("pkg/mod.py — 73.62% ✅") == "pkg/mod.py — 73.62% ✅"


def test_terminal_text_leaves_non_printable_spaces_and_private_use_characters_alone() -> None:
    # Not printable to Python, yet neither control, format nor line separator: kept as is.
    assert terminal_text("a\u00a0b\u3000c\ue000") == "a\u00a0b\u3000c\ue000"
