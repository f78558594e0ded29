"""The umbrella entry's snapshot fields, rendered in the roadmap's own style."""

from __future__ import annotations

import datetime as dt

import mdformat

from covtasks.history import HistoryRecord
from covtasks.model import ZERO, Counts, CoverageReport, ModuleCoverage
from covtasks.snapshot import render_snapshot, snapshot_fields

DAY1, DAY2 = dt.date(2025, 9, 20), dt.date(2025, 10, 3)


def _module(path: str, counts: Counts) -> ModuleCoverage:
    return ModuleCoverage(path, counts, (), (), ())


# Baselines on day 1; now: paths.py complete, cli.py +5.46 points, slow.py +1.00 (not
# significant), parquet.py new and low, util.py complete since the start.
PATHS_BEFORE, PATHS_NOW = Counts(100, 7, 0, 0, 0), Counts(100, 0, 0, 0, 0)  # 93.00% → 100%
CLI_BEFORE, CLI_NOW = Counts(10000, 4849, 0, 0, 0), Counts(10000, 1303, 0, 0, 0)
SLOW_BEFORE, SLOW_NOW = Counts(100, 50, 0, 0, 0), Counts(100, 49, 0, 0, 0)
PARQUET = Counts(17, 10, 0, 0, 0)  # 41.18%
UTIL = Counts(5, 0, 0, 0, 0)

HISTORY = (
    HistoryRecord(
        DAY1,
        ZERO,
        {
            "acme/io/paths.py": PATHS_BEFORE,
            "acme/cli.py": CLI_BEFORE,
            "acme/slow.py": SLOW_BEFORE,
            "acme/util.py": UTIL,
        },
        70.0,
    ),
)
REPORT = CoverageReport(
    (
        _module("acme/io/paths.py", PATHS_NOW),
        _module("acme/cli.py", CLI_NOW),
        _module("acme/slow.py", SLOW_NOW),
        _module("acme/readers/parquet.py", PARQUET),
        _module("acme/util.py", UTIL),
    ),
    has_branches=False,
)


def test_fields_are_named_and_ordered_like_the_roadmap_entry() -> None:
    fields = snapshot_fields(REPORT, HISTORY, DAY2, 87.0)
    assert [lines[0] for lines in fields.values()] == [
        "- **Latest snapshot (2025-10-03)**:",
        "- **Completed modules (100% coverage)**:",
        "- **Significantly improved modules**:",
        "- **Module backlog**:",
    ]


def test_latest_snapshot_states_global_coverage_and_gate() -> None:
    lines = snapshot_fields(REPORT, HISTORY, DAY2, 87.0)["snapshot"]
    totals = REPORT.totals
    assert lines == [
        "- **Latest snapshot (2025-10-03)**:",
        f"  - Global coverage **{totals.combined_display()}%** (lines {totals.line_display()}%).",
        "  - Pre-commit gate at `--fail-under=87.00`.",
    ]


def test_completed_lists_modules_brought_to_target_with_their_baseline() -> None:
    lines = snapshot_fields(REPORT, HISTORY, DAY2, None)["completed"]
    assert lines == [
        "- **Completed modules (100% coverage)**:",
        "  - ✅ `acme/io/paths.py` (93.00% → 100%)",
    ]


def test_significantly_improved_needs_two_points_over_the_baseline() -> None:
    lines = snapshot_fields(REPORT, HISTORY, DAY2, None)["improved"]
    assert lines == [
        "- **Significantly improved modules**:",
        "  - ⬆️ `acme/cli.py` (51.51% → 86.97%, +35.46%)",
    ]


def test_backlog_lists_every_module_below_target_lowest_first() -> None:
    lines = snapshot_fields(REPORT, HISTORY, DAY2, None)["backlog"]
    assert lines == [
        "- **Module backlog**:",
        "  - `acme/readers/parquet.py` (41.18%)",
        "  - `acme/slow.py` (51.00%)",
        "  - `acme/cli.py` (86.97%)",
    ]


def test_empty_fields_say_none_on_one_line() -> None:
    report = CoverageReport((_module("acme/util.py", UTIL),), has_branches=True)
    fields = snapshot_fields(report, (), DAY2, None)
    assert fields["completed"] == ["- **Completed modules (100% coverage)**: none."]
    assert fields["backlog"] == ["- **Module backlog**: none."]
    assert "branches 100%" in fields["snapshot"][1]


def test_improved_modules_are_ordered_by_gain_then_path() -> None:
    history = (
        HistoryRecord(DAY1, ZERO, {"b.py": Counts(10, 8, 0, 0, 0), "a.py": Counts(10, 8, 0, 0, 0)}),
        HistoryRecord(DAY1, ZERO, {"c.py": Counts(10, 9, 0, 0, 0)}),
    )
    report = CoverageReport(
        (
            _module("a.py", Counts(10, 5, 0, 0, 0)),
            _module("b.py", Counts(10, 5, 0, 0, 0)),
            _module("c.py", Counts(10, 1, 0, 0, 0)),
        ),
        has_branches=False,
    )
    lines = snapshot_fields(report, history, DAY2, None)["improved"]
    assert [line.split("`")[1] for line in lines[1:]] == ["c.py", "a.py", "b.py"]


def test_lower_target_renames_completed_field() -> None:
    fields = snapshot_fields(REPORT, HISTORY, DAY2, None, target=95.0)
    assert fields["completed"][0].startswith("- **Completed modules (95% coverage)**")


def test_fields_inside_an_umbrella_entry_are_stable_under_mdformat() -> None:
    entry = [
        "### Open · tv-2025-09-20:PR?? · Coverage roadmap to 100%",
        "",
        "- **Summary**: Bring every module to 100% line and branch coverage.",
        "- **Size**: L",
    ]
    for lines in snapshot_fields(REPORT, HISTORY, DAY2, 87.0).values():
        entry.extend(lines)
    text = "\n".join(entry) + "\n"
    assert mdformat.text(text) == text


def test_snapshot_block_is_all_fields_as_one_list() -> None:
    text = render_snapshot(REPORT, HISTORY, DAY2, None)
    assert text.startswith("- **Latest snapshot (2025-10-03)**:\n")
    assert text.endswith("  - `acme/cli.py` (86.97%)\n")
    assert mdformat.text(text) == text
