"""The entry template: load it, check its placeholders, render one task entry as markdown.

A template is markdown with YAML front matter. Its body is the entry itself: a heading
``### ${status} · ${id} · <title>`` and one ``- **Name**: text`` bullet per field, in the
order they are written (indented lines under a bullet continue that field). The front matter
may hold ``defaults:``, a mapping of placeholder → value used when sync supplies none; a
default also declares a new placeholder a project may use in its own template.

Substitution is ``string.Template``-style (``${name}``, ``$name``, ``$$`` for a dollar sign)
and runs no code. Placeholders sync supplies, each already markdown-ready (paths as code
spans, text escaped): status, id, path (code span), path_text (escaped text), target,
summary, owner, priority, size, milestone, coverage, missing, notes, validation.

A field is left out when any placeholder it uses has no value or an empty one (Milestone
when no milestones are configured). A value spanning several lines continues under its
field, each further line indented two spaces; a value that is a list (its first line starts
``- ``, ``* ``, ``+ `` or ``1. ``) starts on the line below the field name, nested under it.
Blank lines inside a value are dropped so the fields stay one tight list.
"""

from __future__ import annotations

import functools
import html.entities
import re
import string
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from covtasks.errors import ConfigError

TEMPLATE_NAME = "entry.md"
# The values sync supplies; a template's front matter `defaults` may add its own.
PLACEHOLDERS = frozenset(
    [
        "status",
        "id",
        "path",
        "path_text",
        "target",
        "summary",
        "owner",
        "priority",
        "size",
        "milestone",
        "coverage",
        "missing",
        "notes",
        "validation",
    ]
)
FRONT_MATTER_KEYS = frozenset({"defaults"})
FIELD_INDENT = "  "

_HEADING = re.compile(r"### \$(?:\{status\}|status\b) · \$(?:\{id\}|id\b) · \S")
_FIELD_LINE = re.compile(r"- \*\*(?P<name>[^*\n]+)\*\*:(?: (?P<text>.*))?$")
_LIST_ITEM = re.compile(r"(?:[-*+]|[0-9]{1,9}[.)])(?: |$)")


# string.Template's own syntax; only its pattern is used, so nothing is ever evaluated.
_PATTERN = string.Template.pattern


@dataclass(frozen=True, slots=True)
class TemplateField:
    """One field: its name as shown in bold and its text, continuation lines included."""

    name: str
    text: str
    placeholders: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class RenderedField:
    """A field's markdown lines: ``- **Name**: ...`` then lines indented two spaces."""

    name: str
    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EntryTemplate:
    """A checked template: heading and fields in order, its defaults, and where it came from."""

    heading: str
    fields: tuple[TemplateField, ...]
    source: str
    defaults: Mapping[str, str] = field(default_factory=dict)

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(item.name for item in self.fields)


def default_template_places() -> tuple[Traversable, ...]:
    """Where the default template may be: inside the wheel, else the checkout's ``templates/``."""
    packaged = resources.files("covtasks").joinpath("templates", TEMPLATE_NAME)
    checkout = Path(__file__).resolve().parent.parent / "templates" / TEMPLATE_NAME
    return (packaged, checkout)


def load_template(path: Path | None, places: Sequence[Traversable] | None = None) -> EntryTemplate:
    """Read and check a template; ``None`` means the default shipped with covtasks."""
    if path is not None:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cannot read the entry template: {exc}", path) from exc
        return parse_template(text, str(path))
    for place in default_template_places() if places is None else places:
        if place.is_file():
            return parse_template(place.read_text(encoding="utf-8"), str(place))
    raise ConfigError(f"the default entry template {TEMPLATE_NAME} is missing; reinstall covtasks")


