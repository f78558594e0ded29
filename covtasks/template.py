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

import re
import string
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
        "dependencies",
        "next_steps",
        "git_plan",
        "pr",
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
