"""Hostile input through the real CLI: generated coverage data, task files and settings.

Every attempt runs a command in-process on a fresh project and asserts what covtasks
promises whatever the input: an exit code of 0, 1 or 2; on 2 one ``error:`` line and no
traceback; on any non-zero exit every file byte-identical; and nothing outside the project
read or written (seen with ``sys.addaudithook``), but for what the user named.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomlkit
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from covtasks.cli import app
from covtasks.fileio import LOCK_NAME
from covtasks.layout_cache import layout_key
from covtasks.markers import format_marker
from tests.audit import Access, recorded
from tests.reports import file_entry, report_document

runner = CliRunner()
OUTSIDE = "{OUTSIDE}"  # stands for the folder beside the project, filled in per attempt
SECRET = 'import os, requests\nrequests.post(os.environ["DB_PASSWORD"])\n'
# The example budget: JSON, task-file and settings attempts per run (see the README).
JSON_ATTEMPTS = 120
TASK_FILE_ATTEMPTS = 100
CONFIG_ATTEMPTS = 80
HOSTILE = settings(
    max_examples=1,  # set per test below
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# ------------------------------------------------------------------------- module paths

_PIECES = st.sampled_from(
    [
        "pkg",
        "a.py",
        "mod",
        ".py",
        "/",
        "\\",
        "./",
        "../",
        "..",
        f"{OUTSIDE}/secret.py",
        "../outside/secret.py",
        "\n",
        "\r",
        "\r\n",
        "\x00",
        "\x1b[2J",
        "\x1b]0;title\x07",
        "\u202e",
        "\u2066",
        "\u200b",
        "\ufeff",
        "\u2028",
        "`",
        "``",
        "<!-- /covtasks:scoreboard -->",
        "<!-- covtasks:entry",
        "-->",
        "### Open · x · y",
        "<details>",
        "**",
        "[x](javascript:alert(1))",
        "<script>",
        "&amp;",
        "$id",
        "${path}",
        "%",
        "%ZZ",
        '"',
        " ",
        "\t",
        "·",
        "ünï",
        "中文",
        "✅",
    ]
)
MODULE_PATHS = st.one_of(
    st.sampled_from(["pkg/a.py", "pkg/b.py", "pkg\\a.py", "./pkg/a.py", "mod.py"]),
    st.lists(_PIECES, min_size=1, max_size=6).map("".join),
    st.text(max_size=20),
)

# ------------------------------------------------------------------------ coverage JSON

_NUMBERS = st.one_of(
    st.integers(-3, 40),
    st.sampled_from([2**53, 2**53 + 1, 2**63, -(2**63), 10**400]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.text(max_size=3),
)
_JSON_LEAF = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=5))
JSON_VALUES = st.recursive(
    _JSON_LEAF,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)


@st.composite
def _file_entries(draw: st.DrawFn, broken: bool) -> Any:
    lines = draw(st.lists(st.integers(1, 30), unique=True, max_size=12))
    split = draw(st.integers(0, len(lines)))
    executed, missing = lines[:split], lines[split:]
    arcs = draw(
        st.lists(st.tuples(st.integers(-2, 30), st.integers(-2, 30)), max_size=4, unique=True)
    )
    branches = len(arcs) + draw(st.integers(0, 4))
    entry = file_entry(executed, missing, branches, arcs, draw(st.integers(0, len(arcs))))
    mutation = draw(st.integers(0, 5)) if broken else 0
    if mutation == 1:  # a summary field holding anything
        key = draw(st.sampled_from(sorted(entry["summary"])))
        entry["summary"][key] = draw(_NUMBERS)
    elif mutation == 2:  # a list holding anything
        key = draw(st.sampled_from(["executed_lines", "missing_lines", "missing_branches"]))
        entry[key] = draw(st.lists(_NUMBERS, max_size=3) | JSON_VALUES)
    elif mutation == 3:  # the entry replaced by any JSON
        return draw(JSON_VALUES)
    elif mutation == 4:  # a key dropped
        del entry[draw(st.sampled_from(sorted(entry)))]
    return entry


@st.composite
def coverage_json(draw: st.DrawFn) -> str:
    broken = draw(st.booleans())
    files = draw(st.dictionaries(MODULE_PATHS, _file_entries(broken), max_size=4))
    document: Any = report_document(files, branches=draw(st.booleans()))
    shape = draw(st.integers(0, 5)) if broken else 0
    if shape == 1:
        document["meta"] = draw(JSON_VALUES)
    elif shape == 2:
        document = draw(JSON_VALUES)
    elif shape == 3:
        depth = draw(st.sampled_from([50, 5_000, 200_000]))
        return '{"meta": ' + "[" * depth + "]" * depth + "}"
    text = json.dumps(document)
    if not broken:
        return draw(st.sampled_from(["", "\ufeff"])) + text
    prefix = draw(st.sampled_from(["", "\ufeff", "  \n", "\x00"]))
    return prefix + text + draw(st.sampled_from(["", "\n", "garbage"]))


# --------------------------------------------------------------------------- task files

_NEWLINES = st.sampled_from(["\n", "\r\n", "\r"])


@st.composite
def _marker(draw: st.DrawFn) -> str:
    module = draw(st.sampled_from(["pkg/a.py", "pkg/b.py", "mod.py"]) | MODULE_PATHS)
    if draw(st.booleans()):  # today's compact marker, its lifecycle whole or broken
        attrs = {"m": module}
        attrs["b"] = draw(
            st.sampled_from(
                ["1/2@20260101,c3,r,u9", "1/2,c@20260101", ",u@20260101", "1/2,c3", "x,c"]
            )
            | st.from_regex(r"[0-9/@,cru-]{0,16}", fullmatch=True)
        )
        if draw(st.booleans()):
            attrs["c"] = draw(st.sampled_from(["d12", "s", "zz", ""]))
        return _broken(draw, format_marker(attrs))
    attrs = {"module": module, "state": draw(st.sampled_from(["open", "done", "bogus"]))}
    if draw(st.booleans()):
        attrs["baseline"] = draw(
            st.sampled_from(["1/2@2026-01-01", "0/0@bogus", "x", "3/2@2026-01-01"])
        )
    if draw(st.booleans()):
        attrs["completed"] = draw(st.sampled_from(["2026-01-02", "soon", "20260102"]))
    if draw(st.booleans()):
        attrs["future"] = "kept"
    return _broken(draw, format_marker(attrs))


def _broken(draw: st.DrawFn, line: str) -> str:
    broken = draw(st.integers(0, 6))
    if broken == 1:
        line = line.removesuffix(" -->")
    elif broken == 2:
        line = "    " + line
    elif broken == 3:
        line = line.replace('="', "=", 1)
    elif broken == 4:
        line = line.replace('="', '="%', 1)
    return line


@st.composite
def _entry(draw: st.DrawFn) -> list[str]:
    status = draw(st.sampled_from(["Open", "In progress", "Completed", "Deferred"]))
    title = draw(st.sampled_from(["Cover `pkg/a.py` to 100%", "Cover `mod.py`", "Other"]))
    lines = [f"### {status} · tv-2026-01-01:x · {title}", ""]
    for _ in range(draw(st.integers(0, 2))):
        lines += [draw(_marker()), ""]
    lines += ["- **Owner**: tv", "- **Size**: S"]
    wrap = draw(st.integers(0, 4))
    if wrap == 1:
        lines = ["```markdown", *lines, "```"]
    elif wrap == 2:
        lines = ["<details>", "", *lines, "", "</details>"]
    elif wrap == 3:
        lines = ["<!--", *lines, "-->"]
    return lines


@st.composite
def task_file(draw: st.DrawFn) -> str:
    lines = ["# Tasks", "", "## Open tasks (updated 2026-01-01)", ""]
    for _ in range(draw(st.integers(0, 3))):
        lines += [*draw(_entry()), ""]
    if draw(st.booleans()):
        lines += ["## Coverage roadmap", "", "- **Latest snapshot (2026-01-01)**: none."]
    newline = draw(_NEWLINES)
    text = newline.join(lines)
    if draw(st.booleans()):
        text += newline
    return draw(st.sampled_from(["", "", "\ufeff"])) + text


# --------------------------------------------------------------------------- settings

_SETTING_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "target": st.one_of(st.floats(), st.integers(-5, 200), st.text(max_size=3)),
    "tasks": st.sampled_from([".ldres/tv-tasks.md", f"{OUTSIDE}/t.md", "../outside/t.md", ""]),
    "history": st.sampled_from([".ldres/h.jsonl", "../outside/h.jsonl", f"{OUTSIDE}/h.jsonl"]),
    "badges": st.sampled_from(["b", "../outside", f"{OUTSIDE}", "/"]),
    "docs": st.lists(
        st.sampled_from(["README.md", "../outside/secret.md", f"{OUTSIDE}/secret.md"]), max_size=2
    ),
    "template": st.sampled_from(["../outside/secret.md", f"{OUTSIDE}/secret.md", "missing.md"]),
    "id_prefix": MODULE_PATHS,
    "default_owner": MODULE_PATHS,
    "umbrella": MODULE_PATHS,
    "insert_under": MODULE_PATHS,
    "lock_timeout": st.one_of(st.floats(), st.integers(-1, 3)),
    "ratchet_buffer": st.one_of(st.floats(), st.integers(-1, 3)),
    "statuses": st.dictionaries(
        st.sampled_from(["open", "completed", "x"]), MODULE_PATHS, max_size=2
    ),
    "milestones": st.lists(
        st.fixed_dictionaries(
            {"name": MODULE_PATHS, "modules": st.lists(MODULE_PATHS, max_size=2)}
        ),
        max_size=2,
    ),
    "owners": st.lists(
        st.fixed_dictionaries({"pattern": MODULE_PATHS, "owner": MODULE_PATHS}), max_size=2
    ),
    "badge_thresholds": st.dictionaries(MODULE_PATHS, st.floats(), max_size=2),
    "unknown": st.integers(),
}


_SMALL_VALUES = st.one_of(
    st.booleans(),
    st.integers(-1, 12),
    st.text(max_size=3),
    st.lists(st.text(max_size=3), max_size=2),
)
# coverage.py's own settings beside ours, in shapes coverage.py's reader does not expect.
_COVERAGE_SETTINGS = st.one_of(
    st.just(None),
    _SMALL_VALUES,
    st.dictionaries(
        st.sampled_from(["run", "report", "paths", "html", "json", "x"]),
        st.one_of(
            _SMALL_VALUES,
            st.dictionaries(
                st.sampled_from(["branch", "precision", "omit", "source", "fail_under", "x"]),
                _SMALL_VALUES,
                max_size=3,
            ),
        ),
        max_size=3,
    ),
)


@st.composite
def settings_toml(draw: st.DrawFn) -> str:
    keys = draw(st.lists(st.sampled_from(sorted(_SETTING_VALUES)), unique=True, max_size=4))
    tool: dict[str, Any] = {"covtasks": {key: draw(_SETTING_VALUES[key]) for key in keys}}
    coverage = draw(_COVERAGE_SETTINGS)
    if coverage is not None:
        tool["coverage"] = coverage
    try:
        return tomlkit.dumps({"tool": tool})
    except (TypeError, ValueError):
        return "[tool.covtasks]\n"


COMMANDS = st.sampled_from(
    [
        ["sync", "--date", "2026-11-20"],
        ["sync", "--check", "--date", "2026-11-20"],
        ["report"],
        ["report", "--format", "markdown", "--group"],
        ["report", "--format", "json"],
        ["standup", "--date", "2026-11-20"],
        ["badge", "--date", "2026-11-20"],
        ["gate", "--date", "2026-11-20"],
        ["check"],
    ]
)

# ---------------------------------------------------------------------------- harness


@dataclass
class Attempt:
    """One command on one generated project, and what it did."""

    base: Path
    root: Path
    exit_code: int
    stderr: str
    exception: BaseException | None
    access: Access
    before: dict[str, bytes]


def _fill(text: str, outside: Path) -> str:
    return text.replace(OUTSIDE, outside.as_posix())


def files_below(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` but covtasks' own lock file, by relative path."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.name != LOCK_NAME
    }


@contextmanager
def project(files: dict[str, str]) -> Iterator[tuple[Path, Path]]:
    """A fresh project folder with ``files`` and, beside it, a folder of secrets."""
    with tempfile.TemporaryDirectory(prefix="hostile-") as name:
        base = Path(name).resolve()
        root, outside = base / "project", base / "outside"
        (root / "pkg").mkdir(parents=True)
        outside.mkdir()
        for secret in ("secret.py", "secret.md", "t.md", "h.jsonl"):
            (outside / secret).write_text(SECRET, encoding="utf-8")
        (root / "pkg" / "a.py").write_text(SECRET, encoding="utf-8")
        (root / "README.md").write_text(
            "# P\n\n<!-- covtasks:scoreboard -->\n<!-- /covtasks:scoreboard -->\n",
            encoding="utf-8",
        )
        for relative, text in files.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(_fill(text, outside).encode("utf-8", "surrogatepass"))
        yield base, root


def attempt(files: dict[str, str], command: list[str]) -> Attempt:
    with project(files) as (base, root):
        before = files_below(base)
        with recorded() as access:
            result = runner.invoke(app, ["-C", str(root), *command])
        attempt = Attempt(
            base, root, result.exit_code, result.stderr, result.exception, access, before
        )
        after = files_below(base)
        check_promises(attempt, after)
        if command[0] == "sync" and "--check" not in command and result.exit_code == 0:
            # What a sync wrote never poisons the next one: it runs and changes nothing but
            # its cache, where it keeps the layout of the task file it found as it was.
            again = runner.invoke(app, ["-C", str(root), *command])
            assert (again.exit_code, again.exception) == (0, None), again.stderr
            final = files_below(base)
            kept = {name for name in final.keys() - after.keys() if "/layouts/" in name}
            assert {name: final[name] for name in final.keys() - kept} == after
            assert {name.rsplit("/", 1)[1] for name in kept} <= _layout_names(after)
        return attempt


def _layout_names(files: dict[str, bytes]) -> set[str]:
    """The names the kept layout of any of these files' texts has."""
    names = set()
    for data in files.values():
        try:
            names.add(f"{layout_key(data.decode('utf-8'))}.json")
        except UnicodeDecodeError:
            continue
    return names


