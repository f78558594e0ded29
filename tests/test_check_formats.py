"""The check verdict's four formats, rendered from results built by hand."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from covtasks.check import ChangedModule, CheckResult, Offender
from covtasks.check_formats import (
    escape_data,
    escape_property,
    render_check,
    render_messages,
)
from covtasks.errors import UsageError

REGRESSED = Offender(
    "pkg/a,b:c.py",
    "regression: entry is Completed",
    "99.00",
    "100.00",
    "7",
    first_line=7,
    regression=True,
)
NO_LINE = Offender("pkg/m.py", "changed, below target", "100.00", "50.00", "", "", None)
TOTAL = Offender("TOTAL", "total 97.95% below the gate 99", "99.00", "87.50")
RESULT = CheckResult(
    offenders=(REGRESSED, NO_LINE, TOTAL),
    checked=2,
    total="97.95",
    gate=Decimal("99"),
    target=100.0,
    changed=(ChangedModule("pkg/m.py", "90.00%", "95.00%"), ChangedModule("pkg/n.py", None, "1%")),
    warnings=("the total 100% runs 2 points above the `gate`",),
    notes=("combined 3 parallel coverage data files",),
)
PASSED = CheckResult((), 4, "100.00", None, 95.0)


def test_markdown_lists_offenders_regressions_changes_warnings_and_notes() -> None:
    assert render_check(RESULT, "markdown") == (
        "### ❌ covtasks check failed — 3 offenders\n"
        "\n"
        "Target 100% per module; total 97.95%, the gate is 99%.\n"
        "\n"
        "**Offenders**:\n"
        "\n"
        "- `pkg/a,b:c.py` — 99.00% lines, 100.00% branches — regression: entry is Completed; "
        "missing `7`\n"
        "- `pkg/m.py` — 100.00% lines, 50.00% branches — changed, below target\n"
        "- `TOTAL` — 99.00% lines, 87.50% branches — total 97.95% below the gate 99\n"
        "\n"
        "**Regressions**: \n"
        "\n"
        "- `pkg/a,b:c.py`\n"
        "\n"
        "**Changed modules**:\n"
        "\n"
        "- `pkg/m.py`: 90.00% → 95.00%\n"
        "- `pkg/n.py`: 1%\n"
        "\n"
        "> **Warning**: the total 100% runs 2 points above the \\`gate\\`\n"
        "\n"
        "> combined 3 parallel coverage data files\n"
    )


def test_markdown_of_a_pass_is_a_verdict_and_the_total() -> None:
    assert render_check(PASSED, "markdown") == (
        "### ✅ covtasks check passed — 4 modules at target\n"
        "\n"
        "Target 95% per module; total 100.00%, no gate.\n"
        "\n"
        "**Regressions**: none.\n"
    )


def test_markdown_escapes_a_path_holding_backticks_and_a_newline() -> None:
    hostile = Offender("pkg/`x`\n## y.py", "below target", "1.00", None, "1")
    text = render_check(CheckResult((hostile,), 1, "1.00", None, 100.0), "markdown")
    assert "- `` pkg/`x`\\n## y.py `` — 1.00% lines — below target; missing `1`\n" in text
    assert "\n## y" not in text


def test_github_escapes_properties_and_messages_and_skips_file_for_the_total() -> None:
    assert render_check(RESULT, "github", "svc/") == (
        "::error file=svc/pkg/a%2Cb%3Ac.py,line=7,title=covtasks%3A regression%3A entry is "
        "Completed::pkg/a,b:c.py: 99.00%25 lines, 100.00%25 branches (target 100%25); missing 7\n"
        "::error file=svc/pkg/m.py,title=covtasks%3A changed%2C below target::pkg/m.py: "
        "100.00%25 lines, 50.00%25 branches (target 100%25)\n"
        "::error title=covtasks%3A total 97.95%25 below the gate 99::total 97.95%25 below the "
        "gate 99\n"
        "::warning title=covtasks::the total 100%25 runs 2 points above the `gate`\n"
        "::notice title=covtasks::combined 3 parallel coverage data files\n"
        "covtasks check: 3 offenders (target 100%, total 97.95%, gate 99)\n"
    )


def test_github_message_newlines_stay_inside_one_workflow_command_and_escapes_show() -> None:
    hostile = Offender("a\r\nb\x1b[2J.py", "below target", "1.00", None, "1", first_line=1)
    first = render_check(CheckResult((hostile,), 1, "1.00", None, 100.0), "github").splitlines()[0]
    assert first == (
        "::error file=a%0D%0Ab\\x1b[2J.py,line=1,title=covtasks%3A below target::"
        "a%0D%0Ab\\x1b[2J.py: 1.00%25 lines (target 100%25); missing 1"
    )


@settings(max_examples=200)
@given(st.text())
def test_escaped_data_and_properties_hold_no_raw_newline_and_decode_back(text: str) -> None:
    for escaped in (escape_data(text), escape_property(text)):
        assert "\n" not in escaped
        assert "\r" not in escaped
        decoded = (
            escaped.replace("%0D", "\r")
            .replace("%0A", "\n")
            .replace("%3A", ":")
            .replace("%2C", ",")
            .replace("%25", "%")
        )
        assert decoded == text
    assert ":" not in escape_property(text)
    assert "," not in escape_property(text)


def test_json_holds_the_same_offenders_changes_and_messages() -> None:
    document = json.loads(render_check(RESULT, "json"))
    assert [offender["path"] for offender in document["offenders"]] == [
        "pkg/a,b:c.py",
        "pkg/m.py",
        "TOTAL",
    ]
    assert document["regressions"] == ["pkg/a,b:c.py"]
    assert document["gate"] == "99"
    assert document["changed"][1] == {"path": "pkg/n.py", "before": None, "after": "1%"}
    assert (document["warnings"], document["notes"]) == (list(RESULT.warnings), list(RESULT.notes))


def test_text_shows_no_change_column_without_a_change_and_control_characters_visibly() -> None:
    hostile = Offender("pkg/\x1b[31mred.py", "below target", "1.00", None, "1")
    text = render_check(CheckResult((hostile,), 1, "1.00", None, 100.0), "text")
    assert text == (
        "Module              Lines  Branches  Reason        Missing\n"
        "pkg/\\x1b[31mred.py  1.00%         -  below target  1\n"
        "covtasks check: 1 offender (target 100%, total 1.00%, no gate)\n"
    )


def test_messages_go_out_as_warning_and_note_lines() -> None:
    assert render_messages(RESULT) == (
        "warning: the total 100% runs 2 points above the `gate`\n"
        "note: combined 3 parallel coverage data files\n"
    )


@pytest.mark.parametrize("name", ["yaml", "csv", ""])
def test_an_unknown_format_is_a_usage_error(name: str) -> None:
    with pytest.raises(UsageError, match="is not one of text, markdown, json, github"):
        render_check(PASSED, name)


def test_json_of_a_pass_is_sorted_two_space_indented_and_ends_with_a_newline() -> None:
    assert render_check(PASSED, "json") == (
        "{\n"
        '  "changed": [],\n'
        '  "checked": 4,\n'
        '  "gate": null,\n'
        '  "notes": [],\n'
        '  "offenders": [],\n'
        '  "passed": true,\n'
        '  "regressions": [],\n'
        '  "target": 95.0,\n'
        '  "total": "100.00",\n'
        '  "warnings": []\n'
        "}\n"
    )
