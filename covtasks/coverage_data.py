"""Reading coverage data (the only module that imports coverage.py) into plain records."""

from __future__ import annotations

import contextlib
import importlib.util
import itertools
import json
import os
import sqlite3
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from covtasks.collector import collector_paused
from covtasks.errors import CoverageDataError
from covtasks.model import Counts, CoverageReport, ModuleCoverage
from covtasks.numbers import DEFAULT_PRECISION
from covtasks.progress_display import NO_PROGRESS, Advance, Progress
from covtasks.sources import ProjectSources

if TYPE_CHECKING:
    from coverage import Coverage
    from coverage.results import Analysis

# coverage.py is imported where it is used: a JSON report is read without it (about a
# fifth of a small command's start-up), and so are settings kept in pyproject.toml alone.

SQLITE_HEADER = b"SQLite format 3\x00"
UTF8_BOM = b"\xef\xbb\xbf"
# JSON numbers are read as doubles by most tools: beyond 2**53 a count is no longer exact.
MAX_COUNT = 2**53
JSON_REPORT_FORMAT = 3
# Where teams keep coverage data when nothing says otherwise, in the order DESIGN §3 gives.
CONVENTIONAL_LOCATIONS = (
    ".cache/coverage/coverage.sqlite",
    ".cache/coverage/coverage.json",
    ".coverage",
    "coverage.json",
    "coverage.xml",
)
COVERAGE_DEFAULT_DATA_FILE = ".coverage"


@dataclass(frozen=True, slots=True)
class CoverageSettings:
    """The settings of the project's coverage.py configuration covtasks needs itself."""

    data_file: str | None
    precision: int
    plugins: tuple[str, ...] = ()
    config_file: Path | None = None


def read_coverage_settings(root: Path, environ: Mapping[str, str] = os.environ) -> CoverageSettings:
    """The project's coverage.py settings: from pyproject.toml when nothing else can hold
    them (no .coveragerc, .coveragerc.toml, setup.cfg, tox.ini or COVERAGE_RCFILE), else
    coverage.py's reader.

    ``environ`` is what coverage.py itself reads COVERAGE_RCFILE from.
    """
    return _pyproject_only_settings(root, environ) or coverage_py_settings(root)


# Files coverage.py reads before pyproject.toml; any of them may hold its settings.
_OTHER_CONFIG_FILES = (".coveragerc", ".coveragerc.toml", "setup.cfg", "tox.ini")


def _pyproject_only_settings(root: Path, environ: Mapping[str, str]) -> CoverageSettings | None:
    """Settings read as coverage.py would, when only plain pyproject.toml values are in play.

    None whenever coverage.py's reader is needed: another config file, COVERAGE_RCFILE,
    unreadable TOML, a value with ``$`` or ``~`` to expand, or a type it would convert.
    """
    if "COVERAGE_RCFILE" in environ or any((root / name).exists() for name in _OTHER_CONFIG_FILES):
        return None
    found = True
    try:
        with (root / "pyproject.toml").open("rb") as handle:
            document = tomllib.load(handle)
    except FileNotFoundError:
        document, found = {}, False
    except (OSError, ValueError):
        return None
    tool = document.get("tool", {})
    coverage = tool.get("coverage", {}) if isinstance(tool, dict) else None
    if not isinstance(coverage, dict):
        return None
    if not all(isinstance(section, dict) for section in coverage.values()):
        return None  # coverage.py's reader would crash; coverage_py_settings says why
    run, report = coverage.get("run", {}), coverage.get("report", {})
    data_file = run.get("data_file", COVERAGE_DEFAULT_DATA_FILE)
    precision = report.get("precision", 0)
    plugins = run.get("plugins", [])
    texts = [data_file, *plugins] if isinstance(plugins, list) else [None]
    plain = all(isinstance(text, str) and not set("$~") & set(text) for text in texts)
    if not plain or type(precision) is not int or not 0 <= precision <= 10:
        return None
    return CoverageSettings(
        data_file if data_file != COVERAGE_DEFAULT_DATA_FILE else None,
        precision or DEFAULT_PRECISION,
        tuple(plugins),
        # coverage.py names the file it read from its working folder: the real path.
        Path(os.path.realpath(root)) / "pyproject.toml" if found else None,
    )


