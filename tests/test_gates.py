"""Gates on real files: found by pattern or discovery, raised only upward, other bytes kept."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from covtasks.config import Config, GateSpec, Milestone
from covtasks.coverage_data import read_coverage
from covtasks.errors import ConfigError
from covtasks.gates import (
    GateLocation,
    apply_gate,
    current_gate,
    displayed_total,
    find_gates,
    format_like,
    gate_diff,
    gate_log_line,
    next_gate,
    plan_gate,
    ratchet_value,
    slack_warning,
)
from covtasks.milestones import MilestoneProgress, Remaining
from covtasks.model import Counts, CoverageReport, ModuleCoverage
from tests.sample import SampleProject

PRE_COMMIT = """\
# Coverage gate: 87.00 until the core milestone completes (see the roadmap).
repos:
  - repo: local
    hooks:
      - id: coverage
        name: coverage threshold (>=87.00%)
        entry: python -m coverage report --fail-under=87.00
        language: system
        pass_filenames: false
        always_run: true
"""
SPECS = (
    GateSpec(".githooks/.pre-commit-config.yaml", "--fail-under={value}"),
    GateSpec(".githooks/.pre-commit-config.yaml", "coverage threshold (>={value}%)"),
)
CORE_DONE = MilestoneProgress("Core deterministic modules", 95.0, 4, 4, ())
CORE_OPEN = MilestoneProgress(
    "Core deterministic modules", 95.0, 3, 4, (Remaining("pkg/cli.py", "tv", "97.00", None),)
)


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    return path


def raise_gate(
    root: Path,
    specs: tuple[GateSpec, ...],
    earned: MilestoneProgress | None,
    total: str = "90.00",
    ratchet: bool = False,
) -> dict[Path, str]:
    """What `covtasks gate` does with these pieces: find, decide, apply, write."""
    locations = find_gates(root, specs)
    decision = next_gate(current_gate(locations), earned, Decimal(total), ratchet, 0.85)
    if decision.new is None:
        return {}
    changed = apply_gate(locations, decision.new)
    for path, text in changed.items():
        path.write_bytes(text.encode("utf-8"))
    return changed


def test_completed_milestone_raises_both_named_places_and_keeps_every_other_byte(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, ".githooks/.pre-commit-config.yaml", PRE_COMMIT)
    changed = raise_gate(tmp_path, SPECS, CORE_DONE)
    expected = PRE_COMMIT.replace("(>=87.00%)", "(>=95.00%)").replace("=87.00\n", "=95.00\n")
    assert changed == {path: expected}
    assert path.read_text(encoding="utf-8") == expected
    assert "# Coverage gate: 87.00 until" in expected  # the unnamed occurrence is kept


def test_raising_the_gate_a_second_time_changes_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, ".githooks/.pre-commit-config.yaml", PRE_COMMIT)
    raise_gate(tmp_path, SPECS, CORE_DONE)
    once = path.read_bytes()
    assert raise_gate(tmp_path, SPECS, CORE_DONE) == {}
    assert path.read_bytes() == once


def test_a_later_coverage_drop_never_lowers_the_gate(tmp_path: Path) -> None:
    path = write(tmp_path, ".githooks/.pre-commit-config.yaml", PRE_COMMIT)
    raise_gate(tmp_path, SPECS, CORE_DONE)
    raised = path.read_bytes()
    assert raise_gate(tmp_path, SPECS, CORE_OPEN, total="60.00", ratchet=True) == {}
    assert raise_gate(tmp_path, SPECS, None, total="60.00") == {}
    assert path.read_bytes() == raised


def test_gate_edit_keeps_crlf_newlines(tmp_path: Path) -> None:
    crlf = PRE_COMMIT.replace("\n", "\r\n")
    path = write(tmp_path, ".githooks/.pre-commit-config.yaml", crlf)
    raise_gate(tmp_path, SPECS, CORE_DONE)
    assert (
        path.read_bytes() == crlf.replace("87.00%", "95.00%").replace("=87.00", "=95.00").encode()
    )


def test_find_gates_reports_line_offsets_and_written_text(tmp_path: Path) -> None:
    path = write(tmp_path, ".githooks/.pre-commit-config.yaml", PRE_COMMIT)
    name, argument = find_gates(tmp_path, SPECS)
    assert (name.file, name.line, name.text) == (path, 6, "87.00")
    assert (argument.line, argument.text) == (7, "87.00")
    assert PRE_COMMIT[argument.start : argument.end] == "87.00"


def test_find_gates_counts_a_place_named_by_two_patterns_once(tmp_path: Path) -> None:
    write(tmp_path, "gate.cfg", "threshold=90\n")
    specs = (GateSpec("gate.cfg", "threshold={value}"), GateSpec("gate.cfg", "={value}"))
    assert len(find_gates(tmp_path, specs)) == 1


def test_a_pattern_does_not_match_inside_a_longer_number(tmp_path: Path) -> None:
    write(tmp_path, "gate.txt", "v187% 87.5.3% 90%\n")
    found = find_gates(tmp_path, (GateSpec("gate.txt", "{value}%"),))
    assert [location.text for location in found] == ["187", "90"]


def test_a_pattern_that_matches_nothing_names_pattern_and_file(tmp_path: Path) -> None:
    write(tmp_path, ".githooks/.pre-commit-config.yaml", "repos: []\n")
    with pytest.raises(ConfigError) as caught:
        find_gates(tmp_path, SPECS[:1])
    assert "'--fail-under={value}'" in caught.value.message
    assert ".githooks/.pre-commit-config.yaml" in caught.value.message
    assert caught.value.exit_code == 2


def test_a_missing_gate_file_is_an_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(
        ConfigError, match=r"\.pre-commit-config\.yaml: gate file .* does not exist"
    ):
        find_gates(tmp_path, SPECS)


def test_an_unreadable_gate_file_is_an_error_naming_it(tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()
    with pytest.raises(ConfigError, match="folder: cannot read gate file"):
        find_gates(tmp_path, (GateSpec("folder", "x={value}"),))


def test_discovery_finds_fail_under_in_both_pre_commit_configs(tmp_path: Path) -> None:
    write(tmp_path, ".pre-commit-config.yaml", "entry: coverage report --fail-under=87\n")
    write(tmp_path, ".githooks/.pre-commit-config.yaml", "args: [--cov-fail-under, 90.5]\n")
    write(tmp_path, ".githooks/more.yaml", "entry: coverage report --fail-under=10\n")
    found = find_gates(tmp_path, ())
    assert [(location.file.name, location.text) for location in found] == [
        (".pre-commit-config.yaml", "87")
    ]


def test_discovery_reads_space_separated_and_pytest_cov_arguments(tmp_path: Path) -> None:
    text = "a: coverage report --fail-under 88.5\nb: pytest --cov-fail-under=91\n"
    write(tmp_path, ".githooks/.pre-commit-config.yaml", text)
    assert [location.text for location in find_gates(tmp_path, ())] == ["88.5", "91"]


def test_discovery_skips_commented_out_hooks_and_lookalike_options(tmp_path: Path) -> None:
    text = "  # entry: coverage report --fail-under=50\nx: --no-fail-under=40\n"
    write(tmp_path, ".pre-commit-config.yaml", text + "entry: coverage report --fail-under=87\n")
    assert [location.line for location in find_gates(tmp_path, ())] == [3]


def test_discovery_in_an_empty_folder_finds_nothing(tmp_path: Path) -> None:
    assert find_gates(tmp_path, ()) == []
    assert current_gate([]) is None


PYPROJECT = """\
[project]
name = "acme"  # fail_under = 87 here is only a comment