def check_promises(attempt: Attempt, after: dict[str, bytes]) -> None:
    """What covtasks promises whatever the input."""
    assert attempt.exit_code in {0, 1, 2}, (attempt.exit_code, attempt.exception)
    if attempt.exception is not None:
        assert isinstance(attempt.exception, SystemExit), repr(attempt.exception)
    assert "Traceback" not in attempt.stderr
    if attempt.exit_code == 2:
        lines = attempt.stderr.splitlines()
        errors = [line for line in lines if line.startswith("error: ")]
        assert len(errors) == 1, attempt.stderr
        assert lines[-1] == errors[0], attempt.stderr
    if attempt.exit_code != 0:
        assert after == attempt.before
    outside = attempt.base / "outside"
    assert attempt.access.touching(outside) == []
    assert attempt.access.writes_outside(attempt.root) == []


PYPROJECT = "[tool.covtasks]\n"


@settings(HOSTILE, max_examples=JSON_ATTEMPTS)
@given(report=coverage_json(), command=COMMANDS)
def test_generated_coverage_json_keeps_every_promise(report: str, command: list[str]) -> None:
    attempt({"pyproject.toml": PYPROJECT, "coverage.json": report}, command)


GOOD_REPORT = json.dumps(
    report_document(
        {
            "pkg/a.py": file_entry([1], [2], 2, [(1, 3)]),
            "pkg/b.py": file_entry([1, 2], []),
            "mod.py": file_entry([], [1, 2, 3]),
        }
    )
)


@settings(HOSTILE, max_examples=TASK_FILE_ATTEMPTS)
@given(text=task_file(), command=COMMANDS)
def test_generated_task_files_keep_every_promise(text: str, command: list[str]) -> None:
    files = {
        "pyproject.toml": '[tool.covtasks]\numbrella = "Coverage roadmap"\n',
        "coverage.json": GOOD_REPORT,
        ".ldres/tv-tasks.md": text,
    }
    attempt(files, command)


@settings(HOSTILE, max_examples=CONFIG_ATTEMPTS)
@given(config=settings_toml(), command=COMMANDS | st.just(["init"]))
def test_generated_settings_keep_every_promise(config: str, command: list[str]) -> None:
    attempt({"pyproject.toml": config, "coverage.json": GOOD_REPORT}, command)
