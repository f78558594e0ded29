"""Locating entries, sections, fields and markers in task files, and splicing edits into them."""

from __future__ import annotations

import json
import re
import string
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from covtasks.document import (
    Document,
    Edit,
    Span,
    apply_edits,
    block_tokens,
    parse_document,
    split_lines,
)
from covtasks.errors import TaskFileError
from covtasks.markers import MARKER_PREFIX, format_marker, parse_marker
from tests.strategies import TRAP, GeneratedDocument, annotated_documents, task_documents

DOCUMENTS = Path(__file__).parent / "data" / "documents"
FIXTURES = sorted(DOCUMENTS.glob("*.md"))


def read(path: Path) -> str:
    # Bytes, then decode: text mode would turn CRLF and lone CR into LF.
    return path.read_bytes().decode()


def describe(document: Document) -> dict[str, Any]:
    """The located structure as plain data, the shape of the JSON goldens."""
    return {
        "newline": document.newline,
        "entries": [
            {
                "heading": entry.heading,
                "level": entry.level,
                "span": [entry.span.start, entry.span.end],
                "status": entry.status,
                "ident": entry.ident,
                "title": entry.title,
                "marker": entry.marker,
                "attrs": dict(entry.attrs),
                "fields": [[f.name, f.span.start, f.span.end] for f in entry.fields],
            }
            for entry in document.entries
        ],
        "sections": [
            {
                "heading": section.heading,
                "level": section.level,
                "title": section.title,
                "span": [section.span.start, section.span.end],
                "insertion_line": document.insertion_line(section),
            }
            for section in document.sections
        ],
    }


@pytest.mark.parametrize("path", FIXTURES, ids=lambda path: path.stem)
def test_fixture_structure_matches_its_golden(path: Path) -> None:
    golden = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    assert describe(parse_document(read(path))) == golden


@pytest.mark.parametrize("path", FIXTURES, ids=lambda path: path.stem)
def test_fixture_without_edits_round_trips_byte_for_byte(path: Path) -> None:
    text = read(path)
    document = parse_document(text)
    assert "".join(document.lines) == text
    assert apply_edits(document, []) == text


def test_style_fixture_as_crlf_locates_the_same_lines_and_reports_crlf() -> None:
    text = read(DOCUMENTS / "style.md")
    lf, crlf = parse_document(text), parse_document(text.replace("\n", "\r\n"))
    assert crlf.newline == "\r\n"
    assert {**describe(crlf), "newline": "\n"} == describe(lf)


def test_fixture_edits_keep_every_other_line_and_use_the_file_newline() -> None:
    text = read(DOCUMENTS / "crlf.md")
    document = parse_document(text)
    entry = document.entries[0]
    owner = entry.fields[1]
    edits = [Edit(Span(entry.heading, entry.heading + 1), ("### Completed · x · y",))]
    edits.append(Edit(owner.span, ("- **Owner**: ana",)))
    result = apply_edits(document, edits)
    expected = [*document.lines[:4], "### Completed · x · y\r\n", *document.lines[5:9]]
    assert result == "".join(expected) + "- **Owner**: ana"


# --- generated documents -------------------------------------------------------------


@settings(max_examples=80)
@given(annotated_documents())
def test_generated_document_entries_are_exactly_the_entry_blocks(
    generated: GeneratedDocument,
) -> None:
    document = parse_document(generated.text)
    assert [e.ident for e in document.entries] == [e.ident for e in generated.entries]
    for entry, block in zip(document.entries, generated.entries, strict=True):
        assert len(entry.fields) == block.fields
        assert entry.attrs.get("module") == block.module
        assert entry.marker is None or document.lines[entry.marker].lstrip().startswith(
            MARKER_PREFIX
        )


@settings(max_examples=80)
@given(task_documents())
def test_generated_document_never_takes_a_trap_heading_as_entry_or_section(text: str) -> None:
    document = parse_document(text)
    assert all(TRAP not in entry.ident for entry in document.entries)
    assert all(TRAP not in section.title for section in document.sections)


@settings(max_examples=80)
@given(task_documents())
def test_generated_document_spans_nest_inside_their_owners(text: str) -> None:
    document = parse_document(text)
    previous_end = 0
    for entry in document.entries:
        assert previous_end <= entry.heading < entry.span.end <= len(document.lines)
        previous_end = entry.span.end
        for field in entry.fields:
            assert entry.heading < field.span.start < field.span.end <= entry.span.end
    for section in document.sections:
        assert document.section_of(section.heading) == section
        at = document.insertion_line(section)
        assert section.span.start < at <= section.span.end
        assert not any(e.heading < at < e.span.end for e in document.entries)
    assert not any(e.heading < document.end_line() < e.span.end for e in document.entries)