def coverage_py_settings(root: Path) -> CoverageSettings:
    """Read the project's coverage.py configuration with coverage.py's own reader."""
    from coverage.config import read_coverage_config
    from coverage.exceptions import ConfigError as CoverageConfigError

    with contextlib.chdir(root):
        try:
            config = read_coverage_config(config_file=True, warn=_ignore_warning)
        except CoverageConfigError as exc:
            raise CoverageDataError(f"coverage configuration: {exc}", root) from exc
        except (TypeError, AttributeError) as exc:
            # coverage.py indexes its TOML sections without checking that each is a table.
            pyproject = root / "pyproject.toml"
            problem = _section_not_a_table(pyproject)
            if problem is None:  # another TOML file (COVERAGE_RCFILE) holds the settings
                message = f"coverage configuration: a section is not a table ({exc})"
                raise CoverageDataError(message, root) from None
            raise CoverageDataError(f"coverage configuration: {problem}", pyproject) from None
    data_file = config.data_file if config.data_file != COVERAGE_DEFAULT_DATA_FILE else None
    # coverage.py's own default is 0 decimals; a roadmap needs two (DESIGN §3), so an unset
    # (or 0) precision reads as 2; `[tool.covtasks] precision` says 0 when that is meant.
    read = [Path(name) for name in config.config_files_read]
    return CoverageSettings(
        data_file,
        config.precision or DEFAULT_PRECISION,
        tuple(config.plugins),
        (root / read[-1]) if read else None,
    )


def _section_not_a_table(pyproject: Path) -> str | None:
    """Which part of ``[tool.coverage]`` in ``pyproject`` is not a table, or None."""
    try:
        with pyproject.open("rb") as handle:
            document = tomllib.load(handle)
    except (OSError, ValueError):
        return None  # coverage.py read something else: its own message stands
    tool = document.get("tool", {})
    if not isinstance(tool, dict):
        return "[tool] must be a table"
    coverage = tool.get("coverage", {})
    if not isinstance(coverage, dict):
        return "[tool.coverage] must be a table"
    for name, section in coverage.items():
        if not isinstance(section, dict):
            return f"[tool.coverage] {name!r} must be a table of settings"
    return None


def check_plugins(settings: CoverageSettings, root: Path) -> None:
    """Refuse, in one line, a coverage plugin that covtasks' own environment cannot import.

    coverage.py imports the plugins a project configures before it analyses anything, and
    covtasks installed by uv, pipx or pre-commit lives in an environment of its own.
    """
    for plugin in settings.plugins:
        try:
            found = importlib.util.find_spec(plugin) is not None
        except ImportError:
            found = False
        if not found:
            raise CoverageDataError(
                f"coverage plugin {plugin!r} is not installed where covtasks runs; add it with "
                f"`uv tool install covtasks --with {plugin}`, `pipx inject covtasks {plugin}` "
                f"or pre-commit `additional_dependencies: [{plugin}]`",
                settings.config_file or root,
            )


def _ignore_warning(message: str, slug: str | None = None, once: bool = False) -> None:
    """coverage.py warnings are about measuring, not about the settings covtasks reads."""


def parallel_files(data_file: Path) -> list[Path]:
    """The ``<data_file>.*`` files a parallel run leaves beside the main data file."""
    if not data_file.parent.is_dir():
        return []
    prefix = data_file.name + "."
    return sorted(
        path
        for path in data_file.parent.iterdir()
        if path.name.startswith(prefix) and path.is_file() and not path.name.endswith("-journal")
    )


def find_coverage_input(
    root: Path,
    explicit: str | None,
    environ: Mapping[str, str],
    settings: CoverageSettings,
) -> Path:
    """Pick the coverage input: first of option/config, COVERAGE_FILE, data_file, conventions."""
    if explicit is not None:
        return root / explicit
    candidates = [environ.get("COVERAGE_FILE"), settings.data_file, *CONVENTIONAL_LOCATIONS]
    for candidate in candidates:
        if candidate:
            path = root / candidate
            if path.is_file() or parallel_files(path):
                return path
    raise CoverageDataError(
        "no coverage data found; run your tests under coverage or pass --coverage PATH", root
    )


def sniff_kind(path: Path) -> str:
    """Tell a SQLite data file, a JSON report and an XML report apart by content, not name."""
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        raise CoverageDataError("coverage data file does not exist", path) from None
    except OSError as exc:
        raise CoverageDataError(f"cannot read coverage data: {exc.strerror}", path) from exc
    if not head:
        raise CoverageDataError("coverage data file is empty", path)
    if head == SQLITE_HEADER:
        return "sqlite"
    start = head.removeprefix(UTF8_BOM).lstrip()[:1]
    if start == b"{":
        return "json"
    if start == b"<":
        return "xml"
    raise CoverageDataError(
        "not coverage data: neither a SQLite data file nor a JSON or XML report", path
    )


