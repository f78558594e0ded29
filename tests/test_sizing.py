"""Size and entry IDs: documented cut-offs, stable slugs."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from covtasks.sizing import SIZE_SENTENCE, entry_id, short_slugs, size_for, size_text, slug


@pytest.mark.parametrize(
    ("lines", "branches", "size"),
    [
        (0, 0, "XS"),
        (2, 1, "XS"),
        (3, 1, "S"),
        (10, 5, "S"),
        (10, 6, "M"),
        (50, 0, "M"),
        (40, 11, "L"),
        (1000, 200, "L"),
    ],
)
def test_size_for_gap_at_cut_offs_gives_documented_size(
    lines: int, branches: int, size: str
) -> None:
    assert size_for(lines, branches) == size


@pytest.mark.parametrize(
    ("gap", "size"), [(3, "XS"), (4, "S"), (15, "S"), (16, "M"), (50, "M"), (51, "L")]
)
def test_size_field_sizes_the_whole_testable_gap_at_each_cut_off(gap: int, size: str) -> None:
    assert size_text(gap, {}) == size
    assert size_text(gap, {"platform": 2}) == f"{size} (set aside: 2 platform lines)"


@given(st.integers(0, 500), st.integers(0, 500), st.integers(0, 50))
def test_size_for_never_shrinks_when_the_gap_grows(lines: int, branches: int, more: int) -> None:
    order = ["XS", "S", "M", "L"]
    assert order.index(size_for(lines + more, branches)) >= order.index(size_for(lines, branches))


def test_size_sentence_names_every_cut_off() -> None:
    assert all(word in SIZE_SENTENCE for word in ("XS up to 3", "S up to 15", "M up to 50"))


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("pkg/gappy.py", "pkg-gappy"),
        ("pkg/__init__.py", "pkg-init"),
        ("Src/My Module.PY", "src-my-module-py"),
        ("pkg/café_ñ.py", "pkg-cafe-n"),
        ("a//b--c.py", "a-b-c"),
    ],
)
def test_slug_of_path_is_lowercase_ascii_with_hyphens(path: str, expected: str) -> None:
    assert slug(path) == expected


def test_slug_of_path_without_ascii_uses_a_digest_so_paths_stay_distinct() -> None:
    first, second = slug("包/模块.py"), slug("包/别的.py")
    assert first.startswith("module-")
    assert first != second
    assert slug("包/模块.py") == first


@given(st.text(max_size=40))
def test_slug_of_any_path_is_nonempty_and_uses_only_slug_characters(path: str) -> None:
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug(path))


def test_entry_id_joins_prefix_date_and_slug() -> None:
    assert entry_id("tv", dt.date(2026, 11, 26), "gappy") == "tv-2026-11-26:cov-gappy"


def test_short_slugs_take_the_shortest_tail_no_other_module_shares() -> None:
    paths = [
        "src/pkg/data/bundestag_qwen15b_lora_mps/preparer.py",
        "src/pkg/data/wiki/preparer.py",
        "src/pkg/cli.py",
        "src/pkg/__init__.py",
        "src/pkg/data/__init__.py",
    ]
    assert short_slugs(paths) == {
        "src/pkg/data/bundestag_qwen15b_lora_mps/preparer.py": (
            "bundestag-qwen15b-lora-mps-preparer"
        ),
        "src/pkg/data/wiki/preparer.py": "wiki-preparer",
        "src/pkg/cli.py": "cli",
        "src/pkg/__init__.py": "pkg-init",
        "src/pkg/data/__init__.py": "data-init",
    }


def test_short_slugs_compare_slugs_not_spellings() -> None:
    # "a_b.py" and "a-b.py" slug alike, as do "x/b-c.py" and "b/c.py"'s last two parts.
    assert short_slugs(["p/a_b.py", "q/a-b.py", "x/b-c.py", "b/c.py"]) == {
        "p/a_b.py": "p-a-b",
        "q/a-b.py": "q-a-b",
        "x/b-c.py": "x-b-c",
        "b/c.py": "c",
    }


def test_a_path_with_no_unique_tail_keeps_its_whole_slug() -> None:
    assert short_slugs(["b.py", "a/b.py"]) == {"b.py": "b", "a/b.py": "a-b"}
    # Every tail of "a/b.py" is a tail of "x/a/b.py" too: it keeps its whole slug, not "b".
    assert short_slugs(["a/b.py", "x/a/b.py"]) == {"a/b.py": "a-b", "x/a/b.py": "x-a-b"}


def test_slug_without_ascii_is_module_and_eight_hex_digits_of_the_path_digest() -> None:
    assert re.fullmatch(r"module-[0-9a-f]{8}", slug("包/模块.py"))
