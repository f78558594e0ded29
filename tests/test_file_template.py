"""Entries in the file's own shape: the task file's <details> template, adopted by sync."""

from __future__ import annotations

import re
from pathlib import Path

import mdformat
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from covtasks.blocks import locating_tokens
from covtasks.cli import app
from covtasks.document import Section, Span, parse_document
from covtasks.entry_text import git_plan
from covtasks.file_template import numbering, template_labels
from tests.sample import SampleProject, make_project
from tests.strategies import task_documents

TASKS = ".ldres/tv-tasks.md"
TITLE = "Coverage roadmap towards ~100%"
PYPROJECT = f"""\
[tool.coverage.run]
branch = true
source = ["pkg"]
data_file = ".cache/coverage/coverage.sqlite"

[tool.covtasks]
umbrella = "{TITLE}"
{{extra}}
[[tool.covtasks.milestones]]
name = "Core"
modules = ["pkg/**"]
"""
TEMPLATE = """\
<details>
<summary>Open task template (copy when filing)</summary>

```markdown
## Open · tv-YYYY-MM-DD:PR### · <Short title>

- **Summary**: One or two sentences of goal and scope.
- **Priority**: P0/P1/P2/P3.
- **Size**: XS/S/M/L.
- **Meta?**: Yes — unblocks the strict coverage gate.
- **Dependencies**: Blockers or prerequisite tasks.
- **Next steps**: Ordered sub-tasks.
- **Validation**: Commands to run before pushing.
- **Git plan**: Branch name and commit messages.
- **PR**: Title and description.
```

</details>
"""
TASK_FILE = """\
# tv-tasks

## Open tasks (updated 2025-10-05)

<!-- markdownlint-disable MD033 -->

{open_template}<!-- markdownlint-enable MD033 -->

### Open · tv-2025-09-20:PR?? · Coverage roadmap towards ~100%

- **Summary**: Bring every module to 100%.
- **Next steps**:
  1. Publish a scoreboard.
  {second}. Raise the gate.
  {third}. Keep it there.

______________________________________________________________________

## Deferred tasks (updated 2025-09-20)

{deferred_template}"""
SOURCE = """\
def read(path):
    with open(path) as handle:
        return handle.read()


def flag(value):
    if value:
        return 1
    return 0
"""


def invoke(root: Path, *args: str) -> Result:
    return CliRunner().invoke(app, ["-C", str(root), *args])


def project(
    tmp_path: Path, *, style: str = "1. 1. 1.", where: str = "open", extra: str = ""
) -> SampleProject:
    sample = make_project(
        tmp_path, {"pkg/__init__.py": "", "pkg/store.py": SOURCE}, PYPROJECT.format(extra=extra)
    )
    sample.measure("from pkg import store\nstore.flag(True)\n")
    second, third = ("1", "1") if style == "1. 1. 1." else ("2", "3")
    text = TASK_FILE.format(
        open_template=TEMPLATE if where == "open" else "",
        deferred_template=TEMPLATE if where == "deferred" else "",
        second=second,
        third=third,
    )
    (tmp_path / ".ldres").mkdir()
    (tmp_path / TASKS).write_text(text)
    return sample


def new_entry(root: Path) -> list[str]:
    text = (root / TASKS).read_text()
    document = parse_document(text)
    (entry,) = [entry for entry in document.entries if entry.title.startswith("Cover ")]
    return [line.rstrip("\n") for line in document.lines[entry.span.start : entry.span.end]]


def labels(lines: list[str]) -> list[str]:
    return [line.split("**")[1] for line in lines if line.startswith("- **")]


def test_new_entries_take_the_templates_labels_in_its_order_then_covtasks_own(
    tmp_path: Path,
) -> None:
    project(tmp_path)
    result = invoke(tmp_path, "sync", "--date", "2026-11-30")
    assert result.exit_code == 0, result.output
    lines = new_entry(tmp_path)
    assert lines[0] == "### Open · tv-2026-11-30:cov-store · Cover `pkg/store.py` to 100%"
    assert labels(lines) == [
        "Summary",
        "Priority",
        "Size",
        "Dependencies",
        "Next steps",
        "Validation",
        "Git plan",
        "PR",
        "Owner",
        "Coverage",
        "Missing",
        "DI/fixture notes",
    ]
    assert (
        "- **Dependencies**: `tv-2025-09-20:PR??` (Coverage roadmap towards ~100%); milestone Core"
        in lines
    )
    assert (
        "- **Git plan**: branch `test/cov-store`; commit `test(store): cover pkg/store.py to 100%`"
        in lines
    )
    assert "- **PR**: title `test: cover pkg/store.py to 100%`" in lines
    assert any(line.startswith("- **Validation**: `") for line in lines)


