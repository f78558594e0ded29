"""covtasks' hidden entry markers: what is a marker line, and values that survive any text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from covtasks.errors import TaskFileError
from covtasks.markers import MARKER_PREFIX, format_marker, parse_marker

# Values made mostly of the characters that could break an HTML comment or an attribute.
_HOSTILE_VALUES = st.text(alphabet="-->%\"' a\n\tzé", max_size=12)


def _comment_body(marker: str) -> str:
    return marker.removeprefix("<!--").removesuffix("-->")


@settings(max_examples=150, derandomize=True)
@given(st.lists(_HOSTILE_VALUES, min_size=1, max_size=3))
def test_values_full_of_dashes_quotes_and_percents_round_trip_inside_one_comment(
    values: list[str],
) -> None:
    attrs = {f"k{index}": value for index, value in enumerate(values)}
    marker = format_marker(attrs)
    assert parse_marker(marker) == attrs
    assert "--" not in _comment_body(marker)
    assert ">" not in _comment_body(marker)


@pytest.mark.parametrize("value", ["--", "a--b", "---", "x-", "-"])
def test_no_value_writes_two_dashes_into_the_comment(value: str) -> None:
    marker = format_marker({"v": value})
    assert "--" not in _comment_body(marker)
    assert parse_marker(marker) == {"v": value}


@pytest.mark.parametrize("value", ["2026-11-20", "a+-b", "x,-1", "-lead"])
def test_a_single_dash_in_a_value_stays_readable(value: str) -> None:
    assert f'v="{value}"' in format_marker({"v": value})


# Values that need an escape elsewhere take the slow path: a lone dash stays readable there too.
@pytest.mark.parametrize(
    ("value", "written"), [("my-pkg/a b.py", "my-pkg/a%20b.py"), ("x-y--z", "x-y-%2Dz")]
)
def test_a_single_dash_stays_readable_beside_characters_that_are_escaped(
    value: str, written: str
) -> None:
    marker = format_marker({"v": value})
    assert f'v="{written}"' in marker
    assert parse_marker(marker) == {"v": value}


@pytest.mark.parametrize(
    "line",
    [
        f"{MARKER_PREFIX}X -->",
        f"{MARKER_PREFIX}s -->",
        "-->",
        f"x {MARKER_PREFIX} -->",
    ],
    ids=["longer-word", "plural", "bare-close", "text-before"],
)
def test_a_line_that_only_resembles_a_marker_is_not_one(line: str) -> None:
    assert parse_marker(line) is None


@pytest.mark.parametrize(
    "line", [f"{MARKER_PREFIX}-->", f"{MARKER_PREFIX} -->", f"\t{MARKER_PREFIX}\t-->\r\n"]
)
def test_a_marker_without_attributes_reads_as_empty(line: str) -> None:
    assert parse_marker(line) == {}


def test_attributes_may_be_separated_by_tabs() -> None:
    assert parse_marker(f'{MARKER_PREFIX}\tm="a"\tn="b" -->') == {"m": "a", "n": "b"}


def test_a_marker_cut_short_names_its_missing_end() -> None:
    with pytest.raises(TaskFileError, match="does not end with -->"):
        parse_marker(f'{MARKER_PREFIX} m="a" --')


@pytest.mark.parametrize(
    "value",
    [
        "3500/5200@20261130,c-27,r,u28",
        "B8kUr+/AsWrjKjd9pWS0F85xwK=",
        "src/pkg_a/mod.py",
        "a:b~c.d",
        "ABCXYZabcxyz0189",
    ],
)
def test_the_compact_markers_characters_are_written_as_they_are(value: str) -> None:
    # Each escape would cost two characters of the marker's 180.
    assert format_marker({"b": value}) == f'<!-- covtasks:entry b="{value}" -->'


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("a b", "a%20b"),
        ('say "x"', "say%20%22x%22"),
        ("é", "%C3%A9"),
        ("50%", "50%25"),
        ("a>b<c", "a%3Eb%3Cc"),
        ("--x", "-%2Dx"),
        ("a\tb\nc", "a%09b%0Ac"),
        ("a/b c", "a/b%20c"),
        ("é-b", "%C3%A9-b"),  # a dash after any other character stays readable
        ("a b-c", "a%20b-c"),
        (" -", "%20-"),
    ],
)
def test_other_characters_are_written_as_percent_escapes_of_their_utf8_bytes(
    value: str, written: str
) -> None:
    marker = format_marker({"v": value})
    assert marker == f'<!-- covtasks:entry v="{written}" -->'
    assert parse_marker(marker) == {"v": value}


def test_attributes_are_written_in_their_given_order_separated_by_one_space() -> None:
    marker = format_marker({"m": "a.py", "b": "1/2", "fp": "AAAA"})
    assert marker == '<!-- covtasks:entry m="a.py" b="1/2" fp="AAAA" -->'
    assert list(parse_marker(marker) or {}) == ["m", "b", "fp"]


@pytest.mark.parametrize("key", ["", "1a", "a b", "a--b", 'a"', "a=b", "é"])
def test_an_attribute_name_that_is_not_plain_is_refused(key: str) -> None:
    with pytest.raises(ValueError, match="not a plain name"):
        format_marker({key: "x"})


@pytest.mark.parametrize("key", ["m", "fp", "a-b", "a.b", "a_b", "A9", "_x"])
def test_plain_attribute_names_are_written(key: str) -> None:
    assert parse_marker(format_marker({key: "x"})) == {key: "x"}


@pytest.mark.parametrize(
    ("written", "value"),
    [("%41", "A"), ("%c3%a9", "é"), ("é", "é"), ("a%2Fb", "a/b"), ("%25", "%"), ("", "")],
)
def test_escapes_read_back_in_either_case_and_unescaped_text_is_kept(
    written: str, value: str
) -> None:
    assert parse_marker(f'{MARKER_PREFIX} v="{written}" -->') == {"v": value}


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        (f'{MARKER_PREFIX} v="a%" -->', "attribute 'v' has a stray %"),
        (f'{MARKER_PREFIX} v="%G1" -->', "attribute 'v' has a stray %"),
        (f'{MARKER_PREFIX} v="%C3" -->', "attribute 'v' is not UTF-8"),
        (f'{MARKER_PREFIX} v="a" v="b" -->', "repeats the attribute 'v'"),
        (f'{MARKER_PREFIX} v="a" w -->', "has unreadable text 'w'"),
        (f"{MARKER_PREFIX} v=a -->", "has unreadable text 'v=a'"),
    ],
)
def test_a_malformed_marker_names_its_problem(line: str, problem: str) -> None:
    with pytest.raises(TaskFileError) as caught:
        parse_marker(line)
    assert caught.value.problem == f"covtasks marker {problem}"
