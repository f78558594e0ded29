"""Priority ranks the open entries by one rule and cuts the ranking into P0–P3."""

from __future__ import annotations

from collections import Counter
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from covtasks.priority import PRIORITY_SENTENCE, Standing, class_and_gap, priorities, ranked

CLASSES = ["deterministic", "stochastic", "hardware-sensitive", "type-only", ""]


def standing(
    path: str,
    gap: int = 5,
    milestone: int | None = None,
    module_class: str = "deterministic",
    line_coverage: Fraction = Fraction(50),
) -> Standing:
    return Standing(path, milestone, module_class, gap, line_coverage)


@st.composite
def standings(draw: st.DrawFn, min_size: int = 0) -> list[Standing]:
    count = draw(st.integers(min_size, 40))
    return [
        standing(
            f"pkg/m{index}.py",
            gap=draw(st.integers(0, 60)),
            milestone=draw(st.none() | st.integers(0, 3)),
            module_class=draw(st.sampled_from(CLASSES)),
            line_coverage=Fraction(draw(st.integers(0, 99))),
        )
        for index in range(count)
    ]


@settings(max_examples=80)
@given(standings(min_size=10))
def test_with_ten_or_more_entries_no_priority_holds_more_than_half(
    entries: list[Standing],
) -> None:
    counts = Counter(priorities(entries).values())
    assert max(counts.values()) <= len(entries) // 2
    assert max(counts.values()) <= -(-len(entries) // 4)  # a quarter, rounded up


def test_ten_entries_alike_still_spread_over_every_priority() -> None:
    # The rule alone cannot tell these apart; line coverage, then the path, order them.
    entries = [standing(f"pkg/m{index}.py") for index in range(10)]
    assert Counter(priorities(entries).values()) == {"P0": 3, "P1": 3, "P2": 3, "P3": 1}


@settings(max_examples=60)
@given(standings())
def test_an_earlier_milestone_never_gets_a_later_priority(entries: list[Standing]) -> None:
    given_priority = priorities(entries)
    for first in entries:
        for second in entries:
            if first.milestone is not None and (
                second.milestone is None or first.milestone < second.milestone
            ):
                assert given_priority[first.path] <= given_priority[second.path]


def test_modules_in_no_milestone_come_after_every_milestone() -> None:
    order = ranked([standing("pkg/free.py", gap=90), standing("pkg/core.py", gap=1, milestone=3)])
    assert [entry.path for entry in order] == ["pkg/core.py", "pkg/free.py"]


def test_within_a_milestone_larger_testable_gaps_come_first() -> None:
    order = ranked([standing("pkg/small.py", gap=2), standing("pkg/big.py", gap=40)])
    assert [entry.path for entry in order] == ["pkg/big.py", "pkg/small.py"]


def test_equal_gaps_put_the_lower_line_coverage_first() -> None:
    low = standing("pkg/z.py", line_coverage=Fraction(10))
    high = standing("pkg/a.py", line_coverage=Fraction(90))
    assert ranked([high, low]) == [low, high]


@pytest.mark.parametrize("module_class", ["stochastic", "hardware-sensitive"])
def test_stochastic_or_hardware_work_comes_after_deterministic_work(module_class: str) -> None:
    seeded = standing("pkg/seeded.py", gap=90, module_class=module_class)
    plain = standing("pkg/plain.py", gap=1)
    assert ranked([seeded, plain]) == [plain, seeded]


def test_a_gap_with_no_test_work_comes_last_in_its_milestone_but_before_the_next() -> None:
    untestable = standing("pkg/win.py", gap=0, milestone=0, module_class="platform-specific")
    seeded = standing("pkg/seeded.py", gap=3, milestone=0, module_class="stochastic")
    later = standing("pkg/later.py", gap=80, milestone=1)
    assert ranked([later, untestable, seeded]) == [seeded, untestable, later]


def test_no_entries_no_priorities() -> None:
    assert priorities([]) == {}


def test_priorities_come_in_rank_order() -> None:
    entries = [standing("pkg/small.py", gap=2), standing("pkg/big.py", gap=40)]
    assert list(priorities(entries).items()) == [("pkg/big.py", "P0"), ("pkg/small.py", "P1")]


@pytest.mark.parametrize(
    ("nature", "expected"),
    [
        ("deterministic:12", ("deterministic", 12)),
        ("platform-specific:0", ("platform-specific", 0)),
        ("stochastic", ("stochastic", 7)),
        ("stochastic:", ("stochastic", 7)),
        ("", ("", 7)),
        ("odd:²", ("odd", 7)),
    ],
)
def test_class_and_gap_read_from_the_marker_class(nature: str, expected: tuple[str, int]) -> None:
    assert class_and_gap(nature, 7) == expected


def test_readme_says_the_priority_rule() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    prose = " ".join(readme.replace("**", "").split())
    assert " ".join(PRIORITY_SENTENCE.split()) in prose
