"""Stand-ups over a scripted sequence of real coverage runs and syncs on three dates."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import mdformat
import pytest

from covtasks.coverage_data import read_coverage
from covtasks.history import HistoryRecord, read_history, sync_history
from covtasks.model import ZERO, Counts, CoverageReport, ModuleCoverage
from covtasks.standup import (
    Change,
    NextTask,
    Standup,
    build_standup,
    default_since,
    next_by_owner,
    render_json,
    render_markdown,
)
from tests.sample import make_project

DAY1, DAY2, DAY3 = dt.date(2025, 10, 1), dt.date(2025, 10, 2), dt.date(2025, 10, 3)

TWO_FUNCTIONS = "def f():\n    return 1\n\n\ndef g():\n    return 2\n"
FOUR_FUNCTIONS = TWO_FUNCTIONS + "\n\ndef h():\n    return 3\n\n\ndef k():\n    return 4\n"
HALF = 'def half(flag):\n    if flag:\n        return "yes"\n    return "no"\n'
HALF_AND_MORE = HALF + "\n\ndef extra():\n    return 0\n"

# Day by day: rise climbs, done completes then regresses (new code), finish completes on
# day 3, steady and full never move, late appears on day 3 below target.
DRIVERS = {
    DAY1: "from pkg import rise, done, finish, steady, full\n"
    "rise.f(); done.half(True); finish.f(); steady.f(); full.f(); full.g()\n",
    DAY2: "from pkg import rise, done, finish, steady, full\n"
    "rise.f(); rise.g(); done.half(True); done.half(False); finish.f(); steady.f()\n"
    "full.f(); full.g()\n",
    DAY3: "from pkg import rise, done, finish, steady, full, late\n"
    "rise.f(); rise.g(); rise.h(); done.half(True); done.half(False); finish.f(); finish.g()\n"
    "steady.f(); full.f(); full.g()\n",
}


@dataclass
class Scenario:
    history_path: Path
    reports: dict[dt.date, CoverageReport]

    @property
    def history(self) -> tuple[HistoryRecord, ...]:
        return read_history(self.history_path)


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    root = tmp_path_factory.mktemp("standup")
    project = make_project(
        root,
        {
            "pkg/__init__.py": "",
            "pkg/rise.py": FOUR_FUNCTIONS,
            "pkg/done.py": HALF,
            "pkg/finish.py": TWO_FUNCTIONS,
            "pkg/steady.py": TWO_FUNCTIONS,
            "pkg/full.py": TWO_FUNCTIONS,
        },
    )
    history = root / ".ldres" / "covtasks-history.jsonl"
    reports = {}
    for day, driver in DRIVERS.items():
        if day == DAY3:
            project.write("pkg/done.py", HALF_AND_MORE)
            project.write("pkg/late.py", "def late():\n    return 1\n")
        project.measure(driver)
        report = read_coverage(root)
        sync_history(history, report, day, gate=70.0 if day == DAY1 else 87.0)
        reports[day] = report
    return Scenario(history, reports)


def _standup(scenario: Scenario, since: dt.date | None, today: dt.date) -> Standup:
    return build_standup(scenario.history, scenario.reports[today], since, today, (), None, ())


def _groups(standup: Standup) -> dict[str, list[tuple[str, str | None, str, str | None]]]:
    def rows(changes: tuple[Change, ...]) -> list[tuple[str, str | None, str, str | None]]:
        return [(c.path, c.before, c.after, c.delta) for c in changes]

    return {
        "completed": rows(standup.completed),
        "improved": rows(standup.improved),
        "regressed": rows(standup.regressed),
        "new": rows(standup.new_below),
    }


def test_history_holds_one_line_per_sync_with_only_changed_modules(scenario: Scenario) -> None:
    records = scenario.history
    assert [r.date for r in records] == [DAY1, DAY2, DAY3]
    assert set(records[1].modules) == {"pkg/rise.py", "pkg/done.py"}
    assert set(records[2].modules) == {"pkg/rise.py", "pkg/done.py", "pkg/finish.py", "pkg/late.py"}


def test_day_two_standup_lists_completion_and_rise_only(scenario: Scenario) -> None:
    standup = _standup(scenario, DAY1, DAY2)
    assert _groups(standup) == {
        "completed": [("pkg/done.py", "66.67", "100.00", "+33.33")],
        "improved": [("pkg/rise.py", "62.50", "75.00", "+12.50")],
        "regressed": [],
        "new": [],
    }


def test_default_window_on_day_three_is_since_day_two(scenario: Scenario) -> None:
    standup = _standup(scenario, None, DAY3)
    assert standup.since == DAY2
    assert standup.note is None
    assert _groups(standup) == {
        "completed": [("pkg/finish.py", "75.00", "100.00", "+25.00")],
        "improved": [("pkg/rise.py", "75.00", "87.50", "+12.50")],
        "regressed": [("pkg/done.py", "100.00", "87.50", "-12.50")],
        "new": [("pkg/late.py", None, "50.00", None)],
    }


def test_window_since_day_one_nets_out_the_regression_as_an_improvement(
    scenario: Scenario,
) -> None:
    standup = _standup(scenario, DAY1, DAY3)
    assert _groups(standup) == {
        "completed": [("pkg/finish.py", "75.00", "100.00", "+25.00")],
        "improved": [
            ("pkg/done.py", "66.67", "87.50", "+20.83"),
            ("pkg/rise.py", "62.50", "87.50", "+25.00"),
        ],
        "regressed": [],
        "new": [("pkg/late.py", None, "50.00", None)],
    }


def test_global_figures_match_each_days_report_and_their_difference(scenario: Scenario) -> None:
    standup = _standup(scenario, DAY1, DAY3)
    before, after = scenario.reports[DAY1].totals, scenario.reports[DAY3].totals
    figures = {f.path: (f.before, f.after) for f in standup.figures}
    assert figures == {
        "total": (before.combined_display(), after.combined_display()),
        "lines": (before.line_display(), after.line_display()),
        "branches": (before.branch_display(), after.branch_display()),
    }


def test_markdown_shows_groups_in_roadmap_style_and_is_stable_under_mdformat(
    scenario: Scenario,
) -> None:
    tasks = [
        NextTask("pkg/late.py", "alice", "P1", "S"),
        NextTask("pkg/steady.py", "bob", "P2", "XS"),
    ]
    standup = build_standup(
        scenario.history, scenario.reports[DAY3], None, DAY3, tasks, 87.0, [("Core", 3, 6)]
    )
    text = render_markdown(standup)
    assert "**Stand-up 2025-10-03** (changes since 2025-10-02)" in text
    assert "- ✅ " not in text  # the emoji titles the group; items stay plain bullets
    assert "- `pkg/finish.py` (75.00% → 100%)" in text
    assert "- `pkg/rise.py` (75.00% → 87.50%, +12.50%)" in text
    assert "- `pkg/done.py` (100% → 87.50%, -12.50%)" in text
    assert "- `pkg/late.py` (50.00%)" in text
    assert "- Gate `--fail-under=87.00`" in text
    assert "- alice\n  - `pkg/late.py` (P1, S)" in text
    assert "- Core: 3/6 modules at target" in text
    assert "steady.py` (75" not in text
    assert "full.py" not in text
    assert mdformat.text(text) == text


def test_json_carries_the_same_groups_as_numbers(scenario: Scenario) -> None:
    standup = build_standup(
        scenario.history, scenario.reports[DAY3], DAY1, DAY3, [], 87.0, [("Core", 3, 6)]
    )
    document = json.loads(render_json(standup))
    assert document["since"] == "2025-10-01"
    assert document["gate"] == 87.0
    assert document["improved"] == [
        {"path": "pkg/done.py", "from": 66.67, "to": 87.5, "delta": 20.83},
        {"path": "pkg/rise.py", "from": 62.5, "to": 87.5, "delta": 25.0},
    ]
    assert document["new_below"] == [
        {"path": "pkg/late.py", "from": None, "to": 50.0, "delta": None}
    ]
    assert document["milestones"] == [{"name": "Core", "met": 3, "total": 6}]
    totals = scenario.reports[DAY3].totals
    assert document["totals"]["lines"]["to"] == float(totals.line_display())


def test_without_history_standup_degrades_with_a_note_and_no_changes(scenario: Scenario) -> None:
    standup = build_standup((), scenario.reports[DAY3], None, DAY3, (), None, ())
    assert standup.since is None
    assert standup.note is not None
    assert "since the last sync" in standup.note
    assert _groups(standup) == {"completed": [], "improved": [], "regressed": [], "new": []}
    text = render_markdown(standup)
    assert "(no earlier numbers to compare with)" in text
    assert "Note: No coverage history yet" in text
    assert "No module changed" not in text
    assert all(f.delta is None for f in standup.figures)
    assert mdformat.text(text) == text


def test_history_restarted_today_compares_with_the_last_sync_and_says_so(
    scenario: Scenario, tmp_path: Path
) -> None:
    fresh = tmp_path / "history.jsonl"
    sync_history(fresh, scenario.reports[DAY3], DAY3)
    standup = build_standup(read_history(fresh), scenario.reports[DAY3], None, DAY3, (), None, ())
    assert standup.since == DAY3
    assert (
        standup.note == "No sync before 2025-10-03 in the history; changes are since the last sync."
    )
    assert "No module changed." in render_markdown(standup)


def test_since_before_the_history_starts_uses_the_first_sync_with_a_note(
    scenario: Scenario,
) -> None:
    standup = _standup(scenario, dt.date(2025, 9, 1), DAY2)
    assert standup.since == DAY1
    assert standup.note == "The history starts on 2025-10-01; changes are since then."


def test_module_newly_measured_at_target_is_in_no_group() -> None:
    full = CoverageReport((ModuleCoverage("a.py", Counts(2, 0, 0, 0, 0), (), (), ()),), False)
    history = (HistoryRecord(DAY1, ZERO, {}),)
    standup = build_standup(history, full, DAY1, DAY2, (), None, ())
    assert _groups(standup) == {"completed": [], "improved": [], "regressed": [], "new": []}
    assert [f.path for f in standup.figures] == ["total", "lines"]


def test_module_crossing_below_a_lower_target_without_moving_far_is_a_regression() -> None:
    before = Counts(10, 1, 0, 0, 0)  # 90.00%
    after = Counts(1000, 101, 0, 0, 0)  # 89.90%: below a 90% target
    report = CoverageReport((ModuleCoverage("a.py", after, (), (), ()),), False)
    history = (HistoryRecord(DAY1, before, {"a.py": before}),)
    standup = build_standup(history, report, DAY1, DAY2, (), None, (), target=90.0)
    assert [c.path for c in standup.regressed] == ["a.py"]


def test_next_up_keeps_top_three_per_owner_by_priority_then_size() -> None:
    tasks = [
        NextTask("a.py", "zoe", "P2", "S"),
        NextTask("b.py", "amy", "P1", "L"),
        NextTask("c.py", "amy", "P1", "xs"),
        NextTask("d.py", "amy", "P0", "M"),
        NextTask("e.py", "amy", "P1", "?"),
    ]
    assert next_by_owner(tasks) == (
        ("amy", (tasks[3], tasks[2], tasks[1])),
        ("zoe", (tasks[0],)),
    )


def test_default_since_is_the_latest_sync_before_today() -> None:
    records = tuple(HistoryRecord(day, ZERO, {}) for day in (DAY1, DAY2, DAY3))
    assert default_since(records, DAY3) == DAY2
    assert default_since(records, DAY1) is None


def test_a_ratchet_regression_already_in_the_window_is_listed_once() -> None:
    from covtasks.ratchet import Regression

    history = (HistoryRecord(DAY1, ZERO, {"a.py": Counts(10, 0, 0, 0, 0)}),)
    now = CoverageReport((ModuleCoverage("a.py", Counts(10, 1, 0, 0, 0), (), (), ()),), False)
    regression = Regression("a.py", "100.00", "90.00", "2025-10-01", "2025-10-01")
    standup = build_standup(history, now, DAY1, DAY2, (), None, (), 100.0, (regression,))
    assert [change.path for change in standup.regressed] == ["a.py"]
