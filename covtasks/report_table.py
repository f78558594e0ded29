"""The report's terminal table: every number whole at any width, the module path gives way."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from covtasks.escaping import terminal_text
from covtasks.model import Counts, CoverageReport, ModuleCoverage

GAP = "  "
ELLIPSIS = "…"
# Narrower than this, a shortened path no longer says which module it is.
MIN_MODULE_WIDTH = 12
# The path shortens to this before the Missing column starts to wrap.
COMFORTABLE_MODULE_WIDTH = 30


@dataclass(frozen=True, slots=True)
class Column:
    """A column's header and cells, the last cell being the TOTAL row's."""

    header: str
    cells: tuple[str, ...]
    right: bool = True

    @property
    def width(self) -> int:
        return max(len(text) for text in (self.header, *self.cells))

    def cell(self, row: int, width: int) -> str:
        text = self.header if row < 0 else self.cells[row]
        return text.rjust(width) if self.right else text.ljust(width)


def number_columns(report: CoverageReport, modules: Sequence[ModuleCoverage]) -> list[Column]:
    """The columns between Module and Missing, as ``coverage report`` with branch figures."""
    precision = report.precision
    rows = [module.counts for module in modules] + [report.totals]

    def column(header: str, value: Callable[[Counts], str]) -> Column:
        return Column(header, tuple(value(counts) for counts in rows))

    columns = [
        column("Stmts", lambda c: str(c.statements)),
        column("Miss", lambda c: str(c.missing)),
    ]
    if report.has_branches:
        columns += [
            column("Branch", lambda c: str(c.branches)),
            column("BrPart", lambda c: str(c.partial_branches)),
            column("Lines", lambda c: c.line_display(precision) + "%"),
            column("Branches", lambda c: c.branch_display(precision) + "%"),
        ]
    columns.append(column("Cover", lambda c: c.combined_display(precision) + "%"))
    return columns


def shorten_path(path: str, width: int) -> str:
    """``path`` cut from the left to ``width`` characters, ``…`` marking the cut."""
    if len(path) <= width:
        return path
    return ELLIPSIS + path[len(path) - width + 1 :]


def wrap_missing(text: str, width: int | None) -> list[str]:
    """The Missing column's lines: wrapped between items only, never inside one."""
    if width is None or len(text) <= width:
        return [text]
    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)


def render_table(
    report: CoverageReport, modules: Sequence[ModuleCoverage], width: int | None
) -> list[str]:
    """The table's lines for a terminal ``width`` columns wide (None: natural width).

    The module column gives way first (shortened from the left with ``…``, to 30
    characters), then the Missing column wraps between items, then the path shortens to 12
    characters; when even that does not fit, each module gets a line for its path, one for
    its figures and its missing lines below. Numbers are never cut or wrapped.
    """
    numbers = number_columns(report, modules)
    # A path's control or bidi characters would rewrite the terminal: shown as escapes.
    paths = [terminal_text(module.path) for module in modules]
    missing = [module.missing_text for module in modules] + [""]
    fixed = sum(column.width for column in numbers) + len(GAP) * (len(numbers) + 1)
    module_natural = max(len(text) for text in ("Module", "TOTAL", *paths))
    missing_natural = max(len(text) for text in ("Missing", *missing))
    missing_least = max((len(item) + 1 for text in missing for item in text.split(", ")), default=0)
    missing_least = max(missing_least, len("Missing"))
    module_width, missing_width = module_natural, missing_natural
    if width is not None and fixed + module_natural + missing_natural > width:
        # The path gives way first, to a readable width; then Missing wraps; then the path
        # shrinks to its least; past that, the stacked layout.
        roomy = min(module_natural, COMFORTABLE_MODULE_WIDTH)
        module_width = max(roomy, width - fixed - missing_natural)
        missing_width = max(missing_least, width - fixed - module_width)
        module_width = max(MIN_MODULE_WIDTH, min(module_width, width - fixed - missing_width))
        if fixed + module_width + missing_width > width:
            return _stacked(numbers, paths, missing, width)
    module = Column("Module", (*(shorten_path(p, module_width) for p in paths), "TOTAL"), False)
    lines = []
    for row in range(-1, len(modules) + 1):
        gaps = wrap_missing("Missing" if row < 0 else missing[row], missing_width)
        cells = [module.cell(row, module_width), *(c.cell(row, c.width) for c in numbers)]
        head = GAP.join(cells)
        lines.append(head + GAP + gaps[0])
        lines.extend(" " * (len(head) + len(GAP)) + more for more in gaps[1:])
    return [line.rstrip() for line in lines]


def _stacked(
    numbers: Sequence[Column], paths: Sequence[str], missing: Sequence[str], width: int
) -> list[str]:
    """The narrow layout: the path on a line, its figures below, then its missing lines."""
    figures_indent, missing_indent = GAP, GAP * 2
    lines = ["Module", figures_indent + GAP.join(c.cell(-1, c.width) for c in numbers)]
    lines.append(missing_indent + "Missing")
    room = max(width - len(missing_indent), len("Missing"))
    for row, path in enumerate([*paths, "TOTAL"]):
        lines.append(shorten_path(path, width))
        lines.append(figures_indent + GAP.join(c.cell(row, c.width) for c in numbers))
        if missing[row]:
            lines.extend(missing_indent + part for part in wrap_missing(missing[row], room))
    return [line.rstrip() for line in lines]
