"""Skipping entries whose inputs are unchanged: the same text as rendering them, and only then."""

from __future__ import annotations

import array
import dataclasses
import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from covtasks.config import parse_config
from covtasks.entry_inputs import _update_with, entry_fingerprint
from covtasks.model import Counts, CoverageReport, ModuleCoverage
from covtasks.sync import SyncResult, new_task_file, sync_text
from covtasks.sync_memo import MEMO, load_memo, save_memo
from covtasks.tasks_file import plan_inputs
from tests.test_sync import DAY1, DAY2, DAY3, module

SOURCE = (
    "import os\n\n\ndef home():\n    if os.environ.get('HOME'):\n        return 1\n    return 2\n"
)
MODULES = [module(f"pkg/{name}.py", statements=6, missing=3) for name in "abc"]
ALL = ["pkg/a.py", "pkg/b.py", "pkg/c.py"]


def run(
    text: str,
    root: Path,
    today: dt.date,
    modules: list[ModuleCoverage],
    rendered: dict[str, str] | None = None,
    **settings_: Any,
) -> SyncResult:
    config = parse_config(settings_, root=root)
    report = CoverageReport(modules=tuple(modules), has_branches=True)
    inputs = dataclasses.replace(plan_inputs(config, report, today), rendered=rendered or {})
    return sync_text(text, inputs)


def project(root: Path) -> Path:
    (root / "pkg").mkdir(parents=True, exist_ok=True)
    for name in "abc":
        (root / "pkg" / f"{name}.py").write_text(SOURCE, encoding="utf-8")
    return root


def test_second_sync_of_unchanged_inputs_skips_every_entry_even_on_another_day(
    tmp_path: Path,
) -> None:
    first = run(new_task_file(DAY1), project(tmp_path), DAY1, MODULES)
    assert sorted(first.fingerprints) == ALL
    second = run(first.text, tmp_path, DAY2, MODULES, dict(first.fingerprints))
    assert second.text == first.text
    assert second.events.unchanged == ALL
    assert second.fingerprints == first.fingerprints


def test_without_fingerprints_every_entry_is_rendered(tmp_path: Path) -> None:
    first = run(new_task_file(DAY1), project(tmp_path), DAY1, MODULES)
    second = run(first.text, tmp_path, DAY2, MODULES)
    assert second.events.unchanged == []
    assert second.fingerprints == first.fingerprints


# Each change reaches what pkg/a.py's entry is rendered from.
CHANGES: dict[str, tuple[list[ModuleCoverage], dict[str, Any], str]] = {
    "coverage rose": ([module("pkg/a.py", 6, 2), *MODULES[1:]], {}, ""),
    "missing arcs moved": (
        [dataclasses.replace(MODULES[0], missing_arcs=((2, 4),)), *MODULES[1:]],
        {},
        "",
    ),
    "owner rule": (MODULES, {"owners": [{"pattern": "pkg/a.py", "owner": "dana"}]}, ""),
    "milestone": (MODULES, {"milestones": [{"name": "Core", "modules": ["pkg/a.py"]}]}, ""),
    "target": (MODULES, {"target": 90.0}, ""),
    "status words": (MODULES, {"statuses": {"open": "To do"}}, ""),
    "source edited": (MODULES, {}, "source"),
    "a person edited the entry": (MODULES, {}, "entry"),
    "a person edited the marker": (MODULES, {}, "marker"),
}


@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_an_entry_is_rendered_again_when_anything_it_is_made_from_changes(
    tmp_path: Path, change: str
) -> None:
    first = run(new_task_file(DAY1), project(tmp_path), DAY1, MODULES)
    modules, settings_, edit = CHANGES[change]
    text = first.text
    if edit == "source":
        (tmp_path / "pkg" / "a.py").write_text(SOURCE + "\nX = 1\n", encoding="utf-8")
    elif edit == "entry":
        text = text.replace("- **Owner**: tv", "- **Owner**: tv (until May)", 1)
    elif edit == "marker":
        text = text.replace('m="pkg/a.py" ', 'm="pkg/a.py"  ', 1)
    assert (text != first.text) == (edit in ("entry", "marker"))
    second = run(text, tmp_path, DAY2, modules, dict(first.fingerprints), **settings_)
    assert "pkg/a.py" not in second.events.unchanged
    if edit in ("entry", "marker"):
        # A person's edit changes only that entry; a change of numbers or settings may move
        # every entry's priority (one ranking of all open entries).
        assert second.events.unchanged == ["pkg/b.py", "pkg/c.py"]


