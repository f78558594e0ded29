"""covtasks' hidden entry markers: one HTML comment line of percent-encoded attributes."""

from __future__ import annotations

import re
from collections.abc import Mapping

from covtasks.errors import TaskFileError

MARKER_PREFIX = "<!-- covtasks:entry"

_ATTR = re.compile(r'\s+(?P<key>[A-Za-z_][A-Za-z0-9_.-]*)="(?P<value>[^"]*)"')
_KEY = re.compile(r"[A-Za-z_](?:[A-Za-z0-9_.]|-(?!-))*")
_ESCAPE = re.compile(r"%(?P<hex>[0-9A-Fa-f]{2})?")
_ALL_PLAIN = re.compile(r"[A-Za-z0-9/._~:@+,=-]*")
_PLAIN = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/._~:@+,=")


def format_marker(attrs: Mapping[str, str]) -> str:
    """One HTML comment line holding attrs in their given order, values percent-encoded.

    Encoding everything but a few plain characters means no value can hold a quote, a
    line break, ``>`` or ``--``, so no value can end the comment or the attribute.
    """
    parts = [MARKER_PREFIX]
    for key, value in attrs.items():
        if not _KEY.fullmatch(key):
            raise ValueError(f"marker attribute name {key!r} is not a plain name")
        parts.append(f'{key}="{_encode(value)}"')
    return " ".join([*parts, "-->"])


def parse_marker(line: str) -> dict[str, str] | None:
    """The attributes of a covtasks marker line, None for any other line.

    A line that starts like a marker but is malformed raises TaskFileError naming the
    problem; the caller adds the file and line.
    """
    text = line.strip(" \t\r\n")
    rest = text.removeprefix(MARKER_PREFIX)
    if rest == text or not rest.startswith((" ", "\t", "-->")):
        return None
    if not rest.endswith("-->"):
        raise TaskFileError("covtasks marker does not end with --> on its own line")
    body = rest.removesuffix("-->").rstrip(" \t")
    attrs: dict[str, str] = {}
    position = 0
    while position < len(body):
        match = _ATTR.match(body, position)
        if match is None:
            raise TaskFileError(f"covtasks marker has unreadable text {body[position:].strip()!r}")
        key = match.group("key")
        if key in attrs:
            raise TaskFileError(f"covtasks marker repeats the attribute {key!r}")
        attrs[key] = _decode(match.group("value"), key)
        position = match.end()
    return attrs


def _encode(value: str) -> str:
    # A lone "-" stays readable (dates, slugs); one that follows "-" is escaped, so no value
    # can hold "--", which HTML forbids inside a comment.
    if _ALL_PLAIN.fullmatch(value) and "--" not in value:
        return value  # most values: nothing to escape
    encoded = []
    previous = ""
    for char in value:
        plain = char in _PLAIN or (char == "-" and previous != "-")
        encoded.append(char if plain else "".join(f"%{byte:02X}" for byte in char.encode()))
        previous = char
    return "".join(encoded)


def _decode(value: str, key: str) -> str:
    # Escapes stand for UTF-8 bytes; text a person typed unescaped (non-ASCII too) is kept.
    if "%" not in value:
        return value  # most values: nothing escaped
    data = bytearray()
    position = 0
    for match in _ESCAPE.finditer(value):
        if match.group("hex") is None:
            raise TaskFileError(f"covtasks marker attribute {key!r} has a stray %")
        data += value[position : match.start()].encode()
        data.append(int(match.group("hex"), 16))
        position = match.end()
    data += value[position:].encode()
    try:
        return data.decode()
    except UnicodeDecodeError as error:
        raise TaskFileError(f"covtasks marker attribute {key!r} is not UTF-8") from error
