"""Source templates for synthetic modules and the driver calls that exercise them."""

from __future__ import annotations

from dataclasses import dataclass

# Every generated module starts with exactly these lines (only the docstring text varies), so
# a line number measured in the calibration module is valid in every generated module.
HEADER = '''\
"""{doc}"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

LOG_NAME = "{dotted}"
'''
HEADER_LINES = HEADER.count("\n")
BLOCK_GAP = "\n\n"

# The driver runs these first, in the generated project's root, so every call finds the same
# files whatever order the modules run in.
DRIVER_PRELUDE = '''\
"""Calls a deterministic subset of the generated package under `coverage run`."""

import importlib
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, os.getcwd())
Path("bench.cfg").write_text("name = bench\\n# a comment\\n\\nlevel = 3\\n", encoding="utf-8")
Path(".bench-cache").mkdir(exist_ok=True)
Path(".bench-cache/beta.json").write_text(json.dumps([1, 2]), encoding="utf-8")


def _fail():
    raise OSError("busy")

'''


@dataclass(frozen=True)
class Template:
    """One top-level function or class; ``scenarios`` map a name to driver statements."""

    key: str
    names: tuple[str, ...]
    source: str
    scenarios: dict[str, tuple[str, ...]]
    is_class: bool = False

    def render(self, name: str) -> str:
        return self.source.replace("{name}", name)


ENV_FLAG = Template(
    key="env_flag",
    names=("debug_enabled", "feature_flag", "dry_run_requested", "strict_mode", "use_colour"),
    source='''\
def {name}(environ=None):
    """Read an on/off switch from the environment."""
    env = os.environ if environ is None else environ
    value = env.get("APP_DEBUG", "").strip().lower()
    if value in ("1", "true", "yes"):
        return True
    if value in ("0", "false", "no"):
        return False
    return None
''',
    scenarios={
        "some": ("m.{name}({'APP_DEBUG': '1'})",),
        "full": (
            "m.{name}({'APP_DEBUG': 'yes'})",
            "m.{name}({'APP_DEBUG': 'no'})",
            "m.{name}({})",
        ),
    },
)

READ_SETTINGS = Template(
    key="read_settings",
    names=("read_settings", "load_config", "parse_ini", "load_overrides", "read_manifest"),
    source='''\
def {name}(path):
    """Parse a KEY = VALUE file; a missing file means no settings."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise RuntimeError(f"cannot read {path}: {exc}") from exc
    result = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        key, _, value = line.partition("=")
        result[key.strip()] = value.strip()
    return result
''',
    scenarios={
        "some": ("m.{name}('missing.cfg')",),
        "full": ("m.{name}('bench.cfg')", "m.{name}('missing.cfg')", "m.{name}('.')"),
    },
)

RUN_GIT = Template(
    key="run_git",
    names=("git_output", "current_branch", "run_tool", "describe_version", "changed_files"),
    source='''\
def {name}(args, cwd=None):
    """Run git and return its output, or None when git is missing or fails."""
    command = ["git", *args]
    try:
        completed = subprocess.run(
            command, cwd=cwd, capture_output=True, text=True, check=False, timeout=30
        )
    except FileNotFoundError:
        return None
    except subprocess.TimeoutExpired:
        return None
    if completed.returncode != 0:
        return None
    return completed.stdout.strip()
''',
    scenarios={},
)

TALLY = Template(
    key="tally",
    names=("tally", "score_items", "weighted_total", "budget_used", "count_capped"),
    source='''\
def {name}(values, limit=10):
    """Sum distinct values, capping each at ``limit``, halving runaway totals."""
    total = 0
    seen = set()
    for value in values:
        if value in seen:
            continue
        seen.add(value)
        if value > limit:
            total += limit
        elif value < 0:
            total -= 1
        else:
            total += value
    while total > 100:
        total //= 2
    return total
''',
    scenarios={
        "some": ("m.{name}([1, 2, 3])",),
        "full": (
            "m.{name}([1, 2, 3])",
            "m.{name}([5, 5, 50, -3, 7])",
            "m.{name}([50, 60, 70], 100)",
        ),
    },
)

