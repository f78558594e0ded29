"""The paused cycle collector: nothing collected inside, left as it was found."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from covtasks.collector import collector_paused
from tests.collections_seen import collections_seen


@contextmanager
def collector_state(enabled: bool) -> Iterator[None]:
    """The collector on or off for a test, as it was before afterwards."""
    was = gc.isenabled()
    gc.enable() if enabled else gc.disable()
    try:
        yield
    finally:
        gc.enable() if was else gc.disable()


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_off_inside_a_pause_and_as_found_after_it(enabled: bool) -> None:
    with collector_state(enabled):
        with collector_paused():
            assert not gc.isenabled()
        assert gc.isenabled() is enabled


def test_work_that_raises_in_a_pause_leaves_the_collector_running() -> None:
    with collector_state(True):
        with pytest.raises(ValueError, match="bad input"), collector_paused():
            raise ValueError("bad input")
        assert gc.isenabled()


def test_no_collection_runs_inside_a_pause_that_makes_thousands_of_objects() -> None:
    with collector_state(True), collections_seen() as seen:
        with collector_paused():
            made = [[number] for number in range(10_000)]
        during = len(seen)
        del made
        [[number] for number in range(10_000)]
    # At most the ones the first objects made on the way in and out set off.
    assert during <= 2
    assert len(seen) - during > 100  # the same work with the collector running


@collector_paused()
def _nested_lists(count: int) -> int:
    return len([[number] for number in range(count)])


def test_a_paused_function_runs_no_collection_and_resumes_the_collector() -> None:
    with collector_state(True), collections_seen() as seen:
        assert _nested_lists(10_000) == 10_000
        assert gc.isenabled()
    # At most the ones the first objects made on the way in and out set off.
    assert len(seen) <= 2
