"""The task file's block tokens (the one module that imports markdown-it-py), found fast.

Locating needs markdown-it's block structure, and the full parse of a multi-megabyte task
file is most of a sync, spent on entries covtasks wrote itself. So the file is cut at
ATX headings in column 0: a people's region is parsed by markdown-it as before, while a
segment that has the plain shape covtasks writes (a heading, blank lines, one-line HTML
comments, a ``- `` list whose nested lines cannot open a heading, fence, HTML or code
block) gets its tokens from a line scanner. A heading in column 0 starts a fresh block
unless the text before it left a fence or HTML block open (or hit markdown-it's nesting
limit); then it is parsed with that text, as the full parse would. The tokens returned
are the full parse's tokens that locating reads (see ``locating``); the equivalence is a
property test on generated documents.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence

from markdown_it import MarkdownIt
from markdown_it.common import utils as markdown_it_utils
from markdown_it.rules_block.html_block import HTML_SEQUENCES
from markdown_it.token import Token

__all__ = ["HTML_SEQUENCES", "Token", "full_tokens", "locating", "locating_tokens"]

# Kept at any depth: what decides where entries, markers and hidden regions are.
_ANY_DEPTH = frozenset({"heading_open", "html_block", "fence", "code_block"})
_ATX = re.compile(r"#{1,6}(?:[ \t\r\n]|\Z)")
# What may follow a list item's marker, or a nested line's indentation: up to two more
# markers, then text that opens no block locating reads (heading, HTML, blockquote, fence,
# setext underline or break, an empty item, code after a marker). Possessive, so a marker
# is never re-read as text.
_CONTENT = (
    r"(?:(?:[-*+]|[0-9]{1,9}[.)]) {1,4}(?! )){0,2}+"
    r"(?![#<>]|```|~~~|[-*+][ \t\r\n]|[0-9]{1,9}[.)][ \t\r\n]|[-=*_ \t]*[\r\n]*\Z)"
    r"[^ \t\r\n]"
)
_ITEM = re.compile(r"- (?! )" + _CONTENT)
# Deep enough for covtasks' notes and a person's nested steps, far from markdown-it's limit.
_NESTED = re.compile(r"(?P<indent> {2,10})(?! )" + _CONTENT)
_COMMENT = re.compile(r"<!--.*-->")
# markdown-it-py 4.3 trims heading text with CommonMark's whitespace set (mdTrim), older
# releases with str.strip: each release's own rule keeps these tokens equal to its parser's.
_trim_heading: Callable[[str], str] = getattr(markdown_it_utils, "mdTrim", str.strip)


def _block_parser() -> MarkdownIt:
    # Locating needs CommonMark's block structure only, so every block rule stays and the
    # inline pass never runs (about 1.9x faster than a full commonmark parse).
    return MarkdownIt("commonmark").disable(["inline", "text_join"])


_PARSER = _block_parser()
# markdown-it stops nesting here and skips the rest of its input: never cut such text.
_DEEPEST = int(_PARSER.options["maxNesting"]) - 1


def locating(tokens: Sequence[Token]) -> list[Token]:
    """The tokens locating reads: mapped ones at levels 0-1, and some kinds at any depth."""
    kept: list[Token] = []
    after_heading = False
    for token in tokens:
        if token.map is not None and (
            token.level <= 1
            or token.type in _ANY_DEPTH
            or (after_heading and token.type == "inline")
        ):
            kept.append(token)
        after_heading = token.type == "heading_open"
    return kept


def full_tokens(text: str) -> list[Token]:
    """markdown-it's block tokens for the whole text (the reference ``locating_tokens`` equals)."""
    return _PARSER.parse(text)


def locating_tokens(lines: Sequence[str]) -> list[Token]:
    """``locating(full_tokens(text))`` for the text made of these lines, found faster."""
    count = len(lines)
    if count and not lines[-1].strip(" \t"):
        count -= 1  # markdown-it drops a last line of spaces and tabs with no line ending
    starts = [index for index, line in enumerate(lines) if line[:1] == "#" and _ATX.match(line)]
    if any("\0" in line for line in lines):
        starts = []  # markdown-it replaces NUL; leave such text to it entirely
    tokens: list[Token] = []
    region = 0  # first line not yet tokenized
    skip_until = 0  # after text that swallowed a heading, try cutting again only later
    misses = 0
    for number, (start, end) in enumerate(itertools.pairwise([*starts, count])):
        if number < skip_until:
            continue
        shaped = shaped_tokens(lines, start, end)
        if shaped is None:
            continue
        if region < start:
            parsed, open_block = _parse(lines, region, start)
            if open_block is not None:
                # The text before left a block open that may take this heading: keep what
                # is final, parse the rest with what follows, and back off, so that a block
                # left open to the end costs a few parses, not one per entry.
                tokens.extend(parsed[:open_block])
                region = _first_line(parsed[open_block])
                misses += 1
                skip_until = number + 2**misses
                continue
            tokens.extend(parsed)
        misses = 0
        tokens.extend(shaped)
        region = end
    if region < count:
        tokens.extend(_parse(lines, region, count)[0])
    return tokens


