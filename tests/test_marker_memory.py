"""An entry's memory in its marker: the compact shape written, every earlier shape read."""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from covtasks.errors import TaskFileError
from covtasks.marker_memory import (
    CLASS_LETTERS,
    CURRENT_KEYS,
    LEGACY_KEYS,
    marker_attrs,
    marker_module,
    memory_from_attrs,
)
from covtasks.markers import format_marker, parse_marker
from covtasks.memory import (
    DONE,
    OPEN,
    PROGRESS,
    Baseline,
    Memory,
    field_digest,
    fingerprint,
    text_digest,
)
from covtasks.template import load_template

ENTRY_FIELDS = load_template(None).field_names
FIELDS = ("Summary", "Owner", "Priority", "Size", "Milestone", "Coverage", "Missing", "Notes")
PATH_40 = "src/printshop/drivers/spooler_queue_x.py"


def read(attrs: dict[str, str], fields: tuple[str, ...] = FIELDS) -> Memory:
    return memory_from_attrs(attrs, 0, fields)


# --- what is written ------------------------------------------------------------------------


def test_a_bare_memory_writes_only_the_module() -> None:
    assert marker_attrs(Memory("pkg/io.py"), FIELDS) == {"m": "pkg/io.py"}


def test_every_set_part_is_written_in_a_fixed_order_digests_last() -> None:
    memory = Memory(
        module="pkg/io.py",
        state=OPEN,
        status=text_digest("Open"),
        baseline=Baseline(45, 60, "2025-10-02"),
        completed="2025-09-20",
        regressed="2025-10-02",
        unmeasured="2025-10-05",
        notes=text_digest("key"),
        nature="stochastic",
        managed={"Summary": 0x01020304, "Size": 0xFFFFFFFF},
        extra={"ratchet": "on"},
    )
    attrs = marker_attrs(memory, FIELDS)
    assert list(attrs) == ["m", "b", "c", "ratchet", "fp"]
    # Completed 12 days before the baseline, regressed on its day, unmeasured 3 days after.
    assert attrs["b"] == "45/60@20251002,c-12,r,u3"
    assert attrs["c"] == "s"
    slots = base64.b64decode(attrs["fp"] + "=" * (-len(attrs["fp"]) % 4))
    assert slots[:4] == text_digest("key").to_bytes(4, "big")  # the notes' inputs first
    assert slots[4:8] == text_digest("Open").to_bytes(4, "big")  # then the status word
    assert slots[8:12] == bytes([1, 2, 3, 4])  # Summary, the first field
    assert slots[12:20] == bytes(8)  # Owner and Priority: nothing written
    assert slots[20:24] == b"\xff" * 4  # Size
    assert len(slots) == 24  # nothing after Size: trailing empty slots are left out


@pytest.mark.parametrize(
    ("dates", "written"),
    [
        ({}, "7/14@20261120"),
        ({"completed": "2026-11-23"}, "7/14@20261120,c3"),
        ({"completed": "2026-11-20"}, "7/14@20261120,c"),
        ({"completed": "2025-11-20", "regressed": "2026-11-20"}, "7/14@20261120,c-365,r"),
        ({"regressed": "2026-11-21"}, "7/14@20261120,r1"),
        ({"unmeasured": "2027-02-28"}, "7/14@20261120,u100"),
        ({"completed": "2026-11-23", "unmeasured": "2026-12-01"}, "7/14@20261120,c3,u11"),
    ],
)
def test_lifecycle_days_are_counted_from_the_baseline_day(
    dates: dict[str, str], written: str
) -> None:
    memory = Memory("a.py", baseline=Baseline(7, 14, "2026-11-20"), **dates)
    assert marker_attrs(memory, ())["b"] == written
    assert read({"m": "a.py", "b": written}) == replace(
        memory, state=DONE if "completed" in dates and "regressed" not in dates else OPEN
    )


@pytest.mark.parametrize(
    ("baseline", "written"),
    [
        (None, ",u@20261126"),
        (Baseline(153, 250, ""), "153/250,u@20261126"),
    ],
    ids=["no-baseline", "percent-baseline"],
)
def test_without_a_baseline_day_lifecycle_days_are_written_in_full(
    baseline: Baseline | None, written: str
) -> None:
    memory = Memory("a.py", baseline=baseline, unmeasured="2026-11-26")
    assert marker_attrs(memory, ())["b"] == written
    assert read({"m": "a.py", "b": written}) == memory


