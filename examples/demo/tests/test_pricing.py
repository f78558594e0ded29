"""Prices in cents; the bulk discount starts at exactly a hundred sheets."""

from printshop.jobs import PrintJob
from printshop.pricing import format_price, price_cents


def test_price_of_small_mono_job_is_sheets_times_mono_price() -> None:
    assert price_cents(PrintJob("ana", "a.pdf", (1, 2), copies=2)) == 32


def test_price_of_hundred_colour_sheets_takes_ten_percent_off() -> None:
    assert price_cents(PrintJob("bo", "p.pdf", (1,), copies=100, colour=True)) == 3150


def test_format_price_pads_cents_to_two_digits() -> None:
    assert format_price(305) == "€3.05"