def _parse(lines: Sequence[str], start: int, end: int) -> tuple[list[Token], int | None]:
    """Tokens of lines [start, end) with the file's line numbers, and the open block's index.

    The index is that of the last top-level block when it may go on past ``end`` (a fence or
    HTML block reaching it, or text at markdown-it's nesting limit); None when none can.
    """
    raw = _PARSER.parse("".join(lines[start:end]))
    tokens = locating(raw)
    for token in tokens:
        assert token.map is not None
        token.map = [token.map[0] + start, token.map[1] + start]
    last = next((i for i in range(len(tokens) - 1, -1, -1) if tokens[i].level == 0), None)
    if last is None:
        return tokens, None
    block = tokens[last]
    assert block.map is not None
    deepest = max(token.level for token in raw)
    if deepest >= _DEEPEST or (block.type in ("fence", "html_block") and block.map[1] == end):
        return tokens, last
    return tokens, None


def _first_line(token: Token) -> int:
    assert token.map is not None
    return token.map[0]


def _token(kind: str, tag: str, nesting: int, span: list[int], level: int) -> Token:
    # What markdown-it's state.push makes, built field by field: twice as fast as
    # Token(...), and tens of thousands are made for a big task file.
    token = Token.__new__(Token)
    token.type, token.tag, token.nesting = kind, tag, 1 if nesting > 0 else 0
    token.attrs, token.map, token.level, token.children = {}, span, level, None
    token.content, token.markup, token.info, token.meta = "", "", "", {}
    token.block, token.hidden = True, False
    return token


def _heading(line: str, index: int) -> list[Token]:
    """markdown-it's heading rule for a line ``_ATX`` matched."""
    text = line.rstrip("\r\n")
    level = len(text) - len(text.lstrip("#"))
    end = len(text)
    while end > level and text[end - 1] in " \t":
        end -= 1
    closing = end
    while closing > level and text[closing - 1] == "#":
        closing -= 1
    if closing > level and text[closing - 1] in " \t":
        end = closing
    opening = _token("heading_open", f"h{level}", 1, [index, index + 1], 0)
    opening.markup = "#" * level
    inline = _token("inline", "", 0, [index, index + 1], 1)
    inline.content = _trim_heading(text[level:end])
    inline.children = []
    return [opening, inline]


def shaped_tokens(lines: Sequence[str], start: int, end: int) -> list[Token] | None:
    """Tokens of a segment in covtasks' entry shape, or None to leave it to markdown-it."""
    tokens = _heading(lines[start], start)
    bullets: list[int] | None = None  # the open list's map, then its item's
    item: list[int] = []
    after_blank = False
    for index in range(start + 1, end):
        line = lines[index]
        first = line[:1]
        if first == "-":
            if _ITEM.match(line) is None:
                return None
            if bullets is None:
                bullets = [index, end]
                tokens.append(_token("bullet_list_open", "ul", 1, bullets, 0))
                tokens[-1].markup = "-"
            else:
                item[1] = index
            item = [index, end]
            tokens.append(_token("list_item_open", "li", 1, item, 1))
            tokens[-1].markup = "-"
        elif first == "<":
            if _COMMENT.match(line) is None:
                return None
            if bullets is not None:
                bullets[1] = item[1] = index
                bullets = None
            tokens.append(_token("html_block", "", 0, [index, index + 1], 0))
            ending = "\n" if line[-1:] in ("\r", "\n") else ""
            tokens[-1].content = line.rstrip("\r\n") + ending
        elif first == " " and (nested := _NESTED.match(line)) is not None:
            if bullets is None or (after_blank and len(nested.group("indent")) > 5):
                return None
        elif line.strip(" \t\r\n"):
            return None
        else:
            after_blank = True
            continue
        after_blank = False
    return tokens
