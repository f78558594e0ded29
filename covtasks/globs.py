"""Gitignore-style globs for milestones and owners: plain ones matched here, the rest by pathspec.

pathspec reads every gitignore pattern, but importing it costs a short command (``covtasks
report``) several milliseconds, most of it probing for faster regex engines. The globs
people write for milestones and owners are mostly plain: names, ``*`` and ``**`` segments.
Those are turned into regular expressions here, matching what pathspec matches (a property
test holds the two equal); a list holding any other pattern (``!`` negation, ``?``,
brackets, escapes, a trailing ``/``, spaces…) is left to pathspec whole.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathspec import PathSpec

# Names, dots, dashes and ``*``: no character gitignore gives another meaning.
_PLAIN = re.compile(r"/?[A-Za-z0-9_.*-]+(?:/[A-Za-z0-9_.*-]+)*")


class Globs:
    """Gitignore-style patterns in order: which is the last one to match a path."""

    def __init__(self, patterns: Sequence[str]) -> None:
        compiled = [_plain_regex(pattern) for pattern in patterns]
        self._regexes = [regex for regex in compiled if regex is not None]
        self._spec: PathSpec[Any] | None = None
        self.plain = len(self._regexes) == len(compiled)  # matched without pathspec
        if not self.plain:
            from pathspec import PathSpec

            self._spec = PathSpec.from_lines("gitignore", patterns)

    def last_match(self, path: str) -> int | None:
        """The index of the pattern that decides ``path`` when it includes it, else None.

        As in a ``.gitignore``, the last matching pattern decides: ``!`` excludes again.
        """
        if self._spec is not None:
            found = self._spec.check_file(path)
            return found.index if found.include else None
        path = _normal(path)
        for index in range(len(self._regexes) - 1, -1, -1):
            if self._regexes[index].match(path):
                return index
        return None

    def matches(self, path: str) -> bool:
        """Whether the patterns include ``path``."""
        return self.last_match(path) is not None


def _normal(path: str) -> str:
    """The path as pathspec matches it: "/" separators, no leading "/" or "./"."""
    path = path.replace(os.sep, "/")  # Windows' "\\"; nothing elsewhere
    if path.startswith("/"):
        return path[1:]
    return path.removeprefix("./")


def _plain_regex(pattern: str) -> re.Pattern[str] | None:
    """The regular expression of a plain pattern; None for one left to pathspec."""
    if not _PLAIN.fullmatch(pattern):
        return None
    segments = pattern.removeprefix("/").split("/")
    if any("**" in segment and segment != "**" for segment in segments):
        return None  # "a**b" reads as "a*b" in gitignore; rare enough to leave to pathspec
    # A pattern with a "/" before its end is anchored at the root; any other matches at
    # any depth, as if it started with "**/".
    if len(segments) == 1 and not pattern.startswith("/") and segments[0] != "**":
        segments.insert(0, "**")
    folded = [
        s for i, s in enumerate(segments) if not (s == "**" and segments[i - 1 : i] == ["**"])
    ]
    if folded in (["**"], ["**", "*"], ["**", "*", "**"]):
        return None  # patterns matching nearly everything: pathspec's special cases
    parts = ["^"]
    last = len(folded) - 1
    for index, segment in enumerate(folded):
        if segment == "**":
            parts.append("(?:.+/)?" if index == 0 else "/" if index == last else "(?:/.+)?")
            continue
        if index > 0 and not (index == 1 and folded[0] == "**"):
            parts.append("/")
        if segment == "*":
            parts.append("[^/]+")
        else:
            parts.append("".join("[^/]*" if char == "*" else re.escape(char) for char in segment))
        if index == last:
            # A name matches a folder too, with everything in it; a lone "*" matches one level.
            parts.append("/?$" if segment == "*" else "(?:/|$)")
    return re.compile("".join(parts))