@pytest.mark.parametrize(
    ("completed", "written"),
    [
        ("2299-12-31", "c99999"),
        ("2300-01-01", "c@23000101"),
        ("1752-06-03", "c-99999"),
        ("1752-06-02", "c@17520602"),
        ("0001-01-01", "c@00010101"),
    ],
)
def test_a_day_more_than_99999_days_from_the_baseline_is_written_in_full(
    completed: str, written: str
) -> None:
    memory = Memory("a.py", baseline=Baseline(1, 2, "2026-03-18"), completed=completed)
    assert marker_attrs(memory, ())["b"] == f"1/2@20260318,{written}"
    assert read(marker_attrs(memory, ())) == replace(memory, state=DONE)


def test_a_baseline_in_the_first_millennium_keeps_four_year_digits() -> None:
    memory = Memory("a.py", baseline=Baseline(1, 2, "0999-01-02"), completed="0999-01-03")
    assert marker_attrs(memory, ())["b"] == "1/2@09990102,c1"
    assert read(marker_attrs(memory, ())) == replace(memory, state=DONE)


def test_empty_dates_and_a_plain_deterministic_class_are_left_out() -> None:
    memory = Memory("a.py", PROGRESS, nature="deterministic", regressed="2025-01-02")
    assert marker_attrs(memory, FIELDS) == {"m": "a.py", "b": ",r@20250102"}


@pytest.mark.parametrize(
    ("nature", "code"),
    [
        ("stochastic", "s"),
        ("deterministic:12", "d12"),
        ("platform-specific:0", "p0"),
        ("optional-dependency:1500", "o1500"),
        ("hardware-sensitive", "h"),
        ("type-only:3", "t3"),
        ("stochastic:x", "stochastic:x"),
        ("odd:3", "odd:3"),
        ("version-specific", "version-specific"),
        ("custom", "custom"),  # sorts before "deterministic"
    ],
)
def test_a_class_and_its_testable_gap_are_written_as_a_letter_and_a_number(
    nature: str, code: str
) -> None:
    attrs = marker_attrs(Memory("a.py", nature=nature), ())
    assert attrs["c"] == code
    assert memory_from_attrs(attrs, 0).nature == nature


def test_attributes_of_a_newer_version_are_written_back_before_the_digests() -> None:
    memory = Memory("a.py", notes=5, extra={"ratchet": "2026-01-02", "m": "shadow"})
    attrs = marker_attrs(memory, ())
    assert list(attrs) == ["m", "ratchet", "fp"]
    assert attrs["m"] == "a.py"


def test_digests_of_fields_the_template_lacks_are_not_written() -> None:
    memory = Memory("a.py", managed={"Gone": 7})
    assert marker_attrs(memory, FIELDS) == {"m": "a.py"}


# --- what is read ---------------------------------------------------------------------------


def test_marker_module_reads_m_then_module() -> None:
    assert marker_module({"m": "a.py", "module": "b.py"}) == "a.py"
    assert marker_module({"module": "b.py"}) == "b.py"
    assert marker_module({"m": "", "module": "b.py"}) == ""
    assert marker_module({}) == ""


def test_bare_marker_with_only_a_module_reads_as_open_with_nothing_managed() -> None:
    assert memory_from_attrs({"module": "pkg/io.py"}, 4, FIELDS) == Memory("pkg/io.py")
    assert memory_from_attrs({"m": "pkg/io.py"}, 4, FIELDS) == Memory("pkg/io.py")


def test_marker_a_person_wrote_in_the_task_file_reads_back() -> None:
    attrs = parse_marker(
        '<!-- covtasks:entry module="orbit_sched/ephemeris.py" baseline="61.20" -->'
    )
    assert attrs is not None
    memory = memory_from_attrs(attrs, 44)
    assert memory.baseline == Baseline(153, 250, "")
    assert memory.baseline.display(2) == "61.20"
    assert memory.state == OPEN


@pytest.mark.parametrize(
    ("attrs", "state"),
    [
        ({}, OPEN),
        ({"completed": "2025-01-01"}, DONE),
        ({"completed": "2025-01-01", "regressed": "2025-02-01"}, OPEN),
        ({"b": "1/2@20250101,c"}, DONE),
        ({"b": "1/2@20250101,c-30,r"}, OPEN),
        ({"b": "1/2@20250101,u5"}, OPEN),
        ({"b": "1/2@20250101,c,u5"}, DONE),
        ({"state": "progress", "completed": "2025-01-01"}, PROGRESS),
    ],
)
def test_the_state_follows_from_the_completion_and_regression_dates(
    attrs: dict[str, str], state: str
) -> None:
    assert memory_from_attrs({"module": "a.py", **attrs}, 0).state == state


