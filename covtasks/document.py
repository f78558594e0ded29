"""The task file as raw lines: locate entries, sections and markers from block tokens; splice."""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING

from covtasks.errors import TaskFileError
from covtasks.markers import MARKER_PREFIX, parse_marker

if TYPE_CHECKING:
    from covtasks.blocks import Token

# The same line endings CommonMark (and markdown-it's normalize rule) knows, and no others:
# str.splitlines() would also split on \f, \v, \x1c and \u2028 and break the line numbering.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
# What str.splitlines() splits at besides \r and \n.
_OTHER_BREAKS = "\v\f\x1c\x1d\x1e\x85\u2028\u2029"
_FIELD = re.compile(r"[ ]{0,3}[-+*][ \t]+\*\*(?P<name>(?:(?!\*\*).)+)\*\*:")
_DETAILS_TAG = re.compile(r"<(/?)details(?=[\s/>]|$)", re.IGNORECASE)
_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_LINE_BREAK = re.compile(r"[\r\n]")
_SEPARATOR = " · "
BOM = "\ufeff"


@dataclass(frozen=True, slots=True)
class Span:
    """Lines [start, end), 0-based; Span(n, n) is an insertion point before line n."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Field:
    """A top-level bullet ``- **Name**: value`` with its continuation and nested lines."""

    name: str
    span: Span


@dataclass(frozen=True, slots=True)
class Entry:
    """A task entry: a ``### <Status> · <ID> · <Title>`` heading and the lines it owns."""

    heading: int
    level: int
    span: Span
    status: str
    ident: str
    title: str
    marker: int | None
    attrs: Mapping[str, str]
    fields: tuple[Field, ...]


@dataclass(frozen=True, slots=True)
class Section:
    """A heading that is not an entry, through the line before the next heading of its rank."""

    heading: int
    level: int
    title: str
    span: Span


@dataclass(frozen=True, slots=True)
class Fence:
    """A fenced code block: its first line, info string and content (as markdown-it has them)."""

    start: int
    info: str
    content: str


@dataclass(frozen=True, slots=True)
class _Layout:
    """What insertion_line and section_of need beyond the public fields."""

    breaks: frozenset[int]  # top-level thematic break lines
    starts: tuple[int, ...]  # heading line of each section
    parents: tuple[int, ...]  # index of each section's enclosing section, -1 for none
    capture: int | None  # start of a block that would swallow anything appended at EOF
    fences: tuple[Fence, ...] = ()  # every fenced block at any depth, in order


