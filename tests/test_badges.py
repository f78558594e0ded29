"""Badges and the trend picture: valid SVG, stable bytes, the report's numbers, colours."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from fractions import Fraction
from pathlib import Path

import pytest

from covtasks.badges import (
    NAMED_COLOURS,
    badge_svg,
    colour_for,
    colour_hex,
    text_width,
    write_badges,
)
from covtasks.config import Config
from covtasks.coverage_data import read_coverage
from covtasks.errors import ConfigError, TaskFileError
from covtasks.history import HistoryRecord, read_history, sync_history
from covtasks.model import Counts, CoverageReport, ModuleCoverage
from covtasks.trend import trend_points, trend_svg
from tests.sample import SampleProject

SVG = "{http://www.w3.org/2000/svg}"
DAY1, DAY2, DAY3 = dt.date(2025, 10, 1), dt.date(2025, 10, 5), dt.date(2025, 10, 9)
THRESHOLDS = Config(root=Path()).badge_thresholds


def _texts(svg: str) -> list[str]:
    return [element.text or "" for element in ET.fromstring(svg).iter(f"{SVG}text")]


def _report(counts: Counts, has_branches: bool = True) -> CoverageReport:
    return CoverageReport((ModuleCoverage("a.py", counts, (), (), ()),), has_branches)


@pytest.fixture
def measured(gappy_project: SampleProject) -> CoverageReport:
    return read_coverage(gappy_project.root)


def test_badges_show_the_reports_numbers_and_parse_as_svg(
    measured: CoverageReport, tmp_path: Path
) -> None:
    written = write_badges(tmp_path, measured, (), 70.0, THRESHOLDS, DAY1)
    assert sorted(path.name for path in written) == [
        "branches.svg",
        "coverage.svg",
        "lines.svg",
        "trend.svg",
    ]
    totals = measured.totals
    expected = {
        "coverage.svg": ["coverage", f"{totals.combined_display()}%"],
        "lines.svg": ["lines", f"{totals.line_display()}%"],
        "branches.svg": ["branches", f"{totals.branch_display()}%"],
    }
    for name, (label, value) in expected.items():
        texts = _texts((tmp_path / name).read_text(encoding="utf-8"))
        assert texts == [label, label, value, value]


def test_second_run_writes_nothing_and_bytes_are_identical(
    measured: CoverageReport, tmp_path: Path
) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    write_badges(first, measured, (), 87.0, THRESHOLDS, DAY1)
    assert write_badges(first, measured, (), 87.0, THRESHOLDS, DAY1) == []
    write_badges(second, measured, (), 87.0, THRESHOLDS, DAY1)
    for name in ("coverage.svg", "lines.svg", "branches.svg", "trend.svg"):
        assert (first / name).read_bytes() == (second / name).read_bytes()


def test_only_changed_pictures_are_rewritten(tmp_path: Path) -> None:
    write_badges(tmp_path, _report(Counts(10, 1, 4, 0, 0)), (), None, THRESHOLDS, DAY1)
    changed = write_badges(tmp_path, _report(Counts(10, 1, 4, 1, 1)), (), None, THRESHOLDS, DAY1)
    assert sorted(path.name for path in changed) == ["branches.svg", "coverage.svg", "trend.svg"]


def test_unreadable_badge_path_is_an_error_naming_it(tmp_path: Path) -> None:
    (tmp_path / "coverage.svg").mkdir()
    with pytest.raises(TaskFileError, match=r"coverage\.svg: cannot read badge"):
        write_badges(tmp_path, _report(Counts(1, 0, 0, 0, 0)), (), None, THRESHOLDS, DAY1)


def test_report_without_branch_data_gets_a_grey_na_branch_badge(tmp_path: Path) -> None:
    write_badges(tmp_path, _report(Counts(4, 1, 0, 0, 0), False), (), None, THRESHOLDS, DAY1)
    svg = (tmp_path / "branches.svg").read_text(encoding="utf-8")
    assert _texts(svg)[2] == "n/a"
    assert NAMED_COLOURS["lightgrey"] in svg


@pytest.mark.parametrize(
    ("percent", "colour"),
    [
        (Fraction(100), "brightgreen"),
        (Fraction(9999, 100), "green"),  # displays as 99.99: not complete, not bright green
        (Fraction(95), "green"),
        (Fraction(90), "yellowgreen"),
        (Fraction(80), "yellow"),
        (Fraction(70), "orange"),
        (Fraction(6999, 100), "red"),
    ],
)
def test_colour_is_the_highest_threshold_reached_exactly(percent: Fraction, colour: str) -> None:
    assert colour_for(percent, THRESHOLDS) == colour


def test_thresholds_in_any_order_pick_the_highest_reached() -> None:
    assert colour_for(Fraction(96), [(50.0, "blue"), (95.0, "#123456")]) == "#123456"


def test_colour_accepts_hex_and_rejects_anything_else() -> None:
    assert colour_hex("#abc") == "#abc"
    assert colour_hex("green") == NAMED_COLOURS["green"]
    with pytest.raises(ConfigError, match=r"badge colour 'url\(x\)'"):
        colour_hex("url(x)")


def test_badge_escapes_text_and_sizes_from_the_width_table() -> None:
    svg = badge_svg('a<b&"c', "1%", "blue")
    root = ET.fromstring(svg)
    assert root.get("aria-label") == 'a<b&"c: 1%'
    assert int(root.get("width", "0")) == text_width('a<b&"c') + text_width("1%") + 20
    assert text_width("iW%") == 26  # 3.5 + 10 + 12 pixels, rounded up


def _history() -> tuple[HistoryRecord, ...]:
    first, second = Counts(100, 30, 40, 20, 10), Counts(100, 20, 40, 10, 5)
    return (
        HistoryRecord(DAY1, first, {"a.py": first}, 70.0),
        HistoryRecord(DAY2, second, {"a.py": second}, None),
        HistoryRecord(DAY3, second, {}, 87.0),
    )


def test_trend_points_take_each_days_totals_and_today_from_the_report() -> None:
    now = _report(Counts(100, 5, 40, 2, 2))
    points = trend_points(_history(), now, 90.0, DAY3)
    assert [(p.date, p.lines, p.branches, p.gate) for p in points] == [
        (DAY1, "70.00", "50.00", 70.0),
        (DAY2, "80.00", "75.00", None),
        (DAY3, "95.00", "95.00", 90.0),
    ]


def test_trend_is_valid_svg_with_legend_equal_to_the_report(measured: CoverageReport) -> None:
    svg = trend_svg(_history(), measured, 87.0, dt.date(2025, 10, 12))
    texts = _texts(svg)
    totals = measured.totals
    assert f"lines {totals.line_display()}%" in texts
    assert f"branches {totals.branch_display()}%" in texts
    assert "gate 87%" in texts
    assert {"2025-10-01", "2025-10-12", "sync date", "Coverage trend", "100%"} <= set(texts)


def test_trend_gate_is_a_step_line_broken_where_no_gate_was_set() -> None:
    svg = trend_svg(_history(), _report(Counts(100, 5, 40, 2, 2)), 87.0, DAY3)
    paths = [p.get("d", "") for p in ET.fromstring(svg).iter(f"{SVG}path")]
    gate = paths[-1]
    assert gate.count("M") == 2  # 70% from day 1, then a gap (day 2 had none), then 87% on day 3
    assert gate.endswith("H410")


def test_trend_of_a_single_point_centres_it_without_branches_or_gate() -> None:
    svg = trend_svg((), _report(Counts(10, 5, 0, 0, 0), False), None, DAY1)
    root = ET.fromstring(svg)
    circles = list(root.iter(f"{SVG}circle"))
    assert [(c.get("cx"), c.get("cy")) for c in circles] == [("233.00", "240.00")]
    assert "2025-10-01" in _texts(svg)
    assert not any("branches" in text or "gate" in text for text in _texts(svg))
    assert len(list(root.iter(f"{SVG}path"))) == 1  # only the axes


def test_trend_over_real_syncs_is_byte_identical_across_runs(
    gappy_project: SampleProject, tmp_path: Path
) -> None:
    report = read_coverage(gappy_project.root)
    history_path = tmp_path / "history.jsonl"
    sync_history(history_path, report, DAY1, 50.0)
    history = read_history(history_path)
    first = trend_svg(history, report, 50.0, DAY2)
    assert trend_svg(read_history(history_path), report, 50.0, DAY2) == first
    ET.fromstring(first)