def test_fp_digests_map_to_the_template_fields_in_order() -> None:
    memory = Memory("a.py", status=9, notes=8, nature="hardware-sensitive", managed={"Owner": 3})
    attrs = marker_attrs(memory, FIELDS)
    assert attrs["c"] == "h"
    assert memory_from_attrs(attrs, 0, FIELDS) == memory
    # Read with another template, the digests follow that template's order.
    assert memory_from_attrs(attrs, 0, ("X", "Y")).managed == {"Y": 3}
    assert memory_from_attrs(attrs, 0, ()).managed == {}


def test_with_notes_recorded_and_no_class_the_module_is_deterministic() -> None:
    assert memory_from_attrs(marker_attrs(Memory("a.py", notes=1), ()), 0).nature == (
        "deterministic"
    )
    assert memory_from_attrs({"m": "a.py"}, 0).nature == ""


def test_the_previous_versions_marker_reads_into_the_same_memory_as_todays() -> None:
    memory = Memory(
        "pkg/c.py",
        status=text_digest("Open"),
        baseline=Baseline(13, 14, "2026-11-26"),
        completed="2026-11-23",
        regressed="2026-11-26",
        unmeasured="2026-11-28",
        notes=text_digest("key"),
        nature="deterministic:7",
        managed={"Summary": 5, "Notes": 6},
    )
    fp = marker_attrs(memory, FIELDS)["fp"]
    previous = {
        "module": "pkg/c.py",
        "base": "13/14@2026-11-26",
        "class": "d7",
        "completed": "2026-11-23",
        "regressed": "2026-11-26",
        "unmeasured": "2026-11-28",
        "fp": fp,
    }
    assert read(previous) == memory
    assert marker_attrs(read(previous), FIELDS) == {
        "m": "pkg/c.py",
        "b": "13/14@20261126,c-3,r,u2",
        "c": "d7",
        "fp": fp,
    }


def test_the_first_versions_marker_reads_into_the_same_memory() -> None:
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


def test_the_compact_attributes_win_over_earlier_ones_in_one_marker() -> None:
    attrs = {
        "m": "a.py",
        "module": "b.py",
        "b": "1/2@20260101,c2",
        "base": "3/4@2026-02-02",
        "completed": "2026-03-03",
        "regressed": "2026-04-04",
        "c": "s",
        "class": "h",
    }
    memory = read(attrs)
    assert (memory.module, memory.baseline, memory.nature) == (
        "a.py",
        Baseline(1, 2, "2026-01-01"),
        "stochastic",
    )
    # A date the compact form lacks comes from the earlier attribute.
    assert (memory.completed, memory.regressed) == ("2026-01-03", "2026-04-04")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("45/60@2025-09-01", Baseline(45, 60, "2025-09-01")),
        ("45/60@20250901", Baseline(45, 60, "2025-09-01")),
        ("0/0@2025-09-01", Baseline(0, 0, "2025-09-01")),
        ("60/60", Baseline(60, 60, "")),
        ("60/60@", Baseline(60, 60, "")),
        ("61.20", Baseline(153, 250, "")),
        ("50@2025-09-01", Baseline(1, 2, "2025-09-01")),
        ("0", Baseline(0, 1, "")),
        ("100", Baseline(1, 1, "")),
        ("100.000", Baseline(1, 1, "")),
        ("33.333333333333", Baseline(33333333333333, 10**14, "")),
    ],
)
def test_baseline_attribute_reads_counts_or_a_percent(text: str, expected: Baseline) -> None:
    for key in ("baseline", "base", "b"):
        assert memory_from_attrs({"module": "a.py", key: text}, 0).baseline == expected


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
        "3/4@2025-W01-1",
        "3/4@2025-0101",
        "3/4@202501011",
    ],
)
def test_malformed_baseline_is_an_error_naming_line_and_text(text: str) -> None:
    with pytest.raises(TaskFileError) as caught:
        memory_from_attrs({"module": "a.py", "baseline": text}, 9)
    assert caught.value.problem == f"line 10: covtasks marker has a malformed baseline {text!r}"


