"""The command line as users meet it: help, version, docs, exit codes, start-up cost."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from covtasks import __version__
from covtasks.cli import app
from covtasks.cli import main as covtasks_main
from tests.sample import SampleProject

README = Path(__file__).resolve().parents[1] / "README.md"
runner = CliRunner()


def _commands() -> list[str]:
    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    return sorted(group.commands)


def test_version_prints_the_package_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"covtasks {__version__}\n"


def test_every_command_has_help_text_and_a_readme_section() -> None:
    readme = README.read_text(encoding="utf-8")
    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    for name, command in group.commands.items():
        assert command.help, f"{name} has no help text"
        assert f"### `covtasks {name}`" in readme, f"README lacks a section for {name}"


def test_every_option_of_every_command_has_help_text() -> None:
    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    commands = [group, *group.commands.values()]
    for command in commands:
        for parameter in command.params:
            if parameter.name in {"ctx"}:
                continue
            assert getattr(parameter, "help", None), f"{command.name} {parameter.name}"


def test_every_option_appears_in_the_readme() -> None:
    readme = README.read_text(encoding="utf-8")
    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    for command in [group, *group.commands.values()]:
        for parameter in command.params:
            for flag in getattr(parameter, "opts", []):
                if flag.startswith("--"):
                    assert f"`{flag}" in readme, f"README does not mention {flag}"


def test_command_help_describes_every_option() -> None:
    for name in _commands():
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0
        assert "Usage:" in result.stdout


def test_help_does_not_import_coverage_or_markdown_it() -> None:
    code = (
        "import sys\n"
        "from covtasks.cli import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in {'coverage', 'markdown_it'})\n"
        "print('HEAVY', heavy)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "HEAVY []" in done.stdout


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "covtasks", "--version"], capture_output=True, text=True, check=True
    )
    assert done.stdout == f"covtasks {__version__}\n"


def test_report_json_has_exactly_the_design_keys(gappy_project: SampleProject) -> None:
    result = runner.invoke(
        app, ["-C", str(gappy_project.root), "report", "--format", "json", "--all"]
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert set(document) == {"target", "totals", "modules"}
    module_keys = {
        "path", "line_percent", "branch_percent", "percent", "statements", "missing",
        "branches", "missing_branches", "partial_branches", "missing_lines", "meets_target",
    }  # fmt: skip
    assert all(set(module) == module_keys for module in document["modules"])
    assert set(document["totals"]) == module_keys - {"path", "missing_lines"}


def test_report_table_lists_gappy_module_with_missing_lines(gappy_project: SampleProject) -> None:
    result = runner.invoke(app, ["-C", str(gappy_project.root), "report"])
    assert result.exit_code == 0, result.output
    assert re.search(
        r"pkg/gappy\.py\s+13\s+4\s+4\s+2\s+69\.23%\s+50\.00%\s+64\.71%\s+7, 14, 18-19",
        result.stdout,
    )
    assert "pkg/full.py" not in result.stdout
    assert "TOTAL" in result.stdout


def test_report_markdown_pastes_as_a_list(gappy_project: SampleProject) -> None:
    result = runner.invoke(app, ["-C", str(gappy_project.root), "report", "--format", "markdown"])
    assert result.stdout.splitlines()[0] == "- `pkg/gappy.py` — 69.23% lines, 50.00% branches"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["report", "--coverage", "absent.sqlite"],
            "absent.sqlite: coverage data file does not exist",
        ),
        (["report", "--format", "yaml"], "--format must be one of table, markdown, json"),
        (["report", "--sort", "size"], "--sort must be one of cover, name, missing"),
        (["--config", "nope.toml", "report"], "nope.toml: configuration file does not exist"),
    ],
)
def test_bad_input_is_one_error_line_and_exit_2(
    gappy_project: SampleProject, args: list[str], message: str
) -> None:
    result = runner.invoke(app, ["-C", str(gappy_project.root), *args])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("error: ")
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_unknown_config_key_names_the_key_and_the_file(gappy_project: SampleProject) -> None:
    pyproject = gappy_project.root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + "\n[tool.covtasks]\ntargett = 90\n")
    result = runner.invoke(app, ["-C", str(gappy_project.root), "report"])
    assert result.exit_code == 2
    assert result.stderr == f"error: {pyproject}: unknown key 'targett' in [tool.covtasks]\n"


def test_main_module_exposes_the_console_entry_point() -> None:
    import covtasks.__main__ as entry

    assert entry.main is covtasks_main


def test_main_runs_the_app_with_the_given_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        covtasks_main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out == f"covtasks {__version__}\n"


def test_report_shows_milestone_progress_with_owners(gappy_project: SampleProject) -> None:
    pyproject = gappy_project.root / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text()
        + '\n[tool.covtasks]\ndefault_owner = "qa"\n'
        + '[[tool.covtasks.milestones]]\nname = "Core"\nmodules = ["pkg/**"]\ngate = 95\n'
    )
    table = runner.invoke(app, ["-C", str(gappy_project.root), "report"])
    assert table.stdout.endswith(
        "\nMilestones\n[open] Core: 2/3 modules at target (gate 95%)\n"
        "  - pkg/gappy.py  69.23% lines, 50.00% branches  owner qa\n"
    )
    markdown = runner.invoke(app, ["-C", str(gappy_project.root), "report", "--format", "markdown"])
    assert markdown.stdout.endswith(
        "\n- **Core**: 2/3 modules at target (gate 95%)\n"
        "  - `pkg/gappy.py` (69.23% lines, 50.00% branches) — qa\n"
    )
    data = runner.invoke(app, ["-C", str(gappy_project.root), "report", "--format", "json"])
    assert set(json.loads(data.stdout)) == {"target", "totals", "modules"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "coverage data file is empty"),
        (b"SQLite format 3\x00" + b"\x00" * 40, "SQLite"),
        (b"\x89PNG not coverage", "not coverage data"),
        (b'{"meta": {"format": 3}, "files": {"a.py": {}}}', "JSON report has the wrong shape"),
        (b'{"meta": {"format": 2}, "files": {}}', "unsupported JSON report format 2"),
        (b'{"meta": ', "not a valid JSON coverage report"),
    ],
)
def test_bad_coverage_data_is_one_error_line_naming_the_file(
    gappy_project: SampleProject, content: bytes, message: str
) -> None:
    (gappy_project.root / "bad.data").write_bytes(content)
    result = runner.invoke(app, ["-C", str(gappy_project.root), "report", "--coverage", "bad.data"])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {gappy_project.root / 'bad.data'}: ")
    assert message in result.stderr
    assert result.stderr.count("\n") == 1


def test_sqlite_data_without_its_sources_is_one_error_line(gappy_project: SampleProject) -> None:
    (gappy_project.root / "pkg" / "gappy.py").unlink()
    result = runner.invoke(app, ["-C", str(gappy_project.root), "report"])
    assert result.exit_code == 2
    assert "No source for code" in result.stderr
    assert "coverage.sqlite: " in result.stderr
    assert result.stderr.count("\n") == 1
