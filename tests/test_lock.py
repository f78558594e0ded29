"""The task-file lock: one writer at a time, a notice while waiting, a bounded wait."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from covtasks.cli import app
from covtasks.errors import TaskFileError
from covtasks.fileio import LOCK_NAME, locked

HOLDER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from covtasks.fileio import locked
    with locked(Path(sys.argv[1])):
        print("held", flush=True)
        time.sleep(60)
    """
)


@pytest.fixture
def held(tmp_path: Path) -> Iterator[tuple[Path, int]]:
    """A task file path whose lock another process holds, and that process's pid."""
    path = tmp_path / ".ldres" / "tv-tasks.md"
    with subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE, text=True
    ) as process:
        assert process.stdout is not None
        assert process.stdout.readline() == "held\n"
        try:
            yield path, process.pid
        finally:
            process.kill()


def test_a_waiter_is_told_who_holds_the_lock_then_gives_up(held: tuple[Path, int]) -> None:
    path, pid = held
    notices: list[str] = []
    started = time.monotonic()
    with (
        pytest.raises(TaskFileError) as caught,
        locked(path, timeout=0.6, patience=0.2, notify=notices.append),
    ):
        pass  # pragma: no cover - never entered
    assert 0.5 < time.monotonic() - started < 5
    assert notices == [f"waiting for another covtasks (pid {pid})"]
    assert caught.value.message.endswith(
        f"another covtasks (pid {pid}) held the lock for 0.6 s; gave up"
    )


def test_a_wait_shorter_than_the_patience_gives_up_without_a_notice(
    held: tuple[Path, int],
) -> None:
    path, _ = held
    notices: list[str] = []
    with (
        pytest.raises(TaskFileError, match="gave up"),
        locked(path, timeout=0.1, patience=2, notify=notices.append),
    ):
        pass  # pragma: no cover - never entered
    assert notices == []


def test_sync_gives_up_after_the_configured_lock_timeout_with_exit_2(
    held: tuple[Path, int],
) -> None:
    path, pid = held
    root = path.parent.parent
    (root / "pyproject.toml").write_text("[tool.covtasks]\nlock_timeout = 2.5\n")
    (root / "coverage.json").write_text('{"meta": {"format": 3}, "files": {}}')
    result = CliRunner().invoke(app, ["-C", str(root), "sync", "--date", "2026-11-20"])
    assert result.exit_code == 2
    assert result.stderr == (
        f"waiting for another covtasks (pid {pid})\n"
        f"error: {root / '.ldres' / LOCK_NAME}: another covtasks (pid {pid})"
        " held the lock for 2.5 s; gave up\n"
    )


def test_the_lock_file_holds_the_pid_of_its_last_holder(tmp_path: Path) -> None:
    path = tmp_path / "tv-tasks.md"
    with locked(path):
        pass
    assert (tmp_path / LOCK_NAME).read_text() == f"{__import__('os').getpid()}\n"


def test_a_read_only_look_in_a_folder_without_a_lock_file_creates_none(tmp_path: Path) -> None:
    path = tmp_path / "tv-tasks.md"
    with locked(path, create=False):
        pass
    assert list(tmp_path.iterdir()) == []


def test_a_read_only_look_waits_for_a_writer_holding_the_lock(held: tuple[Path, int]) -> None:
    path, _ = held
    with pytest.raises(TaskFileError, match="gave up"), locked(path, create=False, timeout=0.1):
        pass  # pragma: no cover - never entered


def test_a_negative_or_nan_lock_timeout_is_a_config_error(tmp_path: Path) -> None:
    for value in ("-1", "nan", "inf"):
        (tmp_path / "pyproject.toml").write_text(f"[tool.covtasks]\nlock_timeout = {value}\n")
        result = CliRunner().invoke(app, ["-C", str(tmp_path), "report"])
        assert result.exit_code == 2
        assert "'lock_timeout' must be a number of seconds" in result.stderr


def test_the_waiting_notice_goes_to_stderr_by_default(
    held: tuple[Path, int], capsys: pytest.CaptureFixture[str]
) -> None:
    path, pid = held
    with pytest.raises(TaskFileError), locked(path, timeout=0.3, patience=0.1):
        pass  # pragma: no cover - never entered
    assert capsys.readouterr().err == f"waiting for another covtasks (pid {pid})\n"


BARE_HOLDER = textwrap.dedent(
    """
    import sys, time
    from filelock import FileLock
    with FileLock(sys.argv[1]):
        print("held", flush=True)
        time.sleep(60)
    """
)


def test_a_holder_that_recorded_no_pid_is_named_without_one(tmp_path: Path) -> None:
    path = tmp_path / "tv-tasks.md"
    notices: list[str] = []
    with subprocess.Popen(
        [sys.executable, "-c", BARE_HOLDER, str(tmp_path / LOCK_NAME)],
        stdout=subprocess.PIPE,
        text=True,
    ) as process:
        assert process.stdout is not None
        assert process.stdout.readline() == "held\n"
        try:
            with (
                pytest.raises(TaskFileError, match="another covtasks held the lock"),
                locked(path, timeout=0.3, patience=0.1, notify=notices.append),
            ):
                pass  # pragma: no cover - never entered
        finally:
            process.kill()
    assert notices == ["waiting for another covtasks"]


def test_a_lock_path_that_cannot_be_opened_is_a_task_file_error(tmp_path: Path) -> None:
    (tmp_path / LOCK_NAME).mkdir()
    with (
        pytest.raises(TaskFileError, match="cannot take the lock"),
        locked(tmp_path / "tv-tasks.md", timeout=0.5),
    ):
        pass  # pragma: no cover - never entered


def test_a_read_only_look_takes_an_existing_lock_without_rewriting_it(tmp_path: Path) -> None:
    (tmp_path / LOCK_NAME).write_text("12345\n")
    with locked(tmp_path / "tv-tasks.md", create=False):
        pass
    assert (tmp_path / LOCK_NAME).read_text() == "12345\n"
