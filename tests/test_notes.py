"""DI/fixture notes on sample modules measured by a real coverage.py run."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from covtasks.config import Hint
from covtasks.coverage_data import read_coverage
from covtasks.errors import ConfigError
from covtasks.model import Counts, CoverageReport, ModuleCoverage
from covtasks.notes.analysis import analyse_module, analyse_report, source_reader
from covtasks.notes.grouping import ModuleNotes, Note, impact_of
from covtasks.notes.hints import load_rules
from covtasks.notes.rules import RuleTable, default_rules
from tests.collections_seen import collections_seen
from tests.sample import make_project

# Every uncovered line carries `# @kind`, the kind of note that must name it; lines
# without a marker must appear in no note.
MODULES = {
    "pkg/fsio.py": """\
        import os.path as osp
        import shutil
        from pathlib import Path


        def read_config(path):
            return Path(path).read_text()


        def copy_tree(source, target):
            shutil.copytree(source, target)  # @filesystem
            return osp.exists(target)  # @filesystem


        def first_line(path):
            with open(path) as handle:  # @filesystem
                return handle.readline()  # @logic
        """,
    "pkg/env.py": """\
        import os
        from os import environ


        def home():
            return os.environ.get("HOME", "")


        def debug_level():
            raw = environ.get("DEBUG_LEVEL")  # @environment
            return int(raw or 0)  # @logic


        def verbose(flag):
            if flag or os.getenv("VERBOSE"):  # @environment
                return True
            return False  # @environment
        """,
    "pkg/proc.py": """\
        from subprocess import run as sh


        def git_version(runner=sh):
            result = runner(["git", "--version"], capture_output=True, text=True)
            return result.stdout


        def lint(paths):
            return sh(["ruff", "check", *paths], check=False)  # @subprocess
        """,
    "pkg/net.py": """\
        import socket
        import urllib.request


        def fetch(url):
            with urllib.request.urlopen(url) as response:  # @network
                return response.read()  # @logic


        def port_open(host, port):
            try:  # @logic
                with socket.create_connection((host, port), timeout=1):  # @network
                    return True  # @logic
            except OSError:  # @error-path
                return False  # @error-path
        """,
    "pkg/clock.py": """\
        import time
        from datetime import datetime


        def stamp(now=datetime.now):
            return now().isoformat()


        def wait_then_stamp(seconds):
            time.sleep(seconds)  # @clock
            return datetime.now().isoformat()  # @clock
        """,
    "pkg/rand.py": """\
        import random


        def pick(items, rng):
            return rng.choice(items)


        def shuffled(items):
            values = list(items)  # @logic
            random.shuffle(values)  # @randomness
            return values  # @logic


        def noise(size):
            import numpy as np  # @logic

            return np.random.default_rng().normal(size=size)  # @randomness
        """,
    "pkg/gpu.py": """\
        def to_device(tensor, device="cpu"):
            return tensor


        def pick_device():
            import torch  # @logic

            if torch.cuda.is_available():  # @hardware
                return torch.device("cuda")  # @hardware
            return "cpu"  # @hardware


        def move(model):
            return model.to("mps")  # @hardware
        """,
    "pkg/failing.py": """\
        import json


        def parse(text):
            try:
                return json.loads(text)
            except ValueError:  # @error-path
                return None  # @error-path


        def positive(number):
            if number < 0:
                raise ValueError("negative")  # @error-path
            return number
        """,
    "pkg/tool.py": """\
        import argparse

        import typer

        app = typer.Typer()


        @app.command()
        def hello(name: str):
            print(f"hello {name}")  # @cli


        def main(argv=None):
            parser = argparse.ArgumentParser()  # @cli
            parser.add_argument("name")  # @cli
            args = parser.parse_args(argv)  # @cli
            return args.name  # @logic
        """,
    "pkg/script.py": """\
        import sys


        def shout(text):
            return text.upper()


        if __name__ == "__main__":  # @main-guard
            print(shout(sys.argv[1]))  # @main-guard
        """,
    "pkg/shapes.py": """\
        import abc
        from typing import Protocol


        class Reader(Protocol):
            def read(self) -> str:
                ...


        class Base(abc.ABC):
            @abc.abstractmethod
            def size(self) -> int:
                raise NotImplementedError  # @protocol


        class Fixed(Base):
            def size(self) -> int:
                return 3
        """,
    "pkg/edges.py": """\
        from . import clean  # @logic
        from os import *  # @logic
        import os  # @logic

        BANNER = "use cuda when\\n `it` is there, if this machine has one"  # @logic


        class Settings:  # @logic
            root = os.environ["HOME"] + os.environ["USER"]  # @environment


        def convert(value):  # @logic
            try:  # @logic
                return int(value)  # @logic
            except:  # @error-path
                raise  # @error-path
            finally:
                print(clean)  # @logic


        def route(command):  # @logic
            match command:  # @logic
                case "run":  # @logic
                    return os.system("true")  # @subprocess
                case _:  # @logic
                    return (lambda: 0)().bit_length(), [1][0].real  # @logic


        def later():  # @logic
            def inner():  # @logic
                raise NotImplementedError("later")  # @protocol

            return inner  # @logic


        def documented():  # @logic
            \"\"\"Not written yet.\"\"\"
            raise NotImplementedError  # @protocol


        def refuse():  # @logic
            raise RuntimeError("no")  # @error-path


        def rethrow():  # @logic
            raise  # @error-path


        def busy():  # @logic
            print("one")  # @logic
            return None  # @logic


        if "__main__" == __name__:  # @main-guard
            print("reversed")  # @main-guard
        if __name__ != "__main__":  # @logic
            print("not a guard")  # @logic
        if os.name:  # @logic
            print(os.name)  # @logic
        """,
    "pkg/clean.py": """\
        import os


        def user(environ=os.environ):
            return environ.get("USER", "nobody")
        """,
}

DRIVER = """\
from pathlib import Path