def test_a_field_kept_as_a_person_edited_it_is_noted_on_every_sync(tmp_path: Path) -> None:
    first = run(new_task_file(DAY1), project(tmp_path), DAY1, MODULES)
    edited = first.text.replace("- **Owner**: tv", "- **Owner**: dana", 1)
    rules = {"owners": [{"pattern": "pkg/*", "owner": "eve"}]}
    second = run(edited, tmp_path, DAY2, MODULES, dict(first.fingerprints), **rules)
    third = run(second.text, tmp_path, DAY3, MODULES, dict(second.fingerprints), **rules)
    assert ("pkg/a.py", "Owner") in second.events.kept
    assert ("pkg/a.py", "Owner") in third.events.kept
    assert "pkg/a.py" not in second.fingerprints
    assert third.text == second.text


def test_the_fingerprints_are_the_same_in_another_checkout(tmp_path: Path) -> None:
    here = project(tmp_path / "here")
    there = tmp_path / "elsewhere" / "there"
    shutil.copytree(here, there)
    first = run(new_task_file(DAY1), here, DAY1, MODULES)
    second = run(first.text, there, DAY2, MODULES, dict(first.fingerprints))
    assert second.events.unchanged == ALL


_MISSING = st.integers(0, 6)
_EDITS = st.sampled_from(
    [
        None,
        ("- **Owner**: tv", "- **Owner**: dana"),
        ("### Open ·", "### Deferred ·"),
        ("- **Size**: S", "- **Size**: S\n  (split it)"),
        ("- **Validation**:", "- **Checks**:"),
        ("- **Summary**: Bring `pkg/b.py`", "- **Summary**: Finish `pkg/b.py`"),
    ]
)


@settings(max_examples=60, derandomize=True, deadline=None)
@given(
    st.lists(_MISSING, min_size=3, max_size=3),
    st.lists(_MISSING, min_size=3, max_size=3),
    st.lists(_EDITS, max_size=2),
    st.booleans(),
)
def test_skipping_unchanged_entries_writes_what_rendering_them_again_writes(
    tmp_path_factory: pytest.TempPathFactory,
    before: list[int],
    after: list[int],
    edits: list[tuple[str, str] | None],
    unmeasure: bool,
) -> None:
    root = project(tmp_path_factory.mktemp("skip"))
    first_modules = [module(f"pkg/{n}.py", 6, m) for n, m in zip("abc", before, strict=True)]
    first = run(new_task_file(DAY1), root, DAY1, first_modules)
    text, fingerprints = first.text, dict(first.fingerprints)
    for edit in edits:
        if edit is not None and edit[0] in text:
            text = text.replace(edit[0], edit[1], 1)
    later = [module(f"pkg/{n}.py", 6, m) for n, m in zip("abc", after, strict=True)]
    if unmeasure:
        later = later[1:]
    for day in (DAY2, DAY3):
        skipped = run(text, root, day, later, fingerprints)
        rendered = run(text, root, day, later)
        assert skipped.text == rendered.text
        assert dataclasses.replace(skipped.events, unchanged=[]) == rendered.events
        assert skipped.fingerprints == rendered.fingerprints
        text, fingerprints = skipped.text, dict(skipped.fingerprints)


# --- the memo on disk ------------------------------------------------------------------


