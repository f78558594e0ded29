"""Entry memory: fingerprints, baselines, and the marker attributes they live in."""

from __future__ import annotations

import base64
from dataclasses import replace
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from covtasks.errors import TaskFileError
from covtasks.markers import format_marker, parse_marker
from covtasks.memory import (
    CURRENT_KEYS,
    DONE,
    LEGACY_KEYS,
    OPEN,
    PROGRESS,
    Baseline,
    Memory,
    field_digest,
    fingerprint,
    is_written,
    memory_from_attrs,
    text_digest,
    unwrapped,
    unwrapped_digest,
)
from covtasks.template import load_template

ENTRY_FIELDS = load_template(None).field_names

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


# --- Memory.to_attrs ------------------------------------------------------------------

FIELDS = ("Summary", "Owner", "Priority", "Size", "Milestone", "Coverage", "Missing", "Notes")


def test_to_attrs_of_a_bare_memory_writes_only_the_module() -> None:
    assert Memory("pkg/io.py").to_attrs(FIELDS) == {"module": "pkg/io.py"}


def test_to_attrs_writes_every_set_field_in_a_fixed_order_digests_last() -> None:
    memory = Memory(
        module="pkg/io.py",
        state=DONE,
        status=text_digest("Completed"),
        baseline=Baseline(45, 60, "2025-09-01"),
        completed="2025-09-20",
        regressed="2025-10-02",
        unmeasured="2025-10-05",
        notes=text_digest("key"),
        nature="stochastic",
        managed={"Summary": 0x01020304, "Size": 0xFFFFFFFF},
    )
    attrs = memory.to_attrs(FIELDS)
    assert list(attrs) == [
        "module",
        "base",
        "class",
        "completed",
        "regressed",
        "unmeasured",
        "fp",
    ]
    assert attrs["base"] == "45/60@2025-09-01"
    assert attrs["class"] == "s"
    slots = base64.b64decode(attrs["fp"] + "=" * (-len(attrs["fp"]) % 4))
    assert slots[8:12] == bytes([1, 2, 3, 4])  # Summary, the first field
    assert slots[12:20] == bytes(8)  # Owner and Priority: nothing written
    assert slots[20:24] == b"\xff" * 4  # Size
    assert len(slots) == 24  # nothing after Size: trailing empty slots are left out


def test_to_attrs_leaves_out_empty_dates_and_a_deterministic_class() -> None:
    memory = Memory("a.py", PROGRESS, nature="deterministic", regressed="2025-01-02")
    attrs = memory.to_attrs(FIELDS)
    assert "completed" not in attrs
    assert "unmeasured" not in attrs
    assert "class" not in attrs
    assert attrs["regressed"] == "2025-01-02"


@pytest.mark.parametrize(
    ("nature", "code"),
    [
        ("stochastic", "s"),
        ("deterministic:12", "d12"),
        ("platform-specific:0", "p0"),
        ("optional-dependency:1500", "o1500"),
        ("stochastic:x", "stochastic:x"),
        ("odd:3", "odd:3"),
    ],
)
def test_a_class_and_its_testable_gap_are_written_as_a_letter_and_a_number(
    nature: str, code: str
) -> None:
    attrs = Memory("a.py", nature=nature).to_attrs(())
    assert attrs["class"] == code
    assert memory_from_attrs(attrs, 0).nature == nature


def test_a_class_without_a_letter_is_written_in_full() -> None:
    assert Memory("a.py", nature="version-specific").to_attrs(())["class"] == "version-specific"


def test_attributes_of_a_newer_version_are_written_back_before_the_digests() -> None:
    memory = Memory("a.py", notes=5, extra={"ratchet": "2026-01-02"})
    assert list(memory.to_attrs(())) == ["module", "ratchet", "fp"]


def test_digests_of_fields_the_template_lacks_are_not_written() -> None:
    memory = Memory("a.py", managed={"Gone": 7})
    assert memory.to_attrs(FIELDS) == {"module": "a.py"}


# --- digests ------------------------------------------------------------------------------


def test_field_digest_is_the_first_32_bits_of_the_legacy_fingerprint() -> None:
    lines = ["- **Owner**: tv", "  more"]
    assert field_digest(lines) == int(fingerprint(lines)[:8], 16)


def test_text_digest_is_never_zero_and_stable_across_releases() -> None:
    # Markers already in task files hold these digests; a change would look like a human edit.
    assert text_digest("Open") == 0xED077F3D
    assert text_digest("") == 0xE3B0C442


# --- memory_from_attrs ------------------------------------------------------------------