@settings(max_examples=80)
@given(annotated_documents(), st.data())
def test_entry_inserted_at_a_section_insertion_line_is_found_as_an_entry(
    generated: GeneratedDocument, data: st.DataObject
) -> None:
    document = parse_document(generated.text)
    if not document.sections:
        return
    section = data.draw(st.sampled_from(document.sections))
    at = document.insertion_line(section)
    added = Edit(Span(at, at), ("", "### Open · tv-NEW:x · Added", "", "- **Summary**: new"))
    after = parse_document(apply_edits(document, [added]))
    idents = [entry.ident for entry in after.entries]
    assert sorted(idents) == sorted([e.ident for e in generated.entries] + ["tv-NEW:x"])
    (new,) = (entry for entry in after.entries if entry.ident == "tv-NEW:x")
    assert (new.heading, len(new.fields)) == (at + 1, 1)


@st.composite
def documents_with_edits(draw: st.DrawFn) -> tuple[Document, list[Edit]]:
    document = parse_document(draw(task_documents()))
    count = len(document.lines)
    cuts = sorted(draw(st.lists(st.integers(0, count), max_size=6)))
    replacement = st.lists(st.text(st.characters(exclude_characters="\r\n"), max_size=8))
    edits = [
        Edit(Span(start, end), tuple(draw(replacement)))
        for start, end in zip(cuts[::2], cuts[1::2], strict=False)
    ]
    return document, draw(st.permutations(edits))


@settings(max_examples=100)
@given(documents_with_edits())
def test_generated_edits_keep_every_byte_outside_the_edited_spans(
    case: tuple[Document, list[Edit]],
) -> None:
    document, edits = case
    lines = document.lines
    expected: list[tuple[str, bool]] = []  # (line, kept byte for byte) in output order
    position = 0
    for edit in sorted(edits, key=lambda e: (e.span.start, e.span.end)):
        expected += [(line, True) for line in lines[position : edit.span.start]]
        expected += [(line, False) for line in edit.lines]
        position = edit.span.end
    expected += [(line, True) for line in lines[position:]]
    output = parse_document(apply_edits(document, edits)).lines
    if expected and expected[-1] == ("", False) and len(output) == len(expected) - 1:
        expected.pop()  # an empty line added at an open end is just the newline before it
    assert len(output) == len(expected)
    for got, (line, kept) in zip(output, expected, strict=True):
        if kept and (got == line or line is lines[-1]):
            # Only the original last line may differ: it gains a newline when lines follow.
            assert got in (line, line + document.newline)
        else:
            assert not kept
            # An added line ends with the file's newline; "\r\n" where a bare "\n" would fuse
            # with a lone "\r" before it; none at a missing final newline.
            assert got in (line, line + document.newline, line + "\r\n")


# --- apply_edits ----------------------------------------------------------------------


def test_insertions_at_one_point_keep_their_order_and_precede_a_replacement_there() -> None:
    document = parse_document("a\nb\nc\n")
    edits = [
        Edit(Span(1, 2), ("B",)),
        Edit(Span(1, 1), ("first",)),
        Edit(Span(1, 1), ("second",)),
    ]
    assert apply_edits(document, edits) == "a\nfirst\nsecond\nB\nc\n"


def test_overlapping_edits_raise_value_error() -> None:
    document = parse_document("a\nb\nc\n")
    with pytest.raises(ValueError, match="overlaps"):
        apply_edits(document, [Edit(Span(0, 2), ()), Edit(Span(1, 1), ("x",))])


def test_edit_outside_the_document_raises_value_error() -> None:
    with pytest.raises(ValueError, match="outside"):
        apply_edits(parse_document("a\n"), [Edit(Span(1, 2), ())])


def test_edit_line_holding_a_line_break_raises_value_error() -> None:
    with pytest.raises(ValueError, match="line break"):
        apply_edits(parse_document("a\n"), [Edit(Span(1, 1), ("x\ry",))])


def test_insertion_after_a_last_line_without_newline_adds_one_and_keeps_the_end_open() -> None:
    document = parse_document("a\r\nb")
    result = apply_edits(document, [Edit(Span(2, 2), ("c", "d"))])
    assert result == "a\r\nb\r\nc\r\nd"


def test_replacing_a_last_line_without_newline_keeps_the_final_newline_missing() -> None:
    document = parse_document("a\nb")
    assert apply_edits(document, [Edit(Span(1, 2), ("B",))]) == "a\nB"


def test_deleting_the_last_line_leaves_the_line_before_it_untouched() -> None:
    document = parse_document("a\nb")
    assert apply_edits(document, [Edit(Span(1, 2), ())]) == "a\n"


