"""Safe file IO for files people own: read keeping bytes, atomic write, lock, no symlink escape."""

from __future__ import annotations

import contextlib
import glob
import os
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
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


def ensure_inside(path: Path, root: Path, *, named: bool = False) -> Path:
    """Refuse a default path that resolves (through symlinks) outside the repository root.

    A path the user ``named`` on the command line is theirs to choose (CI writes badges to a
    temporary or gh-pages folder): it is honoured wherever it leads.
    """
    resolved = path.resolve()
    if not named and not resolved.is_relative_to(root.resolve()):
        raise TaskFileError(
            f"resolves outside the repository ({resolved}); refusing to write", path
        )
    return resolved


def shown_path(path: Path, root: Path) -> str:
    """``path`` as messages show it: relative to the project inside it, absolute outside."""
    resolved = path.resolve()
    if resolved.is_relative_to(root.resolve()):
        return resolved.relative_to(root.resolve()).as_posix()
    return str(resolved)


def _notice_on_stderr(message: str) -> None:
    sys.stderr.write(message + "\n")


Stager = Callable[[Path, str], Path]


def stage_file(path: Path, text: str) -> Path:
    """Write ``text`` into a new temporary file beside ``path``, synced, and return its path.

    The temporary file gets ``path``'s permission bits and, where the OS permits, its owner
    and group (a new file: the umask's usual mode). Raises OSError as the OS does (disk full,
    read-only folder); this is the seam tests use to reach those errors.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        info: os.stat_result | None = path.stat()
    except FileNotFoundError:
        info = None
    descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    temporary = Path(name)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, _default_mode() if info is None else info.st_mode & 0o7777)
        if info is not None:
            # Not permitted for most users unless they own both; Windows has no chown.
            with contextlib.suppress(AttributeError, OSError):
                os.chown(temporary, info.st_uid, info.st_gid)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def write_files(
    changes: Sequence[tuple[Path, str]],
    stage: Stager = stage_file,
    *,
    force: bool = False,
    notify: Callable[[str], None] = _notice_on_stderr,
) -> None:
    """Replace every file of ``changes`` with its text, or none of them.

    Each new text first goes to a temporary file beside its target (where a full disk or a
    read-only folder shows); only when all are staged are they renamed over their targets,
    in the given order, so a failure leaves every file as it was. A crash mid-way leaves
    whole files only, old or new. A read-only file (no write bit) is refused, as editors
    do, unless ``force``.
    """
    for path, _ in changes:
        info = path.stat() if path.exists() else None
        if info is not None and not info.st_mode & 0o222 and not force:
            raise TaskFileError("is read-only; make it writable or pass --force", path)
        if info is not None and info.st_nlink > 1:
            notify(
                f"note: {path} has {info.st_nlink} hard links; covtasks writes a new file,"
                " so the other names keep the old text"
            )
    staged: list[tuple[Path, Path]] = []
    try:
        for path, text in changes:
            staged.append((path, stage(path, text)))
    except OSError as exc:
        for _, temporary in staged:
            temporary.unlink(missing_ok=True)
        raise TaskFileError(f"cannot write: {exc.strerror or exc}", path) from exc
    for path, temporary in staged:
        os.replace(temporary, path)
        _fsync_folder(path.parent)


def remove_stale_temporaries(paths: Sequence[Path]) -> None:
    """Delete temporary files a killed covtasks left beside ``paths`` (``.NAME.*.tmp``).

    Call it only under the lock of their folder: then no other covtasks is writing there.
    """
    for path in paths:
        for leftover in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
            leftover.unlink(missing_ok=True)


def atomic_write(path: Path, text: str, stage: Stager = stage_file) -> None:
    """Replace ``path`` with ``text`` all at once: temp file in the same folder, fsync, rename.

    A crash at any moment leaves either the old file or the new one, never a mix.
    """
    write_files([(path, text)], stage)


def make_cache_folder(folder: Path) -> None:
    """Make covtasks' own cache folder (``.cache/covtasks``) with a ``.gitignore`` for it all."""
    folder.mkdir(parents=True, exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# covtasks' own cache\n*\n", encoding="utf-8")


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
