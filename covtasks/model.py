"""Plain records of measured coverage: one per module, plus the totals over them."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from covtasks.numbers import (
    DEFAULT_PRECISION,
    compact_ranges,
    display_percent,
    exact_percent,
    format_arcs,
    format_missing,
    reaches,
    target_fraction,
)


@dataclass(frozen=True, slots=True)
class Counts:
    """Statement and branch counters, the quantities every percentage is made from."""

    statements: int
    missing: int
    branches: int
    missing_branches: int
    partial_branches: int

    @property
    def covered(self) -> int:
        return self.statements - self.missing

    @property
    def covered_branches(self) -> int:
        return self.branches - self.missing_branches

    def line_exact(self) -> Fraction:
        return exact_percent(self.covered, self.statements)

    def branch_exact(self) -> Fraction:
        return exact_percent(self.covered_branches, self.branches)

    def line_display(self, precision: int = DEFAULT_PRECISION) -> str:
        return display_percent(self.covered, self.statements, precision)

    def branch_display(self, precision: int = DEFAULT_PRECISION) -> str:
        return display_percent(self.covered_branches, self.branches, precision)

    def combined_display(self, precision: int = DEFAULT_PRECISION) -> str:
        """coverage.py's headline figure: statements and branches counted together."""
        return display_percent(
            self.covered + self.covered_branches, self.statements + self.branches, precision
        )

    def meets(self, target: float, with_branches: bool) -> bool:
        """Both exact fractions reach the target; rounding never turns a gap into a pass."""
        goal = target_fraction(target)
        if not reaches(self.covered, self.statements, goal):
            return False
        return not with_branches or reaches(self.covered_branches, self.branches, goal)

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.statements + other.statements,
            self.missing + other.missing,
            self.branches + other.branches,
            self.missing_branches + other.missing_branches,
            self.partial_branches + other.partial_branches,
        )


ZERO = Counts(0, 0, 0, 0, 0)


@dataclass(frozen=True, slots=True)
class ModuleCoverage:
    """What coverage.py measured for one source file, path relative to the project root."""

    path: str
    counts: Counts
    statement_lines: tuple[int, ...]
    missing_lines: tuple[int, ...]
    missing_arcs: tuple[tuple[int, int], ...]

    @property
    def missing_ranges(self) -> str:
        return compact_ranges(self.statement_lines, self.missing_lines)

    @property
    def shown_arcs(self) -> list[tuple[int, int]]:
        """Arcs between lines that are not missing; coverage.py hides the rest the same way."""
        missing = set(self.missing_lines)
        return [arc for arc in self.missing_arcs if arc[0] not in missing and arc[1] not in missing]

    @property
    def missing_arcs_text(self) -> str:
        return format_arcs(self.shown_arcs)

    @property
    def missing_text(self) -> str:
        """The Missing column exactly as ``coverage report -m`` prints it."""
        return format_missing(self.statement_lines, self.missing_lines, self.shown_arcs)


@dataclass(frozen=True, slots=True)
class CoverageReport:
    """Every measured module, whether branches were measured, and how to display numbers."""

    modules: tuple[ModuleCoverage, ...]
    has_branches: bool
    precision: int = DEFAULT_PRECISION
    source: str = ""
    # When the data was written (newest file's mtime) and how many parallel files made it.
    written_at: float | None = None
    combined_files: int = 0
    # Measured paths outside the project root (covtasks.sources): never read, judged or
    # filed. A JSON report keeps them in ``modules`` (they count in its totals); SQLite data
    # cannot analyse them without reading them, so there they are only named here.
    outside: tuple[str, ...] = ()

    @property
    def totals(self) -> Counts:
        total = ZERO
        for module in self.modules:
            total = total + module.counts
        return total

    def meets(self, module: ModuleCoverage, target: float) -> bool:
        return module.counts.meets(target, self.has_branches)
