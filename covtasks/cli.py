"""The typer command line: parse options, call one core function, turn errors into exit codes."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from covtasks import __version__
from covtasks.errors import CovtasksError, UsageError

if TYPE_CHECKING:
    from covtasks.config import Config
    from covtasks.model import CoverageReport
    from covtasks.progress_display import Progress

app = typer.Typer(
    name="covtasks",
    help="Keep a coverage roadmap true: scoreboard, task entries, gates and stand-ups.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

CoverageOption = Annotated[
    str | None,
    typer.Option(
        "--coverage",
        metavar="PATH",
        help="Coverage data: SQLite data, a `coverage json` or a Cobertura XML report (sniffed).",
        show_default=False,
    ),
]
DateOption = Annotated[
    str | None,
    typer.Option(
        "--date",
        metavar="YYYY-MM-DD",
        help="The day to act as (YYYY-MM-DD); default SOURCE_DATE_EPOCH or today.",
        show_default=False,
    ),
]


@dataclass(frozen=True)
class Shell:
    """What every command needs from the outside world, read once at start."""

    directory: Path
    config_path: Path | None
    environ: dict[str, str]

    def config(self) -> Config:
        from covtasks.config import load_config

        return load_config(self.directory, self.config_path)

    def progress(self) -> Progress:
        """Progress of long work, drawn on stderr when it is a terminal outside CI."""
        from covtasks.progress_display import TerminalProgress

        return TerminalProgress(sys.stderr, sys.stderr.isatty, self.environ)

    def coverage(self, config: Config, option: str | None) -> CoverageReport:
        from covtasks.coverage_data import read_coverage

        # An option is relative to where the command runs; the setting, to the project root.
        explicit = config.coverage if option is None else str((self.directory / option).resolve())
        return read_coverage(config.root, explicit, self.environ, config.precision, self.progress())


@contextmanager
def translated_errors() -> Iterator[None]:
    """The one place a CovtasksError becomes a one-line message and an exit code."""
    try:
        yield
    except CovtasksError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(exc.exit_code) from None


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"covtasks {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    directory: Annotated[
        Path,
        typer.Option("-C", "--directory", metavar="DIR", help="Run as if started in this folder."),
    ] = Path(),
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            metavar="PATH",
            help="Read [tool.covtasks] from this file instead of the nearest pyproject.toml.",
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Print the version and exit.", callback=_print_version, is_eager=True
        ),
    ] = False,
) -> None:
    """Keep a coverage roadmap true: scoreboard, task entries, gates and stand-ups."""
    from covtasks.errors import UsageError

    folder = directory.resolve()
    with translated_errors():
        if not folder.exists():
            raise UsageError("-C/--directory: no such folder", directory)
        if not folder.is_dir():
            raise UsageError("-C/--directory: not a folder", directory)
    config_path = None if config is None else (folder / config).resolve()
    ctx.obj = Shell(folder, config_path, dict(os.environ))


def _shell(ctx: typer.Context) -> Shell:
    shell = ctx.obj
    assert isinstance(shell, Shell)
    return shell


@dataclass(frozen=True)
class Loaded:
    """What most commands start from: settings, the day, and the coverage data."""

    config: Config
    today: dt.date
    data: CoverageReport


def _load(
    ctx: typer.Context, coverage: str | None, date: str | None = None, *, warn: bool = True
) -> Loaded:
    """Settings first, then the date, then coverage, so errors come in that order.

    ``warn``: say on stderr when measured files lie outside the project root (check says it
    in its own output instead).
    """
    from covtasks.coverage_data import outside_root_warning
    from covtasks.dates import resolve_date

    shell = _shell(ctx)
    config = shell.config()
    today = resolve_date(date, shell.environ)
    data = shell.coverage(config, coverage)
    warning = outside_root_warning(data) if warn else None
    if warning:
        typer.echo(f"warning: {warning}", err=True)
    return Loaded(config, today, data)


@app.command()
def report(
    ctx: typer.Context,
    coverage: CoverageOption = None,
    output_format: Annotated[
        str,
        typer.Option("--format", metavar="FORMAT", help="Output format: table, markdown or json."),
    ] = "table",
    below: Annotated[
        float | None,
        typer.Option(
            "--below",
            metavar="PCT",
            help="Show modules below this percent (default: below target).",
            show_default=False,
        ),
    ] = None,
    show_all: Annotated[bool, typer.Option("--all", help="Show every measured module.")] = False,
    sort: Annotated[
        str,
        typer.Option(
            "--sort", metavar="KEY", help="Order by cover (lowest first), name or missing."
        ),
    ] = "cover",
    group: Annotated[
        bool,
        typer.Option(
            "--group",
            help="With --format markdown: a gap analysis grouped by impact and determinism.",
        ),
    ] = False,
    precision: Annotated[
        int | None,
        typer.Option(
            "--precision",
            metavar="N",
            help="Decimals in percentages (default: [tool.covtasks] precision, coverage.py's, 2).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Print the per-module scoreboard: line, branch and combined coverage per module."""
    from covtasks.config import MAX_PRECISION
    from covtasks.report import render_report
    from covtasks.report_sections import gap_groups, milestone_progress

    with translated_errors():
        if precision is not None and not 0 <= precision <= MAX_PRECISION:
            raise UsageError(f"--precision must be from 0 to {MAX_PRECISION}, not {precision}")
        loaded = _load(ctx, coverage)
        config, data = loaded.config, loaded.data
        if precision is not None:
            data = replace(data, precision=precision)
        render_report(
            data,
            target=config.target,
            output_format=output_format,
            below=below,
            show_all=show_all,
            sort=sort,
            out=sys.stdout,
            groups=gap_groups(config, data) if group else None,
            milestones=milestone_progress(config, data) if config.milestones else None,
        )