def parse_template(text: str, source: str) -> EntryTemplate:
    """Check a template's front matter, heading, fields and placeholders; name any problem."""
    import frontmatter
    import yaml

    def fail(problem: str) -> ConfigError:
        return ConfigError(problem, source)

    try:
        post = frontmatter.loads(text)
    except yaml.YAMLError as exc:
        raise fail(f"invalid front matter: {exc}") from exc
    for key in post.metadata:
        if key not in FRONT_MATTER_KEYS:
            raise fail(f"unknown front matter key {key!r} (known: defaults)")
    defaults = post.metadata.get("defaults", {})
    if not isinstance(defaults, dict) or not all(
        isinstance(key, str) and isinstance(value, str) for key, value in defaults.items()
    ):
        raise fail("front matter 'defaults' must map placeholder names to text")
    known = PLACEHOLDERS | defaults.keys()
    lines = [line.rstrip() for line in post.content.splitlines()]
    body = [line for line in lines if line]
    if not body or not _HEADING.match(body[0]):
        raise fail("the template must start with a heading '### ${status} · ${id} · <title>'")
    _check_placeholders(body[0], known, fail)
    fields: list[TemplateField] = []
    for line in body[1:]:
        match = _FIELD_LINE.match(line)
        if match is not None:
            name = match.group("name").strip()
            if name in {item.name for item in fields}:
                raise fail(f"field {name!r} appears twice")
            fields.append(TemplateField(name, match.group("text") or ""))
        elif line.startswith(" ") and fields:
            last = fields[-1]
            fields[-1] = TemplateField(last.name, f"{last.text}\n{line}")
        else:
            raise fail(f"line {line.strip()!r} is neither a field '- **Name**: text' nor under one")
    checked = tuple(
        TemplateField(item.name, item.text, _check_placeholders(item.text, known, fail))
        for item in fields
    )
    return EntryTemplate(body[0], checked, source, dict(defaults))


def _check_placeholders(
    text: str, known: frozenset[str] | set[str], fail: Callable[[str], ConfigError]
) -> frozenset[str]:
    names = set()
    for match in _PATTERN.finditer(text):
        if match.group("invalid") is not None:
            start = match.start()  # the '$' itself: the "invalid" group is empty
            raise fail(f"malformed placeholder {text[start : start + 12]!r}; write $$ for '$'")
        name = match.group("named") or match.group("braced")
        if name is None:
            continue  # "$$", an escaped dollar sign
        if name not in known:
            raise fail(f"unknown placeholder ${{{name}}} (known: {', '.join(sorted(known))})")
        names.add(name)
    return frozenset(names)


def _value_of(template: EntryTemplate, values: Mapping[str, str], name: str) -> str:
    value = values.get(name)
    return template.defaults.get(name, "") if value is None else value


def render_heading(template: EntryTemplate, values: Mapping[str, str]) -> str:
    """The entry's heading line; values are markdown-ready and kept on the one line."""
    line = " ".join(_substitute(template.heading, template, values, "").split("\n")).rstrip()
    trailing = re.search(r"(\\*)#$", line)
    if trailing is not None and len(trailing.group(1)) % 2 == 0:
        # A heading's trailing '#' would read as a closing sequence and vanish.
        line = line[:-1] + "\\#"
    return line


def render_fields(template: EntryTemplate, values: Mapping[str, str]) -> tuple[RenderedField, ...]:
    """Every field with all its values, as markdown lines in template order."""
    rendered = []
    for item in template.fields:
        if not all(_value_of(template, values, name).strip() for name in item.placeholders):
            continue
        lines = []
        for number, line in enumerate(f"- **{item.name}**: {item.text}".split("\n")):
            indent = FIELD_INDENT if number == 0 else line[: len(line) - len(line.lstrip())]
            lines.extend(_substitute(line, template, values, indent).split("\n"))
        rendered.append(RenderedField(item.name, tuple(line.rstrip() for line in lines)))
    return tuple(rendered)


def _substitute(line: str, template: EntryTemplate, values: Mapping[str, str], indent: str) -> str:
    """Fill one template line; further lines of a value are indented under it."""
    end = len(line.rstrip())

    def fill(match: re.Match[str]) -> str:
        name = match.group("named") or match.group("braced")
        if name is None:
            return "$"
        value_lines = [
            text.rstrip() for text in _normalise_newlines(_value_of(template, values, name))
        ]
        value_lines = [text for text in value_lines if text.strip()] or [""]
        text = ("\n" + indent).join(value_lines)
        if (
            match.end() == end
            and _LIST_ITEM.match(value_lines[0])
            and line[: match.start()].strip()
        ):
            return "\n" + indent + text  # a list value nests under its field
        return text

    return _PATTERN.sub(fill, line)


def _normalise_newlines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


# --- markdown-ready values -------------------------------------------------------------


def _visible(char: str) -> str:
    """A control or line-separator character as a visible escape (``\\n``, ``\\x00``)."""
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
    if char in named:
        return named[char]
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def _needs_visible(char: str) -> bool:
    # Cc: C0/C1 controls and DEL; Zl/Zp: U+2028/U+2029, which some tools treat as newlines.
    return unicodedata.category(char) in {"Cc", "Zl", "Zp"}


def _make_visible(text: str) -> str:
    return "".join(_visible(char) if _needs_visible(char) else char for char in text)


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
