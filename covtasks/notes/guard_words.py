"""Guard vocabulary: names reading the platform or Python version, and the system a value names."""

from __future__ import annotations

import ast

TYPE_CHECKING_NAMES = frozenset(
    {"typing.TYPE_CHECKING", "typing_extensions.TYPE_CHECKING", "TYPE_CHECKING"}
)
PLATFORM_SUBJECTS = frozenset(
    {"sys.platform", "os.name", "platform.system()", "platform.platform()", "sys.getwindowsversion"}
)
VERSION_SUBJECTS = frozenset(
    {
        "sys.version_info",
        "sys.version_info[]",
        "sys.version_info.major",
        "sys.version_info.minor",
        "sys.version",
        "sys.implementation.name",
        "platform.python_implementation()",
        "platform.python_version()",
    }
)
# `sys.platform` values (prefixes) and the system a reader knows them by.
OS_WORDS = (
    ("cygwin", "Cygwin"),
    ("msys", "MSYS"),
    ("win", "Windows"),
    ("nt", "Windows"),
    ("darwin", "macOS"),
    ("linux", "Linux"),
    ("freebsd", "FreeBSD"),
    ("openbsd", "OpenBSD"),
    ("aix", "AIX"),
    ("sunos", "Solaris"),
    ("emscripten", "Emscripten"),
    ("wasi", "WASI"),
    ("java", "Jython"),
    ("os2", "OS/2"),
    ("posix", "POSIX systems"),
    ("ios", "iOS"),
    ("android", "Android"),
)
# Modules that import on one system only: code needing them is platform code.
PLATFORM_MODULES = {
    "winreg": "Windows",
    "msvcrt": "Windows",
    "_winapi": "Windows",
    "winsound": "Windows",
    "jnius": "Android",
    "android": "Android",
    "termios": "POSIX systems",
    "fcntl": "POSIX systems",
    "pwd": "POSIX systems",
    "grp": "POSIX systems",
    "AppKit": "macOS",
    "Foundation": "macOS",
}


def os_word(node: ast.expr) -> str:
    values = node.elts if isinstance(node, ast.Tuple | ast.List | ast.Set) else [node]
    words: list[str] = []
    for value in values:
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            text = value.value.lower()
            word = next((w for prefix, w in OS_WORDS if text.startswith(prefix)), "")
            if word and word not in words:
                words.append(word)
    return " or ".join(words)
