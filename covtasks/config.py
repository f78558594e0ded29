"""``[tool.covtasks]`` settings: found by walking up to pyproject.toml, checked, frozen."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, TypeVar

from covtasks.errors import ConfigError

T = TypeVar("T")
# More decimals than this would show float noise, not coverage.
MAX_PRECISION = 10


@dataclass(frozen=True, slots=True)
class OwnerRule:
    """Modules matching ``pattern`` (a gitignore-style glob) belong to ``owner``."""

    pattern: str
    owner: str


@dataclass(frozen=True, slots=True)
class Milestone:
    """A named group of modules; once all meet target, the gate may rise to ``gate``."""

    name: str
    modules: tuple[str, ...]
    gate: float | None = None


@dataclass(frozen=True, slots=True)
class GateSpec:
    """A place in a file holding the coverage gate, ``{value}`` marking the number."""

    file: str
    pattern: str


@dataclass(frozen=True, slots=True)
class Hint:
    """A user rule for DI/fixture notes: a dotted call pattern and the note it earns."""

    match: str
    note: str
    kind: str | None = None
    guard: str | None = None  # a name in a block's condition: the hint covers the block


@dataclass(frozen=True, slots=True)
class StatusWords:
    """The words written in entry headings for each lifecycle state."""

    open: str = "Open"
    in_progress: str = "In progress"
    completed: str = "Completed"


@dataclass(frozen=True, slots=True)
class Config:
    """Every covtasks setting, with defaults that make a bare ``covtasks sync`` work."""

    root: Path
    source: Path | None = None
    target: float = 100.0
    precision: int | None = None
    coverage: str | None = None
    tasks: str = ".ldres/tv-tasks.md"
    template: str | None = None
    insert_under: str = "Open tasks"
    default_owner: str = "tv"
    id_prefix: str = "tv"
    owners: tuple[OwnerRule, ...] = ()
    statuses: StatusWords = field(default_factory=StatusWords)
    umbrella: str | None = None
    milestones: tuple[Milestone, ...] = ()
    gates: tuple[GateSpec, ...] = ()
    ratchet: bool = False
    ratchet_buffer: float = 0.85
    hints: tuple[Hint, ...] = ()
    docs: tuple[str, ...] = ()
    history: str = ".ldres/covtasks-history.jsonl"
    badges: str = ".ldres/badges"
    lock_timeout: float = 120.0  # seconds a command waits for another covtasks' lock
    badge_thresholds: tuple[tuple[float, str], ...] = (
        (100.0, "brightgreen"),
        (95.0, "green"),
        (90.0, "yellowgreen"),
        (80.0, "yellow"),
        (70.0, "orange"),
    )

    @property
    def tasks_path(self) -> Path:
        return self.root / self.tasks


def find_pyproject(start: Path) -> Path | None:
    """The nearest pyproject.toml at or above ``start``."""
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def project_root(cwd: Path) -> Path:
    """The project: the folder of the nearest pyproject.toml at or above ``cwd``, else ``cwd``."""
    nearest = find_pyproject(cwd)
    return cwd if nearest is None else nearest.parent.resolve()


def load_config(cwd: Path, explicit: Path | None = None) -> Config:
    """Load ``[tool.covtasks]`` from ``explicit`` or the nearest pyproject.toml above ``cwd``.

    The project root is always found from ``cwd`` (``-C``): an explicit file only says where
    the settings come from, and its relative paths resolve against the project root.
    """
    root = project_root(cwd)
    path = explicit if explicit is not None else find_pyproject(cwd)
    if path is None:
        return Config(root=root)
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError("configuration file does not exist", path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read configuration: {exc}", path) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", path) from exc
    tool = document.get("tool", {})
    if not isinstance(tool, dict):
        raise ConfigError("[tool] must be a table", path)
    table = tool.get("covtasks", {})
    if explicit is not None and path.name != "pyproject.toml" and "tool" not in document:
        table = document  # a dedicated covtasks.toml may hold the settings at top level
    return parse_config(table, root=root, source=path)


def parse_config(table: Mapping[str, Any], root: Path, source: Path | None = None) -> Config:
    """Turn a ``[tool.covtasks]`` table into a Config, rejecting unknown keys and bad types."""
    check = _Checker(source)
    if not isinstance(table, Mapping):
        raise check.error("[tool.covtasks] must be a table")
    known = {f.name for f in fields(Config)} - {"root", "source"}
    for key in table:
        if key not in known:
            raise check.error(f"unknown key '{key}' in [tool.covtasks]")
    values: dict[str, Any] = {}
    for key in ("coverage", "template", "umbrella"):
        if key in table:
            values[key] = check.string(table[key], key)
    for key in ("tasks", "insert_under", "default_owner", "id_prefix", "history", "badges"):
        if key in table:
            values[key] = check.string(table[key], key, allow_empty=False)
    if "id_prefix" in values and not re.fullmatch(r"[\w.-]+", values["id_prefix"]):
        # It starts every new entry's ID in a heading: no markup, spaces or line breaks.
        raise check.error("'id_prefix' may hold only letters, digits, '.', '_' and '-'")
    for key in ("target", "ratchet_buffer"):
        if key in table:
            values[key] = check.percent(table[key], key)
    if "lock_timeout" in table:
        values["lock_timeout"] = check.seconds(table["lock_timeout"], "lock_timeout")
    if "precision" in table:
        values["precision"] = check.precision(table["precision"], "precision")
    if "ratchet" in table:
        values["ratchet"] = check.boolean(table["ratchet"], "ratchet")
    if "docs" in table:
        values["docs"] = check.strings(table["docs"], "docs")
    if "owners" in table:
        values["owners"] = check.tables(table["owners"], "owners", _owner_rule)
    if "milestones" in table:
        values["milestones"] = check.tables(table["milestones"], "milestones", _milestone)
    if "gates" in table:
        values["gates"] = check.tables(table["gates"], "gates", _gate)
    if "hints" in table:
        values["hints"] = check.tables(table["hints"], "hints", _hint)
    if "statuses" in table:
        values["statuses"] = _statuses(check, table["statuses"])
    if "badge_thresholds" in table:
        values["badge_thresholds"] = _thresholds(check, table["badge_thresholds"])
    _paths_inside(check, root, values)
    return Config(root=root, source=source, **values)


# Settings naming files covtasks reads or writes itself; coverage data may lie elsewhere
# (a build folder), but these are the project's own files.
_PROJECT_FILES = ("tasks", "history", "badges", "template")


def _paths_inside(check: _Checker, root: Path, values: Mapping[str, Any]) -> None:
    """A setting naming one of the project's own files must lead inside the project root
    (symlinks followed): a configuration from a pull request must not make CI read or
    write ``/etc/passwd`` or another checkout's files."""
    from covtasks.sources import ProjectSources

    sources = ProjectSources(root)
    named = [(key, values[key]) for key in _PROJECT_FILES if key in values]
    named += [(f"docs[{index}]", doc) for index, doc in enumerate(values.get("docs", ()))]
    for key, value in named:
        if not sources.contains(value):
            raise check.error(f"'{key}' leads outside the project ({value!r})")


