"""The projects of the corpus, pinned by version and sha256, and how to run their suites."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Project:
    """One sdist from PyPI and what its own test suite needs."""

    name: str
    version: str
    sha256: str
    package: str  # the measured source folder, relative to the unpacked sdist
    tests: str  # the test folder, relative to the unpacked sdist
    needs: tuple[str, ...]  # pinned test requirements (PyPI)
    why: str  # what it brings to the corpus

    @property
    def folder(self) -> str:
        return f"{self.name}-{self.version}"


PROJECTS = (
    Project(
        "click",
        "8.1.7",
        "ca9853ad459e787e2192211578cc907e7594e294c7ccc834310722b41b9ca6de",
        "src/click",
        "tests",
        ("pytest==7.4.4", "coverage==7.17.5"),
        "platform code (`_compat.WIN`, `_winconsole.py`), `TYPE_CHECKING`, terminal I/O, "
        "thread-locals",
    ),
    Project(
        "platformdirs",
        "4.3.6",
        "357fb2acbc885b0419afd3ce3ed34564c13c9b95c89360cd9563f73aa5e2b907",
        "src/platformdirs",
        "tests",
        (
            "pytest==7.4.4",
            "pytest-mock==3.12.0",
            "appdirs==1.4.4",
            "coverage==7.17.5",
            "covdefaults==2.3.0",  # its coverage configuration's plugin
        ),
        "one module per platform (`windows.py`, `macos.py`, `android.py`), `TYPE_CHECKING`",
    ),
    Project(
        "tabulate",
        "0.9.0",
        "0095b12bf5966de529c0feb1fa08671671b3368eec77d7ef7ab114be2c068b3c",
        "tabulate",
        "test",
        ("pytest==7.4.4", "coverage==7.17.5"),
        "the optional `widechars` extra (`wcwidth` under `try/except ImportError`), a CLI",
    ),
)