from pkg import clean, clock, env, failing, fsio, gpu, net, proc, rand, script, shapes, tool

Path("settings.txt").write_text("x")
fsio.read_config("settings.txt")
env.home()
env.verbose(True)
proc.git_version(runner=lambda *a, **k: type("R", (), {"stdout": "git 2"})())
clock.stamp(now=lambda: __import__("datetime").datetime(2025, 1, 1))
rand.pick([1, 2], __import__("random").Random(3))
gpu.to_device(object())
failing.parse("1")
failing.positive(1)
script.shout("x")
shapes.Fixed().size()
clean.user({})
"""


@pytest.fixture(scope="module")
def measured(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, CoverageReport]:
    """The sample package measured once for the whole module (one coverage subprocess)."""
    root = tmp_path_factory.mktemp("notes")
    files = {"pkg/__init__.py": "", **MODULES}
    project = make_project(root, files)
    project.measure(DRIVER)
    return root, read_coverage(root)


def module_of(report: CoverageReport, path: str) -> ModuleCoverage:
    return next(module for module in report.modules if module.path == path)


def notes_for(measured: tuple[Path, CoverageReport], path: str, rules: RuleTable) -> ModuleNotes:
    root, report = measured
    source = (root / path).read_text(encoding="utf-8")
    return analyse_module(module_of(report, path), source, rules)


def test_no_cycle_collection_runs_while_a_module_is_analysed(
    measured: tuple[Path, CoverageReport],
) -> None:
    root, report = measured
    module, rules = module_of(report, "pkg/fsio.py"), default_rules()
    source = (root / module.path).read_text(encoding="utf-8")
    with collections_seen() as seen:
        analyse_module(module, source, rules)
    # At most the ones the first objects made on the way in and out set off; the analysis
    # itself makes thousands (hundreds of collections at this threshold).
    assert len(seen) <= 2


def marked_lines(source: str) -> dict[str, set[int]]:
    """Kind -> line numbers, from the `# @kind` markers in a sample module."""
    found: dict[str, set[int]] = {}
    for number, line in enumerate(source.splitlines(), start=1):
        match = re.search(r"# @([a-z-]+)$", line)
        if match:
            found.setdefault(match.group(1), set()).add(number)
    return found


def label_lines(label: str, statements: tuple[int, ...]) -> set[int]:
    """The statement lines an `L12-15, L20` label names."""
    named: set[int] = set()
    for part in label.split(", "):
        first, _, last = part.removeprefix("L").partition("-")
        low, high = int(first), int(last or first)
        named |= {line for line in statements if low <= line <= high}
    return named


def noted_lines(module: ModuleCoverage, notes: ModuleNotes) -> dict[str, set[int]]:
    found: dict[str, set[int]] = {}
    for note in notes.notes:
        found.setdefault(note.kind, set()).update(label_lines(note.lines, module.statement_lines))
    return found


@pytest.mark.parametrize("path", sorted(MODULES))
def test_notes_name_each_seam_on_its_marked_lines_and_nothing_covered(
    measured: tuple[Path, CoverageReport], path: str
) -> None:
    root, report = measured
    module = module_of(report, path)
    notes = analyse_module(module, (root / path).read_text(encoding="utf-8"), default_rules())
    assert noted_lines(module, notes) == marked_lines((root / path).read_text(encoding="utf-8"))


def test_notes_resolve_import_aliases_to_the_names_they_stand_for(
    measured: tuple[Path, CoverageReport],
) -> None:
    rules = default_rules()
    texts = {
        path: [note.text for note in notes_for(measured, path, rules).notes]
        for path in ("pkg/fsio.py", "pkg/env.py", "pkg/proc.py", "pkg/clock.py")
    }
    assert texts["pkg/fsio.py"][0] == (
        "`source`, `target` → already a parameter: pass a real file under `tmp_path`"
    )
    assert texts["pkg/env.py"][0].startswith("`os.environ` → pass an environment")
    assert texts["pkg/env.py"][1].startswith("`os.getenv` → pass an environment")
    assert texts["pkg/proc.py"] == [
        "`subprocess.run` → inject a runner callable; test with a fake runner that records "
        "the command"
    ]
    assert texts["pkg/clock.py"][0].startswith("`time.sleep`, `datetime.datetime.now` → inject")


def test_notes_order_hardware_first_then_seams_then_fallback_logic(
    measured: tuple[Path, CoverageReport],
) -> None:
    notes = notes_for(measured, "pkg/gpu.py", default_rules())
    assert [(note.scope, note.lines, note.kind) for note in notes.notes] == [
        ("pick_device", "L8-10", "hardware"),
        ("move", "L14", "hardware"),
        ("pick_device", "L6", "logic"),
    ]
    assert notes.notes[0].text.startswith('`torch.cuda.is_available`, `"cuda"` → add a CPU pathway')


@pytest.mark.parametrize(
    ("path", "nature"),
    [
        ("pkg/gpu.py", "hardware-sensitive"),
        ("pkg/rand.py", "stochastic"),
        ("pkg/env.py", "deterministic"),
    ],
)
def test_nature_follows_what_the_uncovered_code_touches(
    measured: tuple[Path, CoverageReport], path: str, nature: str
) -> None:
    assert notes_for(measured, path, default_rules()).nature == nature


def test_main_guard_only_gap_gets_only_the_exclusion_suggestion(
    measured: tuple[Path, CoverageReport],
) -> None:
    notes = notes_for(measured, "pkg/script.py", default_rules())
    assert notes.notes == (
        Note(
            "L8-9",
            "main-guard",
            '`if __name__ == "__main__":` → add it to `[tool.coverage.report] exclude_also` '
            "instead of testing it",
            "",
            (8, 9),
        ),
    )
    assert (notes.testable_gap, dict(notes.set_aside)) == (0, {"main-guard": 2})


def test_stub_is_named_by_its_qualified_function_and_ellipsis_bodies_are_not_gaps(
    measured: tuple[Path, CoverageReport],
) -> None:
    notes = notes_for(measured, "pkg/shapes.py", default_rules())
    assert [note.render() for note in notes.notes] == [
        "`Base.size` L13: a stub: cover it through a concrete implementation, or exclude it"
    ]


def test_error_paths_name_the_handler_and_the_raise_separately(
    measured: tuple[Path, CoverageReport],
) -> None:
    notes = notes_for(measured, "pkg/failing.py", default_rules())
    assert [note.render() for note in notes.notes] == [
        "`parse` L7-8: `except ValueError` → input `text` → pass a `text` that makes the "
        "`try` raise `ValueError`",
        "`positive` L13: `raise ValueError` when `number < 0` → pass `number` that make it so",
    ]


def test_fully_covered_module_gets_no_note(measured: tuple[Path, CoverageReport]) -> None:
    notes = notes_for(measured, "pkg/clean.py", default_rules())
    assert notes == ModuleNotes((), "deterministic", "low")
    assert notes.summary() == "nothing left to cover"


def test_reraise_inside_a_handler_belongs_to_the_handler_note(
    measured: tuple[Path, CoverageReport],
) -> None:
    notes = notes_for(measured, "pkg/edges.py", default_rules())
    raising = [note.render() for note in notes.notes if note.kind == "error-path"]
    assert raising == [
        "`convert` L15-16: `except` → input `value` → pass a `value` that makes the `try` "
        "raise an exception",
        "`refuse` L42: `raise RuntimeError` runs whenever it is reached → call it and assert "
        "with `pytest.raises`",
        "`rethrow` L46: `raise` runs whenever it is reached → call it and assert with "
        "`pytest.raises`",
    ]


def test_notes_are_identical_on_repeated_analysis(measured: tuple[Path, CoverageReport]) -> None:
    root, report = measured
    sources = {path: (root / path).read_text(encoding="utf-8") for path in MODULES}
    first = [analyse_module(module_of(report, p), sources[p], default_rules()) for p in MODULES]
    again = [analyse_module(module_of(report, p), sources[p], load_rules(())) for p in MODULES]
    assert first == again


@settings(max_examples=25)
@given(data=st.data())
def test_notes_do_not_depend_on_the_order_of_missing_lines_and_arcs(
    measured: tuple[Path, CoverageReport], data: st.DataObject
) -> None:
    root, report = measured
    path = data.draw(st.sampled_from(sorted(MODULES)))
    module = module_of(report, path)
    shuffled = replace(
        module,
        missing_lines=tuple(data.draw(st.permutations(module.missing_lines))),
        missing_arcs=tuple(data.draw(st.permutations(module.missing_arcs))),
    )
    source = (root / path).read_text(encoding="utf-8")
    rules = default_rules()
    assert analyse_module(shuffled, source, rules) == analyse_module(module, source, rules)


def test_user_rule_replaces_the_default_advice_and_keeps_its_kind(
    measured: tuple[Path, CoverageReport],
) -> None:
    rules = load_rules([Hint("subprocess.*", "use the `FakeRunner` fixture")])
    notes = notes_for(measured, "pkg/proc.py", rules)
    assert notes.notes == (
        Note("L10", "subprocess", "`subprocess.run` → use the `FakeRunner` fixture", "lint", (10,)),
    )


def test_user_rule_with_a_kind_claims_lines_before_the_fallback(
    measured: tuple[Path, CoverageReport],
) -> None:
    rules = load_rules([Hint("*.readline", "read through an injected handle", "filesystem")])
    notes = notes_for(measured, "pkg/fsio.py", rules)
    assert [(note.scope, note.lines, note.kind) for note in notes.notes] == [
        ("copy_tree", "L11-12", "filesystem"),
        ("first_line", "L16", "filesystem"),
        ("first_line", "L17", "filesystem"),
    ]
    assert notes.notes[2].text == "`handle.readline` → read through an injected handle"


def test_user_rule_without_a_kind_is_of_kind_user(measured: tuple[Path, CoverageReport]) -> None:
    rules = load_rules([Hint("int", "parse with the shared `parse_level` helper")])
    notes = notes_for(measured, "pkg/env.py", rules)
    assert [(note.scope, note.lines, note.kind) for note in notes.notes] == [
        ("debug_level", "L10", "environment"),
        ("verbose", "L15, L17", "environment"),
        ("debug_level", "L11", "user"),
    ]


def test_user_rule_may_reword_a_structural_note(measured: tuple[Path, CoverageReport]) -> None:
    rules = load_rules([Hint("<main-guard>", "exclude it; the team never tests scripts")])
    notes = notes_for(measured, "pkg/script.py", rules)
    assert [note.render() for note in notes.notes] == [
        'L8-9: `if __name__ == "__main__":` → exclude it; the team never tests scripts'
    ]


def test_user_literal_rule_shows_the_constant_shortened_on_one_line(
    measured: tuple[Path, CoverageReport],
) -> None:
    rules = load_rules([Hint('"*cuda*"', "keep device names in one place", "hardware")])
    notes = notes_for(measured, "pkg/edges.py", rules)
    assert notes.nature == "hardware-sensitive"
    assert notes.notes[0].render() == (
        "L5: `\"use cuda when 'it' is there,…\"` → keep device names in one place"
    )


@pytest.mark.parametrize(
    ("hint", "problem"),
    [
        (Hint("os..environ", "x"), "not a dotted name pattern"),
        (Hint("os.environ-x", "x"), "not a dotted name pattern"),
        (Hint("*.*", "x"), "matches every name"),
        (Hint('"cuda', "x"), 'one "quoted" string'),
        (Hint("<finally>", "x"), "unknown shape"),
        (Hint("os.environ", "x", "magic"), "unknown kind 'magic'"),
        (Hint("os.environ", "two\nlines"), "must be one line"),
    ],
)
def test_invalid_user_rule_is_an_error_naming_the_rule(hint: Hint, problem: str) -> None:
    good = Hint("json.loads", "parse a string you pass in")
    with pytest.raises(ConfigError) as caught:
        load_rules([good, hint], Path("pyproject.toml"))
    message = caught.value.message
    assert message.startswith(
        f"pyproject.toml: [[tool.covtasks.hints]] entry 2 (match {hint.match!r}): "
    )
    assert problem in message


def test_two_user_rules_with_one_match_are_an_error() -> None:
    hints = [Hint("os.environ", "a"), Hint("os.environ", "b")]
    with pytest.raises(ConfigError, match=r"entry 2 .* an earlier hint has the same match"):
        load_rules(hints)


def test_without_source_notes_say_so_and_name_the_missing_lines(
    measured: tuple[Path, CoverageReport],
) -> None:
    root, _ = measured
    make_project(root, {}).coverage("json", "-o", "report.json")
    report = read_coverage(root, "report.json")
    notes = analyse_module(module_of(report, "pkg/env.py"), None, default_rules())
    assert notes.degraded
    assert notes.nature == "deterministic"
    assert [note.render() for note in notes.notes] == [
        "L10-11, L15, L17: no source to analyse (a JSON report without sources, or "
        "unparsable): no seams inferred; read these lines"
    ]


def test_without_source_every_missing_line_and_branch_counts_as_test_work() -> None:
    counts = Counts(10, 2, 6, 3, 1)
    module = ModuleCoverage(
        "pkg/m.py", counts, tuple(range(1, 11)), (4, 9), ((2, 4), (5, 6), (7, -1))
    )
    assert analyse_module(module, None, default_rules()).testable_gap == 5


def test_a_branch_never_taken_to_code_that_ran_is_a_gap_of_its_own() -> None:
    source = "def bump(x):\n    if x:\n        x += 1\n    return x\n"
    module = ModuleCoverage("pkg/m.py", Counts(4, 0, 2, 1, 1), (1, 2, 3, 4), (), ((2, 4),))
    notes = analyse_module(module, source, default_rules())
    assert [(note.lines, note.kind, note.scope) for note in notes.notes] == [
        ("L2", "logic", "bump")
    ]
    assert notes.testable_gap == 1


def test_the_testable_gap_counts_missing_lines_and_open_branches_set_aside_ones_not() -> None:
    source = (
        "def bump(x):\n    if x:\n        x += 1\n    return x\n\n\ndef spare():\n    return 0\n"
    )
    lines = (1, 2, 3, 4, 7, 8)
    module = ModuleCoverage("pkg/m.py", Counts(6, 1, 2, 1, 1), lines, (8,), ((2, 4),))
    assert analyse_module(module, source, default_rules()).testable_gap == 2
    typed = (
        "from typing import TYPE_CHECKING\n\nif not TYPE_CHECKING:\n    RUNTIME = True\nDONE = 1\n"
    )
    module = ModuleCoverage("pkg/t.py", Counts(4, 0, 2, 1, 1), (1, 3, 4, 5), (), ((3, 5),))
    notes = analyse_module(module, typed, default_rules())
    assert (notes.testable_gap, dict(notes.set_aside)) == (0, {"type-only": 1})


def test_unparsable_source_degrades_like_a_missing_one(
    measured: tuple[Path, CoverageReport],
) -> None:
    _, report = measured
    module = module_of(report, "pkg/proc.py")
    broken = analyse_module(module, "def lint(:\n", default_rules())
    assert broken == analyse_module(module, None, default_rules())
    assert broken.degraded


@pytest.mark.parametrize(
    ("missing", "missing_branches", "impact"),
    [(0, 0, "low"), (3, 1, "low"), (4, 1, "moderate"), (15, 4, "moderate"), (12, 8, "high")],
)
def test_impact_counts_missing_lines_and_branches_against_the_cut_offs(
    missing: int, missing_branches: int, impact: str
) -> None:
    assert impact_of(Counts(40, missing, 20, missing_branches, 0)) == impact


def test_summary_leads_with_the_first_note_and_names_other_kinds_once() -> None:
    notes = ModuleNotes(
        (
            Note("L3", "network", "`socket.socket` → inject a client"),
            Note("L5", "network", "`httpx.get` → use the recorded client"),
            Note("L7", "error-path", "`except OSError` → a fake that raises"),
            Note("L9", "logic", "plain logic → call it"),
        ),
        "deterministic",
        "low",
    )
    assert notes.summary() == "`socket.socket` → inject a client (also: error-path, logic)"


def test_report_analysis_reads_sources_below_the_root_and_degrades_without_them(
    measured: tuple[Path, CoverageReport], tmp_path: Path
) -> None:
    root, report = measured
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg/proc.py").write_text((root / "pkg/proc.py").read_text(encoding="utf-8"))
    (tmp_path / "pkg/env.py").write_bytes(b"\xff\xfe not utf-8")
    found = analyse_report(report, source_reader(tmp_path), default_rules())
    assert sorted(found) == sorted(module.path for module in report.modules)
    assert found["pkg/proc.py"] == notes_for(measured, "pkg/proc.py", default_rules())
    assert found["pkg/env.py"].degraded
    assert found["pkg/gpu.py"].degraded


def test_user_literal_rule_shows_control_and_bidi_characters_as_escapes(tmp_path: Path) -> None:
    # A string in a measured module is data: an ESC sequence or a bidi override in it must
    # not reach the task file (or a terminal showing it) as the raw character.
    source = (
        'def pick(flag):\n    if flag:\n        return "cuda\\x1b[31m\\u202eon"\n    return None\n'
    )
    project = make_project(tmp_path, {"pkg/__init__.py": "", "pkg/device.py": source})
    project.measure("import pkg.device\npkg.device.pick(False)\n")
    rules = load_rules([Hint('"*cuda*"', "keep device names in one place", "hardware")])
    module = module_of(read_coverage(tmp_path), "pkg/device.py")
    rendered = [note.render() for note in analyse_module(module, source, rules).notes]
    assert "\x1b" not in "".join(rendered)
    assert "\u202e" not in "".join(rendered)
    assert any("cuda\\x1b[31m\\u202eon" in line for line in rendered)
