"""Entry memory: fingerprints, baselines, and the marker attributes they live in."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from covtasks.errors import TaskFileError
from covtasks.markers import format_marker, parse_marker
from covtasks.memory import (
    DONE,
    OPEN,
    PROGRESS,
    STATES,
    Baseline,
    Memory,
    fingerprint,
    memory_from_attrs,
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


# --- Memory.to_attrs ------------------------------------------------------------------


def test_to_attrs_of_a_fresh_entry_writes_identity_and_an_empty_managed_list() -> None:
    memory = Memory("pkg/io.py", OPEN, "Open", None)
    assert memory.to_attrs() == {
        "module": "pkg/io.py",
        "state": "open",
        "status": "Open",
        "managed": "",
    }


def test_to_attrs_writes_every_set_field_in_a_fixed_order() -> None:
    memory = Memory(
        module="pkg/io.py",
        state=DONE,
        status="Completed",
        baseline=Baseline(45, 60, "2025-09-01"),
        completed="2025-09-20",
        regressed="2025-10-02",
        unmeasured="2025-10-05",
        managed={"Summary": "ae456a1283", "Next steps": "e3b0c44298"},
    )
    attrs = memory.to_attrs()
    assert list(attrs) == [
        "module",
        "state",
        "status",
        "baseline",
        "completed",
        "regressed",
        "unmeasured",
        "managed",
    ]
    assert attrs["baseline"] == "45/60@2025-09-01"
    assert attrs["managed"] == "Summary=ae456a1283,Next steps=e3b0c44298"


def test_to_attrs_leaves_out_empty_dates() -> None:
    memory = Memory("a.py", PROGRESS, "In progress", Baseline(1, 2, "d"), regressed="2025-01-02")
    assert "completed" not in memory.to_attrs()
    assert "unmeasured" not in memory.to_attrs()
    assert memory.to_attrs()["regressed"] == "2025-01-02"


def test_managed_field_name_with_comma_or_percent_survives_the_list() -> None:
    # Template field names are free text: "Risks, notes" must not split into two items.
    managed = {"Risks, notes": "0123456789", "Done %": "abcdef0123", "a=b": "x"}
    attrs = Memory("a.py", OPEN, "Open", None, managed=managed).to_attrs()
    assert attrs["managed"] == "Risks%2C notes=0123456789,Done %25=abcdef0123,a=b=x"
    assert memory_from_attrs(attrs, 0).managed == managed


def test_with_managed_replaces_the_digests_and_copies_them() -> None:
    memory = Memory("a.py", OPEN, "Open", None, managed={"Old": "1"})
    digests = {"Summary": "2"}
    updated = memory.with_managed(digests)
    digests["Later"] = "3"
    assert updated.managed == {"Summary": "2"}
    assert memory.managed == {"Old": "1"}
    assert updated.module == memory.module


# --- memory_from_attrs ------------------------------------------------------------------


def test_bare_marker_with_only_a_module_reads_as_open_with_nothing_managed() -> None:
    assert memory_from_attrs({"module": "pkg/io.py"}, 4) == Memory("pkg/io.py", OPEN, "", None)


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
    ("text", "expected"),
    [
        ("45/60@2025-09-01", Baseline(45, 60, "2025-09-01")),
        ("0/0@2025-09-01", Baseline(0, 0, "2025-09-01")),
        ("60/60", Baseline(60, 60, "")),
        ("3/4@day@with@ats", Baseline(3, 4, "day@with@ats")),
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


def test_managed_list_tolerates_empty_items_and_empty_digests() -> None:
    memory = memory_from_attrs({"module": "a.py", "managed": ",Summary=,,Owner=12,"}, 0)
    assert memory.managed == {"Summary": "", "Owner": "12"}


def test_unknown_attributes_are_ignored() -> None:
    memory = memory_from_attrs({"module": "a.py", "note": "moved here"}, 0)
    assert memory == Memory("a.py", OPEN, "", None)


# --- round trip through the marker line ------------------------------------------------

_text = st.text(st.characters(codec="utf-8"), max_size=12)
_days = st.sampled_from(["", "2025-09-01", "2026-11-20"]) | _text
_digests = st.text("0123456789abcdef", max_size=10)


@st.composite
def _baselines(draw: st.DrawFn) -> Baseline:
    total = draw(st.integers(0, 10**9))
    return Baseline(draw(st.integers(0, total)), total, draw(_days))


_memories = st.builds(
    Memory,
    module=_text.filter(bool),
    state=st.sampled_from(STATES),
    status=_text,
    baseline=st.none() | _baselines(),
    completed=_text,
    regressed=_text,
    unmeasured=_text,
    managed=st.dictionaries(_text.filter(bool), _digests, max_size=4),
)


@settings(max_examples=300)
@given(_memories, st.integers(0, 10_000))
def test_memory_survives_the_marker_line_round_trip(memory: Memory, line: int) -> None:
    marker = format_marker(memory.to_attrs())
    assert "\n" not in marker
    attrs = parse_marker(marker)
    assert attrs is not None
    assert memory_from_attrs(attrs, line) == memory
