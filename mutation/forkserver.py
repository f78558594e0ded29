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

        # The preloaded Hypothesis plugin cannot be assertion-rewritten; it never needs to be.
        quiet = ["-W", "ignore::pytest.PytestAssertRewriteWarning"]
        code = int(pytest.main([*quiet, *request["args"]]))
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


def request(path: Path, cwd: str, args: list[str], timeout: int) -> int:
    """Run pytest with ``args`` in ``cwd`` through the server; its exit code (1 if it died)."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        client.connect(str(path))
        message = {"cwd": cwd, "args": args, "timeout": timeout}
        client.sendall(json.dumps(message).encode() + b"\n")
        answer = client.makefile("r", encoding="utf-8").readline().strip()
    return int(answer) if answer.isdigit() else 1


if __name__ == "__main__":
    serve(Path(sys.argv[1]))