def read_coverage(
    root: Path,
    explicit: str | None = None,
    environ: Mapping[str, str] | None = None,
    precision: int | None = None,
    progress: Progress = NO_PROGRESS,
) -> CoverageReport:
    """Find, sniff and load the project's coverage data, combining parallel files.

    ``precision`` (covtasks' own setting) wins over coverage.py's configured precision.
    ``progress`` counts the modules coverage.py analyses (SQLite data: the long part).
    """
    settings = read_coverage_settings(root)
    if precision is not None:
        settings = replace(settings, precision=precision)
    path = find_coverage_input(root, explicit, environ or {}, settings)
    if path.is_dir():
        raise CoverageDataError("is a folder, not a coverage data file or report", path)
    parts = ([path] if path.is_file() else []) + parallel_files(path)
    if not parts:
        raise CoverageDataError("coverage data file does not exist", path)
    kinds = {part: sniff_kind(part) for part in parts}
    if kinds[parts[0]] in {"json", "xml"}:
        if kinds[parts[0]] == "json":
            report = load_json_report(parts[0], settings.precision)
        else:
            from covtasks.cobertura import load_cobertura  # XML: only for Cobertura input

            report = load_cobertura(parts[0], root, settings.precision)
        sources = ProjectSources(root)
        outside = tuple(
            module.path for module in report.modules if not sources.contains(module.path)
        )
    else:
        check_plugins(settings, root)
        report, outside = load_sqlite(root, parts, settings.precision, progress)
    report = replace(
        report,
        written_at=max(part.stat().st_mtime for part in parts),
        combined_files=len(parts) if len(parts) > 1 else 0,
        outside=outside,
    )
    if outside and set(outside).issuperset(module.path for module in report.modules):
        raise CoverageDataError(
            f"no measured file is inside the project root {root} (first: {outside[0]!r}); "
            f"{MEASURED_ELSEWHERE}",
            path,
        )
    return report


MEASURED_ELSEWHERE = (
    "the data was measured in another folder: set relative_files = true in [tool.coverage.run] "
    "or map the other folder with [paths], then measure again"
)


def outside_root_warning(report: CoverageReport) -> str | None:
    """One warning for every measured file outside the project root, or None."""
    outside = report.outside
    if not outside:
        return None
    count = len(outside)
    return (
        f"{count} measured file{'s are' if count != 1 else ' is'} outside the project root "
        f"(first: {outside[0]!r}); covtasks never reads, judges or files them; "
        f"{MEASURED_ELSEWHERE}"
    )


@collector_paused()
def load_json_report(path: Path, precision: int = DEFAULT_PRECISION) -> CoverageReport:
    """Load a ``coverage json`` report of format 3, tolerating keys newer 7.x versions add."""
    try:
        # utf-8-sig: a report saved by an editor may start with a byte-order mark.
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise CoverageDataError(f"not a valid JSON coverage report: {exc}", path) from exc
    except RecursionError:
        raise CoverageDataError("not a JSON coverage report: nested too deeply", path) from None
    reader = _JsonReader(path)
    meta = reader.mapping(reader.field(document, "meta", "report"), "meta")
    found = meta.get("format")
    if found != JSON_REPORT_FORMAT:
        raise CoverageDataError(
            f"unsupported JSON report format {found!r} (covtasks reads format 3, coverage 7.x)",
            path,
        )
    has_branches = bool(meta.get("branch_coverage", False))
    files = reader.mapping(reader.field(document, "files", "report"), "files")
    spellings: dict[str, str] = {}
    for name in sorted(files):
        if not name:  # no module to name in an entry (a marker without a module is broken)
            raise reader.fail("files", "holds a file with an empty name")
        first = spellings.setdefault(normalised_path(name), name)
        if first != name:
            raise CoverageDataError(
                f"files {first!r} and {name!r} name one module ({normalised_path(name)})", path
            )
    # Popping each file as it is converted frees the parsed JSON as the records grow, so
    # the peak stays near the size of the parsed report instead of twice it.
    modules = tuple(reader.module(name, files.pop(name), has_branches) for name in sorted(files))
    modules = tuple(sorted(modules, key=lambda module: module.path))
    return CoverageReport(modules, has_branches, precision, str(path))


def normalised_path(name: str) -> str:
    """One spelling per module: ``pkg\\a.py``, ``./pkg/a.py``, ``pkg//a.py`` → ``pkg/a.py``.

    Never case-folded and ``..`` kept, so the result does not depend on the machine.
    """
    path = name.replace("\\", "/")
    parts = [part for part in path.split("/") if part not in ("", ".")]
    normal = ("/" if path.startswith("/") else "") + "/".join(parts)
    return normal or name


