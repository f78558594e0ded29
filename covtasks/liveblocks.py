"""Live blocks in docs: ``<!-- covtasks:NAME key=value -->`` … ``<!-- /covtasks:NAME -->``.

A block's markers stay byte-identical and the lines between them are replaced by what the
block's renderer returns; every byte outside blocks is kept. Markers inside fenced code (a
README documenting the syntax) are text, not blocks. A marker is a line holding only the
comment (up to three spaces of indentation, as for any markdown block).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path

from covtasks.errors import CovtasksError, TaskFileError, UsageError
from covtasks.model import CoverageReport
from covtasks.report import markdown_line, select_modules

Renderer = Callable[[Mapping[str, str]], str]
BLOCK_NAMES = ("scoreboard", "milestones", "snapshot", "gaps")

OPENER = re.compile(r" {0,3}<!--\s*covtasks:(?P<name>[\w-]+)(?P<args>(?:\s+[^\s>]+)*)\s*-->\s*")
CLOSER = re.compile(r" {0,3}<!--\s*/covtasks:(?P<name>[\w-]+)\s*-->\s*")
FENCE = re.compile(r" {0,3}(?P<mark>`{3,}|~{3,})")


def refresh_blocks(text: str, renderers: Mapping[str, Renderer], source: Path | str) -> str:
    """``text`` with every live block's content re-rendered; the rest unchanged byte for byte.

    An unknown, unclosed, nested or mismatched block is a TaskFileError naming the line.
    """
    newline = "\r\n" if "\r\n" in text else "\n"
    out: list[str] = []
    fence: str | None = None
    opened: tuple[str, int] | None = None
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        bare = line.rstrip("\r\n")
        if opened is None and fence is not None:
            out.append(line)
            if bare.strip().startswith(fence) and not bare.strip().strip(fence[0]):
                fence = None
            continue
        opener = OPENER.fullmatch(bare)
        closer = CLOSER.fullmatch(bare)
        if opened is None:
            out.append(line)
            if closer is not None:
                raise _error(
                    source, number, f"closing marker for '{closer['name']}' without an opening one"
                )
            if opener is not None:
                name = opener["name"]
                out.append(_render(name, opener["args"], renderers, source, number, newline))
                opened = (name, number)
            else:
                fenced = FENCE.match(bare)
                fence = None if fenced is None else fenced["mark"]
        elif opener is not None:
            raise _error(
                source,
                number,
                f"block '{opener['name']}' opened inside block '{opened[0]}' (line {opened[1]})",
            )
        elif closer is not None:
            if closer["name"] != opened[0]:
                raise _error(
                    source,
                    number,
                    f"closes '{closer['name']}' but block '{opened[0]}' (line {opened[1]}) is open",
                )
            out.append(line)
            opened = None
    if opened is not None:
        raise _error(source, opened[1], f"block '{opened[0]}' is never closed")
    return "".join(out)


def _error(source: Path | str, number: int, problem: str) -> TaskFileError:
    return TaskFileError(f"line {number}: {problem}", source)


def _render(
    name: str,
    args_text: str,
    renderers: Mapping[str, Renderer],
    source: Path | str,
    number: int,
    newline: str,
) -> str:
    renderer = renderers.get(name)
    if renderer is None:
        known = ", ".join(sorted(renderers)) or "none"
        raise _error(source, number, f"unknown block '{name}' (known: {known})")
    args: dict[str, str] = {}
    for word in args_text.split():
        key, equals, value = word.partition("=")
        if not equals or not key:
            raise _error(source, number, f"block argument {word!r} is not key=value")
        args[key] = value
    try:
        body = renderer(args)
    except CovtasksError as exc:
        raise _error(source, number, exc.problem) from exc
    body = body.replace("\r\n", "\n")
    if body and not body.endswith("\n"):
        body += "\n"
    return body.replace("\n", newline)


def render_scoreboard(report: CoverageReport, below: float | None, target: float) -> str:
    """A markdown list of modules below ``below`` (default: the target), lowest first."""
    modules = select_modules(report, target, below, show_all=False, sort="cover")
    if not modules:
        return f"- Every measured module reaches {target if below is None else below:g}%.\n"
    return "".join(markdown_line(module, report) + "\n" for module in modules)


def scoreboard_renderer(report: CoverageReport, target: float) -> Renderer:
    """The ``scoreboard`` block renderer: takes an optional ``below=NN`` argument."""

    def render(args: Mapping[str, str]) -> str:
        unknown = sorted(set(args) - {"below"})
        if unknown:
            raise UsageError(f"scoreboard takes only below=NN, not {unknown[0]!r}")
        below = None
        if "below" in args:
            try:
                below = float(args["below"])
            except ValueError:
                below = -1.0
            if not 0 <= below <= 100:
                raise UsageError(f"below must be a percentage from 0 to 100, not {args['below']!r}")
        return render_scoreboard(report, below, target)

    return render