@dataclass(frozen=True, slots=True)
class Document:
    """The original lines and where entries and sections are; never a re-rendering."""

    lines: tuple[str, ...]
    newline: str
    entries: tuple[Entry, ...]
    sections: tuple[Section, ...]
    _layout: _Layout = field(default=_Layout(frozenset(), (), (), None), repr=False, compare=False)

    def insertion_line(self, section: Section) -> int:
        """After the section's last non-blank line, before trailing blanks and a closing break.

        Content added here must start with a blank line so that it cannot continue a
        paragraph, list or HTML block that ends just before it.
        """
        end = section.span.end
        capture = self._layout.capture
        # A block left open at EOF swallows every line after its start, so it always starts
        # after a section's heading; if it starts inside the section, new entries go above.
        if capture is not None and capture < end:
            end = capture
        end = _trim_blank(self.lines, end)
        # The line before end is never the heading itself here: a heading is no break.
        if end - 1 in self._layout.breaks:
            end = _trim_blank(self.lines, end - 1)
        return end

    def end_line(self) -> int:
        """Where text appended to the file goes: EOF, or before a block left open at EOF.

        An unclosed fence, HTML comment, ``<pre>`` or ``<details>`` at the end would
        swallow anything after it, so the point moves before it (and its blank lines).
        """
        capture = self._layout.capture
        return len(self.lines) if capture is None else _trim_blank(self.lines, capture)

    def fences(self, span: Span) -> list[Fence]:
        """The fenced blocks starting inside ``span``, found by the one parse of the file."""
        return [fence for fence in self._layout.fences if span.start <= fence.start < span.end]

    def parent_of(self, section: Section) -> Section | None:
        """The section that encloses ``section``, if any."""
        index = bisect.bisect_left(self._layout.starts, section.heading)
        parent = self._layout.parents[index]
        return None if parent < 0 else self.sections[parent]

    def section_of(self, line: int) -> Section | None:
        """The innermost section whose span contains the line, if any."""
        index = bisect.bisect_right(self._layout.starts, line) - 1
        while index >= 0:
            section = self.sections[index]
            if line < section.span.end:
                return section
            index = self._layout.parents[index]
        return None


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace the lines of span by these lines (given without line endings)."""

    span: Span
    lines: tuple[str, ...]


def block_tokens(text: str) -> list[Token]:
    """CommonMark block tokens of ``text`` (with ``.map`` line spans), inline pass skipped."""
    from covtasks.blocks import full_tokens

    return full_tokens(text)


def parse_document(
    text: str, tokenize: Callable[[Sequence[str]], list[Token]] | None = None
) -> Document:
    """Split text into lines and locate entries, sections and markers; raise TaskFileError.

    ``tokenize`` gives the block tokens of the lines: by default the fast locating tokens
    (a test passes markdown-it's full parse).
    """
    if tokenize is None:
        # Imported here: a sync that finds the file's layout cached never loads markdown-it.
        from covtasks.blocks import locating_tokens

        tokenize = locating_tokens
    lines = split_lines(text)
    newline = newline_style(text)
    scan = _Scan(lines)
    # A byte-order mark is no text: the first heading after it is still a heading. The
    # lines themselves keep it, so it is written back byte for byte.
    if lines and lines[0].startswith(BOM):
        scan.run(tokenize((lines[0].removeprefix(BOM), *lines[1:])))
    else:
        scan.run(tokenize(lines))
    return scan.document(newline)


def _ends_line(text: str) -> bool:
    return text.endswith(("\n", "\r"))


def newline_style(text: str) -> str:
    """The file's newline: ``\r\n`` or ``\r`` when over half the lines end so, else ``\n``."""
    if "\r" not in text:
        return "\n"
    # Each line ending ends one line: counting them in the text is counting the lines.
    crlf = text.count("\r\n")
    cr = text.count("\r") - crlf
    ended = text.count("\n") + cr
    return "\r\n" if crlf * 2 > ended else "\r" if cr * 2 > ended else "\n"


def split_lines(text: str) -> tuple[str, ...]:
    """The text's lines with their endings, split at ``\n``, ``\r\n`` and ``\r`` only."""
    # One search per character: several times faster than a character class over the text.
    if not any(char in text for char in _OTHER_BREAKS):  # str.splitlines agrees, and is faster
        return tuple(text.splitlines(keepends=True))
    return tuple(match.group() for match in _LINE.finditer(text))


class _Scan:
    """One pass over the block tokens, then linear passes that turn them into spans."""

    def __init__(self, lines: tuple[str, ...]) -> None:
        self.lines = lines
        self.headings: list[tuple[int, int, str, bool]] = []  # line, level, text, is ATX
        self.breaks: list[int] = []
        self.items: list[tuple[int, int]] = []  # top-level bullet list items
        self.html: list[tuple[int, int]] = []  # top-level HTML blocks
        self.code: list[tuple[int, int]] = []  # top-level indented code blocks
        self.regions: list[tuple[int, int]] = []  # <details> through </details>, inclusive
        self.depth = 0
        self.opened = 0
        self.capture: int | None = None
        self.fences: list[Fence] = []

    def run(self, tokens: list[Token]) -> None:
        last: Token | None = None
        in_bullets = False
        for index, token in enumerate(tokens):
            if token.map is None:
                continue
            start, end = token.map
            if token.type == "html_block":
                self._count_details(token.content, start)
            elif token.type == "fence":
                self.fences.append(Fence(start, token.info, token.content))
            if token.level == 0:
                last = token
                in_bullets = token.type == "bullet_list_open"
                if token.type == "heading_open":
                    text = tokens[index + 1].content
                    self.headings.append((start, int(token.tag[1:]), text, token.markup[0] == "#"))
                elif token.type == "hr":
                    self.breaks.append(start)
                elif token.type == "html_block":
                    self.html.append((start, end))
                elif token.type == "code_block":
                    self.code.append((start, end))
            elif in_bullets and token.level == 1 and token.type == "list_item_open":
                self.items.append((start, end))
        if self.depth:
            self.regions.append((self.opened, len(self.lines)))
            self.capture = self.opened
        if last is not None and _unterminated(last, self.lines):
            assert last.map is not None
            self.capture = min(
                last.map[0], len(self.lines) if self.capture is None else self.capture
            )

    def _count_details(self, html: str, start: int) -> None:
        # Comments are blanked first (their line breaks kept, so lines still count): a
        # "<details>" written inside a comment opens nothing. A region runs from the line of
        # its <details> to the line of its </details>, not to the ends of their HTML blocks:
        # a marker on the line below </details> is outside it.
        text = _HTML_COMMENT.sub(lambda comment: "\n" * comment.group().count("\n"), html)
        for tag in _DETAILS_TAG.finditer(text):
            line = start + text.count("\n", 0, tag.start())
            if not tag.group(1):
                if self.depth == 0:
                    self.opened = line
                self.depth += 1
            elif self.depth:
                self.depth -= 1
                if self.depth == 0:
                    self.regions.append((self.opened, line))

    def hidden(self, line: int) -> bool:
        """Whether the line lies between a <details> and its </details>."""
        return self.region(line) >= 0

    def region(self, line: int) -> int:
        """The index of the <details> region holding the line, -1 for none."""
        index = bisect.bisect_right(self.regions, (line, len(self.lines))) - 1
        return index if index >= 0 and line <= self.regions[index][1] else -1

    def _collapsed_entries(self, tail: int) -> list[_Found]:
        """Entry headings inside a closed <details> region, each ending within its region."""
        found: list[_Found] = []
        for position, (line, level, text, atx) in enumerate(self.headings):
            region = self.region(line)
            parts = text.split(_SEPARATOR, 2)
            if region < 0 or not (atx and 2 <= level <= 4 and len(parts) == 3):
                continue
            end = self.regions[region][1]  # the </details> line stays outside the entry
            if end >= tail:
                continue  # a region left open at EOF is nobody's
            for later, later_level, _, _ in self.headings[position + 1 :]:
                if later >= end or later_level <= level:
                    end = min(end, later)
                    break
            span = Span(line, _trim_blank(self.lines, end))
            found.append(_Found(line, level, span, parts, region=region))
        return found

    def document(self, newline: str) -> Document:
        count = len(self.lines)
        tail = count if self.capture is None else self.capture
        headings = [h for h in self.headings if not self.hidden(h[0])]
        breaks = [line for line in self.breaks if not self.hidden(line)]
        entries: list[_Found] = []
        sections: list[Section] = []
        parents: list[int] = []
        enclosing: list[int] = []
        for (line, level, text, atx), stop in zip(
            headings, _next_at_or_above(headings, count), strict=True
        ):
            parts = text.split(_SEPARATOR, 2)
            if atx and 2 <= level <= 4 and len(parts) == 3:
                after = bisect.bisect_right(breaks, line)
                # A block left open at EOF is nobody's: entries end before it, like at a break.
                end = min(stop, breaks[after] if after < len(breaks) else count, tail)
                span = Span(line, _trim_blank(self.lines, end))
                entries.append(_Found(line, level, span, parts))
                continue
            while enclosing and sections[enclosing[-1]].span.end <= line:
                enclosing.pop()
            parents.append(enclosing[-1] if enclosing else -1)
            enclosing.append(len(sections))
            sections.append(Section(line, level, text, Span(line, stop)))
        # Entries never nest: a deeper entry heading ends the one above it, so no two spans
        # overlap and every line belongs to at most one entry.
        collapsed = self._collapsed_entries(tail)
        for group in (entries, collapsed):
            for found, following in itertools.pairwise(group):
                if following.heading < found.span.end:
                    end = _trim_blank(self.lines, following.heading)
                    found.span = Span(found.heading, end)
        entries = sorted([*entries, *collapsed], key=lambda found: found.heading)
        self._attach(entries)
        # An entry a person moved into <details> is still covtasks' (found by its marker);
        # a heading there without one is an example or a note, never an entry.
        entries = [found for found in entries if found.marker is not None or found.region < 0]
        layout = _Layout(
            frozenset(breaks),
            tuple(s.heading for s in sections),
            tuple(parents),
            self.capture,
            tuple(self.fences),
        )
        return Document(
            self.lines, newline, tuple(f.entry() for f in entries), tuple(sections), layout
        )

    def _attach(self, entries: list[_Found]) -> None:
        """Give each entry its fields and marker: one bisect per list item and HTML line."""
        # Lines of a <details> region belong only to an entry inside that same region; the
        # entries outside regions (and those inside) never overlap among themselves.
        visible = [found for found in entries if found.region < 0]
        collapsed = [found for found in entries if found.region >= 0]
        starts = ([found.heading for found in visible], [found.heading for found in collapsed])

        def owner(line: int) -> _Found | None:
            region = self.region(line)
            group = visible if region < 0 else collapsed
            index = bisect.bisect_right(starts[region >= 0], line) - 1
            if index < 0 or line >= group[index].span.end or group[index].region != region:
                return None
            return group[index]

        for start, end in self.items:
            found, match = owner(start), _FIELD.match(self.lines[start])
            if found is not None and match is not None:
                span = Span(start, _trim_blank(self.lines, min(end, found.span.end)))
                found.fields.append(Field(match.group("name"), span))
        for start, end in self.html:
            for line in range(start, end):
                found = owner(line)
                attrs = None if found is None else _marker_at(self.lines[line], line)
                if found is None or attrs is None:
                    continue
                if found.marker is not None:
                    raise TaskFileError(
                        f"line {line + 1}: a second covtasks marker in the entry at line"
                        f" {found.heading + 1} (the first is on line {found.marker + 1})"
                    )
                found.marker, found.attrs = line, attrs
        # A marker that silently stopped being one would let sync file a duplicate entry.
        for start, end in self.code:
            for line in range(start, end):
                if _looks_like_marker(self.lines[line]) and owner(line) is not None:
                    raise TaskFileError(
                        f"line {line + 1}: covtasks marker is indented as code"
                        " (4 spaces or a tab); remove the indentation"
                    )
        if self.capture is not None and _looks_like_marker(self.lines[self.capture]):
            raise TaskFileError(
                f"line {self.capture + 1}: covtasks marker does not end with -->"
                " (so it runs to the end of the file)"
            )


@dataclass(slots=True)
class _Found:
    """An entry while its fields and marker are being attached."""

    heading: int
    level: int
    span: Span
    parts: list[str]
    region: int = -1  # the <details> region the entry sits in, -1 for none
    marker: int | None = None
    attrs: dict[str, str] = field(default_factory=dict)
    fields: list[Field] = field(default_factory=list)

    def entry(self) -> Entry:
        status, ident, title = (part.strip() for part in self.parts)
        attrs = MappingProxyType(self.attrs)
        fields = tuple(self.fields)
        return Entry(
            self.heading, self.level, self.span, status, ident, title, self.marker, attrs, fields
        )


def _blank(line: str) -> bool:
    return not line.strip(" \t\r\n")


def _trim_blank(lines: tuple[str, ...], end: int) -> int:
    """Move end back over blank lines.

    Every span starts on a line that is never blank (a heading, a field's bullet), so
    trimming from inside a span stops within it: no floor is needed.
    """
    while end > 0 and _blank(lines[end - 1]):
        end -= 1
    return end


def _next_at_or_above(headings: list[tuple[int, int, str, bool]], count: int) -> list[int]:
    """For each heading, the line of the next heading of the same or a higher rank (or EOF)."""
    result = [count] * len(headings)
    waiting: list[int] = []  # indexes of headings still looking, deepest level last
    for index, (line, level, _, _) in enumerate(headings):
        while waiting and headings[waiting[-1]][1] >= level:
            result[waiting.pop()] = line
        waiting.append(index)
    return result


def _unterminated(token: Token, lines: tuple[str, ...]) -> bool:
    """Whether a last block runs to EOF without its closing line, so appended text joins it."""
    assert token.map is not None
    start, end = token.map
    if end < len(lines):
        return False
    if token.type == "fence":
        # A closed fence's content omits its closing line; an unclosed one's reaches EOF.
        content_lines = len(_LINE.findall(token.content))
        return end - start - 1 == content_lines
    if token.type == "html_block":
        from covtasks.blocks import HTML_SEQUENCES

        # Types 1-5 (<pre>, comments, <?, <!X, CDATA) end only at their closing sequence.
        first = lines[start].lstrip(" ")
        for opener, closer, _ in HTML_SEQUENCES[:5]:
            if opener.search(first):
                return closer.search(lines[end - 1]) is None
    return False


def apply_edits(document: Document, edits: Sequence[Edit]) -> str:
    """Splice raw lines; every byte outside the edited spans is kept.

    Insertions at one point keep their given order and come before a replacement that
    starts there. A missing final newline stays missing; when lines are added after a
    last line that has none, that line gains one newline, the only change outside the
    edits, because the added text would otherwise be glued onto it.
    """
    lines = document.lines
    ordered = sorted(
        enumerate(edits), key=lambda pair: (pair[1].span.start, pair[1].span.end, pair[0])
    )
    pieces: list[str] = []
    position = 0
    tail_added = False  # whether the text now ends with lines an edit added
    for _, edit in ordered:
        start, end = edit.span.start, edit.span.end
        if not 0 <= start <= end <= len(lines):
            raise ValueError(f"edit span {start}-{end} is outside lines 0-{len(lines)}")
        if start < position:
            raise ValueError(f"edit span {start}-{end} overlaps an edit ending at {position}")
        if any(_LINE_BREAK.search(line) for line in edit.lines):
            raise ValueError(f"edit at {start}-{end} holds a line break inside a line")
        pieces.extend(lines[position:start])
        if edit.lines and pieces and not _ends_line(pieces[-1]):
            pieces[-1] += document.newline
        for line in edit.lines:
            ending = document.newline
            if not line and pieces and pieces[-1].endswith("\r") and ending == "\n":
                ending = "\r\n"  # a bare "\n" would fuse with that lone "\r" into one ending
            pieces.append(line + ending)
        tail_added = bool(edit.lines) or (tail_added and start == position)
        position = end
    pieces.extend(lines[position:])
    if lines and not _ends_line(lines[-1]) and position == len(lines) and tail_added:
        pieces[-1] = pieces[-1].rstrip("\r\n")
    return "".join(pieces)


def _looks_like_marker(line: str) -> bool:
    return line.strip(" \t\r\n").startswith(MARKER_PREFIX)


def _marker_at(line: str, index: int) -> dict[str, str] | None:
    try:
        return parse_marker(line)
    except TaskFileError as error:
        raise TaskFileError(f"line {index + 1}: {error.problem}") from error
