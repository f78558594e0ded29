"""Human-written task-file content in the team's style (DESIGN §2), deterministic per seed."""

from __future__ import annotations

import random

AREAS = (
    "ingest", "billing", "search", "catalog", "reports", "auth", "scheduler", "exports",
    "notifications", "storage", "pricing", "geo", "audit", "webhooks", "metrics", "imports",
)  # fmt: skip
VERBS = (
    "Split", "Harden", "Document", "Retire", "Speed up", "Untangle", "Stabilise", "Measure",
    "Simplify", "Rename", "Cache", "Validate", "Migrate", "Parallelise", "Audit", "Replace",
)  # fmt: skip
THINGS = (
    "the settings loader", "retry handling", "the CSV reader", "flaky fixtures",
    "the nightly export", "the HTTP client wrapper", "date parsing", "the plugin registry",
    "temporary-file cleanup", "error messages", "the CLI entry point", "logging setup",
    "the queue consumer", "cache invalidation", "path handling on Windows", "the schema check",
)  # fmt: skip
SENTENCES = (
    "Keep the public API unchanged while the internals move.",
    "Inject the clock and the environment mapping instead of reading globals.",
    "Today the code reaches for `os.environ` in three places; pass a mapping in from `main()`.",
    "The fixture builds a temporary project with real files, no mocks.",
    "Property tests cover the round trip; the example tests pin the odd cases.",
    "Reviewers asked for smaller commits, so this lands in two pull requests.",
    "CI runs this on Linux and macOS; Windows paths need a second look.",
    "Measure before and after with `make bench` and note the numbers in the PR.",
    "The old behaviour stays behind a flag for one release.",
    "Ownership moved to the platform team last sprint.",
)
STATUSES = ("Open", "In progress", "Completed", "Deferred")
PEOPLE = ("alice", "bob", "chen", "dana", "eve", "farid", "gita", "hugo")


def _id(rng: random.Random) -> str:
    day = f"2025-{rng.randint(1, 9):02d}-{rng.randint(1, 28):02d}"
    tail = rng.choice((f"PR{rng.randint(1, 999)}", "PR??", rng.choice(AREAS) + "-cleanup"))
    return f"tv-{day}:{tail}"


def _paragraph(rng: random.Random, width: int = 92) -> list[str]:
    words = " ".join(rng.sample(SENTENCES, 3)).split()
    lines, current = [], ""
    for word in words:
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    return [*lines, current]


def human_entry(rng: random.Random) -> list[str]:
    """One hand-written task entry: heading, bullet fields, nested lists, continuations."""
    status = rng.choice(STATUSES)
    title = f"{rng.choice(VERBS)} {rng.choice(THINGS)} in `{rng.choice(AREAS)}`"
    summary = _paragraph(rng)
    lines = [f"### {status} · {_id(rng)} · {title}", "", f"- **Summary**: {summary[0]}"]
    lines += [f"  {line}" for line in summary[1:]]
    lines += [
        f"- **Priority**: P{rng.randint(0, 3)}",
        f"- **Size**: {rng.choice(('XS', 'S', 'M', 'L'))}",
        f"- **Owner**: {rng.choice(PEOPLE)}",
        "- **Dependencies**: " + rng.choice(("None.", f"{_id(rng)} lands first.")),
        "- **Next steps**:",
    ]
    same_number = rng.random() < 0.5
    for step in range(1, rng.randint(2, 5) + 1):
        lines.append(f"  {1 if same_number else step}. {rng.choice(SENTENCES)}")
    if rng.random() < 0.4:
        lines += ["- **Notes**:", f"  - {rng.choice(SENTENCES)}", f"    {rng.choice(SENTENCES)}"]
    lines.append("- **Validation**: `make quality`; `pytest tests/unit -q`.")
    return lines


TEMPLATE_BLOCK = """\
<!-- markdownlint-disable MD033 -->

<details>
<summary>{kind} task template (copy when filing)</summary>

```markdown
## {kind} · tv-YYYY-MM-DD:PR### · <Short title>

- **Summary**: One or two sentences of goal and scope.
- **Priority**: P0/P1/P2/P3.
- **Size**: XS/S/M/L.
- **Next steps**: Ordered sub-tasks.
- **Validation**: Commands to run before pushing.
```

</details>
<!-- markdownlint-enable MD033 -->"""

UMBRELLA = """\
### Open · tv-2025-09-20:PR?? · Coverage roadmap towards ~100%

- **Summary**: Bring every module of `pkg` to 100% line and branch coverage with
  deterministic, mock-free tests.
- **Size**: L
- **Next steps**:
  1. Publish a per-module scoreboard and file a task for each gap.
  1. Raise the pre-commit gate 87% → 95% → 99% → 100% as milestones complete.
- **Latest snapshot (2025-09-27)**:
  - Global coverage **71.40%** (`make coverage-report`).
  - Pre-commit gate at `--fail-under=87.00`.
- **Completed modules (100% coverage)**:
  - ✅ `pkg/ingest/readers/mod_0001.py` (88.00% → 100%)
- **Significantly improved modules**:
  - ⬆️ `pkg/billing/core/mod_0002.py` (52.10% → 64.30%, +12.20%)"""


def human_task_file(seed: int, target_bytes: int = 200_000) -> str:
    """A task file of about ``target_bytes`` with every feature DESIGN §2 lists."""
    rng = random.Random(f"human:{seed}")
    out = [
        "# tv-tasks",
        "",
        "Prioritized infrastructure and quality work for the `pkg` monorepo. Entries stay short",
        "and reviewable; run `make quality` before every push.",
        "",
        "> **Identifier policy**: log a task with the ID `tv-YYYY-MM-DD:PR###` once its pull",
        "> request exists; before that, use `PR??` or a short slug.",
        "",
        "## Open tasks (updated 2025-09-28)",
        "",
        TEMPLATE_BLOCK.format(kind="Open"),
        "",
        UMBRELLA,
        "",
    ]
    size = sum(len(line) + 1 for line in out)
    deferred_at = target_bytes * 3 // 4
    deferred = False
    while size < target_bytes:
        if not deferred and size > deferred_at:
            block = [
                "## Deferred tasks (updated 2025-09-20)",
                "",
                TEMPLATE_BLOCK.format(kind="Deferred"),
                "",
            ]
            deferred = True
        elif rng.random() < 0.05:
            block = ["### Mandatory workflow for this area", "", *_paragraph(rng), ""]
        elif rng.random() < 0.04:
            block = [rng.choice(("---", "_" * 70)), ""]
        else:
            block = [*human_entry(rng), ""]
        out += block
        size += sum(len(line) + 1 for line in block)
    out += [
        "_" * 70,
        "",
        "## Notes",
        "",
        "- `make quality` runs ruff, mypy and the unit + property suites with coverage.",
        "- Tests never mock; inject clocks, paths and runners instead.",
        "",
        "---",
        "",
        "## Working agreements",
        "",
        "### Every change",
        "",
        "- Branch from `main`, keep each commit under 200 touched lines, pair code with tests.",
        "- Never bypass hooks.",
    ]
    return "\n".join(out) + "\n"
