"""Atomic writes, exact reads, the update lock and the symlink guard, on real files."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from covtasks.errors import TaskFileError
from covtasks.fileio import atomic_write, ensure_inside, locked, read_text


def test_read_text_keeps_crlf_and_missing_final_newline(tmp_path: Path) -> None:
    path = tmp_path / "tasks.md"
    path.write_bytes(b"# Title\r\n\r\nlast line")
    assert read_text(path) == "# Title\r\n\r\nlast line"


def test_read_text_of_a_missing_file_names_it(tmp_path: Path) -> None:
    with pytest.raises(TaskFileError, match="does not exist"):
        read_text(tmp_path / "absent.md")


def test_read_text_of_binary_file_is_an_error_naming_the_byte(tmp_path: Path) -> None:
    path = tmp_path / "tasks.md"
    path.write_bytes(b"ok\n\xff\xfe")
    with pytest.raises(TaskFileError, match="not UTF-8"):
        read_text(path)


def test_read_text_of_a_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(TaskFileError, match="cannot read"):
        read_text(tmp_path)


def test_atomic_write_keeps_permission_bits_and_leaves_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "tasks.md"
    path.write_text("old\n")
    path.chmod(0o640)
    atomic_write(path, "new\r\n")
    assert path.read_bytes() == b"new\r\n"
    assert path.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tasks.md"]


def test_atomic_write_creates_missing_folders_with_umask_mode(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "tasks.md"
    atomic_write(path, "x\n")
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask


def test_atomic_write_failure_removes_the_temporary_and_keeps_the_old_file(
    tmp_path: Path,
) -> None:
    path = tmp_path / "tasks.md"
    path.write_text("old\n")
    with pytest.raises(UnicodeEncodeError):
        atomic_write(path, "bad surrogate \udcff")
    assert path.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tasks.md"]


def test_symlink_inside_the_repository_is_followed(tmp_path: Path) -> None:
    real = tmp_path / "docs" / "tasks.md"
    real.parent.mkdir()
    real.write_text("x")
    link = tmp_path / "tasks.md"
    link.symlink_to(real)
    assert ensure_inside(link, tmp_path) == real.resolve()


def test_symlink_out_of_the_repository_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text("x")
    repo = tmp_path / "repo"
    repo.mkdir()
    link = repo / "tasks.md"
    link.symlink_to(outside)
    with pytest.raises(TaskFileError, match="outside the repository"):
        ensure_inside(link, repo)


def test_lock_makes_a_second_holder_wait(tmp_path: Path) -> None:
    path = tmp_path / "tasks.md"
    order: list[str] = []
    entered = threading.Event()

    def second() -> None:
        entered.wait()
        with locked(path):
            order.append("second")

    worker = threading.Thread(target=second)
    worker.start()
    with locked(path):
        entered.set()
        worker.join(timeout=0.3)
        order.append("first")
    worker.join()
    assert order == ["first", "second"]


WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from covtasks.fileio import atomic_write
    path = Path(sys.argv[1])
    big = "x" * 4_000_000
    index = 0
    print("ready", flush=True)
    while True:
        index += 1
        atomic_write(path, f"version {index}\\n" + big + "\\nend\\n")
    """
)


def test_sigkill_mid_write_leaves_a_whole_old_or_new_file(tmp_path: Path) -> None:
    path = tmp_path / "tasks.md"
    path.write_text("version 0\n" + "x" * 4_000_000 + "\nend\n")
    with subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True
    ) as process:
        assert process.stdout is not None
        assert process.stdout.readline() == "ready\n"
        time.sleep(0.5)  # let several writes happen; where the kill lands does not matter
        process.send_signal(signal.SIGKILL)
        process.wait()
    text = path.read_text()
    assert text.startswith("version ")
    assert text.endswith("x" * 100 + "\nend\n")
    assert len(text.splitlines()) == 3


def test_read_only_lock_on_a_missing_folder_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "absent" / "tasks.md"
    with locked(path, create=False):
        pass
    assert not path.parent.exists()
