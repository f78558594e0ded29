"""What each entry was last rendered from, kept under .cache/ so a sync skips unchanged ones.

The memo maps each task file to its entries' fingerprints (``covtasks.entry_inputs``). It
is a hint and nothing more: a memo that is missing, unreadable, too big, of another shape
or outside the project reads as empty (every entry is rendered, as without it), and one
that cannot be written is left as it is. It never changes what a sync writes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from covtasks.errors import CovtasksError
from covtasks.fileio import atomic_write, ensure_inside, make_cache_folder

MEMO = Path(".cache") / "covtasks" / "sync-memo.json"
FORMAT = 1
_LARGEST = 64 * 1024 * 1024


def _read(root: Path) -> dict[str, dict[str, str]]:
    try:
        path = ensure_inside(root / MEMO, root)
        if path.stat().st_size > _LARGEST:
            return {}
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, CovtasksError):
        return {}
    files = data.get("files") if isinstance(data, dict) and data.get("format") == FORMAT else None
    if not isinstance(files, dict):
        return {}
    return {
        name: {key: value for key, value in entries.items() if isinstance(value, str)}
        for name, entries in files.items()
        if isinstance(entries, dict)
    }


def load_memo(root: Path, tasks: str) -> dict[str, str]:
    """The fingerprints the last sync of ``tasks`` (relative to root) left, by module."""
    return _read(root).get(tasks, {})


def save_memo(root: Path, tasks: str, fingerprints: Mapping[str, str]) -> None:
    """Keep this sync's fingerprints for ``tasks``; rewrite the memo only when they differ."""
    files = _read(root)
    entries = dict(sorted(fingerprints.items()))
    if files.get(tasks) == entries:
        return
    files[tasks] = entries
    text = json.dumps({"format": FORMAT, "files": files}, indent=0, sort_keys=True)
    try:
        path = ensure_inside(root / MEMO, root)
        make_cache_folder(path.parent)
        atomic_write(path, text + "\n")
    except (OSError, CovtasksError):
        return
