"""The trend picture: total line and branch coverage per sync date, the gate as a step line.

One point per date (the day's last sync, with the current report as today's point), x spaced
by calendar days, y from a round number below the lowest value up to 100%. Coordinates are
written with two decimals, so the same inputs give the same bytes everywhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from covtasks.history import HistoryRecord, record_at, sync_dates
from covtasks.model import Counts, CoverageReport

WIDTH, HEIGHT = 560, 280
LEFT, RIGHT, TOP, BOTTOM = 56, 410, 36, 240
LINE_COLOUR, BRANCH_COLOUR, GATE_COLOUR = "#007ec6", "#2a9d4b", "#e05d44"


@dataclass(frozen=True, slots=True)
class TrendPoint:
    """One date's totals as displayed, and the gate in force then."""

    date: dt.date
    lines: str
    branches: str | None
    gate: float | None


def trend_points(
    history: Sequence[HistoryRecord], report: CoverageReport, gate: float | None, today: dt.date
) -> list[TrendPoint]:
    """The history's dates before ``today``, then today's point from the current report."""
    precision = report.precision
    points = [
        _point(day, record.totals, record.gate, precision)
        for day in sync_dates(history)
        if day < today and (record := record_at(history, day)) is not None
    ]
    current = _point(today, report.totals, gate, precision)
    if not report.has_branches:
        current = TrendPoint(today, current.lines, None, gate)
    return [*points, current]


def _point(day: dt.date, totals: Counts, gate: float | None, precision: int) -> TrendPoint:
    branches = totals.branch_display(precision) if totals.branches else None
    return TrendPoint(day, totals.line_display(precision), branches, gate)


def _number(value: float) -> str:
    return f"{value:.2f}"


def trend_svg(
    history: Sequence[HistoryRecord],
    report: CoverageReport,
    gate: float | None,
    today: dt.date,
) -> str:
    """The whole picture as SVG text: axes, grid, two series, the gate and a legend."""
    points = trend_points(history, report, gate, today)
    values = [float(p.lines) for p in points]
    values += [float(p.branches) for p in points if p.branches is not None]
    values += [p.gate for p in points if p.gate is not None]
    floor = min(90, int(min(values)) // 10 * 10)
    step = 10 if 100 - floor <= 50 else 20

    def y(value: float) -> str:
        return _number(BOTTOM - (value - floor) / (100 - floor) * (BOTTOM - TOP))

    first, last = points[0].date, points[-1].date
    span = (last - first).days

    def x(day: dt.date) -> str:
        if span == 0:
            return _number((LEFT + RIGHT) / 2)
        return _number(LEFT + (day - first).days / span * (RIGHT - LEFT))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="Coverage trend">',
        '<rect width="100%" height="100%" fill="#fff"/>',
        '<g font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11" fill="#333">',
        f'<text x="{LEFT}" y="20" font-size="13" font-weight="bold">Coverage trend</text>',
    ]
    for tick in range(floor, 101, step):
        parts.append(
            f'<line x1="{LEFT}" y1="{y(tick)}" x2="{RIGHT}" y2="{y(tick)}" stroke="#e5e5e5"/>'
        )
        parts.append(f'<text x="{LEFT - 6}" y="{y(tick)}" dy="4" text-anchor="end">{tick}%</text>')
    parts.append(f'<path d="M{LEFT} {TOP} V{BOTTOM} H{RIGHT}" fill="none" stroke="#333"/>')
    labels = [(first, "middle")] if span == 0 else [(first, "start"), (last, "end")]
    for day, anchor in labels:
        parts.append(
            f'<text x="{x(day)}" y="{BOTTOM + 18}" text-anchor="{anchor}">{day.isoformat()}</text>'
        )
    parts.append(
        f'<text x="{(LEFT + RIGHT) // 2}" y="{BOTTOM + 34}" text-anchor="middle">sync date</text>'
    )
    series: list[tuple[str, str, list[tuple[dt.date, str]]]] = [
        ("lines", LINE_COLOUR, [(p.date, p.lines) for p in points]),
        ("branches", BRANCH_COLOUR, [(p.date, p.branches) for p in points if p.branches]),
    ]
    for name, colour, data in series:
        if not data:
            continue
        coordinates = " ".join(f"{x(day)},{y(float(value))}" for day, value in data)
        parts.append(
            f'<polyline points="{coordinates}" fill="none" stroke="{colour}" stroke-width="2"/>'
        )
        for day, value in data:
            parts.append(
                f'<circle cx="{x(day)}" cy="{y(float(value))}" r="3" fill="{colour}">'
                f"<title>{day.isoformat()}: {name} {value}%</title></circle>"
            )
    gate_path = _gate_path(points, x, y)
    if gate_path:
        parts.append(
            f'<path d="{gate_path}" fill="none" stroke="{GATE_COLOUR}" '
            'stroke-width="1.5" stroke-dasharray="5 3"/>'
        )
    parts.extend(_legend(points[-1], report.has_branches))
    parts.extend(["</g>", "</svg>"])
    return "\n".join(parts) + "\n"


def _gate_path(
    points: Sequence[TrendPoint], x: Callable[[dt.date], str], y: Callable[[float], str]
) -> str:
    """A step line: each gate holds until the next date, the last one to the plot's edge."""
    moves: list[str] = []
    drawing = False
    for point in points:
        if point.gate is None:
            drawing = False
            continue
        if drawing:
            moves.append(f"H{x(point.date)} V{y(point.gate)}")
        else:
            moves.append(f"M{x(point.date)} {y(point.gate)}")
            drawing = True
    if drawing:
        moves.append(f"H{RIGHT}")
    return " ".join(moves)


def _legend(point: TrendPoint, has_branches: bool) -> list[str]:
    """The latest values beside the plot, so the picture states the numbers it draws."""
    entries = [(LINE_COLOUR, "", f"lines {point.lines}%")]
    if has_branches and point.branches is not None:
        entries.append((BRANCH_COLOUR, "", f"branches {point.branches}%"))
    if point.gate is not None:
        entries.append((GATE_COLOUR, ' stroke-dasharray="5 3"', f"gate {point.gate:g}%"))
    parts = []
    for index, (colour, dash, label) in enumerate(entries):
        top = TOP + 10 + 20 * index
        parts.append(
            f'<line x1="{RIGHT + 16}" y1="{top}" x2="{RIGHT + 36}" y2="{top}" '
            f'stroke="{colour}" stroke-width="2"{dash}/>'
        )
        parts.append(f'<text x="{RIGHT + 42}" y="{top + 4}">{label}</text>')
    return parts