[tool.coverage.report]
# The gate; covtasks raises it as milestones complete.
fail_under   =   87   # keep in step with .pre-commit-config.yaml
precision = 2
show_missing = true
"""


def test_pyproject_fail_under_87_becomes_95_with_comments_and_layout_kept(tmp_path: Path) -> None:
    path = write(tmp_path, "pyproject.toml", PYPROJECT)
    changed = raise_gate(tmp_path, (), CORE_DONE)
    assert changed == {path: PYPROJECT.replace("=   87   #", "=   95   #")}


def test_pyproject_fail_under_in_dotted_and_inline_tables_is_found(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", "[tool.coverage]\nreport.fail_under = 87.50\n")
    assert [location.text for location in find_gates(tmp_path, ())] == ["87.50"]
    write(tmp_path, "pyproject.toml", "[tool.coverage]\nreport = { fail_under = 87, x = 1 }\n")
    (location,) = find_gates(tmp_path, ())
    assert (location.line, location.text) == (2, "87")


@pytest.mark.parametrize(
    "text",
    [
        "[project]\nname = 'x'\n",
        "[tool.coverage.report]\nprecision = 2\n",
        "tool = 3\n",
        "[tool]\ncoverage = [1]\n",
        "[tool.coverage]\nreport = 5\n",
    ],
)
def test_pyproject_without_a_fail_under_table_value_has_no_gate(tmp_path: Path, text: str) -> None:
    write(tmp_path, "pyproject.toml", text)
    assert find_gates(tmp_path, ()) == []


@pytest.mark.parametrize("value", ['"87"', "8_7", "true", "87e0"])
def test_pyproject_fail_under_that_is_not_a_plain_number_is_an_error(
    tmp_path: Path, value: str
) -> None:
    write(tmp_path, "pyproject.toml", f"[tool.coverage.report]\nfail_under = {value}\n")
    with pytest.raises(ConfigError, match=r"pyproject\.toml: .*fail_under is not a plain number"):
        find_gates(tmp_path, ())


def test_invalid_pyproject_is_an_error_naming_it(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", "[tool.coverage.report\n")
    with pytest.raises(ConfigError, match=r"pyproject\.toml: invalid TOML"):
        find_gates(tmp_path, ())


def test_discovery_reads_coveragerc_report_sections(tmp_path: Path) -> None:
    text = (
        "[run]\nfail_under = 1\n"
        "[report]\nfail_under = 87 ; team gate\n"
        "[coverage:report]\nFail_Under: 88\n"
    )
    write(tmp_path, ".coveragerc", text)
    assert [location.text for location in find_gates(tmp_path, ())] == ["87", "88"]


def test_discovery_reads_only_prefixed_sections_of_setup_cfg_and_tox_ini(tmp_path: Path) -> None:
    write(tmp_path, "setup.cfg", "[report]\nfail_under = 10\n[coverage:report]\nfail_under=87\n")
    write(
        tmp_path,
        "tox.ini",
        "[ coverage:report ]\r\nfail_under = 89.5\r\n[tox]\r\nfail_under = 3\r\n",
    )
    found = find_gates(tmp_path, ())
    assert [(location.file.name, location.line, location.text) for location in found] == [
        ("setup.cfg", 4, "87"),
        ("tox.ini", 2, "89.5"),
    ]


def test_raising_a_discovered_ini_gate_keeps_the_rest_of_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "tox.ini", "[coverage:report]\r\nfail_under = 87.0  # gate\r\n")
    raise_gate(tmp_path, (), CORE_DONE)
    assert path.read_bytes() == b"[coverage:report]\r\nfail_under = 95.0  # gate\r\n"


def location_at(path: Path, text: str) -> GateLocation:
    start = path.read_text(encoding="utf-8").index(text)
    return GateLocation(path, 1, start, start + len(text), text)


def test_current_gate_is_the_weakest_place(tmp_path: Path) -> None:
    path = write(tmp_path, "g.txt", "a=90 b=87.50 c=99\n")
    places = [location_at(path, value) for value in ("90", "87.50", "99")]
    assert current_gate(places) == Decimal("87.50")


def test_apply_gate_leaves_places_already_at_or_above_the_value(tmp_path: Path) -> None:
    path = write(tmp_path, "g.txt", "a=87 b=96 c=95.00\n")
    places = [location_at(path, value) for value in ("87", "96", "95.00")]
    assert apply_gate(places, Decimal("95")) == {path: "a=95 b=96 c=95.00\n"}


def test_apply_gate_refuses_a_file_changed_since_it_was_read(tmp_path: Path) -> None:
    path = write(tmp_path, "g.txt", "a=87\n")
    place = location_at(path, "87")
    path.write_text("a=8\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"g\.txt: changed while covtasks was reading it"):
        apply_gate([place], Decimal("95"))
    path.unlink()
    with pytest.raises(ConfigError, match="changed while"):
        apply_gate([place], Decimal("95"))


def test_ratchet_is_total_minus_buffer_floored_at_two_decimals() -> None:
    assert ratchet_value(Decimal("82.35"), 0.85) == Decimal("81.50")
    assert ratchet_value(Decimal("82.349"), 0.85) == Decimal("81.49")
    assert ratchet_value(Decimal("0.50"), 0.85) == Decimal("0.00")


def test_ratchet_raises_the_gate_when_higher_and_says_why() -> None:
    decision = next_gate(Decimal("80.00"), None, Decimal("82.35"), True, 0.85)
    assert (decision.old, decision.new) == (Decimal("80.00"), Decimal("81.50"))
    assert decision.reason == "ratchet: total 82.35% minus buffer 0.85"


def test_ratchet_below_the_gate_leaves_it_unchanged() -> None:
    decision = next_gate(Decimal("87.00"), None, Decimal("82.35"), True, 0.85)
    assert decision.new is None
    assert (
        decision.reason
        == "gate 87.00 already at or above 81.50 (ratchet: total 82.35% minus buffer 0.85)"
    )


def test_the_higher_of_milestone_and_ratchet_wins() -> None:
    milestone = next_gate(Decimal("87"), CORE_DONE, Decimal("90.00"), True, 0.85)
    assert (milestone.new, milestone.reason) == (
        Decimal("95.0"),
        "milestone “Core deterministic modules” complete",
    )
    ratchet = next_gate(Decimal("87"), CORE_DONE, Decimal("99.00"), True, 0.85)
    assert ratchet.new == Decimal("98.15")


def test_a_milestone_wins_a_tie_with_the_ratchet() -> None:
    decision = next_gate(Decimal("87"), CORE_DONE, Decimal("95.85"), True, 0.85)
    assert decision.reason.startswith("milestone")


def test_without_milestone_or_ratchet_the_gate_stays() -> None:
    decision = next_gate(Decimal("87"), None, Decimal("99"), False, 0.85)
    assert decision.new is None
    assert decision.reason == "no milestone completed in order and ratchet is off"
    no_gate = MilestoneProgress("No gate", None, 1, 1, ())
    assert next_gate(Decimal("87"), no_gate, Decimal("99"), False, 0.85).new is None


def test_without_any_gate_found_the_decision_still_names_the_value() -> None:
    assert next_gate(None, CORE_DONE, Decimal("50"), False, 0.85).new == Decimal("95.0")


GATES = st.decimals(min_value=0, max_value=100, places=2)


@settings(max_examples=300)
@given(
    current=st.none() | GATES,
    gate=st.none() | st.sampled_from([87.0, 95.0, 99.0, 99.5, 100.0]),
    total=GATES,
    ratchet=st.booleans(),
)
def test_next_gate_never_lowers_the_gate(
    current: Decimal | None, gate: float | None, total: Decimal, ratchet: bool
) -> None:
    earned = None if gate is None else MilestoneProgress("m", gate, 1, 1, ())
    decision = next_gate(current, earned, total, ratchet, 0.85)
    assert decision.new is None or current is None or decision.new > current
    assert decision.new is None or decision.new <= 100


@pytest.mark.parametrize(
    ("old", "value", "written"),
    [
        ("87.00", "95", "95.00"),
        ("87", "95", "95"),
        ("87.5", "95", "95.0"),
        ("87", "81.50", "81.5"),
        ("87.5", "81.57", "81.57"),
        ("87", "100", "100"),
        ("87.00", "100.0", "100.00"),
    ],
)
def test_format_like_keeps_the_written_decimals(old: str, value: str, written: str) -> None:
    assert format_like(old, Decimal(value)) == written


@settings(max_examples=300)
@given(old=st.from_regex(r"\A\d{1,3}(\.\d{1,3})?\Z"), value=st.decimals(0, 100, places=3))
def test_format_like_writes_exactly_the_decided_value(old: str, value: Decimal) -> None:
    written = format_like(old, value)
    assert Decimal(written) == value
    assert len(written.partition(".")[2]) >= len(old.partition(".")[2])


def test_slack_warning_when_total_runs_more_than_two_points_above_the_gate() -> None:
    assert slack_warning(Decimal("90.01"), Decimal("88.00"), 0.85) == (
        "the total 90.01% runs 2.01 points above the gate 88.00; "
        "`covtasks gate --ratchet` would set it to 89.16"
    )


def test_no_slack_warning_within_two_points_or_without_a_gate() -> None:
    assert slack_warning(Decimal("90.00"), Decimal("88.00"), 0.85) is None
    assert slack_warning(Decimal("99.00"), None, 0.85) is None


def test_gate_log_line_is_one_markdown_bullet() -> None:
    line = gate_log_line(
        dt.date(2026, 11, 26), "87.00", "95.00", "milestone “Core deterministic modules” complete"
    )
    assert (
        line == "- 2026-11-26: gate 87.00 → 95.00 (milestone “Core deterministic modules” complete)"
    )


def test_gate_diff_names_the_file_relative_to_the_root(tmp_path: Path) -> None:
    diff = gate_diff(tmp_path, tmp_path / "sub" / "g.txt", "a=87\nb\n", "a=95\nb\n")
    assert diff == "--- a/sub/g.txt\n+++ b/sub/g.txt\n@@ -1,2 +1,2 @@\n-a=87\n+a=95\n b\n"
    outside = gate_diff(tmp_path / "x", tmp_path / "g.txt", "1\n", "2\n")
    assert outside.startswith(f"--- a/{tmp_path / 'g.txt'}\n")


def test_displayed_total_is_coverage_py_figure_at_the_report_precision() -> None:
    module = ModuleCoverage("pkg/a.py", Counts(2000, 3, 0, 0, 0), (), (), ())
    assert displayed_total(CoverageReport((module,), True)) == Decimal("99.85")
    assert displayed_total(CoverageReport((module,), True, precision=1)) == Decimal("99.8")


def test_apply_gate_returns_no_file_when_every_place_is_already_high_enough(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, "g.txt", "a=96 b=95.0\n")
    places = [location_at(path, "96"), location_at(path, "95.0")]
    assert apply_gate(places, Decimal("95")) == {}


TODAY = dt.date(2026, 11, 26)


def test_plan_gate_on_measured_data_raises_to_the_first_milestone_and_logs_it(
    gappy_project: SampleProject,
) -> None:
    root = gappy_project.root
    path = write(root, ".githooks/.pre-commit-config.yaml", PRE_COMMIT)
    milestones = (
        Milestone("Core deterministic modules", ("pkg/full.py", "pkg/__init__.py"), 95.0),
        Milestone("Everything else", ("pkg/**",), 99.0),
    )
    config = Config(root=root, milestones=milestones, gates=SPECS)
    plan = plan_gate(config, read_coverage(root, None, {}), TODAY)
    assert plan.new_texts == {
        path: PRE_COMMIT.replace("87.00%", "95.00%").replace("=87.00", "=95.00")
    }
    assert plan.log_line == (
        "- 2026-11-26: gate 87.00 → 95.00 (milestone “Core deterministic modules” complete)"
    )
    assert plan.warning is None


def test_plan_gate_that_changes_nothing_has_no_log_line_but_may_warn_of_slack(
    tmp_path: Path,
) -> None:
    write(tmp_path, ".pre-commit-config.yaml", "entry: coverage report --fail-under=87\n")
    data = CoverageReport((ModuleCoverage("pkg/a.py", Counts(100, 1, 0, 0, 0), (), (), ()),), True)
    plan = plan_gate(Config(root=tmp_path), data, TODAY)
    assert (plan.decision.new, plan.new_texts, plan.log_line) == (None, {}, None)
    assert plan.warning == (
        "the total 99.00% runs 12.00 points above the gate 87; "
        "`covtasks gate --ratchet` would set it to 98.15"
    )
    ratcheted = plan_gate(Config(root=tmp_path), data, TODAY, ratchet=True)
    assert (
        ratcheted.log_line
        == "- 2026-11-26: gate 87 → 98.15 (ratchet: total 99.00% minus buffer 0.85)"
    )
    assert ratcheted.warning is None


def test_plan_gate_without_any_gate_is_an_error_naming_the_config(tmp_path: Path) -> None:
    config = Config(root=tmp_path, source=tmp_path / "pyproject.toml")
    with pytest.raises(ConfigError, match=r"pyproject\.toml: no coverage gate found"):
        plan_gate(config, CoverageReport((), True), TODAY)
    with pytest.raises(ConfigError, match=r"no coverage gate found"):
        plan_gate(Config(root=tmp_path), CoverageReport((), True), TODAY)


def test_apply_gate_refuses_a_file_whose_gate_someone_raised_since_it_was_read(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, "g.txt", "a=87\n")
    place = location_at(path, "87")
    path.write_text("a=99\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="changed while covtasks was reading it"):
        apply_gate([place], Decimal("95"))
    assert path.read_text(encoding="utf-8") == "a=99\n"


def test_discovery_skips_a_hook_commented_out_from_the_first_column(tmp_path: Path) -> None:
    text = "hooks:\n#entry: coverage report --fail-under=50\n#  args: [--fail-under=60]\n"
    write(tmp_path, ".pre-commit-config.yaml", text + "entry: coverage report --fail-under=87\n")
    assert [location.text for location in find_gates(tmp_path, ())] == ["87"]


def test_apply_gate_from_99_5_to_100_rewrites_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "g.txt", "gate=99.5\n")
    assert apply_gate([location_at(path, "99.5")], Decimal("100")) == {path: "gate=100.0\n"}


def test_apply_gate_raises_every_place_in_a_file_when_the_numbers_grow_longer(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, "g.txt", "a=87 b=90\n")
    places = [location_at(path, value) for value in ("87", "90")]
    assert apply_gate(places, Decimal("95.5")) == {path: "a=95.5 b=95.5\n"}


def test_discovery_finds_the_pyproject_gate_after_text_in_any_script(tmp_path: Path) -> None:
    text = '[project]\ndescription = "覆盖率 → gate ✓"\n\n[tool.coverage.report]\nfail_under = 87\n'
    path = write(tmp_path, "pyproject.toml", text)
    (place,) = find_gates(tmp_path, ())
    assert (place.text, place.line) == ("87", 5)
    assert apply_gate([place], Decimal("95")) == {path: text.replace("= 87", "= 95")}


def test_slack_warning_says_how_far_a_low_gate_lags_behind_the_total() -> None:
    warning = slack_warning(Decimal("95.00"), Decimal("40.00"), 0.85)
    assert warning is not None
    assert "runs 55.00 points above the gate 40.00" in warning


def test_discovery_counts_a_leading_blank_line_in_the_gate_line_number(tmp_path: Path) -> None:
    write(
        tmp_path, ".pre-commit-config.yaml", "\nrepos:\n  entry: coverage report --fail-under=87\n"
    )
    assert [location.line for location in find_gates(tmp_path, ())] == [3]


def test_apply_gate_keeps_a_place_already_at_the_value_byte_for_byte(tmp_path: Path) -> None:
    path = write(tmp_path, "g.txt", "a=087 b=80\n")
    places = [location_at(path, value) for value in ("087", "80")]
    assert apply_gate(places, Decimal("87")) == {path: "a=087 b=87\n"}


def test_discovery_ignores_a_fail_under_line_before_any_ini_section(tmp_path: Path) -> None:
    write(tmp_path, ".coveragerc", "fail_under = 50\n[report]\nfail_under = 87\n")
    assert [location.text for location in find_gates(tmp_path, ())] == ["87"]


@pytest.mark.parametrize(
    ("line", "gates"),
    [
        # A "#" inside quotes is text, so the hook is live.
        ("entry: 'echo #1; coverage report --fail-under=70'", ["70"]),
        # A "#" right after other text starts no comment.
        ("entry: run x#1 coverage report --fail-under=70", ["70"]),
        ("  - entry: run x#1 coverage report --fail-under=70", ["70"]),
        ("entry: echo ab# y --fail-under=70", ["70"]),
        # A backslash escaping the end of the text before the gate leaves nothing to read.
        ('entry: "pytest \\--cov-fail-under=70"', ["70"]),
        ('entry: "sh -c \\"echo #1\\" && coverage report --fail-under=70"', ["70"]),
        # After a closed string, " #" starts a comment.
        ('entry: "ab" # coverage report --fail-under=70', []),
        ('entry: "a\\"" # coverage report --fail-under=70', []),
        ('args: ["--cov"] # "--fail-under=70"', []),
        # Inside single quotes a backslash is text and does not escape the closing quote.
        ("entry: 'a\\' # coverage report --fail-under=70", []),
    ],
)
def test_discovery_tells_a_yaml_comment_from_a_hash_inside_quotes(
    tmp_path: Path, line: str, gates: list[str]
) -> None:
    write(tmp_path, ".pre-commit-config.yaml", line + "\n")
    assert [location.text for location in find_gates(tmp_path, ())] == gates


@pytest.mark.parametrize("indent", [" ", "\t", "    "])
def test_an_indented_fail_under_line_continues_the_value_above_and_is_no_gate(
    tmp_path: Path, indent: str
) -> None:
    above = "[report]\nexclude_lines =\n    pragma: no cover\n"
    text = f"{above}{indent}fail_under = 50\nfail_under = 87\n"
    write(tmp_path, ".coveragerc", text)
    assert [location.text for location in find_gates(tmp_path, ())] == ["87"]
