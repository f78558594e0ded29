"""Edits to each roadmap field: figures rewritten in place, items added, moved or removed.

Each editor takes the entry's lines, the field's list item and the facts, and returns the
field's new lines. Lines it does not edit come back unchanged; a person's words stay.

- Latest snapshot: the date in the label, the figure after "Global coverage", lines and
  branches figures, the value of ``--fail-under``; a missing one is added as a sub-bullet.
- Completed: ✅ items for modules that reached target; an item whose module fell below target
  moves to the backlog ("regressed from 100% on DATE"); ``N total`` counts the items.
- Improved: each ⬆️ item's ``→ now, +delta``; newly improved modules added; a module at target
  leaves (it is listed as completed).
- Backlog: the figure beside each module; modules at target leave; modules below target that
  the field does not name are added, into the group whose range fits (``(50-80%)``), as is an
  item whose figure left its group's range.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

from covtasks.escaping import code_span
from covtasks.outline import Item, item_text, text_offset
from covtasks.roadmap import (
    NUMBER,
    Listed,
    RoadmapFacts,
    in_range,
    label_range,
    leading_module,
    mentioned,
    progress_text,
    shown,
    with_figure,
    with_progress,
)
from covtasks.standup import percent_text

_LABEL = re.compile(r"\*\*(?P<label>(?:(?!\*\*).)+)\*\*")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_GLOBAL = re.compile(rf"(global coverage[\s*:]*)({NUMBER})(%)", re.IGNORECASE)
_GATE = re.compile(rf"(--fail-under[= ])({NUMBER})")
_SPLIT = re.compile(rf"\b(lines|branches)(\s+\**\s*)({NUMBER})(%)", re.IGNORECASE)
_TOTAL = re.compile(r"\b\d+(?=\s+total\b)")
_NONE = re.compile(r":\s*none\.?\s*$")


class _Changes:
    """Line edits inside one field, applied together by ``rebuild``."""

    def __init__(self, lines: Sequence[str], field: Item) -> None:
        self.lines = lines
        self.field = field
        self.dropped: set[int] = set()
        self.replaced: dict[int, str] = {}
        self.inserts: dict[int, list[str]] = {}
        self.tail: list[str] = []

    def line(self, index: int) -> str:
        return self.replaced.get(index, self.lines[index])

    def drop(self, item: Item) -> None:
        self.dropped.update(range(item.start, item.end))

    def insert(self, at: int, lines: Iterable[str]) -> None:
        self.inserts.setdefault(at, []).extend(lines)

    def rebuild(self) -> list[str]:
        field = self.field
        if self.tail or self.inserts:
            self.replaced[field.start] = _NONE.sub(":", self.line(field.start))
        out: list[str] = []
        for index in range(field.start, field.end):
            out.extend(self.inserts.get(index, ()))
            if index not in self.dropped:
                out.append(self.line(index))
        out.extend(self.inserts.get(field.end, ()))
        out.extend(self.tail)
        return out


def _child_prefix(parent: Item, children: Sequence[Item]) -> str:
    """How a new item under ``parent`` starts: as its first sibling does (indentation, marker)."""
    if children:
        return " " * children[0].column + children[0].marker + " "
    return " " * (parent.column + len(parent.marker) + 1) + "- "


def _module_at(lines: Sequence[str], item: Item, facts: RoadmapFacts) -> tuple[str, int] | None:
    """The measured module an item names first, and the column after its code span."""
    line = lines[item.start]
    found = leading_module(item_text(line, item), facts)
    return None if found is None else (found[0], text_offset(line, item) + found[1])


def edit_snapshot(lines: list[str], field: Item, facts: RoadmapFacts, _listed: Listed) -> list[str]:
    changes = _Changes(lines, field)
    found = {"global": False, "gate": False, "lines": False}

    def split(match: re.Match[str]) -> str:
        found["lines"] = True
        value = facts.lines if match[1].lower() == "lines" else facts.branches
        return match.group() if value is None else f"{match[1]}{match[2]}{shown(value)}%"

    def gate(match: re.Match[str]) -> str:
        found["gate"] = True
        return match[1] + (match[2] if facts.gate is None else _gate_text(facts.gate, match[2]))

    for index in range(field.start, field.end):
        line = lines[index]
        if index == field.start:
            # Only the date inside the bold label: a date in the person's words stays.
            label = _LABEL.search(line)
            assert label is not None  # the field was recognised by its bold label
            dated = _DATE.sub(facts.day.isoformat(), label.group(), count=1)
            line = line[: label.start()] + dated + line[label.end() :]
        line, count = _GLOBAL.subn(lambda m: f"{m[1]}{shown(facts.total)}{m[3]}", line)
        found["global"] |= count > 0
        line = _SPLIT.sub(split, _GATE.sub(gate, line))
        if line != lines[index]:
            changes.replaced[index] = line
    split_text = f"lines {percent_text(facts.lines)}"
    if facts.branches is not None:
        split_text += f", branches {percent_text(facts.branches)}"
    added = []
    if not found["global"]:
        extra = "" if found["lines"] else f" ({split_text})"
        added.append(f"Global coverage **{percent_text(facts.total)}**{extra}.")
    elif not found["lines"]:
        added.append(f"{split_text[0].upper()}{split_text[1:]}.")
    if not found["gate"] and facts.gate is not None:
        added.append(f"Pre-commit gate at `--fail-under={facts.gate:.2f}`.")
    prefix = _child_prefix(field, field.children)
    changes.tail.extend(prefix + text for text in added)
    return changes.rebuild()


def _gate_text(gate: float, written: str) -> str:
    """The gate with as many decimals as the person wrote (more when it needs them)."""
    places = len(written.partition(".")[2])
    text = f"{gate:.{places}f}"
    return text if Decimal(text) == Decimal(repr(gate)) else f"{gate:g}"


def edit_completed(lines: list[str], field: Item, facts: RoadmapFacts, listed: Listed) -> list[str]:
    changes = _Changes(lines, field)
    kept = 0
    for child in field.children:
        found = _module_at(lines, child, facts)
        if found is not None and found[0] in listed.regressed:
            changes.drop(child)  # it moves to the backlog, noted as a regression
        else:
            kept += 1
    present = mentioned(lines[field.start : field.end], facts)
    added = []
    for path, figures in sorted(facts.modules.items()):
        if not figures.meets or path in present:
            continue
        start = figures.first if figures.first is not None and not figures.first_met else None
        start = start or listed.improved_from.get(path) or listed.backlog_figure.get(path)
        if start is not None:
            added.append(
                f"✅ {code_span(path)} ({percent_text(start)} → {percent_text(figures.now)})"
            )
    prefix = _child_prefix(field, field.children)
    changes.tail.extend(prefix + text for text in added)
    label = changes.line(field.start)
    counted = _TOTAL.sub(str(kept + len(added)), label, count=1)
    if counted != label:
        changes.replaced[field.start] = counted
    return changes.rebuild()


def edit_improved(lines: list[str], field: Item, facts: RoadmapFacts, _listed: Listed) -> list[str]:
    changes = _Changes(lines, field)
    for child in field.children:
        found = _module_at(lines, child, facts)
        if found is None:
            continue
        figures = facts.modules[found[0]]
        if figures.meets:
            changes.drop(child)  # listed among the completed modules now
            continue
        line = with_progress(lines[child.start], found[1], figures.now, facts.precision)[0]
        if line != lines[child.start]:
            changes.replaced[child.start] = line
    present = mentioned(lines[field.start : field.end], facts)
    ranked = []
    for path, figures in facts.modules.items():
        if path not in present and facts.improved(path):
            assert figures.first is not None
            gain = Decimal(figures.now) - Decimal(figures.first)
            ranked.append(
                (
                    -gain,
                    path,
                    progress_text(code_span(path), figures.first, figures.now, facts.precision),
                )
            )
    prefix = _child_prefix(field, field.children)
    changes.tail.extend(prefix + text for _gain, _path, text in sorted(ranked))
    return changes.rebuild()


def edit_backlog(lines: list[str], field: Item, facts: RoadmapFacts, listed: Listed) -> list[str]:
    changes = _Changes(lines, field)
    groups: list[tuple[Item, tuple[Decimal, Decimal, bool, bool]]] = []
    items: list[tuple[Item, Item | None]] = []
    for child in field.children:
        label = _LABEL.match(item_text(lines[child.start], child))
        bounds = None if label is None else label_range(label["label"])
        if bounds is not None:
            groups.append((child, bounds))
        if _module_at(lines, child, facts) is not None:
            items.append((child, None))
        else:
            items.extend((grand, child) for grand in child.children)

    def home(figure: str) -> Item | None:
        return next((group for group, bounds in groups if in_range(figure, bounds)), None)

    ranges = {id(group): bounds for group, bounds in groups}
    for item, parent in items:
        found = _module_at(lines, item, facts)
        if found is None:
            continue
        figures = facts.modules[found[0]]
        if figures.meets:
            changes.drop(item)
            continue
        line = with_figure(lines[item.start], found[1], figures.now)
        if line != lines[item.start]:
            changes.replaced[item.start] = line
        bounds = None if parent is None else ranges.get(id(parent))
        fits = home(figures.now)
        if bounds is not None and not in_range(figures.now, bounds) and fits is not None:
            changes.drop(item)
            prefix = _child_prefix(fits, fits.children)
            shift = len(prefix) - len(prefix.lstrip(" ")) - item.column
            moved = [_shifted(changes.line(index), shift) for index in range(item.start, item.end)]
            changes.insert(fits.end, moved)
    present = mentioned(lines[field.start : field.end], facts)
    below = sorted(
        (figures.exact, path)
        for path, figures in facts.modules.items()
        if not figures.meets and path not in present
    )
    for _exact, path in below:
        now = facts.modules[path].now
        text = f"{code_span(path)} ({percent_text(now)})"
        if path in listed.regressed:
            text = f"{text[:-1]} - regressed from {facts.target:g}% on {facts.today.isoformat()})"
        fits = home(now)
        if fits is None:
            changes.tail.append(_child_prefix(field, field.children) + text)
        else:
            changes.insert(fits.end, [_child_prefix(fits, fits.children) + text])
    return changes.rebuild()


def _shifted(line: str, shift: int) -> str:
    if not line.strip() or shift == 0:
        return line
    if shift > 0:
        return " " * shift + line
    return line[min(-shift, len(line) - len(line.lstrip(" "))) :]
