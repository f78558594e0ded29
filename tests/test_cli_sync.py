"""``covtasks sync`` on disk: files created, not rewritten, checked, diffed, never corrupted."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from covtasks.cli import app
from tests.sample import SampleProject

runner = CliRunner()
TASKS = ".ldres/tv-tasks.md"


def invoke(root: Path, *args: str) -> Result:
    return runner.invoke(app, ["-C", str(root), *args])


@pytest.fixture
def project(gappy_project: SampleProject) -> Path:
    return gappy_project.root


def test_sync_creates_the_task_file_with_a_header_and_one_entry(project: Path) -> None:
    result = invoke(project, "sync", "--date", "2026-11-20")
    assert result.exit_code == 0, result.output
    text = (project / TASKS).read_text()
    assert text.startswith("# Coverage tasks\n")
    assert "## Open tasks (updated 2026-11-20)" in text
    assert "### Open · tv-2026-11-20:cov-gappy · Cover `pkg/gappy.py` to 100%" in text
    assert result.stderr == f"{TASKS}: 1 created, 0 updated, 0 completed, 0 regressed\n"
    assert (project / ".ldres/covtasks-history.jsonl").is_file()


def test_second_sync_does_not_rewrite_the_file(project: Path) -> None:
    invoke(project, "sync", "--date", "2026-11-20")
    before = (project / TASKS).stat()
    history = (project / ".ldres/covtasks-history.jsonl").read_bytes()
    result = invoke(project, "sync", "--date", "2026-11-20")
    after = (project / TASKS).stat()
    assert result.exit_code == 0
    assert (before.st_ino, before.st_mtime_ns) == (after.st_ino, after.st_mtime_ns)
    assert (project / ".ldres/covtasks-history.jsonl").read_bytes() == history


def test_check_exits_1_when_stale_and_0_when_fresh_and_never_writes(project: Path) -> None:
    stale = invoke(project, "sync", "--check", "--date", "2026-11-20")
    assert stale.exit_code == 1
    assert f"{TASKS} is out of date; run `covtasks sync`" in stale.stderr
    assert not (project / TASKS).exists()
    assert not (project / ".ldres/covtasks-history.jsonl").exists()
    invoke(project, "sync", "--date", "2026-11-20")
    assert invoke(project, "sync", "--check", "--date", "2026-11-20").exit_code == 0


def test_dry_run_prints_the_diff_and_writes_nothing(project: Path) -> None:
    result = invoke(project, "sync", "--dry-run", "--date", "2026-11-20")
    assert result.exit_code == 0
    assert result.stdout.startswith(f"--- a/{TASKS}\n+++ b/{TASKS}\n")
    assert "+### Open · tv-2026-11-20:cov-gappy" in result.stdout
    assert not (project / ".ldres").exists()


def test_diff_prints_the_change_and_writes_it(project: Path) -> None:
    result = invoke(project, "sync", "--diff", "--date", "2026-11-20")
    assert "+- **Owner**: tv" in result.stdout
    assert "- **Owner**: tv" in (project / TASKS).read_text()


def test_tasks_option_names_another_file(project: Path) -> None:
    invoke(project, "sync", "--tasks", "docs/roadmap.md", "--date", "2026-11-20")
    assert "cov-gappy" in (project / "docs/roadmap.md").read_text()


def test_crlf_task_file_stays_crlf(project: Path) -> None:
    path = project / TASKS
    path.parent.mkdir()
    path.write_bytes(b"# Tasks\r\n\r\n## Open tasks (updated 2025-01-01)\r\n")
    invoke(project, "sync", "--date", "2026-11-20")
    data = path.read_bytes()
    assert data.count(b"\n") == data.count(b"\r\n")
    assert data.startswith(b"# Tasks\r\n\r\n## Open tasks (updated 2026-11-20)\r\n")


def test_permissions_of_the_task_file_are_kept(project: Path) -> None:
    path = project / TASKS
    path.parent.mkdir()
    path.write_text("# Tasks\n")
    path.chmod(0o600)
    invoke(project, "sync", "--date", "2026-11-20")
    assert path.stat().st_mode & 0o777 == 0o600


def _expect_error(project: Path, args: list[str], message: str) -> None:
    path = project / TASKS
    before = path.read_bytes() if path.exists() else None
    result = invoke(project, *args)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: ")
    assert result.stderr.count("\n") == 1
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert (path.read_bytes() if path.exists() else None) == before


def test_two_entries_claiming_one_module_exit_2_and_nothing_written(project: Path) -> None:
    invoke(project, "sync", "--date", "2026-11-20")
    path = project / TASKS
    text = path.read_text()
    start = text.index("### Open · tv-2026-11-20")
    path.write_text(text + "\n" + text[start:])
    _expect_error(project, ["sync"], f"{TASKS}: entries at lines")


def test_corrupt_coverage_data_exit_2_and_task_file_untouched(project: Path) -> None:
    invoke(project, "sync", "--date", "2026-11-20")
    (project / "broken.json").write_text('{"meta": {"format": 3}, "files": [1]}')
    _expect_error(project, ["sync", "--coverage", "broken.json"], "broken.json: JSON report")


def test_malformed_date_exit_2(project: Path) -> None:
    _expect_error(project, ["sync", "--date", "26/11/2026"], "--date must be a date")


def test_unknown_config_key_exit_2_naming_it(project: Path) -> None:
    (project / "pyproject.toml").write_text("[tool.covtasks]\nsecret = 1\n")
    _expect_error(project, ["sync"], "unknown key 'secret'")


def test_task_file_symlinked_outside_the_repository_is_refused(
    project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("outside") / "tasks.md"
    outside.write_text("# Elsewhere\n")
    (project / ".ldres").mkdir()
    (project / TASKS).symlink_to(outside)
    _expect_error(project, ["sync"], "resolves outside the repository")
    assert outside.read_text() == "# Elsewhere\n"


def test_malformed_marker_exit_2_naming_the_line(project: Path) -> None:
    invoke(project, "sync", "--date", "2026-11-20")
    path = project / TASKS
    path.write_text(path.read_text().replace(' fp="', ' fp="!'))
    _expect_error(project, ["sync"], f"{TASKS}: line ")


# --- real processes -----------------------------------------------------------------------


def _covtasks() -> list[str]:
    return [sys.executable, "-m", "covtasks"]


def _report_for(project: Path, name: str, rename: dict[str, str]) -> Path:
    """A JSON report of the project's data with module paths renamed (no sources needed)."""
    subprocess.run(
        [sys.executable, "-m", "coverage", "json", "-o", "base.json"],
        cwd=project,
        check=True,
        capture_output=True,
    )
    document: dict[str, Any] = json.loads((project / "base.json").read_text())
    document["files"] = {rename.get(k, k): v for k, v in document["files"].items() if k in rename}
    path = project / name
    path.write_text(json.dumps(document))
    return path


