"""Shared fixtures: sample projects measured by real coverage.py runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

from tests.sample import SampleProject, make_project

settings.register_profile("covtasks", derandomize=True, deadline=None, max_examples=60)
settings.load_profile("covtasks")

GAPPY_MODULE = """\
import os


def choose(flag):
    if flag:
        return "yes"
    return "no"


def from_env():
    value = os.environ.get("SAMPLE_VALUE")
    if value is None:
        return "unset"
    return value


def never_called(path):
    with open(path) as handle:
        return handle.read()
"""


@pytest.fixture
def gappy_project(tmp_path: Path) -> SampleProject:
    """A package with one complete module and one with line and branch gaps, measured."""
    project = make_project(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/full.py": "def double(x):\n    return 2 * x\n",
            "pkg/gappy.py": GAPPY_MODULE,
        },
    )
    project.measure(
        """\
        from pkg import full, gappy
        full.double(2)
        gappy.choose(True)
        gappy.from_env()
        """
    )
    return project
