"""Config loading: where settings come from, and every way a bad value is refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from covtasks.cli import app
from covtasks.config import (
    Config,
    GateSpec,
    Hint,
    Milestone,
    OwnerRule,
    StatusWords,
    find_pyproject,
    load_config,
    parse_config,
)
from covtasks.errors import ConfigError

# Every key set to a non-default value, as a team would write it.
EVERY_KEY = """\
[tool.covtasks]
target = 95
coverage = "build/.coverage"
tasks = "docs/roadmap.md"
template = ".ldres/entry.md"
insert_under = "Backlog"
default_owner = "ops"
id_prefix = "os"
umbrella = "os-2025-09-01:ROADMAP"
ratchet = true
ratchet_buffer = 1.5
docs = ["README.md", "docs/status.md"]
history = "out/history.jsonl"
badges = "out/badges"

[[tool.covtasks.owners]]
pattern = "orbit_sched/io/*"
owner = "maria"

[[tool.covtasks.milestones]]
name = "M1 core"
modules = ["orbit_sched/ephemeris.py", "orbit_sched/io.py"]
gate = 90

[[tool.covtasks.milestones]]
name = "M2 rest"
modules = []

[[tool.covtasks.gates]]
file = "Makefile"
pattern = "--fail-under={value}"

[[tool.covtasks.hints]]
match = "datetime.now"
note = "pass the day in as a parameter"
kind = "clock"

[[tool.covtasks.hints]]
match = "os.environ"
note = "take an environment mapping"

[tool.covtasks.statuses]
open = "To do"
completed = "Done ✅"

[tool.covtasks.badge_thresholds]
orange = 60
brightgreen = 99.5
yellow = 75
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def parse(table: dict[str, Any]) -> Config:
    return parse_config(table, root=Path("/project"), source=Path("/project/pyproject.toml"))


def refusal(table: object) -> str:
    with pytest.raises(ConfigError) as caught:
        parse_config(table, root=Path("/p"), source=Path("/p/pyproject.toml"))  # type: ignore[arg-type]
    message = caught.value.message
    assert message.startswith("/p/pyproject.toml: ")
    assert "\n" not in message
    return caught.value.problem


# --- finding and loading ---------------------------------------------------------------


def test_find_pyproject_in_start_folder_returns_it(tmp_path: Path) -> None:
    pyproject = write(tmp_path / "pyproject.toml", "")
    assert find_pyproject(tmp_path) == pyproject


def test_find_pyproject_from_nested_folder_returns_nearest_above(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "")
    inner = write(tmp_path / "pkg" / "pyproject.toml", "")
    deep = tmp_path / "pkg" / "sub" / "deeper"
    deep.mkdir(parents=True)
    assert find_pyproject(deep) == inner
    assert find_pyproject(tmp_path / "pkg" / "sub") == inner


def test_find_pyproject_skips_a_folder_named_pyproject_toml(tmp_path: Path) -> None:
    outer = write(tmp_path / "pyproject.toml", "")
    (tmp_path / "inner" / "pyproject.toml").mkdir(parents=True)
    assert find_pyproject(tmp_path / "inner") == outer


def test_find_pyproject_with_none_up_to_the_root_returns_none(tmp_path: Path) -> None:
    # tmp_path lies under /tmp; only a stray /pyproject.toml or /tmp/pyproject.toml could exist.
    above = [folder / "pyproject.toml" for folder in tmp_path.parents]
    if any(candidate.is_file() for candidate in above):
        pytest.skip("a pyproject.toml exists above the temporary folder")
    assert find_pyproject(tmp_path) is None
    assert load_config(tmp_path) == Config(root=tmp_path)


def test_load_config_without_covtasks_table_gives_defaults_rooted_at_pyproject(
    tmp_path: Path,
) -> None:
    pyproject = write(tmp_path / "pyproject.toml", '[project]\nname = "orbit-sched"\n')
    nested = tmp_path / "src" / "orbit_sched"
    nested.mkdir(parents=True)
    config = load_config(nested)
    assert config == Config(root=tmp_path.resolve(), source=pyproject)
    assert config.tasks_path == tmp_path.resolve() / ".ldres" / "tv-tasks.md"
    assert config.target == 100.0
    assert config.statuses == StatusWords("Open", "In progress", "Completed")


