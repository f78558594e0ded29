"""``covtasks standup`` and ``covtasks badge`` end to end, after real syncs on two dates."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from xml.etree import ElementTree

import pytest
from typer.testing import CliRunner, Result

from covtasks.cli import app
from tests.sample import SampleProject, make_project

runner = CliRunner()
TASKS = ".ldres/tv-tasks.md"
HISTORY = ".ldres/covtasks-history.jsonl"
EARLY = ".cache/coverage/early.sqlite"
FIRST_SYNC, SECOND_SYNC, LATER = "2026-01-05", "2026-01-08", "2026-01-09"
SVG = "{http://www.w3.org/2000/svg}"

PYPROJECT = """\
[tool.coverage.run]
branch = true
source = ["pkg"]
relative_files = true
data_file = ".cache/coverage/coverage.sqlite"

[tool.covtasks]

[[tool.covtasks.milestones]]
name = "Core deterministic modules"
modules = ["pkg/core.py"]
gate = 95.0

[[tool.covtasks.milestones]]
name = "Everything else"
modules = ["pkg/**"]
"""
PRE_COMMIT = """\
repos:
  - repo: local
    hooks:
      - id: coverage-threshold
        entry: coverage report --fail-under=60.00
        language: system
"""
FILES = {
    "pkg/__init__.py": "",
    "pkg/core.py": "def double(x):\n    return 2 * x\n",
    "pkg/gappy.py": (
        "def choose(flag):\n    if flag:\n        return 'yes'\n    return 'no'\n\n\n"
        "def never_called():\n    return 1\n"
    ),
    "pkg/extra.py": "def one(x):\n    if x:\n        return 1\n    return 0\n",
    ".pre-commit-config.yaml": PRE_COMMIT,
}
EARLY_DRIVER = (
    "from pkg import core, gappy, extra\ncore.double(1)\ngappy.choose(True)\nextra.one(1)\n"
)
# The later run also takes gappy's other branch: gappy rises, extra stays where it was.
LATE_DRIVER = EARLY_DRIVER + "gappy.choose(False)\n"


def invoke(root: Path, *args: str) -> Result:
    return runner.invoke(app, ["-C", str(root), *args])


def expect_error(result: Result, message: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.stderr == f"error: {message}\n"
    assert result.stdout == ""


@pytest.fixture(scope="module")
def synced(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Synced on FIRST_SYNC with the early run and on SECOND_SYNC with the later one."""
    project = make_project(tmp_path_factory.mktemp("standup"), FILES, PYPROJECT)
    project.measure(EARLY_DRIVER)
    (project.root / ".cache/coverage/coverage.sqlite").rename(project.root / EARLY)
    project.measure(LATE_DRIVER)
    root = project.root
    assert invoke(root, "sync", "--coverage", EARLY, "--date", FIRST_SYNC).exit_code == 0
    assert invoke(root, "sync", "--date", SECOND_SYNC).exit_code == 0
    return root


@pytest.fixture
def project(synced: Path, tmp_path: Path) -> Path:
    target = tmp_path / "project"
    shutil.copytree(synced, target, symlinks=True)
    return target


# ---------------------------------------------------------------------------- standup

NEXT_UP_AND_MILESTONES = """\
**Next up**

- tv
  - `pkg/extra.py` (P0, XS)
  - `pkg/gappy.py` (P1, XS)

**Milestones**

- Core deterministic modules: 1/1 modules at target
- Everything else: 1/3 modules at target
"""


def test_standup_lists_the_improved_module_with_the_exact_delta(synced: Path) -> None:
    result = invoke(synced, "standup", "--date", SECOND_SYNC)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert result.stdout == (
        f"**Stand-up {SECOND_SYNC}** (changes since {FIRST_SYNC})\n"
        "\n"
        "- Total coverage **81.25%** (+12.50%)\n"
        "- Lines **83.33%** (+8.33%)\n"
        "- Branches **75.00%** (+25.00%)\n"
        "- Gate `--fail-under=60.00`\n"
        "\n"
        "**⬆️ Improved**\n"
        "\n"
        "- `pkg/gappy.py` (62.50% → 87.50%, +25.00%)\n"
        "\n" + NEXT_UP_AND_MILESTONES
    )


def test_standup_since_the_first_sync_equals_the_default_window(synced: Path) -> None:
    default = invoke(synced, "standup", "--date", SECOND_SYNC)
    explicit = invoke(synced, "standup", "--date", SECOND_SYNC, "--since", FIRST_SYNC)
    assert explicit.stdout == default.stdout