# Long files too: past line 256 two equal line numbers computed apart are distinct objects.
@pytest.mark.parametrize("lines_before", [0, 300])
def test_insertion_then_empty_edit_at_the_end_keeps_the_final_newline_missing(
    lines_before: int,
) -> None:
    text = "x\n" * lines_before + "a"
    document = parse_document(text)
    # Each span computed on its own, as the planner computes each entry's edit.
    edits = [
        Edit(Span(len(document.lines), len(document.lines)), ("b",)),
        Edit(Span(len(document.lines), len(document.lines)), ()),
    ]
    assert apply_edits(document, edits) == text + "\nb"


def test_insertion_into_an_empty_document_ends_each_line() -> None:
    assert apply_edits(parse_document(""), [Edit(Span(0, 0), ("a",))]) == "a\n"


@pytest.mark.parametrize(
    ("text", "newline"),
    [
        ("", "\n"),
        ("a\r\nb\n", "\n"),
        ("a\r\nb\r\nc\n", "\r\n"),
        ("a\r\nb", "\r\n"),
        ("a\r", "\r"),
        ("a\rb\rc\rd\ne\nf\n", "\n"),
        ("a\rb\rc\rd\ne\n", "\r"),
    ],
)
def test_newline_is_crlf_or_cr_only_when_most_line_endings_are(text: str, newline: str) -> None:
    assert parse_document(text).newline == newline


# --- locating -------------------------------------------------------------------------


def test_entry_heading_needs_atx_level_two_to_four_and_two_separators() -> None:
    text = (
        "# Open · a · level one\n\n##### Open · b · level five\n\nOpen · c · setext\n---\n\n"
        "### Open · only one\n\n### Open ·  · empty id ·  rest · of title  ###\n"
    )
    (entry,) = parse_document(text).entries
    assert (entry.status, entry.ident, entry.title) == ("Open", "", "empty id ·  rest · of title")


def test_entry_ends_before_a_top_level_thematic_break_and_blank_lines() -> None:
    text = "### Open · a · b\n\n- **Summary**: x\n\n\n___\n\nafter\n"
    (entry,) = parse_document(text).entries
    assert entry.span == Span(0, 3)
    assert entry.fields[0].span == Span(2, 3)


def test_heading_only_entry_spans_its_heading_line() -> None:
    (entry,) = parse_document("### Open · a · b\n\n\n### Open · c · d\n").entries[:1]
    assert entry.span == Span(0, 1)


def test_nested_and_stray_details_tags_hide_exactly_the_lines_between_open_and_close() -> None:
    text = (
        "</details>\n\n### Open · a · visible\n\n<details>\n\n<details>\n\n"
        "### Open · b · hidden\n\n</details>\n\n### Open · c · hidden\n\n</details>\n\n"
        "### Open · d · visible\n"
    )
    assert [e.ident for e in parse_document(text).entries] == ["a", "d"]


def test_unclosed_comment_hiding_a_details_tag_opens_nothing() -> None:
    text = "### Open · a · visible\n\n<!-- <details>\n"
    assert [e.ident for e in parse_document(text).entries] == ["a"]


def test_marker_in_a_nested_list_or_details_or_outside_entries_is_ignored() -> None:
    marker = format_marker({"module": "m.py"})
    text = (
        f"{marker}\n\n### Open · a · b\n\n- **Summary**: x\n\n  {marker}\n\n"
        f"<details>\n\n{marker}\n\n</details>\n"
    )
    (entry,) = parse_document(text).entries
    assert (entry.marker, dict(entry.attrs)) == (None, {})


def test_second_marker_in_one_entry_raises_naming_both_lines() -> None:
    marker = format_marker({"module": "m.py"})
    text = f"### Open · a · b\n\n{marker}\n\n{marker}\n"
    with pytest.raises(TaskFileError, match=r"line 5: a second covtasks marker .* line 1 .* 3"):
        parse_document(text)


def test_malformed_marker_in_an_entry_raises_with_its_line_number() -> None:
    text = '### Open · a · b\n\n<!-- covtasks:entry module="m.py"\n-->\n'
    with pytest.raises(TaskFileError, match="line 3: covtasks marker does not end"):
        parse_document(text)


def test_section_of_returns_the_innermost_enclosing_section_or_none() -> None:
    text = "intro\n\n# A\n\n## B\n\n### C\n\ntext\n\n## D\n\nmore\n"
    document = parse_document(text)
    titles = {line: getattr(document.section_of(line), "title", None) for line in (0, 2, 8, 9)}
    assert titles == {0: None, 2: "A", 8: "C", 9: "C"}
    deeper = parse_document("# A\n\n### C\n\n## D\n\n#### E\n\nx\n")
    titles = {line: getattr(deeper.section_of(line), "title", None) for line in (1, 3, 4, 8)}
    assert titles == {1: "A", 3: "C", 4: "D", 8: "E"}


