"""What a command really touches on disk, seen through ``sys.addaudithook`` (never mocking)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

# os.open flags that make an open a write; builtins.open passes its mode text instead.
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
# Events that change the file system, with the index of every path argument.
_CHANGES = {
    "os.rename": (0, 1),
    "os.remove": (0,),
    "os.rmdir": (0,),
    "os.mkdir": (0,),
    "os.chmod": (0,),
    "os.chown": (0,),
    "os.symlink": (0, 1),
    "os.link": (0, 1),
    "os.truncate": (0,),
    "os.utime": (0,),
}


@dataclass
class Access:
    """Every path opened for reading and every path written or changed, made absolute."""

    reads: list[Path] = field(default_factory=list)
    writes: list[Path] = field(default_factory=list)

    def touching(self, folder: Path) -> list[Path]:
        """Reads and writes at or below ``folder``."""
        return [path for path in [*self.reads, *self.writes] if path.is_relative_to(folder)]

    def writes_outside(self, *folders: Path) -> list[Path]:
        """Writes below none of ``folders`` (and not in a scratch folder of covtasks' own)."""
        return [
            path
            for path in self.writes
            if not any(path.is_relative_to(folder) for folder in folders)
            and not any(part.startswith("covtasks-") for part in path.parts)
        ]


_recording: list[Access] = []


def _absolute(value: object) -> Path | None:
    if isinstance(value, bytes):
        value = os.fsdecode(value)
    if not isinstance(value, str | os.PathLike):
        return None  # a file descriptor
    return Path(os.path.abspath(value))


def _hook(event: str, args: tuple[object, ...]) -> None:
    if not _recording:
        return
    access = _recording[-1]
    if event == "open":
        path = _absolute(args[0])
        if path is None:
            return
        mode, flags = args[1], args[2]
        writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            isinstance(flags, int) and bool(flags & _WRITE_FLAGS)
        )
        (access.writes if writing else access.reads).append(path)
    elif event in _CHANGES:
        for index in _CHANGES[event]:
            path = _absolute(args[index])
            if path is not None:
                access.writes.append(path)
    elif event == "sqlite3.connect":
        path = _absolute(args[0])
        if path is not None:
            access.reads.append(path)


sys.addaudithook(_hook)


@contextmanager
def recorded() -> Iterator[Access]:
    """Record what the code in the block opens and changes on disk."""
    access = Access()
    _recording.append(access)
    try:
        yield access
    finally:
        _recording.remove(access)
