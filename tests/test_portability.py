"""covtasks imports on platforms without POSIX-only modules (Windows has no fcntl, termios)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# A finder placed first on sys.meta_path refuses these names, as Windows' Python would.
PROBE = textwrap.dedent(
    """\
    import importlib, pkgutil, sys

    POSIX_ONLY = {"fcntl", "termios", "pwd", "grp", "resource"}

    class PosixOnlyRefused:
        def find_spec(self, name, path=None, target=None):
            if name.partition(".")[0] in POSIX_ONLY:
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
            return None

    sys.meta_path.insert(0, PosixOnlyRefused())
    for name in POSIX_ONLY:
        sys.modules.pop(name, None)
    import covtasks

    imported = ["covtasks"]
    for info in pkgutil.walk_packages(covtasks.__path__, "covtasks."):
        importlib.import_module(info.name)
        imported.append(info.name)
    print("\\n".join(imported))
    """
)


def test_every_module_imports_where_posix_only_modules_cannot_be_imported() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    imported = set(done.stdout.split())
    expected = {f"covtasks.{path.stem}" for path in (REPO / "covtasks").glob("*.py")}
    assert expected - {"covtasks.__init__"} <= imported


def test_the_probe_fails_when_a_module_imports_fcntl_at_import_time(tmp_path: Path) -> None:
    package = tmp_path / "covtasks"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "locking.py").write_text("import fcntl\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert done.returncode != 0
    assert "No module named 'fcntl'" in done.stderr
