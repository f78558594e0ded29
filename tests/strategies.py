"""Hypothesis strategies for task-file-like markdown: entries, look-alike traps and odd blocks."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st

from covtasks.markers import format_marker

TRAP = "TRAP"  # every task-like heading that must never be an entry carries this in its ID

_WORDS = st.sampled_from(
    [
        "coverage",
        "fixture",
        "module",
        "gate",
        "zoë",
        "ünïcode",
        "中文",
        "✅",
        "⬆️",
        "`pkg/a.py`",
        "**bold**",
        "a*b",
        "x<y",
        "--",
        "·",
        "100%",
        "tab\there",
        "form\x0cfeed",
        "line\u2028separator",
        "trailing ",
    ]
)
_STATUSES = st.sampled_from(["Open", "In progress", "Completed", "Deferred", "Won't do"])
_NUMBERS = st.sampled_from(["1.", "1.", "2.", "7.", "1)"])


def _text(min_size: int = 1, max_size: int = 6) -> st.SearchStrategy[str]:
    return st.lists(_WORDS, min_size=min_size, max_size=max_size).map(" ".join)


def _sentence() -> st.SearchStrategy[str]:
    # A fixed first word keeps generated prose from starting a list, heading or HTML block.
    return _text().map(lambda words: f"Text {words}")


@st.composite
def _field(draw: st.DrawFn) -> list[str]:
    name = draw(st.sampled_from(["Summary", "Owner", "Priority", "Next steps", "Meta?", "Ünï"]))
    lines = [f"- **{name}**: {draw(_text(0))}".rstrip(" ")]
    if draw(st.booleans()):
        lines.append(f"  {draw(_sentence())}")
    for _ in range(draw(st.integers(0, 3))):
        marker = draw(st.sampled_from(["-", "*"]) | _NUMBERS)
        lines.append(f"  {marker} {draw(_sentence())}")
        if draw(st.booleans()):
            lines.append(f"     - {draw(_sentence())}")
    return lines


@dataclass(frozen=True)
class GeneratedEntry:
    """An entry block as lines, with what parsing it must find."""

    lines: tuple[str, ...]
    ident: str
    module: str | None
    fields: int


@st.composite
def _entries(draw: st.DrawFn) -> GeneratedEntry:
    level = draw(st.sampled_from([3, 3, 3, 2, 4]))
    ident = f"tv-2025-09-{draw(st.integers(1, 28)):02}:{draw(st.sampled_from(['PR??', 'PR7']))}"
    title = draw(_text())
    lines = [f"{'#' * level} {draw(_STATUSES)} · {ident} · {title}".rstrip(" "), ""]
    module = draw(st.none() | st.text(max_size=12))
    if module is not None:
        lines += [format_marker({"module": module, "baseline": "12.50"}), ""]
    fields = draw(st.lists(_field(), max_size=4))
    for field_lines in fields:
        lines += field_lines
    if draw(st.booleans()):
        lines += ["", f"{'#' * (level + 1)} {draw(_text())}", "", draw(_sentence())]
    return GeneratedEntry(tuple(lines), ident.strip(), module, len(fields))


def entry_blocks() -> st.SearchStrategy[str]:
    """One task entry as LF text: heading, an optional marker, fields, maybe a subheading."""
    return _entries().map(lambda entry: "\n".join(entry.lines) + "\n")


def _trap_heading(level: int = 3) -> st.SearchStrategy[str]:
    return _text().map(lambda title: f"{'#' * level} Open · tv-{TRAP}:x · {title}")


@st.composite
def _trap(draw: st.DrawFn) -> list[str]:
    """A block holding a task-like heading that CommonMark (or <details>) keeps from being one."""
    heading = draw(_trap_heading(draw(st.sampled_from([2, 3, 4]))))
    fence = draw(st.sampled_from(["```", "~~~", "````markdown"]))
    fenced = [fence, heading, "- **Summary**: in a fence", fence.rstrip("markdown")]
    kind = draw(st.sampled_from(["fence", "details", "split", "html", "code", "quote", "item"]))
    if kind == "fence":
        return fenced
    if kind == "details":
        return ["<details>", "<summary>Template</summary>", "", *fenced, "", "</details>"]
    if kind == "split":
        return ["<details>", "", heading, "", "- **Summary**: parsed as markdown", "", "</details>"]
    if kind == "html":
        return ["<div>", heading, "</div>"]
    if kind == "code":
        return ["    " + heading]
    return [("> " if kind == "quote" else "- ") + heading]


@st.composite
def _plain(draw: st.DrawFn) -> list[str]:
    """Blocks a person writes between entries: sections, prose, lists, breaks, comments."""
    kind = draw(st.sampled_from(["section", "prose", "list", "break", "comment", "setext"]))
    if kind == "section":
        level = draw(st.integers(1, 4))
        return [f"{'#' * level} {draw(_text())} (updated 2025-09-01)"]
    if kind == "prose":
        return draw(st.lists(_sentence(), min_size=1, max_size=3))
    if kind == "list":
        return [f"{draw(_NUMBERS | st.just('-'))} {draw(_sentence())}" for _ in range(3)]
    if kind == "break":
        return [draw(st.sampled_from(["---", "***", "___", "_" * 70, "- - -"]))]
    if kind == "comment":
        return ["<!-- markdownlint-disable MD033 -->"]
    return [draw(_sentence()), draw(st.sampled_from(["===", "---"]))]


@dataclass(frozen=True)
class GeneratedDocument:
    """Document text plus the entries parsing must find, in order."""

    text: str
    entries: tuple[GeneratedEntry, ...]


@st.composite
def annotated_documents(draw: st.DrawFn) -> GeneratedDocument:
    """A task document with the entries it holds: blocks split by blank lines, any newlines."""
    blocks = draw(st.lists(st.one_of(_entries(), _trap(), _plain()), max_size=12))
    lines = [f"# {draw(_text())}"]
    entries: list[GeneratedEntry] = []
    for block in blocks:
        lines += [""] * draw(st.integers(1, 2))
        if isinstance(block, GeneratedEntry):
            entries.append(block)
            lines += block.lines
        else:
            lines += block
    if draw(st.integers(0, 4)) == 0:
        # A block left open at the end swallows anything appended after it.
        opener = draw(st.sampled_from(["```", "<details>", "<!--", "<pre>"]))
        lines += ["", opener, "", draw(_trap_heading())]
    style = draw(st.sampled_from(["\n", "\r\n", "\r", "mixed"]))
    endings = [draw(st.sampled_from(["\n", "\r\n"])) if style == "mixed" else style for _ in lines]
    if draw(st.booleans()):
        endings[-1] = ""
    text = "".join(line + ending for line, ending in zip(lines, endings, strict=True))
    return GeneratedDocument(text, tuple(entries))


def task_documents() -> st.SearchStrategy[str]:
    """Text of task-file-like markdown: entries, traps, sections, CRLF, no final newline."""
    return annotated_documents().map(lambda document: document.text)