def test_adopted_entries_are_stable_under_mdformat_and_a_second_sync(tmp_path: Path) -> None:
    project(tmp_path)
    invoke(tmp_path, "sync", "--date", "2026-11-30")
    entry = "\n".join(new_entry(tmp_path)) + "\n"
    assert mdformat.text(entry) == entry
    before = (tmp_path / TASKS).read_text()
    assert invoke(tmp_path, "sync", "--date", "2026-12-01").exit_code == 0
    assert (tmp_path / TASKS).read_text() == before


@pytest.mark.parametrize(
    ("style", "second"), [("1. 1. 1.", "  1. "), ("1. 2. 3.", "  2. ")], ids=["repeat", "sequence"]
)
def test_next_steps_follow_the_files_numbering(tmp_path: Path, style: str, second: str) -> None:
    project(tmp_path, style=style)
    invoke(tmp_path, "sync", "--date", "2026-11-30")
    lines = new_entry(tmp_path)
    steps = lines[lines.index("- **Next steps**:") + 1 :]
    assert steps[0].startswith("  1. ")
    assert steps[1].startswith(second)
    if style == "1. 2. 3.":
        entry = "\n".join(lines) + "\n"
        assert mdformat.text(entry, options={"number": True}) == entry


def test_template_task_file_adopts_a_template_in_another_section(tmp_path: Path) -> None:
    project(tmp_path, where="deferred", extra='template = "task-file"\n')
    invoke(tmp_path, "sync", "--date", "2026-11-30")
    assert "Git plan" in labels(new_entry(tmp_path))


def test_without_a_template_in_the_section_entries_keep_the_default_shape(
    tmp_path: Path,
) -> None:
    project(tmp_path, where="deferred")
    invoke(tmp_path, "sync", "--date", "2026-11-30")
    assert "Git plan" not in labels(new_entry(tmp_path))
    assert "Milestone" in labels(new_entry(tmp_path))


def test_template_task_file_without_a_template_is_an_error_naming_the_file(
    tmp_path: Path,
) -> None:
    project(tmp_path, where="nowhere", extra='template = "task-file"\n')
    result = invoke(tmp_path, "sync", "--date", "2026-11-30")
    assert result.exit_code == 2
    assert result.stderr == (
        f'error: {TASKS}: template = "task-file", but the file holds no <details> task'
        " template with fields\n"
    )


def test_dependencies_are_left_out_without_an_umbrella_or_milestone(tmp_path: Path) -> None:
    sample = make_project(
        tmp_path,
        {"pkg/__init__.py": "", "pkg/store.py": SOURCE},
        PYPROJECT.split("[tool.covtasks]", maxsplit=1)[0],
    )
    sample.measure("from pkg import store\n")
    (tmp_path / ".ldres").mkdir()
    (tmp_path / TASKS).write_text(
        TASK_FILE.format(open_template=TEMPLATE, deferred_template="", second="1", third="1")
    )
    invoke(tmp_path, "sync", "--date", "2026-11-30")
    names = labels(new_entry(tmp_path))
    assert "Dependencies" not in names
    assert "Milestone" not in names


def test_the_commit_scope_of_a_package_is_its_name() -> None:
    assert git_plan("pkg/io/__init__.py", "io-init", "100") == (
        "branch `test/cov-io-init`; commit `test(io): cover pkg/io/__init__.py to 100%`"
    )
    assert git_plan("__init__.py", "init", "100").endswith(
        "`test(__init__): cover __init__.py to 100%`"
    )


def test_numbering_is_the_files_majority_and_sequence_on_a_tie() -> None:
    repeat = parse_document("1. a\n1. b\n1. c\n\n- x\n  1. d\n  2. e\n")
    assert numbering(repeat) == "repeat"
    assert numbering(parse_document("1. a\n1. b\n\ntext\n1. c\n2. d\n")) == "sequence"


