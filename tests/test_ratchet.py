"""The per-module ratchet: a module once at target that falls below it is a regression."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from typer.testing import CliRunner, Result

from covtasks.cli import app
from covtasks.document import parse_document
from covtasks.history import HistoryRecord
from covtasks.model import ZERO, Counts, CoverageReport, ModuleCoverage
from covtasks.planner import claimed_entries
from covtasks.ratchet import (
    AtTarget,
    EntryRecord,
    Regression,
    entry_records,
    find_regressions,
    stretches_at_target,
)
from tests.sample import SampleProject, git, make_project

TASKS = ".ldres/tv-tasks.md"
D1, D2, D3, D4 = (dt.date(2026, 11, day) for day in (20, 21, 22, 23))
FULL, PARTIAL = Counts(10, 0, 0, 0, 0), Counts(10, 1, 0, 0, 0)


def record(day: dt.date, **modules: Counts | None) -> HistoryRecord:
    return HistoryRecord(day, ZERO, {f"{name}.py": counts for name, counts in modules.items()})


def report(**modules: Counts) -> CoverageReport:
    return CoverageReport(
        tuple(ModuleCoverage(f"{name}.py", c, (), (), ()) for name, c in modules.items()), False
    )


def test_no_history_means_no_stretch_at_target() -> None:
    assert stretches_at_target((), 100.0, False) == {}


def test_a_module_at_target_in_the_latest_sync_runs_from_when_it_got_there() -> None:
    history = (record(D1, a=PARTIAL, b=FULL), record(D2, a=FULL), record(D3, c=FULL))
    assert stretches_at_target(history, 100.0, False) == {
        "a.py": AtTarget(D2, D3, FULL, True),
        "b.py": AtTarget(D1, D3, FULL, True),
        "c.py": AtTarget(D3, D3, FULL, True),
    }


def test_a_module_that_fell_was_last_at_target_at_the_sync_before() -> None:
    history = (record(D1, a=FULL), record(D2, b=FULL), record(D3, a=PARTIAL), record(D4, a=FULL))
    stretches = stretches_at_target(history[:3], 100.0, False)
    assert stretches["a.py"] == AtTarget(D1, D2, FULL, False)
    assert stretches_at_target(history, 100.0, False)["a.py"] == AtTarget(D4, D4, FULL, True)


def test_a_module_no_longer_measured_leaves_its_stretch() -> None:
    stretches = stretches_at_target((record(D1, a=FULL), record(D2, a=None)), 100.0, False)
    assert stretches["a.py"] == AtTarget(D1, D1, FULL, False)


def test_a_fall_after_the_latest_sync_is_a_regression_with_its_dates() -> None:
    found = find_regressions(report(a=PARTIAL, b=FULL), (record(D1, a=FULL, b=FULL),), {}, 100.0)
    assert found == {"a.py": Regression("a.py", "100.00", "90.00", "2026-11-20", "2026-11-20")}
    assert found["a.py"].describe() == "was 100% → now 90.00%, last at target 2026-11-20"


def test_a_fall_already_recorded_stays_a_regression_while_its_entry_says_so() -> None:
    history = (record(D1, a=FULL), record(D2, a=PARTIAL))
    now = report(a=PARTIAL)
    assert find_regressions(now, history, {}, 100.0) == {}
    reopened = {"a.py": EntryRecord("2026-11-20", regressed=True)}
    assert find_regressions(now, history, reopened, 100.0)["a.py"].last == "2026-11-20"


def test_an_entry_marked_regressed_without_history_is_a_regression_from_target() -> None:
    found = find_regressions(report(a=PARTIAL), (), {"a.py": EntryRecord("", True)}, 100.0)
    assert found["a.py"].describe() == "was 100% → now 90.00%"
    completed = {"a.py": EntryRecord("2026-11-20", regressed=False)}
    assert find_regressions(report(a=PARTIAL), (), completed, 100.0) == {}


def test_an_entry_since_date_is_shown_when_the_history_has_no_last_date() -> None:
    regression = Regression("a.py", "95.50", "90.00", "2026-11-20", "")
    assert regression.describe() == "was 95.50% → now 90.00%, last at target 2026-11-20"


def test_entry_records_are_completed_or_regressed_entries() -> None:
    document = parse_document(
        "### Completed · x · Cover `a.py`\n\n"
        "### Open · z · Cover b\n\n"
        '<!-- covtasks:entry module="b.py" state="open" regressed="2026-11-21" '
        'completed="2026-11-20" managed="" -->\n\n'
        "### Open · y · Cover `c.py`\n"
    )
    measured = {path: ModuleCoverage(path, FULL, (), (), ()) for path in ("a.py", "c.py")}
    claims = claimed_entries(document, measured)
    assert entry_records(claims, "Completed") == {
        "a.py": EntryRecord("", False),
        "b.py": EntryRecord("2026-11-20", True),
    }


# --- end to end: a real git repository and real coverage runs ------------------------------

PYPROJECT = """\
[tool.coverage.run]
branch = true
source = ["pkg"]
data_file = ".cache/coverage/coverage.sqlite"

