"""What a job costs: per-sheet prices with a bulk discount, in cents."""

from __future__ import annotations

from printshop.jobs import PrintJob

MONO_CENTS = 8
COLOUR_CENTS = 35
BULK_SHEETS = 100
BULK_PERCENT_OFF = 10


def price_cents(job: PrintJob) -> int:
    """Sheets times the per-sheet price, ten percent off from a hundred sheets."""
    per_sheet = COLOUR_CENTS if job.colour else MONO_CENTS
    total = job.sheets * per_sheet
    if job.sheets >= BULK_SHEETS:
        total -= total * BULK_PERCENT_OFF // 100
    return total


def format_price(cents: int) -> str:
    return f"€{cents // 100}.{cents % 100:02d}"
