"""Coverage badges: shields-style flat SVGs, coloured by thresholds, written only when changed.

Text widths come from a fixed table of character widths (roughly Verdana at 11px), so the
same inputs give the same bytes on every machine without font metrics.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path
from xml.sax.saxutils import escape

from covtasks.errors import ConfigError, TaskFileError
from covtasks.fileio import Stager, stage_file, write_files
from covtasks.history import HistoryRecord
from covtasks.model import CoverageReport
from covtasks.numbers import exact_percent, target_fraction
from covtasks.trend import trend_svg

NAMED_COLOURS = {
    "brightgreen": "#4c1",
    "green": "#97ca00",
    "yellowgreen": "#a4a61d",
    "yellow": "#dfb317",
    "orange": "#fe7d37",
    "red": "#e05d44",
    "blue": "#007ec6",
    "lightgrey": "#9f9f9f",
}
BELOW_ALL = "red"
NO_DATA = "lightgrey"
HEX_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")

# Tenths of a pixel per character; anything not listed counts as a typical lowercase letter.
_WIDTHS = {
    **dict.fromkeys("ijl.,:;!|'", 35),
    **dict.fromkeys("frt()[]- /", 45),
    **dict.fromkeys("0123456789", 70),
    **dict.fromkeys("mwMW", 100),
    **dict.fromkeys("ABCDEFGHIJKLNOPQRSTUVXYZ", 75),
    "%": 120,
}
_DEFAULT_WIDTH = 62
_PADDING = 10


def text_width(text: str) -> int:
    """The drawn width of ``text`` in whole pixels, from the fixed table."""
    tenths = sum(_WIDTHS.get(character, _DEFAULT_WIDTH) for character in text)
    return (tenths + 9) // 10


def colour_hex(colour: str) -> str:
    """A shields colour name or ``#hex`` as the hex the SVG draws; anything else is an error."""
    if colour in NAMED_COLOURS:
        return NAMED_COLOURS[colour]
    if HEX_COLOUR.fullmatch(colour):
        return colour
    known = ", ".join(NAMED_COLOURS)
    raise ConfigError(f"badge colour {colour!r} is neither #hex nor one of {known}")


def colour_for(percent: Fraction, thresholds: Sequence[tuple[float, str]]) -> str:
    """The colour of the highest threshold ``percent`` reaches (exactly); below all → red."""
    for minimum, colour in sorted(thresholds, reverse=True):
        if percent >= target_fraction(minimum):
            return colour
    return BELOW_ALL


def badge_svg(label: str, value_text: str, colour: str) -> str:
    """A flat two-part badge: grey label on the left, coloured value on the right."""
    left = text_width(label) + _PADDING
    right = text_width(value_text) + _PADDING
    width = left + right
    fill = colour_hex(colour)
    label_text = escape(label)
    value = escape(value_text)
    title = escape(f"{label}: {value_text}", {'"': "&quot;"})
    label_x, value_x = f"{left / 2:g}", f"{left + right / 2:g}"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" '
        f'role="img" aria-label="{title}">\n'
        f"  <title>{title}</title>\n"
        '  <linearGradient id="s" x2="0" y2="100%">\n'
        '    <stop offset="0" stop-color="#bbb" stop-opacity=".1"/>\n'
        '    <stop offset="1" stop-opacity=".1"/>\n'
        "  </linearGradient>\n"
        f'  <clipPath id="r"><rect width="{width}" height="20" rx="3" fill="#fff"/></clipPath>\n'
        '  <g clip-path="url(#r)">\n'
        f'    <rect width="{left}" height="20" fill="#555"/>\n'
        f'    <rect x="{left}" width="{right}" height="20" fill="{fill}"/>\n'
        f'    <rect width="{width}" height="20" fill="url(#s)"/>\n'
        "  </g>\n"
        '  <g fill="#fff" text-anchor="middle" '
        'font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">\n'
        f'    <text x="{label_x}" y="15" fill="#010101" fill-opacity=".3">{label_text}</text>\n'
        f'    <text x="{label_x}" y="14">{label_text}</text>\n'
        f'    <text x="{value_x}" y="15" fill="#010101" fill-opacity=".3">{value}</text>\n'
        f'    <text x="{value_x}" y="14">{value}</text>\n'
        "  </g>\n"
        "</svg>\n"
    )


def badges(report: CoverageReport, thresholds: Sequence[tuple[float, str]]) -> dict[str, str]:
    """File name → SVG for the coverage (combined), lines and branches badges."""
    totals = report.totals
    precision = report.precision
    combined = exact_percent(
        totals.covered + totals.covered_branches, totals.statements + totals.branches
    )
    result = {
        "coverage.svg": badge_svg(
            "coverage", f"{totals.combined_display(precision)}%", colour_for(combined, thresholds)
        ),
        "lines.svg": badge_svg(
            "lines",
            f"{totals.line_display(precision)}%",
            colour_for(totals.line_exact(), thresholds),
        ),
    }
    if report.has_branches:
        branch_value = f"{totals.branch_display(precision)}%"
        branch_colour = colour_for(totals.branch_exact(), thresholds)
    else:
        branch_value, branch_colour = "n/a", NO_DATA
    result["branches.svg"] = badge_svg("branches", branch_value, branch_colour)
    return result


def write_badges(
    out_dir: Path,
    report: CoverageReport,
    history: Sequence[HistoryRecord],
    gate: float | None,
    thresholds: Sequence[tuple[float, str]],
    today: dt.date,
    stage: Stager = stage_file,
) -> list[Path]:
    """Write coverage, lines, branches and trend SVGs; return only the files whose bytes changed."""
    pictures = badges(report, thresholds)
    pictures["trend.svg"] = trend_svg(history, report, gate, today)
    written: list[tuple[Path, str]] = []
    for name, svg in pictures.items():
        path = out_dir / name
        try:
            unchanged = path.read_bytes() == svg.encode("utf-8")
        except FileNotFoundError:
            unchanged = False
        except OSError as exc:
            raise TaskFileError(f"cannot read badge: {exc.strerror}", path) from exc
        if not unchanged:
            written.append((path, svg))
    write_files(written, stage)
    return [path for path, _ in written]