class _JsonReader:
    """Checks the shape of a JSON report field by field so errors name what is wrong."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, where: str, expected: str) -> CoverageDataError:
        return CoverageDataError(f"JSON report has the wrong shape: {where} {expected}", self.path)

    def mapping(self, value: object, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, "is not an object")
        return value

    def field(self, value: object, key: str, where: str) -> Any:
        holder = self.mapping(value, where)
        if key not in holder:
            raise self.fail(f"{where}.{key}", "is missing")
        return holder[key]

    def integer(self, value: object, key: str, where: str) -> int:
        number = self.field(value, key, where)
        if not isinstance(number, int) or isinstance(number, bool) or not 0 <= number <= MAX_COUNT:
            raise self.fail(f"{where}.{key}", "is not a count")
        return number

    def lines(self, value: object, key: str, where: str) -> tuple[int, ...]:
        items = self.field(value, key, where)
        # Types gathered at C speed: a report holds hundreds of thousands of line numbers.
        if (
            not isinstance(items, list)
            or not set(map(type, items)) <= {int}
            or (items and not 1 <= min(items) <= max(items) <= MAX_COUNT)
        ):
            raise self.fail(f"{where}.{key}", "is not a list of line numbers")
        return tuple(items)

    def arcs(self, value: object, where: str) -> tuple[tuple[int, int], ...]:
        items = self.field(value, "missing_branches", where)
        # Types gathered at C speed: a report holds hundreds of thousands of arcs.
        if not (
            isinstance(items, list)
            and set(map(type, items)) <= {list}
            and set(map(len, items)) <= {2}
            and set(map(type, itertools.chain.from_iterable(items))) <= {int}
        ):
            raise self.fail(f"{where}.missing_branches", "is not a list of [from, to] pairs")
        return tuple(map(tuple, items))  # checked above: pairs of ints

    def consistent(
        self,
        where: str,
        statements: int,
        missing: int,
        lists: tuple[set[int], tuple[int, ...]],
    ) -> None:
        """The summary's line counts agree with the line lists (coverage.py's always do).

        Every statement is listed as executed or missing, but executed_lines may list more:
        coverage.py before 7.6.2 also lists excluded lines that ran. So the statements lie
        between the missing lines and all the lines listed (``lists``: all of them as a set,
        and the missing ones).
        """
        listed_lines, missing_lines = lists
        listed_missing = len(set(missing_lines))
        if missing != listed_missing:
            raise self.fail(
                f"{where}.summary", f"missing_lines says {missing} but {listed_missing} are listed"
            )
        if statements < listed_missing:
            raise self.fail(
                f"{where}.summary",
                f"num_statements says {statements} but {listed_missing} are missing",
            )
        listed = len(listed_lines)
        if statements > listed:
            raise self.fail(
                f"{where}.summary",
                f"num_statements says {statements} but only {listed} are listed",
            )

    def module(self, name: str, entry: object, has_branches: bool) -> ModuleCoverage:
        where = f"files[{name!r}]"
        summary = self.mapping(self.field(entry, "summary", where), f"{where}.summary")
        executed = self.lines(entry, "executed_lines", where)
        missing_lines = self.lines(entry, "missing_lines", where)
        statements = self.integer(summary, "num_statements", f"{where}.summary")
        missing = self.integer(summary, "missing_lines", f"{where}.summary")
        if has_branches:
            branches = self.integer(summary, "num_branches", f"{where}.summary")
            covered_branches = self.integer(summary, "covered_branches", f"{where}.summary")
            partial = self.integer(summary, "num_partial_branches", f"{where}.summary")
            arcs = self.arcs(entry, where)
        else:
            branches = covered_branches = partial = 0
            arcs = ()
        listed = {*executed, *missing_lines}
        self.consistent(where, statements, missing, (listed, missing_lines))
        if covered_branches > branches:
            raise self.fail(f"{where}.summary", "counts more covered branches than branches")
        if partial > branches:
            raise self.fail(f"{where}.summary", "counts more partial branches than branches")
        if len(set(arcs)) != len(arcs) or len(arcs) != branches - covered_branches:
            raise self.fail(
                f"{where}.missing_branches",
                f"lists {len(arcs)} arcs but the summary counts {branches - covered_branches}"
                " missing",
            )
        counts = Counts(statements, missing, branches, branches - covered_branches, partial)
        return ModuleCoverage(
            path=normalised_path(name),
            counts=counts,
            statement_lines=tuple(sorted(listed)),
            missing_lines=tuple(sorted(missing_lines)),
            missing_arcs=arcs,
        )


def load_sqlite(
    root: Path, parts: list[Path], precision: int, progress: Progress = NO_PROGRESS
) -> tuple[CoverageReport, tuple[str, ...]]:
    """Analyse SQLite data with coverage.py itself, so every number is coverage.py's own.

    Also returns the measured files outside the project root, which are left out: coverage.py
    would have to read their sources.
    """

    from coverage.exceptions import ConfigError as CoverageConfigError
    from coverage.exceptions import CoverageException

    # coverage.py runs inside ``root``; a path relative to the caller's folder would miss there.
    parts = [part.absolute() for part in parts]
    sources = ProjectSources(root)  # resolved here, while a relative root still means it
    with contextlib.chdir(root), contextlib.ExitStack() as stack:
        try:
            cov = _open_data(parts, stack)
            has_branches = cov.get_data().has_arcs()
            measured = cov.get_data().measured_files()
            inside = sorted(name for name in measured if sources.contains(name))
            outside = tuple(sorted(set(measured).difference(inside)))
            with progress.steps(len(inside), "Analysing coverage") as advance:
                modules = tuple(_records(cov, inside, advance)) if inside or not measured else ()
        except CoverageConfigError as exc:
            # A setting only the analysis reads ([paths], say): the configuration is at
            # fault, not the data file.
            raise CoverageDataError(f"coverage configuration: {_first_line(exc)}", root) from exc
        except CoverageException as exc:
            raise CoverageDataError(_first_line(exc), parts[0]) from exc
    return CoverageReport(modules, has_branches, precision, str(parts[0])), outside


def _open_data(parts: list[Path], stack: contextlib.ExitStack) -> Coverage:
    """Load one data file read-only, or combine several into a scratch copy (never in place)
    in a folder ``stack`` removes when it closes."""
    from coverage import Coverage

    for part in parts:
        # coverage.py only warns about an unreadable file while combining; covtasks refuses it.
        _check_data_file(part)
    if len(parts) == 1:
        cov = Coverage(data_file=str(parts[0]), config_file=True)
        cov.load()
        return cov
    import tempfile  # only to combine: one data file is read where it is

    scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="covtasks-")))
    cov = Coverage(data_file=str(scratch / "combined"), config_file=True)
    cov.combine([str(part) for part in parts], strict=True, keep=True)
    return cov


def _check_data_file(part: Path) -> None:
    """Refuse a SQLite file that is not coverage.py data, opening it strictly read-only.

    coverage.py before 7.17 would give such a file its schema (a write to the user's file),
    so the check is made here, with sqlite3 in read-only mode, for every supported version.
    """
    from coverage.sqldata import SCHEMA_VERSION

    try:
        with contextlib.closing(sqlite3.connect(f"{part.as_uri()}?mode=ro", uri=True)) as db:
            row = db.execute("select version from coverage_schema").fetchone()
    except sqlite3.Error as exc:
        raise CoverageDataError(f"unreadable SQLite coverage data: {exc}", part) from exc
    found = None if row is None else row[0]
    if found != SCHEMA_VERSION:
        raise CoverageDataError(
            f"unreadable SQLite coverage data: schema {found!r}, this coverage.py reads "
            f"{SCHEMA_VERSION}",
            part,
        )


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0]


def _records(cov: Coverage, inside: list[str], advance: Advance) -> Iterator[ModuleCoverage]:
    """One record per measured file inside the project (none measured at all: coverage.py's
    own "No data to report" error)."""
    from coverage.report_core import get_analysis_to_report

    for reporter, analysis in get_analysis_to_report(cov, inside or None):
        record = _record(reporter.relative_filename(), analysis)
        advance()
        yield record


def _record(name: str, analysis: Analysis) -> ModuleCoverage:
    numbers = analysis.numbers
    arcs = tuple(
        (source, target)
        for source, targets in sorted(analysis.missing_branch_arcs().items())
        for target in targets
    )
    counts = Counts(
        numbers.n_statements,
        numbers.n_missing,
        numbers.n_branches,
        numbers.n_missing_branches,
        numbers.n_partial_branches,
    )
    return ModuleCoverage(
        path=normalised_path(name),
        counts=counts,
        statement_lines=tuple(sorted(analysis.statements)),
        missing_lines=tuple(sorted(analysis.missing)),
        missing_arcs=arcs,
    )