@pytest.mark.parametrize(
    "text",
    [
        ",",
        "1/2@20260101,",
        "abc",
        "3/2@20260101",
        "1/2@20260101,x3",  # an event no version writes
        "1/2@20260101,C3",
        "1/2@20260101,c3,c4",  # one event twice
        "1/2@20260101,c+3",
        "1/2@20260101,c3r",
        "1/2@20260101,c123456",  # more days than the calendar holds
        "1/2@20260101,c 3",
        "1/2,c3",  # a count with no baseline day to count from
        ",c3",
        ",c@2026-13-01",
        ",c@",
        ",c@2026",
        "1/2@20260101;c3",
    ],
)
def test_malformed_b_is_an_error_naming_line_and_text(text: str) -> None:
    with pytest.raises(TaskFileError) as caught:
        memory_from_attrs({"m": "a.py", "b": text}, 3)
    assert caught.value.problem == f"line 4: covtasks marker has a malformed b {text!r}"


def test_a_lifecycle_day_may_be_written_in_full_beside_a_baseline_day() -> None:
    memory = read({"m": "a.py", "b": "1/2@20260101,c@2026-02-01,u@20260301"})
    assert (memory.completed, memory.unmeasured) == ("2026-02-01", "2026-03-01")


@pytest.mark.parametrize("name", ["completed", "regressed", "unmeasured"])
@pytest.mark.parametrize("text", ["soon", "2026-02-30", "26-11-20", "2026-11-20x"])
def test_a_malformed_date_of_the_previous_version_is_an_error(name: str, text: str) -> None:
    with pytest.raises(TaskFileError) as caught:
        memory_from_attrs({"module": "a.py", name: text}, 1)
    assert caught.value.problem == f"line 2: covtasks marker has a malformed {name} date {text!r}"


def test_an_empty_date_of_the_previous_version_reads_as_none() -> None:
    assert read({"module": "a.py", "completed": ""}) == Memory("a.py")


@pytest.mark.parametrize(
    ("fp", "notes", "status"),
    [("", 0, 0), ("AAAAAQ", 1, 0), ("AAAAAQAAAAI", 1, 2)],
)
def test_an_fp_cut_short_has_nothing_recorded_in_the_slots_it_lacks(
    fp: str, notes: int, status: int
) -> None:
    memory = read({"m": "a.py", "fp": fp})
    assert (memory.notes, memory.status, memory.managed) == (notes, status, {})


@pytest.mark.parametrize(
    "fp",
    [
        "!AAA",
        "AAAA",
        "A",
        "AA",
        "AAAA=",
        "AA-A",
        "AAA A",
        "AA\nA",
        "AAAAé",
        "AA_A",
        "A=AA",
        "AAAAAQ!!!",
    ],
)
def test_malformed_fp_is_an_error_naming_line_and_text(fp: str) -> None:
    with pytest.raises(TaskFileError) as caught:
        memory_from_attrs({"m": "a.py", "fp": fp}, 6)
    assert caught.value.problem == f"line 7: covtasks marker has a malformed fp {fp!r}"


@pytest.mark.parametrize(
    "attrs",
    [{}, {"module": ""}, {"m": ""}, {"m": "", "module": "a.py"}, {"state": "open"}],
)
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


def test_a_legacy_digest_of_zero_reads_as_the_digest_covtasks_records_for_it() -> None:
    # text_digest never gives 0 (it means "nothing recorded"): a hash starting with 32 zero
    # bits is recorded as 1, so an old marker's all-zero prefix must read as 1 too.
    memory = memory_from_attrs({"module": "a.py", "managed": "Summary=0000000000"}, 0)
    assert memory.managed == {"Summary": 1}


def test_managed_list_tolerates_empty_items_and_unreadable_digests() -> None:
    memory = memory_from_attrs({"module": "a.py", "managed": ",Summary=,,Owner=12,"}, 0)
    assert memory.managed == {"Summary": 0, "Owner": 0}


def test_unknown_attributes_are_kept_for_the_next_marker() -> None:
    memory = memory_from_attrs({"module": "a.py", "note": "moved here"}, 0)
    assert memory == Memory("a.py", extra={"note": "moved here"})
    assert marker_attrs(memory, ()) == {"m": "a.py", "note": "moved here"}


# --- every shape covtasks writes: within 180 characters, and read back as written ----------

_digests = st.integers(1, 2**32 - 1)
_days = st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31))


