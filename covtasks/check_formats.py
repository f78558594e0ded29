"""The check verdict four ways (text, markdown, json, github), all with the same offenders."""

from __future__ import annotations

import json
from collections.abc import Callable

from covtasks.check import CheckResult, Offender
from covtasks.errors import UsageError
from covtasks.escaping import code_span, escape_text, terminal_text
from covtasks.standup import percent_text

FORMATS = ("text", "markdown", "json", "github")


def render_check(result: CheckResult, output_format: str, path_prefix: str = "") -> str:
    """The verdict in ``output_format``; ``path_prefix`` (github) leads from the repository
    root to the project root, since GitHub resolves annotation paths from the repository."""
    if output_format == "github":
        return render_github(result, path_prefix)
    renderers: dict[str, Callable[[CheckResult], str]] = {
        "text": render_text,
        "markdown": render_markdown,
        "json": render_json,
    }
    if output_format not in renderers:
        raise UsageError(f"--format: {output_format!r} is not one of {', '.join(FORMATS)}")
    return renderers[output_format](result)


def _gate_text(result: CheckResult) -> str:
    return "no gate" if result.gate is None else f"gate {result.gate}"


def _branches(offender: Offender) -> str:
    return "-" if offender.branch_percent is None else f"{offender.branch_percent}%"


def summary_line(result: CheckResult) -> str:
    """The one-line verdict every plain-text format ends with."""
    if result.passed:
        return (
            f"covtasks check: ok — {result.checked} modules checked at target "
            f"{result.target:g}%, total {result.total}% ({_gate_text(result)})"
        )
    count = len(result.offenders)
    return (
        f"covtasks check: {count} offender{'s' if count != 1 else ''} "
        f"(target {result.target:g}%, total {result.total}%, {_gate_text(result)})"
    )


# --- text -------------------------------------------------------------------------------


def _terminal(text: str) -> str:
    """Data shown in a terminal or a CI log: control characters become visible escapes."""
    return terminal_text(text)


def render_text(result: CheckResult) -> str:
    """A table of offenders with their missing lines (and those in the change), or an all-clear."""
    if result.passed:
        return summary_line(result) + "\n"
    with_diff = any(offender.in_change is not None for offender in result.offenders)
    header = ["Module", "Lines", "Branches", "Reason", "Missing"]
    if with_diff:
        header.append("In change")
    rows = [header] + [
        [
            _terminal(offender.path),
            f"{offender.line_percent}%",
            _branches(offender),
            offender.reason,
            offender.missing,
            *([offender.in_change or ""] if with_diff else []),
        ]
        for offender in result.offenders
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(len(header))]
    aligned = [str.ljust, str.rjust, str.rjust, str.ljust, str.ljust, str.ljust]
    lines = [
        "  ".join(
            align(cell, width) for align, cell, width in zip(aligned, row, widths, strict=False)
        ).rstrip()
        for row in rows
    ]
    return "\n".join([*lines, summary_line(result)]) + "\n"


def render_messages(result: CheckResult) -> str:
    """Warnings and notes about the data, one line each, for stderr."""
    return "".join(
        [f"warning: {_terminal(text)}\n" for text in result.warnings]
        + [f"note: {_terminal(text)}\n" for text in result.notes]
    )


# --- markdown ---------------------------------------------------------------------------


def _code(text: str) -> str:
    """Every path or data value rendered into markdown goes through this one call."""
    return code_span(text)


def _prose(text: str) -> str:
    """A warning or note (which may quote paths) as markdown text that renders as written."""
    return escape_text(text)


def _coverage_words(offender: Offender) -> str:
    text = f"{offender.line_percent}% lines"
    if offender.branch_percent is not None:
        text += f", {offender.branch_percent}% branches"
    return text


def _offender_item(offender: Offender) -> str:
    item = f"- {_code(offender.path)} — {_coverage_words(offender)} — {offender.reason}"
    if offender.missing:
        item += f"; missing {_code(offender.missing)}"
    if offender.in_change:
        item += f"; in this change {_code(offender.in_change)}"
    return item