def test_section_of_a_line_after_a_closed_subsection_is_its_parent() -> None:
    document = parse_document("# A\n\n#### D\n\n### Open · a · b\n\nx\n")
    assert document.section_of(6).title == "A"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("## S\n", 1),
        ("## S\n\ntext\n\n***\n\n## T\n", 3),
        ("## S\n\ntext\n\n<!-- open comment\n\nstill comment\n", 3),
        ("## S\n\ntext\n\n<pre>\nunclosed\n", 3),
        ("## S\n\ntext\n\n<pre>\nclosed</pre>\n", 6),
        ("## S\n\ntext\n\n<div>\nends at a blank line\n", 6),
        ("## S\n\n```\nclosed\n```", 5),
    ],
    ids=["empty", "break", "open-comment", "open-pre", "closed-pre", "div", "closed-fence"],
)
def test_insertion_line_never_lands_inside_a_block_that_would_swallow_it(
    text: str, line: int
) -> None:
    document = parse_document(text)
    assert document.insertion_line(document.sections[0]) == line


# --- markers --------------------------------------------------------------------------


def test_format_marker_keeps_the_given_order_and_leaves_plain_values_readable() -> None:
    marker = format_marker({"module": "pkg/a.py", "baseline": "64.71"})
    assert marker == '<!-- covtasks:entry module="pkg/a.py" baseline="64.71" -->'


def test_format_marker_rejects_an_attribute_name_that_is_not_plain() -> None:
    with pytest.raises(ValueError, match="not a plain name"):
        format_marker({"bad key": "x"})


_KEYS = st.from_regex(r"[A-Za-z_](?:[A-Za-z0-9_.]|-(?!-)){0,8}", fullmatch=True)


@settings(max_examples=200)
@given(st.dictionaries(_KEYS, st.text(), max_size=5))
def test_marker_round_trips_any_values_and_never_ends_the_comment_early(
    attrs: dict[str, str],
) -> None:
    marker = format_marker(attrs)
    assert list(parse_marker(marker).items()) == list(attrs.items())  # type: ignore[union-attr]
    body = marker.removeprefix("<!--").removesuffix("-->")
    assert "--" not in body.replace("covtasks:entry", "")
    assert ">" not in body
    assert "\n" not in marker
    assert "\r" not in marker


@pytest.mark.parametrize(
    "line",
    ["text", "<!-- other -->", "<!-- covtasks:entries -->", "  - <!-- covtasks:entry -->x"],
)
def test_parse_marker_returns_none_for_other_lines(line: str) -> None:
    assert parse_marker(line) is None


def test_parse_marker_accepts_typed_unicode_lowercase_escapes_and_no_attributes() -> None:
    assert parse_marker("  <!-- covtasks:entry -->\r\n") == {}
    assert parse_marker('<!-- covtasks:entry m="zoë%2fa" -->') == {"m": "zoë/a"}


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ('<!-- covtasks:entry m="a"', "does not end with -->"),
        ('<!-- covtasks:entry m="a" m="b" -->', "repeats the attribute 'm'"),
        ('<!-- covtasks:entry m="a" junk -->', "unreadable text 'junk'"),
        ('<!-- covtasks:entry m="a"n="b" -->', "unreadable text"),
        ('<!-- covtasks:entry m="50%" -->', "stray %"),
        ('<!-- covtasks:entry m="%FF" -->', "not UTF-8"),
    ],
)
def test_parse_marker_names_the_problem_of_a_malformed_marker(line: str, problem: str) -> None:
    with pytest.raises(TaskFileError) as caught:
        parse_marker(line)
    assert problem in caught.value.message


def test_marker_prefix_is_what_format_marker_writes() -> None:
    assert format_marker({}).startswith(MARKER_PREFIX)
    assert set(string.digits) <= set(format_marker({"n": string.digits}))


def test_deeper_entry_heading_ends_the_entry_above_it() -> None:
    text = "## Open · a · b\n\n- **Summary**: x\n\n### Open · c · d\n\n- **Summary**: y\n"
    outer, inner = parse_document(text).entries
    assert (outer.span, inner.span) == (Span(0, 3), Span(4, 7))


def test_empty_line_added_after_a_lone_cr_ending_gets_crlf_so_the_endings_stay_apart() -> None:
    document = parse_document("a\rb\nc\n")
    assert document.newline == "\n"
    assert apply_edits(document, [Edit(Span(1, 1), ("", "x"))]) == "a\r\r\nx\nb\nc\n"