def test_load_config_reads_every_key_from_the_nearest_pyproject(tmp_path: Path) -> None:
    pyproject = write(tmp_path / "pyproject.toml", EVERY_KEY)
    config = load_config(tmp_path)
    assert config == Config(
        root=tmp_path.resolve(),
        source=pyproject,
        target=95.0,
        coverage="build/.coverage",
        tasks="docs/roadmap.md",
        template=".ldres/entry.md",
        insert_under="Backlog",
        default_owner="ops",
        id_prefix="os",
        owners=(OwnerRule("orbit_sched/io/*", "maria"),),
        statuses=StatusWords(open="To do", in_progress="In progress", completed="Done ✅"),
        umbrella="os-2025-09-01:ROADMAP",
        milestones=(
            Milestone("M1 core", ("orbit_sched/ephemeris.py", "orbit_sched/io.py"), 90.0),
            Milestone("M2 rest", (), None),
        ),
        gates=(GateSpec("Makefile", "--fail-under={value}"),),
        ratchet=True,
        ratchet_buffer=1.5,
        hints=(
            Hint("datetime.now", "pass the day in as a parameter", "clock"),
            Hint("os.environ", "take an environment mapping", None),
        ),
        docs=("README.md", "docs/status.md"),
        history="out/history.jsonl",
        badges="out/badges",
        badge_thresholds=((99.5, "brightgreen"), (75.0, "yellow"), (60.0, "orange")),
    )
    assert config.tasks_path == tmp_path.resolve() / "docs" / "roadmap.md"
    assert isinstance(config.target, float)


def test_load_config_with_explicit_path_takes_settings_from_it_and_root_from_cwd(
    tmp_path: Path,
) -> None:
    write(tmp_path / "pyproject.toml", "[tool.covtasks]\ntarget = 50\n")
    other = write(tmp_path / "elsewhere" / "pyproject.toml", "[tool.covtasks]\ntarget = 80\n")
    config = load_config(tmp_path, other)
    assert config.target == 80.0
    assert config.root == tmp_path.resolve()
    assert config.source == other


def test_explicit_covtasks_toml_holds_settings_at_top_level(tmp_path: Path) -> None:
    dedicated = write(tmp_path / "ci" / "covtasks.toml", 'target = 90\nid_prefix = "os"\n')
    config = load_config(tmp_path, dedicated)
    assert (config.target, config.id_prefix) == (90.0, "os")
    assert config.root == tmp_path


def test_explicit_covtasks_toml_with_tool_table_reads_tool_covtasks(tmp_path: Path) -> None:
    dedicated = write(tmp_path / "covtasks.toml", "[tool.covtasks]\ntarget = 70\n")
    assert load_config(tmp_path, dedicated).target == 70.0


def test_explicit_pyproject_top_level_keys_are_not_settings(tmp_path: Path) -> None:
    # A pyproject's top level belongs to packaging; only [tool.covtasks] is ours.
    pyproject = write(tmp_path / "pyproject.toml", "target = 10\n")
    assert load_config(tmp_path, pyproject).target == 100.0


def test_explicit_covtasks_toml_top_level_unknown_key_is_refused(tmp_path: Path) -> None:
    dedicated = write(tmp_path / "covtasks.toml", "targett = 90\n")
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path, dedicated)
    assert caught.value.message == f"{dedicated}: unknown key 'targett' in [tool.covtasks]"


def test_explicit_missing_file_is_refused_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path, missing)
    assert caught.value.message == f"{missing}: configuration file does not exist"


def test_explicit_path_that_is_a_folder_is_unreadable(tmp_path: Path) -> None:
    folder = tmp_path / "settings.toml"
    folder.mkdir()
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path, folder)
    assert caught.value.message.startswith(f"{folder}: cannot read configuration: ")


