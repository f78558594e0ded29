"""The DI/fixture rule table: default rules as data, user hints merged in and checked."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path

from covtasks.config import Hint
from covtasks.errors import ConfigError

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

# Structural rules are matched by code shape rather than by a name the code touches.
STRUCTURAL = (
    "<except>",
    "<raise>",
    "<stub>",
    "<main-guard>",
    "<logic>",
    "<unanalysed>",
    "<thread-local>",
)
# Method rules that need a receiver standing for a file: `formatter.write_text(...)` on an
# in-memory formatter is no file, `config_path.write_text(...)` is.
RECEIVER_TYPED = "filesystem"
_PATHISH_WORDS = ("path", "file", "dir", "folder", "root", "dest", "target", "source", "src")


def pathish(receiver: str) -> bool:
    """Whether a dotted receiver reads as a path: ``pathlib.Path()``, ``config_path``."""
    if receiver.startswith(("pathlib.", "tempfile.")):
        return True
    last = receiver.rsplit(".", 1)[-1].lower()
    return any(word in last for word in _PATHISH_WORDS)


GUARD_PREFIX = "guard:"
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")
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
_NAME_PATTERN = re.compile(r"[A-Za-z_*][A-Za-z0-9_*]*(\.[A-Za-z_*][A-Za-z0-9_*]*)*")
_LITERAL_PATTERN = re.compile(r'"[^"\n]+"')

_FS = "take the path as a parameter; test with real files under `tmp_path`"
_ENV = "pass an environment mapping in (default `os.environ`); test with a dict"
_PROC = "inject a runner callable; test with a fake runner that records the command"
_NET = "inject a client; test with a fake or recorded client"
_CLOCK = "inject a clock (a callable or a date parameter); test with a fixed one"
_RANDOM = "inject a seeded generator (`random.Random(seed)`, `numpy.random.default_rng(seed)`)"
_HARDWARE = "add a CPU pathway chosen by a device parameter; test it on CPU with fixed seeds"
_CLI = "drive it through `main(argv)` with an argument list, or a `CliRunner`"
_WINDOWS_API = (
    "Windows-only API: run the tests on Windows in CI and `coverage combine`; take the calls "
    "as a parameter to test the logic around them anywhere"
)
_STDIO = (
    "pass the stream in (default `sys.stdout`/`sys.stdin`); test with an `io.StringIO` "
    "subclass whose `isatty()` returns True, or a real terminal from `pty.openpty()`"
)
_LAUNCH = (
    "take the launcher as a parameter (default `webbrowser.open`); test with a fake that "
    "records what it opens"
)
_WHICH = (
    'pass the environment in and look up with `shutil.which(name, path=env["PATH"])`; '
    "test with `PATH` set to a `tmp_path` bin folder holding an executable stub"
)
_LOCALE = (
    "pass the encoding or locale in as a parameter; test with explicit values "
    '(`"ascii"`, `"utf-8"`)'
)
_METADATA = (
    "take the lookup as a parameter (default `importlib.metadata.version`); "
    "test with a fake returning a fixed version and one raising `PackageNotFoundError`"
)
_FRAMES = "call it from a helper defined in the test and assert on the frame or object it finds"
_THREADS = (
    "run it in a fresh `threading.Thread` (its thread-locals start empty) and join; "
    "or pass the shared state in"
)
_SIGNALS = (
    "take the handler or the interrupting call as a parameter; test with a fake that raises "
    "`KeyboardInterrupt`"
)

# (match, kind, advice). The first rule matching a name wins, so specific names come
# before wildcards. Patterns: a dotted name where `*` matches any text (dots included),
# a "quoted" string constant, or one of STRUCTURAL.
DEFAULT_RULES: tuple[tuple[str, str, str], ...] = (
    ("torch.cuda*", "hardware", _HARDWARE),
    ("torch.backends.*", "hardware", _HARDWARE),
    ("torch.autocast", "hardware", _HARDWARE),
    ("torch.amp.*", "hardware", _HARDWARE),
    ("torch.device", "hardware", _HARDWARE),
    ('"cuda*"', "hardware", _HARDWARE),
    ('"mps"', "hardware", _HARDWARE),
    ("*.cuda", "hardware", _HARDWARE),
    ("random.*", "randomness", _RANDOM),
    ("numpy.random.*", "randomness", _RANDOM),
    ("torch.manual_seed", "randomness", _RANDOM),
    ("torch.rand*", "randomness", _RANDOM),
    ("torch.normal", "randomness", _RANDOM),
    ("secrets.*", "randomness", _RANDOM),
    ("uuid.uuid4", "randomness", _RANDOM),
    ("os.urandom", "randomness", _RANDOM),
    ("time.time*", "clock", _CLOCK),
    ("time.monotonic*", "clock", _CLOCK),
    ("time.perf_counter*", "clock", _CLOCK),
    ("time.sleep", "clock", _CLOCK),
    ("time.localtime", "clock", _CLOCK),
    ("datetime.datetime.now", "clock", _CLOCK),
    ("datetime.datetime.today", "clock", _CLOCK),
    ("datetime.datetime.utcnow", "clock", _CLOCK),
    ("datetime.date.today", "clock", _CLOCK),
    ("asyncio.sleep", "clock", _CLOCK),
    ("winreg.*", "platform", _WINDOWS_API),
    ("msvcrt.*", "platform", _WINDOWS_API),
    ("_winapi.*", "platform", _WINDOWS_API),
    ("ctypes.windll*", "platform", _WINDOWS_API),
    ("ctypes.WinDLL", "platform", _WINDOWS_API),
    ("ctypes.oledll*", "platform", _WINDOWS_API),
    ('"windll"', "platform", _WINDOWS_API),
    ("webbrowser.*", "launch", _LAUNCH),
    ("os.startfile", "launch", _LAUNCH),
    ("shutil.which", "path-lookup", _WHICH),
    ("sys.stdin*", "stdio", _STDIO),
    ("sys.stdout*", "stdio", _STDIO),
    ("sys.stderr*", "stdio", _STDIO),
    ("sys.__stdin__*", "stdio", _STDIO),
    ("sys.__stdout__*", "stdio", _STDIO),
    ("sys.__stderr__*", "stdio", _STDIO),
    ("os.isatty", "stdio", _STDIO),
    ("*.isatty", "stdio", _STDIO),
    ("isatty", "stdio", _STDIO),
    ("input", "stdio", _STDIO),
    ("getpass.*", "stdio", _STDIO),
    ("termios.*", "stdio", _STDIO),
    ("tty.*", "stdio", _STDIO),
    ("curses.*", "stdio", _STDIO),
    ("shutil.get_terminal_size", "stdio", _STDIO),
    ("os.get_terminal_size", "stdio", _STDIO),
    ('"/dev/tty"', "stdio", _STDIO),
    ('"CONIN$"', "stdio", _STDIO),
    ('"CONOUT$"', "stdio", _STDIO),
    ("threading.*", "threads", _THREADS),
    ("_thread.*", "threads", _THREADS),
    ("concurrent.futures.*", "threads", _THREADS),
    ("signal.*", "signals", _SIGNALS),
    ("KeyboardInterrupt", "signals", _SIGNALS),
    ("locale.*", "locale", _LOCALE),
    ("sys.getfilesystemencoding", "locale", _LOCALE),
    ("sys.getdefaultencoding", "locale", _LOCALE),
    ("sys.flags.utf8_mode", "locale", _LOCALE),
    ("importlib.metadata.*", "metadata", _METADATA),
    ("importlib_metadata.*", "metadata", _METADATA),
    ("pkg_resources.*", "metadata", _METADATA),
    ("inspect.currentframe", "introspection", _FRAMES),
    ("inspect.stack", "introspection", _FRAMES),
    ("inspect.getouterframes", "introspection", _FRAMES),
    ("sys._getframe", "introspection", _FRAMES),
    ("traceback.extract_stack", "introspection", _FRAMES),
    ("urllib.request.*", "network", _NET),
    ("http.client.*", "network", _NET),
    ("requests.*", "network", _NET),
    ("httpx.*", "network", _NET),
    ("aiohttp.*", "network", _NET),
    ("socket.*", "network", _NET),
    ("smtplib.*", "network", _NET),
    ("subprocess.*", "subprocess", _PROC),
    ("asyncio.create_subprocess_*", "subprocess", _PROC),
    ("os.system", "subprocess", _PROC),
    ("os.popen", "subprocess", _PROC),
    ("os.exec*", "subprocess", _PROC),
    ("os.spawn*", "subprocess", _PROC),
    ("os.environ", "environment", _ENV),
    ("os.environb", "environment", _ENV),
    ("os.getenv", "environment", _ENV),
    ("os.putenv", "environment", _ENV),
    ("os.unsetenv", "environment", _ENV),
    ("argparse.*", "cli", _CLI),
    ("typer.*", "cli", _CLI),
    ("click.*", "cli", _CLI),
    ("sys.argv", "cli", _CLI),
    ("*.parse_args", "cli", _CLI),
    ("*.add_argument", "cli", _CLI),
    ("open", "filesystem", _FS),
    ("io.open", "filesystem", _FS),
    ("shutil.*", "filesystem", _FS),
    ("tempfile.*", "filesystem", _FS),
    ("glob.*", "filesystem", _FS),
    ("os.path.exists", "filesystem", _FS),
    ("os.path.isfile", "filesystem", _FS),
    ("os.path.isdir", "filesystem", _FS),
    ("os.path.islink", "filesystem", _FS),
    ("os.path.get*", "filesystem", _FS),
    ("os.listdir", "filesystem", _FS),
    ("os.scandir", "filesystem", _FS),
    ("os.walk", "filesystem", _FS),
    ("os.mkdir", "filesystem", _FS),
    ("os.makedirs", "filesystem", _FS),
    ("os.rmdir", "filesystem", _FS),
    ("os.removedirs", "filesystem", _FS),
    ("os.remove", "filesystem", _FS),
    ("os.unlink", "filesystem", _FS),
    ("os.rename", "filesystem", _FS),
    ("os.replace", "filesystem", _FS),
    ("os.stat", "filesystem", _FS),
    ("os.getcwd", "filesystem", _FS),
    ("os.chdir", "filesystem", _FS),
    ("pathlib.Path.home", "filesystem", _FS),
    ("pathlib.Path.cwd", "filesystem", _FS),
    ("*.read_text", "filesystem", _FS),
    ("*.read_bytes", "filesystem", _FS),
    ("*.write_text", "filesystem", _FS),
    ("*.write_bytes", "filesystem", _FS),
    ("*.mkdir", "filesystem", _FS),
    ("*.unlink", "filesystem", _FS),
    ("*.rmdir", "filesystem", _FS),
    ("*.touch", "filesystem", _FS),
    ("*.exists", "filesystem", _FS),
    ("*.is_file", "filesystem", _FS),
    ("*.is_dir", "filesystem", _FS),
    ("*.iterdir", "filesystem", _FS),
    ("*.glob", "filesystem", _FS),
    ("*.rglob", "filesystem", _FS),
    ("*.open", "filesystem", _FS),
    ("<except>", "error-path", "a fake collaborator that raises it; assert on the handling"),
    ("<raise>", "error-path", "feed the input that triggers it, or a fake collaborator that fails"),
    ("<thread-local>", "threads", _THREADS),
    ("<stub>", "protocol", "a stub: cover it through a concrete implementation, or exclude it"),
    (
        "<main-guard>",
        "main-guard",
        "add it to `[tool.coverage.report] exclude_also` instead of testing it",
    ),
    ("<logic>", "logic", "call it with inputs that reach these lines and branches"),
    (
        "<unanalysed>",
        "unanalysed",
        "no source to analyse (a JSON report without sources, or unparsable): "
        "no seams inferred; read these lines",
    ),
)


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule: what it matches, the kind of seam, and the advice a note gives."""

    match: str
    kind: str
    advice: str

    @property
    def is_literal(self) -> bool:
        return self.match.startswith('"')

    @property
    def is_structural(self) -> bool:
        return self.match.startswith("<")

    @property
    def is_guard(self) -> bool:
        return self.match.startswith(GUARD_PREFIX)

    def matches(self, name: str) -> bool:
        """Whether a dotted name (or a string constant, for literal rules) fits the pattern."""
        pattern = self.match[1:-1] if self.is_literal else self.match
        return fnmatchcase(name, pattern)


