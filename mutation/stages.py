"""The test command cosmic-ray runs per mutant: pytest on each stage of test files in turn.

``python -m mutation.stages A B -- C D`` runs pytest on A and B, and on C and D only if the
first stage passed: most mutants die in a module's own tests, which start fast, so the
slow CLI tests run only against the few mutants that get past them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

PYTEST_OPTIONS = ("-x", "-q", "-p", "no:cacheprovider", "--no-header")
SERVER = "MUTATION_SERVER"  # the fork server's socket, when one runs
TIMEOUT = "MUTATION_TIMEOUT"  # seconds a stage may take in the server
DURATIONS = "MUTATION_DURATIONS"  # a file of each test's time: tests run fastest first
RECORD = "MUTATION_RECORD"  # "1" in the baseline run: write that file instead


def split_stages(arguments: Sequence[str]) -> list[list[str]]:
    """Test files grouped at each ``--``; empty groups dropped."""
    stages: list[list[str]] = [[]]
    for argument in arguments:
        if argument == "--":
            stages.append([])
        else:
            stages[-1].append(argument)
    return [stage for stage in stages if stage]


def main(arguments: Sequence[str], environ: Mapping[str, str] = os.environ) -> int:
    server = environ.get(SERVER, "")
    for stage in split_stages(arguments):
        code = None
        if server and Path(server).exists():
            code = _through_server(Path(server), [*PYTEST_OPTIONS, *stage], environ)
        if code is None:
            code = subprocess.call([sys.executable, "-m", "pytest", *PYTEST_OPTIONS, *stage])
        if code != 0:
            return code
    return 0


def _through_server(server: Path, arguments: list[str], environ: Mapping[str, str]) -> int | None:
    """The stage's exit code from the fork server; None when the server is gone."""
    from mutation.forkserver import request

    timeout = int(environ.get(TIMEOUT, "600"))
    durations = environ.get(DURATIONS, "")
    record = environ.get(RECORD, "") == "1"
    try:
        return request(server, os.getcwd(), arguments, timeout, durations, record)
    except OSError:
        return None  # a failed connection must not pass for a killed mutant


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
