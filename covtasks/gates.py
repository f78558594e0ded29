"""Coverage gates: find the numbers in config files, decide the next value, rewrite only them."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from pathlib import Path

from covtasks.config import Config, GateSpec
from covtasks.errors import ConfigError
from covtasks.milestones import MilestoneProgress, completed_milestone, progress
from covtasks.model import CoverageReport

NUMBER = r"\d+(?:\.\d+)?"
# The guards stop "{value}%" from matching the tail of 187% or the head of 87.5.3.
_NUMBER_GROUP = rf"(?<![\d.])({NUMBER})(?!\.?\d)"
PRE_COMMIT_FILES = (".pre-commit-config.yaml", ".githooks/.pre-commit-config.yaml")
# `--fail-under=` / `--cov-fail-under=` as people write them: in hooks, in pytest's addopts
# (pyproject.toml, pytest.ini, setup.cfg, tox.ini), in tox commands; CI workflows too.
ARGUMENT_FILES = (*PRE_COMMIT_FILES, "pyproject.toml", "pytest.ini", "setup.cfg", "tox.ini")
# coverage.py reads [report] and [coverage:report] from its own file, only the prefixed
# section from the shared ones; its own TOML file is read line by line the same way.
INI_FILES = (
    (".coveragerc", ("report", "coverage:report")),
    (".coveragerc.toml", ("report", "tool.coverage.report")),
    ("setup.cfg", ("coverage:report",)),
    ("tox.ini", ("coverage:report",)),
)
_FAIL_UNDER_ARGUMENT = re.compile(rf"(?<![\w-])--(?:cov-)?fail-under(?:=|\s+){_NUMBER_GROUP}")
_INI_SECTION = re.compile(r"\s*\[\s*([^\]]+?)\s*\]")
_INI_FAIL_UNDER = re.compile(rf"\s*fail_under\s*[=:]\s*{_NUMBER_GROUP}\s*(?:[#;].*)?$", re.I)
SLACK_POINTS = Decimal(2)
HUNDREDTH = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class GateLocation:
    """Where a gate value is written: file, 1-based line, offsets of the number, its text."""

    file: Path
    line: int
    start: int
    end: int
    text: str

    @property
    def value(self) -> Decimal:
        return Decimal(self.text)


@dataclass(frozen=True, slots=True)
class GateDecision:
    """What the gate should become: ``new`` is None when it stays; ``reason`` says why."""

    old: Decimal | None
    new: Decimal | None
    reason: str


def _read(path: Path) -> str | None:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return handle.read()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read gate file: {exc}", path) from exc


def _location(path: Path, text: str, start: int, end: int) -> GateLocation:
    return GateLocation(path, text.count("\n", 0, start) + 1, start, end, text[start:end])


def find_gates(root: Path, specs: Sequence[GateSpec]) -> list[GateLocation]:
    """Every gate location: the configured patterns, or discovered places when none are set."""
    found: Iterable[GateLocation]
    if specs:
        found = [location for spec in specs for location in _spec_locations(root, spec)]
    else:
        found = _discovered(root)
    unique = {(location.file, location.start): location for location in found}
    return sorted(unique.values(), key=lambda location: (str(location.file), location.start))


def _spec_locations(root: Path, spec: GateSpec) -> list[GateLocation]:
    path = root / spec.file
    text = _read(path)
    if text is None:
        raise ConfigError("gate file named in [[tool.covtasks.gates]] does not exist", path)
    before, after = spec.pattern.split("{value}")
    regex = re.compile(re.escape(before) + _NUMBER_GROUP + re.escape(after))
    found = [_location(path, text, m.start(1), m.end(1)) for m in regex.finditer(text)]
    if not found:
        raise ConfigError(f"gate pattern {spec.pattern!r} matches nothing in this file", path)
    return found


def _argument_files(root: Path) -> list[Path]:
    """Files where a gate is a command-line argument: hooks, pytest and tox settings, CI."""
    workflows = root / ".github" / "workflows"
    ci = (
        sorted(
            path
            for path in workflows.iterdir()
            if path.suffix in {".yml", ".yaml"} and path.is_file()
        )
        if workflows.is_dir()
        else []
    )
    return [root / name for name in ARGUMENT_FILES] + ci


def _discovered(root: Path) -> list[GateLocation]:
    found: list[GateLocation] = []
    for path in _argument_files(root):
        text = _read(path)
        if text is not None:
            found.extend(_pre_commit_locations(path, text))
    pyproject = root / "pyproject.toml"
    text = _read(pyproject)
    if text is not None:
        found.extend(_pyproject_locations(pyproject, text))
    for name, sections in INI_FILES:
        path = root / name
        text = _read(path)
        if text is not None:
            found.extend(_ini_locations(path, text, sections))
    return found


def _pre_commit_locations(path: Path, text: str) -> list[GateLocation]:
    found = []
    for match in _FAIL_UNDER_ARGUMENT.finditer(text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        before = text[line_start : match.start()]
        if before.lstrip().startswith(";") or _yaml_comment_start(before) is not None:
            continue  # a commented-out hook, or a comment after the setting, is not a gate
        found.append(_location(path, text, match.start(1), match.end(1)))
    return found


def _yaml_comment_start(line: str) -> int | None:
    """Where a YAML comment starts in ``line``: a ``#`` at the start or after a space, outside
    quotes (inside single quotes ``''`` is a quote; inside double quotes ``\\`` escapes)."""
    quote: str | None = None
    index = 0
    while index < len(line):
        char = line[index]
        if quote is None:
            if char == "#" and (index == 0 or line[index - 1] in " \t"):
                return index
            if char in "'\"":
                quote = char
        elif quote == '"' and char == "\\":
            index += 1
        elif char == quote:
            quote = None
        index += 1
    return None


def _pyproject_locations(path: Path, text: str) -> list[GateLocation]:
    if _without_fail_under(text):
        return []  # most projects: no need to import tomlkit for a read
    import tomlkit
    from tomlkit.exceptions import TOMLKitError
    from tomlkit.items import Float, Integer

    try:
        document = tomlkit.parse(text)
    except TOMLKitError as exc:
        raise ConfigError(f"invalid TOML: {exc}", path) from exc
    report: object = document
    for key in ("tool", "coverage", "report"):
        report = report.get(key, {}) if isinstance(report, Mapping) else {}
    if not isinstance(report, MutableMapping) or "fail_under" not in report:
        raise AssertionError(f"tomllib found fail_under in {path}, tomlkit did not")
    value = report["fail_under"]
    if not isinstance(value, Integer | Float) or not re.fullmatch(NUMBER, raw := value.as_string()):
        raise ConfigError(
            "[tool.coverage.report] fail_under is not a plain number such as 87 or 87.50", path
        )
    # tomlkit knows where the value sits; replacing it and comparing texts gives its offset,
    # so the edit itself is a splice and every other byte stays as written.
    report["fail_under"] = "covtasks"
    edited = document.as_string()
    start = next(index for index, (a, b) in enumerate(zip(text, edited, strict=False)) if a != b)
    if text[start : start + len(raw)] != raw:
        raise AssertionError(f"tomlkit moved text around fail_under in {path}")
    return [_location(path, text, start, start + len(raw))]


def _without_fail_under(text: str) -> bool:
    """Whether valid TOML sets no ``[tool.coverage.report] fail_under`` (tomllib is quick)."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return False  # tomlkit says what is wrong
    report: object = document
    for key in ("tool", "coverage", "report"):
        report = report.get(key, {}) if isinstance(report, dict) else {}
    return not isinstance(report, dict) or "fail_under" not in report


