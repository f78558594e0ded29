"""The default rules as data: the names, literals and code shapes that mean a seam, with advice."""

from __future__ import annotations

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
    ("os.open", "filesystem", _FS),
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
