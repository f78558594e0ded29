"""Making data safe to show: markdown that renders exactly the text, terminal text without controls.

Every module path, owner name or other value that comes from data (coverage reports, task
files, configuration) goes through here before it is written into markdown or printed.
"""

from __future__ import annotations

import functools
import re
import unicodedata


def _visible(char: str) -> str:
    """A control or line-separator character as a visible escape (``\\n``, ``\\x00``)."""
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
    if char in named:
        return named[char]
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def _needs_visible(char: str) -> bool:
    # Cc: C0/C1 controls and DEL; Cf: format characters (bidi overrides and isolates,
    # zero-width spaces and joiners, BOM) that make text read otherwise than it is;
    # Zl/Zp: U+2028/U+2029, which some tools treat as newlines.
    return unicodedata.category(char) in {"Cc", "Cf", "Zl", "Zp"}


def _make_visible(text: str) -> str:
    if text.isprintable():  # no control, format or separator character but the space: as is
        return text
    return "".join(_visible(char) if _needs_visible(char) else char for char in text)


def terminal_text(text: str) -> str:
    """Data for a terminal: control, format and line-separator characters shown as escapes.

    An escape sequence in a module path would otherwise recolour or rewrite the terminal,
    and a bidi override would show one path as another.
    """
    return _make_visible(text)


def code_span(text: str) -> str:
    """``text`` as one inline code span that survives any content and mdformat unchanged.

    Control characters and line separators show as escapes (``\\n``), so a path holding a
    newline stays on one line; backticks get a longer fence, padded by spaces the way
    CommonMark strips them and mdformat writes them.
    """
    content = _make_visible(text)
    if not content:
        return "` `"
    if not content.strip():
        # Whitespace alone: CommonMark and mdformat disagree on its padding; show it instead.
        content = "".join(_visible(char) for char in content)
    longest = max((len(run) for run in re.findall("`+", content)), default=0)
    if longest:
        fence = "`" * (longest + 1)
        return f"{fence} {content} {fence}"
    if content.startswith(" ") and content.endswith(" "):
        return f"` {content} `"
    return f"`{content}`"


def _is_space(char: str | None) -> bool:
    return char is not None and (char in "\t\n\f\r" or unicodedata.category(char) == "Zs")


def _is_flanking_stop(char: str | None) -> bool:
    """Whitespace, punctuation or symbol, or the edge of the text: ends an ``_`` run."""
    return char is None or _is_space(char) or unicodedata.category(char)[0] in "PS"


@functools.cache
def _char_reference() -> re.Pattern[str]:
    import html.entities  # a table of 2,000 names: loaded only when markdown text is escaped

    names = "|".join(sorted({name.rstrip(";") for name in html.entities.html5}, key=len)[::-1])
    return re.compile(f"&(?:#[0-9]{{1,7}}|#[Xx][0-9A-Fa-f]{{1,6}}|{names});")


def _bracket_escapes(text: str) -> set[int]:
    """Positions of brackets that could start a link: unpaired, nested, or before ':'/'('."""
    escapes: set[int] = set()
    opening: int | None = None
    for index, char in enumerate(text):
        if char == "[":
            if opening is not None:
                escapes.add(opening)
            opening = index
        elif char == "]":
            if opening is None:
                escapes.add(index)
            elif text[index + 1 : index + 2] in {":", "("}:
                escapes.update({opening, index})
                opening = None
            else:
                opening = None
    if opening is not None:
        escapes.add(opening)
    return escapes


def _less_than_escapes(text: str) -> tuple[set[int], set[int]]:
    """Which ``<`` mdformat escapes (it scans pairs: a ``<`` it escapes hides the next
    character from the scan), and which final ``<`` depends on what the template puts next."""
    escapes: set[int] = set()
    index = text.find("<")
    while index != -1:
        if index == len(text) - 1:
            return escapes, {index}
        if text[index + 1] != " ":
            escapes.add(index)
            index += 1
        index = text.find("<", index + 1)
    return escapes, set()


def escape_text(text: str) -> str:
    """Plain text as markdown that shows exactly that text, in mdformat's own escaping.

    Runs of spaces and tabs become one space and the ends are trimmed (markdown shows them
    so anyway); control characters show as escapes. A lone ``*`` or ``_`` at either end, or
    a final ``<``, depends on what follows in the template, so it is shown as a code span.
    The value should stand between spaces or at a line's end, as every default placeholder
    does.
    """
    plain = _make_visible(re.sub(r"[ \t]+", " ", text.strip()))
    brackets = _bracket_escapes(plain)
    less_than, ambiguous = _less_than_escapes(plain)
    out = []
    last = len(plain) - 1
    for index, char in enumerate(plain):
        before = plain[index - 1] if index > 0 else None
        after = plain[index + 1] if index < last else None
        edge_beside_space = (before is None and (after is None or _is_space(after))) or (
            after is None and _is_space(before)
        )
        if (char in "*_" and edge_beside_space) or index in ambiguous:
            out.append(f"`{char}`")
        elif char in "\\`" or index in brackets or index in less_than:
            out.append("\\" + char)
        elif char == "*":
            out.append(char if _is_space(before) and _is_space(after) else "\\*")
        elif char == "_":
            keep = (_is_space(before) and _is_space(after)) or not (
                _is_flanking_stop(before) or _is_flanking_stop(after)
            )
            out.append(char if keep else "\\_")
        else:
            out.append(char)
    return _char_reference().sub(lambda match: "\\" + match.group(0), "".join(out))
