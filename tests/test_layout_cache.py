"""Kept layouts: a hit is the very document a parse gives; a bad layout file is never used."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from typer.testing import CliRunner

from covtasks.cli import app
from covtasks.document import Document, parse_document
from covtasks.errors import TaskFileError
from covtasks.layout_cache import (
    KEEP,
    LAYOUTS,
    LayoutCache,
    code_identity,
    layout_key,
    load_layout,
    save_layout,
)
from tests.sample import SampleProject
from tests.strategies import task_documents
from tests.test_blocks import ENTRY, _describe, line_soups

TEXT = "# Tasks\n\n## Open tasks (updated 2025-10-01)\n\n" + "\n".join(ENTRY) + "\n"
TASKS = ".ldres/tv-tasks.md"


def kept_and_read(root: Path, text: str) -> Document | None:
    """The document read back from the layout a parse of ``text`` left under ``root``."""
    key = layout_key(text)
    save_layout(root, key, parse_document(text))
    return load_layout(root, key, text)


def assert_read_back_as_parsed(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        loaded = kept_and_read(Path(folder), text)
    assert loaded is not None
    assert _describe(loaded) == _describe(parse_document(text))


@settings(max_examples=150, derandomize=True, deadline=None)
@given(line_soups())
def test_a_kept_layout_of_mixed_lines_reads_back_as_the_parse(text: str) -> None:
    try:
        parse_document(text)
    except TaskFileError:  # a malformed marker: nothing is located, so nothing is kept
        return
    assert_read_back_as_parsed(text)


@settings(max_examples=60, derandomize=True, deadline=None)
@given(task_documents())
def test_a_kept_layout_of_a_generated_task_file_reads_back_as_the_parse(text: str) -> None:
    assert_read_back_as_parsed(text)


def test_a_kept_layout_of_a_file_of_fenced_non_ascii_text_is_read_back(tmp_path: Path) -> None:
    text = TEXT + "\n```text\n" + "→·\u2028é" * 20_000 + "\n```\n"
    loaded = kept_and_read(tmp_path, text)
    assert loaded is not None
    assert _describe(loaded) == _describe(parse_document(text))


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_a_kept_layout_reads_back_with_the_texts_own_lines_and_newline(
    tmp_path: Path, newline: str
) -> None:
    text = TEXT.replace("\n", newline)
    loaded = kept_and_read(tmp_path, text)
    assert loaded is not None
    assert _describe(loaded) == _describe(parse_document(text))


def test_a_layout_is_found_by_its_own_text_only(tmp_path: Path) -> None:
    save_layout(tmp_path, layout_key(TEXT), parse_document(TEXT))
    other = TEXT + "\n"
    assert layout_key(other) != layout_key(TEXT)
    assert load_layout(tmp_path, layout_key(other), other) is None


def _layout_file(root: Path) -> Path:
    (found,) = (root / LAYOUTS).glob("*.json")
    return found


def _kept(root: Path) -> Path:
    save_layout(root, layout_key(TEXT), parse_document(TEXT))
    return _layout_file(root)


def _damaged(root: Path, damage: str) -> None:
    path = _kept(root)
    data = path.read_bytes()
    header, _, payload = data.partition(b"\n")
    if damage == "payload changed":
        path.write_bytes(header + b"\n" + payload.replace(b'"Open"', b'"Done"'))
    elif damage == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "header not JSON":
        path.write_bytes(b"{not json\n" + payload)
    elif damage == "another format":
        path.write_bytes(header.replace(b'"format": 1', b'"format": 99') + b"\n" + payload)
    elif damage == "empty":
        path.write_bytes(b"")
    else:  # a payload of another shape, with a header that vouches for it
        other = json.dumps({"entries": [[1, 2]]}).encode()
        head = json.loads(header)
        head["check"] = hashlib.sha256(other).hexdigest()
        path.write_bytes(json.dumps(head).encode() + b"\n" + other)


@pytest.mark.parametrize(
    "damage",
    [
        "payload changed",
        "truncated",
        "header not JSON",
        "another format",
        "empty",
        "another shape",
    ],
)
def test_a_damaged_layout_file_is_ignored(tmp_path: Path, damage: str) -> None:
    _damaged(tmp_path, damage)
    assert load_layout(tmp_path, layout_key(TEXT), TEXT) is None


def test_a_layout_file_larger_than_six_times_the_text_is_not_read(tmp_path: Path) -> None:
    path = _kept(tmp_path)
    assert load_layout(tmp_path, layout_key(TEXT), TEXT) is not None
    path.write_bytes(path.read_bytes() + b" " * (6 * len(TEXT) + 70_000))
    assert load_layout(tmp_path, layout_key(TEXT), TEXT) is None


def test_only_the_newest_layouts_are_kept(tmp_path: Path) -> None:
    texts = [TEXT + "\n" * count for count in range(KEEP + 2)]
    for number, text in enumerate(texts):
        save_layout(tmp_path, layout_key(text), parse_document(text))
        for path in (tmp_path / LAYOUTS).glob("*.json"):  # older files: older times
            if path.stem == layout_key(text):
                os.utime(path, ns=(number * 10**9, number * 10**9))
    kept = {path.stem for path in (tmp_path / LAYOUTS).glob("*.json")}
    assert kept == {layout_key(text) for text in texts[-KEEP:]}
    assert (tmp_path / ".cache" / "covtasks" / ".gitignore").read_text().endswith("*\n")


def test_a_layout_folder_that_cannot_be_made_leaves_nothing_kept_and_raises_nothing(
    tmp_path: Path,
) -> None:
    (tmp_path / ".cache").mkdir()
    (tmp_path / ".cache" / "covtasks").write_text("a file where the folder would be")
    save_layout(tmp_path, layout_key(TEXT), parse_document(TEXT))
    assert load_layout(tmp_path, layout_key(TEXT), TEXT) is None


def test_a_layout_folder_linked_out_of_the_project_is_neither_read_nor_written(
    tmp_path: Path,
) -> None:
    root, outside = tmp_path / "project", tmp_path / "outside"
    save_layout(outside, layout_key(TEXT), parse_document(TEXT))
    (root / ".cache").mkdir(parents=True)
    (root / ".cache" / "covtasks").symlink_to(outside / ".cache" / "covtasks")
    assert load_layout(root, layout_key(TEXT), TEXT) is None
    save_layout(root, layout_key(TEXT + "\n"), parse_document(TEXT + "\n"))
    assert len(list((outside / LAYOUTS).glob("*.json"))) == 1


def test_the_code_identity_changes_with_the_locating_code_and_tolerates_no_source() -> None:
    assert code_identity() == code_identity()
    without_source = code_identity(("sys", "no_such_module_anywhere"))
    assert len(without_source) == 32
    assert without_source != code_identity()


def test_a_located_layout_is_kept_only_when_asked(tmp_path: Path) -> None:
    cache = LayoutCache(tmp_path)
    cache.locate(TEXT)
    assert not (tmp_path / LAYOUTS).exists()
    cache.keep()
    assert load_layout(tmp_path, layout_key(TEXT), TEXT) is not None


def test_a_layout_read_back_is_marked_used_and_not_written_again(tmp_path: Path) -> None:
    path = _kept(tmp_path)
    os.utime(path, ns=(0, 0))
    inode = path.stat().st_ino
    cache = LayoutCache(tmp_path)
    assert cache.locate(TEXT) == parse_document(TEXT)
    cache.keep()  # nothing to keep: the layout came from the file
    assert path.stat().st_ino == inode
    assert path.stat().st_mtime_ns > 0


# --- through the command line -----------------------------------------------------------

runner = CliRunner()


def _sync(root: Path, *args: str) -> int:
    return runner.invoke(app, ["-C", str(root), "sync", "--date", "2026-11-20", *args]).exit_code


def _layouts(root: Path) -> set[str]:
    return {path.stem for path in (root / LAYOUTS).glob("*.json")}


def test_a_sync_that_writes_the_task_file_keeps_no_layout_of_the_old_text(
    gappy_project: SampleProject,
) -> None:
    root = gappy_project.root
    assert _sync(root) == 0
    assert _layouts(root) == set()


def test_a_sync_that_leaves_the_task_file_keeps_its_layout_and_the_next_one_reads_it(
    gappy_project: SampleProject,
) -> None:
    root = gappy_project.root
    _sync(root)
    text = (root / TASKS).read_text(encoding="utf-8")
    assert _sync(root) == 0
    assert _layouts(root) == {layout_key(text)}
    assert _sync(root, "--check") == 0
    assert (root / TASKS).read_text(encoding="utf-8") == text


@pytest.mark.parametrize("option", ["--check", "--dry-run"])
def test_a_sync_that_writes_nothing_keeps_no_layout(
    gappy_project: SampleProject, option: str
) -> None:
    root = gappy_project.root
    _sync(root)
    assert _sync(root, option) == 0
    assert not (root / LAYOUTS).exists()
