"""Optional scoreboard sections: the grouped gap analysis and milestone progress."""

from __future__ import annotations

from collections.abc import Callable

from covtasks.config import Config
from covtasks.model import CoverageReport


def gap_groups(config: Config, data: CoverageReport) -> Callable[[], str]:
    """The grouped gap analysis, computed only when asked for (it reads every source)."""

    def render() -> str:
        from covtasks.gaps import render_gap_groups
        from covtasks.notes.analysis import analyse_report
        from covtasks.notes.hints import load_rules
        from covtasks.notes.project import project_context
        from covtasks.sources import ProjectSources

        rules = load_rules(config.hints, config.source)
        read = ProjectSources(config.root).read_text
        notes = analyse_report(data, read, rules, project_context(config.root, read))
        return render_gap_groups(data, notes, config.target)

    return render


def milestone_progress(config: Config, data: CoverageReport) -> Callable[[str], str]:
    """Milestone progress with what remains and who owns it."""

    def render(style: str) -> str:
        from covtasks.milestones import progress, render_progress_markdown, render_progress_text
        from covtasks.owners import resolver_for

        items = progress(data, config.milestones, config.target, resolver_for(config).owner_of)
        return (
            render_progress_markdown(items) if style == "markdown" else render_progress_text(items)
        )

    return render
