"""The Summary sentence: where the gap is and what kind of work it needs."""

from __future__ import annotations

from covtasks.summary import gap_sentence


def test_the_largest_kinds_of_work_are_named_with_their_functions() -> None:
    groups = [
        ("spool_job", [10, 11, 12, 13, 14], "subprocess"),
        ("drain", [30, 31, 32], "subprocess"),
        ("load", [50, 52], "error-path"),
    ]
    assert gap_sentence(groups) == (
        "8 lines in `spool_job` and `drain` need a runner seam; "
        "2 lines in `load` need an error raised."
    )


def test_more_functions_than_shown_are_counted() -> None:
    groups = [("a", [1, 2, 3], "logic"), ("b", [5, 6], "logic"), ("c", [8], "logic")]
    assert gap_sentence(groups) == "6 lines in `a`, `b` and 1 more need plain tests."


def test_kinds_past_the_first_two_are_summed_without_counting_a_line_twice() -> None:
    groups = [
        ("", [1, 2, 3, 4], "filesystem"),
        ("", [5, 6, 7], "logic"),
        ("", [8, 9], "clock"),
        ("", [4, 10], "environment"),  # line 4 is already counted with the filesystem
    ]
    assert gap_sentence(groups) == (
        "4 lines need a path parameter and `tmp_path`; 3 lines need plain tests; "
        "3 more lines need other work (clock, environment)."
    )


def test_kinds_past_the_first_two_whose_lines_are_all_counted_add_nothing() -> None:
    groups = [("", [1, 2], "filesystem"), ("", [3], "logic"), ("", [1], "environment")]
    assert gap_sentence(groups) == (
        "2 lines need a path parameter and `tmp_path`; 1 line needs plain tests."
    )


def test_one_more_line_of_other_work_is_singular() -> None:
    groups = [("", [1, 2], "filesystem"), ("", [3], "logic"), ("", [4], "clock")]
    assert gap_sentence(groups).endswith("; 1 more line needs other work (clock).")


def test_a_class_other_than_deterministic_opens_the_sentence() -> None:
    groups = [("train", [4], "hardware")]
    assert gap_sentence(groups, "hardware-sensitive:1") == (
        "Hardware-sensitive: 1 line in `train` needs a CPU pathway."
    )
    assert gap_sentence(groups, "deterministic:1") == "1 line in `train` needs a CPU pathway."


def test_a_kind_without_a_phrase_says_its_name() -> None:
    assert gap_sentence([("", [1], "gpio")]) == "1 line needs gpio work."


def test_no_groups_no_sentence() -> None:
    assert gap_sentence([]) == ""