class _Checker:
    """Type checks for config values; every error names the key and the file."""

    def __init__(self, source: Path | None) -> None:
        self.source = source

    def error(self, problem: str) -> ConfigError:
        return ConfigError(problem, self.source)

    def string(self, value: object, key: str, allow_empty: bool = True) -> str:
        if not isinstance(value, str) or (not allow_empty and not value.strip()):
            kind = "a string" if allow_empty else "a non-empty string"
            raise self.error(f"'{key}' must be {kind}")
        return value

    def boolean(self, value: object, key: str) -> bool:
        if not isinstance(value, bool):
            raise self.error(f"'{key}' must be true or false")
        return value

    def percent(self, value: object, key: str) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
            raise self.error(f"'{key}' must be a number from 0 to 100")
        return float(value)

    def seconds(self, value: object, key: str) -> float:
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not 0 <= value < float("inf")
        ):
            raise self.error(f"'{key}' must be a number of seconds (0 or more)")
        return float(value)

    def precision(self, value: object, key: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_PRECISION:
            raise self.error(
                f"'{key}' must be a whole number of decimals from 0 to {MAX_PRECISION}"
            )
        return value

    def strings(self, value: object, key: str) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.error(f"'{key}' must be a list of strings")
        return tuple(value)

    def tables(
        self, value: object, key: str, build: Callable[[_Checker, str, Mapping[str, Any]], T]
    ) -> tuple[T, ...]:
        if not isinstance(value, list) or not all(isinstance(item, Mapping) for item in value):
            raise self.error(f"'{key}' must be an array of tables ([[tool.covtasks.{key}]])")
        return tuple(build(self, f"{key}[{index}]", item) for index, item in enumerate(value))

    def keys(
        self, item: Mapping[str, Any], where: str, required: set[str], optional: set[str]
    ) -> None:
        for key in item:
            if key not in required | optional:
                raise self.error(f"unknown key '{key}' in {where}")
        for key in sorted(required - set(item)):
            raise self.error(f"{where} needs '{key}'")


def _owner_rule(check: _Checker, where: str, item: Mapping[str, Any]) -> OwnerRule:
    check.keys(item, where, {"pattern", "owner"}, set())
    return OwnerRule(
        check.string(item["pattern"], f"{where}.pattern", allow_empty=False),
        check.string(item["owner"], f"{where}.owner", allow_empty=False),
    )


def _milestone(check: _Checker, where: str, item: Mapping[str, Any]) -> Milestone:
    check.keys(item, where, {"name", "modules"}, {"gate"})
    gate = check.percent(item["gate"], f"{where}.gate") if "gate" in item else None
    from covtasks.milestones import module_globs

    modules = check.strings(item["modules"], f"{where}.modules")
    try:
        module_globs(modules)
    except ValueError as exc:
        raise check.error(f"{where}.modules holds a glob that cannot be read: {exc}") from exc
    return Milestone(
        check.string(item["name"], f"{where}.name", allow_empty=False),
        modules,
        gate,
    )


def _gate(check: _Checker, where: str, item: Mapping[str, Any]) -> GateSpec:
    check.keys(item, where, {"file", "pattern"}, set())
    pattern = check.string(item["pattern"], f"{where}.pattern", allow_empty=False)
    if pattern.count("{value}") != 1:
        raise check.error(f"{where}.pattern must contain '{{value}}' exactly once")
    return GateSpec(check.string(item["file"], f"{where}.file", allow_empty=False), pattern)


def _hint(check: _Checker, where: str, item: Mapping[str, Any]) -> Hint:
    check.keys(item, where, {"note"}, {"kind", "match", "guard"})
    if ("match" in item) == ("guard" in item):
        raise check.error(f"{where} needs exactly one of 'match' and 'guard'")
    optional = {
        key: check.string(item[key], f"{where}.{key}", allow_empty=False)
        for key in ("kind", "guard")
        if key in item
    }
    match = (
        check.string(item["match"], f"{where}.match", allow_empty=False) if "match" in item else ""
    )
    return Hint(
        match,
        check.string(item["note"], f"{where}.note", allow_empty=False),
        optional.get("kind"),
        optional.get("guard"),
    )


def _statuses(check: _Checker, value: object) -> StatusWords:
    if not isinstance(value, Mapping):
        raise check.error("'statuses' must be a table")
    names = {f.name for f in fields(StatusWords)}
    check.keys(value, "statuses", set(), names)
    words = {key: check.string(value[key], f"statuses.{key}", allow_empty=False) for key in value}
    for word in words.values():
        if "·" in word or "\n" in word:
            raise check.error("status words may not contain '·' or a newline")
    statuses = StatusWords(**words)
    if len({statuses.open, statuses.in_progress, statuses.completed}) != 3:
        # One word for two states would make an open entry read as completed (or vice versa).
        raise check.error("status words for open, in_progress and completed must differ")
    return statuses


def _thresholds(check: _Checker, value: object) -> tuple[tuple[float, str], ...]:
    if not isinstance(value, Mapping):
        raise check.error("'badge_thresholds' must be a table of colour = minimum percent")
    pairs = [
        (check.percent(minimum, f"badge_thresholds.{colour}"), str(colour))
        for colour, minimum in value.items()
    ]
    return tuple(sorted(pairs, reverse=True))
