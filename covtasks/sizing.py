"""An entry's Size, Priority and ID, from the module's gap, milestone and path.

Size counts the gap as missing lines plus missing branches:
XS up to 3, S up to 15, M up to 50, L above 50.

Priority puts earlier milestones first, then larger gaps: a module of the first milestone
is P0 when its gap is large (20 or more missing lines plus branches) and P1 otherwise; the
second milestone gives P1/P2, later milestones P2/P3, and a module in no milestone (while
milestones are configured) is P3. Without milestones a large gap is P1, a smaller one P2.

The ID is ``<prefix>-<YYYY-MM-DD>:cov-<slug>``, the slug being the module path in lowercase
ASCII letters, digits and hyphens, without its ``.py`` suffix (``pkg/gappy.py`` →
``pkg-gappy``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata

SIZE_LIMITS: tuple[tuple[int, str], ...] = ((3, "XS"), (15, "S"), (50, "M"))
LARGEST_SIZE = "L"
LARGE_GAP = 20
PRIORITIES = ("P0", "P1", "P2", "P3")

SIZE_SENTENCE = (
    "Size counts missing lines plus missing branches: XS up to 3, S up to 15, M up to 50, "
    "L above 50."
)
PRIORITY_SENTENCE = (
    "Priority follows milestone order, then gap size: the first milestone's modules are P0 "
    f"with {LARGE_GAP} or more missing lines plus branches and P1 otherwise, the second "
    "milestone's P1/P2, later milestones' P2/P3, modules in no milestone P3; without "
    "milestones a large gap is P1 and a smaller one P2. A stochastic or hardware-sensitive "
    "module comes one step later."
)

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def size_for(missing_lines: int, missing_branches: int) -> str:
    """XS, S, M or L for a gap of ``missing_lines + missing_branches``."""
    gap = missing_lines + missing_branches
    for limit, size in SIZE_LIMITS:
        if gap <= limit:
            return size
    return LARGEST_SIZE


def priority_for(
    milestone_index: int | None, milestone_count: int, gap: int, deterministic: bool = True
) -> str:
    """P0–P3: earlier milestones first, then larger gaps (``gap`` = missing lines + branches).

    A stochastic or hardware-sensitive module comes one step later: the deterministic core
    is covered first, as the roadmap does it.
    """
    if milestone_count == 0:
        tier = 1
    elif milestone_index is None:
        tier = 3
    else:
        tier = min(milestone_index, 2)
    small_gap_step = 0 if gap >= LARGE_GAP else 1
    later = 0 if deterministic else 1
    return PRIORITIES[min(tier + small_gap_step + later, len(PRIORITIES) - 1)]


def slug(path: str) -> str:
    """A stable lowercase ``[a-z0-9-]`` name for a path: ``pkg/gappy.py`` → ``pkg-gappy``."""
    stem = path.removesuffix(".py")
    ascii_text = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    text = _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")
    if text:
        return text
    # Nothing ASCII survives (a path in another script): a digest keeps distinct paths distinct.
    return "module-" + hashlib.sha256(path.encode("utf-8")).hexdigest()[:8]


def entry_id(prefix: str, date: dt.date, path: str) -> str:
    """``<prefix>-<YYYY-MM-DD>:cov-<slug>``, the ID a new entry starts with."""
    return f"{prefix}-{date.isoformat()}:cov-{slug(path)}"