def test_standup_json_parses_and_holds_the_same_content(synced: Path) -> None:
    result = invoke(synced, "standup", "--date", SECOND_SYNC, "--format", "json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert (document["date"], document["since"], document["note"]) == (
        SECOND_SYNC,
        FIRST_SYNC,
        None,
    )
    assert document["gate"] == 60.0
    assert document["totals"]["total"] == {"from": 68.75, "to": 81.25, "delta": 12.5}
    assert document["improved"] == [
        {"path": "pkg/gappy.py", "from": 62.5, "to": 87.5, "delta": 25.0}
    ]
    assert document["completed"] == document["regressed"] == document["new_below"] == []
    assert document["next_up"] == {
        "tv": [
            {"path": "pkg/extra.py", "priority": "P0", "size": "XS"},
            {"path": "pkg/gappy.py", "priority": "P1", "size": "XS"},
        ]
    }
    assert document["milestones"] == [
        {"name": "Core deterministic modules", "met": 1, "total": 1},
        {"name": "Everything else", "met": 1, "total": 3},
    ]


def test_standup_the_day_after_the_last_sync_says_no_module_changed(synced: Path) -> None:
    result = invoke(synced, "standup", "--date", LATER)
    assert result.stdout.startswith(f"**Stand-up {LATER}** (changes since {SECOND_SYNC})\n")
    assert "\n\nNo module changed.\n\n" in result.stdout
    assert "Improved" not in result.stdout


def test_standup_malformed_since_exits_2(synced: Path) -> None:
    result = invoke(synced, "standup", "--since", "2026-13-01")
    expect_error(result, "--since must be a date written YYYY-MM-DD, not '2026-13-01'")


def test_standup_unknown_format_exits_2(synced: Path) -> None:
    result = invoke(synced, "standup", "--format", "yaml")
    expect_error(result, "--format must be markdown or json, not 'yaml'")


def test_standup_skips_a_mangled_history_line_with_a_warning_naming_it(project: Path) -> None:
    history = project / HISTORY
    history.write_text(history.read_text() + "{not json\n")
    result = invoke(project, "standup", "--date", SECOND_SYNC)
    assert result.exit_code == 0
    assert result.stderr == (
        f"warning: {history}: line 3: not a JSON history record;"
        " line ignored (delete it to silence this)\n"
    )


HAND_ENTRIES = """
### In progress · tv-2026-01-06:PR7 · Tidy `pkg/core.py` names

- **Summary**: Rename helpers; no owner, priority or size written yet.

### Completed · tv-2026-01-02:PR5 · Cover `pkg/__init__.py`

- **Owner**: bo
- **Priority**: P0

### Open · tv-2026-01-02:cov-gone · Cover `pkg/gone.py` to 100%

<!-- covtasks:entry module="pkg/gone.py" state="open" status="Open" -->

- **Owner**: bo
"""


def test_standup_next_up_reads_owner_priority_and_size_as_the_task_file_says(
    project: Path,
) -> None:
    path = project / TASKS
    text = path.read_text()
    gappy = text.index("· Cover `pkg/gappy.py` to 100%")
    owner = text.index("- **Owner**: tv", gappy)
    priority = text.index("- **Priority**: P1", gappy)
    text = (
        text[:owner]
        + "- **Owner**: ana"
        + text[owner + len("- **Owner**: tv") : priority]
        + "- **Priority**: P0"
        + text[priority + len("- **Priority**: P1") :]
    )
    path.write_text(text + HAND_ENTRIES)
    result = invoke(project, "standup", "--date", SECOND_SYNC)
    assert result.exit_code == 0, result.output
    assert (
        "**Next up**\n"
        "\n"
        "- ana\n"
        "  - `pkg/gappy.py` (P0, XS)\n"
        "- tv\n"
        "  - `pkg/extra.py` (P0, XS)\n"
        "  - `pkg/core.py` (P3, M)\n"
        "\n"
    ) in result.stdout
    assert "bo" not in result.stdout


def test_standup_without_history_or_task_file_notes_it_and_names_no_one(project: Path) -> None:
    shutil.rmtree(project / ".ldres")
    result = invoke(project, "standup", "--date", SECOND_SYNC)
    assert result.exit_code == 0
    assert result.stdout == (
        f"**Stand-up {SECOND_SYNC}** (no earlier numbers to compare with)\n"
        "\n"
        "- Total coverage **81.25%**\n"
        "- Lines **83.33%**\n"
        "- Branches **75.00%**\n"
        "- Gate `--fail-under=60.00`\n"
        "\n"
        "Note: No coverage history yet, so changes since the last sync are unknown.\n"
        "\n"
        "**Milestones**\n"
        "\n"
        "- Core deterministic modules: 1/1 modules at target\n"
        "- Everything else: 1/3 modules at target\n"
    )


def test_standup_without_any_gate_file_shows_no_gate(project: Path) -> None:
    (project / ".pre-commit-config.yaml").unlink()
    result = invoke(project, "standup", "--date", SECOND_SYNC, "--format", "json")
    assert json.loads(result.stdout)["gate"] is None
    markdown = invoke(project, "standup", "--date", SECOND_SYNC)
    assert "Gate" not in markdown.stdout


# ---------------------------------------------------------------------------- badge

PICTURES = ("coverage.svg", "lines.svg", "branches.svg", "trend.svg")


