"""Summary and Priority on a package of several modules measured by a real coverage run."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from covtasks.cli import app
from covtasks.document import parse_document
from covtasks.marker_memory import marker_module
from tests.sample import DEFAULT_PYPROJECT, make_project

TASKS = ".ldres/tv-tasks.md"

PLAIN = """\
def grade(score):
    if score > {top}:
        return "top"
    if score > 50:
        return "pass"
{body}    return "fail"
"""

FILES = {
    "pkg/__init__.py": "",
    "pkg/shell.py": """\
import subprocess


def spool_job(name):
    command = ["lp", name]
    result = subprocess.run(command, check=False)
    return result.returncode


def drain(names):
    done = []
    for name in names:
        subprocess.run(["lprm", name], check=False)
        done.append(name)
    return done


def label(name):
    return name.upper()
""",
    "pkg/settings.py": """\
import os


def queue_dir():
    return os.environ.get("QUEUE_DIR", "/var/spool")


def debug():
    value = os.environ.get("DEBUG", "")
    return value == "1"
""",
    "pkg/store.py": """\
def load(path):
    with open(path) as handle:
        return handle.read()


def size(text):
    return len(text)
""",
    "pkg/dice.py": """\
import random


def roll():
    first = random.randint(1, 6)
    second = random.randint(1, 6)
    return first + second


def name():
    return "dice"
""",
    **{
        f"pkg/plain{index}.py": PLAIN.format(top=90 - index, body="    score = score + 1\n" * index)
        for index in range(7)
    },
}

DRIVER = """\
from pkg import shell, settings, store, dice
shell.label("a")
store.size("abc")
dice.name()
"""
DRIVER += "".join(f"from pkg import plain{index}\nplain{index}.grade(99)\n" for index in range(7))


@pytest.fixture(scope="module")
def synced(tmp_path_factory: pytest.TempPathFactory) -> str:
    pyproject = DEFAULT_PYPROJECT + '\n[tool.covtasks]\ndefault_owner = "tv"\n'
    project = make_project(tmp_path_factory.mktemp("several"), FILES, pyproject)
    project.measure(DRIVER)
    result = CliRunner().invoke(app, ["-C", str(project.root), "sync", "--date", "2026-11-20"])
    assert result.exit_code == 0, result.output
    return (project.root / TASKS).read_text(encoding="utf-8")


def fields(text: str, name: str) -> dict[str, str]:
    document = parse_document(text)
    values = {}
    for entry in document.entries:
        (found,) = [f for f in entry.fields if f.name == name]
        line = document.lines[found.span.start]
        values[marker_module(entry.attrs)] = line.split(":", 1)[1].strip()
    return values


def test_every_entry_has_its_own_summary_naming_the_work(synced: str) -> None:
    summaries = fields(synced, "Summary")
    assert len(summaries) == 11
    assert len(set(summaries.values())) > 5  # the seven plain modules may read alike
    assert "2 lines in `spool_job` and `drain` need a runner seam" in summaries["pkg/shell.py"]
    assert "need an environment mapping" in summaries["pkg/settings.py"]
    assert "a path parameter and `tmp_path`" in summaries["pkg/store.py"]
    assert summaries["pkg/dice.py"].startswith("Stochastic: ")
    assert "a seeded generator" in summaries["pkg/dice.py"]


def test_priorities_spread_over_the_entries_and_follow_the_rule(synced: str) -> None:
    priorities = fields(synced, "Priority")
    counts = Counter(priorities.values())
    assert max(counts.values()) <= len(priorities) // 2
    assert set(counts) == {"P0", "P1", "P2", "P3"}
    # The stochastic module comes after all deterministic work; the largest gap first.
    assert priorities["pkg/dice.py"] == "P3"
    assert priorities["pkg/plain6.py"] == "P0"


def test_new_entries_are_written_in_rank_order(synced: str) -> None:
    order = [marker_module(entry.attrs) for entry in parse_document(synced).entries]
    priorities = fields(synced, "Priority")
    assert [priorities[path] for path in order] == sorted(priorities.values())
    assert order[-1] == "pkg/dice.py"


def test_the_class_is_in_the_marker_and_not_a_note(synced: str, tmp_path: Path) -> None:
    document = parse_document(synced)
    (dice,) = [entry for entry in document.entries if marker_module(entry.attrs) == "pkg/dice.py"]
    assert dice.attrs["c"] == "s3"  # stochastic, with its testable gap
    assert "stochastic," not in synced
    assert "impact" not in synced
