"""`make mutate`'s own logic: the test map, which mutants count, recorded equivalents, scores."""

from __future__ import annotations

import textwrap

import pytest

from mutation.equivalents import format_equivalent, parse_equivalents
from mutation.mutants import Mutant, MutantKey, annotation_spans, in_annotation, keys_of, sample
from mutation.score import ModuleScore, Outcome, format_duration, format_table, problems
from mutation.score import score_module as tally
from mutation.stages import split_stages
from mutation.testmap import (
    ModulePlan,
    build_map,
    file_of_context,
    format_map,
    order_tests,
    own_tests,
    parse_map,
)

MODULE = "covtasks/numbers.py"


def mutant(job: str, operator: str, start: tuple[int, int], end: tuple[int, int]) -> Mutant:
    return Mutant(job, MODULE, operator, 0, start, end)


def key(line: str, operator: str = "core/AddNot", index: int = 0) -> MutantKey:
    return MutantKey(MODULE, operator, line, index)


# --- the module → test-files map -----------------------------------------------------------


def test_tests_run_own_first_then_by_lines_run_with_cli_tests_last() -> None:
    counts = {
        "tests/test_cli_sync.py": 80,
        "tests/test_sync.py": 10,
        "tests/test_model.py": 40,
        "tests/test_numbers.py": 5,
    }
    assert order_tests(MODULE, counts) == (
        "tests/test_numbers.py",
        "tests/test_model.py",
        "tests/test_sync.py",
        "tests/test_cli_sync.py",
    )


def test_only_the_two_other_and_one_cli_test_files_running_most_lines_are_kept() -> None:
    counts = {f"tests/test_t{n}.py": n for n in range(1, 8)}
    counts |= {f"tests/test_cli_{n}.py": n for n in range(1, 4)}
    assert order_tests("covtasks/t9.py", counts) == (
        "tests/test_t7.py",
        "tests/test_t6.py",
        "tests/test_cli_3.py",
    )


def test_module_of_a_subpackage_counts_its_package_tests_as_its_own() -> None:
    assert own_tests("covtasks/notes/guards.py") == (
        "tests/test_guards.py",
        "tests/test_notes.py",
    )


@pytest.mark.parametrize(
    ("context", "test_file"),
    [
        ("tests.test_document.test_fixture_round_trips", "tests/test_document.py"),
        ("tests.test_sync.TestLifecycle.test_reopens", "tests/test_sync.py"),
        ("", None),
        ("tests.conftest.gappy_project", None),
    ],
)
def test_a_per_test_context_names_its_test_file(context: str, test_file: str | None) -> None:
    assert file_of_context(context) == test_file


def test_regenerated_map_keeps_hand_set_threshold_and_sample() -> None:
    previous = {MODULE: ModulePlan(MODULE, ("tests/old.py",), threshold=95.0, sampled=60)}
    counts = {MODULE: {"tests/test_numbers.py": 3}, "covtasks/sizing.py": {"tests/t.py": 1}}
    rebuilt = build_map(counts, previous)
    assert rebuilt[MODULE] == ModulePlan(MODULE, ("tests/test_numbers.py",), 95.0, 60)
    assert rebuilt["covtasks/sizing.py"] == ModulePlan("covtasks/sizing.py", ("tests/t.py",))


def test_map_round_trips_through_its_toml_text() -> None:
    plans = [
        ModulePlan(MODULE, ("tests/test_numbers.py", "tests/test_cli.py")),
        ModulePlan("covtasks/notes/guards.py", ("tests/test_notes.py",), 95.0, 60),
    ]
    parsed = parse_map(format_map(plans), "map.toml")
    assert sorted(parsed.values(), key=lambda plan: plan.module) == sorted(
        plans, key=lambda plan: plan.module
    )


