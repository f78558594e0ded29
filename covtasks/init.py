"""``covtasks init``: add a ``[tool.covtasks]`` table and a task file to a project."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import tomlkit
from tomlkit.exceptions import TOMLKitError
from tomlkit.items import Table

from covtasks.errors import ConfigError, UsageError
from covtasks.fileio import Stager, ensure_inside, read_text, stage_file, write_files
from covtasks.numbers import is_percent
from covtasks.sync import new_task_file


def init_project(
    root: Path, today: dt.date, target: float, owner: str, stage: Stager = stage_file
) -> list[str]:
    """Write what is missing, keep what exists; return one line per action taken.

    Both files are decided (and the options checked) before either is written, and they
    are written together or not at all.
    """
    if not is_percent(target):
        raise UsageError(f"--target must be a percent from 0 to 100, not {target:g}")
    if not owner.strip() or not owner.isprintable():
        raise UsageError(f"--owner must be a name on one line, not {owner!r}")
    actions: list[str] = []
    writes: list[tuple[Path, str]] = []
    pyproject = root / "pyproject.toml"
    text = read_text(pyproject) if pyproject.exists() else ""
    try:
        document = tomlkit.parse(text)
    except TOMLKitError as exc:
        raise ConfigError(f"invalid TOML: {exc}", pyproject) from exc
    tool = document.get("tool")
    tasks = ".ldres/tv-tasks.md"
    if tool is not None and not isinstance(tool, Table):
        raise ConfigError("[tool] must be a table", pyproject)
    if tool is not None and "covtasks" in tool:
        existing = tool["covtasks"]
        if not isinstance(existing, Table):
            raise ConfigError("[tool.covtasks] must be a table", pyproject)
        actions.append(f"{pyproject.name}: [tool.covtasks] already present, left as is")
        tasks = existing.get("tasks", tasks)
        if not isinstance(tasks, str) or not tasks.strip():
            raise ConfigError("'tasks' must be a non-empty string", pyproject)
    else:
        table = tomlkit.table()
        table.add(tomlkit.comment("covtasks settings: see the README for every key."))
        table.add("target", target)
        table.add("tasks", tasks)
        table.add("default_owner", owner)
        if tool is None:
            tool = tomlkit.table(is_super_table=True)
            document.add("tool", tool)
        tool.add("covtasks", table)
        writes.append((pyproject, _same_newlines(text, tomlkit.dumps(document))))
        actions.append(f"{pyproject.name}: added [tool.covtasks]")
    task_file = ensure_inside(root / tasks, root)
    if task_file.exists():
        actions.append(f"{tasks}: exists, left as is")
    else:
        writes.append((task_file, new_task_file(today)))
        actions.append(f"{tasks}: created")
    write_files(writes, stage)
    return actions


def _same_newlines(before: str, after: str) -> str:
    """tomlkit writes the lines it adds with LF; a CRLF file gets CRLF lines throughout."""
    if "\r\n" in before and "\n" not in before.replace("\r\n", ""):
        return after.replace("\r\n", "\n").replace("\n", "\r\n")
    return after