def _ini_locations(path: Path, text: str, sections: tuple[str, ...]) -> list[GateLocation]:
    found = []
    offset = 0
    inside = False
    for line in text.splitlines(keepends=True):
        header = _INI_SECTION.match(line)
        if header is not None:
            inside = header.group(1).lower() in sections
        elif (
            inside
            and not line[:1].isspace()  # an indented line continues the value above it
            and (match := _INI_FAIL_UNDER.match(line.rstrip("\r\n"))) is not None
        ):
            found.append(_location(path, text, offset + match.start(1), offset + match.end(1)))
        offset += len(line)
    return found


def current_gate(locations: Sequence[GateLocation]) -> Decimal | None:
    """The gate in force: the lowest value, since a gate is only as strong as its weakest place."""
    return min((location.value for location in locations), default=None)


def as_decimal(value: float) -> Decimal:
    """A configured float as the decimal the user wrote (95.5 is 95.5, not its binary neighbour)."""
    return Decimal(repr(value))


def displayed_total(report: CoverageReport) -> Decimal:
    """The total exactly as coverage.py prints it at the report's precision."""
    return Decimal(report.totals.combined_display(report.precision))


def ratchet_value(total: Decimal, buffer: float) -> Decimal:
    """Total minus the CI variance buffer, floored at two decimals: 82.35 - 0.85 → 81.50."""
    value = (total - as_decimal(buffer)).quantize(HUNDREDTH, rounding=ROUND_FLOOR)
    return max(value, Decimal("0.00"))


