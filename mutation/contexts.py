"""Regenerate the module → test-files map from one coverage run with per-test contexts."""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

from mutation.testmap import file_of_context


def lines_by_test_file(
    root: Path, data_file: Path, rerun: bool = True
) -> dict[str, dict[str, int]]:
    """Run the whole suite under coverage (test_function contexts) and count, for each module
    of covtasks/, how many of its lines each test file runs.

    Without ``rerun``, an earlier run's data file is read again (the map's rules changed,
    not the tests).
    """
    import coverage
    import pytest

    cov = coverage.Coverage(data_file=str(data_file), config_file=str(root / "pyproject.toml"))
    cov.set_option("run:dynamic_context", "test_function")
    if rerun or not data_file.exists():
        cov.erase()
        cov.start()
        try:
            code = pytest.main(["-q", "-p", "no:cacheprovider", str(root / "tests")])
        finally:
            cov.stop()
            cov.save()
        if code != 0:
            raise RuntimeError(f"the test suite failed (exit {code}); the map needs a green run")
    else:
        cov.load()
    data = cov.get_data()
    result: dict[str, dict[str, int]] = {}
    for measured in sorted(data.measured_files()):
        path = Path(measured).resolve()
        if not path.is_relative_to(root / "covtasks"):
            continue
        counts: Counter[str] = Counter()
        for contexts in data.contexts_by_lineno(measured).values():
            files = {file_of_context(context) for context in contexts}
            counts.update(name for name in files if name is not None)
        if counts:
            result[path.relative_to(root).as_posix()] = dict(counts)
    return defaultdict(dict, result)