def test_non_utf8_pyproject_is_refused_as_unreadable(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_bytes(b'[tool.covtasks]\ndefault_owner = "Jos\xe9"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert caught.value.message.startswith(f"{pyproject}: cannot read configuration: ")
    assert "utf-8" in caught.value.message


def test_invalid_toml_is_refused_on_one_line_naming_the_file(tmp_path: Path) -> None:
    pyproject = write(tmp_path / "pyproject.toml", "[tool.covtasks]\ntarget = = 90\n")
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert caught.value.message.startswith(f"{pyproject}: invalid TOML: ")
    assert "\n" not in caught.value.message


def test_tool_that_is_not_a_table_is_refused(tmp_path: Path) -> None:
    pyproject = write(tmp_path / "pyproject.toml", 'tool = "covtasks"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert caught.value.message == f"{pyproject}: [tool] must be a table"


def test_tool_covtasks_that_is_not_a_table_is_refused(tmp_path: Path) -> None:
    pyproject = write(tmp_path / "pyproject.toml", "[tool]\ncovtasks = 3\n")
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert caught.value.message == f"{pyproject}: [tool.covtasks] must be a table"


# --- parse_config: keys and scalar types ----------------------------------------------


def test_parse_config_empty_table_gives_defaults_and_keeps_source() -> None:
    config = parse({})
    assert config == Config(root=Path("/project"), source=Path("/project/pyproject.toml"))


def test_parse_config_without_source_errors_carry_only_the_problem() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config({"ratchet": "yes"}, root=Path("/p"))
    assert caught.value.message == "'ratchet' must be true or false"


@pytest.mark.parametrize("key", ["root", "source", "targett", "Target"])
def test_unknown_top_level_key_is_refused_naming_the_key(key: str) -> None:
    assert refusal({key: "x"}) == f"unknown key '{key}' in [tool.covtasks]"


@pytest.mark.parametrize("key", ["coverage", "template", "umbrella"])
def test_optional_string_keys_accept_any_string_and_refuse_other_types(key: str) -> None:
    assert getattr(parse({key: ""}), key) == ""
    assert getattr(parse({key: "a b"}), key) == "a b"
    assert refusal({key: 5}) == f"'{key}' must be a string"
    assert refusal({key: ["x"]}) == f"'{key}' must be a string"


@pytest.mark.parametrize(
    "key", ["tasks", "insert_under", "default_owner", "id_prefix", "history", "badges"]
)
@pytest.mark.parametrize("value", ["", "   ", "\t", 3, None, True])
def test_required_string_keys_refuse_blank_and_non_strings(key: str, value: object) -> None:
    assert refusal({key: value}) == f"'{key}' must be a non-empty string"


@pytest.mark.parametrize("key", ["tasks", "insert_under", "default_owner", "history", "badges"])
def test_required_string_keys_keep_the_value_as_written(key: str) -> None:
    assert getattr(parse({key: " x "}), key) == " x "


@pytest.mark.parametrize("key", ["target", "ratchet_buffer"])
@pytest.mark.parametrize(("value", "expected"), [(0, 0.0), (100, 100.0), (99.5, 99.5), (1, 1.0)])
def test_percent_keys_accept_0_to_100_as_float(key: str, value: float, expected: float) -> None:
    parsed = getattr(parse({key: value}), key)
    assert parsed == expected
    assert type(parsed) is float


@pytest.mark.parametrize("key", ["target", "ratchet_buffer"])
@pytest.mark.parametrize(
    "value", [-0.01, 100.01, 101, -1, float("nan"), float("inf"), True, False, "90", None]
)
def test_percent_keys_refuse_out_of_range_and_non_numbers(key: str, value: object) -> None:
    assert refusal({key: value}) == f"'{key}' must be a number from 0 to 100"


@pytest.mark.parametrize("value", [True, False])
def test_ratchet_accepts_booleans(value: bool) -> None:
    assert parse({"ratchet": value}).ratchet is value


@pytest.mark.parametrize("value", [1, 0, "true", "false", None])
def test_ratchet_refuses_anything_but_a_boolean(value: object) -> None:
    assert refusal({"ratchet": value}) == "'ratchet' must be true or false"


def test_docs_accepts_a_list_of_strings_as_a_tuple() -> None:
    assert parse({"docs": ["README.md", ""]}).docs == ("README.md", "")
    assert parse({"docs": []}).docs == ()


@pytest.mark.parametrize("value", ["README.md", ["README.md", 3], [["a"]], {"a": "b"}])
def test_docs_refuses_anything_but_a_list_of_strings(value: object) -> None:
    assert refusal({"docs": value}) == "'docs' must be a list of strings"


# --- arrays of tables -----------------------------------------------------------------


@pytest.mark.parametrize("key", ["owners", "milestones", "gates", "hints"])
@pytest.mark.parametrize("value", [{"pattern": "x"}, "x", [{"pattern": "x"}, "y"], [["x"]]])
def test_array_of_tables_keys_refuse_other_shapes(key: str, value: object) -> None:
    assert refusal({key: value}) == (
        f"'{key}' must be an array of tables ([[tool.covtasks.{key}]])"
    )


@pytest.mark.parametrize("key", ["owners", "milestones", "gates", "hints"])
def test_array_of_tables_keys_accept_an_empty_array(key: str) -> None:
    assert getattr(parse({key: []}), key) == ()


def test_owners_become_rules_in_written_order() -> None:
    owners = [{"pattern": "pkg/io/*", "owner": "maria"}, {"pattern": "*", "owner": "tv"}]
    assert parse({"owners": owners}).owners == (
        OwnerRule("pkg/io/*", "maria"),
        OwnerRule("*", "tv"),
    )


@pytest.mark.parametrize(
    ("item", "problem"),
    [
        ({"pattern": "a", "owner": "b", "team": "c"}, "unknown key 'team' in owners[1]"),
        ({"owner": "b"}, "owners[1] needs 'pattern'"),
        ({"pattern": "a"}, "owners[1] needs 'owner'"),
        ({}, "owners[1] needs 'owner'"),  # missing keys are reported in name order
        ({"pattern": "", "owner": "b"}, "'owners[1].pattern' must be a non-empty string"),
        ({"pattern": "a", "owner": 7}, "'owners[1].owner' must be a non-empty string"),
    ],
)
def test_bad_owner_rule_is_refused_naming_its_index(item: dict[str, Any], problem: str) -> None:
    assert refusal({"owners": [{"pattern": "ok", "owner": "ok"}, item]}) == problem


def test_milestone_gate_is_optional() -> None:
    milestones = [{"name": "M1", "modules": ["a.py"]}, {"name": "M2", "modules": [], "gate": 0}]
    assert parse({"milestones": milestones}).milestones == (
        Milestone("M1", ("a.py",), None),
        Milestone("M2", (), 0.0),
    )


@pytest.mark.parametrize(
    ("item", "problem"),
    [
        ({"name": "M", "modules": [], "due": "x"}, "unknown key 'due' in milestones[0]"),
        ({"modules": []}, "milestones[0] needs 'name'"),
        ({"name": "M"}, "milestones[0] needs 'modules'"),
        ({"name": " ", "modules": []}, "'milestones[0].name' must be a non-empty string"),
        ({"name": "M", "modules": "a.py"}, "'milestones[0].modules' must be a list of strings"),
        (
            {"name": "M", "modules": [], "gate": 120},
            "'milestones[0].gate' must be a number from 0 to 100",
        ),
    ],
)
def test_bad_milestone_is_refused_naming_the_field(item: dict[str, Any], problem: str) -> None:
    assert refusal({"milestones": [item]}) == problem


@pytest.mark.parametrize(
    ("item", "problem"),
    [
        ({"file": "Makefile", "pattern": "x", "y": 1}, "unknown key 'y' in gates[0]"),
        ({"pattern": "{value}"}, "gates[0] needs 'file'"),
        ({"file": "Makefile"}, "gates[0] needs 'pattern'"),
        ({"file": "", "pattern": "{value}"}, "'gates[0].file' must be a non-empty string"),
        ({"file": "M", "pattern": ""}, "'gates[0].pattern' must be a non-empty string"),
        (
            {"file": "M", "pattern": "fail-under=90"},
            "gates[0].pattern must contain '{value}' exactly once",
        ),
        (
            {"file": "M", "pattern": "{value} and {value}"},
            "gates[0].pattern must contain '{value}' exactly once",
        ),
        (
            {"file": "M", "pattern": "{Value}"},
            "gates[0].pattern must contain '{value}' exactly once",
        ),
    ],
)
def test_bad_gate_is_refused_naming_the_field(item: dict[str, Any], problem: str) -> None:
    assert refusal({"gates": [item]}) == problem


def test_gate_pattern_with_value_once_is_kept_verbatim() -> None:
    gates = [{"file": ".github/workflows/ci.yml", "pattern": "fail_under: {value} # gate"}]
    assert parse({"gates": gates}).gates == (
        GateSpec(".github/workflows/ci.yml", "fail_under: {value} # gate"),
    )


@pytest.mark.parametrize(
    ("item", "problem"),
    [
        ({"match": "a", "note": "b", "why": "c"}, "unknown key 'why' in hints[0]"),
        ({"note": "b"}, "hints[0] needs exactly one of 'match' and 'guard'"),
        ({"match": "a"}, "hints[0] needs 'note'"),
        ({"match": "", "note": "b"}, "'hints[0].match' must be a non-empty string"),
        ({"match": "a", "note": 1}, "'hints[0].note' must be a non-empty string"),
        ({"match": "a", "note": "b", "kind": ""}, "'hints[0].kind' must be a non-empty string"),
    ],
)
def test_bad_hint_is_refused_naming_the_field(item: dict[str, Any], problem: str) -> None:
    assert refusal({"hints": [item]}) == problem


# --- statuses and badge thresholds ----------------------------------------------------


def test_statuses_override_only_the_words_given() -> None:
    assert parse({"statuses": {"in_progress": "Doing"}}).statuses == StatusWords(
        "Open", "Doing", "Completed"
    )
    assert parse({"statuses": {}}).statuses == StatusWords()


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("Open", "'statuses' must be a table"),
        (["Open"], "'statuses' must be a table"),
        ({"done": "Done"}, "unknown key 'done' in statuses"),
        ({"open": ""}, "'statuses.open' must be a non-empty string"),
        ({"completed": 1}, "'statuses.completed' must be a non-empty string"),
        ({"open": "To · do"}, "status words may not contain '·' or a newline"),
        ({"in_progress": "In\nprogress"}, "status words may not contain '·' or a newline"),
        (
            {"completed": "Open"},
            "status words for open, in_progress and completed must differ",
        ),
        (
            {"open": "Todo", "in_progress": "Todo"},
            "status words for open, in_progress and completed must differ",
        ),
    ],
)
def test_bad_statuses_are_refused(value: object, problem: str) -> None:
    assert refusal({"statuses": value}) == problem


def test_badge_thresholds_sort_from_highest_minimum_down() -> None:
    thresholds = {"red-ish": 10, "green": 95, "blue": 95, "amber": 50.5}
    assert parse({"badge_thresholds": thresholds}).badge_thresholds == (
        (95.0, "green"),
        (95.0, "blue"),
        (50.5, "amber"),
        (10.0, "red-ish"),
    )
    assert parse({"badge_thresholds": {}}).badge_thresholds == ()


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ([["green", 90]], "'badge_thresholds' must be a table of colour = minimum percent"),
        ("green", "'badge_thresholds' must be a table of colour = minimum percent"),
        ({"green": 101}, "'badge_thresholds.green' must be a number from 0 to 100"),
        ({"green": "90"}, "'badge_thresholds.green' must be a number from 0 to 100"),
    ],
)
def test_bad_badge_thresholds_are_refused(value: object, problem: str) -> None:
    assert refusal({"badge_thresholds": value}) == problem