def test_lines_added_to_a_cr_only_file_end_in_cr() -> None:
    document = parse_document("a\rb\r")
    assert document.newline == "\r"
    assert apply_edits(document, [Edit(Span(1, 1), ("", "x"))]) == "a\r\rx\rb\r"


@pytest.mark.parametrize(
    ("text", "line"),
    [("a\n", 1), ("a\n\n```\n### Open · x · y\n", 1), ("", 0), ("\n\n<!--\n", 0)],
    ids=["closed", "open-fence", "empty", "open-comment-only"],
)
def test_end_line_is_eof_unless_a_block_left_open_would_swallow_appended_text(
    text: str, line: int
) -> None:
    assert parse_document(text).end_line() == line


def test_entry_ends_before_a_block_left_open_at_the_end() -> None:
    (entry,) = parse_document("### Open · a · b\n\n- **Summary**: x\n\n```\ncode\n").entries
    assert entry.span == Span(0, 3)


def test_parent_of_names_the_enclosing_section_or_none_at_the_top() -> None:
    document = parse_document("# Top\n\n## Open tasks\n\n### Notes\n\ntext\n")
    top, open_tasks, notes = document.sections
    assert document.parent_of(notes) == open_tasks
    assert document.parent_of(open_tasks) == top
    assert document.parent_of(top) is None


# --- behaviours pinned by mutation testing (make mutate) --------------------------------


def test_marker_on_the_line_right_below_a_closing_details_tag_belongs_to_the_entry() -> None:
    marker = format_marker({"module": "m.py"})
    text = (
        "### Open · a · b\n\n<details>\n<summary>log</summary>\n\n### Open · x · hidden\n\n"
        f"</details>\n{marker}\n"
    )
    (entry,) = parse_document(text).entries
    assert (entry.marker, dict(entry.attrs)) == (8, {"module": "m.py"})


def test_marker_above_an_opening_details_tag_in_one_html_block_belongs_to_the_entry() -> None:
    marker = format_marker({"module": "m.py"})
    text = (
        f"### Open · a · b\n\n<div>\n{marker}\n<details>\n\n### Open · x · hidden\n\n"
        "</details>\n</div>\n"
    )
    (entry,) = parse_document(text).entries
    assert entry.marker == 3


def test_details_tag_inside_a_fenced_code_block_hides_nothing() -> None:
    text = "### Open · a · b\n\n```html\n<details>\n```\n\n### Open · c · d\n\n- **Summary**: x\n"
    assert [e.ident for e in parse_document(text).entries] == ["a", "c"]


def test_nested_bullet_that_looks_like_a_field_is_part_of_its_parent_field() -> None:
    text = "### Open · a · b\n\n- **Notes**: x\n  - **Detail**: y\n- **Owner**: z\n"
    (entry,) = parse_document(text).entries
    assert [(f.name, f.span) for f in entry.fields] == [
        ("Notes", Span(2, 4)),
        ("Owner", Span(4, 5)),
    ]


def test_marker_on_the_second_line_of_an_html_block_is_found() -> None:
    marker = format_marker({"module": "m.py"})
    text = f"### Open · a · b\n\n<!-- a person's note -->\n{marker}\n\n- **Summary**: x\n"
    (entry,) = parse_document(text).entries
    assert (entry.marker, dict(entry.attrs)) == (3, {"module": "m.py"})


def test_second_sibling_subsection_has_the_section_above_both_as_parent() -> None:
    document = parse_document("## Open tasks\n\n### One\n\nx\n\n### Two\n\ny\n")
    top, one, two = document.sections
    assert (document.parent_of(one), document.parent_of(two)) == (top, top)


def test_section_after_an_entry_heading_has_the_section_above_the_entry_as_parent() -> None:
    document = parse_document("## Open tasks\n\n### Open · a · b\n\nx\n\n### Notes\n\ny\n")
    top, notes = document.sections
    assert document.parent_of(notes) == top
    assert document.section_of(8) == notes


def test_heading_between_an_outer_and_an_inner_details_tag_is_hidden() -> None:
    text = (
        "### Open · a · visible\n\n<details>\n\n### Open · b · hidden\n\n<details>\n\n"
        "### Open · c · hidden\n\n</details>\n\n</details>\n\n### Open · d · visible\n"
    )
    assert [e.ident for e in parse_document(text).entries] == ["a", "d"]


def test_entry_with_only_a_blank_line_before_a_deeper_entry_is_just_its_heading() -> None:
    outer, inner = parse_document("## Open · a · b\n\n### Open · c · d\n").entries
    assert (outer.span, inner.span) == (Span(0, 1), Span(2, 3))