def test_two_concurrent_syncs_on_different_coverage_both_take_effect(project: Path) -> None:
    _report_for(project, "a.json", {"pkg/gappy.py": "pkg/alpha.py"})
    _report_for(project, "b.json", {"pkg/gappy.py": "pkg/beta.py"})
    processes = [
        subprocess.Popen(
            [*_covtasks(), "sync", "--coverage", name, "--date", "2026-11-20"],
            cwd=project,
            stderr=subprocess.DEVNULL,
        )
        for name in ("a.json", "b.json")
    ]
    assert [process.wait() for process in processes] == [0, 0]
    text = (project / TASKS).read_text()
    assert text.count(' m="pkg/alpha.py"') == 1
    assert text.count(' m="pkg/beta.py"') == 1


def test_sync_killed_mid_write_leaves_the_old_or_the_new_file(project: Path) -> None:
    path = project / TASKS
    path.parent.mkdir()
    # A large hand-written file makes each sync spend real time reading and writing.
    filler = "".join(
        f"- line {n} of notes a person wrote, kept byte for byte\n" for n in range(60_000)
    )
    old = "# Tasks\n\n## Open tasks (updated 2025-01-01)\n\n## Notes\n\n" + filler
    path.write_text(old)
    _report_for(project, "report.json", {"pkg/gappy.py": "pkg/gappy.py"})
    shutil.copy(path, project / "pristine.md")
    outcomes = set()
    for delay in (0.05, 0.15, 0.3, 0.5, 0.8, 1.2):
        shutil.copy(project / "pristine.md", path)
        with subprocess.Popen(
            [*_covtasks(), "sync", "--coverage", "report.json", "--date", "2026-11-20"],
            cwd=project,
            stderr=subprocess.DEVNULL,
        ) as process:
            time.sleep(delay)
            process.send_signal(signal.SIGKILL)
            process.wait()
        text = path.read_text()
        assert text == old or (text.endswith(filler) and "cov-gappy" in text)
        outcomes.add(text == old)
        leftovers = [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")]
        for name in leftovers:
            os.unlink(path.parent / name)  # a killed writer may leave its temporary behind
    assert True in outcomes


DOC = """\
# Coverage

Intro a person wrote.

<!-- covtasks:scoreboard below=90 -->
stale
<!-- /covtasks:scoreboard -->

<!-- covtasks:milestones -->
<!-- /covtasks:milestones -->

<!-- covtasks:snapshot -->
<!-- /covtasks:snapshot -->

<!-- covtasks:gaps -->
<!-- /covtasks:gaps -->

Closing words.
"""


def test_live_blocks_in_docs_are_refreshed_and_checked(project: Path) -> None:
    pyproject = project / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text()
        + '\n[tool.covtasks]\ndocs = ["docs/coverage.md"]\n'
        + '[[tool.covtasks.milestones]]\nname = "Core"\nmodules = ["pkg/**"]\n'
    )
    doc = project / "docs/coverage.md"
    doc.parent.mkdir()
    doc.write_text(DOC)
    assert invoke(project, "sync", "--check", "--date", "2026-11-20").exit_code == 1
    assert doc.read_text() == DOC
    result = invoke(project, "sync", "--date", "2026-11-20")
    assert result.exit_code == 0, result.output
    text = doc.read_text()
    assert text.startswith(
        "# Coverage\n\nIntro a person wrote.\n\n<!-- covtasks:scoreboard below=90 -->\n"
    )
    assert "- `pkg/gappy.py` — 69.23% lines, 50.00% branches\n<!-- /covtasks:scoreboard -->" in text
    assert "Core" in text
    assert "Global coverage **68.42%**" in text
    assert "- `pkg/gappy.py` — 69.23% lines; " in text
    assert text.endswith("<!-- /covtasks:gaps -->\n\nClosing words.\n")
    assert invoke(project, "sync", "--check", "--date", "2026-11-20").exit_code == 0


