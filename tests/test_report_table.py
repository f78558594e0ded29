"""The terminal table keeps every number whole at any width; the module path gives way."""

from __future__ import annotations

import io
import re
import shutil

import pytest

from covtasks.model import Counts, CoverageReport, ModuleCoverage
from covtasks.report import render_table as render_to
from covtasks.report_table import render_table, shorten_path

LONG_PATH = "src/company_product/subsystems/ingestion/adapters/legacy/feeds_readers.py"  # 73


def _module(
    path: str, counts: Counts, missing: tuple[int, ...], arcs: tuple[tuple[int, int], ...]
) -> ModuleCoverage:
    return ModuleCoverage(path, counts, tuple(range(1, 200)), missing, arcs)


MODULES = (
    _module(LONG_PATH, Counts(150, 50, 60, 20, 10), tuple(range(3, 50, 3)), ((12, 14), (40, -1))),
    _module("pkg/a.py", Counts(3, 1, 2, 1, 1), (2,), ((1, 3),)),
)
WITH_BRANCHES = CoverageReport(MODULES, has_branches=True)
LINES_ONLY = CoverageReport(MODULES, has_branches=False)


def _figures(report: CoverageReport, counts: Counts) -> list[str]:
    """A row's numbers exactly as they must appear, whole."""
    precision = report.precision
    figures = [str(counts.statements), str(counts.missing)]
    if report.has_branches:
        figures += [
            str(counts.branches),
            str(counts.partial_branches),
            counts.line_display(precision) + "%",
            counts.branch_display(precision) + "%",
        ]
    return [*figures, counts.combined_display(precision) + "%"]


def _rows_with_figures(lines: list[str], figures: list[str]) -> list[str]:
    wanted = r"(^|\s)" + r"\s+".join(re.escape(figure) for figure in figures) + r"(\s|$)"
    return [line for line in lines if re.search(wanted, line)]


@pytest.mark.parametrize("report", [WITH_BRANCHES, LINES_ONLY], ids=["branches", "lines"])
@pytest.mark.parametrize("width", [60, 80, 120])
def test_table_at_terminal_width_keeps_every_number_whole_and_fits(
    report: CoverageReport, width: int
) -> None:
    lines = render_table(report, MODULES, width)
    assert max(len(line) for line in lines) <= width
    for counts in [*(module.counts for module in MODULES), report.totals]:
        assert len(_rows_with_figures(lines, _figures(report, counts))) == 1
    for item in MODULES[0].missing_text.split(", "):
        assert re.search(rf"(^|\s){re.escape(item)}(,|$)", "\n".join(lines), re.MULTILINE)


@pytest.mark.parametrize("width", [60, 80, 120])
def test_long_path_is_shortened_from_the_left_keeping_its_end(width: int) -> None:
    text = "\n".join(render_table(WITH_BRANCHES, MODULES, width))
    (shown,) = re.findall(r"…\S+", text)
    assert LONG_PATH.endswith(shown[1:])
    assert len(shown) >= 12


def test_at_80_columns_with_branch_data_the_row_stays_on_one_line() -> None:
    lines = render_table(WITH_BRANCHES, MODULES, 80)
    (row,) = _rows_with_figures(lines, _figures(WITH_BRANCHES, MODULES[0].counts))
    assert row.startswith("…")


def test_at_60_columns_each_module_path_has_a_line_above_its_figures() -> None:
    lines = render_table(WITH_BRANCHES, MODULES, 60)
    (row,) = _rows_with_figures(lines, _figures(WITH_BRANCHES, MODULES[1].counts))
    assert lines[lines.index(row) - 1] == "pkg/a.py"


def test_without_a_width_every_row_is_one_line_at_natural_width() -> None:
    lines = render_table(WITH_BRANCHES, MODULES, None)
    assert len(lines) == 1 + len(MODULES) + 1
    assert lines[1].startswith(LONG_PATH + "  ")
    assert lines[1].endswith(MODULES[0].missing_text)


def test_a_table_that_fits_is_the_natural_table() -> None:
    assert render_table(WITH_BRANCHES, MODULES, 400) == render_table(WITH_BRANCHES, MODULES, None)


def test_piped_output_without_a_width_keeps_natural_width() -> None:
    out = io.StringIO()
    render_to(WITH_BRANCHES, MODULES, out, None)
    assert out.getvalue().splitlines() == render_table(WITH_BRANCHES, MODULES, None)


def test_shorten_path_keeps_a_short_path_and_marks_a_cut_one() -> None:
    assert shorten_path("pkg/a.py", 8) == "pkg/a.py"
    assert shorten_path("pkg/abc.py", 8) == "…/abc.py"


def test_missing_column_wraps_between_items_never_inside_one() -> None:
    lines = render_table(WITH_BRANCHES, MODULES, 80)
    items = {item.rstrip(",") for line in lines for item in line.split()}
    assert "40->exit" in items
    assert all(len(line) <= 80 for line in lines)


class TerminalStream(io.StringIO):
    """A text stream that says it is a terminal, as a console's stdout does."""

    def isatty(self) -> bool:
        return True


def test_on_a_terminal_without_a_width_the_table_fits_the_terminal() -> None:
    out = TerminalStream()
    render_to(WITH_BRANCHES, MODULES, out, None)
    columns = shutil.get_terminal_size().columns
    assert out.getvalue().splitlines() == render_table(WITH_BRANCHES, MODULES, columns)
