"""Turning pages into dots: a plain CPU path and a GPU path for the big poster printer."""

from __future__ import annotations

from dataclasses import dataclass

A4_INCHES = (8.27, 11.69)


@dataclass(frozen=True)
class RasterPlan:
    width_dots: int
    height_dots: int
    device: str
    tiles: int


def plan_raster(dpi: int, device: str = "cpu") -> RasterPlan:
    """How an A4 page is rasterised at ``dpi`` on ``device``."""
    width = round(A4_INCHES[0] * dpi)
    height = round(A4_INCHES[1] * dpi)
    if device == "cuda":
        # The poster printer's card works in 512-dot tiles; only the back room has one.
        tiles = -(-width // 512) * -(-height // 512)
        return RasterPlan(width, height, "cuda", tiles)
    return RasterPlan(width, height, "cpu", 1)


def ink_coverage(dots_inked: int, plan: RasterPlan) -> float:
    """Fraction of the page that takes ink; used to warn about toner-hungry jobs."""
    total = plan.width_dots * plan.height_dots
    if total == 0:
        raise ValueError("an empty raster has no ink coverage")
    return dots_inked / total
