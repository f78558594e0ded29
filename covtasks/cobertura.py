"""Reading a Cobertura XML report (``coverage xml``, pytest-cov's coverage.xml) into records."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import parse

from covtasks.errors import CoverageDataError
from covtasks.model import Counts, CoverageReport, ModuleCoverage
from covtasks.numbers import DEFAULT_PRECISION

# coverage.py writes "50% (1/2)": the percentage is rounded, the counts are exact.
CONDITION_COVERAGE = re.compile(r"\s*\d+%\s*\((\d+)/(\d+)\)\s*")
EXIT = -1
WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:/")


@dataclass
class _FileLines:
    """What the report's <line> elements say about one file, merged across its classes."""

    hits: dict[int, bool] = field(default_factory=dict)
    branches: dict[int, tuple[int, int]] = field(default_factory=dict)
    missing_arcs: dict[int, tuple[int, ...]] = field(default_factory=dict)

    def record(
        self,
    ) -> tuple[Counts, tuple[int, ...], tuple[int, ...], tuple[tuple[int, int], ...]]:
        statements = tuple(sorted(self.hits))
        missing = tuple(line for line in statements if not self.hits[line])
        total = sum(total for total, _ in self.branches.values())
        missing_branches = sum(total - taken for total, taken in self.branches.values())
        # coverage.py counts a partial branch per missing exit of a line that did run.
        partial = sum(
            total - taken
            for line, (total, taken) in self.branches.items()
            if self.hits.get(line, False)
        )
        arcs = tuple(
            (line, target)
            for line in sorted(self.missing_arcs)
            for target in self.missing_arcs[line]
        )
        counts = Counts(len(statements), len(missing), total, missing_branches, partial)
        return counts, statements, missing, arcs


class _Shape:
    """Checks of the report's structure; every error names the element that is wrong."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, problem: str) -> CoverageDataError:
        return CoverageDataError(f"Cobertura XML report has the wrong shape: {problem}", self.path)

    def count(self, element: Element, name: str, where: str, least: int = 0) -> int:
        text = element.get(name)
        if text is None or not text.strip().isdigit() or int(text) < least:
            raise self.fail(f"{where} {name}={text!r} is not a count")
        return int(text)

    def condition(self, text: str, where: str) -> tuple[int, int]:
        found = CONDITION_COVERAGE.fullmatch(text)
        if found is None or int(found[1]) > int(found[2]) or int(found[2]) == 0:
            raise self.fail(f"{where} condition-coverage={text!r} is not 'N% (taken/total)'")
        return int(found[2]), int(found[1])

    def targets(self, text: str, where: str) -> tuple[int, ...]:
        targets = []
        for raw in text.split(","):
            item = raw.strip()
            if item == "exit":
                targets.append(EXIT)
            elif item.isdigit() and int(item) > 0:
                targets.append(int(item))
            else:
                raise self.fail(f"{where} missing-branches={text!r} is not line numbers or 'exit'")
        return tuple(targets)


def load_cobertura(path: Path, root: Path, precision: int = DEFAULT_PRECISION) -> CoverageReport:
    """Load a Cobertura XML report; file names are rejoined with its <source> roots."""
    try:
        document = parse(str(path))
    except (ParseError, DefusedXmlException) as exc:
        raise CoverageDataError(f"not a valid Cobertura XML report: {exc}", path) from exc
    except OSError as exc:
        raise CoverageDataError(f"cannot read coverage data: {exc.strerror}", path) from exc
    top = document.getroot()
    shape = _Shape(path)
    if top is None or top.tag != "coverage":
        raise shape.fail("the root element is not <coverage>")
    sources = [(item.text or "").strip() for item in top.iterfind("sources/source")]
    files: dict[str, _FileLines] = {}
    has_branches = False
    for number, element in enumerate(top.iterfind("packages/package/classes/class"), start=1):
        where = f"<class> #{number}"
        filename = element.get("filename")
        if not filename or "\x00" in filename:
            raise shape.fail(f"{where} has no filename")
        lines = files.setdefault(_module_path(filename, sources, root), _FileLines())
        for line in element.iterfind("lines/line"):
            spot = f"{where} <line>"
            number_of_line = shape.count(line, "number", spot, least=1)
            hit = shape.count(line, "hits", spot) > 0
            lines.hits[number_of_line] = lines.hits.get(number_of_line, False) or hit
            condition = line.get("condition-coverage")
            if line.get("branch") == "true" and condition is not None:
                has_branches = True
                lines.branches[number_of_line] = shape.condition(condition, spot)
            targets = line.get("missing-branches")
            if targets:
                lines.missing_arcs[number_of_line] = shape.targets(targets, spot)
    modules = []
    for name in sorted(files):
        counts, statements, missing, arcs = files[name].record()
        modules.append(ModuleCoverage(name, counts, statements, missing, arcs))
    return CoverageReport(tuple(modules), has_branches, precision, str(path))


def _module_path(filename: str, sources: Iterable[str], root: Path) -> str:
    """The file's path as the other kinds name it: relative to the project root, with ``/``.

    coverage.py writes each file name relative to one of the report's <source> roots: an
    absolute folder (often another machine's, in CI) or, with relative_files, a relative one.
    The first root under which the file exists in the project wins; a root from elsewhere is
    re-anchored on the longest tail of it under which the file exists in the project.
    Without a match, the first root's joined path stands (outside the root if it was).
    """
    name = filename.replace("\\", "/")
    fallback: str | None = None
    for source in sources:
        posix = source.replace("\\", "/")
        # A Windows root (C:/builds/pkg) is absolute too: its drive letter goes.
        base = PurePosixPath(WINDOWS_DRIVE.sub("/", posix))
        inside = _inside(base, root) if base.is_absolute() else base
        tails = [inside] if inside is not None else _tails(base)
        if fallback is None:
            fallback = str((base if inside is None else inside) / name)
        for tail in tails:
            candidate = tail / name
            # Only plain paths below the root are looked at: a report names no file elsewhere.
            if ".." not in candidate.parts and (root / candidate).is_file():
                return candidate.as_posix()
    return name if fallback is None else PurePosixPath(fallback).as_posix()


def _inside(path: PurePosixPath, root: Path) -> PurePosixPath | None:
    base = PurePosixPath(root.resolve().as_posix())
    return path.relative_to(base) if path.is_relative_to(base) else None


def _tails(path: PurePosixPath) -> list[PurePosixPath]:
    parts = path.parts[1:]
    return [PurePosixPath(*parts[index:]) for index in range(len(parts))]
