"""The committed list of accepted equivalent mutants, each with a reason a reviewer can check."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass

from mutation.mutants import MutantKey

HEADER = """\
# Mutants that no test can kill because the mutated program behaves the same.
# `make mutate` leaves them out of the score; every other survivor counts against it.
# One [[equivalent]] per mutant: module, cosmic-ray operator, the stripped source line,
# which such mutation of that line it is (index, from 0), and a one-line reason.
# At most 10% of a module's mutants may be listed here.
"""
MAX_SHARE = 0.10
_FIELDS = ("module", "operator", "line", "index", "reason")


@dataclass(frozen=True)
class Equivalent:
    """An accepted equivalent mutant and why it is equivalent."""

    key: MutantKey
    reason: str


def parse_equivalents(text: str, source: str) -> dict[MutantKey, Equivalent]:
    """Read the file; raise ValueError naming the entry and its problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"{source}: {error}") from error
    result: dict[MutantKey, Equivalent] = {}
    for number, item in enumerate(data.get("equivalent", []), start=1):
        where = f"{source}: equivalent #{number}"
        missing = [name for name in _FIELDS if name not in item]
        if missing:
            raise ValueError(f"{where}: missing {missing[0]!r}")
        unknown = sorted(set(item) - set(_FIELDS))
        if unknown:
            raise ValueError(f"{where}: unknown key {unknown[0]!r}")
        index = item["index"]
        if not isinstance(index, int) or isinstance(index, bool) or index < 0:
            raise ValueError(f"{where}: index must be a whole number >= 0")
        texts = [item[name] for name in ("module", "operator", "line", "reason")]
        if not all(isinstance(value, str) and value.strip() for value in texts):
            raise ValueError(f"{where}: module, operator, line and reason must be text")
        reason = item["reason"]
        if "\n" in reason:
            raise ValueError(f"{where}: the reason must be one line")
        key = MutantKey(item["module"], item["operator"], item["line"], index)
        if key in result:
            raise ValueError(f"{where}: the same mutant is listed twice")
        result[key] = Equivalent(key, reason.strip())
    return result


def format_equivalent(key: MutantKey, reason: str) -> str:
    """One entry as TOML, for pasting a reviewed survivor into the file."""
    return (
        "[[equivalent]]\n"
        f"module = {_quote(key.module)}\n"
        f"operator = {_quote(key.operator)}\n"
        f"line = {_quote(key.line)}\n"
        f"index = {key.index}\n"
        f"reason = {_quote(reason)}\n"
    )


def _quote(text: str) -> str:
    # TOML basic strings take JSON-style escapes for the characters that need them.
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def for_module(equivalents: Iterable[Equivalent], module: str) -> list[Equivalent]:
    """The recorded equivalents of one module."""
    return [item for item in equivalents if item.key.module == module]
