"""The built wheel is complete: installed from it (not editable), covtasks finds its template."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_wheel_ships_the_default_template_and_loads_it(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path / "dist"), str(REPO)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    (wheel,) = (tmp_path / "dist").glob("covtasks-*.whl")
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        archive.extractall(site)
    assert "covtasks/templates/entry.md" in names
    assert "covtasks/py.typed" in names
    probe = (
        "import covtasks, covtasks.template as t\n"
        "print(covtasks.__file__)\n"
        "print(t.load_template(None).heading)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(site)},
        capture_output=True,
        text=True,
        check=True,
    )
    module_file, heading = done.stdout.splitlines()[:2]
    assert Path(module_file).is_relative_to(site)
    assert "${status}" in heading
