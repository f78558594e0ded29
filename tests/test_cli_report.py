"""`covtasks report` options users meet first: precision from the option, settings, coverage."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from covtasks.cli import app
from tests.sample import SampleProject

runner = CliRunner()


def _report(project: SampleProject, *options: str) -> str:
    result = runner.invoke(app, ["-C", str(project.root), "report", *options])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def _add_to_pyproject(project: SampleProject, text: str) -> None:
    path = project.root / "pyproject.toml"
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_default_precision_is_two_decimals(gappy_project: SampleProject) -> None:
    assert "69.23%" in _report(gappy_project)


def test_precision_option_sets_the_decimals(gappy_project: SampleProject) -> None:
    table = _report(gappy_project, "--precision", "1")
    assert "69.2%" in table
    assert "69.23%" not in table


def test_precision_zero_shows_whole_percentages(gappy_project: SampleProject) -> None:
    assert "69%" in _report(gappy_project, "--precision", "0", "--format", "markdown")


def test_coverage_precision_of_the_project_is_used_when_covtasks_sets_none(
    gappy_project: SampleProject,
) -> None:
    _add_to_pyproject(gappy_project, "\n[tool.coverage.report]\nprecision = 4\n")
    assert "69.2308%" in _report(gappy_project)


def test_covtasks_precision_setting_wins_over_coverage_precision(
    gappy_project: SampleProject,
) -> None:
    _add_to_pyproject(
        gappy_project, "\n[tool.coverage.report]\nprecision = 4\n\n[tool.covtasks]\nprecision = 3\n"
    )
    assert "69.231%" in _report(gappy_project)


def test_precision_option_wins_over_the_setting(gappy_project: SampleProject) -> None:
    _add_to_pyproject(gappy_project, "\n[tool.covtasks]\nprecision = 3\n")
    assert "69.2%" in _report(gappy_project, "--precision", "1")


@pytest.mark.parametrize("value", ["-1", "11"])
def test_precision_option_out_of_range_exit_2_with_one_line(
    gappy_project: SampleProject, value: str
) -> None:
    result = runner.invoke(app, ["-C", str(gappy_project.root), "report", "--precision", value])
    assert result.exit_code == 2
    assert result.stderr == f"error: --precision must be from 0 to 10, not {value}\n"


@pytest.mark.parametrize("value", ['"2"', "true", "2.5", "11"])
def test_precision_setting_that_is_not_a_small_whole_number_exit_2_naming_it(
    gappy_project: SampleProject, value: str
) -> None:
    _add_to_pyproject(gappy_project, f"\n[tool.covtasks]\nprecision = {value}\n")
    result = runner.invoke(app, ["-C", str(gappy_project.root), "report"])
    assert result.exit_code == 2
    assert "'precision' must be a whole number of decimals from 0 to 10" in result.stderr
    assert "pyproject.toml" in result.stderr


@pytest.mark.parametrize("plugin", ["covtasks_absent_plugin", "covtasks_absent.plugin"])
def test_coverage_plugin_not_installed_exit_2_naming_it_and_the_way_to_add_it(
    gappy_project: SampleProject, plugin: str
) -> None:
    pyproject = gappy_project.root / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text(encoding="utf-8").replace(
            "[tool.coverage.run]\n", f'[tool.coverage.run]\nplugins = ["{plugin}"]\n'
        ),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["-C", str(gappy_project.root), "report"])
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {pyproject}: coverage plugin {plugin!r} is not installed where covtasks runs; "
        f"add it with `uv tool install covtasks --with {plugin}`, `pipx inject covtasks "
        f"{plugin}` or pre-commit `additional_dependencies: [{plugin}]`\n"
    )


def test_importable_module_that_is_no_coverage_plugin_exit_2_with_one_line(
    gappy_project: SampleProject,
) -> None:
    pyproject = gappy_project.root / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text(encoding="utf-8").replace(
            "[tool.coverage.run]\n", '[tool.coverage.run]\nplugins = ["json"]\n'
        ),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["-C", str(gappy_project.root), "report"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ")
    assert result.stderr.count("\n") == 1
    assert "'json'" in result.stderr


# coverage.py indexes these without checking them and fails with a TypeError traceback.
NOT_TABLES = {
    "tool": ("tool = 5\n", "[tool] must be a table"),
    "coverage": ("[tool]\ncoverage = 5\n", "[tool.coverage] must be a table"),
    "array of tables": ("[[tool.coverage]]\n", "[tool.coverage] must be a table"),
    "run": ("[tool.coverage]\nrun = 5\n", "[tool.coverage] 'run' must be a table of settings"),
    "html": (
        '[tool.coverage]\nhtml = "out"\n',
        "[tool.coverage] 'html' must be a table of settings",
    ),
    "paths": (
        '[tool.coverage]\npaths = ["src"]\n',
        "[tool.coverage] 'paths' must be a table of settings",
    ),
}


@pytest.mark.parametrize("data", [".cache/coverage/coverage.sqlite", "report.json"])
@pytest.mark.parametrize("case", NOT_TABLES.values(), ids=list(NOT_TABLES))
def test_coverage_settings_that_are_not_tables_exit_2_with_one_line_naming_pyproject(
    gappy_project: SampleProject, case: tuple[str, str], data: str
) -> None:
    gappy_project.coverage("json", "-o", "report.json")
    pyproject = gappy_project.root / "pyproject.toml"
    text, problem = case
    pyproject.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["-C", str(gappy_project.root), "report", "--coverage", data])
    assert result.exit_code == 2
    assert f"error: {pyproject}: " in result.stderr
    assert result.stderr.endswith(f"{problem}\n")
    assert result.stderr.startswith("error: ")
    assert result.stderr.count("\n") == 1