def svg_root(path: Path) -> ElementTree.Element:
    root = ElementTree.fromstring(path.read_bytes())
    assert root.tag == f"{SVG}svg"
    return root


def badge_title(path: Path) -> str | None:
    return svg_root(path).findtext(f"{SVG}title")


def test_badge_writes_four_svgs_whose_numbers_equal_the_report(project: Path) -> None:
    result = invoke(project, "badge", "--out", "docs/badges", "--date", LATER)
    assert result.exit_code == 0, result.output
    assert result.stdout == "".join(f"wrote docs/badges/{name}\n" for name in PICTURES)
    report = json.loads(invoke(project, "report", "--format", "json").stdout)["totals"]
    folder = project / "docs/badges"
    assert badge_title(folder / "coverage.svg") == f"coverage: {report['percent']:.2f}%"
    assert badge_title(folder / "lines.svg") == f"lines: {report['line_percent']:.2f}%"
    assert badge_title(folder / "branches.svg") == f"branches: {report['branch_percent']:.2f}%"


def test_badge_trend_has_one_point_per_sync_date_and_today(project: Path) -> None:
    invoke(project, "badge", "--out", "docs/badges", "--date", LATER)
    trend = svg_root(project / "docs/badges/trend.svg")
    titles = [circle.findtext(f"{SVG}title") for circle in trend.iter(f"{SVG}circle")]
    assert titles == [
        f"{FIRST_SYNC}: lines 75.00%",
        f"{SECOND_SYNC}: lines 83.33%",
        f"{LATER}: lines 83.33%",
        f"{FIRST_SYNC}: branches 50.00%",
        f"{SECOND_SYNC}: branches 75.00%",
        f"{LATER}: branches 75.00%",
    ]


def test_second_badge_run_prints_up_to_date_and_keeps_the_bytes(project: Path) -> None:
    invoke(project, "badge", "--out", "docs/badges", "--date", LATER)
    folder = project / "docs/badges"
    before = {name: (folder / name).read_bytes() for name in PICTURES}
    result = invoke(project, "badge", "--out", "docs/badges", "--date", LATER)
    assert result.exit_code == 0
    assert result.stdout == "badges up to date\n"
    assert {name: (folder / name).read_bytes() for name in PICTURES} == before


def test_badge_without_out_writes_to_the_configured_folder(project: Path) -> None:
    result = invoke(project, "badge", "--date", LATER)
    assert result.stdout == "".join(f"wrote .ldres/badges/{name}\n" for name in PICTURES)
    for name in PICTURES:
        svg_root(project / ".ldres/badges" / name)


def test_badge_default_folder_through_a_symlink_outside_the_repository_exits_2(
    project: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (project / "pics").symlink_to(outside, target_is_directory=True)
    pyproject = project / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text().replace("[tool.covtasks]\n", '[tool.covtasks]\nbadges = "pics"\n')
    )
    result = invoke(project, "badge", "--date", LATER)
    expect_error(
        result,
        f"{project / 'pyproject.toml'}: 'badges' leads outside the project ('pics')",
    )
    assert list(outside.iterdir()) == []


def test_badge_out_named_outside_the_project_is_written_there(
    project: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "gh-pages" / "badges"
    result = invoke(project, "badge", "--out", str(outside), "--date", LATER)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "".join(f"wrote {outside / name}\n" for name in PICTURES)
    for name in PICTURES:
        svg_root(outside / name)


def test_badge_out_named_through_a_symlink_outside_is_honoured(
    project: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (project / "pics").symlink_to(outside, target_is_directory=True)
    result = invoke(project, "badge", "--out", "pics", "--date", LATER)
    assert result.exit_code == 0, result.stderr
    assert sorted(path.name for path in outside.iterdir()) == sorted(PICTURES)


def test_standup_with_a_broken_marker_in_the_task_file_names_file_and_line(
    gappy_project: SampleProject,
) -> None:
    root = gappy_project.root
    tasks = root / ".ldres" / "tv-tasks.md"
    tasks.parent.mkdir(exist_ok=True)
    tasks.write_text('### Open · tv-1:a · A\n\n<!-- covtasks:entry module="a.py" oops -->\n')
    result = CliRunner().invoke(app, ["-C", str(root), "standup"])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {tasks}: line 3: ")


@pytest.mark.parametrize("command", ["standup", "check"])
def test_a_marker_with_an_unreadable_lifecycle_names_file_and_line(
    gappy_project: SampleProject, command: str
) -> None:
    root = gappy_project.root
    tasks = root / ".ldres" / "tv-tasks.md"
    tasks.parent.mkdir(exist_ok=True)
    tasks.write_text(
        "### Completed · tv-1:a · A\n\n"
        '<!-- covtasks:entry m="pkg/gappy.py" b="1/2@20260101,c@soon" -->\n'
    )
    result = CliRunner().invoke(app, ["-C", str(root), command])
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {tasks}: line 3: covtasks marker has a malformed b '1/2@20260101,c@soon'\n"
    )