def test_memo_keeps_each_task_files_fingerprints_apart(tmp_path: Path) -> None:
    save_memo(tmp_path, "a.md", {"pkg/b.py": "2", "pkg/a.py": "1"})
    save_memo(tmp_path, "b.md", {"pkg/a.py": "3"})
    assert load_memo(tmp_path, "a.md") == {"pkg/a.py": "1", "pkg/b.py": "2"}
    assert load_memo(tmp_path, "b.md") == {"pkg/a.py": "3"}
    assert (
        (tmp_path / MEMO).parent.joinpath(".gitignore").read_text(encoding="utf-8").endswith("*\n")
    )


def test_memo_is_not_rewritten_when_nothing_changed(tmp_path: Path) -> None:
    save_memo(tmp_path, "a.md", {"pkg/a.py": "1"})
    before = (tmp_path / MEMO).stat().st_mtime_ns, (tmp_path / MEMO).stat().st_ino
    save_memo(tmp_path, "a.md", {"pkg/a.py": "1"})
    assert ((tmp_path / MEMO).stat().st_mtime_ns, (tmp_path / MEMO).stat().st_ino) == before


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        "[]",
        '{"format": 2, "files": {"a.md": {"pkg/a.py": "1"}}}',
        '{"format": 1, "files": []}',
        '{"format": 1, "files": {"a.md": [], "b.md": {"pkg/a.py": 5}}}',
    ],
)
def test_a_memo_of_another_shape_reads_as_empty(tmp_path: Path, content: str) -> None:
    (tmp_path / MEMO).parent.mkdir(parents=True)
    (tmp_path / MEMO).write_text(content, encoding="utf-8")
    assert load_memo(tmp_path, "a.md") == {}
    save_memo(tmp_path, "a.md", {"pkg/a.py": "1"})
    assert load_memo(tmp_path, "a.md") == {"pkg/a.py": "1"}


def test_a_memo_too_big_to_be_ours_reads_as_empty(tmp_path: Path) -> None:
    (tmp_path / MEMO).parent.mkdir(parents=True)
    with (tmp_path / MEMO).open("wb") as handle:
        handle.truncate(64 * 1024 * 1024 + 1)
    assert load_memo(tmp_path, "a.md") == {}


def test_a_memo_folder_that_leads_outside_the_project_is_neither_read_nor_written(
    tmp_path: Path,
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / MEMO.name).write_text(
        json.dumps({"format": 1, "files": {"a.md": {"pkg/a.py": "1"}}}), encoding="utf-8"
    )
    root = tmp_path / "project"
    (root / MEMO).parent.parent.mkdir(parents=True)
    (root / MEMO).parent.symlink_to(outside)
    assert load_memo(root, "a.md") == {}
    save_memo(root, "a.md", {"pkg/a.py": "2"})
    assert json.loads((outside / MEMO.name).read_text(encoding="utf-8"))["files"]["a.md"] == {
        "pkg/a.py": "1"
    }


def test_a_memo_that_cannot_be_written_is_no_error(tmp_path: Path) -> None:
    (tmp_path / ".cache").mkdir()
    (tmp_path / ".cache" / "covtasks").write_text("a file, not a folder", encoding="utf-8")
    save_memo(tmp_path, "a.md", {"pkg/a.py": "1"})
    assert load_memo(tmp_path, "a.md") == {}


def test_the_fingerprint_tells_apart_line_lists_that_only_split_differently() -> None:
    first = dataclasses.replace(MODULES[0], statement_lines=(1, 2), missing_lines=(3,))
    second = dataclasses.replace(MODULES[0], statement_lines=(1,), missing_lines=(2, 3))
    assert entry_fingerprint(b"", ["x"], first, ()) != entry_fingerprint(b"", ["x"], second, ())
    arcs = dataclasses.replace(MODULES[0], missing_arcs=((1, 2), (3, 4)))
    flat = dataclasses.replace(MODULES[0], missing_arcs=((1, 2, 3, 4),))  # type: ignore[arg-type]
    assert entry_fingerprint(b"", [], arcs, ()) != entry_fingerprint(b"", [], flat, ())


