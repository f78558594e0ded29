"""``covtasks init``: add a ``[tool.covtasks]`` table and a task file to a project."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import tomlkit
from tomlkit.exceptions import TOMLKitError

from covtasks.errors import ConfigError
from covtasks.fileio import atomic_write, read_text
from covtasks.sync import new_task_file


def init_project(root: Path, today: dt.date, target: float, owner: str) -> list[str]:
    """Write what is missing, keep what exists; return one line per action taken."""
    actions: list[str] = []
    pyproject = root / "pyproject.toml"
    text = read_text(pyproject) if pyproject.exists() else ""
    try:
        document = tomlkit.parse(text)
    except TOMLKitError as exc:
        raise ConfigError(f"invalid TOML: {exc}", pyproject) from exc
    tool = document.get("tool")
    tasks = ".ldres/tv-tasks.md"
    if tool is not None and "covtasks" in tool:
        actions.append(f"{pyproject.name}: [tool.covtasks] already present, left as is")
        tasks = str(tool["covtasks"].get("tasks", tasks))
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
        atomic_write(pyproject, tomlkit.dumps(document))
        actions.append(f"{pyproject.name}: added [tool.covtasks]")
    task_file = root / tasks
    if task_file.exists():
        actions.append(f"{tasks}: exists, left as is")
    else:
        atomic_write(task_file, new_task_file(today))
        actions.append(f"{tasks}: created")
    return actions
