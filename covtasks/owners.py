"""Who owns a module: ``[[tool.covtasks.owners]]`` rules, then CODEOWNERS, then the default."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from covtasks.config import Config, OwnerRule
from covtasks.errors import ConfigError
from covtasks.globs import Globs

# GitHub looks in these places, in this order, and uses the first file it finds.
CODEOWNERS_PLACES = (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS")


@dataclass(frozen=True, slots=True)
class CodeOwnersLine:
    """One rule of a CODEOWNERS file; no owners means the pattern un-assigns its paths."""

    pattern: str
    owners: tuple[str, ...]
    line: int


@dataclass(frozen=True, slots=True)
class CodeOwners:
    """A parsed CODEOWNERS file: its rules in file order (the last matching rule wins)."""

    path: Path
    rules: tuple[CodeOwnersLine, ...]
    # The project's folder relative to the file's repository root, ending in "/" (or "").
    prefix: str = ""


def parse_codeowners(text: str, path: Path) -> CodeOwners:
    """Read CODEOWNERS text with GitHub's rules: comments, blank lines, owners after the path.

    GitHub does not support ``!`` negation; such lines are skipped, as GitHub ignores them.
    """
    rules = []
    for number, raw in enumerate(text.splitlines(), start=1):
        words = raw.split()
        if not words or words[0].startswith("#") or words[0].startswith("!"):
            continue
        pattern = words[0]  # a leading '\\#' stays escaped: pathspec reads it as gitignore does
        if _compile([pattern]) is None:
            continue  # GitHub skips a line it cannot parse and uses the rest
        owners = []
        for word in words[1:]:
            if word.startswith("#"):
                break  # the rest of the line is a comment
            owners.append(word)
        rules.append(CodeOwnersLine(pattern, tuple(owners), number))
    return CodeOwners(path, tuple(rules))


def repository_root(root: Path) -> Path:
    """The git work tree holding ``root``: the nearest folder at or above it with ``.git``."""
    for folder in (root, *root.parents):
        if (folder / ".git").exists():
            return folder
    return root


def load_codeowners(root: Path) -> CodeOwners | None:
    """The CODEOWNERS file GitHub would use for the project at ``root``; None if none exists.

    GitHub reads it at the repository's root (``.github/``, the root, ``docs/``), with
    patterns relative to that root; a project in a subfolder of a monorepo is matched with
    its folder in front of each module path. A project's own CODEOWNERS serves when the
    repository has none.
    """
    project = root.resolve()
    repository = repository_root(project)
    for base in dict.fromkeys((repository, project)):
        for place in CODEOWNERS_PLACES:
            path = base / place
            if path.is_file():
                try:
                    text = path.read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError) as exc:
                    raise ConfigError(f"cannot read CODEOWNERS: {exc}", path) from exc
                prefix = project.relative_to(base).as_posix()
                found = parse_codeowners(text, path)
                return replace(found, prefix="" if prefix == "." else prefix + "/")
    return None


def _compile(patterns: Sequence[str]) -> Globs | None:
    """Gitignore-style patterns as one matcher (its match index is the pattern's position)."""
    try:
        return Globs(patterns)
    except (ValueError, re.error):
        return None


class OwnerResolver:
    """Answers ``owner_of(path)``: the last matching owner rule, else CODEOWNERS, else default.

    Patterns are compiled once and answers cached per path, so 10,000 modules stay cheap.
    """

    def __init__(
        self,
        rules: Sequence[OwnerRule],
        codeowners: CodeOwners | None,
        default: str,
        config_file: Path | None = None,
    ) -> None:
        for rule in rules:
            if _compile([rule.pattern]) is None:
                where = "pyproject.toml" if config_file is None else config_file
                raise ConfigError(f"owners pattern {rule.pattern!r} is not a valid glob", where)
        self._rules = _matcher([rule.pattern for rule in rules], [rule.owner for rule in rules])
        self._prefix = "" if codeowners is None else codeowners.prefix
        self._codeowners = (
            None
            if codeowners is None
            else _matcher(
                [line.pattern for line in codeowners.rules],
                [" ".join(line.owners) for line in codeowners.rules],
            )
        )
        self._default = default
        self._cache: dict[str, str] = {}

    def owner_of(self, path: str) -> str:
        """The owner for the module at ``path`` (relative to the root, ``/``-separated)."""
        cached = self._cache.get(path)
        if cached is None:
            cached = self._cache[path] = self._resolve(path)
        return cached

    def _resolve(self, path: str) -> str:
        owner = self._rules(path)
        if owner is None and self._codeowners is not None:
            owner = self._codeowners(self._prefix + path)
        # An empty owner is a CODEOWNERS line that un-assigns: no code owner, so the default.
        return owner or self._default


def _matcher(patterns: Sequence[str], owners: Sequence[str]) -> Callable[[str], str | None]:
    """The owner of the last pattern matching a path, or None when no pattern matches."""
    spec = _compile(patterns)
    assert spec is not None  # every pattern was checked on its own before

    def owner_of(path: str) -> str | None:
        index = spec.last_match(path)  # None: no match, or a '!' rule excluded the path last
        return None if index is None else owners[index]

    return owner_of


def resolver_for(config: Config) -> OwnerResolver:
    """The project's owners: its rules, then its CODEOWNERS, then its default owner."""
    return OwnerResolver(
        config.owners, load_codeowners(config.root), config.default_owner, config.source
    )