@st.composite
def written_memories(draw: st.DrawFn, path: st.SearchStrategy[str]) -> Memory:
    """A memory in any shape a sync leaves it: any lifecycle state, class and set of fields.

    As the planner writes them: a regression resets the baseline to its own day; a module
    never measured has no baseline; a baseline a person wrote as a percent has no day.
    Counts, the testable gap and day counts stay within four digits and 999 days.
    """
    state = draw(st.sampled_from(["open", "progress", "done", "regressed"]))
    day = draw(_days)
    near = st.integers(-999, 999).map(lambda offset: (day + dt.timedelta(offset)).isoformat())
    total = draw(st.integers(0, 9999))
    baseline = draw(
        st.sampled_from(
            [
                Baseline(draw(st.integers(0, total)), total, day.isoformat()),
                Baseline(draw(st.integers(0, total)), total, ""),
                None,
            ]
        )
    )
    completed = draw(near) if state in ("done", "regressed") else ""
    regressed = day.isoformat() if state == "regressed" else ""
    if state == "regressed" and (baseline is None or not baseline.day):
        baseline = Baseline(total, total, day.isoformat())  # a regression always has one
    nature = draw(st.sampled_from(["", *CLASS_LETTERS]))
    if nature and draw(st.booleans()):
        nature += f":{draw(st.integers(0, 9999))}"
    fields = draw(st.sets(st.sampled_from(ENTRY_FIELDS)))
    return Memory(
        module=draw(path),
        state={"done": DONE, "progress": PROGRESS}.get(state, OPEN),
        status=draw(_digests | st.just(0)),
        baseline=baseline,
        completed=completed,
        regressed=regressed,
        unmeasured=draw(st.just("") | near),
        notes=draw(_digests | st.just(0)),
        nature=nature if nature != "" else draw(st.sampled_from(["", "deterministic"])),
        managed={name: draw(_digests) for name in sorted(fields)},
    )


def _as_read(memory: Memory) -> Memory:
    """What reading the marker gives: the state follows from the dates (the next sync tells
    open from in progress), and a plain deterministic class is told by the notes' digest."""
    told = memory.nature or ("deterministic" if memory.notes else "")
    if memory.nature == "deterministic" and not memory.notes:
        told = ""
    state = DONE if memory.completed and not memory.regressed else OPEN
    return replace(memory, state=state, nature=told)


_PATHS_40 = st.text("abcdefghijklmnopqrstuvwxyz_/", min_size=37, max_size=37).map(
    lambda stem: stem + ".py"
)


@settings(max_examples=250, derandomize=True)
@given(written_memories(_PATHS_40))
def test_every_marker_shape_fits_180_characters_for_a_40_character_path(memory: Memory) -> None:
    assert len(memory.module) == 40
    marker = format_marker(marker_attrs(memory, ENTRY_FIELDS))
    assert len(marker) <= 180, marker
    attrs = parse_marker(marker)
    assert attrs is not None
    assert memory_from_attrs(attrs, 0, ENTRY_FIELDS) == _as_read(memory)


def test_the_longest_marker_on_a_40_character_path_is_within_180_characters() -> None:
    """Every part at its longest: four-digit counts and gap, a regression with both dates
    far apart, unmeasured since, a digest for the status word and every template field."""
    memory = Memory(
        PATH_40,
        OPEN,
        0xFFFFFFFF,
        Baseline(9998, 9999, "2026-11-20"),
        completed="2024-02-25",  # 999 days before the regression
        regressed="2026-11-20",
        unmeasured="2029-08-15",  # 999 days after
        notes=0xFFFFFFFF,
        nature="hardware-sensitive:9999",
        managed=dict.fromkeys(ENTRY_FIELDS, 0xFFFFFFFF),
    )
    marker = format_marker(marker_attrs(memory, ENTRY_FIELDS))
    assert len(ENTRY_FIELDS) == 9
    assert len(marker) == 179, marker
    assert marker.startswith(f'<!-- covtasks:entry m="{PATH_40}" b="9998/9999@20261120,c-999,r,')


_text = st.text(st.characters(codec="utf-8"), max_size=12)
_extra_keys = st.from_regex(r"[a-z][a-z0-9_.]{0,6}", fullmatch=True).filter(
    lambda key: key not in CURRENT_KEYS + LEGACY_KEYS
)


@settings(max_examples=200, derandomize=True)
@given(
    written_memories(_text.filter(bool)),
    st.dictionaries(_extra_keys, _text, max_size=2),
    st.integers(0, 10_000),
)
def test_any_memory_survives_the_marker_line_round_trip(
    memory: Memory, extra: dict[str, str], line: int
) -> None:
    memory = replace(memory, extra=extra)
    marker = format_marker(marker_attrs(memory, FIELDS))
    assert "\n" not in marker
    attrs = parse_marker(marker)
    assert attrs is not None
    expected = replace(
        _as_read(memory), managed={k: v for k, v in memory.managed.items() if k in FIELDS}
    )
    assert memory_from_attrs(attrs, line, FIELDS) == expected
