"""Live blocks in docs: refreshed between markers, every other byte kept, errors by line."""

from __future__ import annotations

import re
from collections.abc import Mapping

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from covtasks.coverage_data import read_coverage
from covtasks.errors import TaskFileError, UsageError
from covtasks.liveblocks import refresh_blocks, render_scoreboard, scoreboard_renderer
from covtasks.model import Counts, CoverageReport, ModuleCoverage
from tests.sample import SampleProject


def _echo(args: Mapping[str, str]) -> str:
    return "".join(f"- {key}={value}\n" for key, value in sorted(args.items())) or "- empty\n"


RENDERERS = {"scoreboard": _echo, "milestones": lambda _args: "milestones here", "gaps": _echo}

DOC = """\
# Coverage

Intro text with trailing spaces.\x20\x20
<!-- covtasks:scoreboard below=90 -->
- stale line
<!-- /covtasks:scoreboard -->

```markdown
<!-- covtasks:unknown -->
```

  <!-- covtasks:milestones -->
<!-- /covtasks:milestones -->
1. odd
1. numbering
"""


def test_block_content_is_replaced_and_the_rest_kept() -> None:
    refreshed = refresh_blocks(DOC, RENDERERS, "docs/coverage.md")
    assert refreshed == DOC.replace("- stale line\n", "- below=90\n").replace(
        "  <!-- covtasks:milestones -->\n", "  <!-- covtasks:milestones -->\nmilestones here\n"
    )


def test_refresh_is_idempotent() -> None:
    once = refresh_blocks(DOC, RENDERERS, "d.md")
    assert refresh_blocks(once, RENDERERS, "d.md") == once


def test_crlf_file_keeps_crlf_inside_and_outside_blocks() -> None:
    crlf = DOC.replace("\n", "\r\n")
    refreshed = refresh_blocks(crlf, RENDERERS, "d.md")
    assert "\n" not in refreshed.replace("\r\n", "")
    assert "- below=90\r\n" in refreshed


def test_renderer_output_in_crlf_is_not_doubled() -> None:
    text = "<!-- covtasks:gaps -->\r\n<!-- /covtasks:gaps -->\r\n"
    refreshed = refresh_blocks(text, {"gaps": lambda _a: "a\r\nb\r\n"}, "d.md")
    assert refreshed == "<!-- covtasks:gaps -->\r\na\r\nb\r\n<!-- /covtasks:gaps -->\r\n"


def test_empty_renderer_output_leaves_markers_adjacent() -> None:
    text = "<!-- covtasks:gaps -->\nold\n<!-- /covtasks:gaps -->"
    assert refresh_blocks(text, {"gaps": lambda _a: ""}, "d.md") == (
        "<!-- covtasks:gaps -->\n<!-- /covtasks:gaps -->"
    )


def test_markers_inside_a_tilde_fence_are_text() -> None:
    text = "~~~~\n<!-- covtasks:nope -->\n~~~\nstill fenced\n~~~~\nafter\n"
    assert refresh_blocks(text, RENDERERS, "d.md") == text


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("a\n<!-- covtasks:nope -->\n<!-- /covtasks:nope -->\n", "line 2: unknown block 'nope'"),
        ("a\nb\n<!-- covtasks:gaps -->\nx\n", "line 3: block 'gaps' is never closed"),
        ("<!-- /covtasks:gaps -->\n", "line 1: closing marker for 'gaps' without an opening"),
        (
            "<!-- covtasks:gaps -->\n<!-- covtasks:scoreboard -->\n",
            "line 2: block 'scoreboard' opened inside block 'gaps' (line 1)",
        ),
        (
            "<!-- covtasks:gaps -->\n<!-- /covtasks:scoreboard -->\n",
            "line 2: closes 'scoreboard' but block 'gaps' (line 1) is open",
        ),
        ("<!-- covtasks:gaps 90 -->\n<!-- /covtasks:gaps -->\n", "argument '90' is not key=value"),
        ("<!-- covtasks:gaps =9 -->\n<!-- /covtasks:gaps -->\n", "argument '=9' is not key=value"),
    ],
)
def test_malformed_blocks_raise_error_naming_file_and_line(text: str, problem: str) -> None:
    with pytest.raises(TaskFileError) as caught:
        refresh_blocks(text, RENDERERS, "docs/c.md")
    assert caught.value.message.startswith("docs/c.md: ")
    assert problem in caught.value.message


def test_unknown_block_lists_the_known_ones() -> None:
    with pytest.raises(TaskFileError, match=r"known: none"):
        refresh_blocks("<!-- covtasks:x -->\n", {}, "d.md")


def _counts(statements: int, missing: int, branches: int = 0, missing_branches: int = 0) -> Counts:
    return Counts(statements, missing, branches, missing_branches, missing_branches)


