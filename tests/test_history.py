"""The coverage history file: change-only lines, reconstruction of any date, errors by line."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from covtasks.errors import TaskFileError
from covtasks.history import (
    HistoryRecord,
    append,
    decode,
    encode,
    first_seen,
    read_history,
    record_at,
    record_for,
    state_at,
    sync_dates,
    sync_history,
)
from covtasks.model import Counts, CoverageReport, ModuleCoverage

DAY1, DAY2, DAY3 = dt.date(2025, 10, 1), dt.date(2025, 10, 2), dt.date(2025, 10, 3)


def _report(counts: dict[str, Counts], has_branches: bool = True) -> CoverageReport:
    modules = tuple(ModuleCoverage(path, value, (), (), ()) for path, value in counts.items())
    return CoverageReport(modules, has_branches)


A1, A2, B1 = Counts(10, 5, 4, 2, 1), Counts(10, 1, 4, 0, 0), Counts(3, 0, 0, 0, 0)


def test_first_sync_records_every_module_and_totals() -> None:
    record = record_for((), _report({"a.py": A1, "b.py": B1}), DAY1, gate=70.0)
    assert record == HistoryRecord(DAY1, A1 + B1, {"a.py": A1, "b.py": B1}, 70.0)


def test_later_sync_records_only_changed_and_vanished_modules() -> None:
    first = record_for((), _report({"a.py": A1, "b.py": B1, "c.py": B1}), DAY1)
    assert first is not None
    second = record_for((first,), _report({"a.py": A2, "b.py": B1}), DAY2)
    assert second is not None
    assert dict(second.modules) == {"a.py": A2, "c.py": None}


def test_unchanged_sync_adds_no_line() -> None:
    report = _report({"a.py": A1})
    first = record_for((), report, DAY1, gate=80.0)
    assert first is not None
    assert record_for((first,), report, DAY2, gate=80.0) is None


def test_gate_change_alone_adds_a_line_without_modules() -> None:
    report = _report({"a.py": A1})
    first = record_for((), report, DAY1, gate=80.0)
    assert first is not None
    second = record_for((first,), report, DAY2, gate=87.0)
    assert second == HistoryRecord(DAY2, A1, {}, 87.0)


def test_empty_report_with_empty_history_adds_no_line() -> None:
    assert record_for((), _report({}), DAY1) is None


def test_line_is_compact_sorted_json_with_counts_as_lists() -> None:
    record = HistoryRecord(DAY1, A1, {"b.py": None, "a.py": A1}, 95.5)
    assert encode(record) == (
        '{"date":"2025-10-01","gate":95.5,"modules":{"a.py":[10,5,4,2,1],"b.py":null},'
        '"totals":[10,5,4,2,1]}'
    )


def test_same_date_syncs_add_lines_and_the_later_one_wins(tmp_path: Path) -> None:
    path = tmp_path / ".ldres" / "history.jsonl"
    sync_history(path, _report({"a.py": A1}), DAY1)
    sync_history(path, _report({"a.py": A2}), DAY1)
    records = read_history(path)
    assert len(records) == 2
    assert state_at(records, DAY1) == {"a.py": A2}
    assert sync_dates(records) == (DAY1,)


def test_second_identical_sync_leaves_the_file_untouched(tmp_path: Path) -> None:
    path = tmp_path / "history.jsonl"
    assert sync_history(path, _report({"a.py": A1}), DAY1) is not None
    before = path.read_bytes()
    assert sync_history(path, _report({"a.py": A1}), DAY2) is None
    assert path.read_bytes() == before


def test_state_at_a_date_before_the_first_sync_is_empty() -> None:
    record = HistoryRecord(DAY2, A1, {"a.py": A1})
    assert state_at((record,), DAY1) == {}
    assert record_at((record,), DAY1) is None


def test_lines_joined_out_of_date_order_apply_by_date() -> None:
    later = HistoryRecord(DAY3, A2, {"a.py": A2})
    earlier = HistoryRecord(DAY1, A1, {"a.py": A1})
    assert state_at((later, earlier), DAY2) == {"a.py": A1}
    assert state_at((later, earlier)) == {"a.py": A2}


def test_first_seen_is_the_earliest_measured_counts() -> None:
    records = (
        HistoryRecord(DAY1, B1, {"b.py": B1}),
        HistoryRecord(DAY2, A1, {"a.py": A1, "b.py": None}),
        HistoryRecord(DAY3, A2, {"a.py": A2, "b.py": A1}),
    )
    assert first_seen(records) == {"a.py": A1, "b.py": B1}


def test_missing_history_file_reads_as_empty(tmp_path: Path) -> None:
    assert read_history(tmp_path / "none.jsonl") == ()


def test_blank_lines_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "h.jsonl"
    path.write_text("\n" + encode(HistoryRecord(DAY1, A1, {"a.py": A1})) + "\n\n")
    assert len(read_history(path)) == 1


def test_append_keeps_crlf_and_completes_an_unterminated_last_line(tmp_path: Path) -> None:
    path = tmp_path / "h.jsonl"
    first = encode(HistoryRecord(DAY1, A1, {"a.py": A1}))
    path.write_bytes(first.encode() + b"\r\n" + first.encode())
    append(path, HistoryRecord(DAY2, A2, {"a.py": A2}))
    lines = path.read_bytes().split(b"\r\n")
    assert len(lines) == 4
    assert lines[-1] == b""
    assert [r.date for r in read_history(path)] == [DAY1, DAY1, DAY2]


def test_append_to_unreadable_history_reports_the_file(tmp_path: Path) -> None:
    path = tmp_path / "h.jsonl"
    path.write_bytes(b"\xff\xfe")
    with pytest.raises(TaskFileError, match=r"h\.jsonl: not UTF-8"):
        append(path, HistoryRecord(DAY1, A1, {}))


GOOD = json.loads(encode(HistoryRecord(DAY1, A1, {"a.py": A1}, 90.0)))


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("{not json", "not a JSON history record"),
        ("[1, 2]", "not a JSON object"),
        (json.dumps({**GOOD, "extra": 1}), "unknown key 'extra'"),
        (json.dumps({k: v for k, v in GOOD.items() if k != "gate"}), "missing key 'gate'"),
        (json.dumps({**GOOD, "date": "2025-13-01"}), "'date' must be YYYY-MM-DD"),
        (json.dumps({**GOOD, "date": 20251001}), "'date' must be YYYY-MM-DD"),
        (json.dumps({**GOOD, "gate": "90"}), "'gate' must be a percent from 0 to 100 or null"),
        (json.dumps({**GOOD, "gate": True}), "'gate' must be a percent from 0 to 100 or null"),
        (json.dumps({**GOOD, "modules": []}), "'modules' must be an object"),
        (json.dumps({**GOOD, "modules": {"a.py": [1, 2]}}), "'a.py' must be five"),
        (json.dumps({**GOOD, "totals": [1, 0, 0, 0, -1]}), "'totals' must be five"),
        (json.dumps({**GOOD, "totals": [1, 0, 0, 0, True]}), "'totals' must be five"),
        (json.dumps({**GOOD, "totals": "x"}), "'totals' must be five"),
        (json.dumps({**GOOD, "totals": [1, 2, 0, 0, 0]}), "more missing than measured"),
        (json.dumps({**GOOD, "totals": [1, 0, 2, 3, 0]}), "more missing than measured"),
        (json.dumps({**GOOD, "totals": [1, 0, 2, 0, 3]}), "more missing than measured"),
    ],
)
def test_mangled_line_raises_error_naming_file_line_and_problem(line: str, problem: str) -> None:
    with pytest.raises(TaskFileError) as caught:
        decode(line, "h.jsonl", 7)
    assert caught.value.message.startswith("h.jsonl: line 7: ")
    assert problem in caught.value.message


def test_mangled_line_in_file_names_its_line_number(tmp_path: Path) -> None:
    path = tmp_path / "h.jsonl"
    good = encode(HistoryRecord(DAY1, A1, {"a.py": A1}))
    path.write_text(f"{good}\n{good[:-5]}\n{good}\n")
    with pytest.raises(TaskFileError, match=r"h\.jsonl: line 2: not a JSON history record"):
        read_history(path)


def test_integer_gate_reads_back_as_float() -> None:
    record = decode(json.dumps({**GOOD, "gate": 87}), "h", 1)
    assert record.gate == 87.0
    assert isinstance(record.gate, float)


counts_strategy = st.builds(
    lambda s, m, b, mb, pb: Counts(s, min(m, s), b, min(mb, b), min(pb, b)),
    *(st.integers(0, 30) for _ in range(5)),
)
snapshots = st.dictionaries(st.sampled_from(["a.py", "b.py", "c/d.py", "é.py"]), counts_strategy)


@settings(max_examples=80)
@given(
    syncs=st.lists(
        st.tuples(
            st.integers(0, 4), snapshots, st.one_of(st.none(), st.sampled_from([70.0, 87.5]))
        ),
        max_size=8,
    )
)
def test_round_trip_rebuilds_every_synced_dates_numbers(
    tmp_path_factory: pytest.TempPathFactory,
    syncs: list[tuple[int, dict[str, Counts], float | None]],
) -> None:
    path = tmp_path_factory.mktemp("history") / "h.jsonl"
    expected: dict[dt.date, tuple[dict[str, Counts], float | None]] = {}
    day = DAY1
    for step, modules, gate in syncs:
        day += dt.timedelta(days=step)  # syncs move forward in time, several may share a day
        sync_history(path, _report(modules), day, gate)
        expected[day] = (modules, gate)
    records = read_history(path)
    for when, (modules, gate) in expected.items():
        assert state_at(records, when) == modules
        last = record_at(records, when)
        if last is not None:
            assert last.gate == gate
            assert last.totals == _report(modules).totals