@app.command()
def sync(
    ctx: typer.Context,
    coverage: CoverageOption = None,
    tasks: Annotated[
        str | None,
        typer.Option(
            "--tasks",
            metavar="PATH",
            help="The task file (default: [tool.covtasks] tasks, .ldres/tv-tasks.md).",
            show_default=False,
        ),
    ] = None,
    date: DateOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change; write nothing.")
    ] = False,
    diff: Annotated[
        bool, typer.Option("--diff", help="Print the change as a unified diff.")
    ] = False,
    check: Annotated[
        bool,
        typer.Option("--check", help="Write nothing; exit 1 when the task file is out of date."),
    ] = False,
    force: Annotated[
        bool,
        typer.Option("--force", help="Also rewrite files that are read-only (no write bit)."),
    ] = False,
) -> None:
    """Create and update one task entry per module below target in the task file."""
    from covtasks.tasks_file import SyncOptions, run_sync

    with translated_errors():
        loaded = _load(ctx, coverage, date)
        options = SyncOptions(
            dry_run=dry_run, diff=diff or dry_run, check=check, tasks=tasks, force=force
        )
        code = run_sync(
            loaded.config,
            loaded.data,
            loaded.today,
            options,
            sys.stdout,
            sys.stderr,
            progress=_shell(ctx).progress(),
        )
    raise typer.Exit(code)


@app.command()
def gate(
    ctx: typer.Context,
    coverage: CoverageOption = None,
    date: DateOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the change as a diff; write nothing.")
    ] = False,
    ratchet: Annotated[
        bool,
        typer.Option("--ratchet", help="Also raise the gate to the total minus ratchet_buffer."),
    ] = False,
) -> None:
    """Raise the coverage gates (--fail-under) as milestones complete; never lower them."""
    from covtasks.enforce import run_gate

    with translated_errors():
        loaded = _load(ctx, coverage, date)
        code = run_gate(
            loaded.config,
            loaded.data,
            loaded.today,
            dry_run=dry_run,
            ratchet=ratchet,
            out=sys.stdout,
            err=sys.stderr,
        )
    raise typer.Exit(code)


