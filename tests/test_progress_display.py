"""Progress of long work: on a terminal after a second, never on a pipe or in CI, rich lazily."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from covtasks.cli import app
from covtasks.config import load_config
from covtasks.coverage_data import read_coverage
from covtasks.progress_display import (
    REDRAW_EVERY_SECONDS,
    SHOW_AFTER_SECONDS,
    TerminalProgress,
)
from covtasks.tasks_file import SyncOptions, run_sync
from tests.progress_recorder import CountingProgress
from tests.sample import SampleProject, make_project

HIDE_CURSOR = "\x1b[?25l"
SHOW_CURSOR = "\x1b[?25h"
REDRAW = "\r\x1b[2K"
DAY = dt.date(2026, 11, 30)


class FakeClock:
    """A clock that moves only when the test says so."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def terminal(
    stream: io.StringIO, clock: FakeClock, environ: dict[str, str] | None = None
) -> TerminalProgress:
    return TerminalProgress(stream, lambda: True, environ or {}, clock)


def work(progress: TerminalProgress, clock: FakeClock, steps: int, seconds_each: float) -> None:
    with progress.steps(steps, "Analysing coverage") as advance:
        for _ in range(steps):
            clock.now += seconds_each
            advance()


def test_progress_on_a_terminal_appears_once_the_work_passes_a_second_with_the_steps_done() -> None:
    stream, clock = io.StringIO(), FakeClock()
    work(terminal(stream, clock), clock, steps=10, seconds_each=0.3)
    shown = stream.getvalue()
    assert shown.startswith(HIDE_CURSOR + "Analysing coverage")
    # Drawn first at the fourth step (1.2 s), never before, then up to the last.
    assert re.findall(r"\b(\d+)/10\b", shown)[0] == "4"
    assert "10/10" in shown


def test_progress_on_a_terminal_is_taken_down_when_the_work_ends() -> None:
    stream, clock = io.StringIO(), FakeClock()
    work(terminal(stream, clock), clock, steps=10, seconds_each=0.3)
    # transient: the cursor comes back and the bar's line is cleared for the output after it.
    assert stream.getvalue().endswith(SHOW_CURSOR + "\r\x1b[1A\x1b[2K")


def test_progress_for_work_shorter_than_the_delay_draws_nothing() -> None:
    stream, clock = io.StringIO(), FakeClock()
    work(terminal(stream, clock), clock, steps=9, seconds_each=SHOW_AFTER_SECONDS / 10)
    assert stream.getvalue() == ""


def test_progress_on_a_pipe_draws_nothing_however_long_the_work() -> None:
    stream, clock = io.StringIO(), FakeClock()
    work(TerminalProgress(stream, lambda: False, {}, clock), clock, steps=10, seconds_each=5)
    assert stream.getvalue() == ""


@pytest.mark.parametrize("value", ["true", "1", "yes"])
def test_progress_in_ci_draws_nothing_even_on_a_terminal(value: str) -> None:
    stream, clock = io.StringIO(), FakeClock()
    work(terminal(stream, clock, {"CI": value}), clock, steps=10, seconds_each=5)
    assert stream.getvalue() == ""


def test_progress_on_a_dumb_terminal_draws_nothing() -> None:
    stream, clock = io.StringIO(), FakeClock()
    work(terminal(stream, clock, {"TERM": "dumb"}), clock, steps=10, seconds_each=5)
    assert stream.getvalue() == ""


def test_progress_with_ci_set_empty_is_drawn_on_a_terminal() -> None:
    stream, clock = io.StringIO(), FakeClock()
    work(terminal(stream, clock, {"CI": ""}), clock, steps=10, seconds_each=0.3)
    assert "10/10" in stream.getvalue()


def test_progress_of_no_steps_draws_nothing() -> None:
    stream, clock = io.StringIO(), FakeClock()
    with terminal(stream, clock).steps(0, "Analysing coverage"):
        clock.now += 10
    assert stream.getvalue() == ""


def test_progress_redraws_at_most_once_a_tenth_of_a_second_and_at_the_last_step() -> None:
    stream, clock = io.StringIO(), FakeClock()
    # 3 s of work in 300 steps of 10 ms: drawn at 1 s, then every 0.1 s until the end.
    work(terminal(stream, clock), clock, steps=300, seconds_each=0.01)
    shown = stream.getvalue()
    redraws = shown.count(REDRAW)
    expected = round((3 - SHOW_AFTER_SECONDS) / REDRAW_EVERY_SECONDS)
    assert expected - 1 <= redraws <= expected + 2
    assert "300/300" in shown


