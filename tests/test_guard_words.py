"""The system a ``sys.platform`` value names, straight from ``covtasks.notes.guard_words``."""

from __future__ import annotations

import ast

import pytest

from covtasks.notes.guard_words import os_word


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ("'win32'", "Windows"),
        ("('win32', 'nt', 'cygwin')", "Windows or Cygwin"),
        ("['plan9', 'darwin']", "macOS"),
        ("{'Linux2'}", "Linux"),
        ("('plan9', 3)", ""),
    ],
)
def test_platform_values_name_each_known_system_once_in_their_order(
    values: str, expected: str
) -> None:
    assert os_word(ast.parse(values, mode="eval").body) == expected
