"""A progress display for tests that records each piece of work instead of drawing it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from covtasks.progress_display import Advance, Progress


@dataclass
class CountingProgress(Progress):
    """Records each piece of work: what it was, its announced total and the steps it counted."""

    works: list[tuple[str, int, int]] = field(default_factory=list)

    @contextmanager
    def steps(self, total: int, what: str) -> Iterator[Advance]:
        counted = [0]

        def advance() -> None:
            counted[0] += 1

        yield advance
        self.works.append((what, total, counted[0]))
