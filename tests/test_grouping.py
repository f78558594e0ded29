"""Grouping notes: a module's impact by its gap, its class by its notes, advice for one method."""

from __future__ import annotations

import dataclasses

import pytest

from covtasks.model import ZERO
from covtasks.notes.grouping import ModuleNotes, Note, class_of, impact_of, methods_advice
from covtasks.notes.grouping import _for_one as for_one


@pytest.mark.parametrize(
    ("gap", "impact"),
    [(0, "low"), (4, "low"), (5, "moderate"), (19, "moderate"), (20, "high"), (21, "high")],
)
def test_impact_follows_the_gap_in_lines_and_branches(gap: int, impact: str) -> None:
    assert impact_of(ZERO, gap) == impact


def note(kind: str, lines: int) -> Note:
    return Note("L1", kind, "advice", "", tuple(range(1, lines + 1)))


def test_with_no_test_work_left_the_guard_covering_most_lines_in_all_classes_the_module() -> None:
    notes = (note("type-only", 3), note("platform", 4), note("type-only", 3))
    assert class_of(notes) == "type-only"
    assert class_of((note("platform", 2), note("platform", 2), note("optional", 3))) == (
        "platform-specific"
    )


@pytest.mark.parametrize(
    "advice", ["call them on Fridays", "pass it in: one test parametrized over their names"]
)
def test_advice_for_one_method_changes_only_the_advice_for_several(advice: str) -> None:
    assert for_one(advice) == advice
    assert for_one(methods_advice("Box", False)) == "call it on an instance of `Box`"


def test_module_notes_cannot_be_changed() -> None:
    notes = ModuleNotes((), "deterministic", "low")
    with pytest.raises(dataclasses.FrozenInstanceError):
        notes.nature = "stochastic"  # type: ignore[misc]


def test_a_note_cannot_be_changed() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        note("logic", 2).text = "other advice"  # type: ignore[misc]


def test_a_round_trip_pairs_a_name_with_its_counterpart_replacing_the_word_once() -> None:
    from covtasks.notes.grouping import logic_advice

    defined = {"pack_packet", "unpack_packet"}
    assert logic_advice("pack_packet", ("packet",), defined, "") == (
        "round trip with Hypothesis: `unpack_packet(pack_packet(x)) == x` for generated `x` "
        "(or the reverse), reaching these lines"
    )


def test_generated_inputs_name_at_most_three_parameters() -> None:
    from covtasks.notes.grouping import logic_advice

    assert logic_advice("f", ("a", "b", "c", "d"), set(), "") == (
        "Hypothesis: generate `a`, `b`, `c` so the calls reach these lines and branches"
    )


def test_a_round_trip_word_is_looked_for_in_the_functions_own_name_beside_it() -> None:
    from covtasks.notes.grouping import logic_advice

    defined = {"decode", "Paired", "Paired.encode", "Paired.decode"}
    assert "`Paired.decode(Paired.encode(x)) == x`" in logic_advice(
        "Paired.encode", ("data",), defined, ""
    )
    # The class's own name holds the word too: only the method's name is turned around.
    lower = {"packer", "packer.pack", "packer.unpack"}
    assert "`packer.unpack(packer.pack(x)) == x`" in logic_advice("packer.pack", ("d",), lower, "")
