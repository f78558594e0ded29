"""The action date: --date, SOURCE_DATE_EPOCH, or the injected clock."""

from __future__ import annotations

import datetime as dt

import pytest

from covtasks.dates import parse_date, resolve_date
from covtasks.errors import UsageError


def test_explicit_date_wins_over_source_date_epoch() -> None:
    day = resolve_date("2026-01-02", {"SOURCE_DATE_EPOCH": "0"})
    assert day == dt.date(2026, 1, 2)


def test_source_date_epoch_gives_the_utc_day() -> None:
    assert resolve_date(None, {"SOURCE_DATE_EPOCH": "86400"}) == dt.date(1970, 1, 2)


def test_without_date_or_epoch_the_clock_decides() -> None:
    assert resolve_date(None, {}, today=lambda: dt.date(2030, 5, 6)) == dt.date(2030, 5, 6)


@pytest.mark.parametrize("text", ["26-11-2026", "2026-13-01", "tomorrow"])
def test_malformed_date_is_a_usage_error_naming_the_option(text: str) -> None:
    with pytest.raises(UsageError, match="--date must be a date written YYYY-MM-DD"):
        parse_date(text)


def test_malformed_source_date_epoch_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="SOURCE_DATE_EPOCH"):
        resolve_date(None, {"SOURCE_DATE_EPOCH": "yesterday"})
