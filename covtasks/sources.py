"""Reading measured modules' source safely: inside the project root, regular files, size cap.

Coverage data is input covtasks did not make: a path it names may climb out of the project
(``../other/secret.py``, ``/etc/passwd``), be a symlink out, a FIFO that blocks forever or a
device that never ends. Every read of a measured module's source goes through here.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

# Far above any hand-written module; a larger file is read as "no source" (notes by line
# number only) instead of costing the memory an ``ast`` of it would.
MAX_SOURCE_BYTES = 2 * 1024 * 1024

# Opening a FIFO for reading blocks until a writer comes; non-blocking, the open returns at
# once and fstat then tells it is no regular file. Windows has neither flag nor FIFOs.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


class ProjectSources:
    """The measured modules' source files below one project root."""

    def __init__(self, root: Path, limit: int = MAX_SOURCE_BYTES) -> None:
        self.root = root.resolve()
        self.limit = limit
        self._inside = str(self.root).rstrip(os.sep) + os.sep
        self._folders: dict[str, str] = {}  # a folder as named → its real path
        self._real: dict[str, str | None] = {}  # a measured path → its real path, if inside

    def real_path(self, path: str) -> str | None:
        """The real file a measured path names when it lies inside the root, else None.

        Found once per path: a sync asks about each module several times.
        """
        if path not in self._real:
            self._real[path] = self._resolve(path)
        return self._real[path]

    def _resolve(self, path: str) -> str | None:
        if "\x00" in path:
            return None
        named = os.path.join(self.root, path)
        folder_named, name = os.path.split(named)
        try:
            if name in ("", ".", "..") or os.path.islink(named):
                real = str(Path(named).resolve())
            else:
                # Thousands of modules share a few hundred folders: each folder's real path
                # is found once, and a file that is no symlink only adds its name to it.
                folder = self._folders.get(folder_named)
                if folder is None:
                    folder = self._folders[folder_named] = str(Path(folder_named).resolve())
                real = os.path.join(folder, name)
        except (OSError, RuntimeError):  # a symlink loop (RuntimeError before Python 3.13)
            return None
        return real if real.startswith(self._inside) or real == str(self.root) else None

    def contains(self, path: str) -> bool:
        """Whether a measured path is inside the project root, symlinks followed.

        A module outside counts in the totals but is never read and never gets an entry.
        """
        return self.real_path(path) is not None

    def read_bytes(self, path: str) -> bytes | None:
        """The file's bytes; None when outside the root, not a regular file, too large or gone."""
        resolved = self.real_path(path)
        if resolved is None:
            return None
        try:
            descriptor = os.open(resolved, _OPEN_FLAGS)
            try:
                # Checked on the open descriptor, so the file cannot be swapped after the check.
                info = os.fstat(descriptor)
                if not stat.S_ISREG(info.st_mode) or info.st_size > self.limit:
                    return None
                data = os.read(descriptor, self.limit + 1)
            finally:
                os.close(descriptor)
        except OSError:
            return None
        return data if len(data) <= self.limit else None

    def read_text(self, path: str) -> str | None:
        """The file as UTF-8 text; None when :meth:`read_bytes` is or it is not UTF-8."""
        return utf8_text(self.read_bytes(path))


def utf8_text(data: bytes | None) -> str | None:
    """A source's bytes as text; None for none or for bytes that are not UTF-8."""
    if data is None:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None
