"""The day covtasks acts on: ``--date``, else ``SOURCE_DATE_EPOCH``, else today."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

from covtasks.errors import UsageError


def parse_date(text: str, option: str = "--date") -> dt.date:
    """A YYYY-MM-DD date, or a usage error naming the option."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{option} must be a date written YYYY-MM-DD, not {text!r}") from None


def resolve_date(
    option: str | None,
    environ: Mapping[str, str],
    today: Callable[[], dt.date] = dt.date.today,
) -> dt.date:
    """Reproducible builds set SOURCE_DATE_EPOCH; an explicit --date wins over it."""
    if option is not None:
        return parse_date(option)
    epoch = environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None:
        try:
            moment = dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
        except (ValueError, OverflowError, OSError):
            raise UsageError(f"SOURCE_DATE_EPOCH must be whole seconds, not {epoch!r}") from None
        return moment.date()
    return today()
