"""Page ranges and job validation: the counter's most-used code, fully covered."""

import pytest
from printshop.jobs import JobError, make_job, parse_pages


def test_parse_pages_with_ranges_and_singles_expands_in_order() -> None:
    assert parse_pages("1-3, 7", page_count=10) == (1, 2, 3, 7)


def test_parse_pages_with_empty_parts_skips_them() -> None:
    assert parse_pages("2,,4,", page_count=4) == (2, 4)


def test_parse_pages_with_backwards_range_raises_job_error() -> None:
    with pytest.raises(JobError, match="backwards"):
        parse_pages("5-2", page_count=10)


def test_parse_pages_beyond_document_raises_job_error() -> None:
    with pytest.raises(JobError, match="outside 1-3"):
        parse_pages("4", page_count=3)


def test_make_job_with_zero_copies_raises_job_error() -> None:
    with pytest.raises(JobError, match="copies"):
        make_job("ana", "flyer.pdf", "1", page_count=1, copies=0)


def test_make_job_counts_sheets_as_pages_times_copies() -> None:
    assert make_job("ana", "flyer.pdf", "1-2", page_count=2, copies=3).sheets == 6
