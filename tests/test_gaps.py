"""The grouped gap analysis on a sample package measured by a real coverage.py run."""

from __future__ import annotations

from dataclasses import replace

import mdformat
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from covtasks.coverage_data import read_coverage
from covtasks.gaps import render_gap_groups
from covtasks.model import CoverageReport
from covtasks.notes.analysis import ModuleNotes, analyse_module
from covtasks.notes.rules import default_rules
from tests.sample import make_project

# 22 statements that never run: a high-impact gap of plain logic.
LEDGER = (
    "def total(rows):\n" + "".join(f"    step{n} = {n}\n" for n in range(21)) + "    return rows\n"
)

MODULES = {
    "pkg/ledger.py": LEDGER,
    "pkg/deploy.py": """\
        import subprocess


        def version():
            return "1.0"


        def deploy(host):
            subprocess.run(["rsync", ".", host], check=True)
            subprocess.run(["ssh", host, "restart"], check=True)
            print("deployed", host)
            print("done")
            return host
        """,
    "pkg/files.py": """\
        from pathlib import Path


        def name(path):
            return Path(path).name


        def size(path):
            return Path(path).stat().st_size if Path(path).exists() else 0
        """,
    "pkg/dice.py": """\
        import random


        def fair(rng):
            return rng.randint(1, 6)


        def roll():
            return random.randint(1, 6)
        """,
    "pkg/kernels.py": """\
        def scale(values, factor):
            return [value * factor for value in values]


        def on_gpu(tensor):
            return tensor.to("cuda")
        """,
    "pkg/done.py": "def one():\n    return 1\n",
}

DRIVER = """\
import random

from pkg import deploy, dice, done, files, kernels

deploy.version()
files.name("a/b.txt")
dice.fair(random.Random(1))
kernels.scale([1], 2)
done.one()
"""


@pytest.fixture(scope="module")
def measured(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[CoverageReport, dict[str, ModuleNotes]]:
    root = tmp_path_factory.mktemp("gaps")
    project = make_project(root, {"pkg/__init__.py": "", **MODULES})
    project.measure(DRIVER)
    report = read_coverage(root)
    rules = default_rules()
    notes = {
        module.path: analyse_module(module, (root / module.path).read_text(encoding="utf-8"), rules)
        for module in report.modules
    }
    return report, notes


EXPECTED = """\
## Make a seam: hardware

- `pkg/kernels.py` — 75.00% lines; 1 line here: `on_gpu` L6: `"cuda"` → add a CPU pathway \
chosen by a device parameter; test it on CPU with fixed seeds

## Make a seam: randomness

- `pkg/dice.py` — 80.00% lines; 1 line here: `roll` L9: `random.randint` → inject a seeded \
generator (`random.Random(seed)`, `numpy.random.default_rng(seed)`)

## Make a seam: subprocess

- `pkg/deploy.py` — 44.44% lines; 2 lines here: `deploy` L9-10: `subprocess.run` → inject a \
runner callable; test with a fake runner that records the command

## Make a seam: filesystem

- `pkg/files.py` — 80.00% lines; 1 line here: `size` L9: `pathlib.Path().exists` → take the \
path as a parameter; test with real files under `tmp_path`

## Plain tests (Hypothesis first)

- `pkg/ledger.py` — 0.00% lines; 23 lines here: `total` L1-23: Hypothesis: generate `rows` so \
the calls reach these lines and branches
- `pkg/deploy.py` — 44.44% lines; 3 lines here: `deploy` L11-13: Hypothesis: generate `host` \
so the calls reach these lines and branches

5 of 7 modules below the 100% target.
"""

Measured = tuple[CoverageReport, dict[str, ModuleNotes]]


def test_gaps_group_modules_by_action_each_with_its_lines_lowest_coverage_first(
    measured: Measured,
) -> None:
    report, notes = measured
    assert render_gap_groups(report, notes, 100.0) == EXPECTED


def test_gap_analysis_is_stable_under_mdformat(measured: Measured) -> None:
    report, notes = measured
    text = render_gap_groups(report, notes, 100.0)
    assert mdformat.text(text) == text


def test_modules_meeting_a_lower_target_leave_the_analysis(measured: Measured) -> None:
    report, notes = measured
    text = render_gap_groups(report, notes, 80.0)
    assert "`pkg/files.py`" not in text
    assert "`pkg/dice.py`" not in text
    assert text.endswith("3 of 7 modules below the 80% target.\n")


def test_every_module_at_target_gives_one_line(measured: Measured) -> None:
    report, notes = measured
    done = replace(report, modules=tuple(m for m in report.modules if m.path == "pkg/done.py"))
    assert render_gap_groups(done, notes, 100.0) == "Every measured module meets the 100% target.\n"


def test_module_without_notes_or_source_is_listed_as_unanalysed(measured: Measured) -> None:
    report, notes = measured
    partial = {path: found for path, found in notes.items() if path != "pkg/files.py"}
    text = render_gap_groups(report, partial, 100.0)
    assert text.split("\n\n")[-3:] == [
        "## Gaps without source to analyse",
        "- `pkg/files.py` — 80.00% lines; 1 line here: L9: no source to analyse (a JSON report "
        "without sources, or unparsable): no seams inferred; read these lines",
        "5 of 7 modules below the 100% target.\n",
    ]


@settings(max_examples=20)
@given(data=st.data())
def test_gap_analysis_does_not_depend_on_module_or_mapping_order(
    measured: Measured, data: st.DataObject
) -> None:
    report, notes = measured
    modules = tuple(data.draw(st.permutations(report.modules)))
    paths = data.draw(st.permutations(sorted(notes)))
    reordered = {path: notes[path] for path in paths}
    assert render_gap_groups(replace(report, modules=modules), reordered, 100.0) == EXPECTED


def test_module_below_target_without_a_note_is_listed_under_plain_tests() -> None:
    from covtasks.model import Counts, ModuleCoverage

    odd = ModuleCoverage("pkg/odd.py", Counts(4, 0, 2, 1, 1), (1, 2, 3, 4), (), ())
    report = CoverageReport((odd,), has_branches=True)
    text = render_gap_groups(report, {"pkg/odd.py": ModuleNotes((), "deterministic", "low")}, 100)
    assert (
        "## Plain tests (Hypothesis first)\n\n- `pkg/odd.py` — 100.00% lines: branches only\n"
        in text
    )
