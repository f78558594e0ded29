"""The cycle collector paused around work that makes many objects and no reference cycles."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cycle collection inside; the collector as it was found once done.

    A parsed report or syntax tree is millions of objects with no cycles, freed by their
    reference counts: the collector finds nothing there, yet each full pass scans them all.
    As a decorator it resumes after the function returned: its frame's objects are freed
    first, so none is left for the collector to scan.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
