"""Plain globs matched without pathspec: the same answers as pathspec's gitignore patterns."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pathspec import PathSpec

from covtasks.globs import Globs

# Segments of patterns: plain names and wildcards, and what gitignore reads otherwise.
SEGMENTS = st.sampled_from(
    ["**", "*", "a", "b", "a*", "*.py", "x-y_z.py", ".", "..", "a.b", "*a*", "b*c", "***", "a**"]
)
PATH_SEGMENTS = st.sampled_from(
    ["a", "b", "a.b", "x.py", "ab", "a-b", ".", "..", "", "x-y_z.py", "bzc", "\n", "a\nb"]
)


@st.composite
def patterns(draw: st.DrawFn) -> str:
    if draw(st.integers(0, 4)) == 0:  # any text, special characters included
        return draw(st.text(alphabet="ab.*/-_?![]\\ #\n", max_size=8))
    segments = draw(st.lists(SEGMENTS, min_size=1, max_size=4))
    lead = "/" if draw(st.booleans()) else ""
    return lead + "/".join(segments) + ("/" if draw(st.integers(0, 5)) == 0 else "")


@st.composite
def paths(draw: st.DrawFn) -> str:
    if draw(st.integers(0, 4)) == 0:
        return draw(st.text(alphabet="ab./\n*", max_size=8))
    lead = draw(st.sampled_from(["", "/", "./"]))
    segments = draw(st.lists(PATH_SEGMENTS, min_size=1, max_size=5))
    return lead + "/".join(segments) + ("/" if draw(st.integers(0, 5)) == 0 else "")


def pathspec_answer(spec: PathSpec, path: str) -> int | None:  # type: ignore[type-arg]
    found = spec.check_file(path)
    return found.index if found.include else None


@settings(max_examples=1500, derandomize=True, deadline=None)
@given(st.lists(patterns(), min_size=1, max_size=3), st.lists(paths(), min_size=1, max_size=5))
def test_globs_answer_every_path_as_pathspec_does(texts: list[str], names: list[str]) -> None:
    try:
        spec = PathSpec.from_lines("gitignore", texts)
    except ValueError as error:
        with pytest.raises(type(error)):
            Globs(texts)
        return
    globs = Globs(texts)
    for name in names:
        assert globs.last_match(name) == pathspec_answer(spec, name), (texts, name)
        assert globs.matches(name) == (pathspec_answer(spec, name) is not None)


@pytest.mark.parametrize(
    ("texts", "plain"),
    [
        (["pkg/*/core/**", "src/**/*.py", "printshop/cli.py", "*.py", "/top.py"], True),
        (["pkg/**", "!pkg/skip.py"], False),
        (["docs/"], False),
        (["file?.py"], False),
        (["**"], False),
        (["a**b"], False),
    ],
)
def test_plain_globs_need_no_pathspec_and_others_are_left_to_it(
    texts: list[str], plain: bool
) -> None:
    assert Globs(texts).plain is plain


def test_the_last_matching_glob_decides_and_a_negation_excludes_again() -> None:
    assert Globs(["pkg/**", "pkg/a.py"]).last_match("pkg/a.py") == 1
    assert Globs(["pkg/**", "pkg/b.py"]).last_match("pkg/a.py") == 0
    assert Globs(["pkg/**", "!pkg/a.py"]).last_match("pkg/a.py") is None
    assert Globs(["pkg/**"]).last_match("other/a.py") is None