@pytest.mark.parametrize(
    ("table", "problem"),
    [
        ("tests = []", "tests must be a non-empty list"),
        ('tests = ["t.py"]\nthreshold = 101', "threshold must be a number from 0 to 100"),
        ('tests = ["t.py"]\nsampled = -1', "sampled must be a whole number"),
        ('tests = ["t.py"]\nsampled = true', "sampled must be a whole number"),
        ('tests = ["t.py"]\ncolour = "red"', "unknown key 'colour'"),
        ("tests = [", "map.toml: "),
    ],
)
def test_malformed_map_names_the_module_and_the_problem(table: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        parse_map(f'[module."{MODULE}"]\n{table}\n', "map.toml")


# --- which mutants count -------------------------------------------------------------------

SOURCE = textwrap.dedent(
    """\
    from __future__ import annotations


    def parse(line: str | None, limit: int = 3) -> dict[str, int] | None:
        width: int | None = None
        if limit > 2 | 1:
            return {"é": len(line or "")}
        return None
    """
)


def test_mutants_inside_annotations_are_told_from_mutants_of_code() -> None:
    spans = annotation_spans(SOURCE)
    annotation_mutants = [
        mutant("a", "core/ReplaceBinaryOperator_BitOr_Add", (4, 19), (4, 20)),
        mutant("b", "core/ReplaceBinaryOperator_BitOr_Add", (4, 56), (4, 57)),
        mutant("c", "core/ReplaceBinaryOperator_BitOr_Add", (5, 15), (5, 16)),
    ]
    code_mutants = [
        mutant("d", "core/NumberReplacer", (4, 43), (4, 44)),  # the default value 3
        mutant("e", "core/ReplaceBinaryOperator_BitOr_Add", (6, 17), (6, 18)),
    ]
    assert [m.job_id for m in annotation_mutants if in_annotation(m, spans)] == ["a", "b", "c"]
    assert [m.job_id for m in code_mutants if in_annotation(m, spans)] == []


def test_annotation_columns_count_characters_not_utf8_bytes() -> None:
    source = 'x = "é"; y: int | None = None\n'
    spans = annotation_spans(source)
    assert in_annotation(
        mutant("a", "core/ReplaceBinaryOperator_BitOr_Add", (1, 16), (1, 17)), spans
    )


def test_mutant_keys_name_the_line_text_and_count_repeats_in_position_order() -> None:
    source = "a = 1\nif x < 2 and y < 3:\n    pass\nif x < 2 and y < 3:\n    pass\n"
    operator = "core/ReplaceComparisonOperator_Lt_Gt"
    found = [
        mutant("late", operator, (4, 5), (4, 6)),
        mutant("first", operator, (2, 5), (2, 6)),
        mutant("second", operator, (2, 15), (2, 16)),
    ]
    keys = keys_of(found, source)
    line = "if x < 2 and y < 3:"
    assert keys == {
        "first": MutantKey(MODULE, operator, line, 0),
        "second": MutantKey(MODULE, operator, line, 1),
        "late": MutantKey(MODULE, operator, line, 2),
    }


def test_a_sample_is_the_same_on_every_run_and_all_mutants_when_not_smaller() -> None:
    found = [mutant(str(n), "core/NumberReplacer", (n + 1, 0), (n + 1, 1)) for n in range(50)]
    first, again = sample(found, 10, seed=MODULE), sample(list(reversed(found)), 10, seed=MODULE)
    assert first == again
    assert len(set(first)) == 10
    assert sample(found, 10, seed="covtasks/sizing.py") != first
    assert sorted(sample(found, 0, seed=MODULE), key=lambda m: m.start) == found
    assert len(sample(found, 80, seed=MODULE)) == 50


# --- recorded equivalents ------------------------------------------------------------------


def test_equivalents_file_round_trips_each_entry_with_its_reason() -> None:
    first = key('return [(a, str(a)) for a in "x"]', "core/NumberReplacer", 1)
    second = key("if a == b:", "core/ReplaceComparisonOperator_Eq_Is")
    text = format_equivalent(first, "only reached with 0") + format_equivalent(second, "ints")
    parsed = parse_equivalents(text, "equivalents.toml")
    assert {k: e.reason for k, e in parsed.items()} == {
        first: "only reached with 0",
        second: "ints",
    }


@pytest.mark.parametrize(
    ("extra", "problem"),
    [
        ({"reason": None}, "missing 'reason'"),
        ({"index": -1}, "index must be a whole number"),
        ({"reason": "  "}, "must be text"),
        ({"reason": "two\\nlines"}, "one line"),
        ({"colour": "red"}, "unknown key 'colour'"),
    ],
)
def test_malformed_equivalent_names_its_entry_and_problem(
    extra: dict[str, object], problem: str
) -> None:
    item: dict[str, object] = {
        "module": MODULE,
        "operator": "core/AddNot",
        "line": "if x:",
        "index": 0,
        "reason": "r",
    }
    item.update(extra)
    body = "".join(
        f"{name} = {value if isinstance(value, int) else chr(34) + str(value) + chr(34)}\n"
        for name, value in item.items()
        if value is not None
    )
    with pytest.raises(ValueError, match=f"equivalent #1: .*{problem}"):
        parse_equivalents(f"[[equivalent]]\n{body}", "equivalents.toml")


def test_the_same_mutant_recorded_twice_is_an_error() -> None:
    entry = format_equivalent(key("if x:"), "r")
    with pytest.raises(ValueError, match="equivalent #2: the same mutant is listed twice"):
        parse_equivalents(entry + entry, "equivalents.toml")


# --- scores --------------------------------------------------------------------------------


def score_of(
    outcomes: dict[MutantKey, Outcome], recorded: list[MutantKey], mutants: int = 100
) -> ModuleScore:
    return tally(MODULE, outcomes, mutants, 4, recorded, 75.0, threshold=98.0)


def test_score_leaves_recorded_equivalent_survivors_out_and_counts_new_ones() -> None:
    killed = {key(f"k{n}"): Outcome.KILLED for n in range(98)}
    equivalent, new = key("same"), key("gap")
    result = score_of({**killed, equivalent: Outcome.SURVIVED, new: Outcome.SURVIVED}, [equivalent])
    assert (result.run, result.killed, result.equivalents) == (100, 98, 1)
    assert result.survivors == (new,)
    assert result.score == pytest.approx(100 * 98 / 99)
    assert result.passed


def test_score_below_the_threshold_fails_and_says_by_how_much() -> None:
    outcomes = {key(f"k{n}"): Outcome.KILLED for n in range(96)}
    outcomes |= {key(f"s{n}"): Outcome.SURVIVED for n in range(4)}
    result = score_of(outcomes, [])
    assert not result.passed
    assert problems(result) == ["score 96.0% is below the threshold 98%"]


def test_more_than_a_tenth_of_the_mutants_recorded_as_equivalent_fails() -> None:
    recorded = [key(f"e{n}") for n in range(11)]
    result = score_of({key("k"): Outcome.KILLED}, recorded, mutants=100)
    assert problems(result) == ["11 equivalents recorded, more than 10% of 100 (10)"]
    assert problems(score_of({key("k"): Outcome.KILLED}, recorded[:10], mutants=100)) == []


def test_a_killed_recorded_equivalent_is_reported_stale_and_errors_fail_the_run() -> None:
    stale = key("not equivalent after all")
    result = score_of({stale: Outcome.KILLED, key("x"): Outcome.ERROR}, [stale])
    assert result.stale == (stale,)
    assert result.score == 100.0
    assert problems(result) == ["1 mutants could not be run (see the session database)"]


def test_table_has_one_line_per_module_with_score_and_time() -> None:
    result = score_of({key("k"): Outcome.KILLED, key("s"): Outcome.SURVIVED}, [])
    assert format_table([result]).splitlines()[2] == (
        "| `covtasks/numbers.py` | 100 | 2 | 1 | 0 | 1 | 50.0% ✗ | 98% | 1 min 15 s |"
    )


@pytest.mark.parametrize(
    ("seconds", "text"), [(41.6, "42 s"), (185, "3 min 05 s"), (3720, "1 h 02 min")]
)
def test_durations_read_in_seconds_minutes_or_hours(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text


def test_test_command_stages_split_at_double_dashes() -> None:
    assert split_stages(["a.py", "--", "b.py", "c.py", "--", "--"]) == [
        ["a.py"],
        ["b.py", "c.py"],
    ]