def test_the_line_closing_a_details_block_is_inside_it() -> None:
    marker = format_marker({"module": "m.py"})
    text = f"### Open · a · b\n\n<details>\n<summary>old</summary>\n{marker}</details>\n"
    (entry,) = parse_document(text).entries
    assert (entry.marker, dict(entry.attrs)) == (None, {})


def test_insertion_line_of_a_section_holding_only_a_break_is_before_the_break() -> None:
    document = parse_document("## S\n***\n\n## T\n")
    assert document.insertion_line(document.sections[0]) == 1


def test_section_after_a_higher_entry_heading_is_not_nested_in_the_sections_before_it() -> None:
    document = parse_document("## A\n\n### B\n\n## Open · x · y\n\n### C\n")
    _, _, c = document.sections
    assert document.parent_of(c) is None


def test_a_long_file_of_entries_each_closed_by_a_thematic_break_finds_every_entry() -> None:
    blocks = [f"### Open · tv-{n} · task {n}\n\n- **Summary**: x\n\n---\n\n" for n in range(300)]
    document = parse_document("# Tasks\n\n" + "".join(blocks) + "### Open · last · y\n")
    assert len(document.entries) == 301
    assert document.entries[-1].span == Span(len(document.lines) - 1, len(document.lines))


def test_details_tag_named_in_a_paragraph_hides_nothing() -> None:
    text = (
        "### Open · a · b\n\nFold long logs with <details> blocks.\n\n### Open · c · d\n\n"
        "- **Summary**: x\n"
    )
    assert [e.ident for e in parse_document(text).entries] == ["a", "c"]


def test_markdown_its_full_token_stream_with_closing_tokens_locates_the_same_entries() -> None:
    text = read(DOCUMENTS / "style.md")
    full = parse_document(text, lambda lines: block_tokens("".join(lines)))
    assert describe(full) == describe(parse_document(text))
    assert full.entries


def test_second_marker_error_names_an_entry_on_the_second_line_by_its_line_number() -> None:
    marker = format_marker({"module": "m.py"})
    text = f"intro\n### Open · a · b\n\n{marker}\n\n{marker}\n"
    with pytest.raises(
        TaskFileError, match=r"^line 6: .* entry at line 2 \(the first is on line 4\)"
    ):
        parse_document(text)


def test_end_line_is_before_a_long_fence_left_open_at_the_end() -> None:
    text = "a\n\n```\n" + "code\n" * 300
    assert parse_document(text).end_line() == 1


def test_deleting_every_line_of_a_file_without_a_final_newline_leaves_nothing() -> None:
    document = parse_document("a\nb")
    assert apply_edits(document, [Edit(Span(0, 2), ())]) == ""


def test_empty_line_added_after_a_lone_cr_ending_that_follows_an_lf_line_gets_crlf() -> None:
    document = parse_document("a\nb\r")
    assert apply_edits(document, [Edit(Span(2, 2), ("", "x"))]) == "a\nb\r\r\nx\n"


def test_end_line_is_eof_after_an_indented_code_block_that_shows_an_open_comment() -> None:
    text = "a\n\n    <!-- shown as code, never opened\n"
    assert parse_document(text).end_line() == 3


def test_a_nested_bullet_is_no_field_in_markdown_its_full_token_stream_either() -> None:
    text = "### Open · a · b\n\n- **Notes**: x\n  - **Detail**: y\n- **Owner**: z\n"
    (entry,) = parse_document(text, lambda lines: block_tokens("".join(lines))).entries
    assert [f.name for f in entry.fields] == ["Notes", "Owner"]


def test_an_unclosed_marker_right_below_an_entry_heading_is_an_error_not_silence() -> None:
    # Read as nothing, it would let sync file a second entry for the module.
    with pytest.raises(TaskFileError, match="line 2: covtasks marker does not end with -->"):
        parse_document('### Open · a · b\n<!-- covtasks:entry module="m.py"\n')


def test_a_marker_shaped_line_continuing_a_paragraph_is_not_a_marker() -> None:
    marker = format_marker({"module": "m.py"})
    (entry,) = parse_document(f"### Open · a · b\n\nNote:\n    {marker}\n").entries
    assert entry.marker is None


def test_end_line_is_before_an_unclosed_cdata_section_at_the_end() -> None:
    assert parse_document("a\n\n<![CDATA[\nraw\n").end_line() == 1


def test_end_line_never_goes_above_the_first_line() -> None:
    assert parse_document("\n```\n\n").end_line() == 0


