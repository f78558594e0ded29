"""What the notes know of the project: the test module for a module, the folder a new one
goes in, the coverage setting to add, and the guard a package's ``__init__`` imports under."""

from __future__ import annotations

import pytest

from covtasks.notes.project import ProjectContext, TestIndex, matching_test


@pytest.mark.parametrize(
    ("module", "tests", "expected"),
    [
        # the folder named like the module's wins over one that sorts first
        (
            "src/pkg/web/main.py",
            ("tests/server/test_main.py", "tests/web/test_main.py"),
            "tests/web/test_main.py",
        ),
        # two folders in common beat one, even when the one sorts first
        (
            "src/pkg/api/v2/main.py",
            ("tests/api/test_main.py", "tests/api/v2/test_main.py"),
            "tests/api/v2/test_main.py",
        ),
    ],
)
def test_of_several_test_modules_of_one_name_the_one_sharing_most_folders_is_chosen(
    module: str, tests: tuple[str, ...], expected: str
) -> None:
    assert matching_test(module, tests) == expected


@pytest.mark.parametrize(
    ("module", "expected"),
    [
        ("src/pkg/_compat.py", "tests/test_compat.py"),
        ("src/pkg/Widget.py", "tests/test_Widget.py"),
        ("src/pkg/__init__.py", "tests/test_pkg.py"),
    ],
)
def test_a_module_is_tested_under_its_own_name_only_an_init_under_its_package_name(
    module: str, expected: str
) -> None:
    assert matching_test(module, ()) == expected


def test_without_a_tests_folder_a_new_test_module_goes_in_the_first_test_folder_by_name() -> None:
    index = TestIndex.of(("unit/test_a.py", "spec/test_b.py", "test_top.py"))
    assert index.folder == "spec"
    assert matching_test("pkg/c.py", index) == "spec/test_c.py"


def test_a_coverage_config_name_not_known_falls_back_to_pyproject_toml() -> None:
    context = ProjectContext(coverage_config="coverage.ini")
    assert context.partial_branch_advice("if TYPE_CHECKING:  # types") == (
        "type-only branch (never taken at run time): add `partial_also = ['if TYPE_CHECKING:']` "
        "under `[tool.coverage.report]` in `pyproject.toml`; not a test task"
    )


def test_a_module_the_package_imports_by_its_full_dotted_name_on_windows_only_is_windows_only() -> (
    None
):
    files = {
        "src/pkg/backends/__init__.py": (
            "import sys\nif sys.platform == 'win32':\n    import pkg.backends.windows\n"
        )
    }
    context = ProjectContext(read_source=files.get)
    guard = context.import_guard("src/pkg/backends/windows.py")
    assert guard is not None
    assert (guard.kind, guard.whole_module) == ("platform", True)
    assert guard.condition.endswith("in `src/pkg/backends/__init__.py`")
    assert context.import_guard("src/pkg/backends/posix.py") is None