[tool.covtasks]
"""
# 37 statements: 35 assignments, the def and its body. Without late() it is 36/37 = 97.30%.
STEADY = "".join(f"x{index} = {index}\n" for index in range(35)) + "def late():\n    return 0\n"


def invoke(root: Path, *args: str) -> Result:
    return CliRunner().invoke(app, ["-C", str(root), *args])


def repository(tmp_path: Path) -> SampleProject:
    project = make_project(tmp_path, {"pkg/__init__.py": "", "pkg/steady.py": STEADY}, PYPROJECT)
    project.measure("from pkg import steady\nsteady.late()\n")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@e", "add", "pyproject.toml", "pkg")
    git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "steady")
    return project


def test_a_module_at_100_without_an_entry_that_falls_fails_check_and_is_counted_by_sync(
    tmp_path: Path,
) -> None:
    project = repository(tmp_path)
    first = invoke(tmp_path, "sync", "--date", "2026-11-20")
    assert first.stderr == f"{TASKS}: 0 created, 0 updated, 0 completed, 0 regressed\n"
    assert invoke(tmp_path, "check").exit_code == 0
    git(tmp_path, "checkout", "-qb", "feature")
    project.measure("from pkg import steady\n")  # late() no longer runs: 97.30%
    check = invoke(tmp_path, "check")
    assert check.exit_code == 1
    assert (
        "pkg/steady.py  97.30%   100.00%  "
        "regression: was 100% → now 97.30%, last at target 2026-11-20  37\n"
    ) in check.stdout
    synced = invoke(tmp_path, "sync", "--date", "2026-11-23")
    assert synced.stderr == f"{TASKS}: 1 created, 0 updated, 0 completed, 1 regressed\n"
    text = (tmp_path / TASKS).read_text()
    assert "; regressed from 100% on 2026-11-23 (at target since 2026-11-20)\n" in text
    after = invoke(tmp_path, "check")
    assert after.exit_code == 1
    assert "regression: was 100% → now 97.30%, last at target 2026-11-20" in after.stdout
    again = invoke(tmp_path, "sync", "--date", "2026-11-24")
    assert again.stderr == f"{TASKS}: 0 created, 0 updated, 0 completed, 0 regressed\n"


def test_the_stand_up_lists_a_regression_until_it_is_fixed(tmp_path: Path) -> None:
    project = repository(tmp_path)
    invoke(tmp_path, "sync", "--date", "2026-11-20")
    project.measure("from pkg import steady\n")
    invoke(tmp_path, "sync", "--date", "2026-11-21")
    standup = invoke(tmp_path, "standup", "--date", "2026-11-25", "--since", "2026-11-22")
    assert "**⬇️ Regressed**\n\n- `pkg/steady.py` (100% → 97.30%, -2.70%)" in standup.stdout


def test_a_persons_own_entry_does_not_hide_a_fall_from_the_count(tmp_path: Path) -> None:
    project = repository(tmp_path)
    invoke(tmp_path, "sync", "--date", "2026-11-20")
    tasks = tmp_path / TASKS
    tasks.write_text(
        tasks.read_text() + "\n### Open · tv-1:PR3 · Keep `pkg/steady.py` whole\n\n- **Size**: S\n"
    )
    project.measure("from pkg import steady\n")
    synced = invoke(tmp_path, "sync", "--date", "2026-11-21")
    assert synced.stderr == f"{TASKS}: 0 created, 0 updated, 0 completed, 1 regressed\n"


def test_check_formats_carry_what_the_ratchet_knows(tmp_path: Path) -> None:
    project = repository(tmp_path)
    invoke(tmp_path, "sync", "--date", "2026-11-20")
    project.measure("from pkg import steady\n")
    markdown = invoke(tmp_path, "check", "--format", "markdown").stdout
    assert "- `pkg/steady.py` (was 100%, last at target 2026-11-20)" in markdown
    offender = json.loads(invoke(tmp_path, "check", "--format", "json").stdout)["offenders"][0]
    assert (offender["was"], offender["last_at_target"]) == ("100.00", "2026-11-20")


def test_a_regression_known_only_from_its_entry_has_no_date_in_markdown() -> None:
    from covtasks.check import CheckResult, Offender
    from covtasks.check_formats import render_markdown

    offender = Offender("a.py", "regression", "90.00", None, regression=True, was="100")
    result = CheckResult((offender,), 1, "90.00", None, 100.0)
    assert "- `a.py` (was 100%)\n" in render_markdown(result)