@dataclass(frozen=True, slots=True)
class RuleTable:
    """Rules in matching order: user rules first, then the defaults they did not replace.

    Answers are remembered per name: a module touches the same few hundred names thousands
    of times, and trying ~90 glob patterns for each was most of a sync's time.
    """

    rules: tuple[Rule, ...]
    _by_name: dict[str, Rule | None] = field(default_factory=dict, compare=False, repr=False)
    _by_literal: dict[str, Rule | None] = field(default_factory=dict, compare=False, repr=False)

    def for_name(self, name: str) -> Rule | None:
        """The first name rule matching a dotted name the code touches."""
        try:
            return self._by_name[name]
        except KeyError:
            found = next(
                (
                    rule
                    for rule in self.rules
                    if not (rule.is_literal or rule.is_structural or rule.is_guard)
                    and rule.matches(name)
                ),
                None,
            )
            self._by_name[name] = found
            return found

    def for_literal(self, value: str) -> Rule | None:
        """The first literal rule matching a string constant in the code."""
        try:
            return self._by_literal[value]
        except KeyError:
            found = next(
                (rule for rule in self.rules if rule.is_literal and rule.matches(value)), None
            )
            self._by_literal[value] = found
            return found

    def for_guard(self, condition: str) -> Rule | None:
        """The first guard hint naming a name of a block's condition (``IS_WIN``)."""
        words = set(_WORD.findall(condition))
        return next(
            (
                rule
                for rule in self.rules
                if rule.is_guard and rule.match[len(GUARD_PREFIX) :] in words
            ),
            None,
        )

    def rank(self, kind: str) -> int:
        return KIND_RANK[kind]

    def structural(self, key: str) -> Rule:
        """The rule for a code shape (``<except>``, ``<stub>``, ...); always present."""
        return next(rule for rule in self.rules if rule.match == key)