def test_the_fingerprint_reads_fields_of_any_shape() -> None:
    named = dataclasses.replace(MODULES[0], statement_lines=("a", "b"))  # type: ignore[arg-type]
    huge = dataclasses.replace(MODULES[0], statement_lines=(2**70,))
    prints = {entry_fingerprint(b"", [], module, ()) for module in (named, huge, MODULES[0])}
    assert len(prints) == 3


def _fed_field_by_field(digest: Any, value: object) -> None:
    """The record fed in one piece at a time: what the gathered feed must hash the same as."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        digest.update(type(value).__name__.encode())
        for field in dataclasses.fields(value):
            digest.update(b"\0")
            _fed_field_by_field(digest, getattr(value, field.name))
    elif isinstance(value, tuple) and value:
        try:
            flat = [n for pair in value for n in pair] if type(value[0]) is tuple else value
            packed = array.array("q", flat).tobytes()
        except (TypeError, OverflowError):
            digest.update(repr(value).encode())
        else:
            digest.update(f"{type(value[0]).__name__}[{len(value)}]".encode())
            digest.update(packed)
    else:
        digest.update(repr(value).encode())


NUMBERS = st.integers(-(2**64), 2**64)
RECORDS = st.builds(
    ModuleCoverage,
    path=st.text(max_size=5),
    counts=st.builds(Counts, NUMBERS, NUMBERS, NUMBERS, NUMBERS, NUMBERS),
    statement_lines=st.tuples() | st.lists(NUMBERS, max_size=4).map(tuple),
    missing_lines=st.lists(st.integers(0, 99), max_size=4).map(tuple),
    missing_arcs=st.lists(st.tuples(NUMBERS, NUMBERS), max_size=3).map(tuple),
)


@settings(max_examples=200, derandomize=True, deadline=None)
@given(st.none() | RECORDS | st.just(ModuleCoverage))
def test_a_record_gathered_and_fed_at_once_hashes_as_fed_field_by_field(value: object) -> None:
    gathered, one_by_one = hashlib.sha256(), hashlib.sha256()
    _update_with(gathered, value)
    _fed_field_by_field(one_by_one, value)
    assert gathered.digest() == one_by_one.digest()


def test_the_fingerprint_ignores_line_endings_and_trailing_blank_lines() -> None:
    lines = ["### Open · a · b\n", "", "- **Owner**: tv\r\n"]
    assert entry_fingerprint(b"", [*lines, "\n", "  \n"], None, ()) == entry_fingerprint(
        b"", [line.rstrip("\r\n") for line in lines], None, ()
    )


def test_an_entry_is_rendered_again_when_its_module_gains_a_test_to_validate_with(
    tmp_path: Path,
) -> None:
    first = run(new_task_file(DAY1), project(tmp_path), DAY1, MODULES)
    config = parse_config({}, root=tmp_path)
    report = CoverageReport(modules=tuple(MODULES), has_branches=True)
    inputs = dataclasses.replace(
        plan_inputs(config, report, DAY2),
        rendered=dict(first.fingerprints),
        validation_of=lambda module: f"`pytest tests/test_{Path(module.path).stem}.py`",
    )
    second = sync_text(first.text, inputs)
    assert second.events.unchanged == []
    assert "`pytest tests/test_a.py`" in second.text


@pytest.mark.parametrize("key_first", [True, False])
def test_a_modules_notes_key_is_the_same_asked_before_or_after_its_notes_are_made(
    tmp_path: Path, key_first: bool
) -> None:
    # The notes are made from the bytes their key is made from: the file is read once.
    config = parse_config({}, root=project(tmp_path))
    report = CoverageReport(modules=tuple(MODULES), has_branches=True)
    inputs = plan_inputs(config, report, DAY1)
    target = MODULES[0]
    if key_first:
        key = inputs.notes_key(target)
        notes = inputs.notes_of(target)
    else:
        notes = inputs.notes_of(target)
        key = inputs.notes_key(target)
    # Each asked alone of inputs that made nothing else.
    assert key == plan_inputs(config, report, DAY1).notes_key(target)
    assert notes == plan_inputs(config, report, DAY1).notes_of(target)
    assert any("`os.environ`" in note for note in notes)
