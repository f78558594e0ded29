"""The kinds of work a note names, most important first, and what a parameter of each is passed."""

from __future__ import annotations

# Most important first: seams that change a signature come before structural chores, and
# code that cannot run on the measuring machine (guards) comes after the tests to write.
KINDS = (
    "hardware",
    "randomness",
    "clock",
    "network",
    "subprocess",
    "launch",
    "path-lookup",
    "stdio",
    "threads",
    "signals",
    "locale",
    "metadata",
    "introspection",
    "filesystem",
    "environment",
    "cli",
    "user",
    "error-path",
    "protocol",
    "logic",
    "platform",
    "version",
    "optional",
    "type-only",
    "unreachable",
    "main-guard",
    "unanalysed",
)
KIND_RANK = {kind: rank for rank, kind in enumerate(KINDS)}

# A hint's kind may name a module class; it stands for the kind of note that makes it.
CLASS_KINDS = {
    "deterministic": "logic",
    "stochastic": "randomness",
    "hardware-sensitive": "hardware",
    "platform-specific": "platform",
    "optional-dependency": "optional",
}
# What to pass for a seam that is already a parameter of the function, per kind.
FIXTURES = {
    "hardware": "a CPU device",
    "randomness": "a seeded `random.Random(0)`",
    "clock": "a fixed clock",
    "network": "a fake client",
    "subprocess": "a fake runner that records the command",
    "launch": "a fake launcher that records what it opens",
    "path-lookup": "an environment whose `PATH` is a `tmp_path` bin folder",
    "stdio": "an `io.StringIO` (a subclass whose `isatty()` is True for the terminal path)",
    "threads": "a value made in the test's own thread",
    "signals": "a fake that raises `KeyboardInterrupt`",
    "locale": 'an explicit encoding such as `"ascii"`',
    "metadata": "a fake lookup returning a fixed version",
    "introspection": "a frame or object built in the test",
    "filesystem": "a real file under `tmp_path`",
    "environment": "a dict",
    "cli": "an argument list",
}
