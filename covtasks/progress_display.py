"""Progress of long work on stderr: drawn on a terminal after a second, never on a pipe or in CI."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from rich.progress import Progress as RichProgress

# Work that ends sooner shows nothing: a bar that flashes for a moment is noise.
SHOW_AFTER_SECONDS = 1.0
# Redrawing on every module would cost more than the work on small modules.
REDRAW_EVERY_SECONDS = 0.1

Advance = Callable[[], None]


def _nothing() -> None:
    pass


class Progress:
    """Counts the steps of long work and shows nothing: the core's default, and a pipe's."""

    @contextmanager
    def steps(self, total: int, what: str) -> Iterator[Advance]:
        """A context in which each call of the yielded function marks one step done."""
        yield _nothing


NO_PROGRESS = Progress()


def shown_in(environ: Mapping[str, str], is_terminal: Callable[[], bool]) -> bool:
    """Whether progress may be drawn: on a terminal that can redraw a line (not TERM=dumb),
    and not in a CI log (CI set, as every CI service sets it), where redrawn lines pile up
    as noise."""
    return not environ.get("CI") and environ.get("TERM") != "dumb" and is_terminal()


class TerminalProgress(Progress):
    """Draws rich's progress bar on ``stream`` for work that lasts past ``delay`` seconds.

    ``is_terminal`` and ``clock`` are the seams: the command line passes the stream's
    ``isatty`` and a monotonic clock. rich is imported only when a bar is drawn, so a
    command that finishes within the delay never loads it. (A plain class, not a dataclass:
    every command imports this module, and a dataclass costs more to define than the rest.)
    """

    def __init__(
        self,
        stream: IO[str],
        is_terminal: Callable[[], bool],
        environ: Mapping[str, str],
        clock: Callable[[], float] = time.monotonic,
        delay: float = SHOW_AFTER_SECONDS,
    ) -> None:
        self.stream = stream
        self.is_terminal = is_terminal
        self.environ = environ
        self.clock = clock
        self.delay = delay

    @contextmanager
    def steps(self, total: int, what: str) -> Iterator[Advance]:
        if total <= 0 or not shown_in(self.environ, self.is_terminal):
            yield _nothing
            return
        bar = _Bar(self, total, what, self.clock())
        try:
            yield bar.advance
        finally:
            bar.close()


class _Bar:
    """One piece of work's count, and the rich display once the delay has passed."""

    def __init__(self, owner: TerminalProgress, total: int, what: str, started: float) -> None:
        self.owner = owner
        self.total = total
        self.what = what
        self.started = started
        self.done = 0
        self.drawn_at = 0.0
        self.display: RichProgress | None = None

    def advance(self) -> None:
        self.done += 1
        now = self.owner.clock()
        if self.display is None:
            if now - self.started >= self.owner.delay:
                self.display = self._open()  # drawn at once, with the steps done so far
                self.drawn_at = now
        elif now - self.drawn_at >= REDRAW_EVERY_SECONDS or self.done >= self.total:
            self._draw(now)

    def _open(self) -> RichProgress:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
        )

        # The caller has judged the stream a terminal; rich is told so rather than asked.
        console = Console(file=self.owner.stream, force_terminal=True)
        display = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=console,
            transient=True,  # the bar goes when the work ends; the command's output stays
            auto_refresh=False,  # no drawing thread: each draw happens here, on our clock
            redirect_stdout=False,  # the command's output stays on stdout, never under the bar
            get_time=self.owner.clock,
        )
        display.add_task(self.what, total=self.total, completed=self.done)
        display.start()
        return display

    def _draw(self, now: float) -> None:
        assert self.display is not None
        self.display.update(self.display.task_ids[0], completed=self.done)
        self.display.refresh()
        self.drawn_at = now

    def close(self) -> None:
        if self.display is not None:
            self.display.stop()
