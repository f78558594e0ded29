"""Print `name==version` for the declared lower bound of every direct dependency.

`make min-versions` installs exactly these, so the bounds in pyproject.toml stay honest.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

BOUND = re.compile(r"^\s*([A-Za-z0-9_.\-\[\]]+)\s*>=\s*([0-9][0-9A-Za-z.]*)\s*(?:,.*)?$")


def main() -> int:
    project = tomllib.loads(Path("pyproject.toml").read_text(encoding="utf-8"))["project"]
    for requirement in project["dependencies"]:
        found = BOUND.match(requirement)
        if found is None:
            print(f"no lower bound in {requirement!r}", file=sys.stderr)
            return 2
        print(f"{found[1]}=={found[2]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
