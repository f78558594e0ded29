"""Entry memory: fingerprints, digests, baselines and rewrapped fields."""

from __future__ import annotations

from fractions import Fraction

import pytest

from covtasks.memory import (
    Baseline,
    field_digest,
    fingerprint,
    is_written,
    text_digest,
    unwrapped,
    unwrapped_digest,
)

# --- fingerprint ----------------------------------------------------------------------


def test_fingerprint_is_ten_hex_digits_and_stable_across_releases() -> None:
    # Markers already in task files hold these digests; a change would look like a human edit.
    assert fingerprint(["- **Owner**: tv", "  more"]) == "ae456a1283"
    assert fingerprint([]) == "e3b0c44298"


def test_fingerprint_ignores_line_endings() -> None:
    plain = ["- **Summary**: Bring `pkg/a.py` to 100%.", "  Next line"]
    assert fingerprint([line + "\r\n" for line in plain]) == fingerprint(plain)
    assert fingerprint([line + "\n" for line in plain]) == fingerprint(plain)


@pytest.mark.parametrize(
    "edited",
    [
        ["- **Owner**: maria", "  more"],
        ["- **Owner**: tv ", "  more"],
        ["- **Owner**: tv", "  more", ""],
        ["- **Owner**: tv  more"],
    ],
)
def test_fingerprint_changes_when_text_is_edited(edited: list[str]) -> None:
    assert fingerprint(edited) != fingerprint(["- **Owner**: tv", "  more"])


# --- Baseline ----------------------------------------------------------------------------


def test_baseline_exact_is_the_exact_percent() -> None:
    assert Baseline(2, 3, "2025-09-01").exact == Fraction(200, 3)
    assert Baseline(7, 7, "2025-09-01").exact == 100


def test_baseline_of_nothing_measurable_is_complete() -> None:
    assert Baseline(0, 0, "2025-09-01").exact == 100


def test_baseline_display_rounds_like_coverage_py() -> None:
    assert Baseline(2, 3, "d").display(2) == "66.67"
    assert Baseline(1999, 2000, "d").display(1) == "99.9"  # never 100 unless complete
    assert Baseline(1, 3, "d").display(0) == "33"


# --- digests ------------------------------------------------------------------------------


def test_field_digest_is_the_first_32_bits_of_the_legacy_fingerprint() -> None:
    lines = ["- **Owner**: tv", "  more"]
    assert field_digest(lines) == int(fingerprint(lines)[:8], 16)


def test_text_digest_is_never_zero_and_stable_across_releases() -> None:
    # Markers already in task files hold these digests; a change would look like a human edit.
    assert text_digest("Open") == 0xED077F3D
    assert text_digest("") == 0xE3B0C442


# --- rewrapped fields -----------------------------------------------------------------------


def test_unwrapped_joins_soft_line_breaks_and_drops_their_indentation() -> None:
    wrapped = [
        "- **Summary**: Bring `pkg/a.py`",
        "  to 100% line coverage. ",
        "- **DI/fixture notes**:",
        "  - L7: plain logic → call it",
        "    with inputs\r\n",
        "  1. next",
        "",
        "  after a blank line",
    ]
    assert unwrapped(wrapped) == [
        "- **Summary**: Bring `pkg/a.py` to 100% line coverage.",
        "- **DI/fixture notes**:",
        "  - L7: plain logic → call it with inputs",
        "  1. next",
        "",
        "  after a blank line",
    ]


def test_a_field_without_soft_breaks_digests_as_before() -> None:
    lines = ["- **Notes**:", "  - one", "  - two"]
    assert unwrapped_digest(lines) == field_digest(lines)


def test_a_rewrapped_field_is_still_written_by_covtasks_and_an_edited_one_is_not() -> None:
    written = {unwrapped_digest(["- **Summary**: Bring `pkg/a.py` to 100%."])}
    assert is_written(["- **Summary**: Bring `pkg/a.py` to 100%."], written)
    assert is_written(["- **Summary**: Bring", "    `pkg/a.py` to 100%."], written)
    assert not is_written(["- **Summary**: Bring `pkg/a.py` to 90%."], written)
