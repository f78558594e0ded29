"""A pytest fork server: imports pytest and the project's dependencies once, forks per test run.

Starting pytest costs most of a killed mutant's time (importing pytest, Hypothesis, typer,
rich, markdown-it, coverage). The server imports them once; each request forks a child that
runs ``pytest.main`` in the requested folder, so the mutated module (never imported by the
server) is read fresh from disk. POSIX only; without it ``mutation.stages`` starts pytest.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import sys
from pathlib import Path
from typing import Any

MAX_EXAMPLES = 40  # per property test against a mutant
# Imported once in the server; everything under covtasks/ and tests/ is left to the child.
PRELOAD = (
    "pytest",
    "_pytest.python",
    "_pytest.fixtures",
    "hypothesis",
    "hypothesis.extra._patching",
    "_hypothesis_pytestplugin",
    "markdown_it",
    "typer",
    "typer.testing",
    "click",
    "rich.console",
    "coverage",
    "tomlkit",
    "pathspec",
    "frontmatter",
    "yaml",
    "mdformat",
)


def serve(path: Path) -> None:
    """Accept requests until killed: one JSON line in, the exit code as one line out."""
    import importlib

    for name in PRELOAD:
        with contextlib.suppress(ImportError):  # an optional one missing only costs time
            importlib.import_module(name)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
    path.unlink(missing_ok=True)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen(16)
    while True:
        connection, _ = server.accept()
        if os.fork() == 0:
            server.close()
            _child(connection)
        connection.close()


def _child(connection: socket.socket) -> None:
    code = 3
    request_cwd = "."
    try:
        request = json.loads(connection.makefile("r", encoding="utf-8").readline())
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.alarm(int(request["timeout"]))  # a mutant that loops ends here
        request_cwd = request["cwd"]
        os.chdir(request_cwd)
        sys.path.insert(0, request["cwd"])
        sys.dont_write_bytecode = True
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        import pytest
        from hypothesis import Phase, settings

        _cap_examples(settings, MAX_EXAMPLES)

        # A failing property test would shrink its example: a mutant needs no minimal one.
        settings.register_profile(
            "mutate",
            derandomize=True,
            deadline=None,
            max_examples=MAX_EXAMPLES,
            phases=(Phase.explicit, Phase.reuse, Phase.generate),
        )
        # The preloaded Hypothesis plugin cannot be assertion-rewritten; it never needs to be.
        options = ["-W", "ignore::pytest.PytestAssertRewriteWarning"]
        options.append("--hypothesis-profile=mutate")
        durations = request.get("durations", "")
        plugins = [FastestFirst(Path(durations), request.get("record", False))] if durations else []
        if plugins and not plugins[0].recording:
            # A mutant stuck in a loop is killed at three times the stage's unmutated time,
            # not at the whole run's timeout: loops are common among mutants of parsers.
            expected = plugins[0].expected(request["args"])
            signal.alarm(min(int(request["timeout"]), int(3 * expected) + 15))
        code = int(pytest.main([*options, *request["args"]], plugins=plugins))
    except BaseException:  # the reason goes to the server's stderr, the code says "broken"
        import traceback

        with open(os.path.join(request_cwd, "forkserver-errors.log"), "a") as log:
            traceback.print_exc(file=log)
        raise
    finally:
        try:
            connection.sendall(f"{code}\n".encode())
        finally:
            os._exit(code)


class FastestFirst:
    """A pytest plugin: the first run records each test's time, later runs go fastest first.

    With ``-x`` a mutant's run stops at its first failing test, so a killed mutant costs
    about as much as the fastest test that notices it.
    """

    def __init__(self, path: Path, recording: bool) -> None:
        self.path = path
        self.recording = recording or not path.exists()
        self.seconds: dict[str, float] = (
            {} if self.recording else json.loads(path.read_text(encoding="utf-8"))
        )

    def expected(self, arguments: list[str]) -> float:
        """Seconds the unmutated run spent in the test files named in ``arguments``."""
        files = set(arguments)
        return sum(
            seconds for nodeid, seconds in self.seconds.items() if nodeid.split("::")[0] in files
        )

    def pytest_collection_modifyitems(self, items: list[Any]) -> None:
        if not self.recording:
            items.sort(key=lambda item: self.seconds.get(item.nodeid, 0.0))

    def pytest_runtest_logreport(self, report: Any) -> None:
        if self.recording:
            self.seconds[report.nodeid] = self.seconds.get(report.nodeid, 0.0) + report.duration

    def pytest_sessionfinish(self) -> None:
        if self.recording:
            known = json.loads(self.path.read_text(encoding="utf-8")) if self.path.exists() else {}
            self.path.write_text(json.dumps(known | self.seconds), encoding="utf-8")


def _cap_examples(settings: Any, cap: int) -> None:
    """Property tests run at most ``cap`` examples against a mutant, whatever they ask for.

    A tool's own choice, made in the forked child only: kills can only get fewer, so a
    score is never flattered, and a survivor that only a long property run would catch is
    a sign to write an example test for it.
    """
    original = settings.__init__

    def capped(self: Any, parent: Any = None, **options: Any) -> None:
        if isinstance(options.get("max_examples"), int):
            options["max_examples"] = min(options["max_examples"], cap)
        original(self, parent, **options)

    settings.__init__ = capped


def request(
    path: Path, cwd: str, args: list[str], timeout: int, durations: str = "", record: bool = False
) -> int:
    """Run pytest with ``args`` in ``cwd`` through the server; its exit code (1 if it died).

    With ``durations``, a file of each test's seconds: ``record`` writes it, else the tests
    run fastest first.
    """
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        client.connect(str(path))
        message = {
            "cwd": cwd,
            "args": args,
            "timeout": timeout,
            "durations": durations,
            "record": record,
        }
        client.sendall(json.dumps(message).encode() + b"\n")
        answer = client.makefile("r", encoding="utf-8").readline().strip()
    return int(answer) if answer.isdigit() else 1


if __name__ == "__main__":
    serve(Path(sys.argv[1]))