def test_non_table_settings_are_refused() -> None:
    assert refusal(["target", 90]) == "[tool.covtasks] must be a table"


# --- through the CLI ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("settings", "problem"),
    [
        ("targett = 90", "unknown key 'targett' in [tool.covtasks]"),
        ('target = "ninety"', "'target' must be a number from 0 to 100"),
        ('ratchet = "yes"', "'ratchet' must be true or false"),
        (
            'gates = [{file = "Makefile", pattern = "90"}]',
            "gates[0].pattern must contain '{value}' exactly once",
        ),
    ],
)
def test_cli_report_with_bad_config_prints_one_error_line_and_exits_2(
    tmp_path: Path, settings: str, problem: str
) -> None:
    pyproject = write(tmp_path / "pyproject.toml", f"[tool.covtasks]\n{settings}\n")
    result = CliRunner().invoke(app, ["-C", str(tmp_path), "report"])
    assert result.exit_code == 2
    assert result.stderr == f"error: {pyproject}: {problem}\n"
    assert result.stdout == ""


def test_cli_report_with_invalid_toml_prints_one_error_line_and_exits_2(tmp_path: Path) -> None:
    pyproject = write(tmp_path / "pyproject.toml", "[tool.covtasks\n")
    result = CliRunner().invoke(app, ["-C", str(tmp_path), "report"])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {pyproject}: invalid TOML: ")
    assert result.stderr.count("\n") == 1


def test_cli_config_option_reads_a_dedicated_file_relative_to_the_folder(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.covtasks]\ntarget = 50\n")
    dedicated = write(tmp_path / "ci" / "covtasks.toml", "target = 200\n")
    result = CliRunner().invoke(
        app, ["-C", str(tmp_path), "--config", "ci/covtasks.toml", "report"]
    )
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {dedicated.resolve()}: 'target' must be a number from 0 to 100\n"
    )