def test_bare_marker_with_only_a_module_reads_as_open_with_nothing_managed() -> None:
    assert memory_from_attrs({"module": "pkg/io.py"}, 4, FIELDS) == Memory("pkg/io.py")


def test_marker_a_person_wrote_in_the_task_file_reads_back() -> None:
    attrs = parse_marker(
        '<!-- covtasks:entry module="orbit_sched/ephemeris.py" baseline="61.20" -->'
    )
    assert attrs is not None
    memory = memory_from_attrs(attrs, 44)
    assert memory.baseline == Baseline(153, 250, "")
    assert memory.baseline.display(2) == "61.20"
    assert memory.state == OPEN


def test_the_state_follows_from_the_completion_and_regression_dates() -> None:
    def state(**dates: str) -> str:
        return memory_from_attrs({"module": "a.py", **dates}, 0).state

    assert state() == OPEN
    assert state(completed="2025-01-01") == DONE
    assert state(completed="2025-01-01", regressed="2025-02-01") == OPEN


def test_fp_digests_map_to_the_template_fields_in_order() -> None:
    memory = Memory("a.py", status=9, notes=8, nature="hardware-sensitive", managed={"Owner": 3})
    attrs = memory.to_attrs(FIELDS)
    assert attrs["class"] == "h"
    assert memory_from_attrs(attrs, 0, FIELDS) == memory
    # Read with another template, the digests follow that template's order.
    assert memory_from_attrs(attrs, 0, ("X", "Y")).managed == {"Y": 3}
    assert memory_from_attrs(attrs, 0, ()).managed == {}


def test_with_notes_recorded_and_no_class_the_module_is_deterministic() -> None:
    assert memory_from_attrs(Memory("a.py", notes=1).to_attrs(()), 0).nature == "deterministic"
    assert memory_from_attrs({"module": "a.py"}, 0).nature == ""


@pytest.mark.parametrize("fp", ["!AAA", "AAAA", "A", "AA", "AAAA=", "AA-A"])
def test_malformed_fp_is_an_error_naming_line_and_text(fp: str) -> None:
    with pytest.raises(TaskFileError) as caught:
        memory_from_attrs({"module": "a.py", "fp": fp}, 6)
    assert caught.value.problem == f"line 7: covtasks marker has a malformed fp {fp!r}"


def test_marker_of_an_earlier_version_reads_into_the_same_memory() -> None:
    owner = ["- **Owner**: tv"]
    attrs = {
        "module": "pkg/io.py",
        "state": "progress",
        "status": "In progress",
        "baseline": "11/19@2026-11-23",
        "notes": "0123456789ab",
        "nature": "stochastic",
        "managed": f"Owner={fingerprint(owner)},Size=e3b0c44298",
    }
    memory = memory_from_attrs(attrs, 0, FIELDS)
    assert memory == Memory(
        "pkg/io.py",
        PROGRESS,
        text_digest("In progress"),
        Baseline(11, 19, "2026-11-23"),
        notes=text_digest("0123456789ab"),
        nature="stochastic",
        managed={"Owner": field_digest(owner), "Size": 0xE3B0C442},
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("45/60@2025-09-01", Baseline(45, 60, "2025-09-01")),
        ("0/0@2025-09-01", Baseline(0, 0, "2025-09-01")),
        ("60/60", Baseline(60, 60, "")),
        ("61.20", Baseline(153, 250, "")),
        ("50@2025-09-01", Baseline(1, 2, "2025-09-01")),
        ("0", Baseline(0, 1, "")),
        ("100", Baseline(1, 1, "")),
        ("100.000", Baseline(1, 1, "")),
        ("33.333333333333", Baseline(33333333333333, 10**14, "")),
    ],
)
def test_baseline_attribute_reads_counts_or_a_percent(text: str, expected: Baseline) -> None:
    memory = memory_from_attrs({"module": "a.py", "baseline": text}, 0)
    assert memory.baseline == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "@2025-09-01",
        "abc",
        "61,20",
        "1/2/3",
        "a/2",
        "1/",
        "/2",
        "3/2@d",  # more covered than total
        "-1/2",
        "1/-2",
        "-5",
        "100.01",
        "150",
        "+5",
        "6.12e1",
        "1e-9999",  # would need a 10000-digit denominator
        "0." + "1" * 13,
        "nan",
        "inf",
        "5.",
        ".5",
        "1_0",
        "0/0@bogus",
        "3/4@day@with@ats",
        "3/4@2025-13-01",
    ],
)
def test_malformed_baseline_is_an_error_naming_line_and_text(text: str) -> None:
    with pytest.raises(TaskFileError) as caught:
        memory_from_attrs({"module": "a.py", "baseline": text}, 9)
    assert caught.value.problem == f"line 10: covtasks marker has a malformed baseline {text!r}"


