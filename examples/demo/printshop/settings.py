"""Shop settings from the environment (``PRINTSHOP_*``), with counter-friendly defaults."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ShopSettings:
    queue_file: Path
    printer: str
    device: str
    dpi: int


def load_settings(environ: Mapping[str, str] | None = None) -> ShopSettings:
    """Read ``PRINTSHOP_*`` variables; ``environ`` defaults to the real environment."""
    env = os.environ if environ is None else environ
    dpi_text = env.get("PRINTSHOP_DPI", "300")
    if not dpi_text.isdigit():
        raise ValueError(f"PRINTSHOP_DPI must be a whole number, not {dpi_text!r}")
    home = Path(env.get("PRINTSHOP_HOME", Path.home() / ".printshop"))
    return ShopSettings(
        queue_file=home / "queue.jsonl",
        printer=env.get("PRINTSHOP_PRINTER", "counter-laser"),
        device=env.get("PRINTSHOP_DEVICE", "cpu"),
        dpi=int(dpi_text),
    )