def default_rules() -> RuleTable:
    """The package's own table, with no user hints."""
    return RuleTable(tuple(Rule(match, kind, advice) for match, kind, advice in DEFAULT_RULES))


def pattern_problem(match: str) -> str | None:
    """Why ``match`` is not a usable pattern, or None when it is."""
    if match.startswith("<"):
        return None if match in STRUCTURAL else f"unknown shape; use one of {', '.join(STRUCTURAL)}"
    if match.startswith('"'):
        return None if _LITERAL_PATTERN.fullmatch(match) else 'a literal is one "quoted" string'
    if not _NAME_PATTERN.fullmatch(match):
        return "not a dotted name pattern like `os.environ` or `subprocess.*`"
    if not match.replace("*", "").replace(".", ""):
        return "the pattern matches every name"
    return None


def _hint_problem(hint: Hint, match: str, earlier: Sequence[Rule]) -> str | None:
    if hint.guard is not None:
        problem = None if _WORD.fullmatch(hint.guard) else "a guard is a name like `IS_WIN`"
    else:
        problem = pattern_problem(match)
    known = (*KINDS, *CLASS_KINDS)
    if problem is None and hint.kind is not None and hint.kind not in known:
        problem = f"unknown kind {hint.kind!r}; use one of {', '.join(known)}"
    if problem is None and "\n" in hint.note:
        problem = "the note must be one line"
    if problem is None and any(rule.match == match for rule in earlier):
        problem = "an earlier hint has the same match"
    return problem