def test_unclosed_live_block_is_an_error_naming_the_line(project: Path) -> None:
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + '\n[tool.covtasks]\ndocs = ["README.md"]\n')
    (project / "README.md").write_text("# R\n\n<!-- covtasks:scoreboard -->\n")
    _expect_error(project, ["sync"], "README.md: line 3")


def test_summary_counts_modules_no_longer_measured(project: Path) -> None:
    invoke(project, "sync", "--date", "2026-11-20")
    _report_for(project, "other.json", {"pkg/gappy.py": "pkg/renamed.py"})
    result = invoke(project, "sync", "--coverage", "other.json", "--date", "2026-11-21")
    assert result.stderr.splitlines()[0] == (
        f"{TASKS}: 1 created, 1 updated, 0 completed, 0 regressed, 1 no longer measured"
    )


def test_report_group_prints_the_gap_analysis(project: Path) -> None:
    result = invoke(project, "report", "--format", "markdown", "--group")
    assert result.exit_code == 0, result.output
    assert (
        "## Make a seam: filesystem\n\n- `pkg/gappy.py` — 69.23% lines; 1 line here"
        in result.stdout
    )
    wrong = invoke(project, "report", "--group")
    assert wrong.exit_code == 2
    assert wrong.stderr == "error: --group goes with --format markdown\n"


def test_a_field_rewrapped_by_mdformat_stays_managed_and_is_refreshed_unwrapped(
    gappy_project: SampleProject,
) -> None:
    import mdformat

    from covtasks.document import parse_document
    from covtasks.memory import unwrapped

    def fields(text: str) -> dict[str, list[str]]:
        document = parse_document(text)
        (entry,) = document.entries
        return {
            found.name: [
                line.rstrip("\n") for line in document.lines[found.span.start : found.span.end]
            ]
            for found in entry.fields
        }

    root = gappy_project.root
    with (root / "pyproject.toml").open("a") as handle:
        # A long value that the coverage change below leaves as it is.
        handle.write(
            '\n[[tool.covtasks.milestones]]\nname = "Core deterministic modules of the package, '
            'the first milestone of the roadmap"\nmodules = ["pkg/*.py"]\n'
        )
    invoke(root, "sync", "--date", "2026-11-20")
    wrapped = mdformat.text((root / TASKS).read_text(), options={"wrap": 60})
    assert "- **Coverage**: 64.71% (lines 69.23%, 9/13; branches 50.00%,\n  2/4)\n" in wrapped
    (root / TASKS).write_text(wrapped)
    same = invoke(root, "sync", "--date", "2026-11-21")
    assert (same.exit_code, (root / TASKS).read_text()) == (0, wrapped)
    assert "note:" not in same.stderr
    gappy_project.measure(
        "from pkg import full, gappy\nfull.double(2)\ngappy.choose(True)\ngappy.choose(False)\n"
        "gappy.from_env()\n"
    )
    result = invoke(root, "sync", "--date", "2026-11-22")
    assert result.exit_code == 0, result.output
    assert "note:" not in result.stderr
    before, after = fields(wrapped), fields((root / TASKS).read_text())
    assert after["Coverage"] == [
        "- **Coverage**: 76.47% (lines 76.92%, 10/13; branches 75.00%, 3/4), up from 64.71% on "
        "2026-11-20"
    ]
    still_wrapped = []
    for name, lines in after.items():
        # A field whose values held keeps its wrapping; one that changed is written unwrapped.
        kept = unwrapped(lines) == unwrapped(before[name])
        assert lines == (before[name] if kept else unwrapped(lines)), name
        if kept and len(lines) > len(unwrapped(lines)):
            still_wrapped.append(name)
    assert "Milestone" in still_wrapped
