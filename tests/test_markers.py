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