@pytest.mark.parametrize("attrs", [{}, {"module": ""}, {"state": "open", "status": "Open"}])
def test_marker_without_module_is_an_error(attrs: dict[str, str]) -> None:
    with pytest.raises(TaskFileError) as caught:
        memory_from_attrs(attrs, 0)
    assert caught.value.problem == "line 1: covtasks marker has no module"


@pytest.mark.parametrize("state", ["closed", "Open", "", "DONE"])
def test_marker_with_unknown_state_is_an_error(state: str) -> None:
    with pytest.raises(TaskFileError) as caught:
        memory_from_attrs({"module": "a.py", "state": state}, 2)
    assert caught.value.problem == f"line 3: covtasks marker has an unknown state {state!r}"


@pytest.mark.parametrize("managed", ["Summary", "=abc", "Summary=1,=2", "Owner=1,Size"])
def test_malformed_managed_list_is_an_error(managed: str) -> None:
    with pytest.raises(TaskFileError) as caught:
        memory_from_attrs({"module": "a.py", "managed": managed}, 0)
    assert caught.value.problem == "line 1: covtasks marker has a malformed managed list"


def test_managed_list_tolerates_empty_items_and_unreadable_digests() -> None:
    memory = memory_from_attrs({"module": "a.py", "managed": ",Summary=,,Owner=12,"}, 0)
    assert memory.managed == {"Summary": 0, "Owner": 0}


def test_unknown_attributes_are_kept_for_the_next_marker() -> None:
    memory = memory_from_attrs({"module": "a.py", "note": "moved here"}, 0)
    assert memory == Memory("a.py", extra={"note": "moved here"})
    assert memory.to_attrs(()) == {"module": "a.py", "note": "moved here"}


# --- round trip through the marker line ------------------------------------------------

_text = st.text(st.characters(codec="utf-8"), max_size=12)
_days = st.sampled_from(["", "2025-09-01", "2026-11-20"]) | _text
_digests = st.integers(0, 2**32 - 1)
_natures = st.sampled_from(
    [
        "",
        "deterministic",
        "stochastic",
        "type-only",
        "version-specific",
        "deterministic:12",
        "platform-specific:0",
        "stochastic:x",
    ]
)
_extra_keys = st.from_regex(r"[a-z][a-z0-9_.]{0,6}", fullmatch=True).filter(
    lambda key: key not in CURRENT_KEYS + LEGACY_KEYS
)


@st.composite
def _baselines(draw: st.DrawFn) -> Baseline:
    total = draw(st.integers(0, 10**9))
    day = draw(st.sampled_from(["", "2025-09-01", "2026-11-20"]) | st.dates().map(str))
    return Baseline(draw(st.integers(0, total)), total, day)


_memories = st.builds(
    Memory,
    module=_text.filter(bool),
    status=_digests,
    baseline=st.none() | _baselines(),
    completed=_text,
    regressed=_text,
    unmeasured=_text,
    notes=_digests,
    nature=_natures,
    managed=st.dictionaries(st.sampled_from(FIELDS), st.integers(1, 2**32 - 1), max_size=4),
    extra=st.dictionaries(_extra_keys, _text, max_size=2),
)


@settings(max_examples=300)
@given(_memories, st.integers(0, 10_000))
def test_memory_survives_the_marker_line_round_trip(memory: Memory, line: int) -> None:
    marker = format_marker(memory.to_attrs(FIELDS))
    assert "\n" not in marker
    attrs = parse_marker(marker)
    assert attrs is not None
    known = memory.nature not in ("", "deterministic")
    expected = replace(
        memory,
        state=DONE if memory.completed and not memory.regressed else OPEN,
        nature=memory.nature if known else "deterministic" if memory.notes else "",
    )
    assert memory_from_attrs(attrs, line, FIELDS) == expected


def test_marker_for_a_40_character_path_fits_in_180_characters() -> None:
    path = "src/printshop/drivers/spooler_queue_x.py"
    assert len(path) == 40
    natures = ["deterministic", "stochastic", "hardware-sensitive:1500", "deterministic:120"]
    for nature in natures:
        memory = Memory(
            path,
            PROGRESS,
            text_digest("In progress"),
            Baseline(1234, 5678, "2026-11-23"),
            notes=text_digest("key"),
            nature=nature,
            managed=dict.fromkeys(ENTRY_FIELDS, 0xFFFFFFFF),
        )
        marker = format_marker(memory.to_attrs(ENTRY_FIELDS))
        assert len(marker) <= 180, marker


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
