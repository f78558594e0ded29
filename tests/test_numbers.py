"""Coverage arithmetic agrees with coverage.py's own display and range formatting."""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction

import pytest
from coverage.results import Numbers, format_lines
from hypothesis import given, settings
from hypothesis import strategies as st

from covtasks.numbers import (
    compact_ranges,
    display_percent,
    exact_percent,
    format_arcs,
    is_percent,
    percent_float,
    reaches,
    target_fraction,
)


@st.composite
def part_of_whole(draw: st.DrawFn, largest: int = 200_000) -> tuple[int, int]:
    """A (covered, total) pair; totals reach past 20,000 where rounding edges live."""
    total = draw(st.integers(min_value=0, max_value=largest))
    covered = draw(
        st.one_of(
            st.integers(min_value=0, max_value=total),
            st.sampled_from([0, 1, max(total - 1, 0), total]),
        )
    )
    return covered, total


@settings(max_examples=400)
@given(part_of_whole(), st.integers(min_value=0, max_value=5))
def test_display_percent_equals_coverage_numbers_display(
    pair: tuple[int, int], precision: int
) -> None:
    covered, total = pair
    numbers = Numbers(precision=precision, n_statements=total, n_missing=total - covered)
    assert display_percent(covered, total, precision) == numbers.pc_statements_str


@pytest.mark.parametrize(
    ("covered", "total", "shown"),
    [
        (0, 0, "100.00"),
        (5, 5, "100.00"),
        (0, 5, "0.00"),
        (24_999, 25_000, "99.99"),
        (1, 25_000, "0.01"),
        (2, 3, "66.67"),
    ],
)
def test_display_percent_at_the_edges_never_rounds_to_0_or_100(
    covered: int, total: int, shown: str
) -> None:
    assert display_percent(covered, total) == shown


@given(part_of_whole())
def test_display_percent_shows_100_only_when_complete(pair: tuple[int, int]) -> None:
    covered, total = pair
    assert (display_percent(covered, total) == "100.00") == (covered == total)


@given(part_of_whole())
def test_display_percent_shows_0_only_when_nothing_ran(pair: tuple[int, int]) -> None:
    covered, total = pair
    assert (display_percent(covered, total) == "0.00") == (covered == 0 < total)


def test_percent_float_of_nothing_to_cover_is_100() -> None:
    assert percent_float(0, 0) == 100.0


def test_exact_percent_of_nothing_to_cover_is_100() -> None:
    assert exact_percent(0, 0) == 100


@given(part_of_whole())
def test_exact_percent_is_the_exact_ratio(pair: tuple[int, int]) -> None:
    covered, total = pair
    if total:
        assert exact_percent(covered, total) * total == 100 * covered


@pytest.mark.parametrize(
    ("target", "exact"),
    [
        (100, Fraction(100)),
        (95.5, Fraction(191, 2)),
        (0.1, Fraction(1, 10)),
        (99.99, Fraction(9999, 100)),
    ],
)
def test_target_fraction_is_the_decimal_the_user_wrote(target: float, exact: Fraction) -> None:
    assert target_fraction(target) == exact


@st.composite
def statements_and_missing(draw: st.DrawFn) -> tuple[list[int], list[int]]:
    statements = sorted(draw(st.sets(st.integers(min_value=1, max_value=400), max_size=80)))
    missing = draw(st.lists(st.sampled_from(statements), unique=True)) if statements else []
    return statements, missing


@settings(max_examples=300)
@given(statements_and_missing())
def test_compact_ranges_equal_coverage_format_lines(pair: tuple[list[int], list[int]]) -> None:
    statements, missing = pair
    assert compact_ranges(statements, missing) == format_lines(statements, missing)


def test_compact_ranges_past_the_256th_statement_still_join_neighbours() -> None:
    # Statement positions beyond CPython's cached small ints: compared by value.
    statements = range(1, 401)
    assert compact_ranges(statements, [300, 301, 302, 350]) == "300-302, 350"


def test_compact_ranges_bridge_non_statement_lines() -> None:
    assert compact_ranges([12, 13, 15, 16, 40], [12, 13, 15, 40]) == "12-15, 40"


def test_compact_ranges_keep_missing_lines_that_are_not_statements() -> None:
    assert compact_ranges([1, 2], [5]) == "5"


def test_compact_ranges_of_nothing_missing_is_empty() -> None:
    assert compact_ranges([1, 2, 3], []) == ""


arcs_strategy = st.sets(
    st.tuples(
        st.integers(min_value=1, max_value=300),
        st.integers(min_value=-300, max_value=300).filter(bool),
    ),
    max_size=30,
)


@given(arcs_strategy)
def test_format_arcs_equals_coverage_format_lines_arcs(arcs: set[tuple[int, int]]) -> None:
    grouped: dict[int, list[int]] = defaultdict(list)
    for source, target in arcs:
        grouped[source].append(target)
    assert format_arcs(list(arcs)) == format_lines([], [], list(grouped.items()))


def test_format_arcs_writes_negative_targets_as_exit() -> None:
    assert format_arcs([(12, 14), (8, -1)]) == "8->exit, 12->14"


def test_format_arcs_orders_targets_of_one_line_as_coverage_writes_them() -> None:
    assert format_arcs([(5, 7), (5, -1), (5, 12)]) == "5->12, 5->7, 5->exit"


@pytest.mark.parametrize(
    ("covered", "total", "shown"),
    [(1, 10**6, "0.0001"), (10**6 - 1, 10**6, "99.9999"), (1, 2 * 10**6, "0.0001")],
)
def test_display_percent_at_precision_4_clamps_only_below_one_step(
    covered: int, total: int, shown: str
) -> None:
    assert display_percent(covered, total, 4) == shown


@pytest.mark.parametrize("precision", range(11))
def test_display_percent_at_any_precision_never_rounds_a_tiny_gap_to_0_or_100(
    precision: int,
) -> None:
    step = f"{10**-precision:.{precision}f}"
    top = f"{100 - 10**-precision:.{precision}f}"
    assert display_percent(1, 10**12, precision) == step
    assert display_percent(10**12 - 1, 10**12, precision) == top


@pytest.mark.parametrize(
    ("value", "meant"),
    [
        (0, True),
        (0.0, True),
        (87.5, True),
        (100, True),
        (-0.01, False),
        (100.01, False),
        (float("nan"), False),
        (float("inf"), False),
        (float("-inf"), False),
    ],
)
def test_a_percent_is_a_number_from_0_to_100_inclusive(value: float, meant: bool) -> None:
    assert is_percent(value) is meant


@settings(max_examples=300, derandomize=True, deadline=None)
@given(
    st.integers(0, 10**6),
    st.integers(0, 10**6),
    st.integers(0, 10_000).map(lambda hundredths: hundredths / 100),
)
def test_reaches_in_integers_is_the_exact_fraction_compared_with_the_target(
    covered: int, extra: int, target: float
) -> None:
    for numerator, denominator in ((covered, covered + extra), (0, 0), (covered, covered)):
        goal = target_fraction(target)
        assert reaches(numerator, denominator, goal) == (
            exact_percent(numerator, denominator) >= goal
        )


@pytest.mark.parametrize(
    ("numerator", "denominator", "goal", "reached"),
    [(0, 1, Fraction(50), False), (1, 1, Fraction(100), True), (99, 100, Fraction(199, 2), False)],
)
def test_reaches_a_target_only_with_enough_covered_of_one_or_a_hundred(
    numerator: int, denominator: int, goal: Fraction, reached: bool
) -> None:
    assert reaches(numerator, denominator, goal) is reached