def test_progress_is_taken_down_and_the_cursor_restored_when_the_work_fails() -> None:
    stream, clock = io.StringIO(), FakeClock()
    progress = terminal(stream, clock)

    def failing_work() -> None:
        with progress.steps(5, "Analysing coverage") as advance:
            clock.now += 2
            advance()
            raise ValueError("broken")

    with pytest.raises(ValueError, match="broken"):
        failing_work()
    assert "1/5" in stream.getvalue()
    assert SHOW_CURSOR in stream.getvalue()


def test_output_printed_while_the_bar_is_shown_stays_on_stdout(
    capsys: pytest.CaptureFixture[str],
) -> None:
    stream, clock = io.StringIO(), FakeClock()
    with terminal(stream, clock).steps(3, "Analysing coverage") as advance:
        clock.now += 2
        advance()
        print("pkg/a.py 50.00%")
    assert capsys.readouterr().out == "pkg/a.py 50.00%\n"
    assert "pkg/a.py" not in stream.getvalue()


def test_work_that_ends_within_the_delay_on_a_terminal_never_imports_rich(tmp_path: Path) -> None:
    code = (
        "import io, sys\n"
        "from covtasks.progress_display import TerminalProgress\n"
        "progress = TerminalProgress(io.StringIO(), lambda: True, {})\n"
        "with progress.steps(3, 'work') as advance:\n"
        "    for _ in range(3):\n"
        "        advance()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'rich'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path
    )
    assert done.stdout == "[]\n"


def many_modules(root: Path, count: int) -> SampleProject:
    files = {"pkg/__init__.py": ""}
    for index in range(count):
        files[f"pkg/mod{index}.py"] = "def f(flag):\n    if flag:\n        return 1\n    return 2\n"
    project = make_project(root, files)
    calls = "".join(f"pkg.mod{index}.f(True)\n" for index in range(count))
    imports = "".join(f"import pkg.mod{index}\n" for index in range(count))
    project.measure(imports + calls)
    return project


def test_reading_sqlite_data_counts_one_step_per_module_analysed(tmp_path: Path) -> None:
    project = many_modules(tmp_path, 4)
    progress = CountingProgress()
    report = read_coverage(project.root, progress=progress)
    assert progress.works == [("Analysing coverage", 5, 5)]
    assert len(report.modules) == 5


def test_sync_counts_each_gap_once_for_its_notes_and_once_for_its_entry(tmp_path: Path) -> None:
    project = many_modules(tmp_path, 4)
    config = load_config(project.root)
    report = read_coverage(project.root)
    progress = CountingProgress()
    code = run_sync(
        config, report, DAY, SyncOptions(), io.StringIO(), io.StringIO(), progress=progress
    )
    assert code == 0
    assert progress.works == [("Working out notes", 4, 4), ("Writing entries", 4, 4)]


def test_a_second_sync_counts_the_entries_it_already_holds(tmp_path: Path) -> None:
    project = many_modules(tmp_path, 3)
    config = load_config(project.root)
    report = read_coverage(project.root)
    run_sync(config, report, DAY, SyncOptions(), io.StringIO(), io.StringIO())
    progress = CountingProgress()
    run_sync(config, report, DAY, SyncOptions(), io.StringIO(), io.StringIO(), progress=progress)
    assert progress.works == [("Working out notes", 3, 3), ("Writing entries", 3, 3)]


def test_sync_and_report_through_the_command_line_on_a_pipe_write_no_progress(
    tmp_path: Path,
) -> None:
    project = many_modules(tmp_path, 3)
    runner = CliRunner()
    report = runner.invoke(app, ["-C", str(project.root), "report"])
    sync = runner.invoke(app, ["-C", str(project.root), "sync", "--date", "2026-11-30"])
    assert (report.exit_code, sync.exit_code) == (0, 0)
    assert report.stderr == ""
    assert sync.stderr == ".ldres/tv-tasks.md: 3 created, 0 updated, 0 completed, 0 regressed\n"
