"""Counting the cycle collector's runs during a piece of work, for the tests of its pauses."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collections_seen(threshold: int = 10) -> Iterator[list[int]]:
    """The generations collected inside, with the collector set to run every few objects."""
    seen: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            seen.append(info["generation"])

    before = gc.get_threshold()
    gc.callbacks.append(count)
    gc.set_threshold(threshold)
    try:
        yield seen
    finally:
        gc.set_threshold(*before)
        gc.callbacks.remove(count)
