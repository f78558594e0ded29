"""Commands write all their files or none: a failure leaves every file byte-identical."""

from __future__ import annotations

import datetime as dt
import errno
import io
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from covtasks.config import load_config
from covtasks.coverage_data import read_coverage
from covtasks.errors import TaskFileError
from covtasks.fileio import stage_file, write_files
from covtasks.tasks_file import SyncOptions, run_sync
from tests.reports import file_entry, write_report

DAY = dt.date(2026, 11, 20)


def failing_on(name: str, code: int = errno.ENOSPC) -> Callable[[Path, str], Path]:
    """A stager that fails for one file name as the OS would (disk full, read-only folder)."""

    def stage(path: Path, text: str) -> Path:
        if path.name == name:
            raise OSError(code, os.strerror(code), str(path))
        return stage_file(path, text)

    return stage


def tree(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.name != ".covtasks.lock"
    }


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text('[tool.covtasks]\ndocs = ["README.md"]\n')
    (tmp_path / "README.md").write_text(
        "# P\n\n<!-- covtasks:scoreboard -->\n<!-- /covtasks:scoreboard -->\n"
    )
    write_report(tmp_path / "coverage.json", {"pkg/a.py": file_entry([1], [2])})
    return tmp_path


def sync(root: Path, stage: Callable[[Path, str], Path] = stage_file) -> int:
    config = load_config(root)
    report = read_coverage(root)
    return run_sync(config, report, DAY, SyncOptions(), io.StringIO(), io.StringIO(), stage=stage)


@pytest.mark.parametrize("name", ["covtasks-history.jsonl", "README.md", "tv-tasks.md"])
@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EACCES, errno.EROFS])
def test_sync_failing_on_any_file_leaves_every_file_byte_identical(
    project: Path, name: str, code: int
) -> None:
    before = tree(project)
    with pytest.raises(TaskFileError, match=os.strerror(code)):
        sync(project, failing_on(name, code))
    assert tree(project) == before


def test_sync_failing_on_an_existing_history_keeps_task_file_and_history(project: Path) -> None:
    sync(project)
    write_report(project / "coverage.json", {"pkg/a.py": file_entry([1, 2], [3])})
    before = tree(project)
    with pytest.raises(TaskFileError, match="No space left on device"):
        sync(project, failing_on("covtasks-history.jsonl"))
    assert tree(project) == before
    assert sync(project) == 0
    assert tree(project) != before


def test_write_files_replaces_every_file_when_all_stage(tmp_path: Path) -> None:
    write_files([(tmp_path / "a", "A"), (tmp_path / "sub" / "b", "B")])
    assert (tmp_path / "a").read_text() == "A"
    assert (tmp_path / "sub" / "b").read_text() == "B"


def test_a_failed_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    (tmp_path / "a").write_text("old")
    with pytest.raises(TaskFileError):
        write_files([(tmp_path / "a", "new"), (tmp_path / "b", "B")], failing_on("b"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a"]
    assert (tmp_path / "a").read_text() == "old"


def test_a_read_only_file_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    (tmp_path / "a").write_text("old")
    (tmp_path / "b").write_text("old")
    (tmp_path / "b").chmod(0o444)
    with pytest.raises(TaskFileError, match="read-only"):
        write_files([(tmp_path / "a", "new"), (tmp_path / "b", "new")])
    assert (tmp_path / "a").read_text() == "old"
    assert (tmp_path / "b").read_text() == "old"


def test_a_read_only_file_is_written_with_force_and_stays_read_only(tmp_path: Path) -> None:
    (tmp_path / "a").write_text("old")
    (tmp_path / "a").chmod(0o444)
    write_files([(tmp_path / "a", "new")], force=True)
    assert (tmp_path / "a").read_text() == "new"
    assert (tmp_path / "a").stat().st_mode & 0o777 == 0o444


def test_owner_and_group_of_a_rewritten_file_are_kept(tmp_path: Path) -> None:
    (tmp_path / "a").write_text("old")
    os.chown(tmp_path / "a", 4321, 8765)
    write_files([(tmp_path / "a", "new")])
    info = (tmp_path / "a").stat()
    assert (info.st_uid, info.st_gid) == (4321, 8765)


def test_breaking_a_hard_link_is_announced(tmp_path: Path) -> None:
    (tmp_path / "a").write_text("old")
    os.link(tmp_path / "a", tmp_path / "twin")
    notes: list[str] = []
    write_files([(tmp_path / "a", "new")], notify=notes.append)
    assert notes == [
        f"note: {tmp_path / 'a'} has 2 hard links; covtasks writes a new file, so"
        " the other names keep the old text"
    ]
    assert (tmp_path / "twin").read_text() == "old"


def test_init_failing_on_the_task_file_leaves_pyproject_as_it_was(tmp_path: Path) -> None:
    from covtasks.init import init_project

    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    before = tree(tmp_path)
    with pytest.raises(TaskFileError, match="Read-only file system"):
        init_project(tmp_path, DAY, 100.0, "tv", failing_on("tv-tasks.md", errno.EROFS))
    assert tree(tmp_path) == before


def test_badges_failing_on_one_picture_write_none(project: Path) -> None:
    from covtasks.badges import write_badges

    report = read_coverage(project)
    with pytest.raises(TaskFileError, match="Permission denied"):
        write_badges(
            project / "badges",
            report,
            (),
            None,
            ((90.0, "green"),),
            DAY,
            failing_on("trend.svg", errno.EACCES),
        )
    assert not (project / "badges").exists() or list((project / "badges").iterdir()) == []


def test_sync_removes_temporary_files_a_killed_sync_left(project: Path) -> None:
    (project / ".ldres").mkdir()
    stale = project / ".ldres" / ".tv-tasks.md.k1ll3d00.tmp"
    stale.write_text("half a file")
    other = project / ".ldres" / "notes.tmp"
    other.write_text("not ours")
    assert sync(project) == 0
    assert not stale.exists()
    assert other.exists()


def test_init_keeps_a_crlf_pyproject_crlf(tmp_path: Path) -> None:
    from covtasks.init import init_project

    (tmp_path / "pyproject.toml").write_bytes(b"[project]\r\nname = 'x'\r\n")
    init_project(tmp_path, DAY, 100.0, "tv")
    data = (tmp_path / "pyproject.toml").read_bytes()
    assert b"[tool.covtasks]" in data
    assert b"\n" not in data.replace(b"\r\n", b"")
