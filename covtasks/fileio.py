"""Safe file IO for files people own: read keeping bytes, atomic write, lock, no symlink escape."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
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


LOCK_NAME = ".covtasks.lock"
DEFAULT_LOCK_TIMEOUT = 120.0
WAIT_NOTICE_AFTER = 2.0


def _notice_on_stderr(message: str) -> None:
    sys.stderr.write(message + "\n")


@contextmanager
def locked(
    path: Path,
    create: bool = True,
    *,
    timeout: float = DEFAULT_LOCK_TIMEOUT,
    patience: float = WAIT_NOTICE_AFTER,
    notify: Callable[[str], None] = _notice_on_stderr,
) -> Iterator[None]:
    """Hold the lock for updating files in ``path``'s folder, so concurrent syncs take turns.

    The lock is a ``.covtasks.lock`` file beside ``path`` (the file itself is replaced by
    rename on every write, so a lock on it would guard the old inode only), taken with
    ``filelock``: flock on POSIX, LockFileEx on Windows, released by the OS if the holder
    dies. It holds the pid of its last holder, so after ``patience`` seconds a waiter says
    whom it waits for; after ``timeout`` seconds it gives up with a TaskFileError.
    A read-only look (``create`` false) in a folder without a lock file writes nothing:
    no covtasks has written there, so there is nobody to wait for.
    """
    from filelock import FileLock, Timeout  # imported here: it loads fcntl or msvcrt

    lock_path = path.parent / LOCK_NAME
    if not create and not lock_path.exists():
        yield
        return
    lock = FileLock(lock_path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            lock.acquire(timeout=min(patience, timeout))
        except Timeout:
            if timeout <= patience:
                raise
            notify(f"waiting for {_holder(lock_path)}")
            lock.acquire(timeout=timeout - patience)
    except Timeout:
        problem = f"{_holder(lock_path)} held the lock for {timeout:g} s; gave up"
        raise TaskFileError(problem, lock_path) from None
    except OSError as exc:
        raise TaskFileError(f"cannot take the lock: {exc.strerror}", lock_path) from exc
    try:
        if create:
            _record_holder(lock_path)
        yield
    finally:
        lock.release()


def _record_holder(lock_path: Path) -> None:
    # Windows forbids writing the locked byte through a second handle; waiters there are
    # told only that another covtasks holds the lock.
    with contextlib.suppress(OSError):
        descriptor = os.open(lock_path, os.O_WRONLY)
        try:
            os.ftruncate(descriptor, 0)
            os.write(descriptor, f"{os.getpid()}\n".encode())
        finally:
            os.close(descriptor)


def _holder(lock_path: Path) -> str:
    with contextlib.suppress(OSError, ValueError):
        return f"another covtasks (pid {int(lock_path.read_text(encoding='ascii'))})"
    return "another covtasks"
