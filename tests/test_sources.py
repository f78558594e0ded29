"""Reading measured modules' source: only inside the project root, only regular files, capped."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from covtasks.sources import ProjectSources


@pytest.fixture
def layout(tmp_path: Path) -> tuple[Path, Path]:
    """A project folder and, beside it, a folder with a secret the project must never read."""
    root = tmp_path / "project"
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "mod.py").write_text("x = 1\n", encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.py").write_text('PASSWORD = "hunter2"\n', encoding="utf-8")
    return root, outside


def test_a_module_inside_the_root_is_read(layout: tuple[Path, Path]) -> None:
    root, _ = layout
    sources = ProjectSources(root)
    assert sources.contains("pkg/mod.py")
    assert sources.read_text("pkg/mod.py") == "x = 1\n"


def test_a_relative_path_climbing_out_of_the_root_is_never_read(
    layout: tuple[Path, Path],
) -> None:
    root, _ = layout
    sources = ProjectSources(root)
    assert not sources.contains("../outside/secret.py")
    assert sources.read_text("../outside/secret.py") is None


def test_an_absolute_path_outside_the_root_is_never_read(layout: tuple[Path, Path]) -> None:
    root, outside = layout
    sources = ProjectSources(root)
    secret = str(outside / "secret.py")
    assert not sources.contains(secret)
    assert sources.read_bytes(secret) is None


def test_an_absolute_path_inside_the_root_is_read(layout: tuple[Path, Path]) -> None:
    root, _ = layout
    assert ProjectSources(root).read_text(str(root / "pkg" / "mod.py")) == "x = 1\n"


def test_a_symlink_inside_the_root_pointing_outside_is_never_followed(
    layout: tuple[Path, Path],
) -> None:
    root, outside = layout
    (root / "pkg" / "link.py").symlink_to(outside / "secret.py")
    sources = ProjectSources(root)
    assert not sources.contains("pkg/link.py")
    assert sources.read_text("pkg/link.py") is None


def test_a_fifo_inside_the_root_is_not_read_and_does_not_hang(
    layout: tuple[Path, Path],
) -> None:
    root, _ = layout
    os.mkfifo(root / "pkg" / "pipe.py")
    started = time.monotonic()
    assert ProjectSources(root).read_text("pkg/pipe.py") is None
    assert time.monotonic() - started < 5


def test_a_symlink_to_a_device_is_not_read(layout: tuple[Path, Path]) -> None:
    root, _ = layout
    (root / "pkg" / "zero.py").symlink_to("/dev/zero")
    assert ProjectSources(root).read_bytes("pkg/zero.py") is None


def test_a_file_above_the_size_cap_is_not_read(layout: tuple[Path, Path]) -> None:
    root, _ = layout
    (root / "pkg" / "big.py").write_text("#" * 101, encoding="utf-8")
    (root / "pkg" / "edge.py").write_text("#" * 100, encoding="utf-8")
    sources = ProjectSources(root, limit=100)
    assert sources.read_bytes("pkg/big.py") is None
    assert sources.read_bytes("pkg/edge.py") == b"#" * 100


def test_a_path_with_a_nul_byte_is_neither_inside_nor_read(layout: tuple[Path, Path]) -> None:
    root, _ = layout
    sources = ProjectSources(root)
    assert not sources.contains("pkg/mod.py\x00.txt")
    assert sources.read_text("pkg/mod.py\x00.txt") is None


def test_a_missing_file_or_a_folder_reads_as_none(layout: tuple[Path, Path]) -> None:
    root, _ = layout
    sources = ProjectSources(root)
    assert sources.contains("pkg/gone.py")
    assert sources.read_text("pkg/gone.py") is None
    assert sources.read_text("pkg") is None


def test_source_that_is_not_utf8_reads_as_none_as_text_but_keeps_its_bytes(
    layout: tuple[Path, Path],
) -> None:
    root, _ = layout
    (root / "pkg" / "latin.py").write_bytes(b"x = '\xe9'\n")
    sources = ProjectSources(root)
    assert sources.read_text("pkg/latin.py") is None
    assert sources.read_bytes("pkg/latin.py") == b"x = '\xe9'\n"


def test_a_symlink_loop_is_outside_and_not_read(layout: tuple[Path, Path]) -> None:
    root, _ = layout
    (root / "pkg" / "a.py").symlink_to(root / "pkg" / "b.py")
    (root / "pkg" / "b.py").symlink_to(root / "pkg" / "a.py")
    sources = ProjectSources(root)
    assert not sources.contains("pkg/a.py")
    assert sources.read_text("pkg/a.py") is None