def render_markdown(result: CheckResult) -> str:
    """A summary to post as a PR comment: verdict, offenders, regressions, total vs gate,
    changed modules before → after, and what the data warns about."""
    if result.passed:
        verdict = f"### ✅ covtasks check passed — {result.checked} modules at target"
    else:
        count = len(result.offenders)
        verdict = f"### ❌ covtasks check failed — {count} offender{'s' if count != 1 else ''}"
    gate = "no gate" if result.gate is None else f"the gate is {result.gate}%"
    lines = [verdict, "", f"Target {result.target:g}% per module; total {result.total}%, {gate}."]
    if result.offenders:
        lines += ["", "**Offenders**:", ""]
        lines += [_offender_item(offender) for offender in result.offenders]
    regressions = result.regressions
    lines += ["", "**Regressions**: " + ("none." if not regressions else "")]
    if regressions:
        lines += [""] + [_regression_item(offender) for offender in regressions]
    if result.changed:
        lines += ["", "**Changed modules**:", ""]
        for module in result.changed:
            before = "" if module.before is None else f"{module.before} → "
            lines.append(f"- {_code(module.path)}: {before}{module.after}")
    for warning in result.warnings:
        lines += ["", f"> **Warning**: {_prose(warning)}"]
    for note in result.notes:
        lines += ["", f"> {_prose(note)}"]
    return "\n".join(lines) + "\n"


def _regression_item(offender: Offender) -> str:
    """``- `pkg/a.py` (was 100%, last at target 2026-11-20)`` when the ratchet knows."""
    item = f"- {_code(offender.path)}"
    if offender.was is not None:
        item += f" (was {percent_text(offender.was)}"
        item += f", last at target {offender.last_at_target})" if offender.last_at_target else ")"
    return item


# --- json -------------------------------------------------------------------------------


def render_json(result: CheckResult) -> str:
    """The markdown summary's content as data; keys sorted, so the same input, the same bytes."""
    document = {
        "passed": result.passed,
        "checked": result.checked,
        "target": result.target,
        "total": result.total,
        "gate": None if result.gate is None else str(result.gate),
        "offenders": [
            {
                "path": offender.path,
                "reason": offender.reason,
                "regression": offender.regression,
                "line_percent": offender.line_percent,
                "branch_percent": offender.branch_percent,
                "missing": offender.missing,
                "in_change": offender.in_change,
                "first_line": offender.first_line,
                "was": offender.was,
                "last_at_target": offender.last_at_target or None,
            }
            for offender in result.offenders
        ],
        "regressions": [offender.path for offender in result.regressions],
        "changed": [
            {"path": module.path, "before": module.before, "after": module.after}
            for module in result.changed
        ],
        "warnings": list(result.warnings),
        "notes": list(result.notes),
    }
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


# --- github -----------------------------------------------------------------------------


def escape_data(text: str) -> str:
    """GitHub workflow-command escaping for a message."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """GitHub workflow-command escaping for a property value (``file``, ``title``)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(kind: str, message: str, **properties: str) -> str:
    """A workflow command; control characters left after escaping show, never act, in the log."""
    props = ",".join(
        f"{name}={_terminal(escape_property(value))}" for name, value in properties.items()
    )
    return f"::{kind}{' ' + props if props else ''}::{_terminal(escape_data(message))}"


def render_github(result: CheckResult, path_prefix: str = "") -> str:
    """One ``::error`` per offender at its first missing line, ``::warning`` per warning."""
    lines = []
    for offender in result.offenders:
        title = f"covtasks: {offender.reason}"
        if offender.path == "TOTAL":
            lines.append(_command("error", offender.reason, title=title))
            continue
        message = (
            f"{offender.path}: {_coverage_words(offender)} (target {result.target:g}%)"
            + (f"; missing {offender.missing}" if offender.missing else "")
            + (f"; in this change {offender.in_change}" if offender.in_change else "")
        )
        place = {"file": path_prefix + offender.path}
        if offender.first_line is not None:
            place["line"] = str(offender.first_line)
        lines.append(_command("error", message, **place, title=title))
    lines += [_command("warning", warning, title="covtasks") for warning in result.warnings]
    lines += [_command("notice", note, title="covtasks") for note in result.notes]
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"
