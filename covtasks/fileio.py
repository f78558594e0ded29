"""Safe file IO for files people own: read keeping bytes, atomic write, lock, no symlink escape."""

from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from covtasks.errors import TaskFileError


def read_text(path: Path) -> str:
    """Read a UTF-8 text file exactly: no newline translation, so CRLF stays CRLF."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return handle.read()
    except FileNotFoundError:
        raise TaskFileError("file does not exist", path) from None
    except UnicodeDecodeError as exc:
        raise TaskFileError(f"not UTF-8 text (byte {exc.start})", path) from exc
    except OSError as exc:
        raise TaskFileError(f"cannot read: {exc.strerror}", path) from exc


def ensure_inside(path: Path, root: Path) -> Path:
    """Refuse a path that resolves (through symlinks) outside the repository root."""
    resolved = path.resolve()
    if not resolved.is_relative_to(root.resolve()):
        raise TaskFileError(
            f"resolves outside the repository ({resolved}); refusing to write", path
        )
    return resolved


def atomic_write(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` all at once: temp file in the same folder, fsync, rename.

    A crash at any moment leaves either the old file or the new one, never a mix. The file's
    permission bits are kept; a new file gets the usual mode allowed by the umask.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode: int | None = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = None
    descriptor, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode if mode is not None else _default_mode())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _fsync_folder(folder: Path) -> None:
    # The rename itself is only durable once the folder entry is on disk.
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@contextmanager
def locked(path: Path, create: bool = True) -> Iterator[None]:
    """Hold an exclusive lock for updating ``path``, so concurrent syncs take turns.

    The lock is taken on the containing folder rather than the file: the file itself is
    replaced by rename on every write, so a lock on it would guard the old inode only.
    A folder that does not exist yet is created, except for a read-only look (``create``
    false), which then has nothing to wait for.
    """
    folder = path.parent
    if not folder.is_dir():
        if not create:
            yield
            return
        folder.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)