def _numbering_line_by_line(lines: tuple[str, ...]) -> str:
    """The rule read line by line: a line neither blank nor an item breaks the run."""
    votes = {"repeat": 0, "sequence": 0}
    previous: tuple[str, int] | None = None
    for raw in lines:
        match = re.match(r"(?P<indent> *)(?P<number>[0-9]{1,9})[.)] ", raw)
        if match is None:
            if raw.strip():
                previous = None
            continue
        number = int(match["number"])
        if previous is not None and previous[0] == match["indent"]:
            votes["repeat" if number == previous[1] else "sequence"] += 1
        previous = (match["indent"], number)
    return "repeat" if votes["repeat"] > votes["sequence"] else "sequence"


NUMBERED_LINES = st.sampled_from(
    [
        "1. a",
        "1. b",
        "2. c",
        "3) d",
        "  1. e",
        "  1. f",
        "  2. g",
        "",
        "  ",
        "\t",
        "text",
        "- x",
        "1.x",
        "10. h",
        "   1. i",
        "\x0c",
        "1234567890. j",
    ]
)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.lists(NUMBERED_LINES, max_size=14), st.sampled_from(["\n", "\r\n"]))
def test_numbering_counts_the_votes_a_line_by_line_reading_counts(
    lines: list[str], newline: str
) -> None:
    document = parse_document("".join(line + newline for line in lines))
    assert numbering(document) == _numbering_line_by_line(document.lines)


def test_a_template_file_the_project_names_wins_over_the_files_own(tmp_path: Path) -> None:
    project(tmp_path, extra='template = "entry.md"\n')
    (tmp_path / "entry.md").write_text(
        "### ${status} · ${id} · Cover ${path} to ${target}%\n\n- **Owner**: ${owner}\n"
    )
    invoke(tmp_path, "sync", "--date", "2026-11-30")
    assert labels(new_entry(tmp_path)) == ["Owner"]


def _labels_by_parsing_the_span_again(text: str, section: Section | None) -> tuple[str, ...] | None:
    """What template_labels found before it reused the file's parse: a parse of the span."""
    document = parse_document(text)
    span = Span(0, len(document.lines)) if section is None else section.span
    lines = [line.rstrip("\r\n") for line in document.lines[span.start : span.end]]
    depth_at, depth = [], 0
    for line in lines:
        for tag in re.finditer(r"<(/?)details(?=[\s/>]|$)", line, re.IGNORECASE):
            depth += -1 if tag.group(1) else 1
        depth_at.append(depth)
    for token in locating_tokens([line + "\n" for line in lines]):
        if token.type != "fence" or token.map is None:
            continue
        body = [line for line in token.content.splitlines() if line.strip()]
        markdown = token.info.strip().lower() in ("markdown", "md")
        heading = bool(body) and re.fullmatch(r"#{1,6} .+ · .+ · .+", body[0].strip())
        if depth_at[token.map[0]] > 0 and markdown and heading:
            fields = [
                re.match(r"\s{0,3}[-*+] \*\*(?P<name>(?:(?!\*\*).)+)\*\*:", x) for x in body[1:]
            ]
            labels = tuple(match["name"].strip() for match in fields if match)
            if labels:
                return labels
    return None


@st.composite
def _documents_with_templates(draw: st.DrawFn) -> str:
    """Task documents with <details> templates (some in markdown fences) among other blocks."""
    text = draw(task_documents())
    fence = draw(st.sampled_from(["```markdown", "~~~md", "```", "  ```markdown"]))
    template = [
        "## Open tasks (updated 2025-09-01)",
        "",
        "<details>",
        "<summary>Template</summary>",
        "",
        fence,
        "## Open · tv-YYYY-MM-DD:PR### · <Short title>",
        "",
        draw(st.sampled_from(["- **Summary**: one line", "* **Next steps**:", "text"])),
        fence.strip().rstrip("markdown").rstrip("md"),
        "",
        "</details>",
        "",
    ]
    lines = text.splitlines(keepends=True)
    at = draw(st.integers(0, len(lines)))
    return "".join([*lines[:at], *(line + "\n" for line in template), *lines[at:]])


@settings(max_examples=150, derandomize=True, deadline=None)
@given(_documents_with_templates())
def test_template_labels_from_the_files_one_parse_equal_a_parse_of_the_section(text: str) -> None:
    document = parse_document(text)
    for section in (None, *document.sections):
        expected = _labels_by_parsing_the_span_again(text, section)
        assert template_labels(document, section) == expected