@app.command()
def check(
    ctx: typer.Context,
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[PATH]...",
            help="Judge only these modules (files, folders, or globs over root-relative paths).",
            show_default=False,
        ),
    ] = None,
    coverage: CoverageOption = None,
    base: Annotated[
        str | None,
        typer.Option(
            "--base",
            metavar="REF",
            help="Check modules changed since the merge-base with this git ref.",
            show_default=False,
        ),
    ] = None,
    staged: Annotated[
        bool, typer.Option("--staged", help="Check the modules staged for commit (pre-commit).")
    ] = False,
    diff_lines: Annotated[
        bool,
        typer.Option(
            "--diff-lines",
            help="With --base or --staged: pass when every changed line is covered, "
            "whatever the module's total (gradual mode).",
        ),
    ] = False,
    output_format: Annotated[
        str,
        typer.Option(
            "--format", metavar="FORMAT", help="Output format: text, markdown, json or github."
        ),
    ] = "text",
) -> None:
    """Fail when a named or changed module misses target, a Completed one regressed, or the
    total is under the gate."""
    from covtasks.check_command import CheckRequest, run_merge_check

    shell = _shell(ctx)
    with translated_errors():
        request = CheckRequest(
            shell.directory, tuple(paths or ()), base, staged, diff_lines, output_format
        )
        request.validate()
        loaded = _load(ctx, coverage, warn=False)
        code = run_merge_check(
            loaded.config,
            loaded.data,
            request,
            out=sys.stdout,
            err=sys.stderr,
            environ=shell.environ,
        )
    raise typer.Exit(code)


@app.command()
def standup(
    ctx: typer.Context,
    coverage: CoverageOption = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="YYYY-MM-DD",
            help="Compare with this date (default: the previous sync).",
            show_default=False,
        ),
    ] = None,
    date: DateOption = None,
    output_format: Annotated[
        str, typer.Option("--format", metavar="FORMAT", help="Output format: markdown or json.")
    ] = "markdown",
) -> None:
    """Prepare the stand-up: completed, improved, regressed, and what is next for whom."""
    from covtasks.dates import parse_date
    from covtasks.standup_badge_commands import run_standup

    with translated_errors():
        start = None if since is None else parse_date(since, "--since")
        loaded = _load(ctx, coverage, date)
        run_standup(loaded.config, loaded.data, loaded.today, start, output_format, sys.stdout)


@app.command()
def badge(
    ctx: typer.Context,
    coverage: CoverageOption = None,
    out: Annotated[
        str | None,
        typer.Option(
            "--out",
            metavar="DIR",
            help="Folder for the SVGs (default: [tool.covtasks] badges).",
            show_default=False,
        ),
    ] = None,
    date: DateOption = None,
) -> None:
    """Write coverage, line and branch badges and a trend picture as SVG files."""
    from covtasks.standup_badge_commands import run_badges

    with translated_errors():
        loaded = _load(ctx, coverage, date)
        run_badges(loaded.config, loaded.data, loaded.today, out, sys.stdout)


@app.command()
def init(
    ctx: typer.Context,
    target: Annotated[
        float,
        typer.Option("--target", metavar="PCT", help="Coverage target percent for every module."),
    ] = 100.0,
    owner: Annotated[
        str,
        typer.Option(
            "--owner", metavar="NAME", help="Owner for entries no rule or CODEOWNERS assigns."
        ),
    ] = "tv",
    date: DateOption = None,
) -> None:
    """Add a [tool.covtasks] table to pyproject.toml and create the task file."""
    from covtasks.dates import resolve_date
    from covtasks.init import init_project

    shell = _shell(ctx)
    with translated_errors():
        today = resolve_date(date, shell.environ)
        for line in init_project(shell.directory, today, target, owner):
            typer.echo(line)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    app(args=argv, prog_name="covtasks")