def test_an_edit_starting_before_the_first_line_is_refused() -> None:
    with pytest.raises(ValueError, match="outside lines"):
        apply_edits(parse_document("a\n"), [Edit(Span(-1, 0), ("x",))])


def test_a_malformed_marker_on_the_fourth_line_is_named_by_its_line_number() -> None:
    text = '### Open · a · b\nsummary\n\n<!-- covtasks:entry module="50%" -->\n'
    with pytest.raises(TaskFileError, match=r"^line 4: covtasks marker attribute 'module'"):
        parse_document(text)


def test_an_entry_inside_details_keeps_its_deeper_headings_and_ends_before_the_close() -> None:
    marker = format_marker({"module": "m.py"})
    text = (
        "# T\n\n<details>\n\n### Open · a · b\n\n"
        f"{marker}\n\n#### Notes\n\n- **Owner**: x\n\n</details>\n\nAfter.\n"
    )
    (entry,) = parse_document(text).entries
    assert (entry.heading, entry.span, entry.marker) == (4, Span(4, 11), 6)
    assert [found.name for found in entry.fields] == ["Owner"]


def test_fields_below_a_details_block_holding_an_entry_belong_to_the_entry_around_it() -> None:
    # The template's <details> block first, so the one holding the moved entry is the second.
    text = (
        "# T\n\n<details><summary>Template</summary>\n\n</details>\n\n### Open · a · b\n\n"
        f"{format_marker({'module': 'a.py'})}\n\n<details>\n\n### Done · c · d\n\n"
        f"{format_marker({'module': 'c.py'})}\n\n</details>\n\n- **Owner**: x\n"
    )
    around, moved = parse_document(text).entries
    assert (around.attrs["module"], moved.attrs["module"]) == ("a.py", "c.py")
    assert [found.name for found in around.fields] == ["Owner"]
    assert moved.fields == ()


def test_a_byte_order_mark_before_the_first_heading_keeps_it_a_heading() -> None:
    text = "\ufeff# Tasks\n\n### Open · a · b\n\n- **Owner**: x\n"
    document = parse_document(text)
    assert [(section.heading, section.title) for section in document.sections] == [(0, "Tasks")]
    (entry,) = document.entries
    assert (entry.heading, [found.name for found in entry.fields]) == (2, ["Owner"])
    assert apply_edits(document, []) == text


def test_a_marker_right_above_an_opening_details_tag_belongs_to_the_entry() -> None:
    marker = format_marker({"module": "m.py"})
    text = f"### Open · a · b\n\n{marker}\n<details>\n\n### Open · x · hidden\n\n</details>\n"
    (entry,) = parse_document(text).entries
    assert (entry.marker, entry.attrs["module"]) == (2, "m.py")


@pytest.mark.parametrize(
    ("level", "found"), [(1, False), (2, True), (3, True), (4, True), (5, False)]
)
def test_an_entry_moved_into_details_is_found_at_the_levels_entries_have(
    level: int, found: bool
) -> None:
    text = (
        "# T\n\n<details>\n\n"
        f"{'#' * level} Done · a · Cover `m.py` · part two\n\n"
        f"{format_marker({'module': 'm.py'})}\n\n- **Owner**: x\n\n</details>\n"
    )
    entries = parse_document(text).entries
    assert [(e.level, e.title, e.marker) for e in entries] == (
        [(level, "Cover `m.py` · part two", 6)] if found else []
    )


@pytest.mark.parametrize("older", ["### Older notes", "## Older notes"])
def test_an_entry_inside_details_ends_at_a_heading_of_its_level_or_above(older: str) -> None:
    marker = format_marker({"module": "m.py"})
    text = (
        "# T\n\n<details>\n\n### Open · a · b\n\n"
        f"{marker}\n\n- **Owner**: x\n\n{older}\n\n- **Owner**: not a field\n\n"
        "</details>\n"
    )
    (entry,) = parse_document(text).entries
    assert entry.span == Span(4, 9)
    assert [found.name for found in entry.fields] == ["Owner"]


def test_a_marker_indented_as_code_inside_an_entry_is_an_error() -> None:
    marker = format_marker({"module": "m.py"})
    with pytest.raises(TaskFileError, match=r"^line 4: covtasks marker is indented as code"):
        parse_document(f"### Open · a · b\nNotes.\n\n    {marker}\n")


def test_a_marker_shown_as_code_outside_any_entry_is_just_an_example() -> None:
    marker = format_marker({"module": "m.py"})
    document = parse_document(f"# How markers look\n\n    {marker}\n\n### Open · a · b\n")
    assert [entry.marker for entry in document.entries] == [None]


