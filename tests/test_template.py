"""The entry template: golden renders, overrides, errors, escaping and mdformat stability."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path

import mdformat
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from covtasks.errors import ConfigError
from covtasks.escaping import code_span, escape_text
from covtasks.template import (
    PLACEHOLDERS,
    EntryTemplate,
    default_template_places,
    load_template,
    parse_template,
    render_fields,
    render_heading,
)

REPO_TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "entry.md"

GAPPY_VALUES = {
    "status": "Open",
    "id": "tv-2026-11-26:cov-pkg-gappy",
    "path": "`pkg/gappy.py`",
    "target": "100",
    "summary": (
        "Bring `pkg/gappy.py` from 69.23% lines and 50.00% branches to 100% line and "
        "branch coverage with mock-free tests."
    ),
    "owner": "tv",
    "priority": "P1",
    "size": "S",
    "milestone": "Core deterministic modules",
    "coverage": (
        "69.23% lines (9/13), 50.00% branches (2/4); "
        "baseline 64.71% (2026-11-20) → 69.23% (2026-11-26)"
    ),
    "missing": "lines `7, 14, 18-19`; branches `12->14`",
    "notes": "- L11-14: `os.environ` → pass a mapping in; test with a dict",
}

GAPPY_ENTRY = """\
### Open · tv-2026-11-26:cov-pkg-gappy · Cover `pkg/gappy.py` to 100%

- **Summary**: Bring `pkg/gappy.py` from 69.23% lines and 50.00% branches to 100% line and \
branch coverage with mock-free tests.
- **Owner**: tv
- **Priority**: P1
- **Size**: S
- **Milestone**: Core deterministic modules
- **Coverage**: 69.23% lines (9/13), 50.00% branches (2/4); baseline 64.71% (2026-11-20) → \
69.23% (2026-11-26)
- **Missing**: lines `7, 14, 18-19`; branches `12->14`
- **DI/fixture notes**:
  - L11-14: `os.environ` → pass a mapping in; test with a dict
- **Validation**: `pytest`; `covtasks check`
"""

OVERRIDE = """\
---
defaults:
  team: platform
  validation: "`make quality`"
---
### ${status} · ${id} · Raise ${path} to ${target}%

- **Owner**: ${owner} (team ${team})
- **Where**: ${path_text}
- **Next steps**:
  1. Read ${path}.
  1. Cost: $$0.
