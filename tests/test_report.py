"""Scoreboard selection, ordering and rendering, on plain records."""

from __future__ import annotations

import io
import json

import pytest

from covtasks.errors import UsageError
from covtasks.model import Counts, CoverageReport, ModuleCoverage
from covtasks.report import render_report, select_modules


def _module(
    path: str, statements: int, missing: int, branches: int = 0, missing_br: int = 0
) -> ModuleCoverage:
    lines = tuple(range(1, statements + 1))
    return ModuleCoverage(
        path=path,
        counts=Counts(statements, missing, branches, missing_br, missing_br),
        statement_lines=lines,
        missing_lines=lines[:missing],
        missing_arcs=tuple((1, -1) for _ in range(missing_br)),
    )


REPORT = CoverageReport(
    modules=(
        _module("b.py", 10, 5, 2, 1),
        _module("a.py", 10, 1, 2, 0),
        _module("c.py", 4, 0, 2, 0),
        _module("d.py", 100, 1, 0, 0),
    ),
    has_branches=True,
)


def _render(report: CoverageReport, **options: object) -> str:
    out = io.StringIO()
    settings: dict[str, object] = {"target": 100.0, "output_format": "table", "below": None}
    settings |= {"show_all": False, "sort": "cover"}
    settings.update(options)
    render_report(report, out=out, **settings)  # type: ignore[arg-type]
    return out.getvalue()


def test_default_selection_is_every_module_missing_target_lowest_first() -> None:
    chosen = select_modules(REPORT, 100.0, None, False, "cover")
    assert [m.path for m in chosen] == ["b.py", "a.py", "d.py"]


def test_below_threshold_keeps_modules_under_it_only() -> None:
    chosen = select_modules(REPORT, 100.0, 95.0, False, "cover")
    assert [m.path for m in chosen] == ["b.py", "a.py"]


def test_all_shows_complete_modules_too_sorted_by_name() -> None:
    chosen = select_modules(REPORT, 100.0, None, True, "name")
    assert [m.path for m in chosen] == ["a.py", "b.py", "c.py", "d.py"]


def test_sort_missing_puts_the_largest_gap_first() -> None:
    chosen = select_modules(REPORT, 100.0, None, True, "missing")
    assert [m.path for m in chosen] == ["b.py", "a.py", "d.py", "c.py"]


def test_unknown_sort_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="--sort"):
        select_modules(REPORT, 100.0, None, True, "size")


def test_json_branch_percent_is_null_without_branch_data() -> None:
    report = CoverageReport(modules=(_module("x.py", 4, 1),), has_branches=False)
    document = json.loads(_render(report, output_format="json"))
    assert document["modules"][0]["branch_percent"] is None
    assert document["totals"]["branch_percent"] is None
    assert document["modules"][0]["line_percent"] == 75.0


def test_markdown_without_branch_data_shows_lines_only() -> None:
    report = CoverageReport(modules=(_module("x.py", 4, 1),), has_branches=False)
    text = _render(report, output_format="markdown")
    assert text.splitlines()[0] == "- `x.py` — 75.00% lines"
    assert text.splitlines()[-1] == "Total: 75.00% (75.00% lines; 1 of 1 modules shown)"


def test_markdown_with_nothing_to_show_prints_only_the_totals() -> None:
    report = CoverageReport(modules=(_module("x.py", 4, 0),), has_branches=False)
    assert _render(report, output_format="markdown").startswith("Total: 100.00%")


def test_table_without_branch_data_has_no_branch_columns() -> None:
    report = CoverageReport(modules=(_module("x.py", 4, 1),), has_branches=False)
    header = _render(report).splitlines()[0]
    assert "Branch" not in header
    assert header.split() == ["Module", "Stmts", "Miss", "Cover", "Missing"]


def test_table_interleaves_missing_lines_and_arcs_in_line_order_like_coverage() -> None:
    module = ModuleCoverage("m.py", Counts(5, 1, 2, 1, 1), (1, 2, 3, 4, 5), (5,), ((2, 4),))
    report = CoverageReport(modules=(module,), has_branches=True)
    assert "2->4, 5" in _render(report, width=200)


def test_unknown_format_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="--format"):
        _render(REPORT, output_format="yaml")


def test_table_lines_carry_no_trailing_spaces() -> None:
    assert all(line == line.rstrip() for line in _render(REPORT, show_all=True).splitlines())