def test_an_unclosed_marker_after_a_blank_line_is_named_by_its_line_number() -> None:
    with pytest.raises(TaskFileError, match=r"^line 3: covtasks marker does not end with -->"):
        parse_document('### Open · a · b\n\n<!-- covtasks:entry module="m.py"\n')


def test_a_marker_broken_over_two_lines_before_a_details_tag_is_an_error_not_silence() -> None:
    text = (
        '### Open · a · b\n\n<!-- covtasks:entry module="m.py"\n--> <details>\n\n'
        "### Open · x · hidden\n\n</details>\n"
    )
    with pytest.raises(TaskFileError, match=r"^line 3: covtasks marker does not end with -->"):
        parse_document(text)


def test_an_entry_inside_a_details_block_left_open_at_the_end_is_nobodys() -> None:
    marker = format_marker({"module": "m.py"})
    text = f"# T\n\n<details>\n\n### Open · a · b\n\n{marker}\n\n- **Owner**: x\n"
    assert parse_document(text).entries == ()


def test_a_details_block_whose_closing_line_opens_a_block_left_open_holds_no_entry() -> None:
    # "<pre>" never closed swallows the rest of the file, the </details> line included.
    marker = format_marker({"module": "m.py"})
    text = (
        f"# T\n\n<details>\n\n### Open · a · b\n\n{marker}\n\n- **Owner**: x\n\n"
        "<pre></details>\n\n### Open · c · d\n"
    )
    assert parse_document(text).entries == ()


def test_an_entry_heading_right_after_a_section_lies_in_the_enclosing_section() -> None:
    document = parse_document("# Top\n\n## Done\n\ntext\n\n## Open · a · b\n\n- **Owner**: x\n")
    assert [getattr(document.section_of(line), "title", None) for line in (5, 6)] == [
        "Done",
        "Top",
    ]


_BREAKS_AND_TEXT = st.lists(
    st.sampled_from(["\n", "\r", "\r\n", "\v", "\f", "\x1c", "\x85", "\u2028", "a", " "]),
    max_size=30,
).map("".join)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(_BREAKS_AND_TEXT)
def test_lines_split_at_cr_lf_and_crlf_only_whatever_other_breaks_the_text_holds(
    text: str,
) -> None:
    expected = tuple(re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z", text))
    assert split_lines(text) == expected
    assert "".join(split_lines(text)) == text


@settings(max_examples=300, derandomize=True, deadline=None)
@given(_BREAKS_AND_TEXT)
def test_newline_style_is_the_ending_of_most_lines_counted_line_by_line(text: str) -> None:
    lines = split_lines(text)
    crlf = sum(line.endswith("\r\n") for line in lines)
    cr = sum(line.endswith("\r") for line in lines)
    ended = sum(line.endswith(("\n", "\r")) for line in lines)
    expected = "\r\n" if crlf * 2 > ended else "\r" if cr * 2 > ended else "\n"
    assert parse_document(text).newline == expected


def test_an_insertion_earlier_keeps_the_newline_of_the_line_before_a_deleted_last_line() -> None:
    document = parse_document("a\nb\nc")
    edits = [Edit(Span(1, 1), ("x",)), Edit(Span(2, 3), ())]
    assert apply_edits(document, edits) == "a\nx\nb\n"


@pytest.mark.parametrize("before", ["", "# T\n\n## Done\n\n"])
def test_an_entry_inside_details_ends_at_the_next_heading_of_its_level_wherever_it_sits(
    before: str,
) -> None:
    marker = format_marker({"module": "m.py"})
    text = (
        f"{before}<details>\n\n### Open · a · b\n\n{marker}\n\n- **Owner**: x\n\n"
        "### Older notes\n\n- **Owner**: not a field\n\n</details>\n"
    )
    (entry,) = parse_document(text).entries
    heading = before.count("\n") + 2
    assert entry.span == Span(heading, heading + 5)
    assert [found.name for found in entry.fields] == ["Owner"]


def test_fences_are_those_starting_inside_the_span_with_their_info_and_content() -> None:
    document = parse_document("```py\nx\n```\n\n## S\n\n```sh\ny\n```\n\n- item\n")
    assert [(f.start, f.info, f.content) for f in document.fences(Span(0, 12))] == [
        (0, "py", "x\n"),
        (6, "sh", "y\n"),
    ]
    assert [f.start for f in document.fences(Span(6, 7))] == [6]
    assert [f.start for f in document.fences(Span(0, 6))] == [0]
    assert [f.start for f in document.fences(Span(0, 1))] == [0]


def test_importing_the_document_model_loads_no_markdown_it() -> None:
    # A sync that reads a kept layout never parses markdown; only blocks.py may import it.
    code = "import sys, covtasks.document\nprint('markdown_it' in sys.modules)\n"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