def next_gate(
    current: Decimal | None,
    earned: MilestoneProgress | None,
    total: Decimal,
    ratchet: bool,
    buffer: float,
) -> GateDecision:
    """The gate after this run: the higher of the earned gate and the ratchet; never lower."""
    candidates: list[tuple[Decimal, str]] = []
    if earned is not None and earned.gate is not None:
        candidates.append((as_decimal(earned.gate), f"milestone “{earned.name}” complete"))
    if ratchet:
        reason = f"ratchet: total {total}% minus buffer {as_decimal(buffer)}"
        candidates.append((ratchet_value(total, buffer), reason))
    if not candidates:
        return GateDecision(current, None, "no milestone completed in order and ratchet is off")
    # max() keeps the first of equal values, so a milestone wins a tie with the ratchet.
    value, reason = max(candidates, key=lambda candidate: candidate[0])
    if current is not None and value <= current:
        return GateDecision(current, None, f"gate {current} already at or above {value} ({reason})")
    return GateDecision(current, value, reason)


def format_like(old_text: str, value: Decimal) -> str:
    """``value`` written like ``old_text``: as many decimals, more only when the value needs them.

    ``87.00`` → ``95.00``, ``87`` → ``95``, ``87.5`` → ``95.0``; ``87`` with 81.5 → ``81.5``, so
    the written number always equals the decided value (never rounded up past the total).
    """
    written = len(old_text.partition(".")[2])
    exponent = value.normalize().as_tuple().exponent
    needed = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return f"{value:.{max(written, needed)}f}"


def apply_gate(
    locations: Sequence[GateLocation],
    value: Decimal,
    read: Callable[[Path], str | None] = _read,
) -> dict[Path, str]:
    """New texts of the files whose gate rises to ``value``; only the numbers change.

    A place already at or above ``value`` is left alone (never lowered), so applying twice
    changes nothing. Files that would not change are not returned.
    """
    by_file: dict[Path, list[GateLocation]] = {}
    for location in locations:
        by_file.setdefault(location.file, []).append(location)
    changed: dict[Path, str] = {}
    for path, places in by_file.items():
        text = read(path)
        new = text or ""
        for place in sorted(places, key=lambda location: location.start, reverse=True):
            if new[place.start : place.end] != place.text:
                raise ConfigError("changed while covtasks was reading it; run again", path)
            if place.value < value:
                new = new[: place.start] + format_like(place.text, value) + new[place.end :]
        if new != text:
            changed[path] = new
    return changed


def gate_diff(root: Path, path: Path, old: str, new: str) -> str:
    """A unified diff of one gate file, named relative to the repository root."""
    name = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    lines = difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), f"a/{name}", f"b/{name}"
    )
    return "".join(lines)


def slack_warning(total: Decimal, gate: Decimal | None, buffer: float) -> str | None:
    """A warning when the total runs more than two points above the gate (a slack ratchet)."""
    if gate is None or total - gate <= SLACK_POINTS:
        return None
    return (
        f"the total {total}% runs {total - gate} points above the gate {gate}; "
        f"`covtasks gate --ratchet` would set it to {ratchet_value(total, buffer)}"
    )


def gate_log_line(date: dt.date, old: str, new: str, reason: str) -> str:
    """One markdown bullet for the task file: ``- 2026-11-26: gate 87.00 → 95.00 (why)``."""
    return f"- {date.isoformat()}: gate {old} → {new} ({reason})"


@dataclass(frozen=True, slots=True)
class GatePlan:
    """Everything ``covtasks gate`` does, decided but not yet written."""

    decision: GateDecision
    new_texts: dict[Path, str]
    log_line: str | None
    warning: str | None


def plan_gate(
    config: Config, report: CoverageReport, today: dt.date, ratchet: bool = False
) -> GatePlan:
    """Find the gates, decide the next value from milestones (and the ratchet), edit the texts."""
    locations = find_gates(config.root, config.gates)
    if not locations:
        where = config.source or config.root
        raise ConfigError("no coverage gate found; name one in [[tool.covtasks.gates]]", where)
    weakest = min(locations, key=lambda location: location.value)
    total = displayed_total(report)
    earned = completed_milestone(progress(report, config.milestones, config.target))
    decision = next_gate(
        weakest.value, earned, total, ratchet or config.ratchet, config.ratchet_buffer
    )
    gate = weakest.value if decision.new is None else decision.new
    warning = slack_warning(total, gate, config.ratchet_buffer)
    if decision.new is None:
        return GatePlan(decision, {}, None, warning)
    new = format_like(weakest.text, decision.new)
    log_line = gate_log_line(today, weakest.text, new, decision.reason)
    return GatePlan(decision, apply_gate(locations, decision.new), log_line, warning)