- **Notes**: ${notes}
- **Validation**: ${validation}
- **Policy**: no mocks
"""


def entry_text(template: EntryTemplate, values: Mapping[str, str]) -> str:
    lines = [line for field in render_fields(template, values) for line in field.lines]
    return "\n".join([render_heading(template, values), "", *lines]) + "\n"


def write_template(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "my-entry.md"
    path.write_text(text, encoding="utf-8")
    return path


def visible(text: str) -> str:
    """What covtasks shows for a raw string: controls, format characters (bidi, zero-width)
    and line separators as escapes."""
    out = []
    for char in text:
        if char in "\n\r\t":
            out.append({"\n": "\\n", "\r": "\\r", "\t": "\\t"}[char])
        elif (
            ord(char) < 32
            or 127 <= ord(char) <= 159
            or char in "\u2028\u2029"
            or unicodedata.category(char) == "Cf"
        ):
            out.append(f"\\x{ord(char):02x}" if ord(char) <= 255 else f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "".join(out)


def inline_children(markdown: str) -> list[Token]:
    tokens = MarkdownIt("commonmark").parse(markdown)
    inline = [token for token in tokens if token.type == "inline"]
    assert len(inline) == 1
    return inline[0].children or []


def shown_text(children: list[Token]) -> str:
    return "".join(child.content for child in children if child.type in {"text", "code_inline"})


# --- the default template ---------------------------------------------------------------


def test_default_template_renders_the_gappy_entry_exactly() -> None:
    assert entry_text(load_template(None), GAPPY_VALUES) == GAPPY_ENTRY


def test_default_template_lists_fields_in_documented_order() -> None:
    assert load_template(None).field_names == (
        "Summary",
        "Owner",
        "Priority",
        "Size",
        "Milestone",
        "Coverage",
        "Missing",
        "DI/fixture notes",
        "Validation",
    )


def test_default_template_without_milestone_omits_the_milestone_field() -> None:
    values = GAPPY_VALUES | {"milestone": ""}
    names = [field.name for field in render_fields(load_template(None), values)]
    assert "Milestone" not in names
    assert "Summary" in names


def test_default_template_for_unmeasured_module_renders_only_fields_with_values() -> None:
    values = {key: GAPPY_VALUES[key] for key in ("status", "id", "path", "target", "summary")}
    values["coverage"] = "No longer measured since 2026-12-01."
    names = [field.name for field in render_fields(load_template(None), values)]
    assert names == ["Summary", "Coverage", "Validation"]


def test_default_template_rendered_entry_is_stable_under_mdformat() -> None:
    assert mdformat.text(GAPPY_ENTRY) == GAPPY_ENTRY


def test_default_template_places_name_the_wheel_then_the_checkout() -> None:
    packaged, checkout = default_template_places()
    assert str(packaged).endswith(str(Path("covtasks", "templates", "entry.md")))
    assert Path(str(checkout)) == REPO_TEMPLATE


def test_load_template_without_path_uses_first_existing_place(tmp_path: Path) -> None:
    first = tmp_path / "wheel" / "entry.md"
    second = write_template(tmp_path, OVERRIDE)
    template = load_template(None, places=(first, second))
    assert template.source == str(second)


def test_load_template_with_no_default_anywhere_raises_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"default entry template entry\.md is missing"):
        load_template(None, places=(tmp_path / "absent.md",))


# --- a project's own template -------------------------------------------------------------


def test_override_template_renders_its_own_fields_defaults_and_dollar(tmp_path: Path) -> None:
    template = load_template(write_template(tmp_path, OVERRIDE))
    values = GAPPY_VALUES | {"path_text": escape_text("pkg/gappy.py")}
    assert entry_text(template, values) == (
        "### Open · tv-2026-11-26:cov-pkg-gappy · Raise `pkg/gappy.py` to 100%\n"
        "\n"
        "- **Owner**: tv (team platform)\n"
        "- **Where**: pkg/gappy.py\n"
        "- **Next steps**:\n"
        "  1. Read `pkg/gappy.py`.\n"
        "  1. Cost: $0.\n"
        "- **Notes**:\n"
        "  - L11-14: `os.environ` → pass a mapping in; test with a dict\n"
        "- **Validation**: `make quality`\n"
        "- **Policy**: no mocks\n"
    )


def test_override_template_supplied_value_wins_over_its_default(tmp_path: Path) -> None:
    template = load_template(write_template(tmp_path, OVERRIDE))
    fields = render_fields(template, GAPPY_VALUES | {"team": "data"})
    assert fields[0].lines == ("- **Owner**: tv (team data)",)


def test_override_template_field_with_one_empty_placeholder_is_omitted(tmp_path: Path) -> None:
    template = load_template(write_template(tmp_path, OVERRIDE))
    names = [field.name for field in render_fields(template, GAPPY_VALUES | {"owner": ""})]
    assert "Owner" not in names
    assert "Policy" in names


def test_template_fields_record_the_placeholders_they_use(tmp_path: Path) -> None:
    template = load_template(write_template(tmp_path, OVERRIDE))
    assert template.fields[0].placeholders == {"owner", "team"}
    assert template.fields[-1].placeholders == frozenset()


def test_multiline_value_continues_under_its_field_and_drops_blank_lines() -> None:
    template = load_template(None)
    values = GAPPY_VALUES | {"coverage": "first line\r\n\r\nsecond line  \rthird"}
    coverage = next(f for f in render_fields(template, values) if f.name == "Coverage")
    assert coverage.lines == (
        "- **Coverage**: first line",
        "  second line",
        "  third",
    )


def test_list_value_alone_on_a_continuation_line_keeps_that_lines_indent(tmp_path: Path) -> None:
    text = "### ${status} · ${id} · x\n\n- **Notes**:\n  ${notes}\n"
    template = load_template(write_template(tmp_path, text))
    fields = render_fields(template, {"notes": "- one\n- two"})
    assert fields[0].lines == ("- **Notes**:", "  - one", "  - two")


def test_heading_joins_a_multiline_value_onto_its_one_line() -> None:
    heading = render_heading(load_template(None), GAPPY_VALUES | {"status": "Open\nnow"})
    assert heading == "### Open now · tv-2026-11-26:cov-pkg-gappy · Cover `pkg/gappy.py` to 100%"


@pytest.mark.parametrize(
    ("title", "heading_end"),
    [("C#", "C\\#"), ("C\\\\#", "C\\\\\\#"), ("C\\#", "C\\#")],
)
def test_heading_ending_in_hash_is_escaped_so_it_is_not_a_closing_sequence(
    tmp_path: Path, title: str, heading_end: str
) -> None:
    template = load_template(write_template(tmp_path, "### ${status} · ${id} · ${path_text}\n"))
    heading = render_heading(template, {"status": "Open", "id": "x", "path_text": title})
    assert heading == f"### Open · x · {heading_end}"
    assert mdformat.text(heading + "\n") == heading + "\n"


# --- template errors ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("### ${status} · ${id} · ${colour}\n", r"unknown placeholder \$\{colour\}"),
        ("### ${status} · ${id} · x\n\n- **A**: $owner and $size_x\n", r"\$\{size_x\}"),
        ("### ${status} · ${id} · x\n\n- **A**: costs $5\n", "malformed placeholder '\\$5'"),
        ("### ${status} · ${id} · ${ bad }\n", "malformed placeholder"),
        ("---\ndefaults: [\n---\n### ${status} · ${id} · x\n", "invalid front matter"),
        ("---\ncolour: red\n---\n### ${status} · ${id} · x\n", "unknown front matter key"),
        ("---\ndefaults: [a]\n---\n### ${status} · ${id} · x\n", "'defaults' must map"),
        ("---\ndefaults:\n  a: 1\n---\n### ${status} · ${id} · x\n", "'defaults' must map"),
        ("", "must start with a heading"),
        ("## ${status} · ${id} · x\n", "must start with a heading"),
        ("### ${id} · ${status} · x\n", "must start with a heading"),
        ("### ${status} · ${id} · x\n\nSome prose.\n", "'Some prose.' is neither a field"),
        ("### ${status} · ${id} · x\n\n  - orphan\n", "'- orphan' is neither a field"),
        ("### ${status} · ${id} · x\n\n- **A**: 1\n- **A**: 2\n", "field 'A' appears twice"),
    ],
)
def test_bad_template_raises_config_error_naming_the_file_and_problem(
    tmp_path: Path, text: str, problem: str
) -> None:
    path = write_template(tmp_path, text)
    with pytest.raises(ConfigError, match=problem) as caught:
        load_template(path)
    assert caught.value.message.startswith(f"{path}: ")
    assert "\n" not in caught.value.message


def test_missing_template_file_raises_config_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "nope.md"
    with pytest.raises(ConfigError, match="cannot read the entry template") as caught:
        load_template(path)
    assert caught.value.path == str(path)


def test_template_substitution_never_evaluates_attribute_or_index_syntax(tmp_path: Path) -> None:
    text = "### ${status} · ${id} · x\n\n- **A**: ${owner.__class__}\n"
    with pytest.raises(ConfigError, match="malformed placeholder"):
        parse_template(text, "t.md")


def test_every_documented_placeholder_is_accepted_by_a_template() -> None:
    body = "\n".join(f"- **{name}**: ${{{name}}}" for name in sorted(PLACEHOLDERS))
    template = parse_template(f"### ${{status}} · ${{id}} · x\n\n{body}\n", "t.md")
    assert {field.name for field in template.fields} == PLACEHOLDERS


# --- code spans and escaped text ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("pkg/a.py", "`pkg/a.py`"),
        ("a`b", "`` a`b ``"),
        ("``x", "``` ``x ```"),
        ("`", "`` ` ``"),
        (" a ", "`  a  `"),
        (" a", "` a`"),
        ("a\nb", "`a\\nb`"),
        ("a\tb\x00\x7f\u2028", "`a\\tb\\x00\\x7f\\u2028`"),
        ("  ", "`\\x20\\x20`"),
        ("\u00a0", "`\\xa0`"),
        ("", "` `"),
    ],
)
def test_code_span_of_awkward_text_uses_mdformat_canonical_form(text: str, span: str) -> None:
    assert code_span(text) == span


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("tv", "tv"),
        ("a*b", "a\\*b"),
        ("a * b", "a * b"),
        ("* x", "`*` x"),
        ("x *", "x `*`"),
        ("_", "`_`"),
        ("x_y", "x_y"),
        ("_x", "\\_x"),
        ("x _ y", "x _ y"),
        ("<b>", "\\<b>"),
        ("a < b", "a < b"),
        ("x <", "x `<`"),
        ("<<0", "\\<<0"),
        ("a<<", "a\\<<"),
        ("[x]", "[x]"),
        ("[x](y)", "\\[x\\](y)"),
        ("[[x]", "\\[[x]"),
        ("x]", "x\\]"),
        ("[x", "\\[x"),
        ("&amp; &#42; &#x2A; & b", "\\&amp; \\&#42; \\&#x2A; & b"),
        ("C# | > ok", "C# | > ok"),
        ("a\nb", "a\\\\nb"),
        ("back\\slash `tick`", "back\\\\slash \\`tick\\`"),
        ("  spaced \t out  ", "spaced out"),
    ],
)
def test_escape_text_matches_mdformat_escaping(text: str, escaped: str) -> None:
    assert escape_text(text) == escaped


AWKWARD = st.text(
    alphabet=st.one_of(
        st.sampled_from("`<>*_[]()#|&;:!\\\n\r\t -./"),
        st.characters(codec="utf-8", exclude_categories=("Cs",)),
    ),
    min_size=1,
    max_size=30,
)


@settings(max_examples=300)
@given(AWKWARD)
def test_entry_for_any_path_is_stable_under_mdformat_and_keeps_one_line_per_field(
    path: str,
) -> None:
    template = load_template(None)
    span = code_span(path)
    values = GAPPY_VALUES | {
        "path": span,
        "summary": f"Bring {span} to 100%.",
        "notes": f"- L1-2: {span} → take it as a parameter",
    }
    text = entry_text(template, values)
    assert mdformat.text(text) == text
    assert len(text.splitlines()) == len(GAPPY_ENTRY.splitlines())


@settings(max_examples=300)
@given(AWKWARD)
def test_heading_for_any_path_parses_back_as_one_heading_showing_the_path(path: str) -> None:
    heading = render_heading(load_template(None), GAPPY_VALUES | {"path": code_span(path)})
    tokens = MarkdownIt("commonmark").parse(heading + "\n")
    assert [token.type for token in tokens] == ["heading_open", "inline", "heading_close"]
    assert tokens[0].map == [0, 1]
    codes = [child.content for child in tokens[1].children or [] if child.type == "code_inline"]
    expected = visible(path)
    if not expected.strip():
        expected = (
            "".join(
                f"\\x{ord(char):02x}" if ord(char) <= 255 else f"\\u{ord(char):04x}"
                for char in expected
            )
            or " "
        )
    assert codes == [expected]


@settings(max_examples=300)
@given(AWKWARD)
def test_escaped_text_shows_the_same_text_and_is_stable_under_mdformat(text: str) -> None:
    assume(text.strip())  # an empty value leaves its field out; sync never renders it
    escaped = escape_text(text)
    for line in (f"- **Owner**: {escaped}\n", f"### Open · x · {escaped} · y\n"):
        assert mdformat.text(line) == line
    shown = shown_text(inline_children(f"- **Owner**: {escaped}\n"))
    assert shown == "Owner: " + visible(re.sub(r"[ \t]+", " ", text.strip()))