CACHE = Template(
    key="cache",
    names=("DiskCache", "ResultStore", "ArtifactCache", "TokenStore", "SnapshotCache"),
    is_class=True,
    source='''\
class {name}:
    """Keep computed values on disk between runs."""

    def __init__(self, folder, clock=None):
        self.folder = Path(folder)
        self.clock = clock
        self.values = {}

    def get(self, key, default=None):
        if key in self.values:
            return self.values[key]
        path = self.folder / f"{key}.json"
        if not path.exists():
            return default
        with open(path, encoding="utf-8") as handle:
            value = json.load(handle)
        self.values[key] = value
        return value

    def put(self, key, value):
        self.values[key] = value
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with open(self.folder / f"{key}.json", "w", encoding="utf-8") as handle:
                json.dump(value, handle)
        except OSError:
            return False
        return True
''',
    scenarios={
        "some": ("m.{name}('.bench-cache').get('alpha')",),
        "full": (
            "m.{name}('.bench-cache').get('alpha')",
            "m.{name}('.bench-cache').get('beta')",
            "c = m.{name}('.bench-cache')\n    c.put('beta', [1, 2])\n    c.get('beta')",
            "m.{name}('bench.cfg').put('gamma', 1)",
        ),
    },
)

PARSE_RECORD = Template(
    key="parse_record",
    names=("parse_record", "split_row", "read_entry", "decode_line", "parse_csv_row"),
    source='''\
def {name}(line):
    """Turn ``name, size, flag`` into a record, tolerating a bad size or flag."""
    parts = line.split(",")
    if len(parts) < 3:
        raise ValueError(f"expected 3 fields, got {len(parts)}")
    name, size, flag = (part.strip() for part in parts[:3])
    try:
        number = int(size)
    except ValueError:
        number = 0
    if flag not in ("y", "n"):
        flag = "n"
    return {"name": name, "size": number, "enabled": flag == "y"}
''',
    scenarios={
        "some": ("m.{name}('a, 3, y')",),
        "full": ("m.{name}('a, 3, y')", "m.{name}('b, x, q')", "m.{name}('short')"),
    },
)

RETRY = Template(
    key="retry",
    names=("with_retries", "retry_io", "attempt_upload", "call_patiently", "retry_fetch"),
    source='''\
def {name}(action, attempts=3, sleep=None):
    """Call ``action`` until it stops raising OSError, sleeping between attempts."""
    errors = []
    for attempt in range(attempts):
        try:
            return action()
        except OSError as exc:
            errors.append(f"attempt {attempt}: {exc}")
            if sleep is not None:
                sleep(0.1 * (attempt + 1))
    raise RuntimeError("; ".join(errors))
''',
    scenarios={
        "some": ("m.{name}(lambda: 42)",),
        "full": (
            "m.{name}(lambda: 42)",
            "m.{name}(_fail, attempts=2, sleep=lambda seconds: None)",
            "m.{name}(_fail, attempts=1)",
        ),
    },
)

MAIN = Template(
    key="main",
    names=("main", "cli_entry", "run_command", "tool_main", "dispatch"),
    source='''\
def {name}(argv=None):
    """Command-line entry point: ``tool [-v] COMMAND``."""
    args = list(sys.argv[1:] if argv is None else argv)
    verbose = "-v" in args or os.environ.get("APP_VERBOSE") == "1"
    if not args:
        print("usage: tool [-v] COMMAND", file=sys.stderr)
        return 2
    if args[0] == "version":
        output = subprocess.check_output(["git", "describe", "--tags"], text=True)
        print(output.strip())
        return 0
    if verbose:
        print("running", args[0])
    return 0
''',
    scenarios={"some": ("m.{name}(['build'])",)},
)

TEMPLATES = (ENV_FLAG, READ_SETTINGS, RUN_GIT, TALLY, CACHE, PARSE_RECORD, RETRY, MAIN)
# Templates whose "full" scenario reaches 100% line and branch coverage.
COVERABLE = tuple(t for t in TEMPLATES if "full" in t.scenarios)
# "defined": imported but never called. "unimported": the module never ran at all.
DEFINED = "defined"
UNIMPORTED = "unimported"


def scenario_names(template: Template) -> tuple[str, ...]:
    return (DEFINED, *template.scenarios)


def driver_calls(template: Template, scenario: str, name: str) -> list[str]:
    """Driver statements for one block, each guarded so an expected exception is harmless."""
    statements = template.scenarios.get(scenario, ()) if scenario != DEFINED else ()
    return [
        f"try:\n    {statement.replace('{name}', name)}\nexcept Exception:\n    pass"
        for statement in statements
    ]