def load_rules(hints: Sequence[Hint], origin: Path | str | None = None) -> RuleTable:
    """The default table with ``[[tool.covtasks.hints]]`` merged in.

    A hint whose ``match`` equals a default's replaces it (keeping the default's kind unless
    it names one); every hint is tried before the defaults, so a specific user pattern wins
    over a default wildcard. ``origin`` is the configuration file errors are about.
    """
    defaults = default_rules().rules
    default_kind = {rule.match: rule.kind for rule in defaults}
    user: list[Rule] = []
    for index, hint in enumerate(hints, start=1):
        match = hint.match if hint.guard is None else GUARD_PREFIX + hint.guard
        label = f"match {hint.match!r}" if hint.guard is None else f"guard {hint.guard!r}"
        where = f"[[tool.covtasks.hints]] entry {index} ({label})"
        problem = _hint_problem(hint, match, user)
        if problem is not None:
            raise ConfigError(f"{where}: {problem}", origin)
        kind = CLASS_KINDS.get(hint.kind or "", hint.kind)
        kind = kind or default_kind.get(match, "user")
        user.append(Rule(match, kind, hint.note.strip()))
    replaced = {rule.match for rule in user}
    kept = tuple(rule for rule in defaults if rule.match not in replaced)
    return RuleTable((*user, *kept))
