"""An entry's Size and ID, from the module's gap and path (Priority: covtasks.priority).

Size counts the testable gap: missing lines plus missing branches, leaving out lines that
are type-only, platform- or version-specific, need an optional dependency, are unreachable
or a ``__main__`` guard (the same on every machine); it then names what it left out.
XS up to 3, S up to 15, M up to 50, L above 50.

The ID is ``<prefix>-<YYYY-MM-DD>:cov-<slug>``, the slug being the shortest tail of the
module path that no other measured module shares, in lowercase ASCII letters, digits and
hyphens, without its ``.py`` suffix (``pkg/gappy.py`` → ``gappy``; beside
``other/gappy.py``, ``pkg-gappy``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping

SIZE_LIMITS: tuple[tuple[int, str], ...] = ((3, "XS"), (15, "S"), (50, "M"))
LARGEST_SIZE = "L"

SIZE_SENTENCE = (
    "Size counts missing lines plus missing branches that are test work (not type-only, "
    "platform, version, optional-dependency, unreachable or `__main__` lines): XS up to 3, "
    "S up to 15, M up to 50, L above 50."
)
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def size_for(missing_lines: int, missing_branches: int) -> str:
    """XS, S, M or L for a gap of ``missing_lines + missing_branches``."""
    gap = missing_lines + missing_branches
    for limit, size in SIZE_LIMITS:
        if gap <= limit:
            return size
    return LARGEST_SIZE


def size_text(testable_gap: int, set_aside: Mapping[str, int]) -> str:
    """The Size field: ``S``, then the lines it leaves out by kind (platform, type-only, ...)."""
    size = size_for(testable_gap, 0) if testable_gap else "none to test here"
    if not set_aside:
        return size
    aside = ", ".join(f"{count} {kind}" for kind, count in sorted(set_aside.items()))
    return f"{size} (set aside: {aside} lines)"


def slug(path: str) -> str:
    """A stable lowercase ``[a-z0-9-]`` name for a path: ``pkg/gappy.py`` → ``pkg-gappy``."""
    stem = path.removesuffix(".py")
    ascii_text = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    text = _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")
    if text:
        return text
    # Nothing ASCII survives (a path in another script): a digest keeps distinct paths distinct.
    return "module-" + hashlib.sha256(path.encode("utf-8")).hexdigest()[:8]


def short_slugs(paths: Iterable[str]) -> dict[str, str]:
    """Each path's slug from the shortest tail of it no other path shares.

    ``pkg/data/bundestag_qwen15b_lora_mps/preparer.py`` beside other ``preparer.py`` files
    gives ``bundestag-qwen15b-lora-mps-preparer``; a path with no unique tail keeps its
    whole slug.
    """
    tails: dict[str, list[str]] = {}
    shared: Counter[str] = Counter()
    for path in paths:
        parts = path.removesuffix(".py").split("/")
        slugs = [slug("/".join(parts[-size:])) for size in range(1, len(parts) + 1)]
        tails[path] = slugs
        shared.update(set(slugs))
    return {
        path: next((tail for tail in slugs if shared[tail] == 1), slugs[-1])
        for path, slugs in tails.items()
    }


def entry_id(prefix: str, date: dt.date, module_slug: str) -> str:
    """``<prefix>-<YYYY-MM-DD>:cov-<slug>``, the ID a new entry starts with (and keeps: an
    ID once written is never rewritten)."""
    return f"{prefix}-{date.isoformat()}:cov-{module_slug}"
