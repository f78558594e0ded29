"""Hand-made ``coverage json`` reports (format 3) for input coverage.py would never produce."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any


def file_entry(
    executed: Sequence[int],
    missing: Sequence[int],
    branches: int = 0,
    missing_arcs: Sequence[tuple[int, int]] = (),
    partial: int = 0,
) -> dict[str, Any]:
    """One ``files`` entry whose summary agrees with its line and arc lists."""
    statements = len(executed) + len(missing)
    return {
        "executed_lines": list(executed),
        "missing_lines": list(missing),
        "missing_branches": [list(arc) for arc in missing_arcs],
        "summary": {
            "num_statements": statements,
            "covered_lines": len(executed),
            "missing_lines": len(missing),
            "excluded_lines": 0,
            "num_branches": branches,
            "covered_branches": branches - len(missing_arcs),
            "missing_branches": len(missing_arcs),
            "num_partial_branches": partial,
        },
    }


def report_document(files: Mapping[str, Any], branches: bool = True) -> dict[str, Any]:
    return {
        "meta": {"format": 3, "version": "7.6.0", "branch_coverage": branches},
        "files": dict(files),
        "totals": {},
    }


def write_report(path: Path, files: Mapping[str, Any], branches: bool = True) -> Path:
    """Write a report naming ``files`` and return its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report_document(files, branches)), encoding="utf-8")
    return path
