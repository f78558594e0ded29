"""What the spooler needs from a printer, and the shop's one real printer: CUPS ``lp``."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Sequence
from typing import Protocol

Runner = Callable[[Sequence[str]], "subprocess.CompletedProcess[str]"]


class Printer(Protocol):
    """Anything that accepts a file and returns the print system's job id."""

    def submit(self, path: str, copies: int) -> str: ...


def run_command(command: Sequence[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(command), capture_output=True, text=True, check=False)


class LpPrinter:
    """Sends files to CUPS with ``lp``; the command runner is injectable for tests."""

    def __init__(self, destination: str, runner: Runner = run_command) -> None:
        self.destination = destination
        self.runner = runner

    def submit(self, path: str, copies: int) -> str:
        result = self.runner(["lp", "-d", self.destination, "-n", str(copies), path])
        if result.returncode != 0:
            raise RuntimeError(f"lp failed: {result.stderr.strip()}")
        # lp answers "request id is counter-laser-42 (1 file(s))".
        return result.stdout.split()[3]