REPORT = CoverageReport(
    (
        ModuleCoverage("pkg/a.py", _counts(10, 5, 4, 1), (), (), ()),
        ModuleCoverage("pkg/b.py", _counts(100, 5, 4, 0), (), (), ()),
        ModuleCoverage("pkg/c.py", _counts(10, 0, 2, 0), (), (), ()),
    ),
    has_branches=True,
)


def test_scoreboard_lists_modules_below_threshold_lowest_first() -> None:
    assert render_scoreboard(REPORT, 90.0, 100.0) == (
        "- `pkg/a.py` — 50.00% lines, 75.00% branches\n"
    )
    assert render_scoreboard(REPORT, None, 100.0) == (
        "- `pkg/a.py` — 50.00% lines, 75.00% branches\n"
        "- `pkg/b.py` — 95.00% lines, 100.00% branches\n"
    )


def test_scoreboard_with_nothing_below_says_so() -> None:
    assert render_scoreboard(REPORT, 10.0, 100.0) == "- Every measured module reaches 10%.\n"
    assert render_scoreboard(REPORT, None, 40.0) == "- Every measured module reaches 40%.\n"


def test_scoreboard_block_reads_below_from_the_marker() -> None:
    text = "<!-- covtasks:scoreboard below=90 -->\n<!-- /covtasks:scoreboard -->\n"
    refreshed = refresh_blocks(text, {"scoreboard": scoreboard_renderer(REPORT, 100.0)}, "d.md")
    assert "`pkg/a.py`" in refreshed
    assert "`pkg/b.py`" not in refreshed


@pytest.mark.parametrize(
    ("marker", "problem"),
    [
        ("below=abc", "line 1: below must be a percentage from 0 to 100, not 'abc'"),
        ("below=101", "below must be a percentage"),
        ("above=3", "scoreboard takes only below=NN, not 'above'"),
    ],
)
def test_bad_scoreboard_argument_is_an_error_naming_the_line(marker: str, problem: str) -> None:
    renderers = {"scoreboard": scoreboard_renderer(REPORT, 100.0)}
    with pytest.raises(TaskFileError, match=problem):
        refresh_blocks(f"<!-- covtasks:scoreboard {marker} -->\n", renderers, "d.md")


def test_scoreboard_renderer_without_below_uses_the_target() -> None:
    assert scoreboard_renderer(REPORT, 100.0)({}) == render_scoreboard(REPORT, None, 100.0)


def test_scoreboard_renderer_rejects_bad_arguments_as_usage_errors() -> None:
    with pytest.raises(UsageError):
        scoreboard_renderer(REPORT, 100.0)({"below": "x"})


def test_scoreboard_from_real_coverage_data_matches_the_report(
    gappy_project: SampleProject,
) -> None:
    report = read_coverage(gappy_project.root)
    truth = gappy_project.json_report()["files"]["pkg/gappy.py"]["summary"]
    text = render_scoreboard(report, None, 100.0)
    assert text.startswith("- `pkg/gappy.py` — ")
    covered = truth["covered_lines"] / truth["num_statements"] * 100
    assert f"{covered:.2f}% lines" in text


# Lines that can appear in a person's document: plain text, odd whitespace, HTML comments.
plain_lines = st.sampled_from(
    ["# Title", "text   ", "", "- item", "1. one", "<!-- note -->", "\t|x|", "é", "  "]
)
BLOCK_CONTENT = re.compile(r"(<!-- covtasks:\w+ x=1 -->\r?\n).*?(<!-- /covtasks)", re.DOTALL)


@st.composite
def documents(draw: st.DrawFn) -> str:
    """Plain chunks in one newline style with live blocks (holding stale text) between them."""
    chunks = draw(st.lists(st.lists(plain_lines, max_size=4), min_size=1, max_size=4))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    parts = ["".join(line + newline for line in chunks[0])]
    for chunk in chunks[1:]:
        name = draw(st.sampled_from(["scoreboard", "gaps"]))
        stale = draw(st.sampled_from(["", f"old{newline}", f"- a{newline}- b{newline}"]))
        parts.append(f"<!-- covtasks:{name} x=1 -->{newline}{stale}<!-- /covtasks:{name} -->")
        parts.append(newline + "".join(line + newline for line in chunk))
    return "".join(parts)


@settings(max_examples=100)
@given(documents())
def test_refresh_is_idempotent_and_keeps_bytes_outside_blocks(text: str) -> None:
    once = refresh_blocks(text, RENDERERS, "d.md")
    assert refresh_blocks(once, RENDERERS, "d.md") == once
    assert BLOCK_CONTENT.sub(r"\1\2", once) == BLOCK_CONTENT.sub(r"\1\2", text)
