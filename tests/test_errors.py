"""Errors carry one line naming the file; pure code's line-only errors get their file added."""

from __future__ import annotations

import pytest

from covtasks.errors import ConfigError, TaskFileError, naming


def test_message_is_one_line_with_the_file_first() -> None:
    error = ConfigError("unknown key 'x'\n  in [tool.covtasks]", "pyproject.toml")
    assert error.message == "pyproject.toml: unknown key 'x' in [tool.covtasks]"


def test_naming_adds_the_file_to_an_error_about_a_line() -> None:
    with pytest.raises(TaskFileError) as raised, naming("tasks.md"):
        raise TaskFileError("line 3: malformed marker")
    assert raised.value.message == "tasks.md: line 3: malformed marker"


def test_naming_keeps_an_error_that_already_names_its_file() -> None:
    with pytest.raises(ConfigError) as raised, naming("tasks.md"):
        raise ConfigError("invalid TOML", "pyproject.toml")
    assert raised.value.message == "pyproject.toml: invalid TOML"
