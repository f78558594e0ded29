"""Counts, module records and reports: coverage.py's figures, exact target decisions."""

from __future__ import annotations

from collections import defaultdict

import pytest
from coverage.results import Numbers, format_lines
from hypothesis import given, settings
from hypothesis import strategies as st

from covtasks.model import ZERO, Counts, CoverageReport, ModuleCoverage


@st.composite
def counts_strategy(draw: st.DrawFn, largest: int = 60_000) -> Counts:
    statements = draw(st.integers(min_value=0, max_value=largest))
    missing = draw(st.integers(min_value=0, max_value=statements))
    branches = draw(st.integers(min_value=0, max_value=largest // 2))
    missing_branches = draw(st.integers(min_value=0, max_value=branches))
    partial = draw(st.integers(min_value=0, max_value=missing_branches))
    return Counts(statements, missing, branches, missing_branches, partial)


def coverage_numbers(counts: Counts, precision: int) -> Numbers:
    return Numbers(
        precision=precision,
        n_statements=counts.statements,
        n_missing=counts.missing,
        n_branches=counts.branches,
        n_missing_branches=counts.missing_branches,
        n_partial_branches=counts.partial_branches,
    )


@settings(max_examples=300)
@given(counts_strategy(), st.integers(min_value=0, max_value=4))
def test_displays_equal_coverage_numbers_strings(counts: Counts, precision: int) -> None:
    numbers = coverage_numbers(counts, precision)
    assert counts.line_display(precision) == numbers.pc_statements_str
    assert counts.branch_display(precision) == numbers.pc_branches_str
    assert counts.combined_display(precision) == numbers.pc_covered_str


@given(counts_strategy(), counts_strategy())
def test_adding_counts_adds_like_coverage_numbers(first: Counts, second: Counts) -> None:
    total = first + second
    numbers = coverage_numbers(first, 2) + coverage_numbers(second, 2)
    assert (total.statements, total.missing) == (numbers.n_statements, numbers.n_missing)
    assert (total.branches, total.missing_branches, total.partial_branches) == (
        numbers.n_branches,
        numbers.n_missing_branches,
        numbers.n_partial_branches,
    )
    assert total.combined_display() == numbers.pc_covered_str


@given(counts_strategy())
def test_zero_counts_add_nothing(counts: Counts) -> None:
    assert counts + ZERO == counts == ZERO + counts


@settings(max_examples=300)
@given(counts_strategy(), st.integers(min_value=0, max_value=10_000), st.booleans())
def test_meets_decides_exactly_for_targets_in_hundredths(
    counts: Counts, hundredths: int, with_branches: bool
) -> None:
    # Integer arithmetic is the oracle: covered / total >= hundredths / 10,000, no floats.
    def reaches(covered: int, total: int) -> bool:
        return total == 0 or covered * 10_000 >= hundredths * total

    expected = reaches(counts.covered, counts.statements) and (
        not with_branches or reaches(counts.covered_branches, counts.branches)
    )
    assert counts.meets(hundredths / 100, with_branches) == expected


def test_one_missed_in_twenty_five_thousand_misses_100_but_meets_99_996() -> None:
    counts = Counts(25_000, 1, 0, 0, 0)
    assert (counts.meets(100, True), counts.meets(99.996, True)) == (False, True)
    assert counts.meets(99.9961, True) is False


def test_a_tenth_of_a_percent_meets_target_0_1_despite_float_representation() -> None:
    assert Counts(1000, 999, 0, 0, 0).meets(0.1, with_branches=True)


def test_branch_gap_counts_only_when_branches_were_measured() -> None:
    counts = Counts(10, 0, 4, 1, 1)
    assert (counts.meets(100, with_branches=False), counts.meets(100, with_branches=True)) == (
        True,
        False,
    )


@given(counts_strategy())
def test_display_shows_100_only_when_target_100_is_met(counts: Counts) -> None:
    both_complete = counts.meets(100, with_branches=True)
    assert (counts.line_display() == "100.00" and counts.branch_display() == "100.00") == (
        both_complete
    )


@st.composite
def module_strategy(draw: st.DrawFn) -> ModuleCoverage:
    statements = sorted(draw(st.sets(st.integers(min_value=1, max_value=200), max_size=40)))
    missing = sorted(draw(st.lists(st.sampled_from(statements), unique=True))) if statements else []
    arcs = draw(
        st.sets(
            st.tuples(st.sampled_from(statements), st.sampled_from([*statements, -1])),
            max_size=10,
        )
        if statements
        else st.just(set())
    )
    return ModuleCoverage(
        path="pkg/m.py",
        counts=Counts(len(statements), len(missing), 2 * len(arcs), len(arcs), 0),
        statement_lines=tuple(statements),
        missing_lines=tuple(missing),
        missing_arcs=tuple(sorted(arcs)),
    )


@settings(max_examples=200)
@given(module_strategy())
def test_missing_ranges_and_arcs_make_coverage_missing_column(module: ModuleCoverage) -> None:
    grouped: dict[int, list[int]] = defaultdict(list)
    for source, target in module.missing_arcs:
        grouped[source].append(target)
    column = format_lines(module.statement_lines, module.missing_lines, list(grouped.items()))
    ours = [module.missing_ranges, module.missing_arcs_text]
    assert {item for text in ours for item in text.split(", ") if item} == {
        item for item in column.split(", ") if item
    }


def test_arcs_touching_missing_lines_are_hidden() -> None:
    module = ModuleCoverage(
        path="pkg/m.py",
        counts=Counts(5, 1, 4, 2, 2),
        statement_lines=(1, 2, 3, 4, 5),
        missing_lines=(3,),
        missing_arcs=((2, 3), (4, -1)),
    )
    assert (module.missing_ranges, module.missing_arcs_text) == ("3", "4->exit")


def module_with(path: str, counts: Counts) -> ModuleCoverage:
    return ModuleCoverage(path, counts, (), (), ())


def test_report_totals_sum_every_module() -> None:
    report = CoverageReport(
        (module_with("a.py", Counts(10, 2, 4, 1, 1)), module_with("b.py", Counts(5, 0, 2, 2, 0))),
        has_branches=True,
    )
    assert report.totals == Counts(15, 2, 6, 3, 1)


def test_report_without_modules_totals_zero() -> None:
    assert CoverageReport((), has_branches=False).totals == ZERO


@pytest.mark.parametrize(("has_branches", "meets"), [(False, True), (True, False)])
def test_report_meets_weighs_branches_only_when_measured(has_branches: bool, meets: bool) -> None:
    module = module_with("a.py", Counts(10, 0, 4, 1, 1))
    report = CoverageReport((module,), has_branches=has_branches)
    assert report.meets(module, 100) is meets
